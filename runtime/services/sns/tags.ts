/**
 * SNS tagging: TagResource, UntagResource, ListTagsForResource on topics, and the topics'
 * offer to the Resource Groups Tagging API. AWS's answers: an unknown topic is
 * `ResourceNotFound` ("Resource does not exist"), more than 50 tags `TagLimitExceeded`
 * ("Could not complete request: tag quota of per resource exceeded"), a reserved `aws:` key or
 * a malformed tag `InvalidParameter`.
 */
import { arnFor, parseArn } from '../../aws/arns.js';
import { findTagViolation, mergeTags, removeTagKeys, tagListOf, tagMapOf, type Tag, type TagMap } from '../../aws/tags.js';
import type { AccountRegionStore } from '../../state/store.js';
import type { OperationContext, TaggedResource, TaggedResources } from '../provider.js';
import type { SnsApi } from './api.generated.js';
import { snsError } from './errors.js';
import type { SnsState, SnsStateAccess, StoredTopic } from './state.js';

/** A tag set checked as AWS checks it, as a map (later duplicates win). */
export function checkTags(tags: readonly Tag[], existing: TagMap = {}): TagMap {
  const merged = mergeTags(tagListOf(existing), tags);
  const violation = findTagViolation(tags.filter((t, i) => tags.findIndex((u) => u.Key === t.Key) === i));
  if (merged.length > 50 || violation?.rule === 'too-many') throw snsError('TagLimitExceededException', 'Could not complete request: tag quota of per resource exceeded');
  if (violation?.rule === 'reserved-prefix') throw snsError('InvalidParameterException', 'Invalid parameter: Tags Reason: Invalid tag key. Tag keys cannot start with reserved prefix aws:');
  if (violation) throw snsError('InvalidParameterException', 'Invalid parameter: Tags');
  return tagMapOf(merged);
}

function resourceOf(state: Pick<SnsStateAccess, 'of'>, ctx: OperationContext, arn: string): StoredTopic {
  const parsed = parseArn(arn);
  const topic = parsed && parsed.service === 'sns' && parsed.accountId === ctx.accountId && parsed.region === ctx.region ? state.of(ctx).topics[parsed.resource] : undefined;
  if (!topic) throw snsError('ResourceNotFoundException', 'Resource does not exist');
  return topic;
}

export function tagOperations(state: SnsStateAccess) {
  return {
    TagResource(ctx, input) {
      const topic = resourceOf(state, ctx, input.ResourceArn);
      topic.tags = checkTags(input.Tags, topic.tags);
      state.topicChanged(ctx, topic.name);
      return {};
    },
    UntagResource(ctx, input) {
      const topic = resourceOf(state, ctx, input.ResourceArn);
      topic.tags = tagMapOf(removeTagKeys(tagListOf(topic.tags), input.TagKeys));
      state.topicChanged(ctx, topic.name);
      return {};
    },
    ListTagsForResource(ctx, input) {
      const topic = resourceOf(state, ctx, input.ResourceArn);
      return { Tags: tagListOf(topic.tags) };
    },
  } satisfies Partial<SnsApi>;
}

/** Topics for the Resource Groups Tagging API, with TagResource's rules. */
export function snsTaggedResources(store: AccountRegionStore<SnsState>): TaggedResources {
  const state: Pick<SnsStateAccess, 'of'> = { of: (ctx) => store.get(ctx.accountId, ctx.region) };
  const mark = (ctx: OperationContext, name: string) => store.changed(ctx.accountId, ctx.region, 'topics', name);
  return {
    *list(accountId, region): Iterable<TaggedResource> {
      const s = store.peek(accountId, region);
      if (!s) return;
      for (const topic of Object.values(s.topics)) {
        if (Object.keys(topic.tags).length > 0) yield { arn: arnFor({ accountId, region }, 'sns', topic.name), type: 'topic', tags: topic.tags };
      }
    },
    tag(ctx, arn, tags) {
      const topic = resourceOf(state, ctx, arn);
      topic.tags = checkTags(tagListOf(tags), topic.tags);
      mark(ctx, topic.name);
    },
    untag(ctx, arn, keys) {
      const topic = resourceOf(state, ctx, arn);
      topic.tags = tagMapOf(removeTagKeys(tagListOf(topic.tags), keys));
      mark(ctx, topic.name);
    },
  };
}
