/**
 * Error catalogs: what a service's errors look like on the wire (code, status, fault, query
 * code). Each provider has a generated catalog of the errors its model declares
 * (runtime/services/<service>/errors.generated.ts); the errors the AWS front ends answer for
 * any service of a protocol are here. Providers raise errors through `errorsOf(catalog)`,
 * so the compiler rejects a code the catalog does not know and status and fault always
 * match AWS.
 */
import { ServiceError, type ServiceErrorOptions } from './errors.js';

export interface ErrorEntry {
  /** The code on the wire (`__type`, `<Code>`). */
  readonly code: string;
  readonly status: number;
  /** Client at fault (Sender) or server (Receiver). */
  readonly sender: boolean;
  /** The code query clients expect, where it differs (awsQueryCompatible services). */
  readonly queryCode?: string;
}

export type ErrorCatalog = Readonly<Record<string, ErrorEntry>>;

/** Errors of the JSON-protocol front end, common to every json / rest-json service. */
export const JSON_COMMON_ERRORS = {
  ValidationException: { code: 'ValidationException', status: 400, sender: true },
  SerializationException: { code: 'SerializationException', status: 400, sender: true },
  UnknownOperationException: { code: 'UnknownOperationException', status: 400, sender: true },
  AccessDeniedException: { code: 'AccessDeniedException', status: 400, sender: true },
  ThrottlingException: { code: 'ThrottlingException', status: 400, sender: true },
} as const satisfies ErrorCatalog;

/** Errors of the query front end, common to every query service. */
export const QUERY_COMMON_ERRORS = {
  ValidationError: { code: 'ValidationError', status: 400, sender: true },
  InvalidAction: { code: 'InvalidAction', status: 400, sender: true },
  AccessDenied: { code: 'AccessDenied', status: 403, sender: true },
  MissingParameter: { code: 'MissingParameter', status: 400, sender: true },
  InvalidParameterValue: { code: 'InvalidParameterValue', status: 400, sender: true },
  Throttling: { code: 'Throttling', status: 400, sender: true },
} as const satisfies ErrorCatalog;

type Options = Omit<ServiceErrorOptions, 'status' | 'sender' | 'queryCode'>;

/** A function that builds the catalog's errors by name: `ssmError('ParameterNotFound', msg)`. */
export function errorsOf<C extends ErrorCatalog>(catalog: C): (name: keyof C & string, message: string, options?: Options) => ServiceError {
  return (name, message, options = {}) => {
    const e = catalog[name]!;
    return new ServiceError(e.code, message, { ...options, status: e.status, sender: e.sender, queryCode: e.queryCode });
  };
}
