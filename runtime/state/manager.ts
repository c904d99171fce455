/**
 * The state manager: owns every service's declared state (service-state.ts), collects the
 * changes providers mark, and hands them, once a request is complete, to the persistence
 * backend (when PERSISTENCE is on) and to the audit (STATE_AUDIT=1, in tests).
 *
 *   provider marks a path --> pending (coalesced by path)
 *   gateway: commitState after the operation, before the response --> flush()
 *     --> backend.commit(changes)   ON_REQUEST journals them: an acknowledged write survives kill -9
 *     --> audit (tests): the state equals what the journal would restore, or the request fails
 * Changes made outside a request (timers, deliveries) are flushed on the next turn of the
 * event loop.
 *
 * Whole-state events go through here too, each to the stores and then the backend:
 * load (a service starts, or POST /_localstack/state/load), save, reset, replace (an import),
 * unload (a soft restart) and close (shutdown: the backend saves as its strategy says).
 *
 * Without persistence and audit nothing is recorded: marking costs one property read.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { logger } from '../logger.js';
import { cloneState, decodeState, encodeState } from './codec.js';
import { ServiceState, type AssetFolder } from './service-state.js';
import { Store, type ChangeSink } from './store.js';

const log = logger('state');

/** One changed path of a store, with the value found there (encoded), or none if deleted. */
export interface StateChange {
  readonly service: string;
  readonly store: string;
  readonly path: readonly string[];
  /** Whether a value is there (false: it was deleted). */
  readonly present: boolean;
  /** The value, in the codec's encoded form (codec.ts encodeState). */
  readonly value?: unknown;
}

/** What a backend reads the declared state from (the state manager). */
export interface StateSource {
  of(service: string): ServiceState | undefined;
  declared(): ServiceState[];
}

/**
 * Where state goes beyond memory (runtime/state/persistence when PERSISTENCE=1). Only
 * `assetFolder` and `commit` are required; the rest is what persistence adds.
 */
export interface StateBackend {
  /** Whether commit() needs the values of the changes (a journal does); default true. */
  readonly needsValues?: boolean;
  /** Called once by the state manager that uses this backend. */
  attach?(source: StateSource): void;
  /** The folder for a service's assets, kept across restarts. */
  assetFolder(service: string, name: string): string;
  /**
   * Takes the changes of a completed request or turn. A promise says they are not written
   * yet: the request's response waits for it (ON_REQUEST groups the journal writes of the
   * requests that complete together); it rejects when the write failed.
   */
  commit(changes: readonly StateChange[]): void | Promise<void>;
  /**
   * Applies the saved state of a service onto its declared stores, which are empty: when
   * the load strategy says so, or always with `force`. Returns whether it loaded any.
   */
  load?(service: string, force: boolean): boolean;
  /** Writes the state of one service (or of all) now, whatever the strategy. */
  save?(service?: string): void;
  /** A service's state was replaced wholesale (an import): keep it as the strategy says. */
  replaced?(service: string): void;
  /** Removes the saved state of one service (or of all). */
  reset?(service?: string): void;
  /** The services stop (shutdown or restart): saves what the strategy says and forgets them. */
  shutdown?(): void;
  /** Stops timers and closes files (after shutdown). */
  close?(): void;
}

export interface StateManagerOptions {
  /** LOCALSTACK_VOLUME_DIR: temporary asset folders go under `<volume>/tmp/state`. */
  readonly volumeDir: string;
  /** Compare the state with what the journal would restore after every flush (tests). */
  readonly audit?: boolean;
  readonly backend?: StateBackend;
}

export class StateManager implements ChangeSink {
  readonly recording: boolean;
  /** Whether flush() encodes the values of changes (a journal or the audit needs them). */
  private readonly needsValues: boolean;
  private readonly services = new Map<string, ServiceState>();
  private pending = new Map<string, { store: Store; path: readonly string[] }>();
  private flushScheduled = false;
  /** Temporary asset folders (no persistence): `<volume>/tmp/state/<pid>-<random>`. */
  private readonly tempRoot: string;
  private tempMade = false;
  /** Audit: what the journal would restore, per store. */
  private readonly shadows = new Map<Store, Store>();

  constructor(private readonly options: StateManagerOptions) {
    this.recording = options.audit === true || options.backend !== undefined;
    this.needsValues = options.audit === true || options.backend?.needsValues !== false;
    options.backend?.attach?.(this);
    this.tempRoot = join(options.volumeDir, 'tmp', 'state', `${process.pid}-${randomBytes(4).toString('hex')}`);
  }

  /** A fresh declaration handle for a service (a restarted service declares anew). */
  service(name: string): ServiceState {
    const state = new ServiceState(name, this, this);
    this.services.set(name, state);
    return state;
  }

  /** The declared state of a service, if it has declared any. */
  of(name: string): ServiceState | undefined {
    return this.services.get(name);
  }

  /** Every service that has declared state. */
  declared(): ServiceState[] {
    return [...this.services.values()];
  }

  /** AssetPlacer: a stable folder with persistence, a temporary one without. */
  assetFolder(service: string, name: string): string {
    let path: string;
    if (this.options.backend) {
      path = this.options.backend.assetFolder(service, name);
    } else {
      if (!this.tempMade) {
        sweepTemp(join(this.options.volumeDir, 'tmp', 'state'));
        this.tempMade = true;
      }
      path = join(this.tempRoot, service, name);
    }
    mkdirSync(path, { recursive: true });
    return path;
  }

  /** ChangeSink: a store marked a path. */
  changed(store: Store, path: readonly string[]): void {
    this.pending.set(`${store.service}\u0000${store.name}\u0000${path.join('\u0000')}`, { store, path: [...path] });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        try {
          this.flush()?.catch((error: unknown) => log.error(`state: ${(error as Error).message}`));
        } catch (error) {
          log.error(`state: ${(error as Error).message}`);
        }
      });
    }
  }

  /**
   * Hands the pending changes to the backend and the audit. `service` names the service a
   * request just used, which the audit checks even if nothing was marked (a change made
   * without a mark is what it looks for). Throws when the audit finds an unmarked change.
   * Returns a promise when the backend has yet to write the changes (the gateway answers the
   * request once it resolves, and fails it when it rejects); the manager's own whole-state
   * operations need not wait, the backend writes what is pending before any of them.
   */
  flush(service?: string): void | Promise<void> {
    if (!this.recording) return;
    const batch = this.pending;
    if (batch.size === 0 && (service === undefined || !this.options.audit)) return;
    this.pending = new Map();
    const changes: StateChange[] = [];
    for (const { store, path } of batch.values()) {
      const value = store.valueAt(path);
      if (value === undefined) changes.push({ service: store.service, store: store.name, path, present: false });
      else changes.push({ service: store.service, store: store.name, path, present: true, value: this.needsValues ? encodeState(value) : undefined });
    }
    const written = changes.length > 0 ? this.options.backend?.commit(changes) : undefined;
    if (this.options.audit) this.audit(changes, service);
    return written;
  }

  /**
   * The state of a service is as loaded (empty, restored or imported): the audit starts
   * from here.
   */
  settle(service: string): void {
    if (!this.options.audit) return;
    for (const store of this.services.get(service)?.stores() ?? []) this.settleStore(store);
  }

  /**
   * A service was just created (its stores are declared and empty) or is to be reloaded:
   * applies its saved state when the load strategy says so (or always, with `force`) and
   * settles the audit. Returns whether saved state was loaded.
   */
  load(service: string, force = false): boolean {
    const state = this.services.get(service);
    if (!state) return false;
    let loaded = false;
    if (this.options.backend?.load) {
      if (force) {
        this.flush();
        for (const store of state.stores()) store.reset();
      }
      loaded = this.options.backend.load(service, force);
    }
    this.settle(service);
    return loaded;
  }

  /**
   * Replaces the state of a declared service wholesale (an import): its stores and asset
   * folders are emptied, `fill` puts the new state in (synchronously: no request sees half of
   * it), and the backend keeps it.
   */
  replace(service: string, fill: (state: ServiceState) => void): void {
    const state = this.services.get(service);
    if (!state) throw new Error(`${service} has declared no state`);
    this.flush();
    for (const store of state.stores()) store.reset();
    for (const folder of state.assetFolders()) emptyFolder(folder);
    fill(state);
    this.settle(service);
    this.options.backend?.replaced?.(service);
  }

  /** Writes the state of one service, or of all, to the backend now (POST /_localstack/state/save). */
  save(service?: string): void {
    this.flush();
    this.options.backend?.save?.(service);
  }

  /**
   * Empties the state of one service, or of all: stores, asset folders and what the
   * backend saved (services that have not started included).
   */
  reset(service?: string): void {
    this.flush();
    for (const state of service === undefined ? this.services.values() : [this.services.get(service)].filter((s) => s !== undefined)) {
      for (const store of state.stores()) store.reset();
      for (const folder of state.assetFolders()) emptyFolder(folder);
      this.settle(state.service);
    }
    this.options.backend?.reset?.(service);
  }

  /**
   * The services stopped (a soft restart): the backend saves what its strategy says, and the
   * declared state is forgotten (services declare anew when they start again).
   */
  unload(): void {
    this.flush();
    this.options.backend?.shutdown?.();
    this.services.clear();
    this.shadows.clear();
  }

  /** Saves what the strategy says and closes the backend; removes temporary asset folders (at shutdown). */
  close(): void {
    try {
      this.flush();
      this.options.backend?.shutdown?.();
    } finally {
      this.options.backend?.close?.();
      if (this.tempMade) rmSync(this.tempRoot, { recursive: true, force: true });
    }
  }

  private audit(changes: readonly StateChange[], service: string | undefined): void {
    const stores = new Set<Store>();
    // replay the changes onto the shadows, as a restart would onto the last snapshot
    for (const change of changes) {
      const store = this.services.get(change.service)?.store(change.store);
      if (!store) continue;
      stores.add(store);
      const value = change.present ? decodeState(JSON.parse(JSON.stringify(change.value))) : undefined;
      this.shadowOf(store).apply(change.path, change.present, value);
    }
    if (service !== undefined) for (const store of this.services.get(service)?.stores() ?? []) stores.add(store);
    const failures: string[] = [];
    for (const store of stores) {
      // the common case (equal) walks both trees once, allocating nothing: S3's store holds
      // every object of every bucket, and the audit runs after every request
      if (sameState(this.shadowOf(store).data(), store.data())) continue;
      const where = firstDifference(encodeState(this.shadowOf(store).data()), encodeState(store.data()));
      if (where === '') continue;
      failures.push(`${store.service}/${store.name}: ${where} changed without a mark`);
      this.settleStore(store);
    }
    if (failures.length > 0) throw new Error(`state audit failed: ${failures.join('; ')}`);
  }

  private settleStore(store: Store): void {
    const shadow = new ShadowStore(store.service, store.name);
    shadow.replace(cloneState(store.data()));
    this.shadows.set(store, shadow);
  }

  /** The audit's copy of a store: what the journal would restore. */
  private shadowOf(store: Store): Store {
    let shadow = this.shadows.get(store);
    if (!shadow) {
      // declared after the last settle (a store made on first use): it started empty
      shadow = new ShadowStore(store.service, store.name);
      this.shadows.set(store, shadow);
    }
    return shadow;
  }
}

/** A store that is only its tree: the audit's shadow of a provider's store. */
class ShadowStore extends Store {}

/**
 * Whether two state trees would be written the same by the codec (codec.ts), key order
 * aside: members that are undefined are absent, records with and without prototype differ,
 * dates by time, binary by bytes, NaN equals NaN and -0 differs from 0.
 */
function sameState(a: unknown, b: unknown): boolean {
  if (a === b) return typeof a !== 'number' || Object.is(a, b);
  if (typeof a === 'number') return typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameState(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(a, b) === 0;
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && Object.is(a.getTime(), b.getTime());
  if ((Object.getPrototypeOf(a) === null) !== (Object.getPrototypeOf(b) === null)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let members = 0;
  for (const key of Object.keys(x)) {
    const value = x[key];
    if (value === undefined) continue;
    members++;
    if (!Object.hasOwn(y, key) || !sameState(value, y[key])) return false;
  }
  for (const key of Object.keys(y)) if (y[key] !== undefined) members--;
  return members === 0;
}

/** The first path (dotted) where two encoded trees differ, key order aside; '' when equal. */
function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (a === b) return '';
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return path || '(root)';
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const inner = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
    if (inner) return inner;
  }
  return '';
}

function emptyFolder(folder: AssetFolder): void {
  for (const name of readdirSync(folder.path)) rmSync(join(folder.path, name), { recursive: true, force: true });
}

/** Removes temporary state folders of runtimes that no longer run (`<pid>-<random>` of a dead pid). */
function sweepTemp(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.split('-')[0]);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch {
      rmSync(join(parent, name), { recursive: true, force: true });
    }
  }
}
