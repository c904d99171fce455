/**
 * THE path from an operation's input to its handler, shared by the gateway
 * (gateway/handlers/dispatch-operation.ts, after the codec parsed the request) and the
 * in-process client (client.ts): the handler is looked up (501 when there is none),
 * idempotency tokens the caller left out are filled in, the input is validated against the
 * model (runtime/aws/validation.ts; types too for an in-process input, which no codec
 * parsed), the OperationContext is built, and the handler runs.
 *
 * What happens around it differs only where it must: the gateway parses and serializes
 * (and commits state in handlers/commit-state.ts); the client awaits, and flushes state
 * itself (client.ts).
 */
import { randomUUID } from 'node:crypto';
import { notImplemented } from '../aws/errors.js';
import type { OperationModel } from '../aws/models/service-model.js';
import { validateInput, type ValidateOptions } from '../aws/validation.js';
import type { OperationContext, OperationHandler, Provider } from './provider.js';

/** Who calls and how: the fields of an OperationContext the caller decides. */
export interface Invocation {
  readonly accountId: string;
  readonly region: string;
  readonly requestId: string;
  readonly accessKeyId: string | undefined;
  readonly headers: OperationContext['headers'];
  /** True for calls made by the runtime itself (the in-process client). */
  readonly internal: boolean;
  /** The ARN (or service principal) an internal call is made as, if the caller named one. */
  readonly principal: string | undefined;
  /** How the input is validated (the service's registry options), or false when it opts out. */
  readonly validation: ValidateOptions | false;
}

/** The handler of an operation, or the 501 the gateway answers for one without. */
export function handlerFor(provider: Provider, service: string, operation: string): OperationHandler {
  const handler = provider.operations[operation];
  if (!handler) throw notImplemented(service, operation);
  return handler;
}

/** The top-level input members marked `idempotencyToken`. */
function idempotencyTokens(op: OperationModel): string[] {
  const shape = op.input;
  return shape ? op.service.members(shape).filter(([, m]) => m.idempotencyToken === true).map(([name]) => name) : [];
}

/**
 * Calls the handler with `input` (which it may fill in: pass a copy of what must stay
 * unchanged). Synchronous when the handler is; a ServiceError is thrown as is.
 */
export function invoke(handler: OperationHandler, op: OperationModel, input: Record<string, unknown>, call: Invocation): unknown {
  // an idempotency token the caller left out is filled in as an SDK would have (a UUID),
  // so that providers can always key retries by it (curl and some tools send none)
  for (const name of op.plan('idempotency-tokens', idempotencyTokens)) input[name] ??= randomUUID();
  if (call.validation !== false) {
    const refused = validateInput(op, input, call.validation);
    if (refused) throw refused;
  }
  const context: OperationContext = {
    accountId: call.accountId,
    region: call.region,
    requestId: call.requestId,
    accessKeyId: call.accessKeyId,
    service: op.service.name,
    operation: op.name,
    headers: call.headers,
    internal: call.internal,
    principal: call.principal,
  };
  return handler(context, input);
}
