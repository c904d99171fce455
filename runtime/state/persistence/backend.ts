/**
 * PERSISTENCE=1: every service's state in `<LOCALSTACK_VOLUME_DIR>/state/<service>/`
 * (service-files.ts), saved as SNAPSHOT_SAVE_STRATEGY says and loaded as
 * SNAPSHOT_LOAD_STRATEGY says.
 *
 *   save ON_REQUEST   each request's changes are appended to the journal before its response
 *                     is sent (one write(2) for the requests that complete in the same turn);
 *                     the journal is compacted into a snapshot when it outgrows the
 *                     snapshot (after the response) and at shutdown
 *        ON_SHUTDOWN  a snapshot of each changed service at shutdown (and soft restart)
 *        SCHEDULED    a snapshot of each changed service every SNAPSHOT_FLUSH_INTERVAL s,
 *                     and at shutdown
 *        MANUAL       only on POST /_localstack/state/save
 *   load ON_REQUEST   when the service starts (on its first request)
 *        ON_STARTUP   services with saved state are started, and so loaded, at boot
 *        MANUAL       only on POST /_localstack/state/load; until then, nothing is written
 *                     for a service that has saved state (but by POST /_localstack/state/save)
 *
 * Files that cannot be used (a damaged snapshot, a newer format) are moved aside with one
 * log line and the service starts empty; with SNAPSHOT_LOAD_STRICT=1 the runtime refuses to
 * start instead. A journal's torn tail (a write cut short by kill -9) is dropped with one
 * log line in every mode: it was never acknowledged.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadStrategy, SaveStrategy } from '../../config.js';
import { logger } from '../../logger.js';
import type { StateBackend, StateChange, StateSource } from '../manager.js';
import { journalRecord, StateFileError } from './records.js';
import { ServiceFiles } from './service-files.js';

const log = logger('state');


export interface PersistenceOptions {
  /** `<LOCALSTACK_VOLUME_DIR>/state` */
  readonly root: string;
  readonly save: SaveStrategy;
  readonly load: LoadStrategy;
  /** SNAPSHOT_FLUSH_INTERVAL, seconds (SCHEDULED). */
  readonly flushIntervalSeconds: number;
  /** SNAPSHOT_LOAD_STRICT: unreadable files stop the runtime instead of being moved aside. */
  readonly strict: boolean;
  /** A journal is compacted once it exceeds both this and the snapshot's size (default 8 MiB). */
  readonly compactMinBytes?: number;
  /** How often journal writes are synced to disk, ms (default 1000). */
  readonly syncIntervalMs?: number;
}

/** A journal is compacted once it exceeds this and the snapshot's size. */
const COMPACT_MIN_BYTES = 8 << 20;

/** A service name as a folder name: what ServiceState accepts, nothing that leaves the folder. */
const SERVICE_FOLDER = /^[a-z0-9][a-z0-9-]*$/;

export class PersistenceBackend implements StateBackend {
  readonly needsValues: boolean;
  private source: StateSource | undefined;
  private readonly files = new Map<string, ServiceFiles>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly compacting = new Set<string>();

  constructor(private readonly options: PersistenceOptions) {
    this.needsValues = options.save === 'ON_REQUEST';
    mkdirSync(options.root, { recursive: true });
    if (options.save === 'SCHEDULED') {
      this.timers.push(setInterval(() => this.saveChanged('scheduled'), options.flushIntervalSeconds * 1000).unref());
    }
    if (options.save === 'ON_REQUEST') {
      this.timers.push(setInterval(() => this.files.forEach((f) => f.sync()), options.syncIntervalMs ?? 1000).unref());
    }
  }

  /** The load strategy (the runtime starts saved services at boot for ON_STARTUP). */
  get loadStrategy(): LoadStrategy {
    return this.options.load;
  }

  attach(source: StateSource): void {
    this.source = source;
  }

  /** The services that have saved state, sorted. */
  saved(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.options.root);
    } catch {
      return [];
    }
    return names.filter((name) => SERVICE_FOLDER.test(name) && this.filesOf(name).hasSaved()).sort();
  }

  /**
   * Strict loading: reads every saved service's files now (checksums, versions) and throws
   * one clear message for the first it cannot use, so the runtime refuses to start.
   */
  verify(): void {
    for (const service of this.saved()) {
      try {
        this.filesOf(service).verify();
      } catch (error) {
        if (!(error instanceof StateFileError)) throw error;
        throw new Error(`${error.message}; refusing to start (SNAPSHOT_LOAD_STRICT=1)`);
      }
    }
  }

  assetFolder(service: string, name: string): string {
    return join(this.options.root, service, 'assets', name);
  }

  /**
   * ON_REQUEST: queues the changes as journal records and returns a promise that resolves
   * once they are written. The requests that complete in one turn of the event loop share
   * one write(2) per service, made when that turn's I/O callbacks are done (setImmediate);
   * their responses wait for it, so an acknowledged write is still a written one.
   */
  commit(changes: readonly StateChange[]): void | Promise<void> {
    // almost always the changes of one service
    let queued = false;
    let start = 0;
    for (let i = 1; i <= changes.length; i++) {
      if (i < changes.length && changes[i]!.service === changes[start]!.service) continue;
      if (this.commitService(changes[start]!.service, start === 0 && i === changes.length ? changes : changes.slice(start, i))) queued = true;
      start = i;
    }
    if (!queued) return undefined;
    if (!this.batch) {
      let settle!: { resolve: () => void; reject: (error: Error) => void };
      const promise = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
      promise.catch(() => undefined); // the requests that wait see it; nobody else must
      this.batch = { promise, ...settle };
      setImmediate(() => this.writePending());
    }
    return this.batch.promise;
  }

  /** The journal records queued this turn and the promise their requests wait on. */
  private batch: { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } | undefined;

  /** Writes every queued journal record now (the end of a turn, or before any whole-state operation). */
  private writePending(): void {
    const batch = this.batch;
    this.batch = undefined;
    try {
      for (const files of this.files.values()) {
        if (!files.hasPending) continue;
        files.writePending();
        if (files.journalBytes > Math.max(this.options.compactMinBytes ?? COMPACT_MIN_BYTES, files.snapshotBytes)) this.scheduleCompaction(files.service);
      }
      batch?.resolve();
    } catch (error) {
      log.error(`writing the journal failed: ${(error as Error).message}`);
      batch?.reject(error as Error);
    }
  }

  /** Queues one service's changes; returns whether a journal record was queued. */
  private commitService(service: string, changes: readonly StateChange[]): boolean {
    const files = this.filesOf(service);
    files.dirty = true;
    if (this.options.save !== 'ON_REQUEST') return false;
    // the service started without loading its saved state (MANUAL loading): the files are
    // not what it holds, and stay as they are until the state is loaded or saved explicitly
    if (!files.synced) return false;
    files.append(journalRecord(changes));
    return true;
  }

  /**
   * Compacts after the current request's response: the snapshot is encoded and written then
   * (that blocks the event loop, for a time that grows with the state), made durable in the
   * background.
   */
  private scheduleCompaction(service: string): void {
    if (this.compacting.has(service) || this.files.get(service)?.pending) return;
    this.compacting.add(service);
    setImmediate(() => {
      this.compacting.delete(service);
      const files = this.files.get(service);
      const state = this.source?.of(service);
      if (!files || !state || !files.synced || files.pending) return;
      try {
        files.writeSnapshot(state, 'background');
      } catch (error) {
        // the journal goes on growing; the next commit tries again
        log.error(`${service}: compacting the journal failed: ${(error as Error).message}`);
      }
    });
  }

  load(service: string, force: boolean): boolean {
    this.writePending();
    const files = this.filesOf(service);
    const state = this.source?.of(service);
    if (!state) return false;
    if (!force && this.options.load === 'MANUAL') {
      files.closeJournal();
      // the files are not what the service holds: its first change rewrites them in full
      files.synced = !files.hasSaved();
      return false;
    }
    try {
      const report = files.load(state);
      if (report.droppedBytes > 0) {
        log.warn(`${service}: dropped ${report.droppedBytes} bytes at the end of the journal (${report.problem}; a write cut short, never acknowledged); ${report.replayed} records restored`);
      }
      if (report.unknownStores.length > 0) log.warn(`${service}: the saved state has stores this version does not declare (${report.unknownStores.join(', ')}): skipped`);
      if (report.found) log.debug(`${service}: state loaded (${report.replayed} journal records)`);
      return report.found;
    } catch (error) {
      for (const store of state.stores()) store.reset();
      if (!(error instanceof StateFileError)) throw error;
      if (this.options.strict) throw new Error(`${error.message} (SNAPSHOT_LOAD_STRICT=1)`);
      const aside = files.moveAside();
      log.error(`${error.message}: ${service} starts empty; the files are kept in ${aside}`);
      return false;
    }
  }

  save(service?: string): void {
    this.writePending();
    for (const state of service === undefined ? (this.source?.declared() ?? []) : [this.source?.of(service)]) {
      if (!state) continue;
      const files = this.filesOf(state.service);
      // a service that never changed holds what its files hold; one that changed before its
      // saved state was loaded (MANUAL loading) is written over it: saving was asked for
      if (files.dirty) files.writeSnapshot(state);
    }
  }

  /** The service's state was replaced wholesale (an import): written in full now with ON_REQUEST, else as the strategy says. */
  replaced(service: string): void {
    this.writePending();
    const files = this.filesOf(service);
    files.dirty = true;
    files.synced = true;
    const state = this.source?.of(service);
    if (this.options.save === 'ON_REQUEST' && state) files.writeSnapshot(state);
  }

  /** Snapshots every changed service, and compacts every journal (the timer of SCHEDULED, and shutdown). */
  private saveChanged(why: 'scheduled' | 'shutdown'): void {
    this.writePending();
    for (const [name, files] of this.files) {
      if (!files.synced || (!files.dirty && files.journalBytes === 0 && !files.pending)) continue;
      const state = this.source?.of(name);
      if (!state) continue;
      if (why === 'scheduled' && files.pending) continue;
      try {
        files.writeSnapshot(state, why === 'scheduled' ? 'background' : 'now');
      } catch (error) {
        log.error(`${name}: saving its state (${why}) failed: ${(error as Error).message}`);
      }
    }
  }

  reset(service?: string): void {
    const names = service === undefined ? [...new Set([...this.files.keys(), ...this.saved(), ...this.folders()])] : [service];
    for (const name of names) {
      this.filesOf(name).reset();
      const declared = new Set(this.source?.of(name)?.assetFolders().map((f) => f.name) ?? []);
      // asset folders of a declared service stay (its provider holds their paths), emptied by the manager
      const assets = join(this.options.root, name, 'assets');
      let entries: string[] = [];
      try {
        entries = readdirSync(assets);
      } catch {
        // none
      }
      for (const entry of entries) if (!declared.has(entry)) rmSync(join(assets, entry), { recursive: true, force: true });
      if (declared.size === 0) rmSync(join(this.options.root, name), { recursive: true, force: true });
    }
  }

  shutdown(): void {
    this.writePending();
    if (this.options.save !== 'MANUAL') this.saveChanged('shutdown');
    for (const files of this.files.values()) files.closeJournal();
    this.files.clear();
  }

  close(): void {
    this.writePending();
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    for (const files of this.files.values()) files.closeJournal();
  }

  private folders(): string[] {
    try {
      return readdirSync(this.options.root).filter((name) => SERVICE_FOLDER.test(name));
    } catch {
      return [];
    }
  }

  private filesOf(service: string): ServiceFiles {
    let files = this.files.get(service);
    if (!files) {
      if (!SERVICE_FOLDER.test(service)) throw new Error(`not a service name: ${service}`);
      files = new ServiceFiles(service, join(this.options.root, service));
      this.files.set(service, files);
    }
    return files;
  }
}
