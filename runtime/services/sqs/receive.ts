/**
 * ReceiveMessage: which messages a receive takes (visible ones, in send order; in a FIFO queue
 * none from a group that has a message in flight or not yet visible ahead of it), what it
 * does to them (visibility, receive count, a new receipt handle; past the RedrivePolicy's
 * maxReceiveCount the message moves to the dead-letter queue instead; past the retention
 * period it is gone), and long polling: a receive that finds nothing waits, on the provider's
 * scheduler, until a send wakes it, the next message becomes visible, or its wait time ends.
 * On a FIFO queue a receive with a ReceiveRequestAttemptId is remembered for 5 minutes: a
 * retry with the same id gets the same messages and receipt handles again (their visibility
 * timeout starting over) while none of them was deleted, changed or received otherwise since.
 */
import { parseArn } from '../../aws/arns.js';
import type { Scheduler, Timer } from '../../scheduler.js';
import { record } from '../../state/store.js';
import type { OperationContext } from '../provider.js';
import type { Message, SqsApi } from './api.generated.js';
import { queueDoesNotExist, sqsError } from './errors.js';
import { md5OfAttributes } from './md5.js';
import { findQueue, type SqsDeps } from './queues.js';
import { newReceipt } from './receipts.js';
import type { StoredAttributeValue, StoredMessage, StoredQueue } from './state.js';

interface Waiter {
  wake(): void;
}

/**
 * The receivers waiting on each queue (by ARN), oldest first. Derived, not state: a waiter is
 * an open request. One per provider (created in createProvider).
 */
export class Waiters {
  private readonly byQueue = new Map<string, Waiter[]>();
  constructor(private readonly scheduler: Scheduler) {}

  /** Waits at most `ms`, or until `notify` picks this waiter. */
  wait(arn: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: Timer | undefined = undefined;
      const waiter: Waiter = {
        wake: () => {
          timer?.cancel();
          const list = this.byQueue.get(arn) ?? [];
          const at = list.indexOf(waiter);
          if (at >= 0) list.splice(at, 1);
          if (list.length === 0) this.byQueue.delete(arn);
          resolve();
        },
      };
      const list = this.byQueue.get(arn) ?? [];
      list.push(waiter);
      this.byQueue.set(arn, list);
      timer = this.scheduler.after(Math.max(ms, 0), () => waiter.wake());
    });
  }

  /** A message arrived or became visible (now, or in `_inMs`): wakes the oldest waiter, which looks again. */
  notify(arn: string, _inMs: number): void {
    this.byQueue.get(arn)?.[0]?.wake();
  }

  /** Ends every wait (the provider stops or its state was replaced). */
  releaseAll(): void {
    for (const list of [...this.byQueue.values()]) for (const waiter of [...list]) waiter.wake();
  }
}

/** How long a ReceiveRequestAttemptId can be retried. */
const ATTEMPT_WINDOW = 5 * 60_000;

const SYSTEM_ORDER = ['SenderId', 'ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'SentTimestamp', 'SequenceNumber', 'MessageDeduplicationId', 'MessageGroupId', 'AWSTraceHeader', 'DeadLetterQueueSourceArn'];

function range(name: string, value: number | undefined, lo: number, hi: number, reason: string): void {
  if (value !== undefined && (value < lo || value > hi)) throw sqsError('InvalidParameterValue', `Value ${value} for parameter ${name} is invalid. Reason: ${reason}`);
}

export function systemAttributes(message: StoredMessage, names: readonly string[]): Record<string, string> | undefined {
  const all = names.includes('All');
  const values: Record<string, string | undefined> = {
    SenderId: message.senderId,
    ApproximateFirstReceiveTimestamp: message.firstReceived === undefined ? undefined : String(message.firstReceived),
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(message.sent),
    SequenceNumber: message.sequenceNumber,
    MessageDeduplicationId: message.deduplicationId,
    MessageGroupId: message.groupId,
    AWSTraceHeader: message.traceHeader,
    DeadLetterQueueSourceArn: message.deadLetterSource,
  };
  const out: Record<string, string> = {};
  for (const name of SYSTEM_ORDER) if ((all || names.includes(name)) && values[name] !== undefined) out[name] = values[name]!;
  return Object.keys(out).length ? out : undefined;
}

export function messageAttributes(message: StoredMessage, names: readonly string[]): Record<string, StoredAttributeValue> | undefined {
  const out = record<StoredAttributeValue>();
  for (const [name, value] of Object.entries(message.attributes)) {
    const wanted = names.some((n) => n === 'All' || n === '.*' || n === name || (n.endsWith('.*') && name.startsWith(n.slice(0, -1))));
    if (wanted) out[name] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The handler of ReceiveMessage. */
export function receiveOperations(deps: SqsDeps, waiters: Waiters) {
  const { store, clock } = deps;

  function moveToDeadLetter(queue: StoredQueue, message: StoredMessage): boolean {
    const policy = queue.attributes.RedrivePolicy ? (JSON.parse(queue.attributes.RedrivePolicy) as { deadLetterTargetArn: string; maxReceiveCount: number }) : undefined;
    if (!policy || message.receiveCount < policy.maxReceiveCount) return false;
    const arn = parseArn(policy.deadLetterTargetArn);
    const target = arn && store.store.peek(arn.accountId!, arn.region!)?.queues[arn.resource];
    if (!target) return false;
    target.messages.push({ ...message, visibleAt: clock.now(), deadLetterSource: queue.arn });
    store.changed(target);
    waiters.notify(target.arn, 0);
    return true;
  }

  function take(queue: StoredQueue, max: number, visibilityMs: number): StoredMessage[] {
    const now = clock.now();
    const retention = Number(queue.attributes.MessageRetentionPeriod) * 1000;
    const taken: StoredMessage[] = [];
    const blocked = new Set<string>();
    const kept: StoredMessage[] = [];
    let changed = false;
    for (const message of queue.messages) {
      if (now - message.sent >= retention) {
        changed = true;
        continue;
      }
      const group = message.groupId;
      const available = message.visibleAt <= now && taken.length < max && !(group !== undefined && blocked.has(group));
      if (available && moveToDeadLetter(queue, message)) {
        changed = true;
        continue;
      }
      kept.push(message);
      if (!available) {
        if (group !== undefined) blocked.add(group);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceived ??= now;
      message.receipt = newReceipt(queue, message);
      message.visibleAt = now + visibilityMs;
      taken.push(message);
      changed = true;
    }
    if (changed) {
      queue.messages = kept;
      store.changed(queue);
    }
    return taken;
  }

  /** A retried FIFO receive: the messages of the attempt again, if each is still as that receive left it. */
  function replay(queue: StoredQueue, attemptId: string, visibilityMs: number): StoredMessage[] | undefined {
    const now = clock.now();
    const attempts = queue.receiveAttempts;
    if (!attempts) return undefined;
    for (const [id, attempt] of Object.entries(attempts)) {
      if (now - attempt.at >= ATTEMPT_WINDOW) {
        delete attempts[id];
        store.changed(queue);
      }
    }
    const attempt = attempts[attemptId];
    if (!attempt) return undefined;
    const messages = attempt.messages.map((r) => queue.messages.find((m) => m.id === r.id && m.receipt === r.receipt && m.visibleAt === r.visibleAt && m.visibleAt > now));
    if (messages.some((m) => m === undefined)) {
      // a message was deleted, changed or came back since: the id starts a new receive
      delete attempts[attemptId];
      store.changed(queue);
      return undefined;
    }
    attempt.messages = messages.map((m) => {
      m!.visibleAt = now + visibilityMs;
      return { id: m!.id, receipt: m!.receipt!, visibleAt: m!.visibleAt };
    });
    store.changed(queue);
    return messages as StoredMessage[];
  }

  function remember(queue: StoredQueue, attemptId: string, taken: StoredMessage[]): void {
    // an empty receive is not remembered: a retry may find messages that arrived since
    if (taken.length === 0) return;
    (queue.receiveAttempts ??= record())[attemptId] = { at: clock.now(), messages: taken.map((m) => ({ id: m.id, receipt: m.receipt!, visibleAt: m.visibleAt })) };
    store.changed(queue);
  }

  /** When the next message not yet visible becomes visible (a visible one held back by its FIFO group is not news). */
  function nextVisible(queue: StoredQueue): number {
    const now = clock.now();
    let next = Infinity;
    for (const m of queue.messages) if (m.visibleAt > now && m.visibleAt < next) next = m.visibleAt;
    return next;
  }

  return {
    async ReceiveMessage(ctx: OperationContext, input) {
      let queue = findQueue(deps, ctx, input.QueueUrl);
      range('MaxNumberOfMessages', input.MaxNumberOfMessages, 1, 10, 'Must be between 1 and 10, if provided.');
      range('WaitTimeSeconds', input.WaitTimeSeconds, 0, 20, 'Must be >= 0 and <= 20, if provided.');
      range('VisibilityTimeout', input.VisibilityTimeout, 0, 43_200, 'Must be between 0 and 43200, if provided.');
      const max = input.MaxNumberOfMessages ?? 1;
      const visibilityMs = 1000 * (input.VisibilityTimeout ?? Number(queue.attributes.VisibilityTimeout));
      const deadline = clock.now() + 1000 * (input.WaitTimeSeconds ?? Number(queue.attributes.ReceiveMessageWaitTimeSeconds));
      // standard queues ignore ReceiveRequestAttemptId, as AWS documents
      const attemptId = queue.fifo ? input.ReceiveRequestAttemptId : undefined;
      const replayed = attemptId === undefined ? undefined : replay(queue, attemptId, visibilityMs);
      let taken = replayed ?? take(queue, max, visibilityMs);
      while (!replayed && taken.length === 0 && clock.now() < deadline) {
        await waiters.wait(queue.arn, Math.min(deadline, nextVisible(queue)) - clock.now());
        const again = store.store.peek(queue.accountId, queue.region)?.queues[queue.name];
        if (!again) throw queueDoesNotExist();
        queue = again;
        taken = take(queue, max, visibilityMs);
      }
      if (attemptId !== undefined && !replayed) remember(queue, attemptId, taken);
      const systemNames = [...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])];
      const messages: Message[] = taken.map((m) => {
        const attributes = systemAttributes(m, systemNames);
        const selected = messageAttributes(m, input.MessageAttributeNames ?? []);
        return {
          MessageId: m.id, ReceiptHandle: m.receipt!, MD5OfBody: m.md5OfBody, Body: m.body,
          ...(attributes ? { Attributes: attributes } : {}),
          ...(selected ? { MD5OfMessageAttributes: md5OfAttributes(selected)!, MessageAttributes: selected } : {}),
        };
      });
      return messages.length ? { Messages: messages } : {};
    },
  } satisfies Partial<SqsApi>;
}
