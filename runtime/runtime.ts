/**
 * The runtime: configuration, service manager, init hooks and gateway, with the lifecycle
 *
 *   boot.d hooks -> start.d hooks -> pending deliveries resume -> listen -> eager services
 *     -> ready.d hooks -> "Ready."
 *   shutdown: stop accepting -> drain in-flight requests -> shutdown.d hooks -> drain the
 *     delivery queue -> stop services (reverse) -> cancel every timer left -> close state
 *     (PERSISTENCE=1: saved as SNAPSHOT_SAVE_STRATEGY says)
 * Both drains are bounded by SHUTDOWN_TIMEOUT; deliveries still pending then stay with the
 * state (persisted when PERSISTENCE is on).
 */
import { join } from 'node:path';
import type { ListenAddress, RuntimeConfig } from './config.js';
import { createGatewayChain } from './gateway/app.js';
import { GatewayServer } from './gateway/server.js';
import type { RuntimeControl } from './internal/endpoints.js';
import { InitHooks } from './internal/init-hooks.js';
import { printOut } from './log-file.js';
import { logger } from './logger.js';
import { RuntimeScheduler } from './scheduler.js';
import { ServiceManager } from './services/manager.js';
import { PROVIDERS, type ProviderRegistry } from './services/registry.js';
import { StateManager } from './state/manager.js';
import type { PersistenceBackend } from './state/persistence/backend.js';

const log = logger('runtime');

export interface RuntimeOptions {
  /** Providers to use instead of the built-in registry (tests). */
  registry?: ProviderRegistry;
  /** Called once the runtime has shut down (main.ts exits the process). */
  onShutdown?: () => void;
  /** Where `Ready.` goes; stdout by default. */
  announce?: (line: string) => void;
  /** The scheduler (tests: one on a ManualClock); real time by default. */
  scheduler?: RuntimeScheduler;
  /** PERSISTENCE=1: the backend (Runtime.create makes it; required then). */
  persistence?: PersistenceBackend;
}

export class Runtime implements RuntimeControl {
  readonly services: ServiceManager;
  readonly initHooks: InitHooks;
  readonly startedAt = Date.now();
  readonly inDocker: boolean;
  private readonly gateway: GatewayServer;
  /** PERSISTENCE=1: where state is saved (undefined without persistence). */
  readonly persistence: PersistenceBackend | undefined;
  private stopping: Promise<void> | undefined;
  /** The addresses actually bound (GATEWAY_LISTEN with port 0 gets a real port). */
  addresses: ListenAddress[] = [];

  /**
   * The runtime for a configuration, with its persistence backend when PERSISTENCE=1. The
   * backend's modules are loaded only then: a runtime without persistence never reads them
   * (start-up time).
   */
  static async create(config: RuntimeConfig, options: RuntimeOptions = {}): Promise<Runtime> {
    if (!config.persistence || options.persistence) return new Runtime(config, options);
    const { PersistenceBackend } = await import('./state/persistence/backend.js');
    const persistence = new PersistenceBackend({
      root: join(config.volumeDir, 'state'),
      save: config.snapshotSaveStrategy,
      load: config.snapshotLoadStrategy,
      flushIntervalSeconds: config.snapshotFlushInterval,
      strict: config.snapshotLoadStrict,
    });
    return new Runtime(config, { ...options, persistence });
  }

  constructor(
    readonly config: RuntimeConfig,
    private readonly options: RuntimeOptions = {},
  ) {
    this.inDocker = config.inDocker;
    if (config.persistence && !options.persistence) throw new Error('PERSISTENCE=1 needs its backend: make the runtime with Runtime.create()');
    this.persistence = config.persistence ? options.persistence : undefined;
    const state = new StateManager({ volumeDir: config.volumeDir, audit: config.stateAudit, backend: this.persistence });
    this.services = new ServiceManager(config, options.registry ?? PROVIDERS, { state, scheduler: options.scheduler ?? new RuntimeScheduler() });
    this.initHooks = new InitHooks(config.initDir);
    this.gateway = new GatewayServer(createGatewayChain(config, this), config.maxBodySize);
  }

  async start(): Promise<void> {
    // strict loading: unreadable saved state stops the start here, with one line
    if (this.persistence && this.config.snapshotLoadStrict) this.persistence.verify();
    if (this.persistence) {
      const saved = this.persistence.saved();
      log.info(`persistence on: state in ${join(this.config.volumeDir, 'state')} (save ${this.config.snapshotSaveStrategy}, load ${this.config.snapshotLoadStrategy}${saved.length > 0 ? `; saved: ${saved.join(', ')}` : ''})`);
    }
    await this.initHooks.run('BOOT');
    await this.initHooks.run('START');
    this.services.deliveries.resume();
    this.addresses = await this.gateway.listen(this.config.gatewayListen);
    this.initHooks.listening(this.addresses);
    for (const a of this.addresses) log.info(`listening on http://${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`);
    if (this.config.eagerServiceLoading) await this.services.startEager();
    if (this.persistence?.loadStrategy === 'ON_STARTUP') await this.services.loadState(this.persistence.saved());
    await this.initHooks.run('READY');
    (this.options.announce ?? ((line) => printOut(`${line}\n`)))('Ready.');
  }

  async restart(): Promise<void> {
    log.info('restarting services');
    await this.services.restart();
  }

  shutdown(): void {
    void this.stop().then(() => this.options.onShutdown?.());
  }

  /** Graceful stop; safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      log.info('shutting down');
      await this.gateway.close(this.config.shutdownTimeoutMs);
      await this.initHooks.run('SHUTDOWN');
      await this.services.deliveries.drain(this.config.shutdownTimeoutMs);
      await this.services.stopAll();
      this.services.scheduler.stop();
      this.services.state.close();
    })();
    return this.stopping;
  }
}
