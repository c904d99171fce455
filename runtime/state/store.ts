/**
 * State stores: every piece of a provider's state lives in one of these, declared to the
 * runtime (see service-state.ts), so that reset, persistence and export reach all of it
 * without code of the service's own.
 *
 *   AccountRegionStore<T>  one T per (account, region): most resources
 *   AccountStore<T>        one T per account, shared by all regions (IAM, STS sessions)
 *   GlobalStore<T>         one T for the whole runtime: what AWS shares across accounts and
 *                          regions (S3 bucket names)
 *
 * A store is a tree of plain data (see codec.ts for what that may hold). Records keyed by
 * user input are null-prototype objects (`record()`), so that a name like `__proto__` or
 * `toString` is data like any other.
 *
 * A provider that changes state says which part changed: `changed(accountId, region, 'parameters', name)`
 * marks the path of the value that changed (or was deleted); the runtime journals the value
 * found there when the request completes (before its response is sent), and a restart
 * replays the journal onto the last snapshot. A mark names an object's member, never an
 * array element (arrays shift: mark the array's owner instead). Marking a parent covers
 * its children. Tests run with STATE_AUDIT=1, which compares the state with what the journal
 * would restore after every request and fails the request when a change was not marked.
 */

/** Receives the paths a store marks as changed (the state manager). */
export interface ChangeSink {
  /** Whether marks are recorded at all (no persistence and no audit: they are not). */
  readonly recording: boolean;
  changed(store: Store, path: readonly string[]): void;
}

/** A record keyed by user input: no prototype, so every key is data. */
export function record<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

const IGNORE: ChangeSink = { recording: false, changed() {} };

/** What every store is to the runtime: a named tree of plain data, changed by path. */
export abstract class Store {
  private sink: ChangeSink = IGNORE;
  protected root: Record<string, unknown> = record();

  constructor(
    /** The service the state belongs to. */
    readonly service: string,
    /** The store's name, unique within the service (a file name in snapshots). */
    readonly name: string,
  ) {}

  /** Connects the store to the runtime that records its changes. */
  attach(sink: ChangeSink): void {
    this.sink = sink;
  }

  /** Marks the value at `path` (from the store's root) as changed or deleted. */
  protected mark(path: readonly string[]): void {
    if (this.sink.recording) this.sink.changed(this, path);
  }

  /** The whole tree, live (the runtime encodes it for a snapshot or an export). */
  data(): unknown {
    return this.root;
  }

  /** Replaces the whole tree (loading a snapshot or an import). */
  replace(data: unknown): void {
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error(`${this.service}/${this.name}: a store's data is an object`);
    this.root = data as Record<string, unknown>;
  }

  /** Empties the store. */
  reset(): void {
    this.root = record();
  }

  /** The value at a path, or undefined. */
  valueAt(path: readonly string[]): unknown {
    let node: unknown = this.root;
    for (const key of path) {
      if (node === null || typeof node !== 'object') return undefined;
      if (!Object.prototype.hasOwnProperty.call(node, key)) return undefined;
      node = (node as Record<string, unknown>)[key];
    }
    return node;
  }

  /**
   * Sets (or, with `present` false, deletes) the value at a path: a journal entry replayed.
   * Missing parents are created as records.
   */
  apply(path: readonly string[], present: boolean, value?: unknown): void {
    if (path.length === 0) {
      if (present) this.replace(value);
      else this.reset();
      return;
    }
    let node = this.root as Record<string, unknown>;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i]!;
      let next = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
      if (next === null || typeof next !== 'object') {
        if (!present) return; // deleting under a parent that is gone: nothing to do
        next = record();
        define(node, key, next);
      }
      node = next as Record<string, unknown>;
    }
    const last = path[path.length - 1]!;
    if (present) define(node, last, value);
    else delete node[last];
  }
}

/** Sets a member without going through a `__proto__` setter. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/** One value of T per (account, region), created on first use. */
export class AccountRegionStore<T extends object> extends Store {
  constructor(
    service: string,
    name: string,
    private readonly create: () => T,
  ) {
    super(service, name);
  }

  /** The state of one account in one region (created, and recorded, on first use). */
  get(accountId: string, region: string): T {
    const regions = (this.root[accountId] as Record<string, T> | undefined) ?? (this.root[accountId] = record<T>());
    let state = regions[region];
    if (state === undefined) {
      state = regions[region] = this.create();
      this.mark([accountId, region]);
    }
    return state;
  }

  /** The state of one account in one region if it has any, without creating it. */
  peek(accountId: string, region: string): T | undefined {
    return (this.root[accountId] as Record<string, T> | undefined)?.[region];
  }

  /** Marks a part of one (account, region)'s state as changed: `changed(a, r, 'parameters', name)`. */
  changed(accountId: string, region: string, ...path: string[]): void {
    this.mark([accountId, region, ...path]);
  }

  /** Every (account, region) that has state. */
  *entries(): IterableIterator<[accountId: string, region: string, state: T]> {
    for (const accountId of Object.keys(this.root)) {
      const regions = this.root[accountId] as Record<string, T>;
      for (const region of Object.keys(regions)) yield [accountId, region, regions[region]!];
    }
  }
}

/** One value of T per account, shared by all regions (IAM, STS sessions). */
export class AccountStore<T extends object> extends Store {
  constructor(
    service: string,
    name: string,
    private readonly create: () => T,
  ) {
    super(service, name);
  }

  get(accountId: string): T {
    let state = this.root[accountId] as T | undefined;
    if (state === undefined) {
      state = this.root[accountId] = this.create();
      this.mark([accountId]);
    }
    return state;
  }

  peek(accountId: string): T | undefined {
    return this.root[accountId] as T | undefined;
  }

  /** Marks a part of one account's state as changed: `changed(a, 'sessions', keyId)`. */
  changed(accountId: string, ...path: string[]): void {
    this.mark([accountId, ...path]);
  }

  *entries(): IterableIterator<[accountId: string, state: T]> {
    for (const accountId of Object.keys(this.root)) yield [accountId, this.root[accountId] as T];
  }
}

/** One T for the whole runtime, across accounts and regions (S3's bucket namespace). */
export class GlobalStore<T extends object> extends Store {
  constructor(
    service: string,
    name: string,
    private readonly create: () => T,
  ) {
    super(service, name);
    this.root = create() as Record<string, unknown>;
  }

  get(): T {
    return this.root as T;
  }

  /** Marks a part of the state as changed: `changed('buckets', name)`. */
  changed(...path: string[]): void {
    this.mark(path);
  }

  override reset(): void {
    this.root = this.create() as Record<string, unknown>;
  }
}
