/**
 * One service's folder under `<volume>/state/<service>/`:
 *
 *   snapshot         the stores at one point (records.ts), replaced atomically (temp + rename)
 *   journal          the changes since that snapshot, one record per committed request
 *   assets/<name>/   the service's asset folders (S3 bodies), written in place by the provider
 *   unreadable-<ts>/ a snapshot and journal that could not be read, moved aside (never deleted)
 *
 * Appends to the journal are plain write(2)s: once one returns, the record is in the
 * kernel's page cache and survives the process being killed; the backend syncs it to the
 * disk about once a second (a power loss can take the last second of writes).
 */
import { closeSync, existsSync, fdatasync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, truncateSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceState } from '../service-state.js';
import { frame, unframe } from './framing.js';
import { applyJournal, applySnapshot, checkSnapshot, header, parseHeader, snapshotRecords, StateFileError } from './records.js';

/** Snapshot records are written in pieces of about this many bytes. */
const WRITE_CHUNK = 1 << 20;

/** What loading found, for the backend to log. */
export interface LoadReport {
  /** Whether any saved state was there. */
  readonly found: boolean;
  /** Bytes of an incomplete record dropped from the journal's end (a write cut short). */
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

export class ServiceFiles {
  readonly snapshotPath: string;
  readonly journalPath: string;
  /** The generation of the snapshot on disk (0: none); the journal applies onto it. */
  generation = 0;
  /** Whether the files hold exactly what the service's stores held at the last commit. */
  synced = false;
  /** Whether the stores changed since the files were last written in full. */
  dirty = false;
  snapshotBytes = 0;
  journalBytes = 0;
  /** Journal bytes written since the last sync to disk. */
  unsynced = false;
  private journalFd: number | undefined;

  constructor(
    readonly service: string,
    readonly dir: string,
  ) {
    this.snapshotPath = join(dir, 'snapshot');
    this.journalPath = join(dir, 'journal');
  }

  /** Whether a snapshot or a journal is there. */
  hasSaved(): boolean {
    return existsSync(this.snapshotPath) || existsSync(this.journalPath);
  }

  /**
   * Applies the saved state onto the service's stores (empty when called). Throws
   * StateFileError for files it cannot use; the stores may then hold part of them.
   */
  load(state: ServiceState): LoadReport {
    this.closeJournal();
    const unknown = new Set<string>();
    let generation = 0;
    let found = false;
    const snapshot = readIfExists(this.snapshotPath);
    if (snapshot) {
      found = true;
      const what = `${this.service}'s snapshot ${this.snapshotPath}`;
      const framed = unframe(snapshot);
      if (framed.droppedBytes > 0) throw new StateFileError(`${what} is damaged at byte ${framed.validBytes} (${framed.problem})`, 'corrupt');
      const { header: h, body } = checkSnapshot(framed.records, what);
      if (h.service !== this.service) throw new StateFileError(`${what} holds the state of '${h.service}'`, 'corrupt');
      try {
        for (const name of applySnapshot(state, body, what)) unknown.add(name);
      } catch (error) {
        if (error instanceof StateFileError) throw error;
        throw new StateFileError(`${what} holds a value that cannot be restored (${(error as Error).message})`, 'corrupt');
      }
      generation = h.generation;
      this.snapshotBytes = snapshot.length;
    }
    let droppedBytes = 0;
    let problem: string | undefined;
    let replayed = 0;
    const journal = readIfExists(this.journalPath);
    if (journal && journal.length > 0) {
      found = true;
      const what = `${this.service}'s journal ${this.journalPath}`;
      const framed = unframe(journal);
      ({ droppedBytes, problem } = framed);
      if (framed.records.length === 0) {
        // not even the header was written whole: nothing was ever committed to it
        unlinkSync(this.journalPath);
      } else {
        const h = parseHeader(framed.records[0], 'journal', what);
        if (h.generation === generation) {
          let result;
          try {
            result = applyJournal(state, framed.records.slice(1), unknown);
          } catch (error) {
            throw new StateFileError(`${what} holds a value that cannot be restored (${(error as Error).message})`, 'corrupt');
          }
          if (result.failedAt !== undefined) throw new StateFileError(`${what}: record ${result.failedAt + 1} is not a list of changes`, 'corrupt');
          replayed = result.applied;
          // later records go after the last whole one
          if (droppedBytes > 0) truncateSync(this.journalPath, framed.validBytes);
          this.journalFd = openSync(this.journalPath, 'a');
          this.journalBytes = framed.validBytes;
        } else if (h.generation < generation) {
          // a compaction wrote the snapshot and stopped before removing this journal: all of
          // it is in the snapshot already
          unlinkSync(this.journalPath);
          droppedBytes = 0;
        } else {
          throw new StateFileError(`${what} continues snapshot ${h.generation}, but the snapshot there is ${generation === 0 ? 'missing' : `number ${generation}`}`, 'corrupt');
        }
      }
    }
    this.generation = generation;
    this.synced = true;
    this.dirty = false;
    return { found, droppedBytes, problem, replayed, unknownStores: [...unknown] };
  }

  /** Appends one journal record (the header first, on a new journal). */
  append(payload: string): void {
    if (this.journalFd === undefined) {
      mkdirSync(this.dir, { recursive: true });
      this.journalFd = openSync(this.journalPath, 'w');
      this.journalBytes = writeSync(this.journalFd, frame(header('journal', this.service, this.generation)));
    }
    this.journalBytes += writeSync(this.journalFd, frame(payload));
    this.unsynced = true;
  }

  /** Writes the service's whole state as the next snapshot and drops the journal it covers. */
  writeSnapshot(state: ServiceState): void {
    mkdirSync(this.dir, { recursive: true });
    const next = this.generation + 1;
    const temp = `${this.snapshotPath}.tmp`;
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
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.snapshotPath);
    syncFolder(this.dir);
    this.generation = next;
    this.snapshotBytes = bytes;
    this.closeJournal();
    rmSync(this.journalPath, { force: true });
    this.journalBytes = 0;
    this.synced = true;
    this.dirty = false;
  }

  /** Starts the journal's sync to disk, if it has unsynced writes (asynchronous, best effort). */
  sync(): void {
    if (!this.unsynced || this.journalFd === undefined) return;
    this.unsynced = false;
    fdatasync(this.journalFd, () => undefined);
  }

  /** Removes the snapshot, journal and anything moved aside (not the asset folders). */
  reset(): void {
    this.closeJournal();
    let names: string[] = [];
    try {
      names = readdirSync(this.dir);
    } catch {
      // no folder: nothing saved
    }
    for (const name of names) if (name !== 'assets') rmSync(join(this.dir, name), { recursive: true, force: true });
    this.generation = 0;
    this.snapshotBytes = 0;
    this.journalBytes = 0;
    this.synced = true;
    this.dirty = false;
  }

  /** Moves the snapshot and journal into `unreadable-<time>/`; returns that folder. */
  moveAside(): string {
    this.closeJournal();
    const aside = join(this.dir, `unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    mkdirSync(aside, { recursive: true });
    for (const path of [this.snapshotPath, this.journalPath]) {
      if (existsSync(path)) renameSync(path, join(aside, path === this.snapshotPath ? 'snapshot' : 'journal'));
    }
    this.generation = 0;
    this.snapshotBytes = 0;
    this.journalBytes = 0;
    this.synced = true;
    return aside;
  }

  closeJournal(): void {
    if (this.journalFd === undefined) return;
    const fd = this.journalFd;
    this.journalFd = undefined;
    closeSync(fd);
  }
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
