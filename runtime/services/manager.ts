/**
 * The service manager: one state machine per service that has a provider.
 *
 *   available --first request / eager--> starting --> running --shutdown--> stopping --> stopped
 *                                           \--> error (the provider failed to load or start)
 *   disabled: not in SERVICES while STRICT_SERVICE_LOADING is on.
 *
 * Starting a service starts its dependencies first; stopping goes in reverse start order.
 * Concurrent first requests share one start.
 *
 * The manager also owns what providers share with each other (their ProviderContext): the
 * state system, the scheduler (each provider gets timers of its own, cancelled when it
 * stops), the in-process client (client.ts) and the delivery queue (deliveries.ts).
 */
import type { RuntimeConfig } from '../config.js';
import { ServiceError } from '../aws/errors.js';
import { logger } from '../logger.js';
import { RuntimeScheduler, type OwnedScheduler } from '../scheduler.js';
import { StateManager } from '../state/manager.js';
import type { ServiceState as DeclaredState } from '../state/service-state.js';
import { InProcessClient } from './client.js';
import { DeliveryQueue } from './deliveries.js';
import type { Provider } from './provider.js';
import type { ServiceName } from '../aws/models/service-index.generated.js';
import type { ValidationOptions } from '../aws/validation.js';
import { COMPOSITE_SERVICES, SERVICE_DEPENDENCIES, type ProviderRegistry } from './registry.js';

export type ServiceState = 'available' | 'disabled' | 'starting' | 'running' | 'stopping' | 'stopped' | 'error';

const log = logger('service-manager');

interface Slot {
  state: ServiceState;
  provider?: Provider;
  starting?: Promise<Provider>;
  failure?: string;
  /** The provider's own timers, cancelled when it stops (or fails to start). */
  timers?: OwnedScheduler;
}

/** SERVICES expanded: composites replaced by their members, dependencies added. */
export function expandServices(names: readonly string[]): Set<string> {
  const out = new Set<string>();
  const add = (name: string) => {
    if (out.has(name)) return;
    const composite = COMPOSITE_SERVICES[name];
    if (composite) {
      composite.forEach(add);
      return;
    }
    out.add(name);
    (SERVICE_DEPENDENCIES[name as ServiceName] ?? []).forEach(add);
  };
  names.forEach(add);
  return out;
}

export class ServiceManager {
  private readonly slots = new Map<string, Slot>();
  /** Services in the order they reached `running`, for the reverse stop. */
  private startOrder: string[] = [];
  /** The running providers, in start order (kept in step with startOrder). */
  private runningProviders: Provider[] = [];
  private readonly enabled: Set<string> | undefined;

  /** Owns every service's declared state. */
  readonly state: StateManager;
  /** Owns every timer; providers get one scheduler each (`owner(name)`). */
  readonly scheduler: RuntimeScheduler;
  /** Calls any operation of any service in this process (ProviderContext.client). */
  readonly client: InProcessClient;
  /** Asynchronous deliveries between services (ProviderContext.deliveries). */
  readonly deliveries: DeliveryQueue;

  /** Services to load saved state into when they start, whatever the load strategy (POST /_localstack/state/load). */
  private readonly forceLoad = new Set<string>();

  constructor(
    readonly config: RuntimeConfig,
    /** The providers (and their gateway steps) this runtime serves. */
    readonly registry: ProviderRegistry,
    platform: { state?: StateManager; scheduler?: RuntimeScheduler } = {},
  ) {
    this.state = platform.state ?? new StateManager({ volumeDir: config.volumeDir });
    this.scheduler = platform.scheduler ?? new RuntimeScheduler();
    this.client = new InProcessClient(this);
    this.deliveries = new DeliveryQueue({ client: this.client, state: this.state, scheduler: this.scheduler });
    this.enabled = config.services.length > 0 ? expandServices(config.services) : undefined;
    for (const name of this.enabled ?? []) {
      if (!(name in registry)) log.warn(`SERVICES names '${name}', which has no provider here`);
    }
    this.reset();
  }

  private reset(): void {
    for (const name of Object.keys(this.registry).sort()) {
      const disabled = this.config.strictServiceLoading && this.enabled !== undefined && !this.enabled.has(name);
      this.slots.set(name, { state: disabled ? 'disabled' : 'available' });
    }
    this.startOrder = [];
    this.runningProviders = [];
  }

  /** The providers running now, in start order: for gateway hooks that ask each (Provider.claimsCors). */
  running(): readonly Provider[] {
    return this.runningProviders;
  }

  /** Whether a provider exists for this service. */
  has(name: string): boolean {
    return this.slots.has(name);
  }

  /** The services that have a provider, by name. */
  names(): string[] {
    return [...this.slots.keys()];
  }

  /** The state of one service's provider, or undefined when it has none. */
  stateOf(name: string): ServiceState | undefined {
    return this.slots.get(name)?.state;
  }

  /** How the registry says a service's input is validated (false: not at all). */
  validation(name: string): ValidationOptions | false {
    return this.registry[name as ServiceName]?.validation ?? {};
  }

  /** States of all services with a provider, for /_localstack/health. */
  states(): Record<string, ServiceState> {
    const out: Record<string, ServiceState> = {};
    for (const [name, slot] of this.slots) out[name] = slot.state;
    return out;
  }

  /** The running provider of a service, starting it (and its dependencies) if needed. */
  get(name: string): Provider | Promise<Provider> {
    const slot = this.slots.get(name);
    if (!slot) throw new Error(`no provider for ${name}`);
    if (slot.state === 'running' && slot.provider) return slot.provider;
    switch (slot.state) {
      case 'disabled':
        throw new ServiceError('InternalFailure', `Service '${name}' is not enabled. Please check your 'SERVICES' configuration variable.`, {
          status: 501,
        });
      case 'error':
        throw new ServiceError('InternalFailure', `Service '${name}' failed to start: ${slot.failure ?? 'unknown error'}`, { status: 500 });
      case 'stopping':
      case 'stopped':
        throw new ServiceError('ServiceUnavailable', `Service '${name}' is shutting down`, { status: 503 });
      default:
        slot.starting ??= this.start(name, slot);
        return slot.starting;
    }
  }

  private async start(name: string, slot: Slot): Promise<Provider> {
    slot.state = 'starting';
    try {
      for (const dep of SERVICE_DEPENDENCIES[name as ServiceName] ?? []) {
        if (this.slots.has(dep)) await this.get(dep);
      }
      const module = await this.registry[name as ServiceName]!.load();
      const state = this.state.service(name);
      const log = logger(name);
      slot.timers = this.scheduler.owner(name, log);
      const provider = await module.createProvider({
        config: this.config,
        log,
        state,
        client: this.client,
        deliveries: this.deliveries,
        scheduler: slot.timers,
        clock: this.scheduler.clock,
      });
      // saved state goes in before start(), which sees it (and settles the audit)
      this.state.load(name, this.forceLoad.delete(name));
      await provider.start?.();
      slot.provider = provider;
      slot.state = 'running';
      this.startOrder.push(name);
      this.runningProviders = [...this.runningProviders, provider];
      log.debug(`${name} running`);
      return provider;
    } catch (error) {
      slot.timers?.cancelAll();
      slot.state = 'error';
      slot.failure = error instanceof Error ? error.message : String(error);
      log.error(`${name} failed to start: ${slot.failure}`);
      throw new ServiceError('InternalFailure', `Service '${name}' failed to start: ${slot.failure}`, { status: 500 });
    } finally {
      slot.starting = undefined;
    }
  }

  /** Starts the enabled services now (EAGER_SERVICE_LOADING). Failures stay in `error`. */
  async startEager(): Promise<void> {
    const names = this.enabled ? [...this.enabled] : [...this.slots.keys()];
    for (const name of names) {
      const slot = this.slots.get(name);
      if (!slot || slot.state !== 'available') continue;
      try {
        await this.get(name);
      } catch {
        // recorded in the slot, reported by the health endpoint
      }
    }
  }

  /**
   * Empties the state of one service (or of all), and tells the running providers so.
   * Services that have not started have no state to empty.
   */
  async resetState(name?: string): Promise<void> {
    this.state.reset(name);
    for (const service of name === undefined ? [...this.startOrder] : [name]) {
      const provider = this.slots.get(service)?.provider;
      if (provider) await provider.stateChanged?.('reset');
    }
  }

  /** The services running now, in start order. */
  runningNames(): string[] {
    return [...this.startOrder];
  }

  /**
   * Loads saved state into one service (or into every service that has some, and every
   * running one): a running service gets it in place and is told (`stateChanged('loaded')`),
   * another is started, which loads it.
   */
  async loadState(names: readonly string[]): Promise<void> {
    for (const name of names) {
      const slot = this.slots.get(name);
      if (!slot) continue;
      if (slot.state === 'running' && slot.provider) {
        this.state.load(name, true);
        await slot.provider.stateChanged?.('loaded');
        continue;
      }
      if (slot.state !== 'available' && slot.state !== 'stopped') continue; // disabled, failed, or starting already
      this.forceLoad.add(name);
      try {
        await this.get(name);
      } catch {
        // recorded in the slot (error), reported by the health endpoint
      } finally {
        this.forceLoad.delete(name);
      }
    }
  }

  /**
   * Replaces a service's state wholesale (an import): starts it if needed, empties its
   * state, lets `fill` put the new one in, and tells the provider (`stateChanged('loaded')`).
   */
  async replaceState(name: string, fill: (state: DeclaredState) => void): Promise<void> {
    if (!this.slots.has(name)) {
      // the runtime's own state (the delivery queue's `deliveries`): no provider to start or tell
      this.state.replace(name, fill);
      if (name === 'deliveries') this.deliveries.resume();
      return;
    }
    const provider = await this.get(name);
    this.state.replace(name, fill);
    await provider.stateChanged?.('loaded');
  }

  /** Whether a name is a service's or the runtime's own state that an import may replace. */
  hasState(name: string): boolean {
    return this.slots.has(name) || this.state.of(name) !== undefined;
  }

  /** Stops every running service, in reverse start order. */
  async stopAll(): Promise<void> {
    this.runningProviders = [];
    for (const name of [...this.startOrder].reverse()) {
      const slot = this.slots.get(name)!;
      slot.state = 'stopping';
      try {
        await slot.provider?.stop?.();
      } catch (error) {
        log.warn(`${name} did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
      }
      slot.timers?.cancelAll();
      slot.provider = undefined;
      slot.state = 'stopped';
    }
    this.startOrder = [];
  }

  /** Stops everything and goes back to the initial states: in-memory state is dropped. */
  async restart(): Promise<void> {
    await this.stopAll();
    // with persistence, what the strategy keeps is saved, and loaded again as services start
    this.state.unload();
    this.reset();
    if (this.config.eagerServiceLoading) await this.startEager();
  }
}
