/**
 * SNS subscriptions: Subscribe (idempotent per topic and endpoint, endpoint checked as AWS
 * checks it per protocol), Unsubscribe (idempotent), ListSubscriptions(ByTopic) (100 a page),
 * Get/SetSubscriptionAttributes, ConfirmSubscription.
 *
 * sqs, lambda, firehose, sms and application subscriptions are confirmed at once (same
 * account); http/https and email/email-json wait for ConfirmSubscription with the token the
 * endpoint was sent (http/https: a SubscriptionConfirmation POST, http-endpoints.ts; email and
 * email-json: a confirmation mail recorded with the token, email.ts). Until then they are listed
 * with the ARN `PendingConfirmation`, and Subscribe answers `pending confirmation` unless
 * ReturnSubscriptionArn. Messages are AWS's as LocalStack's snapshot tests record them
 * (`Invalid parameter: ...`, `Subscription does not exist`).
 */
import { parseArn } from '../../aws/arns.js';
import { randomHex, uuid } from '../../aws/ids.js';
import { paginate } from '../../aws/pagination.js';
import { record } from '../../state/store.js';
import type { OperationContext } from '../provider.js';
import type { SnsApi, Subscription } from './api.generated.js';
import { snsError } from './errors.js';
import { checkFilterPolicy } from './filter-policy-check.js';
import type { SnsState, SnsStateAccess, StoredSubscription, StoredTopic } from './state.js';
import { topicOf } from './topics.js';

const PROTOCOLS = new Set(['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'application', 'lambda', 'firehose']);
const SETTABLE = new Set(['DeliveryPolicy', 'FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy', 'SubscriptionRoleArn', 'ReplayPolicy']);
/** E.164: a plus, then up to 15 digits, the first not 0. */
const E164 = /^\+?[1-9]\d{1,14}$/;
/** Protocols whose endpoints confirm by themselves (a token sent to them). */
const CONFIRMED_BY_ENDPOINT = new Set(['http', 'https', 'email', 'email-json']);

function invalid(what: string): Error {
  return snsError('InvalidParameterException', `Invalid parameter: ${what}`);
}

/** What a new subscription needs done after it is stored (http/https: the confirmation POST). */
export type OnSubscribed = (ctx: OperationContext, subscription: StoredSubscription, topic: StoredTopic, token: string) => void;

function checkEndpoint(protocol: string, endpoint: string | undefined): string {
  if (!PROTOCOLS.has(protocol)) throw invalid(`Amazon SNS does not support this protocol string: ${protocol}`);
  if (endpoint === undefined || endpoint === '') throw invalid('Endpoint');
  const arnOf = (service: string, what: string) => {
    const arn = parseArn(endpoint);
    if (!arn || arn.service !== service) throw invalid(`${what} endpoint ARN`);
  };
  switch (protocol) {
    case 'http':
    case 'https':
      if (!endpoint.toLowerCase().startsWith(`${protocol}://`)) throw invalid('Endpoint must match the specified protocol');
      break;
    case 'sms':
      if (!E164.test(endpoint)) throw snsError('InvalidParameterException', `Invalid SMS endpoint: ${endpoint}`);
      break;
    case 'email':
    case 'email-json':
      if (!/^[^@\s]+@[^@\s]+$/.test(endpoint)) throw invalid('Email address');
      break;
    case 'sqs':
      arnOf('sqs', 'SQS');
      break;
    case 'lambda':
      arnOf('lambda', 'Lambda');
      break;
    case 'firehose':
      arnOf('firehose', 'Firehose');
      break;
    case 'application':
      if (!parseArn(endpoint)) throw invalid('ApplicationEndpoint ARN');
      break;
  }
  return endpoint;
}

/**
 * Checks one subscription attribute; `prefix` differs between Subscribe and SetSubscriptionAttributes, as in AWS.
 * A RedrivePolicy's queue is not looked up: AWS takes any ARN when it is set (dead-letter.ts).
 */
function checkAttribute(name: string, value: string, prefix: string, topicArn: string, endpoint: string, scope: string): void {
  if (!SETTABLE.has(name)) throw snsError('InvalidParameterException', `${prefix}AttributeName`);
  switch (name) {
    case 'FilterPolicy':
      if (value !== '') checkFilterPolicy(value, scope, prefix);
      break;
    case 'FilterPolicyScope':
      if (value !== 'MessageAttributes' && value !== 'MessageBody') throw snsError('InvalidParameterException', `${prefix}FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`);
      break;
    case 'RawMessageDelivery':
      if (value.toLowerCase() !== 'true' && value.toLowerCase() !== 'false') throw snsError('InvalidParameterException', `${prefix}RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
      break;
    case 'RedrivePolicy': {
      let target: unknown;
      try {
        target = (JSON.parse(value) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
      } catch {
        throw snsError('InvalidParameterException', `${prefix}RedrivePolicy: failed to parse JSON.`);
      }
      const arn = typeof target === 'string' ? parseArn(target) : undefined;
      if (!arn) throw snsError('InvalidParameterException', `${prefix}RedrivePolicy: deadLetterTargetArn is an invalid arn`);
      if (topicArn.endsWith('.fifo') && endpoint.endsWith('.fifo') && (arn.service !== 'sqs' || !arn.resource.endsWith('.fifo'))) {
        throw snsError('InvalidParameterException', `${prefix}RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.`);
      }
      break;
    }
    case 'DeliveryPolicy':
      try {
        JSON.parse(value);
      } catch {
        throw snsError('InvalidParameterException', `${prefix}DeliveryPolicy: failed to parse JSON.`);
      }
      break;
  }
}

/** The subscriptions of a topic. */
export function subscriptionsOf(state: SnsState, topicArn: string): StoredSubscription[] {
  return Object.values(state.subscriptions).filter((s) => s.topicArn === topicArn);
}

function listed(s: StoredSubscription): Subscription {
  return { SubscriptionArn: s.pending ? 'PendingConfirmation' : s.arn, Owner: s.owner, Protocol: s.protocol, Endpoint: s.endpoint, TopicArn: s.topicArn };
}

/** The attributes GetSubscriptionAttributes answers. */
function subscriptionAttributes(s: StoredSubscription, partition: string): Record<string, string> {
  const out: Record<string, string> = record();
  if (!s.pending) out.ConfirmationWasAuthenticated = 'true';
  out.Endpoint = s.endpoint;
  out.Owner = s.owner;
  out.PendingConfirmation = String(s.pending);
  out.Protocol = s.protocol;
  out.RawMessageDelivery = s.attributes.RawMessageDelivery ?? 'false';
  out.SubscriptionArn = s.arn;
  out.SubscriptionPrincipal = `arn:${partition}:iam::${s.owner}:user/DummySNSPrincipal`;
  out.TopicArn = s.topicArn;
  for (const [name, value] of Object.entries(s.attributes)) {
    if (name !== 'RawMessageDelivery' && name !== 'FilterPolicyScope') out[name] = value;
  }
  if (s.attributes.FilterPolicy) out.FilterPolicyScope = s.attributes.FilterPolicyScope ?? 'MessageAttributes';
  return out;
}

export function subscriptionOperations(state: SnsStateAccess, onSubscribed: OnSubscribed) {
  function subscriptionOf(ctx: OperationContext, arn: string): StoredSubscription {
    const parsed = parseArn(arn);
    const id = parsed?.resource.split(':')[1];
    const sub = parsed && id && parsed.accountId === ctx.accountId && parsed.region === ctx.region ? state.of(ctx).subscriptions[id] : undefined;
    if (!sub || sub.arn !== arn) throw snsError('NotFoundException', 'Subscription does not exist');
    return sub;
  }

  return {
    Subscribe(ctx, input) {
      const topic = topicOf(state, ctx, input.TopicArn);
      const endpoint = checkEndpoint(input.Protocol, input.Endpoint);
      if (endpoint.endsWith('.fifo') && input.Protocol === 'sqs' && !topic.name.endsWith('.fifo')) {
        throw invalid('Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics');
      }
      const attributes: Record<string, string> = record();
      const given = input.Attributes ?? {};
      for (const [name, value] of Object.entries(given)) {
        checkAttribute(name, value, 'Invalid parameter: Attributes Reason: ', topic.arn, endpoint, given.FilterPolicyScope ?? 'MessageAttributes');
        attributes[name] = name === 'RawMessageDelivery' ? value.toLowerCase() : value;
      }
      const s = state.of(ctx);
      const existing = subscriptionsOf(s, topic.arn).find((x) => x.protocol === input.Protocol && x.endpoint === endpoint);
      if (existing) {
        for (const [name, value] of Object.entries(attributes)) {
          if ((existing.attributes[name] ?? (name === 'RawMessageDelivery' ? 'false' : undefined)) !== value) throw invalid('Attributes Reason: Subscription already exists with different attributes');
        }
        return { SubscriptionArn: existing.pending && !input.ReturnSubscriptionArn ? 'pending confirmation' : existing.arn };
      }
      const id = uuid();
      const sub: StoredSubscription = { id, arn: `${topic.arn}:${id}`, topicArn: topic.arn, protocol: input.Protocol, endpoint, owner: ctx.accountId, pending: CONFIRMED_BY_ENDPOINT.has(input.Protocol), attributes };
      s.subscriptions[id] = sub;
      state.subscriptionChanged(ctx, id);
      let token = '';
      if (sub.pending) {
        token = randomHex(128);
        s.tokens[token] = id;
        state.tokenChanged(ctx, token);
      }
      onSubscribed(ctx, sub, topic, token);
      return { SubscriptionArn: sub.pending && !input.ReturnSubscriptionArn ? 'pending confirmation' : sub.arn };
    },

    ConfirmSubscription(ctx, input) {
      const topic = topicOf(state, ctx, input.TopicArn, 'Topic');
      const s = state.of(ctx);
      const id = s.tokens[input.Token];
      const sub = id === undefined ? undefined : s.subscriptions[id];
      if (!sub || sub.topicArn !== topic.arn) throw invalid('Token');
      if (sub.pending) {
        sub.pending = false;
        state.subscriptionChanged(ctx, sub.id);
      }
      return { SubscriptionArn: sub.arn };
    },

    Unsubscribe(ctx, input) {
      const parsed = parseArn(input.SubscriptionArn);
      if (!parsed) throw invalid(`SubscriptionArn Reason: An ARN must have at least 6 elements, not ${input.SubscriptionArn.split(':').length}`);
      const id = parsed.resource.split(':')[1];
      if (id === undefined) throw invalid('SubscriptionId');
      const s = state.of(ctx);
      const sub = parsed.accountId === ctx.accountId && parsed.region === ctx.region ? s.subscriptions[id] : undefined;
      if (sub && sub.arn === input.SubscriptionArn) removeSubscription(state, ctx, sub);
      return {};
    },

    ListSubscriptions(ctx, input) {
      const all = Object.values(state.of(ctx).subscriptions).sort((x, y) => (x.arn < y.arn ? -1 : x.arn > y.arn ? 1 : 0));
      const { page, nextToken } = paginate(all, { scope: 'sns:ListSubscriptions', key: (x) => x.arn, nextToken: input.NextToken, max: 100, invalidToken: () => invalid('NextToken') });
      return { Subscriptions: page.map(listed), NextToken: nextToken };
    },

    ListSubscriptionsByTopic(ctx, input) {
      const topic = topicOf(state, ctx, input.TopicArn);
      const all = subscriptionsOf(state.of(ctx), topic.arn).sort((x, y) => (x.arn < y.arn ? -1 : x.arn > y.arn ? 1 : 0));
      const { page, nextToken } = paginate(all, { scope: `sns:ListSubscriptionsByTopic:${topic.arn}`, key: (x) => x.arn, nextToken: input.NextToken, max: 100, invalidToken: () => invalid('NextToken') });
      return { Subscriptions: page.map(listed), NextToken: nextToken };
    },

    GetSubscriptionAttributes(ctx, input) {
      const sub = subscriptionOf(ctx, input.SubscriptionArn);
      return { Attributes: subscriptionAttributes(sub, parseArn(sub.arn)!.partition) };
    },

    SetSubscriptionAttributes(ctx, input) {
      const sub = subscriptionOf(ctx, input.SubscriptionArn);
      const value = input.AttributeValue ?? '';
      checkAttribute(input.AttributeName, value, 'Invalid parameter: ', sub.topicArn, sub.endpoint, sub.attributes.FilterPolicyScope ?? 'MessageAttributes');
      if (input.AttributeName === 'FilterPolicyScope' && sub.attributes.FilterPolicy) checkFilterPolicy(sub.attributes.FilterPolicy, value, 'Invalid parameter: ');
      if (value === '' && input.AttributeName !== 'RawMessageDelivery') delete sub.attributes[input.AttributeName];
      else sub.attributes[input.AttributeName] = input.AttributeName === 'RawMessageDelivery' ? value.toLowerCase() : value;
      state.subscriptionChanged(ctx, sub.id);
      return {};
    },
  } satisfies Partial<SnsApi>;
}

/** Removes a subscription and the tokens that would confirm it. */
export function removeSubscription(state: SnsStateAccess, ctx: OperationContext, sub: StoredSubscription): void {
  const s = state.of(ctx);
  delete s.subscriptions[sub.id];
  state.subscriptionChanged(ctx, sub.id);
  for (const [token, id] of Object.entries(s.tokens)) {
    if (id === sub.id) {
      delete s.tokens[token];
      state.tokenChanged(ctx, token);
    }
  }
}

/** The subscription counts GetTopicAttributes reports. */
export function subscriptionCounts(state: SnsStateAccess, ctx: OperationContext, topic: StoredTopic) {
  const subs = subscriptionsOf(state.of(ctx), topic.arn);
  const pending = subs.filter((x) => x.pending).length;
  return { confirmed: subs.length - pending, pending, deleted: 0 };
}
