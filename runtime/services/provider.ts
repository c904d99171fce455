/**
 * What a service provider is: a table of operation handlers plus optional lifecycle hooks.
 * Providers only throw ServiceError; the gateway serializes results and errors.
 */
import type { RuntimeConfig } from '../config.js';
import type { Logger } from '../logger.js';

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
}

/** What the runtime hands a provider when it creates it. */
export interface ProviderContext {
  readonly config: RuntimeConfig;
  readonly log: Logger;
}

/** The module a registry entry loads: one per service, imported on first use. */
export interface ProviderModule {
  createProvider(context: ProviderContext): Provider | Promise<Provider>;
}
