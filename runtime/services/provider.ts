/**
 * What a service provider is: a table of operation handlers plus optional lifecycle hooks.
 * Providers only throw ServiceError; the gateway serializes results and errors.
 */
import type { RuntimeConfig } from '../config.js';
import type { GatewayResponse, RequestContext } from '../request-context.js';
import type { Logger } from '../logger.js';
import type { ServiceState } from '../state/service-state.js';

/** What a handler knows about the request it serves. */
export interface OperationContext {
  readonly accountId: string;
  readonly region: string;
  readonly requestId: string;
  /** The access key id the caller signed with, if any. */
  readonly accessKeyId: string | undefined;
  readonly service: string;
  readonly operation: string;
  /** Request headers (lower-case names). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export type OperationHandler<I = any, O = any> = (context: OperationContext, input: I) => O | Promise<O>;

export interface Provider {
  /** Handlers by operation name; an operation missing here answers 501. */
  readonly operations: Readonly<Record<string, OperationHandler>>;
  /** Called once before the first request; a throw puts the service in `error`. */
  start?(): void | Promise<void>;
  /** Called at shutdown or restart, in reverse start order. */
  stop?(): void | Promise<void>;
  /**
   * Raw HTTP that is not (only) an operation: called by the gateway (handlers/provider-hooks.ts)
   * for every request detected for this service, before its operation is resolved (S3: CORS
   * preflights, bucket CORS headers, static website hosting). Returns true when it has
   * written the whole response (no operation runs); it may instead only add headers to
   * `res`, which then go out with the operation's response or error. A ServiceError thrown
   * here is written in the service's protocol. Keep it cheap: it sees every request.
   */
  intercept?(ctx: RequestContext, res: GatewayResponse): boolean | Promise<boolean>;
  /**
   * Whether this provider applies its own CORS rules to this request (S3: a bucket with a
   * CORS configuration). The gateway's default CORS handling (handlers/cors.ts) then neither
   * answers the preflight, nor refuses the origin, nor adds its headers. Asked of running
   * providers only, for requests with an Origin, before service detection;
   * `allowedByDefault` says whether the default rules allow the origin.
   */
  claimsCors?(ctx: RequestContext, allowedByDefault: boolean): boolean;
  /**
   * The runtime replaced this provider's state wholesale: `reset` (it is empty now) or
   * `loaded` (restored or imported while the service runs). What the provider derives from
   * its state (indexes, timers) is rebuilt here. Loading before start needs no hook: start()
   * sees the loaded state.
   */
  stateChanged?(event: 'reset' | 'loaded'): void | Promise<void>;
}

/** What the runtime hands a provider when it creates it. */
export interface ProviderContext {
  readonly config: RuntimeConfig;
  readonly log: Logger;
  /**
   * Where the provider declares ALL its state (stores and asset folders), so that reset,
   * persistence and export reach it (runtime/state/service-state.ts).
   */
  readonly state: ServiceState;
}

/** The module a registry entry loads: one per service, imported on first use. */
export interface ProviderModule {
  createProvider(context: ProviderContext): Provider | Promise<Provider>;
}
