/**
 * SNS's resource types: AWS::SNS::Topic, AWS::SNS::Subscription, AWS::SNS::TopicPolicy.
 *
 * A topic's Ref is its ARN; GetAtt reads TopicArn and TopicName. A new topic when TopicName or
 * FifoTopic change (a generated name ends in `.fifo` for a FIFO topic); its attributes,
 * DataProtectionPolicy, inline Subscription list (each `{ Endpoint, Protocol }` subscribed, and
 * unsubscribed when the list drops it) and tags change in place.
 *
 * A subscription's Ref is its ARN (GetAtt Arn as well); its attributes (RawMessageDelivery,
 * FilterPolicy and RedrivePolicy as objects, FilterPolicyScope, DeliveryPolicy, ...) change in
 * place, a new Endpoint, Protocol or TopicArn makes a new subscription. `Region` is accepted
 * for the stack's own region only (a topic of another region is not reached).
 *
 * A topic policy's Ref is a generated id (GetAtt Id); its document becomes each listed topic's
 * Policy attribute, and a topic it no longer lists (or every topic, on delete) gets SNS's
 * default policy back.
 */
import { bool, differs, ignoring, jsonText, tagList, tagsOf, type TagList } from './property-values.js';
import type { PropertyValue, ResourceContext, ResourceState, ResourceType } from './resource-type.js';

/** AWS::SNS::Topic's properties. */
export interface TopicProperties {
  TopicName?: string;
  DisplayName?: string;
  FifoTopic?: boolean | string;
  ContentBasedDeduplication?: boolean | string;
  KmsMasterKeyId?: string;
  SignatureVersion?: string | number;
  TracingConfig?: string;
  ArchivePolicy?: PropertyValue;
  DeliveryPolicy?: PropertyValue;
  FifoThroughputScope?: string;
  DataProtectionPolicy?: PropertyValue;
  Subscription?: readonly { Endpoint: string; Protocol: string }[];
  Tags?: TagList;
}

/** Topic properties that are topic attributes, with the value that clears each. */
const TOPIC_ATTRIBUTES = ['DisplayName', 'KmsMasterKeyId', 'SignatureVersion', 'TracingConfig', 'ArchivePolicy', 'DeliveryPolicy', 'FifoThroughputScope', 'ContentBasedDeduplication'] as const;

function topicAttributes(props: TopicProperties): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of TOPIC_ATTRIBUTES) {
    const value = props[key];
    if (value === undefined) continue;
    if (key === 'ContentBasedDeduplication') {
      // only a FIFO topic takes it; `false` on a standard topic is what it has anyway
      if (bool(props.FifoTopic) || bool(value)) out[key] = String(bool(value));
      continue;
    }
    out[key] = typeof value === 'object' ? jsonText(value)! : String(value);
  }
  return out;
}

const GONE = ['NotFound', 'NotFoundException'];

function topicState(arn: string): ResourceState {
  return { physicalId: arn, attributes: { TopicArn: arn, TopicName: arn.slice(arn.lastIndexOf(':') + 1) } };
}

async function subscriptionsOf(ctx: ResourceContext, topicArn: string): Promise<{ arn: string; protocol: string; endpoint: string }[]> {
  const out: { arn: string; protocol: string; endpoint: string }[] = [];
  let token: string | undefined;
  do {
    const page = await ctx.call('sns', 'ListSubscriptionsByTopic', { TopicArn: topicArn, ...(token ? { NextToken: token } : {}) });
    for (const s of page.Subscriptions ?? []) out.push({ arn: s.SubscriptionArn ?? '', protocol: s.Protocol ?? '', endpoint: s.Endpoint ?? '' });
    token = page.NextToken;
  } while (token);
  return out;
}

/** AWS::SNS::Topic. */
export const topic: ResourceType<TopicProperties> = {
  type: 'AWS::SNS::Topic',
  nameProperty: 'TopicName',
  createOnly: ['TopicName', 'FifoTopic'],
  attributes: ['TopicArn', 'TopicName'],
  async create(ctx, props) {
    const fifo = bool(props.FifoTopic) === true;
    const name = props.TopicName ?? ctx.physicalName({ max: 256, suffix: fifo ? '.fifo' : '' });
    const tags = tagsOf(ctx.stackTags, props.Tags);
    const { TopicArn } = await ctx.call('sns', 'CreateTopic', {
      Name: name,
      Attributes: { ...topicAttributes(props), ...(fifo ? { FifoTopic: 'true' } : {}) },
      ...(Object.keys(tags).length ? { Tags: tagList(tags) } : {}),
      ...(props.DataProtectionPolicy !== undefined ? { DataProtectionPolicy: jsonText(props.DataProtectionPolicy)! } : {}),
    });
    for (const s of props.Subscription ?? []) await ctx.call('sns', 'Subscribe', { TopicArn: TopicArn!, Protocol: s.Protocol, Endpoint: s.Endpoint });
    return topicState(TopicArn!);
  },
  async update(ctx, current, props, previous) {
    const arn = current.physicalId;
    const next = topicAttributes(props);
    const before = topicAttributes(previous);
    for (const key of new Set([...Object.keys(next), ...Object.keys(before)])) {
      if (next[key] !== before[key]) await ctx.call('sns', 'SetTopicAttributes', { TopicArn: arn, AttributeName: key, AttributeValue: next[key] ?? (key === 'ContentBasedDeduplication' ? 'false' : '') });
    }
    if (differs(props.DataProtectionPolicy, previous.DataProtectionPolicy)) {
      await ctx.call('sns', 'PutDataProtectionPolicy', { ResourceArn: arn, DataProtectionPolicy: jsonText(props.DataProtectionPolicy) ?? '' });
    }
    if (differs(props.Subscription, previous.Subscription)) {
      const key = (s: { Protocol: string; Endpoint: string }) => `${s.Protocol}\n${s.Endpoint}`;
      const wanted = new Set((props.Subscription ?? []).map(key));
      const had = new Set((previous.Subscription ?? []).map(key));
      for (const s of await subscriptionsOf(ctx, arn)) {
        const k = `${s.protocol}\n${s.endpoint}`;
        if (had.has(k) && !wanted.has(k) && s.arn.startsWith('arn:')) await ignoring(GONE, () => ctx.call('sns', 'Unsubscribe', { SubscriptionArn: s.arn }));
      }
      for (const s of props.Subscription ?? []) if (!had.has(key(s))) await ctx.call('sns', 'Subscribe', { TopicArn: arn, Protocol: s.Protocol, Endpoint: s.Endpoint });
    }
    const tags = tagsOf(ctx.stackTags, props.Tags);
    const old = (await ctx.call('sns', 'ListTagsForResource', { ResourceArn: arn })).Tags ?? [];
    const removed = old.filter((t) => !(t.Key in tags)).map((t) => t.Key);
    if (removed.length) await ctx.call('sns', 'UntagResource', { ResourceArn: arn, TagKeys: removed });
    const added = tagList(tags).filter((t) => !old.some((o) => o.Key === t.Key && o.Value === t.Value));
    if (added.length) await ctx.call('sns', 'TagResource', { ResourceArn: arn, Tags: added });
    return topicState(arn);
  },
  async delete(ctx, current) {
    await ignoring(GONE, () => ctx.call('sns', 'DeleteTopic', { TopicArn: current.physicalId }));
  },
};

/** AWS::SNS::Subscription's properties. */
export interface SubscriptionProperties {
  TopicArn: string;
  Protocol: string;
  Endpoint?: string;
  Region?: string;
  RawMessageDelivery?: boolean | string;
  FilterPolicy?: PropertyValue;
  FilterPolicyScope?: string;
  RedrivePolicy?: PropertyValue;
  DeliveryPolicy?: PropertyValue;
  SubscriptionRoleArn?: string;
  ReplayPolicy?: PropertyValue;
}

const SUBSCRIPTION_ATTRIBUTES = ['RawMessageDelivery', 'FilterPolicy', 'FilterPolicyScope', 'RedrivePolicy', 'DeliveryPolicy', 'SubscriptionRoleArn', 'ReplayPolicy'] as const;

function subscriptionAttributes(props: SubscriptionProperties): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of SUBSCRIPTION_ATTRIBUTES) {
    const value = props[key];
    if (value === undefined || value === null) continue;
    out[key] = key === 'RawMessageDelivery' ? String(bool(value)) : typeof value === 'object' ? jsonText(value)! : String(value);
  }
  return out;
}

/** AWS::SNS::Subscription. */
export const subscription: ResourceType<SubscriptionProperties> = {
  type: 'AWS::SNS::Subscription',
  required: ['TopicArn', 'Protocol'],
  createOnly: ['Endpoint', 'Protocol', 'TopicArn', 'Region'],
  attributes: ['Arn'],
  async create(ctx, props) {
    const attributes = subscriptionAttributes(props);
    const { SubscriptionArn } = await ctx.call('sns', 'Subscribe', {
      TopicArn: props.TopicArn,
      Protocol: props.Protocol,
      ...(props.Endpoint !== undefined ? { Endpoint: props.Endpoint } : {}),
      ...(Object.keys(attributes).length ? { Attributes: attributes } : {}),
      ReturnSubscriptionArn: true,
    });
    return { physicalId: SubscriptionArn!, attributes: { Arn: SubscriptionArn! } };
  },
  async update(ctx, current, props, previous) {
    const next = subscriptionAttributes(props);
    const before = subscriptionAttributes(previous);
    for (const key of new Set([...Object.keys(next), ...Object.keys(before)])) {
      if (next[key] !== before[key]) await ctx.call('sns', 'SetSubscriptionAttributes', { SubscriptionArn: current.physicalId, AttributeName: key, AttributeValue: next[key] ?? (key === 'RawMessageDelivery' ? 'false' : '') });
    }
    return current;
  },
  async delete(ctx, current) {
    await ignoring(GONE, () => ctx.call('sns', 'Unsubscribe', { SubscriptionArn: current.physicalId }));
  },
};

/** AWS::SNS::TopicPolicy's properties. */
export interface TopicPolicyProperties {
  PolicyDocument: PropertyValue;
  Topics: readonly string[];
}

async function setPolicy(ctx: ResourceContext, topics: readonly string[], policy: string, ignoreGone: boolean): Promise<void> {
  for (const arn of topics) {
    const call = () => ctx.call('sns', 'SetTopicAttributes', { TopicArn: arn, AttributeName: 'Policy', AttributeValue: policy });
    if (ignoreGone) await ignoring(GONE, call);
    else await call();
  }
}

/** AWS::SNS::TopicPolicy. */
export const topicPolicy: ResourceType<TopicPolicyProperties> = {
  type: 'AWS::SNS::TopicPolicy',
  required: ['PolicyDocument', 'Topics'],
  attributes: ['Id'],
  async create(ctx, props) {
    await setPolicy(ctx, props.Topics, jsonText(props.PolicyDocument)!, false);
    const id = ctx.physicalName();
    return { physicalId: id, attributes: { Id: id } };
  },
  async update(ctx, current, props, previous) {
    // '' gives a topic SNS's default policy back
    await setPolicy(ctx, previous.Topics.filter((t) => !props.Topics.includes(t)), '', true);
    await setPolicy(ctx, props.Topics, jsonText(props.PolicyDocument)!, false);
    return current;
  },
  async delete(ctx, _current, props) {
    await setPolicy(ctx, props.Topics ?? [], '', true);
  },
};

/** This service's resource types, as resources/index.ts loads them. */
export const resourceTypes = [topic, subscription, topicPolicy];
