/**
 * The gateway's side of Provider.intercept and Provider.claimsCors (runtime/services/
 * provider.ts): raw HTTP that a provider answers or decorates before operation routing
 * (S3 bucket CORS and static website hosting).
 *
 * interceptRequest runs after loadService: it starts the detected service's provider (as
 * dispatchOperation would a moment later) and lets its `intercept` answer the request or add
 * headers. A provider that cannot start is left to dispatchOperation to report.
 */
import type { ServiceManager } from '../../services/manager.js';
import type { Provider } from '../../services/provider.js';
import type { Handler } from '../chain.js';
import type { RequestContext } from '../../request-context.js';

export function interceptRequest(services: ServiceManager): Handler {
  const run = (provider: Provider, chain: Parameters<Handler>[0], ctx: RequestContext, res: Parameters<Handler>[2]): void | Promise<void> => {
    if (!provider.intercept) return undefined;
    const answered = provider.intercept(ctx, res);
    if (answered === true) chain.respond();
    else if (answered instanceof Promise) {
      return answered.then((done) => {
        if (done) chain.respond();
      });
    }
    return undefined;
  };
  // synchronous once the provider runs and its intercept is
  return (chain, ctx, res) => {
    const name = ctx.serviceName!;
    if (!services.has(name)) return undefined;
    let provider: Provider | Promise<Provider>;
    try {
      provider = services.get(name);
    } catch {
      return undefined; // disabled, failed, stopping: dispatchOperation says so
    }
    if (provider instanceof Promise) {
      return provider.then(
        (p) => run(p, chain, ctx, res),
        () => undefined,
      );
    }
    return run(provider, chain, ctx, res);
  };
}

/** Whether a running provider applies its own CORS rules to the request (see Provider.claimsCors). */
export function providerClaimsCors(services: ServiceManager): (ctx: RequestContext, allowedByDefault: boolean) => boolean {
  return (ctx, allowedByDefault) => {
    for (const provider of services.running()) if (provider.claimsCors?.(ctx, allowedByDefault)) return true;
    return false;
  };
}
