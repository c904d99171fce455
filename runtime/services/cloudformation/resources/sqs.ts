/**
 * SQS's resource types: AWS::SQS::Queue (Ref: the queue URL; GetAtt Arn, QueueName, QueueUrl;
 * a new queue when QueueName or FifoQueue change) and AWS::SQS::QueuePolicy (Ref: a generated
 * id; the policy set on each queue it names). Properties map to queue attributes as strings;
 * RedrivePolicy and RedriveAllowPolicy are JSON objects (or JSON text) in the template. The
 * stack's tags go on the queue under the template's own Tags.
 */
import { ServiceError } from '../../../aws/errors.js';
import type { PropertyValue, ResourceContext, ResourceState, ResourceType } from './resource-type.js';

type Tags = { Key: string; Value: string }[];

/** AWS::SQS::Queue's properties. */
export interface QueueProperties {
  QueueName?: string;
  FifoQueue?: boolean | string;
  ContentBasedDeduplication?: boolean | string;
  DeduplicationScope?: string;
  FifoThroughputLimit?: string;
  DelaySeconds?: number | string;
  MaximumMessageSize?: number | string;
  MessageRetentionPeriod?: number | string;
  ReceiveMessageWaitTimeSeconds?: number | string;
  VisibilityTimeout?: number | string;
  KmsMasterKeyId?: string;
  KmsDataKeyReusePeriodSeconds?: number | string;
  SqsManagedSseEnabled?: boolean | string;
  RedrivePolicy?: PropertyValue;
  RedriveAllowPolicy?: PropertyValue;
  Tags?: Tags;
}

/** Attribute properties and the value SetQueueAttributes restores when one is removed. */
const ATTRIBUTES: Readonly<Record<string, string>> = {
  ContentBasedDeduplication: 'false',
  DeduplicationScope: 'queue',
  FifoThroughputLimit: 'perQueue',
  DelaySeconds: '0',
  MaximumMessageSize: '1048576',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  KmsMasterKeyId: '',
  KmsDataKeyReusePeriodSeconds: '300',
  SqsManagedSseEnabled: 'true',
  RedrivePolicy: '',
  RedriveAllowPolicy: '',
};

const isTrue = (value: unknown) => value === true || value === 'true';

function attributeText(value: PropertyValue | undefined): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function attributesOf(props: QueueProperties): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(ATTRIBUTES)) {
    const value = props[key as keyof QueueProperties] as PropertyValue | undefined;
    if (value !== undefined) out[key] = attributeText(value);
  }
  if (isTrue(props.FifoQueue)) out['FifoQueue'] = 'true';
  return out;
}

function tagMap(tags: Tags | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => [t.Key, t.Value]));
}

/** Whether an error says the queue is gone (deleting twice is no failure). */
function gone(error: unknown): boolean {
  return error instanceof ServiceError && (error.code === 'QueueDoesNotExist' || error.code === 'AWS.SimpleQueueService.NonExistentQueue');
}

async function queueState(ctx: ResourceContext, url: string, name: string): Promise<ResourceState> {
  const { Attributes } = await ctx.call('sqs', 'GetQueueAttributes', { QueueUrl: url, AttributeNames: ['QueueArn'] });
  return { physicalId: url, attributes: { Arn: Attributes?.['QueueArn'] ?? '', QueueName: name, QueueUrl: url } };
}

export const queue: ResourceType<QueueProperties> = {
  type: 'AWS::SQS::Queue',
  createOnly: ['QueueName', 'FifoQueue'],
  nameProperty: 'QueueName',
  attributes: ['Arn', 'QueueName', 'QueueUrl'],
  async create(ctx, props) {
    const name = props.QueueName ?? ctx.physicalName({ max: 80, suffix: isTrue(props.FifoQueue) ? '.fifo' : '' });
    const tags = { ...ctx.stackTags, ...tagMap(props.Tags) };
    const { QueueUrl } = await ctx.call('sqs', 'CreateQueue', { QueueName: name, Attributes: attributesOf(props), ...(Object.keys(tags).length ? { tags } : {}) });
    return queueState(ctx, QueueUrl!, name);
  },
  async update(ctx, current, props, previous) {
    const url = current.physicalId;
    const next = attributesOf(props);
    const before = attributesOf(previous);
    const changed: Record<string, string> = {};
    for (const key of new Set([...Object.keys(next), ...Object.keys(before)])) {
      if (key === 'FifoQueue') continue;
      if (next[key] !== before[key]) changed[key] = next[key] ?? ATTRIBUTES[key]!;
    }
    if (Object.keys(changed).length) await ctx.call('sqs', 'SetQueueAttributes', { QueueUrl: url, Attributes: changed });
    // the queue's tags become the stack's and the template's, whatever they were
    const tags = { ...ctx.stackTags, ...tagMap(props.Tags) };
    const old = (await ctx.call('sqs', 'ListQueueTags', { QueueUrl: url })).Tags ?? {};
    const removed = Object.keys(old).filter((k) => !(k in tags));
    if (removed.length) await ctx.call('sqs', 'UntagQueue', { QueueUrl: url, TagKeys: removed });
    const added = Object.fromEntries(Object.entries(tags).filter(([k, v]) => old[k] !== v));
    if (Object.keys(added).length) await ctx.call('sqs', 'TagQueue', { QueueUrl: url, Tags: added });
    return queueState(ctx, url, String(current.attributes['QueueName']));
  },
  async delete(ctx, current) {
    try {
      await ctx.call('sqs', 'DeleteQueue', { QueueUrl: current.physicalId });
    } catch (error) {
      if (!gone(error)) throw error;
    }
  },
};

/** AWS::SQS::QueuePolicy's properties. */
export interface QueuePolicyProperties {
  PolicyDocument: PropertyValue;
  Queues: string[];
}

async function setPolicy(ctx: ResourceContext, urls: readonly string[], policy: string, ignoreGone: boolean): Promise<void> {
  for (const url of urls) {
    try {
      await ctx.call('sqs', 'SetQueueAttributes', { QueueUrl: url, Attributes: { Policy: policy } });
    } catch (error) {
      if (!ignoreGone || !gone(error)) throw error;
    }
  }
}

export const queuePolicy: ResourceType<QueuePolicyProperties> = {
  type: 'AWS::SQS::QueuePolicy',
  required: ['PolicyDocument', 'Queues'],
  attributes: ['Id'],
  async create(ctx, props) {
    await setPolicy(ctx, props.Queues, attributeText(props.PolicyDocument), false);
    const id = ctx.physicalName();
    return { physicalId: id, attributes: { Id: id } };
  },
  async update(ctx, current, props, previous) {
    await setPolicy(ctx, previous.Queues.filter((q) => !props.Queues.includes(q)), '', true);
    await setPolicy(ctx, props.Queues, attributeText(props.PolicyDocument), false);
    return current;
  },
  async delete(ctx, _current, props) {
    await setPolicy(ctx, props.Queues ?? [], '', true);
  },
};

export const resourceTypes = [queue, queuePolicy];
