/**
 * SQS's tagged resources for the Resource Groups Tagging API (Provider.taggedResources):
 * queues (`arn:<partition>:sqs:<region>:<account>:<name>`, type `queue`), tagged with
 * TagQueue's rules (at most 50 tags) and an unknown queue answered as TagQueue answers it
 * (QueueDoesNotExist).
 */
import { parseArn } from '../../aws/arns.js';
import type { OperationContext, TaggedResource, TaggedResources } from '../provider.js';
import { queueDoesNotExist, sqsError } from './errors.js';
import type { SqsStore, StoredQueue } from './state.js';

/** What the tagging API sees of SQS, over the provider's own store. */
export function sqsTaggedResources(store: SqsStore): TaggedResources {
  function queueOf(ctx: OperationContext, arn: string): StoredQueue {
    const parsed = parseArn(arn);
    if (!parsed || parsed.service !== 'sqs' || parsed.region !== ctx.region || parsed.accountId !== ctx.accountId) throw queueDoesNotExist();
    const queue = store.store.peek(ctx.accountId, ctx.region)?.queues[parsed.resource];
    if (!queue) throw queueDoesNotExist();
    return queue;
  }

  return {
    *list(accountId, region): Iterable<TaggedResource> {
      const state = store.store.peek(accountId, region);
      if (!state) return;
      for (const queue of Object.values(state.queues)) {
        if (Object.keys(queue.tags).length > 0) yield { arn: queue.arn, type: 'queue', tags: { ...queue.tags } };
      }
    },
    tag(ctx, arn, tags) {
      const queue = queueOf(ctx, arn);
      if (Object.keys({ ...queue.tags, ...tags }).length > 50) throw sqsError('InvalidParameterValue', `Too many tags added for queue ${queue.name}.`);
      Object.assign(queue.tags, tags);
      store.changed(queue);
    },
    untag(ctx, arn, keys) {
      const queue = queueOf(ctx, arn);
      for (const key of keys) delete queue.tags[key];
      store.changed(queue);
    },
  };
}
