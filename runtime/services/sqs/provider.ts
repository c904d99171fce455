/**
 * Amazon Simple Queue Service (`sqs`, json with awsQueryCompatible: the runtime's codecs answer
 * the json protocol and the query protocol the AWS CLI v1 and older SDKs send).
 *
 * Files by concern: state.ts (queues with their messages, one store per account and region),
 * queue-urls.ts (URLs by SQS_ENDPOINT_STRATEGY, and every form clients pass back),
 * attributes.ts (queue attributes, validation, defaults, counts), queues.ts (queue
 * operations), messages.ts (send, delete, visibility), receive.ts (receive and long polling),
 * md5.ts (the checksums the SDKs verify), fifo.ts (group ids, deduplication, sequence
 * numbers), move-tasks.ts (dead-letter redrive tasks, moved on the scheduler), batch.ts (the
 * batch rules), receipts.ts (receipt handles), tagged-resources.ts (queues as the Resource
 * Groups Tagging API sees them), developer-endpoints.ts (LocalStack's /_aws/sqs/messages, a
 * look into a queue without side effects). Long-polling receivers wait on the provider's
 * scheduler; they are derived, not state (a restart ends their requests anyway).
 *
 * LIMITATIONS: not emulated yet: queue policies'
 * effect (stored only, also by Add/RemovePermission), KMS encryption (attributes stored only),
 * high-throughput FIFO's throughput quotas (nothing is throttled; DeduplicationScope and
 * FifoThroughputLimit are validated, and messageGroup deduplicates per group).
 * RedriveAllowPolicy is enforced when a source queue sets its RedrivePolicy (the wording of
 * that refusal is ours: AWS's was not found), not when a message is dead-lettered. A message
 * move task without MaxNumberOfMessagesPerSecond moves 500 a second (AWS adapts the rate to
 * the backlog), and moves the messages visible at each turn, up to the count at its start.
 * Messages past their retention period are dropped from the state when the queue is next
 * received from (never counted nor delivered after it). Missing operations answer 501 InternalFailure naming them.
 */
import type { Provider, ProviderContext } from '../provider.js';
import type { SqsApi } from './api.generated.js';
import { sqsDeveloperEndpoint } from './developer-endpoints.js';
import { messageOperations } from './messages.js';
import { moveTaskOperations, MoveTaskRunner } from './move-tasks.js';
import { permissionOperations } from './permissions.js';
import { queueOperations, type SqsDeps } from './queues.js';
import { receiveOperations, Waiters } from './receive.js';
import { declareState } from './state.js';
import { sqsTaggedResources } from './tagged-resources.js';

export function createProvider(context: ProviderContext): Provider {
  const deps: SqsDeps = { store: declareState(context), config: context.config, clock: context.clock };
  const waiters = new Waiters(context.scheduler);
  const moveTasks = new MoveTaskRunner(deps, context.scheduler, waiters);
  const operations = {
    ...queueOperations(deps),
    ...messageOperations(deps, waiters),
    ...receiveOperations(deps, waiters),
    ...permissionOperations(deps),
    ...moveTaskOperations(deps, moveTasks),
  } satisfies Partial<SqsApi>;
  return {
    operations,
    taggedResources: sqsTaggedResources(deps.store),
    developerEndpoint: sqsDeveloperEndpoint(deps),
    start: () => moveTasks.rebuild(),
    stop: () => waiters.releaseAll(),
    stateChanged: () => {
      waiters.releaseAll();
      moveTasks.rebuild();
    },
  };
}
