/**
 * State stores keyed by account and region. A store holds plain, JSON-serializable data
 * only (records, arrays, strings, numbers, booleans, ISO dates as strings), so that
 * persistence, snapshots and reset need no knowledge of any service.
 */

/** One value of T per (account, region), created on first use. */
export class AccountRegionStore<T extends object> {
  private data: Record<string, Record<string, T>> = Object.create(null);

  constructor(
    /** The service this state belongs to (for snapshots). */
    readonly service: string,
    private readonly create: () => T,
  ) {}

  /** The state of one account in one region. */
  get(accountId: string, region: string): T {
    const regions = (this.data[accountId] ??= Object.create(null) as Record<string, T>);
    return (regions[region] ??= this.create());
  }

  /** Every (account, region) that has state. */
  *entries(): IterableIterator<[accountId: string, region: string, state: T]> {
    for (const [accountId, regions] of Object.entries(this.data)) {
      for (const [region, state] of Object.entries(regions)) yield [accountId, region, state];
    }
  }

  reset(): void {
    this.data = Object.create(null);
  }

  /** A deep copy of the whole store as plain JSON. */
  snapshot(): Record<string, Record<string, T>> {
    return JSON.parse(JSON.stringify(this.data)) as Record<string, Record<string, T>>;
  }

  restore(snapshot: Record<string, Record<string, T>>): void {
    this.data = Object.assign(Object.create(null), JSON.parse(JSON.stringify(snapshot)));
  }
}

/** One value of T per account, shared by all regions (e.g. STS sessions, global names). */
export class AccountStore<T extends object> {
  private data: Record<string, T> = Object.create(null);

  constructor(
    readonly service: string,
    private readonly create: () => T,
  ) {}

  get(accountId: string): T {
    return (this.data[accountId] ??= this.create());
  }

  *entries(): IterableIterator<[accountId: string, state: T]> {
    yield* Object.entries(this.data);
  }

  reset(): void {
    this.data = Object.create(null);
  }

  snapshot(): Record<string, T> {
    return JSON.parse(JSON.stringify(this.data)) as Record<string, T>;
  }

  restore(snapshot: Record<string, T>): void {
    this.data = Object.assign(Object.create(null), JSON.parse(JSON.stringify(snapshot)));
  }
}
