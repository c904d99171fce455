/**
 * Queues: create (idempotent with the same attributes), find by name or URL, list, delete,
 * attributes, tags and purge. Messages live inside their queue (state.ts), so deleting a
 * queue deletes them with one mark.
 */
import { arnFor, parseArn } from '../../aws/arns.js';
import { paginate } from '../../aws/pagination.js';
import { record } from '../../state/store.js';
import type { RuntimeConfig } from '../../config.js';
import type { Clock } from '../../scheduler.js';
import type { OperationContext } from '../provider.js';
import type { SqsApi } from './api.generated.js';
import { checkThroughputPair, readAttributes, redriveAllowed, validateAttributes, withDefaults } from './attributes.js';
import { queueDoesNotExist, sqsError } from './errors.js';
import { parseQueueUrl, queueUrl } from './queue-urls.js';
import type { SqsStore, StoredQueue } from './state.js';

/** What the queue and message handlers share. */
export interface SqsDeps {
  store: SqsStore;
  config: RuntimeConfig;
  clock: Clock;
}

const NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;
const MAX_TAGS = 50;
/** How long a deleted queue's name stays taken (QueueDeletedRecently). */
const DELETED_RECENTLY_MS = 60_000;

/** The queue an ARN names, in any account and region, if it exists. */
export function queueByArn(deps: SqsDeps, arn: string): StoredQueue | undefined {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'sqs' || !parsed.accountId || !parsed.region) return undefined;
  return deps.store.store.peek(parsed.accountId, parsed.region)?.queues[parsed.resource];
}

/**
 * A RedrivePolicy being set on `sourceArn`: refused when its dead-letter queue exists and
 * that queue's RedriveAllowPolicy does not let this source name it (denyAll, or byQueue
 * without this ARN), as AWS refuses it when the policy is set.
 */
function checkRedriveAllowed(deps: SqsDeps, sourceArn: string, redrivePolicy: string | undefined): void {
  if (!redrivePolicy) return;
  const target = (JSON.parse(redrivePolicy) as { deadLetterTargetArn: string }).deadLetterTargetArn;
  const deadLetterQueue = queueByArn(deps, target);
  if (deadLetterQueue && !redriveAllowed(deadLetterQueue, sourceArn)) {
    throw sqsError('InvalidParameterValue', `Value ${redrivePolicy} for parameter RedrivePolicy is invalid. Reason: The RedriveAllowPolicy of the dead-letter queue ${target} doesn't allow the source queue ${sourceArn} to specify it as its dead-letter queue.`);
  }
}

/** The queue a QueueUrl names; QueueDoesNotExist when there is none. */
export function findQueue(deps: SqsDeps, ctx: OperationContext, url: string): StoredQueue {
  const address = parseQueueUrl(ctx, url);
  const queue = deps.store.store.peek(address.accountId, address.region)?.queues[address.name];
  if (!queue) throw queueDoesNotExist();
  return queue;
}

/** The queue's URL as this runtime writes it. */
export function urlOf(deps: SqsDeps, queue: StoredQueue): string {
  return queueUrl(queue.arn, deps.config);
}

/** The handlers of the queue operations. */
export function queueOperations(deps: SqsDeps) {
  const { store, clock } = deps;
  return {
    CreateQueue(ctx, input) {
      const name = input.QueueName;
      const given = input.Attributes ?? {};
      const fifo = name.endsWith('.fifo') || given.FifoQueue?.toLowerCase() === 'true';
      if (fifo ? !FIFO_NAME.test(name) : !NAME.test(name)) {
        throw sqsError('InvalidParameterValue', fifo
          ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
          : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
      }
      if (fifo && given.FifoQueue?.toLowerCase() !== 'true') {
        throw sqsError('InvalidParameterValue', 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.');
      }
      const attributes = validateAttributes(given, fifo, true);
      const state = store.of(ctx);
      const existing = state.queues[name];
      if (existing) {
        for (const [key, value] of Object.entries(attributes)) {
          if (existing.attributes[key] !== value) throw sqsError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${key}`);
        }
        return { QueueUrl: urlOf(deps, existing) };
      }
      const now = clock.now();
      const deletedAt = state.deleted?.[name];
      if (deps.config.sqsDelayRecentlyDeleted && deletedAt !== undefined && now - deletedAt < DELETED_RECENTLY_MS) {
        throw sqsError('QueueDeletedRecently', 'You must wait 60 seconds after deleting a queue before you can create another with the same name.');
      }
      const arn = arnFor(ctx, 'sqs', name);
      const effective = withDefaults(attributes, fifo);
      checkThroughputPair(effective);
      checkRedriveAllowed(deps, arn, effective.RedrivePolicy);
      const queue: StoredQueue = {
        name, arn, accountId: ctx.accountId, region: ctx.region, fifo,
        created: now, lastModified: now, attributes: effective,
        tags: Object.assign(record<string>(), input.tags ?? {}), messages: [], deduplication: record(), sequence: 0,
        ...(fifo ? { deduplicationScope: effective.DeduplicationScope! } : {}),
      };
      state.queues[name] = queue;
      store.changed(queue);
      return { QueueUrl: urlOf(deps, queue) };
    },

    GetQueueUrl(ctx, input) {
      const queue = store.store.peek(input.QueueOwnerAWSAccountId ?? ctx.accountId, ctx.region)?.queues[input.QueueName];
      if (!queue) throw queueDoesNotExist();
      return { QueueUrl: urlOf(deps, queue) };
    },

    ListQueues(ctx, input) {
      const prefix = input.QueueNamePrefix ?? '';
      const queues = Object.values(store.of(ctx).queues).filter((q) => q.name.startsWith(prefix)).sort((a, b) => (a.name < b.name ? -1 : 1));
      const paged = input.MaxResults !== undefined || input.NextToken !== undefined;
      const { page, nextToken } = paginate(queues, {
        scope: `ListQueues ${prefix}`, key: (q) => q.name, nextToken: input.NextToken, max: paged ? input.MaxResults ?? 1000 : 1000,
        invalidToken: () => sqsError('InvalidParameterValue', 'Invalid NextToken value.'),
      });
      return { ...(page.length ? { QueueUrls: page.map((q) => urlOf(deps, q)) } : {}), ...(paged && nextToken ? { NextToken: nextToken } : {}) };
    },

    ListDeadLetterSourceQueues(ctx, input) {
      const target = findQueue(deps, ctx, input.QueueUrl);
      const sources = Object.values(store.at(target.accountId, target.region).queues)
        .filter((q) => q.attributes.RedrivePolicy && (JSON.parse(q.attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn === target.arn)
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const { page, nextToken } = paginate(sources, {
        scope: `ListDeadLetterSourceQueues ${target.arn}`, key: (q) => q.name, nextToken: input.NextToken, max: input.MaxResults ?? 1000,
        invalidToken: () => sqsError('InvalidParameterValue', 'Invalid NextToken value.'),
      });
      return { queueUrls: page.map((q) => urlOf(deps, q)), ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    DeleteQueue(ctx, input) {
      const queue = findQueue(deps, ctx, input.QueueUrl);
      const state = store.at(queue.accountId, queue.region);
      delete state.queues[queue.name];
      store.changed(queue);
      // the name stays taken for a minute; older records are dropped as new ones are made
      const now = clock.now();
      const deleted = (state.deleted ??= record<number>());
      for (const [name, at] of Object.entries(deleted)) {
        if (now - at >= DELETED_RECENTLY_MS) {
          delete deleted[name];
          store.deletedChanged(queue.accountId, queue.region, name);
        }
      }
      deleted[queue.name] = now;
      store.deletedChanged(queue.accountId, queue.region, queue.name);
      return {};
    },

    GetQueueAttributes(ctx, input) {
      const queue = findQueue(deps, ctx, input.QueueUrl);
      const attributes = readAttributes(queue, input.AttributeNames ?? [], clock.now());
      return Object.keys(attributes).length ? { Attributes: attributes } : {};
    },

    SetQueueAttributes(ctx, input) {
      const queue = findQueue(deps, ctx, input.QueueUrl);
      const attributes = validateAttributes(input.Attributes, queue.fifo, false);
      if (queue.fifo) checkThroughputPair({ ...queue.attributes, ...attributes });
      checkRedriveAllowed(deps, queue.arn, attributes.RedrivePolicy);
      for (const [key, value] of Object.entries(attributes)) {
        // an empty policy removes it, as AWS does
        if (value === '' && ['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId'].includes(key)) delete queue.attributes[key];
        else queue.attributes[key] = value;
      }
      queue.lastModified = clock.now();
      store.changed(queue);
      return {};
    },

    TagQueue(ctx, input) {
      const queue = findQueue(deps, ctx, input.QueueUrl);
      const merged = { ...queue.tags, ...input.Tags };
      if (Object.keys(merged).length > MAX_TAGS) throw sqsError('InvalidParameterValue', `Too many tags added for queue ${queue.name}.`);
      Object.assign(queue.tags, input.Tags);
      store.changed(queue);
      return {};
    },

    UntagQueue(ctx, input) {
      const queue = findQueue(deps, ctx, input.QueueUrl);
      for (const key of input.TagKeys) delete queue.tags[key];
      store.changed(queue);
      return {};
    },

    ListQueueTags(ctx, input) {
      const queue = findQueue(deps, ctx, input.QueueUrl);
      return Object.keys(queue.tags).length ? { Tags: { ...queue.tags } } : {};
    },

    PurgeQueue(ctx, input) {
      const queue = findQueue(deps, ctx, input.QueueUrl);
      const now = clock.now();
      if (deps.config.sqsDelayPurgeRetry && queue.purgedAt !== undefined && now - queue.purgedAt < 60_000) {
        throw sqsError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${queue.name} is allowed every 60 seconds.`);
      }
      queue.purgedAt = now;
      queue.messages = [];
      store.changed(queue);
      return {};
    },
  } satisfies Partial<SqsApi>;
}
