/**
 * The delivery queue (ProviderContext.deliveries): asynchronous calls one service makes to
 * another on its own schedule (S3 event notifications now; SNS subscriptions, EventBridge
 * targets, Lambda event sources next). A provider hands over a delivery and returns at once:
 *
 *   context.deliveries.deliver({ service: 'sqs', operation: 'SendMessage', input: { QueueUrl, MessageBody },
 *     caller: { accountId, region, principal: 's3.amazonaws.com' }, source: 's3 notification my-bucket' });
 *
 * and the queue runs it through the in-process client (client.ts), so the target is started
 * if it has not been, its input checked, its state flushed, exactly as for any call.
 *
 *   - Retries: a failure worth retrying (a 5xx, a throttling error, a target that is
 *     starting or restarting, a crash) is retried after a backoff (100 ms doubling to 10 s)
 *     up to `maxAttempts` (8 by default); a client error (4xx) is not: the delivery is
 *     dropped with one warning naming its source, as is one out of attempts.
 *   - Ordering where AWS promises it: deliveries with the same `orderingKey` (a FIFO queue's
 *     message group, a shard) run one at a time in the order given, a retry holding back
 *     those behind it; deliveries without one run concurrently (at most 32 at a time).
 *   - Nothing dropped: pending deliveries live in a store declared through the state system
 *     (pseudo-service `deliveries`, store `pending`), so reset empties them, persistence keeps
 *     them across restarts and export carries them; `resume()` picks up what a restore
 *     brought. At shutdown the runtime drains the queue (bounded by SHUTDOWN_TIMEOUT) before
 *     it stops services; what is left stays in the store.
 *   - Deliveries to a service without a provider, or disabled by SERVICES, are dropped with
 *     one warning each.
 *   - A delivery may name another to make in its place when it fails for good (`onFailure`:
 *     dropped as not retryable, out of attempts, or no provider for its service): an SNS
 *     subscription's dead-letter queue, a Lambda function's on-failure destination. It is
 *     queued like any delivery (and kept with the pending one, so a restart keeps it too).
 *
 * `idle()` resolves when nothing is pending: tests await it instead of sleeping.
 */
import { ServiceError } from '../aws/errors.js';
import { logger, type Logger } from '../logger.js';
import type { OwnedScheduler, RuntimeScheduler, Timer } from '../scheduler.js';
import { cloneState, type StateValue } from '../state/codec.js';
import type { StateManager } from '../state/manager.js';
import { record, type GlobalStore } from '../state/store.js';
import type { CallOptions, ServiceClient } from './client.js';

/** One asynchronous call to make. Input and caller must be plain data (they are persisted). */
export interface Delivery {
  readonly service: string;
  readonly operation: string;
  readonly input: Record<string, unknown>;
  readonly caller: CallOptions;
  /** Deliveries with the same key run one at a time, in order (FIFO groups, shards). */
  readonly orderingKey?: string;
  /** Attempts before giving up (default 8). */
  readonly maxAttempts?: number;
  /** Who asked, for the logs: `s3 notification my-bucket -> arn:aws:sqs:...`. */
  readonly source: string;
  /** Queued in this one's place if it fails for good (a dead-letter queue); plain data too. */
  readonly onFailure?: Delivery;
}

/** What providers enqueue with (ProviderContext.deliveries). */
export interface DeliverySink {
  /** Queues a delivery; returns at once (the queue runs it asynchronously). */
  deliver(delivery: Delivery): void;
}

/** A delivery as the store keeps it. */
interface StoredDelivery {
  seq: number;
  service: string;
  operation: string;
  input: Record<string, unknown>;
  caller: { accountId: string; region: string; principal?: string };
  orderingKey?: string;
  maxAttempts: number;
  source: string;
  onFailure?: Delivery;
}

interface Pending {
  /** The next sequence number (so a restart goes on after the last one). */
  next: number;
  items: Record<string, StoredDelivery>;
}

export interface DeliveryQueueOptions {
  readonly client: ServiceClient;
  readonly state: StateManager;
  readonly scheduler: RuntimeScheduler;
  readonly log?: Logger;
  /** The wait before attempt `n + 1` after `n` failed ones. */
  readonly backoff?: (failedAttempts: number) => number;
  /** Deliveries running at once (ordered lanes count one each). */
  readonly concurrency?: number;
}

/** The default backoff: 100 ms, doubling, at most 10 s. */
export function defaultBackoff(failedAttempts: number): number {
  return Math.min(100 * 2 ** (failedAttempts - 1), 10_000);
}

/** Error codes the AWS SDKs retry as throttling (@smithy/service-error-classification). */
const THROTTLING = new Set([
  'BandwidthLimitExceeded', 'EC2ThrottledException', 'LimitExceededException', 'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException',
  'SlowDown', 'ThrottledException', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'TransactionInProgressException',
]);

/** Whether a failed delivery is worth another attempt (the SDKs' rule, 501 aside). */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ServiceError)) return true; // a crash: the gateway would have answered 500
  if (error.status === 501) return false; // not implemented: no retry will change that
  return error.status >= 500 || error.status === 429 || THROTTLING.has(error.code);
}

const DEFAULT_ATTEMPTS = 8;

type LaneState = 'queued' | 'running' | 'waiting';

export class DeliveryQueue implements DeliverySink {
  private readonly log: Logger;
  private readonly backoff: (n: number) => number;
  private readonly concurrency: number;
  private store: GlobalStore<Pending> | undefined;
  private nextSeq = 0;
  /** Delivery ids per lane (an ordering key, or one lane per unordered delivery), in order. */
  private readonly lanes = new Map<string, string[]>();
  private readonly laneStates = new Map<string, LaneState>();
  private ready: string[] = [];
  private running = 0;
  private readonly attempts = new Map<string, number>();
  private readonly retries = new Set<Timer>();
  private timers: OwnedScheduler | undefined;
  private closed = false;
  private draining = false;
  private waiters: Array<() => void> = [];

  constructor(private readonly options: DeliveryQueueOptions) {
    this.log = options.log ?? logger('deliveries');
    this.backoff = options.backoff ?? defaultBackoff;
    this.concurrency = options.concurrency ?? 32;
  }

  /** Declares the store (once) and runs what it holds: at start, and after a restore. */
  resume(): void {
    const store = this.pending();
    const data = store.get();
    const items = Object.entries(data.items).sort(([, a], [, b]) => a.seq - b.seq);
    for (const [, item] of items) this.nextSeq = Math.max(this.nextSeq, item.seq + 1);
    this.nextSeq = Math.max(this.nextSeq, data.next);
    const queued = new Set([...this.lanes.values()].flat());
    for (const [id, item] of items) if (!queued.has(id)) this.enqueue(id, item);
  }

  deliver(delivery: Delivery): void {
    const store = this.pending();
    const seq = this.nextSeq++;
    const id = `d${seq}`;
    const item: StoredDelivery = {
      seq,
      service: delivery.service,
      operation: delivery.operation,
      // a copy, refused now if it is not plain data: it must survive a snapshot as it is
      input: cloneState(delivery.input as StateValue) as Record<string, unknown>,
      caller: { accountId: delivery.caller.accountId, region: delivery.caller.region, ...(delivery.caller.principal ? { principal: delivery.caller.principal } : {}) },
      maxAttempts: Math.max(1, delivery.maxAttempts ?? DEFAULT_ATTEMPTS),
      source: delivery.source,
      ...(delivery.orderingKey !== undefined ? { orderingKey: delivery.orderingKey } : {}),
      ...(delivery.onFailure !== undefined ? { onFailure: cloneState(delivery.onFailure as unknown as StateValue) as unknown as Delivery } : {}),
    };
    const data = store.get();
    data.items[id] = item;
    data.next = this.nextSeq;
    store.changed('items', id);
    store.changed('next');
    this.enqueue(id, item);
  }

  /** Deliveries not done yet (running, waiting for a retry, or queued). */
  get size(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.length;
    return n;
  }

  /** Resolves once nothing is pending (tests; the shutdown drain). */
  idle(): Promise<void> {
    if (this.lanes.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Waits up to `timeoutMs` (real time: this runs at shutdown, whatever the clock) for the
   * queue to empty, then stops running deliveries; returns how many are left (kept in the
   * store).
   */
  async drain(timeoutMs: number): Promise<number> {
    this.draining = true;
    if (this.lanes.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      // a ref'd timer: the drain itself keeps the process alive until it is done
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([this.idle(), timeout]);
      clearTimeout(timer);
    }
    this.close();
    const left = this.size;
    if (left > 0) this.log.warn(`${left} deliver${left === 1 ? 'y' : 'ies'} not done at shutdown, kept with the state (lost unless PERSISTENCE is on)`);
    return left;
  }

  /** Where the queue is in a shutdown: running, draining (waiting to be idle), or closed. */
  get phase(): 'running' | 'draining' | 'closed' {
    return this.closed ? 'closed' : this.draining ? 'draining' : 'running';
  }

  /** Runs nothing more: retries are cancelled, what is pending stays in the store. */
  close(): void {
    this.closed = true;
    for (const timer of this.retries) timer.cancel();
    this.retries.clear();
    this.timers?.cancelAll();
  }

  private pending(): GlobalStore<Pending> {
    if (!this.store || this.options.state.of('deliveries')?.store('pending') !== this.store) {
      const declared = this.options.state.of('deliveries') ?? this.options.state.service('deliveries');
      this.store = (declared.store('pending') as GlobalStore<Pending> | undefined) ?? declared.global<Pending>('pending', () => ({ next: 0, items: record<StoredDelivery>() }));
      // saved deliveries (PERSISTENCE=1) come back whatever the load strategy: they are work
      // the runtime owes, not state a user loads
      this.options.state.load('deliveries', true);
    }
    return this.store;
  }

  private enqueue(id: string, item: StoredDelivery): void {
    const key = item.orderingKey !== undefined ? `k:${item.orderingKey}` : `u:${id}`;
    const lane = this.lanes.get(key);
    if (lane) lane.push(id);
    else this.lanes.set(key, [id]);
    if (!this.laneStates.has(key)) this.queueLane(key);
  }

  private queueLane(key: string): void {
    this.laneStates.set(key, 'queued');
    this.ready.push(key);
    this.pump();
  }

  private pump(): void {
    while (!this.closed && this.running < this.concurrency && this.ready.length > 0) {
      const key = this.ready.shift()!;
      this.laneStates.set(key, 'running');
      this.running++;
      void this.attempt(key)
        .catch((error: unknown) => this.log.error(`delivery lane failed: ${(error as Error)?.message ?? String(error)}`))
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }

  /** One attempt at the head of a lane; settles the lane's next step. */
  private async attempt(key: string): Promise<void> {
    const id = this.lanes.get(key)![0]!;
    const item = this.store?.get().items[id];
    if (!item) return this.advance(key, id); // reset (or done) meanwhile
    const status = this.options.client.status(item.service);
    if (status === undefined || status === 'disabled') {
      this.log.warn(`${item.source}: dropped, ${status === 'disabled' ? `service '${item.service}' is disabled (SERVICES)` : `no provider for '${item.service}'`}`);
      this.failedForGood(item);
      return this.finish(key, id);
    }
    const attempts = (this.attempts.get(id) ?? 0) + 1;
    this.attempts.set(id, attempts);
    try {
      // a copy: the handler owns its input, the stored one must stay as it was marked
      await this.options.client.call(item.service, item.operation, cloneState(item.input as StateValue) as Record<string, unknown>, item.caller);
    } catch (error) {
      if (this.closed) return; // shutting down: it stays in the store
      const what = error instanceof ServiceError ? `${error.code}: ${error.message}` : (error as Error)?.message ?? String(error);
      if (isRetryable(error) && attempts < item.maxAttempts) {
        this.log.debug(`${item.source}: ${item.service}.${item.operation} failed (${what}), attempt ${attempts} of ${item.maxAttempts}`);
        this.laneStates.set(key, 'waiting');
        this.timers ??= this.options.scheduler.owner('deliveries', this.log);
        const timer = this.timers.after(this.backoff(attempts), () => {
          this.retries.delete(timer);
          if (!this.closed) this.queueLane(key);
        });
        this.retries.add(timer);
        return;
      }
      const why = isRetryable(error) ? `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}` : 'not retried';
      this.log.warn(`${item.source}: ${item.service}.${item.operation} failed (${what}); dropped, ${why}${item.onFailure ? `; handed to ${item.onFailure.source}` : ''}`);
      this.failedForGood(item);
    }
    this.finish(key, id);
  }

  /** Queues what a delivery that failed for good names in its place, if anything. */
  private failedForGood(item: StoredDelivery): void {
    if (item.onFailure) this.deliver(item.onFailure);
  }

  /** The head of a lane is done (delivered or dropped): out of the store, on to the next. */
  private finish(key: string, id: string): void {
    const store = this.store;
    if (store && store.get().items[id]) {
      delete store.get().items[id];
      store.changed('items', id);
    }
    this.advance(key, id);
  }

  private advance(key: string, id: string): void {
    this.attempts.delete(id);
    const lane = this.lanes.get(key)!;
    lane.shift();
    if (lane.length > 0) {
      this.laneStates.set(key, 'queued');
      this.ready.push(key);
      return;
    }
    this.lanes.delete(key);
    this.laneStates.delete(key);
    if (this.lanes.size === 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
