/**
 * One service's folder under `<volume>/state/<service>/`:
 *
 *   snapshot         the stores at one point (records.ts): generation n
 *   journal-<n>      the changes after snapshot n, one record per committed request
 *   journal-<n+1>    ... after snapshot n+1, while that one is being made durable
 *   assets/<name>/   the service's asset folders (S3 bodies), written in place by the provider
 *   unreadable-<ts>/ a snapshot and journals that could not be read, moved aside (never deleted)
 *
 * A snapshot is taken at one point (encoded and written to `snapshot-<n>.<epoch>.tmp` in one
 * synchronous pass); from that point on, changes go to journal-<n>. Compaction then makes the
 * file durable in the background (fsync, rename over `snapshot`, remove older journals), so
 * the event loop never waits for the disk. Whatever a crash interrupts, loading the snapshot
 * and then every journal of its generation or later, in order, gives the state of the last
 * write that returned.
 *
 * Appends to a journal are plain write(2)s: once one returns, the record is in the kernel's
 * page cache and survives the process being killed; the backend syncs journals to the disk
 * about once a second (a power loss can take the last second of writes).
 */
import { closeSync, existsSync, fdatasync, fsync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, truncateSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceState } from '../service-state.js';
import { frame, unframe } from './framing.js';
import { applyJournal, applySnapshot, checkSnapshot, header, parseHeader, snapshotRecords, StateFileError } from './records.js';

/** Snapshot records are written in pieces of about this many characters. */
const WRITE_CHUNK = 1 << 20;
const JOURNAL = /^journal-(\d+)$/;

/** What loading found, for the backend to log. */
export interface LoadReport {
  /** Whether any saved state was there. */
  readonly found: boolean;
  /** Bytes of an incomplete record dropped from a journal's end (a write cut short). */
  readonly droppedBytes: number;
  readonly problem?: string;
  /** Journal records applied. */
  readonly replayed: number;
  /** Store names in the files that the service does not declare (their records were skipped). */
  readonly unknownStores: readonly string[];
}

function readIfExists(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function corrupt(what: string, error: unknown): StateFileError {
  if (error instanceof StateFileError) return error;
  return new StateFileError(`${what} holds a value that cannot be restored (${(error as Error).message})`, 'corrupt');
}

export class ServiceFiles {
  readonly snapshotPath: string;
  /** The generation of the last durable snapshot (0: none). */
  generation = 0;
  /** The generation of the journal that appends go to (the last snapshot taken). */
  journalGeneration = 0;
  /** Whether the files hold exactly what the service's stores held at the last commit. */
  synced = false;
  /** Whether the stores changed since the last snapshot was taken. */
  dirty = false;
  snapshotBytes = 0;
  /** Bytes in the current journal. */
  journalBytes = 0;
  /** Journal bytes written since the last sync to disk. */
  unsynced = false;
  /** A snapshot being made durable in the background. */
  pending = false;
  private journalFd: number | undefined;
  /** Bumped by whatever replaces the files (load, reset, move aside): a background snapshot of an older epoch is dropped. */
  private epoch = 0;

  constructor(
    readonly service: string,
    readonly dir: string,
  ) {
    this.snapshotPath = join(dir, 'snapshot');
  }

  journalPath(generation: number): string {
    return join(this.dir, `journal-${generation}`);
  }

  /** The generations of the journals there, ascending. */
  private journals(): number[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    return names.flatMap((n) => (JOURNAL.test(n) ? [Number(JOURNAL.exec(n)![1])] : [])).sort((a, b) => a - b);
  }

  /** Whether a snapshot or a journal is there. */
  hasSaved(): boolean {
    return existsSync(this.snapshotPath) || this.journals().length > 0;
  }

  private readSnapshot(): { generation: number; body: readonly string[]; bytes: number } | undefined {
    const data = readIfExists(this.snapshotPath);
    if (!data) return undefined;
    const what = `${this.service}'s snapshot ${this.snapshotPath}`;
    const framed = unframe(data);
    if (framed.droppedBytes > 0) throw new StateFileError(`${what} is damaged at byte ${framed.validBytes} (${framed.problem})`, 'corrupt');
    const { header: h, body } = checkSnapshot(framed.records, what);
    if (h.service !== this.service) throw new StateFileError(`${what} holds the state of '${h.service}'`, 'corrupt');
    return { generation: h.generation, body, bytes: data.length };
  }

  /** Reads every file without applying it (strict loading at boot); throws StateFileError. */
  verify(): void {
    this.readSnapshot();
    for (const generation of this.journals()) {
      const first = unframe(readFileSync(this.journalPath(generation))).records[0];
      if (first !== undefined) parseHeader(first, 'journal', `${this.service}'s journal ${this.journalPath(generation)}`);
    }
  }

  /**
   * Applies the saved state onto the service's stores (empty when called). Throws
   * StateFileError for files it cannot use; the stores may then hold part of them.
   */
  load(state: ServiceState): LoadReport {
    this.closeJournal(); // (after writing what is queued: it was acknowledged)
    this.epoch++;
    this.pending = false;
    for (const name of existsSync(this.dir) ? readdirSync(this.dir) : []) if (name.endsWith('.tmp')) rmSync(join(this.dir, name), { force: true });
    const unknown = new Set<string>();
    const snapshot = this.readSnapshot();
    let found = snapshot !== undefined;
    if (snapshot) {
      try {
        for (const name of applySnapshot(state, snapshot.body, `${this.service}'s snapshot ${this.snapshotPath}`)) unknown.add(name);
      } catch (error) {
        throw corrupt(`${this.service}'s snapshot ${this.snapshotPath}`, error);
      }
    }
    const generation = snapshot?.generation ?? 0;
    let expected = generation;
    let droppedBytes = 0;
    let problem: string | undefined;
    let replayed = 0;
    let journalBytes = 0;
    for (const g of this.journals()) {
      const path = this.journalPath(g);
      // older than the snapshot: a compaction finished but for removing it
      if (g < generation) {
        unlinkSync(path);
        continue;
      }
      const what = `${this.service}'s journal ${path}`;
      if (g !== expected) throw new StateFileError(`${what} does not continue snapshot ${generation}${expected > generation ? ` and journal ${expected - 1}` : ''}`, 'corrupt');
      const framed = unframe(readFileSync(path));
      found = true;
      if (framed.droppedBytes > 0) {
        droppedBytes += framed.droppedBytes;
        problem = framed.problem;
      }
      if (framed.records.length === 0) {
        unlinkSync(path); // not even its header was written whole: nothing was committed to it
        continue;
      }
      const h = parseHeader(framed.records[0], 'journal', what);
      if (h.generation !== g) throw new StateFileError(`${what} says it is journal ${h.generation}`, 'corrupt');
      let result;
      try {
        result = applyJournal(state, framed.records.slice(1), unknown);
      } catch (error) {
        throw corrupt(what, error);
      }
      if (result.failedAt !== undefined) throw new StateFileError(`${what}: record ${result.failedAt + 1} is not a list of changes`, 'corrupt');
      replayed += result.applied;
      // later records go after the last whole one
      if (framed.droppedBytes > 0) truncateSync(path, framed.validBytes);
      journalBytes = framed.validBytes;
      expected = g + 1;
    }
    this.generation = generation;
    this.journalGeneration = Math.max(generation, expected - 1);
    if (existsSync(this.journalPath(this.journalGeneration))) this.journalFd = openSync(this.journalPath(this.journalGeneration), 'a');
    this.journalBytes = this.journalFd === undefined ? 0 : journalBytes;
    this.snapshotBytes = snapshot?.bytes ?? 0;
    this.synced = true;
    this.dirty = false;
    return { found, droppedBytes, problem, replayed, unknownStores: [...unknown] };
  }

  /** Records waiting for writePending() (the requests that complete together share one write). */
  private pendingText = '';

  /** Queues one journal record; writePending() writes what is queued. */
  append(payload: string): void {
    this.pendingText += frame(payload);
  }

  /** Whether records are queued. */
  get hasPending(): boolean {
    return this.pendingText.length > 0;
  }

  /** Writes the queued records to the journal (the header first, on a new journal), in one write(2). */
  writePending(): void {
    if (this.pendingText.length === 0) return;
    const text = this.pendingText;
    this.pendingText = '';
    if (this.journalFd === undefined) {
      mkdirSync(this.dir, { recursive: true });
      this.journalFd = openSync(this.journalPath(this.journalGeneration), 'w');
      this.journalBytes = writeSync(this.journalFd, frame(header('journal', this.service, this.journalGeneration)));
      // the new file's name must reach the disk too (for a power loss; a kill never loses it)
      fsyncPath(this.dir, () => undefined);
    }
    this.journalBytes += writeSync(this.journalFd, text);
    this.unsynced = true;
  }

  /**
   * Takes a snapshot of the service's whole state now and starts the next journal. With
   * `durable` 'now' the snapshot is on disk when this returns; with 'background' it is
   * fsynced and put in place later, off the event loop (compaction, scheduled saves).
   */
  writeSnapshot(state: ServiceState, durable: 'now' | 'background' = 'now'): void {
    // what is queued goes to the journal it belongs to (the snapshot covers it as well)
    this.writePending();
    mkdirSync(this.dir, { recursive: true });
    const next = this.journalGeneration + 1;
    // named by epoch too: a background save of an older epoch removes its own file, never this one
    const temp = join(this.dir, `snapshot-${next}.${this.epoch}.tmp`);
    const fd = openSync(temp, 'w');
    let bytes = 0;
    try {
      let pending = '';
      for (const record of snapshotRecords(state, next)) {
        pending += frame(record);
        if (pending.length >= WRITE_CHUNK) {
          bytes += writeSync(fd, pending);
          pending = '';
        }
      }
      if (pending) bytes += writeSync(fd, pending);
      // the rename must not reach the disk before the data does
      if (durable === 'now') fsyncSync(fd);
    } catch (error) {
      closeSync(fd);
      rmSync(temp, { force: true });
      throw error;
    }
    closeSync(fd);
    // the point in time: later changes go to the next journal
    this.closeJournal();
    this.journalGeneration = next;
    this.journalBytes = 0;
    this.snapshotBytes = bytes;
    this.synced = true;
    this.dirty = false;
    if (durable === 'now') {
      this.install(temp, next);
      return;
    }
    const epoch = this.epoch;
    this.pending = true;
    const current = () => epoch === this.epoch && this.generation < next;
    fsyncPath(temp, (error) => {
      if (error || !current()) {
        // replaced meanwhile (a reset, a newer snapshot), or not writable: the journals
        // still hold everything
        if (epoch === this.epoch) this.pending = false;
        rmSync(temp, { force: true });
        return;
      }
      try {
        renameSync(temp, this.snapshotPath);
      } catch {
        // the folder went away (or is not writable): the journals still hold everything
        if (epoch === this.epoch) this.pending = false;
        rmSync(temp, { force: true });
        return;
      }
      this.generation = next;
      // the older journals go once the rename is on disk too
      fsyncPath(this.dir, () => {
        if (epoch !== this.epoch) return;
        this.pending = false;
        this.dropJournalsBefore(next);
      });
    });
  }

  /** Puts a durable snapshot file in place and removes the journals it covers. */
  private install(temp: string, generation: number): void {
    renameSync(temp, this.snapshotPath);
    syncFolder(this.dir);
    this.generation = generation;
    this.dropJournalsBefore(generation);
  }

  private dropJournalsBefore(generation: number): void {
    for (const g of this.journals()) if (g < generation) rmSync(this.journalPath(g), { force: true });
  }

  /** Starts the journal's sync to disk, if it has unsynced writes (asynchronous, best effort). */
  sync(): void {
    if (!this.unsynced || this.journalFd === undefined) return;
    this.unsynced = false;
    fdatasync(this.journalFd, () => undefined);
  }

  /** Removes the snapshot, journals and anything moved aside (not the asset folders). */
  reset(): void {
    this.pendingText = ''; // (replaced: what was queued is moot)
    this.closeJournal();
    this.epoch++;
    this.pending = false;
    for (const name of existsSync(this.dir) ? readdirSync(this.dir) : []) if (name !== 'assets') rmSync(join(this.dir, name), { recursive: true, force: true });
    this.generation = 0;
    this.journalGeneration = 0;
    this.snapshotBytes = 0;
    this.journalBytes = 0;
    this.synced = true;
    this.dirty = false;
  }

  /** Moves the snapshot and journals into `unreadable-<time>/`; returns that folder. */
  moveAside(): string {
    this.pendingText = ''; // (replaced: what was queued is moot)
    this.closeJournal();
    this.epoch++;
    this.pending = false;
    const aside = join(this.dir, `unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    mkdirSync(aside, { recursive: true });
    if (existsSync(this.snapshotPath)) renameSync(this.snapshotPath, join(aside, 'snapshot'));
    for (const g of this.journals()) renameSync(this.journalPath(g), join(aside, `journal-${g}`));
    this.generation = 0;
    this.journalGeneration = 0;
    this.snapshotBytes = 0;
    this.journalBytes = 0;
    this.synced = true;
    return aside;
  }

  /** Writes what is queued and closes the journal. */
  closeJournal(): void {
    this.writePending();
    if (this.journalFd === undefined) return;
    const fd = this.journalFd;
    this.journalFd = undefined;
    closeSync(fd);
  }
}

/** fsync of a file or folder by path, off the event loop. */
function fsyncPath(path: string, done: (error: Error | null) => void): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    done(error as Error);
    return;
  }
  fsync(fd, (error) => {
    closeSync(fd);
    done(error);
  });
}

/** Makes a rename in a folder durable (best effort: not every platform can open a folder). */
function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // a rename that is not yet durable is still atomic
  }
}
