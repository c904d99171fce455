/**
 * Publish and PublishBatch: the message is checked (message-checks.ts), then handed to every
 * confirmed subscription of the topic whose filter policy matches (filter-policy.ts):
 *
 *   - sqs: SendMessage through the runtime's delivery queue (context.deliveries), with the
 *     Notification envelope (envelope.ts) as body, or with RawMessageDelivery the message
 *     itself and its attributes as the queue message's attributes; FIFO topics pass the group
 *     and deduplication ids on, and order by group;
 *   - http/https: a Notification POST (http-endpoints.ts), retried per the delivery policy
 *     (delivery-policy.ts) and kept in the state until delivered;
 *   - lambda: Invoke (Event) through the delivery queue, with the `Records[].Sns` event;
 *   - firehose: PutRecord through the delivery queue;
 *   - sms and application: recorded (state smsMessages, endpointMessages); email and
 *     email-json: the mail recorded (email.ts, state emailMessages).
 *
 * A subscription with a RedrivePolicy hands what it could not deliver to its dead-letter queue
 * (dead-letter.ts): the delivery queue's `onFailure` for sqs, lambda and firehose, the http
 * retries' end for http/https.
 *
 * FIFO topics deduplicate within 5 minutes (by MessageDeduplicationId, or the message's
 * SHA-256 with ContentBasedDeduplication) and number messages (SequenceNumber, 20 digits).
 */
import { createHash } from 'node:crypto';
import { parseArn, queueUrlFromArn } from '../../aws/arns.js';
import { uuid } from '../../aws/ids.js';
import type { OperationContext, ProviderContext } from '../provider.js';
import type { MessageAttributeValue, SnsApi } from './api.generated.js';
import { notificationEnvelope } from './envelope.js';
import { snsError } from './errors.js';
import { deadLetterDelivery } from './dead-letter.js';
import { retryPlan } from './delivery-policy.js';
import { notificationMail } from './email.js';
import { filterPolicyMatches } from './filter-policy.js';
import type { HttpDeliveries } from './http-endpoints.js';
import { checkFifo, checkMessage } from './message-checks.js';
import type { SnsStateAccess, StoredSubscription, StoredTopic } from './state.js';
import { subscriptionsOf } from './subscriptions.js';
import { topicOf } from './topics.js';

const DEDUP_WINDOW_MS = 5 * 60 * 1000;
const E164 = /^\+?[1-9]\d{1,14}$/;
const PRINCIPAL = 'sns.amazonaws.com';

interface Message {
  id: string;
  message: string;
  /** MessageStructure=json: the message per protocol. */
  structured?: Record<string, string>;
  subject?: string;
  attributes?: Record<string, MessageAttributeValue>;
  groupId?: string;
  dedupId?: string;
  sequenceNumber?: string;
}

function invalid(what: string): Error {
  return snsError('InvalidParameterException', `Invalid parameter: ${what}`);
}

export function publishOperations(context: ProviderContext, state: SnsStateAccess, http: HttpDeliveries) {
  const { config, deliveries, clock } = context;

  /** FIFO: a sequence number, or undefined when the deduplication id was seen in the window (the earlier message id then). */
  function sequence(ctx: OperationContext, topic: StoredTopic, m: Message): { duplicateOf?: string } {
    const now = clock.now();
    const dedup = (topic.dedup ??= {});
    for (const [id, d] of Object.entries(dedup)) if (d.expires <= now) delete dedup[id];
    const key = m.dedupId ?? createHash('sha256').update(m.message).digest('hex');
    m.dedupId = key;
    state.topicChanged(ctx, topic.name);
    const seen = dedup[key];
    if (seen) return { duplicateOf: seen.messageId };
    dedup[key] = { expires: now + DEDUP_WINDOW_MS, messageId: m.id };
    topic.sequence = (topic.sequence ?? 0) + 1;
    m.sequenceNumber = String(topic.sequence).padStart(20, '0');
    return {};
  }

  /** One fan-out: its time (AWS stamps a notification with when it was published) and the signatures made for it. */
  interface FanOut { timestamp: number; signatures: Map<string, string> }

  function deliver(ctx: OperationContext, topic: StoredTopic, sub: StoredSubscription, m: Message, f: FanOut): void {
    const raw = sub.attributes.RawMessageDelivery === 'true';
    const text = m.structured ? (m.structured[sub.protocol] ?? m.structured.default!) : m.message;
    const envelope = () => notificationEnvelope(config, {
      messageId: m.id, topicArn: topic.arn, subscriptionArn: sub.arn, subject: m.subject, message: text, timestamp: f.timestamp,
      signatureVersion: topic.attributes.SignatureVersion, sequenceNumber: m.sequenceNumber, attributes: m.attributes,
    }, f.signatures);
    const arn = parseArn(sub.endpoint);
    const caller = { accountId: arn?.accountId || ctx.accountId, region: arn?.region || ctx.region, principal: PRINCIPAL };
    const source = `sns topic ${topic.arn} -> ${sub.endpoint}`;
    const fifoQueue = sub.endpoint.endsWith('.fifo');
    const deadLetter = (body: string, attributes?: Record<string, MessageAttributeValue>) =>
      deadLetterDelivery(config, sub, { body, attributes, groupId: m.groupId, dedupId: m.dedupId });
    switch (sub.protocol) {
      case 'sqs': {
        const QueueUrl = queueUrlFromArn(sub.endpoint, config);
        if (!QueueUrl) return context.log.warn(`${source}: dropped, not a queue ARN`);
        const body = raw ? text : envelope();
        const attributes = raw && m.attributes && Object.keys(m.attributes).length > 0 ? m.attributes : undefined;
        const input: Record<string, unknown> = { QueueUrl, MessageBody: body };
        if (attributes) input.MessageAttributes = attributes;
        if (fifoQueue) {
          if (m.groupId) input.MessageGroupId = m.groupId;
          if (m.dedupId) input.MessageDeduplicationId = m.dedupId;
        }
        return deliveries.deliver({ service: 'sqs', operation: 'SendMessage', input, caller, source, orderingKey: m.groupId ? `${sub.arn}:${m.groupId}` : undefined, onFailure: deadLetter(body, attributes) });
      }
      case 'http':
      case 'https': {
        const body = raw ? text : envelope();
        const post = { url: sub.endpoint, type: 'Notification' as const, messageId: m.id, topicArn: topic.arn, subscriptionArn: sub.arn, body, raw };
        return http.send(ctx, post, retryPlan(sub.attributes.DeliveryPolicy, topic.attributes.DeliveryPolicy), deadLetter(body));
      }
      case 'lambda': {
        const doc = JSON.parse(envelope()) as Record<string, unknown>;
        // Lambda's event spells two members differently (SigningCertUrl, UnsubscribeUrl)
        const sns = Object.fromEntries(Object.entries(doc).map(([k, v]) => [k === 'SigningCertURL' ? 'SigningCertUrl' : k === 'UnsubscribeURL' ? 'UnsubscribeUrl' : k, v]));
        const event = { Records: [{ EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: sub.arn, Sns: sns }] };
        // the dead-letter queue gets the Notification envelope, not the Lambda event (as AWS)
        return deliveries.deliver({ service: 'lambda', operation: 'Invoke', input: { FunctionName: sub.endpoint, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(event)) }, caller, source, onFailure: deadLetter(JSON.stringify(doc)) });
      }
      case 'firehose': {
        const body = raw ? text : envelope();
        return deliveries.deliver({ service: 'firehose', operation: 'PutRecord', input: { DeliveryStreamName: arn?.resource.replace(/^deliverystream\//, '') ?? sub.endpoint, Record: { Data: Buffer.from(body) } }, caller, source, onFailure: deadLetter(body) });
      }
      case 'sms':
        return recordSms(ctx, { MessageId: m.id, TopicArn: topic.arn, SubscriptionArn: sub.arn, PhoneNumber: sub.endpoint, Message: text, Subject: m.subject });
      case 'application':
        return recordEndpointMessage(ctx, { MessageId: m.id, TargetArn: sub.endpoint, TopicArn: topic.arn, SubscriptionArn: sub.arn, Message: text, Subject: m.subject });
      case 'email':
      case 'email-json':
        return state.recordEmail(ctx, notificationMail(config, { topic, sub, messageId: m.id, subject: m.subject, text, envelope, timestamp: clock.now() }));
      default:
        return undefined;
    }
  }

  /** A record's key: the message id, and the subscription's when a topic sent it (one message reaches several subscribers). */
  function recordKey(r: { MessageId: string } & Record<string, string | undefined>): string {
    const sub = r.SubscriptionArn;
    return sub === undefined ? r.MessageId : `${r.MessageId}:${sub.slice(sub.lastIndexOf(':') + 1)}`;
  }

  function recordSms(ctx: OperationContext, r: { MessageId: string; Message: string } & Record<string, string | undefined>): void {
    const entry = Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as { MessageId: string; Message: string };
    const key = recordKey(r);
    state.of(ctx).smsMessages[key] = entry;
    state.smsChanged(ctx, key);
  }

  function recordEndpointMessage(ctx: OperationContext, r: { MessageId: string; Message: string } & Record<string, string | undefined>): void {
    const entry = Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as { MessageId: string; Message: string };
    const key = recordKey(r);
    state.of(ctx).endpointMessages[key] = entry;
    state.platformChanged(ctx, 'endpointMessages', key);
  }

  function fanOut(ctx: OperationContext, topic: StoredTopic, m: Message): void {
    const f: FanOut = { timestamp: clock.now(), signatures: new Map() };
    for (const sub of subscriptionsOf(state.of(ctx), topic.arn)) {
      if (sub.pending) continue;
      const policy = sub.attributes.FilterPolicy;
      if (policy && !filterPolicyMatches(JSON.parse(policy), sub.attributes.FilterPolicyScope ?? 'MessageAttributes', m.message, m.attributes ?? {})) continue;
      deliver(ctx, topic, sub, m, f);
    }
  }

  return {
    Publish(ctx, input) {
      const structured = checkMessage(input);
      if (input.PhoneNumber !== undefined) {
        if (!E164.test(input.PhoneNumber)) throw invalid(`PhoneNumber Reason: ${input.PhoneNumber} is not valid to publish to`);
        const id = uuid();
        recordSms(ctx, { MessageId: id, PhoneNumber: input.PhoneNumber, Message: structured?.sms ?? structured?.default ?? input.Message, Subject: input.Subject });
        return { MessageId: id };
      }
      const arn = input.TopicArn ?? input.TargetArn;
      if (arn === undefined) throw invalid('TopicArn or TargetArn Reason: no value for required parameter');
      if (input.TargetArn && input.TargetArn.includes(':endpoint/')) {
        const target = state.of(ctx).endpoints[input.TargetArn];
        if (!target) throw invalid('TargetArn Reason: No endpoint found for the target arn specified');
        if (target.attributes.Enabled?.toLowerCase() !== 'true') throw snsError('EndpointDisabledException', 'Endpoint is disabled');
        const id = uuid();
        recordEndpointMessage(ctx, { MessageId: id, TargetArn: input.TargetArn, Message: input.Message, MessageStructure: input.MessageStructure, Subject: input.Subject });
        return { MessageId: id };
      }
      const topic = topicOf(state, ctx, arn, input.TopicArn ? 'TopicArn' : 'TargetArn');
      const fifo = topic.attributes.FifoTopic === 'true';
      checkFifo(fifo, topic.attributes.ContentBasedDeduplication === 'true', input);
      const m: Message = { id: uuid(), message: input.Message, structured, subject: input.Subject, attributes: input.MessageAttributes, groupId: input.MessageGroupId, dedupId: input.MessageDeduplicationId };
      if (fifo) {
        const { duplicateOf } = sequence(ctx, topic, m);
        if (duplicateOf) return { MessageId: duplicateOf };
      }
      fanOut(ctx, topic, m);
      return { MessageId: m.id, SequenceNumber: m.sequenceNumber };
    },

    PublishBatch(ctx, input) {
      const entries = input.PublishBatchRequestEntries;
      const topic = topicOf(state, ctx, input.TopicArn);
      if (entries.length === 0) throw snsError('EmptyBatchRequestException', 'The batch request does not contain any entries.');
      if (entries.length > 10) throw snsError('TooManyEntriesInBatchRequestException', 'The batch request contains more entries than permissible.');
      if (new Set(entries.map((e) => e.Id)).size !== entries.length) throw snsError('BatchEntryIdsNotDistinctException', 'Two or more batch entries in the request have the same Id.');
      for (const { Id } of entries) {
        if (Id.length > 80) throw snsError('InvalidBatchEntryIdException', `The Id of a batch entry in the batch request is too long: ${Id}`);
        if (!/^[A-Za-z0-9_-]+$/.test(Id)) throw snsError('InvalidBatchEntryIdException', `The Id of a batch entry in the batch request contains an impermissible character: ${Id}`);
      }
      const fifo = topic.attributes.FifoTopic === 'true';
      const checked = entries.map((e) => {
        const structured = checkMessage(e);
        checkFifo(fifo, topic.attributes.ContentBasedDeduplication === 'true', e);
        return structured;
      });
      const total = entries.reduce((n, e) => n + Buffer.byteLength(e.Message), 0);
      if (total > 262_144) throw snsError('BatchRequestTooLongException', 'The length of all the messages put together is more than the limit.');
      const Successful = entries.map((e, i) => {
        const m: Message = { id: uuid(), message: e.Message, structured: checked[i], subject: e.Subject, attributes: e.MessageAttributes, groupId: e.MessageGroupId, dedupId: e.MessageDeduplicationId };
        if (fifo && sequence(ctx, topic, m).duplicateOf) return { Id: e.Id, MessageId: m.id, SequenceNumber: undefined };
        fanOut(ctx, topic, m);
        return { Id: e.Id, MessageId: m.id, SequenceNumber: m.sequenceNumber };
      });
      return { Successful, Failed: [] };
    },
  } satisfies Partial<SnsApi>;
}
