/**
 * S3 event notifications: the bucket's NotificationConfiguration (validated as S3 validates
 * it, stored at `bucket.config.notification`), the event records S3 writes, and the hook
 * through which object operations announce events (`dispatchNotifications`, wired to
 * `S3Service.notify` in provider.ts).
 *
 * S3 itself delivers nothing: other providers (SQS, SNS, Lambda, EventBridge) register a
 * deliverer with `registerNotificationTarget(kind, deliver)`, and receive the ARN of the
 * destination and the message body S3 would send there (`{"Records":[...]}` for queues,
 * topics and functions; the EventBridge event for the default bus). An event whose target
 * kind has no deliverer is logged at debug level and dropped.
 *
 * Matching is done as S3 does: an event matches a configuration when one of its events is
 * the event's name or its `:*` family (s3:ObjectCreated:* for s3:ObjectCreated:Put), and
 * the key satisfies the configuration's prefix and suffix filter rules. When a
 * configuration is put, S3's s3:TestEvent goes to each queue and topic it names.
 *
 * LIMITATIONS: destinations are checked for existence only through a deliverer's optional
 * `exists(arn)` (nothing checks permissions, as a queue or topic policy would); messages
 * are delivered in-process, once, with no retries; glacierEventData, replicationEventData
 * and the other event-specific record members are not written.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { formatArn, parseArn, partitionOf } from '../../aws/arns.js';
import type { Logger } from '../../logger.js';
import type { PutBucketNotificationConfigurationInput } from './api.generated.js';
import { s3Error } from './errors.js';
import type { S3Event } from './service.js';
import { canonicalId, type Bucket } from './state.js';

export type NotificationConfiguration = PutBucketNotificationConfigurationInput['NotificationConfiguration'];
type FilterRule = { Name?: string; Value?: string };
type KeyFilter = { Key?: { FilterRules?: FilterRule[] } };

/** The kinds of destination S3 delivers to. */
export type NotificationTargetKind = 'sqs' | 'sns' | 'lambda' | 'eventbridge';

/** What S3 hands a destination: its ARN and the message body, with what an SNS publish needs. */
export type NotificationDeliverer = (arn: string, message: string, details: { subject: string; bucket: string; configurationId?: string }) => void | Promise<void>;

export interface NotificationTarget {
  deliver: NotificationDeliverer;
  /** Whether the destination exists, for PutBucketNotificationConfiguration's check (optional). */
  exists?: (arn: string) => boolean;
}

const targets = new Map<NotificationTargetKind, NotificationTarget>();

/**
 * Registers the deliverer for one kind of destination (replacing any earlier one); returns
 * a function that unregisters it.
 */
export function registerNotificationTarget(kind: NotificationTargetKind, target: NotificationDeliverer | NotificationTarget): () => void {
  const entry = typeof target === 'function' ? { deliver: target } : target;
  targets.set(kind, entry);
  return () => {
    if (targets.get(kind) === entry) targets.delete(kind);
  };
}

/** Every event type S3 can announce, as configurations name them. */
export const EVENT_TYPES = [
  's3:ObjectCreated:*', 's3:ObjectCreated:Put', 's3:ObjectCreated:Post', 's3:ObjectCreated:Copy', 's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*', 's3:ObjectRemoved:Delete', 's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*', 's3:ObjectRestore:Post', 's3:ObjectRestore:Completed', 's3:ObjectRestore:Delete',
  's3:ReducedRedundancyLostObject',
  's3:Replication:*', 's3:Replication:OperationFailedReplication', 's3:Replication:OperationMissedThreshold', 's3:Replication:OperationReplicatedAfterThreshold', 's3:Replication:OperationNotTracked',
  's3:LifecycleExpiration:*', 's3:LifecycleExpiration:Delete', 's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:LifecycleTransition', 's3:IntelligentTiering',
  's3:ObjectTagging:*', 's3:ObjectTagging:Put', 's3:ObjectTagging:Delete',
  's3:ObjectAcl:Put',
];
const EVENT_SET = new Set(EVENT_TYPES);

/** Whether a configuration's event type (`s3:ObjectCreated:*`) covers an event name (`ObjectCreated:Put`). */
export function eventMatches(configured: string, name: string): boolean {
  const full = `s3:${name}`;
  if (configured === full) return true;
  if (!configured.endsWith(':*')) return false;
  return full.startsWith(configured.slice(0, -1));
}

/** The prefix and suffix a configuration's filter rules give ('' when absent). */
function filterOf(filter: KeyFilter | undefined): { prefix: string; suffix: string } {
  let prefix = '';
  let suffix = '';
  for (const rule of filter?.Key?.FilterRules ?? []) {
    const name = rule.Name?.toLowerCase();
    if (name === 'prefix') prefix = rule.Value ?? '';
    else if (name === 'suffix') suffix = rule.Value ?? '';
  }
  return { prefix, suffix };
}

/** Whether a key passes a configuration's filter rules. */
export function keyMatches(filter: KeyFilter | undefined, key: string): boolean {
  const { prefix, suffix } = filterOf(filter);
  return key.startsWith(prefix) && key.endsWith(suffix);
}

// ---------------------------------------------------------------------------------------
// The configuration: validation as S3 does it

interface AnyConfiguration {
  Id?: string;
  Events: string[];
  Filter?: KeyFilter;
}

const DESTINATIONS = [
  { list: 'QueueConfigurations', arn: 'QueueArn', service: 'sqs', kind: 'sqs', missing: 'The destination queue does not exist' },
  { list: 'TopicConfigurations', arn: 'TopicArn', service: 'sns', kind: 'sns', missing: 'The destination topic does not exist' },
  { list: 'LambdaFunctionConfigurations', arn: 'LambdaFunctionArn', service: 'lambda', kind: 'lambda', missing: 'The destination Lambda does not exist' },
] as const;


function invalidArgument(message: string, name: string, value: string) {
  return s3Error('InvalidArgument', message, { fields: { ArgumentName: name, ArgumentValue: value } });
}

function newConfigurationId(): string {
  return Buffer.from(randomUUID()).toString('base64');
}

/** Family of an event type for overlap checks: `s3:ObjectCreated:*` covers every s3:ObjectCreated:X. */
function eventsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const family = (e: string) => (e.endsWith(':*') ? e.slice(0, -1) : undefined);
  const fa = family(a);
  const fb = family(b);
  return (fa !== undefined && b.startsWith(fa)) || (fb !== undefined && a.startsWith(fb));
}

/**
 * Checks a NotificationConfiguration as S3 does and returns what S3 stores: filter rule
 * names capitalised (Prefix, Suffix), an Id for every configuration that has none.
 */
export function validateNotificationConfiguration(config: NotificationConfiguration, skipDestinationValidation = false): NotificationConfiguration {
  const out: NotificationConfiguration = {};
  const all: Array<AnyConfiguration & { prefix: string; suffix: string }> = [];
  for (const d of DESTINATIONS) {
    const list = config[d.list] as Array<AnyConfiguration & Record<string, string>> | undefined;
    if (!list || list.length === 0) continue;
    const stored: Array<Record<string, unknown>> = [];
    for (const c of list) {
      const arn = c[d.arn] ?? '';
      const parsed = parseArn(arn);
      if (parsed?.service !== d.service || parsed.accountId === 'aws') throw invalidArgument('The ARN is not well formed', d.arn, arn);
      for (const event of c.Events) {
        if (!EVENT_SET.has(event)) throw invalidArgument('The event is not supported for notifications', 'Event', event);
      }
      const seen = new Set<string>();
      const rules: FilterRule[] = [];
      for (const rule of c.Filter?.Key?.FilterRules ?? []) {
        const name = (rule.Name ?? '').toLowerCase();
        if (name !== 'prefix' && name !== 'suffix') throw invalidArgument('filter rule name must be either prefix or suffix', 'FilterRule.Name', rule.Name ?? '');
        if (seen.has(name)) throw invalidArgument(`Cannot specify more than one ${name} rule in a filter.`, 'FilterRule.Name', rule.Name ?? '');
        seen.add(name);
        rules.push({ Name: name === 'prefix' ? 'Prefix' : 'Suffix', Value: rule.Value ?? '' });
      }
      if (!skipDestinationValidation) {
        const target = targets.get(d.kind);
        if (target?.exists && !target.exists(arn)) {
          throw s3Error('InvalidArgument', 'Unable to validate the following destination configurations', { fields: { ArgumentName1: arn, ArgumentValue1: d.missing } });
        }
      }
      const entry: Record<string, unknown> = { Id: c.Id || newConfigurationId(), [d.arn]: arn, Events: [...c.Events] };
      if (c.Filter !== undefined) entry.Filter = { Key: { FilterRules: rules } };
      stored.push(entry);
      all.push({ Events: c.Events, ...filterOf({ Key: { FilterRules: rules } }) });
    }
    (out as Record<string, unknown>)[d.list] = stored;
  }
  // two configurations may not both receive one event for one key
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i]!;
      const b = all[j]!;
      const prefixes = a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix);
      const suffixes = a.suffix.endsWith(b.suffix) || b.suffix.endsWith(a.suffix);
      if (prefixes && suffixes && a.Events.some((x) => b.Events.some((y) => eventsOverlap(x, y)))) {
        throw invalidArgument('Configurations overlap. Configurations on the same bucket cannot share a common event type.', 'Event', a.Events.find((x) => b.Events.some((y) => eventsOverlap(x, y)))!);
      }
    }
  }
  if (config.EventBridgeConfiguration !== undefined) out.EventBridgeConfiguration = {};
  return out;
}

// ---------------------------------------------------------------------------------------
// Event records

/**
 * A key as S3 writes it in event records: form-encoded (Java's URLEncoder: letters, digits
 * and `.-*_` as they are, a space as `+`, every other UTF-8 byte as %XX), slashes kept.
 */
export function encodeEventKey(key: string): string {
  let out = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-*_/]/.test(c)) out += c;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

let sequence = 0n;
let lastMillis = 0n;
/**
 * A sequencer as S3 writes it: hex, the same width every time, greater for every later
 * event (so for every later event on one key).
 */
export function nextSequencer(): string {
  const millis = BigInt(Date.now());
  if (millis > lastMillis) {
    lastMillis = millis;
    sequence = 0n;
  } else {
    sequence++;
  }
  return (lastMillis * 0x100000n + sequence).toString(16).toUpperCase().padStart(18, '0');
}

/** The id S3 shows for a principal (its requester or bucket owner) in event records. */
function principalId(accountId: string): string {
  return `A${canonicalId(accountId).slice(0, 13).toUpperCase()}`;
}

function hostId(): string {
  return randomBytes(48).toString('base64');
}

/** Whether an event's record carries the object's size and ETag (creations, restores, ...). */
function describesContent(name: string): boolean {
  return !name.startsWith('ObjectRemoved:') && !name.startsWith('LifecycleExpiration:');
}

export interface EventRecordOptions {
  configurationId: string;
  sequencer: string;
  /** ISO 8601; now when absent. */
  time?: string;
  hostId?: string;
}

/** One S3 event record exactly as S3 writes it (eventVersion 2.1). */
export function buildEventRecord(event: S3Event, options: EventRecordOptions) {
  const { bucket, object } = event;
  const objectPart: Record<string, unknown> = { key: encodeEventKey(object.key) };
  if (describesContent(event.name)) {
    objectPart.size = object.size;
    objectPart.eTag = object.etag.replace(/"/g, '');
  }
  if (bucket.versioning !== undefined && object.versionId) objectPart.versionId = object.versionId;
  objectPart.sequencer = options.sequencer;
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: bucket.region,
    eventTime: options.time ?? new Date().toISOString(),
    eventName: event.name,
    userIdentity: { principalId: `AWS:${principalId(event.accountId)}` },
    requestParameters: { sourceIPAddress: event.sourceIp ?? '127.0.0.1' },
    responseElements: { 'x-amz-request-id': event.requestId, 'x-amz-id-2': options.hostId ?? hostId() },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: options.configurationId,
      bucket: {
        name: bucket.name,
        ownerIdentity: { principalId: principalId(bucket.accountId) },
        arn: formatArn({ partition: partitionOf(bucket.region), service: 's3', resource: bucket.name }),
      },
      object: objectPart,
    },
  };
}

/** The s3:TestEvent S3 sends to a queue or topic when a configuration naming it is put. */
export function buildTestEvent(bucket: string, requestId: string) {
  return { Service: 'Amazon S3', Event: 's3:TestEvent', Time: new Date().toISOString(), Bucket: bucket, RequestId: requestId, HostId: hostId() };
}

const EVENTBRIDGE_TYPES: Array<[string, string, string]> = [
  ['ObjectCreated:Put', 'Object Created', 'PutObject'],
  ['ObjectCreated:Post', 'Object Created', 'POST Object'],
  ['ObjectCreated:Copy', 'Object Created', 'CopyObject'],
  ['ObjectCreated:CompleteMultipartUpload', 'Object Created', 'CompleteMultipartUpload'],
  ['ObjectRemoved:Delete', 'Object Deleted', 'DeleteObject'],
  ['ObjectRemoved:DeleteMarkerCreated', 'Object Deleted', 'DeleteObject'],
  ['LifecycleExpiration:Delete', 'Object Deleted', 'Lifecycle Expiration'],
  ['LifecycleExpiration:DeleteMarkerCreated', 'Object Deleted', 'Lifecycle Expiration'],
  ['ObjectRestore:Post', 'Object Restore Initiated', 'RestoreObject'],
  ['ObjectRestore:Completed', 'Object Restore Completed', 'RestoreObject'],
  ['ObjectRestore:Delete', 'Object Restore Expired', 'RestoreObject'],
  ['ObjectTagging:Put', 'Object Tags Added', 'PutObjectTagging'],
  ['ObjectTagging:Delete', 'Object Tags Deleted', 'DeleteObjectTagging'],
  ['ObjectAcl:Put', 'Object ACL Updated', 'PutObjectAcl'],
  ['LifecycleTransition', 'Object Storage Class Changed', 'Lifecycle Transition'],
];

/** The event S3 sends to EventBridge's default bus, or undefined for an event it does not send there. */
export function buildEventBridgeEvent(event: S3Event, sequencer: string) {
  const type = EVENTBRIDGE_TYPES.find(([name]) => name === event.name);
  if (!type) return undefined;
  const { bucket, object } = event;
  const objectPart: Record<string, unknown> = { key: object.key };
  if (describesContent(event.name)) {
    objectPart.size = object.size;
    objectPart.etag = object.etag.replace(/"/g, '');
  }
  if (bucket.versioning !== undefined && object.versionId) objectPart['version-id'] = object.versionId;
  objectPart.sequencer = sequencer;
  const detail: Record<string, unknown> = {
    version: '0',
    bucket: { name: bucket.name },
    object: objectPart,
    'request-id': event.requestId,
    requester: event.accountId,
    'source-ip-address': event.sourceIp ?? '127.0.0.1',
    reason: type[2],
  };
  if (type[1] === 'Object Deleted') detail['deletion-type'] = event.name.endsWith('DeleteMarkerCreated') ? 'Delete Marker Created' : 'Permanently Deleted';
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': type[1],
    source: 'aws.s3',
    account: bucket.accountId,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: bucket.region,
    resources: [formatArn({ partition: partitionOf(bucket.region), service: 's3', resource: bucket.name })],
    detail,
  };
}

// ---------------------------------------------------------------------------------------
// Delivery

function deliver(log: Logger, kind: NotificationTargetKind, arn: string, message: string, details: Parameters<NotificationDeliverer>[2]): void {
  const target = targets.get(kind);
  if (!target) {
    log.debug(`S3 notification for ${arn} dropped: no ${kind} deliverer is registered`);
    return;
  }
  try {
    const done = target.deliver(arn, message, details);
    if (done && typeof (done as Promise<void>).catch === 'function') {
      (done as Promise<void>).catch((e: unknown) => log.warn(`S3 notification to ${arn} failed: ${(e as Error)?.message ?? String(e)}`));
    }
  } catch (e) {
    log.warn(`S3 notification to ${arn} failed: ${(e as Error)?.message ?? String(e)}`);
  }
}

/** The stored notification configuration of a bucket, if any. */
export function notificationConfig(bucket: Bucket): NotificationConfiguration | undefined {
  return bucket.config.notification as NotificationConfiguration | undefined;
}

/**
 * Announces an object event to every configuration of its bucket that matches it: the
 * S3Service.notify hook. Costs one property read for a bucket without notifications.
 */
export function dispatchNotifications(log: Logger, event: S3Event): void {
  const config = notificationConfig(event.bucket);
  if (!config) return;
  const sequencer = event.object.sequencer ?? nextSequencer();
  const details = { subject: 'Amazon S3 Notification', bucket: event.bucket.name };
  for (const d of DESTINATIONS) {
    const list = config[d.list] as Array<AnyConfiguration & Record<string, string>> | undefined;
    for (const c of list ?? []) {
      if (!c.Events.some((e) => eventMatches(e, event.name)) || !keyMatches(c.Filter, event.object.key)) continue;
      const configurationId = c.Id ?? '';
      const record = buildEventRecord(event, { configurationId, sequencer });
      deliver(log, d.kind, c[d.arn]!, JSON.stringify({ Records: [record] }), { ...details, configurationId });
    }
  }
  if (config.EventBridgeConfiguration !== undefined) {
    const message = buildEventBridgeEvent(event, sequencer);
    if (message) deliver(log, 'eventbridge', formatArn({ service: 'events', region: event.bucket.region, accountId: event.bucket.accountId, resource: 'event-bus/default' }), JSON.stringify(message), details);
  }
}

/** Sends s3:TestEvent to every queue and topic of a configuration just put (as S3 does). */
export function sendTestEvents(log: Logger, bucket: Bucket, config: NotificationConfiguration, requestId: string): void {
  const message = JSON.stringify(buildTestEvent(bucket.name, requestId));
  const details = { subject: 'Amazon S3 Notification', bucket: bucket.name };
  for (const c of config.QueueConfigurations ?? []) deliver(log, 'sqs', c.QueueArn, message, { ...details, configurationId: c.Id });
  for (const c of config.TopicConfigurations ?? []) deliver(log, 'sns', c.TopicArn, message, { ...details, configurationId: c.Id });
}
