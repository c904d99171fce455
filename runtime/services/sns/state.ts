/**
 * Amazon SNS: the state the provider keeps per account and region, as plain data that the
 * runtime can reset, persist and export (runtime/state/store.ts): records keyed by user input
 * are null-prototype `record()`s (a topic named `__proto__` is data), times are epoch
 * milliseconds; no Map, class instance or function.
 *
 * Topics are kept by name (the last part of their ARN: one account and region hold one topic
 * of a name), with their attributes as AWS returns them (strings), their tags and their data
 * protection policy. Marks are per topic (`changed(ctx, name)`).
 */
import type { Delivery } from '../deliveries.js';
import type { OperationContext, ProviderContext } from '../provider.js';
import { record } from '../../state/store.js';

/** A topic as stored. */
export interface StoredTopic {
  name: string;
  arn: string;
  /** Epoch milliseconds. */
  created: number;
  /** The attributes a caller set (CreateTopic, SetTopicAttributes), by name; derived ones are computed on read. */
  attributes: Record<string, string>;
  /** Tags by key (runtime/aws/tags.ts). */
  tags: Record<string, string>;
  /** PutDataProtectionPolicy's document, as given ('' when none). */
  dataProtectionPolicy: string;
  /** FIFO topics: the last sequence number given. */
  sequence?: number;
  /** FIFO topics: deduplication ids seen in the last 5 minutes, with when they expire (epoch ms) and the message id. */
  dedup?: Record<string, { expires: number; messageId: string }>;
}

/** A message SNS "sent" to a phone number or a platform endpoint, kept for LocalStack's /_aws/sns endpoints. */
export interface RecordedMessage {
  MessageId: string;
  TopicArn?: string;
  TargetArn?: string;
  PhoneNumber?: string;
  SubscriptionArn?: string;
  Message: string;
  MessageAttributes?: Record<string, { DataType: string; StringValue?: string }>;
  MessageStructure?: string;
  Subject?: string;
}

/**
 * A mail SNS "sent" to an email or email-json subscriber (nothing is mailed): the
 * subscription's confirmation request, and each message published to it once confirmed, as
 * the mail would carry it. Kept for a developer endpoint to list (emailMessagesOf).
 */
export interface RecordedEmail {
  /** The SNS message id (of the Notification, or of the SubscriptionConfirmation). */
  MessageId: string;
  Type: 'SubscriptionConfirmation' | 'Notification';
  Protocol: 'email' | 'email-json';
  TopicArn: string;
  SubscriptionArn: string;
  /** The address it goes to (the subscription's endpoint). */
  To: string;
  /** The sender AWS writes: the topic's DisplayName (or `AWS Notifications`) <no-reply@sns.amazonaws.com>. */
  From: string;
  Subject: string;
  /** email: the message text and AWS's unsubscribe footer; email-json: the JSON document (the Notification envelope, or the SubscriptionConfirmation). */
  Body: string;
  /** ISO 8601, when it was sent. */
  Timestamp: string;
  /** SubscriptionConfirmation: the token ConfirmSubscription takes, and the link that confirms. */
  Token?: string;
  SubscribeURL?: string;
}

/** The retry policy of http/https deliveries (AWS's healthyRetryPolicy, with its defaults filled in). */
export interface RetryPlan {
  numRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  numMaxDelayRetries: number;
  /** Seconds. */
  minDelayTarget: number;
  /** Seconds. */
  maxDelayTarget: number;
  backoffFunction: 'linear' | 'arithmetic' | 'geometric' | 'exponential';
}

/** An http/https POST not delivered yet: tried again when `due`, kept across restarts (PERSISTENCE=1). */
export interface PendingPost {
  url: string;
  type: 'SubscriptionConfirmation' | 'Notification' | 'UnsubscribeConfirmation';
  messageId: string;
  topicArn: string;
  subscriptionArn?: string;
  body: string;
  /** Raw delivery: the message itself, with `x-amz-sns-rawdelivery: true`. */
  raw?: boolean;
  plan: RetryPlan;
  /** Attempts that failed so far. */
  failures: number;
  /** When the next attempt is due (epoch ms). */
  due: number;
  /** Made when the retries run out: the subscription's dead-letter queue. */
  deadLetter?: Delivery;
}

/** A subscription as stored. */
export interface StoredSubscription {
  /** The last part of the ARN (a uuid): the key in `subscriptions`. */
  id: string;
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  owner: string;
  /** Whether the endpoint has yet to confirm (http, https, email, email-json). */
  pending: boolean;
  /** The attributes a caller set (RawMessageDelivery, FilterPolicy, ...), by name. */
  attributes: Record<string, string>;
}

/** A platform application (mobile push) as stored; credentials are not kept, as AWS never returns them. */
export interface StoredApplication {
  arn: string;
  name: string;
  platform: string;
  attributes: Record<string, string>;
}

/** A platform endpoint (a device) as stored. */
export interface StoredEndpoint {
  arn: string;
  applicationArn: string;
  /** Enabled, Token, CustomUserData. */
  attributes: Record<string, string>;
}

/** Everything SNS keeps in one account and region. */
export interface SnsState {
  /** Topics by name. */
  topics: Record<string, StoredTopic>;
  /** Subscriptions by id (the uuid that ends their ARN). */
  subscriptions: Record<string, StoredSubscription>;
  /** Confirmation tokens sent to endpoints: the subscription id each confirms. */
  tokens: Record<string, string>;
  /** SMS messages sent, by message id (in order of sending). */
  smsMessages: Record<string, RecordedMessage>;
  /** Platform applications by ARN. */
  applications: Record<string, StoredApplication>;
  /** Platform endpoints by ARN. */
  endpoints: Record<string, StoredEndpoint>;
  /** Messages published to platform endpoints, by message id (in order of sending). */
  endpointMessages: Record<string, RecordedMessage>;
  /** SetSMSAttributes' attributes, by name. */
  smsAttributes: Record<string, string>;
  /** Phone numbers opted out of SMS (the value is always true). */
  optedOut: Record<string, true>;
  /** Mails to email and email-json subscribers, in order of sending (absent in states saved before they were kept). */
  emailMessages?: Record<string, RecordedEmail>;
  /** http/https POSTs waiting for a retry, by id (absent in states saved before they were kept). */
  httpPending?: Record<string, PendingPost>;
}

/** The state of an account and region that has none yet. */
export function newState(): SnsState {
  return { topics: record(), subscriptions: record(), tokens: record(), smsMessages: record(), applications: record(), endpoints: record(), endpointMessages: record(), smsAttributes: record(), optedOut: record(), emailMessages: record(), httpPending: record() };
}

/** What handlers use: the caller's state, and the marks of what they changed. */
export interface SnsStateAccess {
  of(ctx: OperationContext): SnsState;
  /** Marks a topic as written or deleted. */
  topicChanged(ctx: OperationContext, name: string): void;
  /** Marks a subscription as written or deleted. */
  subscriptionChanged(ctx: OperationContext, id: string): void;
  /** Marks a confirmation token as written or deleted. */
  tokenChanged(ctx: OperationContext, token: string): void;
  /** Marks a recorded SMS message as written. */
  smsChanged(ctx: OperationContext, id: string): void;
  /** Marks a member of `applications`, `endpoints`, `endpointMessages`, `smsAttributes` or `optedOut` as written or deleted. */
  platformChanged(ctx: OperationContext, part: 'applications' | 'endpoints' | 'endpointMessages' | 'smsAttributes' | 'optedOut', key: string): void;
  /** Records a mail to an email or email-json subscriber. */
  recordEmail(ctx: OperationContext, mail: RecordedEmail): void;
}

/**
 * Declares the state to the runtime (once, in createProvider). A change without its mark is
 * lost at restart, and tests (STATE_AUDIT=1) fail the request that made it.
 */
export function declareState(context: ProviderContext) {
  const store = context.state.accountRegion<SnsState>('resources', newState);
  const access: SnsStateAccess = {
    of: (ctx) => store.get(ctx.accountId, ctx.region),
    topicChanged: (ctx, name) => store.changed(ctx.accountId, ctx.region, 'topics', name),
    subscriptionChanged: (ctx, id) => store.changed(ctx.accountId, ctx.region, 'subscriptions', id),
    tokenChanged: (ctx, token) => store.changed(ctx.accountId, ctx.region, 'tokens', token),
    smsChanged: (ctx, id) => store.changed(ctx.accountId, ctx.region, 'smsMessages', id),
    platformChanged: (ctx, part, key) => store.changed(ctx.accountId, ctx.region, part, key),
    recordEmail: (ctx, mail) => {
      const key = `${mail.MessageId}:${mail.SubscriptionArn.slice(mail.SubscriptionArn.lastIndexOf(':') + 1)}`;
      (store.get(ctx.accountId, ctx.region).emailMessages ??= record())[key] = mail;
      store.changed(ctx.accountId, ctx.region, 'emailMessages', key);
    },
  };
  return { store, ...access };
}
