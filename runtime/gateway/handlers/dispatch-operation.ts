/**
 * Starts the provider if needed, parses the input, and calls the operation's handler through
 * the path the in-process client shares (services/invoke.ts), which validates the input
 * against the model (unless the service's registry entry opts out). An operation without a
 * handler (or a service without a provider) answers 501 before its input is parsed.
 */
import { notImplemented } from '../../aws/errors.js';
import { codecFor } from '../../aws/protocols/index.js';
import { handlerFor, invoke } from '../../services/invoke.js';
import type { ServiceManager } from '../../services/manager.js';
import type { Provider } from '../../services/provider.js';
import type { Handler } from '../chain.js';
import type { RequestContext } from '../../request-context.js';

export function dispatchOperation(services: ServiceManager): Handler {
  function call(ctx: RequestContext, provider: Provider): void | Promise<void> {
    const name = ctx.serviceName!;
    const op = ctx.operation!;
    const handler = handlerFor(provider, name, op.name);
    const input = codecFor(ctx.protocol!)!.parseInput(ctx, op);
    ctx.input = input;
    const validation = services.validation(name);
    const result = invoke(handler, op, input, {
      accountId: ctx.accountId,
      region: ctx.region,
      requestId: ctx.requestId,
      accessKeyId: ctx.accessKeyId,
      headers: ctx.headers,
      internal: false,
      principal: undefined,
      // the codec has checked the types already, in the protocol's own words
      validation: validation === false ? false : { ...validation, protocol: ctx.protocol, types: false },
    });
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
