/**
 * POSTs to http/https subscribers, as SNS makes them: `Content-Type: text/plain; charset=UTF-8`,
 * the `x-amz-sns-message-type`, `x-amz-sns-message-id`, `x-amz-sns-topic-arn` (and, for a
 * subscription's messages, `x-amz-sns-subscription-arn`) headers, and `User-Agent:
 * Amazon Simple Notification Service Agent`.
 *
 * A POST that fails (no connection, a status outside 2xx) is tried again on the schedule of the
 * delivery policy (delivery-policy.ts: its four phases and backoff function), through the
 * provider's scheduler (a driven clock in tests). Each POST not delivered yet is kept in the
 * state (`httpPending`, per account and region) with its plan, its failures and when it is due
 * next, so that a restart with PERSISTENCE=1 picks the retries up where they were: `resume()`
 * (the provider's start and stateChanged) arms a timer for each, at once for one already due (a
 * POST in flight when the runtime stopped is sent again: at least once, as SNS promises). When
 * the retries run out the POST is dropped with a warning, or handed to the subscription's
 * dead-letter queue (`deadLetter`, queued on the runtime's delivery queue).
 *
 * The timers are derived from the state (the map below only remembers which are armed, so that
 * a reset or load can disarm them); every attempt reads its POST from the state again, so one
 * that a reset removed is never sent.
 */
import type { Delivery } from '../deliveries.js';
import type { ProviderContext } from '../provider.js';
import type { Timer } from '../../scheduler.js';
import { record, type AccountRegionStore } from '../../state/store.js';
import { uuid } from '../../aws/ids.js';
import { retryDelayMs } from './delivery-policy.js';
import type { PendingPost, RetryPlan, SnsState } from './state.js';

/** A POST to make: what it carries, and where it goes when its retries run out. */
export type HttpPost = Omit<PendingPost, 'plan' | 'failures' | 'due' | 'deadLetter'>;

interface Where {
  accountId: string;
  region: string;
}

/** The http/https POSTs of one provider, retried per their plan and kept in its state. */
export class HttpDeliveries {
  private readonly timers = new Map<string, Timer>();

  constructor(
    private readonly context: ProviderContext,
    private readonly store: AccountRegionStore<SnsState>,
  ) {}

  /** Sends a POST now; on failure it is kept and retried per `plan`. Never throws. */
  send(where: Where, post: HttpPost, plan: RetryPlan, deadLetter?: Delivery): void {
    const id = uuid();
    const pending: PendingPost = { ...plain(post), plan, failures: 0, due: this.context.clock.now(), ...(deadLetter ? { deadLetter } : {}) };
    (this.store.get(where.accountId, where.region).httpPending ??= record())[id] = pending;
    this.store.changed(where.accountId, where.region, 'httpPending', id);
    this.attempt(where, id);
  }

  /** Arms a timer for every POST the state holds (at start, and after a reset or load). */
  resume(): void {
    this.cancelAll();
    const now = this.context.clock.now();
    for (const [accountId, region, state] of this.store.entries()) {
      for (const [id, pending] of Object.entries(state.httpPending ?? {})) this.arm({ accountId, region }, id, Math.max(0, pending.due - now));
    }
  }

  /** Disarms every timer (the POSTs stay in the state). */
  cancelAll(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  private key(where: Where, id: string): string {
    return `${where.accountId}/${where.region}/${id}`;
  }

  private pending(where: Where, id: string): PendingPost | undefined {
    return this.store.peek(where.accountId, where.region)?.httpPending?.[id];
  }

  private arm(where: Where, id: string, ms: number): void {
    const key = this.key(where, id);
    this.timers.get(key)?.cancel();
    this.timers.set(key, this.context.scheduler.after(ms, () => {
      this.timers.delete(key);
      this.attempt(where, id);
    }));
  }

  private forget(where: Where, id: string): void {
    delete this.store.peek(where.accountId, where.region)?.httpPending?.[id];
    this.store.changed(where.accountId, where.region, 'httpPending', id);
  }

  private attempt(where: Where, id: string): void {
    const post = this.pending(where, id);
    if (!post) return; // reset or delivered meanwhile
    void postOnce(post).then(
      () => {
        if (this.pending(where, id)) this.forget(where, id);
      },
      (error: unknown) => {
        const current = this.pending(where, id);
        if (!current) return;
        current.failures++;
        if (current.failures > current.plan.numRetries) {
          this.forget(where, id);
          const why = `${post.type} ${post.messageId} to ${post.url} failed ${current.failures} times (${(error as Error).message})`;
          if (current.deadLetter) {
            this.context.log.warn(`sns: ${why}; to the dead-letter queue`);
            this.context.deliveries.deliver(current.deadLetter);
          } else {
            this.context.log.warn(`sns: ${why}; dropped`);
          }
          return;
        }
        const delay = retryDelayMs(current.plan, current.failures);
        current.due = this.context.clock.now() + delay;
        this.store.changed(where.accountId, where.region, 'httpPending', id);
        this.context.log.debug(`sns: ${post.type} ${post.messageId} to ${post.url} failed (${(error as Error).message}); retry ${current.failures} of ${current.plan.numRetries} in ${delay} ms`);
        this.arm(where, id, delay);
      },
    );
  }
}

/** A POST's members without the undefined ones (it is state: plain data). */
function plain(post: HttpPost): HttpPost {
  return Object.fromEntries(Object.entries(post).filter(([, v]) => v !== undefined)) as HttpPost;
}

/** One POST; rejects on a failed connection or a status outside 2xx. */
async function postOnce(post: HttpPost): Promise<void> {
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=UTF-8',
    'user-agent': 'Amazon Simple Notification Service Agent',
    'x-amz-sns-message-type': post.type,
    'x-amz-sns-message-id': post.messageId,
    'x-amz-sns-topic-arn': post.topicArn,
  };
  if (post.subscriptionArn) headers['x-amz-sns-subscription-arn'] = post.subscriptionArn;
  if (post.raw) headers['x-amz-sns-rawdelivery'] = 'true';
  const response = await fetch(post.url, { method: 'POST', headers, body: post.body, signal: AbortSignal.timeout(15_000) });
  await response.arrayBuffer().catch(() => undefined);
  if (response.status < 200 || response.status > 299) throw new Error(`status ${response.status}`);
}
