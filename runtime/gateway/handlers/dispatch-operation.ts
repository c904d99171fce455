/**
 * Starts the provider if needed, parses the input, and calls the operation's handler. An
 * operation without a handler (or a service without a provider) answers 501 before its
 * input is parsed.
 */
import { notImplemented } from '../../aws/errors.js';
import { codecFor } from '../../aws/protocols/index.js';
import type { ServiceManager } from '../../services/manager.js';
import type { OperationContext, Provider } from '../../services/provider.js';
import type { Handler } from '../chain.js';

export function dispatchOperation(services: ServiceManager): Handler {
  return async (_chain, ctx) => {
    const name = ctx.serviceName!;
    const op = ctx.operation!;
    if (!services.has(name)) throw notImplemented(name, op.name);
    const pending = services.get(name);
    const provider: Provider = pending instanceof Promise ? await pending : pending;
    const handler = provider.operations[op.name];
    if (!handler) throw notImplemented(name, op.name);
    const input = codecFor(ctx.protocol!)!.parseInput(ctx, op);
    ctx.input = input;
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
    ctx.output = ((result instanceof Promise ? await result : result) ?? {}) as Record<string, unknown>;
  };
}
