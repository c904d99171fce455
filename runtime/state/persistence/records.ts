/**
 * What the state files hold, record by record (framing.ts frames each one):
 *
 *   snapshot   header, then the stores of one service, then an end record:
 *     {"kind":"snapshot","format":1,"codec":1,"service":"ssm","runtime":"0.1.0","generation":3,...}
 *     {"s":"parameters","p":[],"v":<encoded value>}          the value at a path of a store
 *     {"s":"parameters","p":["000000000000","us-east-1","parameters"],"m":[[key,<encoded>],...]}
 *                                                             members set under a path
 *     {"end":2}                                               the number of store records
 *   journal    header, then one record per committed request: the changes it made
 *     {"kind":"journal","format":1,"codec":1,"service":"ssm","generation":3}
 *     [["parameters",[path...],1,<encoded value>],["parameters",[path...],0]]
 *
 * A store is written as one record unless it is large: a wide record (100,000 parameters)
 * is cut into records of a few thousand members, so that no record, and no string in
 * memory, grows with the whole state. Values are in the codec's encoded form (codec.ts).
 * A journal applies onto the snapshot of the same generation; compaction writes generation
 * n+1 first and starts a new journal after, so a crash between the two leaves a journal that
 * is recognisably stale.
 */
import { decodeState, encodeState, STATE_FORMAT_VERSION } from '../codec.js';
import type { ServiceState } from '../service-state.js';
import type { StateChange } from '../manager.js';
import { VERSION } from '../../version.js';

/** Bumped when the files' layout changes; a reader refuses a newer one. */
export const PERSISTENCE_FORMAT_VERSION = 1;

/** About how many keys one record holds before a store is cut into several. */
const RECORD_KEYS = 4096;

/** The first record of a snapshot or a journal. */
export interface FileHeader {
  readonly kind: 'snapshot' | 'journal';
  /** PERSISTENCE_FORMAT_VERSION of the writer. */
  readonly format: number;
  /** STATE_FORMAT_VERSION of the writer. */
  readonly codec: number;
  readonly service: string;
  readonly generation: number;
  readonly runtime?: string;
  readonly savedAt?: string;
}

/** A file that cannot be used: damaged, or written by a newer version. */
export class StateFileError extends Error {
  constructor(
    message: string,
    readonly reason: 'corrupt' | 'newer',
  ) {
    super(message);
  }
}

export function header(kind: FileHeader['kind'], service: string, generation: number): string {
  const h: FileHeader = { kind, format: PERSISTENCE_FORMAT_VERSION, codec: STATE_FORMAT_VERSION, service, generation, runtime: VERSION, savedAt: new Date().toISOString() };
  return JSON.stringify(h);
}

/** Reads and checks a header record: its kind, and versions this runtime can read. */
export function parseHeader(payload: string | undefined, kind: FileHeader['kind'], what: string): FileHeader {
  let h: FileHeader;
  try {
    h = JSON.parse(payload ?? '') as FileHeader;
  } catch {
    throw new StateFileError(`${what} has no readable header`, 'corrupt');
  }
  if (h === null || typeof h !== 'object' || h.kind !== kind || typeof h.format !== 'number' || typeof h.generation !== 'number') {
    throw new StateFileError(`${what} has no valid ${kind} header`, 'corrupt');
  }
  if (h.format > PERSISTENCE_FORMAT_VERSION || (h.codec ?? 0) > STATE_FORMAT_VERSION) {
    throw new StateFileError(
      `${what} was written by a newer version (${h.runtime ? `localstack-ts ${h.runtime}, ` : ''}file format ${h.format}, state format ${h.codec}; this runtime reads up to ${PERSISTENCE_FORMAT_VERSION} and ${STATE_FORMAT_VERSION})`,
      'newer',
    );
  }
  return h;
}

function splittable(node: unknown): node is Record<string, unknown> {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return false;
  const proto = Object.getPrototypeOf(node) as unknown;
  return proto === null || proto === Object.prototype;
}

/** The number of keys and elements under a node, counted up to `cap` (then cap + 1). */
function weight(node: unknown, cap: number): number {
  if (node === null || typeof node !== 'object' || node instanceof Date || node instanceof Uint8Array) return 1;
  let n = 1;
  const values = Array.isArray(node) ? node : Object.values(node);
  for (const value of values) {
    n += weight(value, cap - n);
    if (n > cap) return cap + 1;
  }
  return n;
}

function* storeRecords(store: string, path: string[], node: unknown): Generator<string> {
  if (!splittable(node) || weight(node, RECORD_KEYS) <= RECORD_KEYS) {
    yield JSON.stringify({ s: store, p: path, v: encodeState(node) });
    return;
  }
  // the record itself, empty (with its prototype), then its members in batches
  yield JSON.stringify({ s: store, p: path, v: encodeState(Object.getPrototypeOf(node) === null ? Object.create(null) : {}) });
  let batch: [string, unknown][] = [];
  let batchWeight = 0;
  const flush = function* () {
    if (batch.length > 0) yield JSON.stringify({ s: store, p: path, m: batch });
    batch = [];
    batchWeight = 0;
  };
  for (const key of Object.keys(node)) {
    const member = node[key];
    if (member === undefined) continue;
    const w = weight(member, RECORD_KEYS);
    if (w > RECORD_KEYS && splittable(member)) {
      yield* flush();
      yield* storeRecords(store, [...path, key], member);
      continue;
    }
    batch.push([key, encodeState(member)]);
    batchWeight += w;
    if (batchWeight >= RECORD_KEYS) yield* flush();
  }
  yield* flush();
}

/**
 * Every record of a snapshot of one service's stores, header and end included. Encode them
 * all before the state can change again (the caller writes them in one synchronous pass,
 * or keeps them) to get one point in time.
 */
export function* snapshotRecords(state: ServiceState, generation: number): Generator<string> {
  yield header('snapshot', state.service, generation);
  let count = 0;
  for (const store of state.stores()) {
    for (const record of storeRecords(store.name, [], store.data())) {
      count++;
      yield record;
    }
  }
  yield JSON.stringify({ end: count });
}

/**
 * Checks a snapshot's records (header, end record) and returns its header and the store
 * records, still as text (parsed when applied).
 */
export function checkSnapshot(records: readonly string[], what: string): { header: FileHeader; body: readonly string[] } {
  const h = parseHeader(records[0], 'snapshot', what);
  let end: { end?: unknown } | undefined;
  try {
    end = records.length >= 2 ? (JSON.parse(records[records.length - 1]!) as { end?: unknown }) : undefined;
  } catch {
    end = undefined;
  }
  if (end?.end !== records.length - 2) throw new StateFileError(`${what} is incomplete (its end record is missing)`, 'corrupt');
  return { header: h, body: records.slice(1, -1) };
}

interface StoreRecord {
  s: string;
  p: string[];
  v?: unknown;
  m?: [string, unknown][];
}

function badRecord(what: string): StateFileError {
  return new StateFileError(`${what} holds a record that is not state`, 'corrupt');
}

/** Applies snapshot records onto a service's (empty) stores; returns the store names it did not know. */
export function applySnapshot(state: ServiceState, body: readonly string[], what: string): Set<string> {
  const unknown = new Set<string>();
  for (const text of body) {
    let r: StoreRecord;
    try {
      r = JSON.parse(text) as StoreRecord;
    } catch {
      throw badRecord(what);
    }
    if (typeof r?.s !== 'string' || !Array.isArray(r.p)) throw badRecord(what);
    const store = state.store(r.s);
    if (!store) {
      unknown.add(r.s);
      continue;
    }
    if ('v' in r) store.apply(r.p, true, decodeState(r.v));
    else if (Array.isArray(r.m)) for (const [key, value] of r.m) store.apply([...r.p, key], true, decodeState(value));
    else throw badRecord(what);
  }
  return unknown;
}

/** One journal record: the changes of one commit to one service. */
export function journalRecord(changes: readonly StateChange[]): string {
  const out = new Array<unknown>(changes.length);
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    out[i] = c.present ? [c.store, c.path, 1, c.value] : [c.store, c.path, 0];
  }
  return JSON.stringify(out);
}

/** Replays journal records onto a service's stores; stops (and says where) at one that is not a record of changes. */
export function applyJournal(state: ServiceState, records: readonly string[], unknown: Set<string>): { applied: number; failedAt?: number } {
  for (let i = 0; i < records.length; i++) {
    let changes: unknown;
    try {
      changes = JSON.parse(records[i]!);
    } catch {
      return { applied: i, failedAt: i };
    }
    if (!Array.isArray(changes)) return { applied: i, failedAt: i };
    for (const change of changes as unknown[]) {
      if (!Array.isArray(change) || typeof change[0] !== 'string' || !Array.isArray(change[1])) return { applied: i, failedAt: i };
      const store = state.store(change[0]);
      if (!store) {
        unknown.add(change[0]);
        continue;
      }
      store.apply(change[1] as string[], change[2] === 1, change[2] === 1 ? decodeState(change[3]) : undefined);
    }
  }
  return { applied: records.length };
}
