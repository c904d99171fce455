/**
 * SNS topics: CreateTopic (idempotent: the same name with the same attributes and tags answers
 * the same ARN), DeleteTopic (idempotent, as AWS documents), ListTopics (100 a page),
 * Get/SetTopicAttributes, Get/PutDataProtectionPolicy.
 *
 * Attributes are kept as the caller set them; what AWS derives (Owner, TopicArn, the default
 * Policy, EffectiveDeliveryPolicy, the subscription counts) is computed when read, so a change of
 * account or a later subscription never leaves a stale copy in the state. Messages are AWS's:
 * `Invalid parameter: Topic Name`, `Topic does not exist` (NotFound, 404), and for FIFO names
 * the sentence AWS answers when FifoTopic is set without the `.fifo` suffix (recorded in
 * LocalStack's snapshot tests of SNS against AWS).
 */
import { arnFor, parseArn } from '../../aws/arns.js';
import { paginate } from '../../aws/pagination.js';
import { record } from '../../state/store.js';
import type { OperationContext, ProviderContext } from '../provider.js';
import type { SnsApi } from './api.generated.js';
import { snsError } from './errors.js';
import type { SnsStateAccess, StoredTopic } from './state.js';
import { checkTags } from './tags.js';

const NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;

/** Attributes SetTopicAttributes (and CreateTopic) accept, as AWS's API reference lists them. */
const SETTABLE = new Set([
  'DeliveryPolicy', 'DisplayName', 'Policy', 'TracingConfig', 'KmsMasterKeyId', 'SignatureVersion',
  'ContentBasedDeduplication', 'FifoTopic', 'ArchivePolicy', 'FifoThroughputScope',
  ...['Application', 'Firehose', 'HTTP', 'Lambda', 'SQS'].flatMap((p) => [`${p}SuccessFeedbackRoleArn`, `${p}SuccessFeedbackSampleRate`, `${p}FailureFeedbackRoleArn`]),
]);

/** The delivery policy AWS reports for a topic that has none of its own. */
export const DEFAULT_EFFECTIVE_DELIVERY_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
});

/** The access policy AWS gives a topic created without one. */
export function defaultTopicPolicy(arn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [{
      Sid: '__default_statement_ID',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
      Resource: arn,
      Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
    }],
  });
}

function invalid(what: string): Error {
  return snsError('InvalidParameterException', `Invalid parameter: ${what}`);
}

function notFound(): Error {
  return snsError('NotFoundException', 'Topic does not exist');
}

/** The caller's topic an ARN names, or NotFound; a string that is no topic ARN is InvalidParameter. */
export function topicOf(state: SnsStateAccess, ctx: OperationContext, arn: string, member = 'TopicArn'): StoredTopic {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'sns' || !parsed.resource || parsed.resource.includes(':')) throw invalid(member);
  const topic = parsed.accountId === ctx.accountId && parsed.region === ctx.region ? state.of(ctx).topics[parsed.resource] : undefined;
  if (!topic) throw notFound();
  return topic;
}

/** Checks one attribute's value as AWS does, for a topic that is (or will be) FIFO or not. */
function checkAttribute(name: string, value: string, fifo: boolean): void {
  if (!SETTABLE.has(name)) throw invalid('AttributeName');
  switch (name) {
    case 'DeliveryPolicy':
    case 'Policy':
    case 'TracingConfig':
      if (name === 'TracingConfig') {
        if (value !== 'Active' && value !== 'PassThrough') throw invalid(`Attributes Reason: ${name}: Value ${value} is invalid`);
        break;
      }
      if (value !== '' && !isJsonObject(value)) throw invalid(`${name}: failed to parse JSON`);
      break;
    case 'SignatureVersion':
      if (value !== '1' && value !== '2') throw invalid('SignatureVersion');
      break;
    case 'ContentBasedDeduplication':
      if (value !== 'true' && value !== 'false') throw invalid(`Attributes Reason: ${name}: Value ${value} is invalid`);
      if (!fifo) throw invalid('ContentBasedDeduplication Reason: Content based deduplication can only be set for FIFO topics');
      break;
    case 'FifoThroughputScope':
      if (!fifo) throw invalid('Attributes Reason: FifoThroughputScope can only be set for FIFO topics.');
      if (value !== 'Topic' && value !== 'MessageGroup') throw invalid(`Attributes Reason: ${name}: Value ${value} is invalid`);
      break;
    case 'ArchivePolicy':
      checkArchivePolicy(value, fifo);
      break;
  }
}

/**
 * ArchivePolicy: FIFO topics only (message archiving is a FIFO feature), a JSON object whose
 * MessageRetentionPeriod is a whole number of days from 1 to 365 (AWS's developer guide,
 * "message archiving and replay for FIFO topics"); `{}` or '' turns archiving off.
 */
function checkArchivePolicy(value: string, fifo: boolean): void {
  if (!fifo) throw invalid('ArchivePolicy Reason: Message archiving can only be set for FIFO topics');
  if (value === '') return;
  if (!isJsonObject(value)) throw invalid('ArchivePolicy: failed to parse JSON');
  const doc = JSON.parse(value) as Record<string, unknown>;
  for (const key of Object.keys(doc)) if (key !== 'MessageRetentionPeriod') throw invalid(`ArchivePolicy Reason: Unrecognized field ${key}`);
  if (!('MessageRetentionPeriod' in doc)) return;
  const days = doc.MessageRetentionPeriod;
  const n = typeof days === 'number' ? days : typeof days === 'string' && /^\d+$/.test(days) ? Number(days) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 365) throw invalid('ArchivePolicy Reason: MessageRetentionPeriod must be an integer between 1 and 365 days');
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** The attributes GetTopicAttributes answers: the stored ones, and what AWS derives. */
export function topicAttributes(topic: StoredTopic, accountId: string, counts: { confirmed: number; pending: number; deleted: number }): Record<string, string> {
  const a = topic.attributes;
  const out: Record<string, string> = record();
  out.Policy = a.Policy || defaultTopicPolicy(topic.arn, accountId);
  out.Owner = accountId;
  out.SubscriptionsPending = String(counts.pending);
  out.TopicArn = topic.arn;
  out.EffectiveDeliveryPolicy = a.DeliveryPolicy || DEFAULT_EFFECTIVE_DELIVERY_POLICY;
  out.SubscriptionsConfirmed = String(counts.confirmed);
  out.DisplayName = a.DisplayName ?? '';
  out.SubscriptionsDeleted = String(counts.deleted);
  for (const [name, value] of Object.entries(a)) {
    if (name === 'Policy' || name === 'DisplayName') continue;
    out[name] = value;
  }
  if (a.FifoTopic === 'true') out.ContentBasedDeduplication = a.ContentBasedDeduplication ?? 'false';
  return out;
}

/** The topic handlers; `counts` says how many subscriptions a topic has (subscriptions.ts). */
export function topicOperations(context: ProviderContext, state: SnsStateAccess, counts: (ctx: OperationContext, topic: StoredTopic) => { confirmed: number; pending: number; deleted: number }, onDelete: (ctx: OperationContext, topic: StoredTopic) => void) {
  return {
    CreateTopic(ctx, input) {
      const attributes = { ...(input.Attributes ?? {}) };
      const fifo = (attributes.FifoTopic ?? '').toLowerCase() === 'true';
      if (fifo && !input.Name.endsWith('.fifo')) {
        throw snsError('InvalidParameterException', 'Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.');
      }
      if (!(fifo ? FIFO_NAME : NAME).test(input.Name)) throw invalid('Topic Name');
      if ('FifoTopic' in attributes) {
        if (!fifo && attributes.FifoTopic.toLowerCase() !== 'false') throw invalid(`Attributes Reason: FifoTopic: Value ${attributes.FifoTopic} is invalid`);
        if (fifo) attributes.FifoTopic = 'true';
        else delete attributes.FifoTopic;
      }
      for (const [name, value] of Object.entries(attributes)) checkAttribute(name, value, fifo);
      const tags = checkTags(input.Tags ?? []);
      const topics = state.of(ctx).topics;
      const existing = topics[input.Name];
      if (existing) {
        for (const [name, value] of Object.entries(attributes)) {
          if (existing.attributes[name] !== value) throw invalid('Attributes Reason: Topic already exists with different attributes');
        }
        for (const [key, value] of Object.entries(tags)) {
          if (existing.tags[key] !== value) throw invalid('Tags Reason: Topic already exists with different tags');
        }
        return { TopicArn: existing.arn };
      }
      const topic: StoredTopic = { name: input.Name, arn: arnFor(ctx, 'sns', input.Name), created: context.clock.now(), attributes: Object.assign(record<string>(), attributes), tags, dataProtectionPolicy: input.DataProtectionPolicy ?? '' };
      topics[input.Name] = topic;
      state.topicChanged(ctx, input.Name);
      return { TopicArn: topic.arn };
    },

    DeleteTopic(ctx, input) {
      let topic: StoredTopic;
      try {
        topic = topicOf(state, ctx, input.TopicArn);
      } catch (e) {
        // idempotent: a topic that does not exist is deleted already
        if ((e as { code?: string }).code === 'NotFound') return {};
        throw e;
      }
      onDelete(ctx, topic);
      delete state.of(ctx).topics[topic.name];
      state.topicChanged(ctx, topic.name);
      return {};
    },

    ListTopics(ctx, input) {
      const topics = Object.values(state.of(ctx).topics);
      topics.sort((x, y) => (x.arn < y.arn ? -1 : x.arn > y.arn ? 1 : 0));
      const { page, nextToken } = paginate(topics, { scope: 'sns:ListTopics', key: (t) => t.arn, nextToken: input.NextToken, max: 100, invalidToken: () => invalid('NextToken') });
      return { Topics: page.map((t) => ({ TopicArn: t.arn })), NextToken: nextToken };
    },

    GetTopicAttributes(ctx, input) {
      const topic = topicOf(state, ctx, input.TopicArn);
      return { Attributes: topicAttributes(topic, ctx.accountId, counts(ctx, topic)) };
    },

    SetTopicAttributes(ctx, input) {
      const topic = topicOf(state, ctx, input.TopicArn);
      const fifo = topic.attributes.FifoTopic === 'true';
      if (input.AttributeName === 'FifoTopic') throw invalid('AttributeName');
      const value = input.AttributeValue ?? '';
      checkAttribute(input.AttributeName, value, fifo);
      if (value === '' && input.AttributeName !== 'DisplayName') delete topic.attributes[input.AttributeName];
      else topic.attributes[input.AttributeName] = value;
      state.topicChanged(ctx, topic.name);
      return {};
    },

    GetDataProtectionPolicy(ctx, input) {
      const topic = topicOf(state, ctx, input.ResourceArn, 'ResourceArn');
      return { DataProtectionPolicy: topic.dataProtectionPolicy };
    },

    PutDataProtectionPolicy(ctx, input) {
      const topic = topicOf(state, ctx, input.ResourceArn, 'ResourceArn');
      if (input.DataProtectionPolicy !== '' && !isJsonObject(input.DataProtectionPolicy)) throw invalid('DataProtectionPolicy');
      topic.dataProtectionPolicy = input.DataProtectionPolicy;
      state.topicChanged(ctx, topic.name);
      return {};
    },
  } satisfies Partial<SnsApi>;
}
