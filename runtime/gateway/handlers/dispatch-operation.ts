/**
 * Starts the provider if needed, parses the input, validates it against the model (unless the
 * service's registry entry opts out), and calls the operation's handler. An operation without
 * a handler (or a service without a provider) answers 501 before its input is parsed.
 */
import { randomUUID } from 'node:crypto';
import { notImplemented } from '../../aws/errors.js';
import type { OperationModel } from '../../aws/models/service-model.js';
import { codecFor } from '../../aws/protocols/index.js';
import { validateInput } from '../../aws/validation.js';
import type { ServiceManager } from '../../services/manager.js';
import type { OperationContext, Provider } from '../../services/provider.js';
import type { Handler } from '../chain.js';
import type { RequestContext } from '../../request-context.js';

/** The top-level input members marked `idempotencyToken`. */
function idempotencyTokens(op: OperationModel): string[] {
  const shape = op.input;
  return shape ? op.service.members(shape).filter(([, m]) => m.idempotencyToken === true).map(([name]) => name) : [];
}

export function dispatchOperation(services: ServiceManager): Handler {
  function call(ctx: RequestContext, provider: Provider): void | Promise<void> {
    const name = ctx.serviceName!;
    const op = ctx.operation!;
    const handler = provider.operations[op.name];
    if (!handler) throw notImplemented(name, op.name);
    const input = codecFor(ctx.protocol!)!.parseInput(ctx, op);
    // an idempotency token the client left out is filled in as an SDK would have (a UUID),
    // so that providers can always key retries by it (curl and some tools send none)
    for (const name of op.plan('idempotency-tokens', idempotencyTokens)) input[name] ??= randomUUID();
    ctx.input = input;
    const validation = services.validation(name);
    if (validation !== false) {
      // the codec has checked the types already, in the protocol's own words
      const invalid = validateInput(op, input, { protocol: ctx.protocol, code: validation.code, types: false });
      if (invalid) throw invalid;
    }
    const context: OperationContext = {
      accountId: ctx.accountId,
      region: ctx.region,
      requestId: ctx.requestId,
      accessKeyId: ctx.accessKeyId,
      service: name,
      operation: op.name,
      headers: ctx.headers,
    };
    const result = handler(context, input);
    if (result instanceof Promise) {
      return result.then((output) => {
        ctx.output = (output ?? {}) as Record<string, unknown>;
      });
    }
    ctx.output = (result ?? {}) as Record<string, unknown>;
  }

  // stays synchronous when the provider runs and its handler is synchronous
  return (_chain, ctx) => {
    const name = ctx.serviceName!;
    if (!services.has(name)) throw notImplemented(name, ctx.operation!.name);
    const provider = services.get(name);
    return provider instanceof Promise ? provider.then((p) => call(ctx, p)) : call(ctx, provider);
  };
}
