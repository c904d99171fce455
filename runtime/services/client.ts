/**
 * The in-process client (ProviderContext.client): one service calls an operation of another
 * as a given account, region and principal, without HTTP and without serializing:
 *
 *   const { QueueUrl } = await context.client.call('sqs', 'GetQueueUrl', { QueueName: 'q' }, { accountId, region });
 *
 * A call goes the way a request through the gateway goes, minus the wire: the target service
 * is started if it has not been (ServiceManager.get: a lazy start, dependencies first), the
 * input is checked against the model (invoke.ts), idempotency tokens are filled, the handler
 * runs with an OperationContext marked `internal: true` (with the `principal`, if given), and
 * the state changes it marked are flushed as the gateway's commit step flushes them, so that
 * with PERSISTENCE's ON_REQUEST strategy an internal call's writes are journaled before the
 * call returns. It returns the handler's output, or throws its ServiceError; a service
 * without a provider, or an operation without a handler, throws the 501 the gateway answers.
 *
 * Calls are typed by the services' generated APIs (apis.ts) where a provider exists; any
 * other service takes and returns `Record<string, unknown>`. Inputs are copied at the top
 * level before the call (token filling must not change the caller's object); members are
 * passed as they are: the handler owns what it receives.
 */
import { randomUUID } from 'node:crypto';
import { notImplemented, ServiceError } from '../aws/errors.js';
import { allServiceNames, loadServiceModel } from '../aws/models/loader.js';
import type { OperationInput, OperationName, OperationOutput } from './apis.js';
import type { TaggedResources } from './provider.js';
import { handlerFor, invoke } from './invoke.js';
import type { ServiceManager, ServiceState } from './manager.js';

/** As whom an in-process call is made. */
export interface CallOptions {
  readonly accountId: string;
  readonly region: string;
  /**
   * Who makes the call: an ARN (a role, a user) or a service principal such as
   * `s3.amazonaws.com`; the handler sees it as OperationContext.principal.
   */
  readonly principal?: string;
  /** The request id the handler sees; a new UUID when absent. */
  readonly requestId?: string;
}

/** What providers call other services with (ProviderContext.client). */
export interface ServiceClient {
  /**
   * Calls `operation` of `service` and returns its output; throws the handler's ServiceError
   * (or the 501 of a missing provider or handler, the 501 of a disabled service).
   */
  call<S extends string, O extends OperationName<S>>(service: S, operation: O, input: OperationInput<S, O>, options: CallOptions): Promise<OperationOutput<S, O>>;
  /**
   * The state of a service's provider (`available`, `running`, `disabled`, ...), or
   * undefined when no provider exists for it: whether a call could reach it at all.
   */
  status(service: string): ServiceState | undefined;
}

/**
 * What the runtime offers the Resource Groups Tagging API beside calls: the services there are
 * and their tagged resources (Provider.taggedResources). Part of ProviderContext.client.
 */
export interface TaggedResourcesAccess {
  /** The services that have a provider here (in SERVICES or not: `status` says). */
  services(): readonly string[];
  /**
   * A service's tagged resources (Provider.taggedResources), or undefined when its provider
   * offers none. The provider is started if needed, with `start: 'always'` (to tag or untag:
   * the service answers for its resources); with `start: 'if-state'` (to list) only when it
   * may hold state without running: a service that has not started, with no saved state to
   * load (PERSISTENCE off), has no resources, and listing does not start it.
   */
  taggedResources(service: string, start: 'always' | 'if-state'): Promise<TaggedResources | undefined>;
}

/** The ServiceClient of a service manager. */
export class InProcessClient implements ServiceClient, TaggedResourcesAccess {
  private readonly known = new Set(allServiceNames());

  constructor(private readonly manager: ServiceManager) {}

  status(service: string): ServiceState | undefined {
    return this.manager.stateOf(service);
  }

  services(): readonly string[] {
    return this.manager.names();
  }

  async taggedResources(service: string, start: 'always' | 'if-state'): Promise<TaggedResources | undefined> {
    const state = this.manager.stateOf(service);
    if (state === undefined || state === 'disabled' || state === 'error' || state === 'stopping' || state === 'stopped') return undefined;
    if (state !== 'running' && start === 'if-state' && !this.manager.config.persistence) return undefined;
    return (await this.manager.get(service)).taggedResources;
  }

  async call<S extends string, O extends OperationName<S>>(service: S, operation: O, input: OperationInput<S, O>, options: CallOptions): Promise<OperationOutput<S, O>> {
    if (!this.known.has(service)) throw new ServiceError('InternalFailure', `No service named '${service}' is known`, { status: 500 });
    if (!this.manager.has(service)) throw notImplemented(service, operation);
    const op = loadServiceModel(service).operations.get(operation);
    if (!op) throw new ServiceError('InvalidAction', `Operation '${operation}' is not an operation of service '${service}'`, { status: 400 });
    const provider = await this.manager.get(service);
    const handler = handlerFor(provider, service, operation);
    const output = await invoke(handler, op, { ...(input as Record<string, unknown>) }, {
      accountId: options.accountId,
      region: options.region,
      requestId: options.requestId ?? randomUUID(),
      accessKeyId: undefined,
      headers: {},
      internal: true,
      principal: options.principal,
      validation: this.manager.validation(service),
    });
    // what the gateway's commit step does after a request: journal before answering
    const state = this.manager.state;
    if (state.recording) await state.flush(service);
    return (output ?? {}) as OperationOutput<S, O>;
  }
}
