/**
 * S3 event notifications: the bucket's NotificationConfiguration, validated as S3 validates
 * it and stored at `bucket.config.notification`, and the matching rules that decide which
 * configurations an event goes to. Sending is the notifier's (notifier.ts): each matching
 * event becomes a delivery through the runtime's delivery queue (SQS SendMessage, SNS
 * Publish, Lambda Invoke, EventBridge PutEvents), and destinations are checked through the
 * in-process client when a configuration is put.
 *
 * Matching is done as S3 does: an event matches a configuration when one of its events is
 * the event's name or its `:*` family (s3:ObjectCreated:* for s3:ObjectCreated:Put), and
 * the key satisfies the configuration's prefix and suffix filter rules.
 */
import { randomUUID } from 'node:crypto';
import { parseArn } from '../../aws/arns.js';
import type { PutBucketNotificationConfigurationInput } from './api.generated.js';
import { s3Error } from './errors.js';
import type { Bucket } from './state.js';

export type NotificationConfiguration = PutBucketNotificationConfigurationInput['NotificationConfiguration'];
type FilterRule = { Name?: string; Value?: string };
export type KeyFilter = { Key?: { FilterRules?: FilterRule[] } };

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

/** What every kind of configuration has. */
export interface AnyConfiguration {
  Id?: string;
  Events: string[];
  Filter?: KeyFilter;
}

/** The kinds of destination a configuration names, with what S3 says when one does not exist. */
export const DESTINATIONS = [
  { list: 'QueueConfigurations', arn: 'QueueArn', service: 'sqs', missing: 'The destination queue does not exist' },
  { list: 'TopicConfigurations', arn: 'TopicArn', service: 'sns', missing: 'The destination topic does not exist' },
  { list: 'LambdaFunctionConfigurations', arn: 'LambdaFunctionArn', service: 'lambda', missing: 'The destination Lambda does not exist' },
] as const;

/** One kind of destination. */
export type Destination = (typeof DESTINATIONS)[number];

/** The configurations of one kind in a NotificationConfiguration, each with its ARN under `d.arn`. */
export function configurationsOf(config: NotificationConfiguration, d: Destination): Array<AnyConfiguration & Record<string, string>> {
  return (config[d.list] as Array<AnyConfiguration & Record<string, string>> | undefined) ?? [];
}

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
 * names capitalised (Prefix, Suffix), an Id for every configuration that has none; with
 * `bucketRegion`, destinations of another region are refused (S3 sends within its region). Whether
 * the destinations exist is the notifier's check (`checkDestinations`), which asks them.
 */
export function validateNotificationConfiguration(config: NotificationConfiguration, bucketRegion?: string): NotificationConfiguration {
  const out: NotificationConfiguration = {};
  const all: Array<AnyConfiguration & { prefix: string; suffix: string; filtered: boolean }> = [];
  const ids = new Set<string>();
  for (const d of DESTINATIONS) {
    const list = configurationsOf(config, d);
    if (list.length === 0) continue;
    const stored: Array<Record<string, unknown>> = [];
    for (const c of list) {
      const arn = c[d.arn] ?? '';
      const parsed = parseArn(arn);
      if (parsed?.service !== d.service || parsed.accountId === 'aws') throw invalidArgument('The ARN is not well formed', d.arn, arn);
      // S3 sends only to queues, topics and functions of its bucket's region
      if (bucketRegion !== undefined && parsed.region !== '' && parsed.region !== bucketRegion) {
        throw invalidArgument('The notification destination service region is not valid for the bucket location constraint', d.arn, arn);
      }
      for (const event of c.Events) {
        if (!EVENT_SET.has(event)) throw invalidArgument('The event is not supported for notifications', 'Event', event);
      }
      const seen = new Set<string>();
      const rules: FilterRule[] = [];
      for (const rule of c.Filter?.Key?.FilterRules ?? []) {
        const name = (rule.Name ?? '').toLowerCase();
        if (name !== 'prefix' && name !== 'suffix') throw invalidArgument('filter rule name must be either prefix or suffix', 'FilterRule.Name', rule.Name ?? '');
        if (seen.has(name)) throw invalidArgument(`Cannot specify more than one ${name} rule in a filter.`, 'FilterRule.Name', rule.Name ?? '');
        if (Buffer.byteLength(rule.Value ?? '') > 1024) throw invalidArgument('Size of filter rule value cannot exceed 1024 bytes in UTF-8 representation', 'FilterRule.Value', rule.Value ?? '');
        seen.add(name);
        rules.push({ Name: name === 'prefix' ? 'Prefix' : 'Suffix', Value: rule.Value ?? '' });
      }
      if (c.Id && ids.has(c.Id)) throw invalidArgument('Same ID used for multiple configurations. IDs must be unique.', 'Id', c.Id);
      if (c.Id) ids.add(c.Id);
      const entry: Record<string, unknown> = { Id: c.Id || newConfigurationId(), [d.arn]: arn, Events: [...c.Events] };
      if (c.Filter !== undefined) entry.Filter = { Key: { FilterRules: rules } };
      stored.push(entry);
      all.push({ Events: c.Events, ...filterOf({ Key: { FilterRules: rules } }), filtered: rules.length > 0 });
    }
    (out as Record<string, unknown>)[d.list] = stored;
  }
  // two configurations may not both receive one event for one key: S3 says "overlap" when
  // neither filters keys, "ambiguously defined" when their filters overlap
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i]!;
      const b = all[j]!;
      const prefixes = a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix);
      const suffixes = a.suffix.endsWith(b.suffix) || b.suffix.endsWith(a.suffix);
      const shared = a.Events.find((x) => b.Events.some((y) => eventsOverlap(x, y)));
      if (!prefixes || !suffixes || shared === undefined) continue;
      if (!a.filtered && !b.filtered) throw invalidArgument('Configurations overlap. Configurations on the same bucket cannot share a common event type.', 'Event', shared);
      throw invalidArgument('Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.', 'Event', shared);
    }
  }
  if (config.EventBridgeConfiguration !== undefined) out.EventBridgeConfiguration = {};
  return out;
}

/** The stored notification configuration of a bucket, if any. */
export function notificationConfig(bucket: Bucket): NotificationConfiguration | undefined {
  return bucket.config.notification as NotificationConfiguration | undefined;
}
