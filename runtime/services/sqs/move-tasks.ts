/**
 * Dead-letter queue redrive (StartMessageMoveTask, ListMessageMoveTasks,
 * CancelMessageMoveTask): a task moves the visible messages of a dead-letter queue to
 * DestinationArn, or each back to the queue it was dead-lettered from, at
 * MaxNumberOfMessagesPerSecond (or, unset, at DEFAULT_MOVE_RATE: AWS picks a rate from the
 * backlog), once a second on the provider's scheduler, until it has moved the messages the
 * queue held when it started. Meanwhile ListMessageMoveTasks reports it RUNNING with its
 * counts; CancelMessageMoveTask makes it CANCELLING, and the next turn CANCELLED; a
 * destination that disappears makes it FAILED with AWS's reason. One task runs per source
 * queue at a time.
 *
 * The tasks are state (kept on their source queue, newest last); the timers that move them are
 * derived: MoveTaskRunner.rebuild() arms one for every RUNNING or CANCELLING task when the
 * provider starts or its state is replaced, so a task persisted mid-way goes on after a restart.
 */
import { randomUUID } from 'node:crypto';
import type { Scheduler, Timer } from '../../scheduler.js';
import type { SqsApi } from './api.generated.js';
import { sqsError } from './errors.js';
import { queueByArn, type SqsDeps } from './queues.js';
import type { Waiters } from './receive.js';
import type { StoredMoveTask, StoredQueue } from './state.js';

/** Messages a second when StartMessageMoveTask gives no rate (AWS's most). */
export const DEFAULT_MOVE_RATE = 500;
const MAX_RATE = 500;
/** A task moves its rate's worth once a second. */
const TICK_MS = 1000;
/** AWS's FailureReason when a task's destination queue is gone. */
const NO_QUEUE = 'AWS.SimpleQueueService.NonExistentQueue';

function sourceNotFound() {
  return sqsError('ResourceNotFoundException', 'The resource that you specified for the SourceArn parameter doesn\'t exist.');
}

/** AWS's handle: base64 of a JSON document naming the task and its source queue. */
function encodeHandle(taskId: string, sourceArn: string): string {
  return Buffer.from(JSON.stringify({ taskId, sourceArn }), 'utf8').toString('base64');
}

function decodeHandle(handle: string): { taskId: string; sourceArn: string } | undefined {
  try {
    const doc = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as Record<string, unknown>;
    return typeof doc.taskId === 'string' && typeof doc.sourceArn === 'string' ? { taskId: doc.taskId, sourceArn: doc.sourceArn } : undefined;
  } catch {
    return undefined;
  }
}

/** Moves running tasks on, one timer per task (by handle); derived from the state. */
export class MoveTaskRunner {
  private readonly timers = new Map<string, Timer>();

  constructor(
    private readonly deps: SqsDeps,
    private readonly scheduler: Scheduler,
    private readonly waiters: Waiters,
  ) {}

  /** Arms the next turn of a task `ms` from now. */
  schedule(task: StoredMoveTask, ms: number): void {
    this.timers.get(task.handle)?.cancel();
    this.timers.set(task.handle, this.scheduler.after(ms, () => this.turn(task.sourceArn, task.handle)));
  }

  /** Re-arms every active task from the state (the provider started, or its state was replaced). */
  rebuild(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
    for (const [, , state] of this.deps.store.store.entries()) {
      for (const queue of Object.values(state.queues)) {
        for (const task of queue.moveTasks ?? []) if (task.status === 'RUNNING' || task.status === 'CANCELLING') this.schedule(task, 0);
      }
    }
  }

  private turn(sourceArn: string, handle: string): void {
    this.timers.delete(handle);
    // the queue (and its tasks with it) may have been deleted since
    const source = queueByArn(this.deps, sourceArn);
    const task = source?.moveTasks?.find((t) => t.handle === handle);
    if (!source || !task) return;
    if (task.status === 'CANCELLING') task.status = 'CANCELLED';
    else if (task.status === 'RUNNING') this.move(source, task);
    this.deps.store.changed(source);
    if (task.status === 'RUNNING') this.schedule(task, TICK_MS);
  }

  /** One second's worth: up to the task's rate of visible messages, oldest first. */
  private move(source: StoredQueue, task: StoredMoveTask): void {
    const now = this.deps.clock.now();
    const retention = Number(source.attributes.MessageRetentionPeriod) * 1000;
    let budget = Math.min(task.maxPerSecond ?? DEFAULT_MOVE_RATE, task.toMove - task.moved);
    const kept = [];
    let left = 0;
    for (const message of source.messages) {
      const movable = message.visibleAt <= now && now - message.sent < retention;
      const targetArn = task.destinationArn ?? message.deadLetterSource;
      if (!movable || budget === 0 || targetArn === undefined || task.status !== 'RUNNING') {
        if (movable && targetArn !== undefined) left++;
        kept.push(message);
        continue;
      }
      const target = queueByArn(this.deps, targetArn);
      if (!target) {
        task.status = 'FAILED';
        task.failureReason = NO_QUEUE;
        kept.push(message);
        continue;
      }
      const { deadLetterSource: _, receipt: __, ...rest } = message;
      target.messages.push({ ...rest, visibleAt: now, receiveCount: 0 });
      this.deps.store.changed(target);
      this.waiters.notify(target.arn, 0);
      task.moved++;
      budget--;
    }
    source.messages = kept;
    if (task.status === 'RUNNING' && (task.moved >= task.toMove || left === 0)) task.status = 'COMPLETED';
  }
}

/** The handlers of the message move task operations. */
export function moveTaskOperations(deps: SqsDeps, runner: MoveTaskRunner) {
  const { store, clock } = deps;

  function isDeadLetterQueue(queue: StoredQueue): boolean {
    for (const q of Object.values(store.at(queue.accountId, queue.region).queues)) {
      if (q.attributes.RedrivePolicy && (JSON.parse(q.attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn === queue.arn) return true;
    }
    return false;
  }

  return {
    StartMessageMoveTask(_ctx, input) {
      const rate = input.MaxNumberOfMessagesPerSecond;
      if (rate !== undefined && (rate < 1 || rate > MAX_RATE)) {
        throw sqsError('InvalidParameterValue', `Value ${rate} for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and ${MAX_RATE}.`);
      }
      const source = queueByArn(deps, input.SourceArn);
      if (!source) throw sourceNotFound();
      if (!isDeadLetterQueue(source)) throw sqsError('InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.');
      if (input.DestinationArn && !queueByArn(deps, input.DestinationArn)) {
        throw sqsError('ResourceNotFoundException', 'The resource that you specified for the DestinationArn parameter doesn\'t exist.');
      }
      if (source.moveTasks?.some((t) => t.status === 'RUNNING' || t.status === 'CANCELLING')) {
        throw sqsError('InvalidParameterValue', 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
      }
      const now = clock.now();
      const retention = Number(source.attributes.MessageRetentionPeriod) * 1000;
      const taskId = randomUUID();
      const task: StoredMoveTask = {
        handle: encodeHandle(taskId, source.arn), taskId, status: 'RUNNING', sourceArn: source.arn, moved: 0,
        toMove: source.messages.filter((m) => now - m.sent < retention).length, started: now,
        ...(input.DestinationArn ? { destinationArn: input.DestinationArn } : {}),
        ...(rate !== undefined ? { maxPerSecond: rate } : {}),
      };
      (source.moveTasks ??= []).push(task);
      store.changed(source);
      runner.schedule(task, 0);
      return { TaskHandle: task.handle };
    },

    ListMessageMoveTasks(_ctx, input) {
      const source = queueByArn(deps, input.SourceArn);
      if (!source) throw sourceNotFound();
      const max = input.MaxResults ?? 1;
      const tasks = [...(source.moveTasks ?? [])].reverse().slice(0, max);
      return {
        Results: tasks.map((t) => ({
          // AWS gives the handle of running tasks only
          ...(t.status === 'RUNNING' ? { TaskHandle: t.handle } : {}),
          Status: t.status, SourceArn: t.sourceArn,
          ...(t.destinationArn ? { DestinationArn: t.destinationArn } : {}),
          ...(t.maxPerSecond !== undefined ? { MaxNumberOfMessagesPerSecond: t.maxPerSecond } : {}),
          ApproximateNumberOfMessagesMoved: t.moved, ApproximateNumberOfMessagesToMove: t.toMove,
          ...(t.failureReason ? { FailureReason: t.failureReason } : {}),
          StartedTimestamp: t.started,
        })),
      };
    },

    CancelMessageMoveTask(_ctx, input) {
      const decoded = decodeHandle(input.TaskHandle);
      if (!decoded) throw sqsError('InvalidParameterValue', 'Value for parameter TaskHandle is invalid.');
      const source = queueByArn(deps, decoded.sourceArn);
      if (!source) throw sourceNotFound();
      const task = source.moveTasks?.find((t) => t.handle === input.TaskHandle);
      // only an active task can be cancelled (AWS's API reference)
      if (!task || task.status !== 'RUNNING') throw sqsError('ResourceNotFoundException', 'Task does not exist.');
      task.status = 'CANCELLING';
      store.changed(source);
      runner.schedule(task, 0);
      return { ApproximateNumberOfMessagesMoved: task.moved };
    },
  } satisfies Partial<SqsApi>;
}
