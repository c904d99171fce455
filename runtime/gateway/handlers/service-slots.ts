/**
 * The gateway's per-service slots: each runs the steps that the detected service declared
 * for it with its registry entry (runtime/services/service-gateway.ts), in order, and
 * nothing for a service that declared none. The table is built once, with the chain.
 * A slot stays synchronous unless a step returns a promise.
 */
import type { RuntimeConfig } from '../../config.js';
import type { GatewayResponse, RequestContext } from '../../request-context.js';
import type { ProviderRegistry } from '../../services/registry.js';
import type { ServiceGateway, ServiceStep } from '../../services/service-gateway.js';
import type { Handler, ResponseHandler } from '../chain.js';

export interface ServiceSlots {
  /** After detection and model loading: the service's `afterDetection` steps. */
  readonly afterDetection: Handler;
  /** After the body is read and decoded: the service's `beforeDispatch` steps. */
  readonly beforeDispatch: Handler;
  /** On the service's responses: its `response` steps. */
  readonly response: ResponseHandler;
  /** Whether a service keeps Content-Encoding as its payload's own (never decoded). */
  readonly keepsContentEncoding: (service: string | undefined) => boolean;
}

function run(steps: readonly ServiceStep[], ctx: RequestContext, res: GatewayResponse, from: number): void | Promise<void> {
  for (let i = from; i < steps.length; i++) {
    const pending = steps[i]!(ctx, res);
    if (pending) return pending.then(() => run(steps, ctx, res, i + 1));
  }
  return undefined;
}

/** The slots for the services of a registry that declare gateway steps. */
export function serviceSlots(registry: ProviderRegistry, config: RuntimeConfig): ServiceSlots {
  const table = new Map<string, ServiceGateway>();
  for (const [name, registration] of Object.entries(registry)) {
    if (registration.gateway) table.set(name, registration.gateway(config));
  }
  const slot =
    (pick: (gateway: ServiceGateway) => readonly ServiceStep[] | undefined): Handler =>
    (_chain, ctx, res) => {
      const gateway = ctx.serviceName === undefined ? undefined : table.get(ctx.serviceName);
      const steps = gateway && pick(gateway);
      return steps ? run(steps, ctx, res, 0) : undefined;
    };
  return {
    afterDetection: slot((g) => g.afterDetection),
    beforeDispatch: slot((g) => g.beforeDispatch),
    response: (_chain, ctx, res) => {
      const steps = ctx.serviceName === undefined ? undefined : table.get(ctx.serviceName)?.response;
      if (steps) for (const step of steps) step(ctx, res);
    },
    keepsContentEncoding: (service) => service !== undefined && table.get(service)?.payloadContentEncoding === true,
  };
}
