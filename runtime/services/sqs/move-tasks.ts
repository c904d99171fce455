/**
 * Dead-letter queue redrive (StartMessageMoveTask, ListMessageMoveTasks,
 * CancelMessageMoveTask): a task moves the messages of a dead-letter queue to DestinationArn,
 * or each back to the queue it was dead-lettered from. Here a task moves everything when it
 * starts, so it is COMPLETED when listed and cannot be cancelled (AWS moves at a rate and
 * reports RUNNING meanwhile). Tasks are kept on their source queue, the newest listed first.
 */
import { parseArn } from '../../aws/arns.js';
import { randomToken } from '../../aws/ids.js';
import type { SqsApi } from './api.generated.js';
import { sqsError } from './errors.js';
import type { SqsDeps } from './queues.js';
import type { StoredQueue } from './state.js';

/** The handlers of the message move task operations. */
export function moveTaskOperations(deps: SqsDeps) {
  const { store, clock } = deps;

  function queueByArn(arn: string): StoredQueue | undefined {
    const parsed = parseArn(arn);
    if (!parsed || parsed.service !== 'sqs' || !parsed.accountId || !parsed.region) return undefined;
    return store.store.peek(parsed.accountId, parsed.region)?.queues[parsed.resource];
  }

  function isDeadLetterQueue(queue: StoredQueue): boolean {
    for (const q of Object.values(store.at(queue.accountId, queue.region).queues)) {
      if (q.attributes.RedrivePolicy && (JSON.parse(q.attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn === queue.arn) return true;
    }
    return false;
  }

  return {
    StartMessageMoveTask(_ctx, input) {
      const source = queueByArn(input.SourceArn);
      if (!source) throw sqsError('ResourceNotFoundException', 'The resource that you specified for the SourceArn parameter doesn\'t exist.');
      if (!isDeadLetterQueue(source)) throw sqsError('InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.');
      const destination = input.DestinationArn ? queueByArn(input.DestinationArn) : undefined;
      if (input.DestinationArn && !destination) throw sqsError('ResourceNotFoundException', 'The resource that you specified for the DestinationArn parameter doesn\'t exist.');
      const now = clock.now();
      const kept = [];
      let moved = 0;
      for (const message of source.messages) {
        const target = destination ?? (message.deadLetterSource ? queueByArn(message.deadLetterSource) : undefined);
        if (!target) {
          kept.push(message);
          continue;
        }
        const { deadLetterSource: _, ...rest } = message;
        target.messages.push({ ...rest, visibleAt: now, receiveCount: 0 });
        store.changed(target);
        moved++;
      }
      const toMove = source.messages.length;
      source.messages = kept;
      const handle = randomToken(24);
      (source.moveTasks ??= []).push({
        handle, status: 'COMPLETED', sourceArn: source.arn, moved, toMove, started: now,
        ...(input.DestinationArn ? { destinationArn: input.DestinationArn } : {}),
        ...(input.MaxNumberOfMessagesPerSecond !== undefined ? { maxPerSecond: input.MaxNumberOfMessagesPerSecond } : {}),
      });
      store.changed(source);
      return { TaskHandle: handle };
    },

    ListMessageMoveTasks(_ctx, input) {
      const source = queueByArn(input.SourceArn);
      if (!source) throw sqsError('ResourceNotFoundException', 'The resource that you specified for the SourceArn parameter doesn\'t exist.');
      const max = input.MaxResults ?? 1;
      const tasks = [...(source.moveTasks ?? [])].reverse().slice(0, max);
      return {
        Results: tasks.map((t) => ({
          // AWS gives the handle of running tasks only
          ...(t.status === 'RUNNING' ? { TaskHandle: t.handle } : {}),
          Status: t.status, SourceArn: t.sourceArn,
          ...(t.destinationArn ? { DestinationArn: t.destinationArn } : {}),
          ...(t.maxPerSecond !== undefined ? { MaxNumberOfMessagesPerSecond: t.maxPerSecond } : {}),
          ApproximateNumberOfMessagesMoved: t.moved, ApproximateNumberOfMessagesToMove: t.toMove, StartedTimestamp: t.started,
        })),
      };
    },

    CancelMessageMoveTask(_ctx, input) {
      throw sqsError('ResourceNotFoundException', `Task does not exist or is not running: ${input.TaskHandle}`);
    },
  } satisfies Partial<SqsApi>;
}
