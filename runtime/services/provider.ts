/**
 * What a service provider is: a table of operation handlers plus optional lifecycle hooks.
 * Providers only throw ServiceError; the gateway serializes results and errors.
 *
 * What the runtime gives a provider (ProviderContext), so that none builds its own:
 *   config, log          the runtime's configuration, a logger scoped to the service
 *   state                where ALL its state is declared (stores, asset folders)
 *   client               calls another service's operation in process (services/client.ts),
 *                        reaches another service's tagged resources (Provider.taggedResources)
 *   deliveries           asynchronous calls with retries and ordering (services/deliveries.ts)
 *   scheduler, clock     timed work and "now" (runtime/scheduler.ts), never setTimeout or
 *                        Date.now(): its timers stop with it, and tests drive the clock
 */
import type { RuntimeConfig } from '../config.js';
import type { GatewayResponse, RequestContext } from '../request-context.js';
import type { Logger } from '../logger.js';
import type { Clock, Scheduler } from '../scheduler.js';
import type { ServiceState } from '../state/service-state.js';
import type { ServiceClient, TaggedResourcesAccess } from './client.js';
import type { DeliverySink } from './deliveries.js';

/** What a handler knows about the request it serves. */
export interface OperationContext {
  readonly accountId: string;
  readonly region: string;
  readonly requestId: string;
  /** The access key id the caller signed with, if any. */
  readonly accessKeyId: string | undefined;
  readonly service: string;
  readonly operation: string;
  /** Request headers (lower-case names); empty for an internal call. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * True when the runtime itself makes the call (another service through the in-process
   * client, a delivery), false for a request that came through the gateway.
   */
  readonly internal: boolean;
  /**
   * Who an internal call is made as: an ARN or a service principal (`s3.amazonaws.com`), as
   * the caller named it; undefined for gateway requests (the access key says who) and for
   * internal calls that named none.
   */
  readonly principal: string | undefined;
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
  /**
   * The resources of this service that carry tags, for the Resource Groups Tagging API
   * (services/resourcegroupstaggingapi), which reaches them through the runtime
   * (`context.client.taggedResources(service)`), never by importing the service. A service
   * that keeps tags implements it (in a file of its own, `<service>/tagged-resources.ts`,
   * over the same store and rules as its own tagging operations) and lists it here.
   */
  readonly taggedResources?: TaggedResources;
  /**
   * LocalStack's developer endpoints of this service, under `/_aws/<service>/` (SQS:
   * `/_aws/sqs/messages`; SNS: `/_aws/sns/sms-messages`, ...), routed here by the gateway
   * (handlers/serve-developer-endpoints.ts) with `path` the rest after `/_aws/<service>`.
   * The service is started first; ctx.accountId/region come from the credential scope as for
   * any request, ctx.body is read, and ctx.protocol is the protocol the client seems to speak
   * (the hook may change it). The hook either writes its own answer (`'answered'`), answers an
   * operation's output to be written in ctx.protocol like that operation's response
   * (`{ operation, output }`: SQS's peek answers as ReceiveMessage), or `undefined` when it has
   * no such endpoint (404). A ServiceError it throws is written in ctx.protocol. State it
   * changes is committed like an operation's.
   */
  developerEndpoint?(ctx: RequestContext, res: GatewayResponse, path: string): DeveloperAnswer | Promise<DeveloperAnswer>;
}

/** What Provider.developerEndpoint did: see there. */
export type DeveloperAnswer = 'answered' | { readonly operation: string; readonly output: Record<string, unknown> } | undefined;

/** A resource and its tags, as the Resource Groups Tagging API sees it. */
export interface TaggedResource {
  readonly arn: string;
  /** The resource type after the service, as ResourceTypeFilters name it (`bucket` for `s3:bucket`). */
  readonly type: string;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * What a service offers the Resource Groups Tagging API (Provider.taggedResources). `tag` and
 * `untag` change one resource as the service's own tagging operations would (its limits, its
 * marks on the state), and throw the service's ServiceError when the resource does not exist
 * or the tags break its rules: the tagging API reports it in FailedResourcesMap.
 */
export interface TaggedResources {
  /** Every resource of the account in the region that has tags now (a global service's resources located in the region). */
  list(accountId: string, region: string): Iterable<TaggedResource> | Promise<Iterable<TaggedResource>>;
  /** Adds or replaces tags of the resource named by `arn`. */
  tag(ctx: OperationContext, arn: string, tags: Readonly<Record<string, string>>): void | Promise<void>;
  /** Removes tags (absent keys are no error). */
  untag(ctx: OperationContext, arn: string, keys: readonly string[]): void | Promise<void>;
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
  /**
   * Calls any operation of any service, as a given account, region and principal:
   * `await client.call('sqs', 'GetQueueUrl', { QueueName }, { accountId, region })`. It starts
   * the target if needed, checks the input, marks the call internal, returns the output or
   * throws the target's ServiceError (services/client.ts). For calls whose answer is needed
   * now (a destination check); asynchronous work goes through `deliveries`.
   */
  readonly client: ServiceClient & TaggedResourcesAccess;
  /**
   * Hands over an asynchronous call (a notification, a subscription's message): retried
   * with backoff on 5xx and throttling, never on 4xx, in order per `orderingKey`, kept with
   * the state until done, drained at shutdown (services/deliveries.ts).
   */
  readonly deliveries: DeliverySink;
  /**
   * This provider's timers (`after(ms, fn)`, `every(ms, fn)`, each cancellable); all of them
   * are cancelled when the provider stops, and none keeps the process alive.
   */
  readonly scheduler: Scheduler;
  /** "Now" for timed behaviour (expirations, timeouts, timestamps that rules compare). */
  readonly clock: Clock;
}

/** The module a registry entry loads: one per service, imported on first use. */
export interface ProviderModule {
  createProvider(context: ProviderContext): Provider | Promise<Provider>;
}
