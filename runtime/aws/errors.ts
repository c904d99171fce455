/**
 * Service errors. Providers and the protocol layer only ever throw a {@link ServiceError};
 * one place per protocol (the codecs' `serializeError`) turns it into a response, so that
 * every error reaches the SDKs in the exact shape they parse.
 */

export interface ServiceErrorOptions {
  /** HTTP status; 400 unless said otherwise. */
  status?: number;
  /** Whether the client is at fault (`Sender`) or the server (`Receiver`). Default: status < 500. */
  sender?: boolean;
  /**
   * The code a query client expects for this error, where it differs from `code`
   * (awsQueryCompatible services, e.g. SQS `AWS.SimpleQueueService.NonExistentQueue`).
   */
  queryCode?: string;
  /** Extra members of the error shape, serialized next to Code and Message. */
  fields?: Record<string, unknown>;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

export class ServiceError extends Error {
  readonly code: string;
  readonly status: number;
  readonly sender: boolean;
  readonly queryCode: string | undefined;
  readonly fields: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: string, message: string, options: ServiceErrorOptions = {}) {
    // A service error is an answer, not a bug: capturing a stack trace for it would cost
    // more than the rest of an error response (ParameterNotFound at full load).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = code;
    this.code = code;
    this.status = options.status ?? 400;
    this.sender = options.sender ?? this.status < 500;
    this.queryCode = options.queryCode;
    this.fields = options.fields;
    this.headers = options.headers;
  }
}

/** The error AWS's Coral front end gives for constraint violations (json services). */
export function validationException(messages: readonly string[], code = 'ValidationException'): ServiceError {
  const n = messages.length;
  const text = `${n} validation error${n === 1 ? '' : 's'} detected: ${messages.join('; ')}`;
  return new ServiceError(code, text);
}

/** An operation of a known service that no provider implements. */
export function notImplemented(service: string, operation: string): ServiceError {
  return new ServiceError(
    'InternalFailure',
    `API action '${operation}' for service '${service}' is not yet implemented`,
    { status: 501 },
  );
}

/** Anything that was not a ServiceError: a bug, reported without a stack trace. */
export function internalError(message = 'An internal error occurred'): ServiceError {
  return new ServiceError('InternalError', message, { status: 500 });
}
