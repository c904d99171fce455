/**
 * Timed work for the whole runtime: visibility timeouts, TTLs, schedules, lifecycle passes,
 * delivery retries. Providers get a scheduler of their own (ProviderContext.scheduler) and a
 * clock (ProviderContext.clock); they never call setTimeout, setInterval or Date.now() for
 * timed behaviour, so that
 *   - stopping a provider cancels its timers (the service manager does it after stop()),
 *     and shutdown cancels every timer that is left: nothing fires into a stopped service;
 *   - no timer keeps the process alive (real timers are unref'd: the gateway's sockets are
 *     what keeps a runtime running, and shutdown never waits for a visibility timeout);
 *   - tests drive time: a ManualClock stands in for the real one and `advance(ms)` fires
 *     what is due, in order, with `now()` at each timer's due time.
 *
 *   TimeSource (systemTime | ManualClock)  when "now" is and how a callback is armed
 *   RuntimeScheduler                        the root: owns every timer, stop() at shutdown
 *     .owner('sqs') -> OwnedScheduler       one provider's timers, cancelAll() when it stops
 *
 * Process tests have no endpoint to move the clock: timed behaviour there is proven with
 * short real intervals (S3_LIFECYCLE_INTERVAL=1), and every rule that depends on the time is
 * unit-tested on a ManualClock, where a test can neither be slow nor flaky.
 */
import { logger, type Logger } from './logger.js';

/** What "now" is, in ms since the epoch. Timed behaviour asks this, never Date.now(). */
export interface Clock {
  now(): number;
}

/** A clock that can also arm a one-shot callback (the real one, or a manual one in tests). */
export interface TimeSource extends Clock {
  /** Calls `fn` once, `ms` from now; the result disarms it. */
  arm(ms: number, fn: () => void): () => void;
}

/** A scheduled piece of work. */
export interface Timer {
  /** Whether it will still fire (an `every` timer stays pending until cancelled). */
  readonly pending: boolean;
  cancel(): void;
}

/** What a provider schedules with (ProviderContext.scheduler). */
export interface Scheduler {
  readonly clock: Clock;
  /** Runs `fn` once after `ms`. An error it throws (or rejects with) is logged. */
  after(ms: number, fn: () => unknown): Timer;
  /**
   * Runs `fn` every `ms`: the next run is `ms` after the previous one finished (an async
   * `fn` is awaited), so runs never overlap. An error is logged and the timer goes on.
   */
  every(ms: number, fn: () => unknown): Timer;
}

/** setTimeout's largest delay; longer waits are re-armed in steps. */
const MAX_DELAY = 2 ** 31 - 1;

/** Real time: Date.now() and unref'd timers, so that no timer keeps the process alive. */
export const systemTime: TimeSource = {
  now: () => Date.now(),
  arm(ms, fn) {
    let handle: NodeJS.Timeout;
    const due = Date.now() + ms;
    const set = (wait: number) => {
      handle = setTimeout(() => {
        const left = due - Date.now();
        if (left > 0) set(left);
        else fn();
      }, Math.min(Math.max(wait, 0), MAX_DELAY));
      handle.unref();
    };
    set(ms);
    return () => clearTimeout(handle);
  },
};

interface ManualTimer {
  due: number;
  order: number;
  fn: () => void;
}

/**
 * A clock that moves only when told to (unit tests). `advance(ms)` fires every timer due
 * within the next `ms`, earliest first (equal times in the order they were armed), with
 * `now()` at each one's due time, letting promises settle between them, so that work a timer
 * starts and the timers that work arms within the window run too.
 */
export class ManualClock implements TimeSource {
  private current: number;
  private timers: ManualTimer[] = [];
  private armed = 0;

  constructor(start = Date.parse('2025-01-01T00:00:00.000Z')) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  arm(ms: number, fn: () => void): () => void {
    const timer: ManualTimer = { due: this.current + Math.max(ms, 0), order: this.armed++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Timers armed and not yet fired. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing what falls due (see the class comment). */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await settle();
      const next = this.timers.reduce<ManualTimer | undefined>((a, t) => (t.due <= target && (!a || t.due < a.due || (t.due === a.due && t.order < a.order)) ? t : a), undefined);
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = Math.max(this.current, next.due);
      next.fn();
    }
    this.current = target;
    await settle();
  }
}

/** Lets pending promise chains (and what they start in the same turn) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** The runtime's scheduler: owns every timer, cancels them all at shutdown. */
export class RuntimeScheduler implements Scheduler {
  readonly clock: Clock;
  private readonly live = new Set<TimerEntry>();
  private stopped = false;

  constructor(
    private readonly time: TimeSource = systemTime,
    private readonly log: Logger = logger('scheduler'),
  ) {
    this.clock = { now: () => time.now() };
  }

  after(ms: number, fn: () => unknown): Timer {
    return this.schedule(ms, fn, false, this.log, undefined);
  }

  every(ms: number, fn: () => unknown): Timer {
    return this.schedule(ms, fn, true, this.log, undefined);
  }

  /** A scheduler for one owner (a provider): its timers can be cancelled together. */
  owner(name: string, log: Logger = this.log): OwnedScheduler {
    return new OwnedScheduler(this, name, log);
  }

  /** Timers that will still fire. */
  get pending(): number {
    return this.live.size;
  }

  /** Cancels every timer; later ones are refused (inert). At shutdown. */
  stop(): void {
    this.stopped = true;
    for (const entry of [...this.live]) entry.cancel();
  }

  /** @internal Arms a timer for an owner (or the root). */
  schedule(ms: number, fn: () => unknown, repeat: boolean, log: Logger, owner: OwnedScheduler | undefined): Timer {
    const entry = new TimerEntry(this.time, this.live, fn, ms, repeat, log, owner);
    if (this.stopped || owner?.cancelled) return entry;
    entry.start();
    return entry;
  }
}

/** One owner's timers (ProviderContext.scheduler): cancelled together when it stops. */
export class OwnedScheduler implements Scheduler {
  readonly clock: Clock;
  /** @internal */
  readonly entries = new Set<TimerEntry>();
  /** @internal */
  cancelled = false;

  constructor(
    private readonly root: RuntimeScheduler,
    /** Who owns these timers (a service name), for logs. */
    readonly name: string,
    private readonly log: Logger,
  ) {
    this.clock = root.clock;
  }

  after(ms: number, fn: () => unknown): Timer {
    return this.root.schedule(ms, fn, false, this.log, this);
  }

  every(ms: number, fn: () => unknown): Timer {
    return this.root.schedule(ms, fn, true, this.log, this);
  }

  /** Timers of this owner that will still fire. */
  get pending(): number {
    return this.entries.size;
  }

  /** Cancels this owner's timers and refuses new ones (the provider stopped). */
  cancelAll(): void {
    this.cancelled = true;
    for (const entry of [...this.entries]) entry.cancel();
  }
}

class TimerEntry implements Timer {
  private disarm: (() => void) | undefined;
  private done = false;
  private running = false;

  constructor(
    private readonly time: TimeSource,
    private readonly live: Set<TimerEntry>,
    private readonly fn: () => unknown,
    private readonly ms: number,
    private readonly repeat: boolean,
    private readonly log: Logger,
    private readonly owner: OwnedScheduler | undefined,
  ) {}

  get pending(): boolean {
    return this.disarm !== undefined || this.running;
  }

  start(): void {
    this.live.add(this);
    this.owner?.entries.add(this);
    this.arm();
  }

  cancel(): void {
    this.done = true;
    this.disarm?.();
    this.disarm = undefined;
    this.live.delete(this);
    this.owner?.entries.delete(this);
  }

  private arm(): void {
    this.disarm = this.time.arm(this.ms, () => this.fire());
  }

  private fire(): void {
    this.disarm = undefined;
    if (this.done) return;
    if (!this.repeat) this.cancel();
    this.running = true;
    let result: unknown;
    try {
      result = this.fn();
    } catch (error) {
      this.failed(error);
    }
    if (result instanceof Promise) {
      result.catch((error: unknown) => this.failed(error)).finally(() => this.finished());
    } else {
      this.finished();
    }
  }

  private finished(): void {
    this.running = false;
    if (this.repeat && !this.done) this.arm();
  }

  private failed(error: unknown): void {
    const who = this.owner ? `${this.owner.name}: ` : '';
    this.log.warn(`${who}a timer failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
