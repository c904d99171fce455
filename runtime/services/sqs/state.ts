/**
 * Amazon Simple Queue Service: the state the provider keeps per account and region, as plain
 * data that the runtime can reset, persist and export (runtime/state/store.ts). A queue keeps
 * its messages inside it, so one mark (`changed(ctx, name)`) covers a queue and everything in
 * it: a send, a receive (visibility, receive count) and a delete all mark their queue.
 */
import type { OperationContext, ProviderContext } from '../provider.js';
import { record } from '../../state/store.js';

/** A message attribute as stored (binary as Uint8Array). */
export interface StoredAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

/** One message in a queue. */
export interface StoredMessage {
  id: string;
  body: string;
  md5OfBody: string;
  attributes: Record<string, StoredAttributeValue>;
  md5OfAttributes?: string;
  /** Epoch ms. */
  sent: number;
  /** When it may next be received (epoch ms): the delay, then each visibility timeout. */
  visibleAt: number;
  receiveCount: number;
  firstReceived?: number;
  /** The receipt handle of the latest receive; an older one is stale. */
  receipt?: string;
  senderId: string;
  traceHeader?: string;
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  /** The queue it was dead-lettered from (DeadLetterQueueSourceArn, where a move task returns it). */
  deadLetterSource?: string;
}

/**
 * A message move task (StartMessageMoveTask), kept on its source queue. A RUNNING or
 * CANCELLING task is moved on by the provider's scheduler (move-tasks.ts); its timer is
 * derived from this record, so a restart with persisted state picks the task up again.
 */
export interface StoredMoveTask {
  /** The handle AWS gives: base64 of {"taskId","sourceArn"}. */
  handle: string;
  taskId?: string;
  status: 'COMPLETED' | 'CANCELLED' | 'CANCELLING' | 'RUNNING' | 'FAILED';
  sourceArn: string;
  destinationArn?: string;
  maxPerSecond?: number;
  moved: number;
  toMove: number;
  /** Epoch ms. */
  started: number;
  /** Why a FAILED task failed (an error code, as AWS lists it). */
  failureReason?: string;
}

/** A FIFO receive remembered by its ReceiveRequestAttemptId, for 5 minutes. */
export interface StoredReceiveAttempt {
  /** Epoch ms of the receive. */
  at: number;
  /** The messages received, with the receipt handle and visibility each got. */
  messages: { id: string; receipt: string; visibleAt: number }[];
}

/** A queue: its attributes as AWS reports them (strings), its tags, its messages. */
export interface StoredQueue {
  name: string;
  arn: string;
  accountId: string;
  region: string;
  fifo: boolean;
  /** Epoch ms. */
  created: number;
  lastModified: number;
  /** The settable attributes, by name, as strings (defaults filled in at creation). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  /** In send order. */
  messages: StoredMessage[];
  /** FIFO: deduplication ids (by scope) to [message id, sequence number, epoch ms]. */
  deduplication: Record<string, { id: string; sequenceNumber: string; at: number }>;
  /** FIFO: the last sequence number given. */
  sequence: number;
  /** Epoch ms of the last PurgeQueue. */
  purgedAt?: number;
  /** Message move tasks from this queue (a dead-letter queue), newest last. */
  moveTasks?: StoredMoveTask[];
  /**
   * FIFO: the DeduplicationScope deduplication follows, fixed when the queue is created (AWS
   * keeps deduplicating as the queue was created after SetQueueAttributes changes the attribute).
   */
  deduplicationScope?: string;
  /** FIFO: recent receives by ReceiveRequestAttemptId. */
  receiveAttempts?: Record<string, StoredReceiveAttempt>;
}

/** Everything sqs keeps in one account and region. */
export interface SqsState {
  /** Queues by name. */
  queues: Record<string, StoredQueue>;
  /** Epoch ms each queue name was last deleted (QueueDeletedRecently), for 60 seconds. */
  deleted?: Record<string, number>;
}

/** The state of an account and region that has none yet. */
export function newState(): SqsState {
  return { queues: record() };
}

/** What handlers use to reach and mark the state. */
export type SqsStore = ReturnType<typeof declareState>;

/**
 * Declares the state to the runtime (once, in createProvider) and returns what handlers use:
 * `of(ctx)` is the caller's account and region (or another's, for a queue URL naming it),
 * `changed(...)` marks a queue (with its messages) as written or deleted.
 */
export function declareState(context: ProviderContext) {
  const store = context.state.accountRegion<SqsState>('queues', newState);
  return {
    store,
    of: (ctx: OperationContext) => store.get(ctx.accountId, ctx.region),
    at: (accountId: string, region: string) => store.get(accountId, region),
    changed: (queue: StoredQueue) => store.changed(queue.accountId, queue.region, 'queues', queue.name),
    /** Marks the record of a deleted queue name (QueueDeletedRecently). */
    deletedChanged: (accountId: string, region: string, name: string) => store.changed(accountId, region, 'deleted', name),
  };
}
