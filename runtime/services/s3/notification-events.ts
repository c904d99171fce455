/**
 * The messages S3 sends for an event, exactly as S3 writes them: the event record that
 * queues, topics and functions receive inside `{"Records":[...]}`, the s3:TestEvent sent
 * when a configuration is put, and the event EventBridge's default bus receives.
 * notifications.ts decides who gets which; this module only writes them.
 *
 * Event versions are those of the user guide's "Event message structure" page: 2.1, 2.2
 * for replication, 2.3 for lifecycle, tagging, ACL and restore-deletion events. (The
 * newest edition of that page describes one unified version, 2.4 and up, for every type;
 * the per-type versions are kept, as LocalStack writes them and consumers compare minors.)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { formatArn, partitionOf } from '../../aws/arns.js';
import type { S3Event } from './service.js';
import { canonicalId } from './state.js';

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

/**
 * A source of sequencers as S3 writes them: hex, the same width every time, greater for
 * every later event (so for every later event on one key). One per S3 provider (the
 * notifier's), reading the runtime's clock.
 */
export function createSequencer(now: () => number = Date.now): () => string {
  let sequence = 0n;
  let lastMillis = 0n;
  return () => {
    const millis = BigInt(now());
    if (millis > lastMillis) {
      lastMillis = millis;
      sequence = 0n;
    } else {
      sequence++;
    }
    return (lastMillis * 0x100000n + sequence).toString(16).toUpperCase().padStart(18, '0');
  };
}

/** The id S3 shows for a principal (its requester or bucket owner) in event records. */
function principalId(accountId: string): string {
  return `A${canonicalId(accountId).slice(0, 13).toUpperCase()}`;
}

function hostId(): string {
  return randomBytes(48).toString('base64');
}

/** Whether an event's record carries the object's size and ETag (creations, restores, transitions). */
function describesContent(name: string): boolean {
  return name.startsWith('ObjectCreated:') || name.startsWith('ObjectRestore:') || name === 'LifecycleTransition';
}

/** Whether an event is one S3 sends about a change to an object's subresource (no size, no sequencer). */
function describesSubresource(name: string): boolean {
  return name.startsWith('ObjectTagging:') || name === 'ObjectAcl:Put';
}

/**
 * The eventVersion S3 writes per event type (the user guide's "Event message structure"):
 * 2.2 for replication events, 2.3 for lifecycle, Intelligent-Tiering, object ACL, object
 * tagging and restore-deletion events, 2.1 for every other.
 */
export function eventVersionOf(name: string): string {
  if (name.startsWith('Replication:')) return '2.2';
  if (name.startsWith('Lifecycle') || name === 'IntelligentTiering' || describesSubresource(name) || name === 'ObjectRestore:Delete') return '2.3';
  return '2.1';
}

/** The expiry of a restored copy, from the object's x-amz-restore value, in ISO 8601. */
function restoreExpiry(restore: string | undefined): string | undefined {
  const match = /expiry-date="([^"]+)"/.exec(restore ?? '');
  const time = match ? Date.parse(match[1]!) : NaN;
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

export interface EventRecordOptions {
  configurationId: string;
  sequencer: string;
  /** ISO 8601; now when absent. */
  time?: string;
  hostId?: string;
}

/**
 * One S3 event record exactly as S3 writes it: the event's eventVersion; size and ETag for
 * creations, restores and transitions; the ETag and no sequencer for tagging and ACL events
 * (S3 gives them none); S3 itself (`s3.amazonaws.com`) as the principal and source of
 * lifecycle events; glacierEventData for ObjectRestore:Completed and lifecycleEventData for
 * LifecycleTransition, the only events S3 adds them to.
 */
export function buildEventRecord(event: S3Event, options: EventRecordOptions) {
  const { bucket, object, name } = event;
  const objectPart: Record<string, unknown> = { key: encodeEventKey(object.key) };
  if (describesContent(name)) objectPart.size = object.size;
  if (describesContent(name) || describesSubresource(name)) objectPart.eTag = object.etag.replace(/"/g, '');
  if (bucket.versioning !== undefined && object.versionId) objectPart.versionId = object.versionId;
  if (!describesSubresource(name)) objectPart.sequencer = options.sequencer;
  const byS3 = name.startsWith('Lifecycle');
  const record = {
    eventVersion: eventVersionOf(name),
    eventSource: 'aws:s3',
    awsRegion: bucket.region,
    eventTime: options.time ?? new Date().toISOString(),
    eventName: name,
    userIdentity: { principalId: byS3 ? 's3.amazonaws.com' : `AWS:${principalId(event.accountId)}` },
    requestParameters: { sourceIPAddress: byS3 ? 's3.amazonaws.com' : (event.sourceIp ?? '127.0.0.1') },
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
  if (name === 'ObjectRestore:Completed') {
    const restoreEventData = { lifecycleRestorationExpiryTime: restoreExpiry(object.restore), lifecycleRestoreStorageClass: object.storageClass ?? 'GLACIER' };
    return { ...record, glacierEventData: { restoreEventData } };
  }
  if (name === 'LifecycleTransition') return { ...record, lifecycleEventData: { transitionEventData: { destinationStorageClass: object.storageClass ?? 'STANDARD' } } };
  return record;
}

/** The s3:TestEvent S3 sends to a queue or topic when a configuration naming it is put. */
export function buildTestEvent(bucket: string, requestId: string, time = new Date().toISOString()) {
  return { Service: 'Amazon S3', Event: 's3:TestEvent', Time: time, Bucket: bucket, RequestId: requestId, HostId: hostId() };
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

/** The ETag S3 shows for a delete marker (the MD5 of nothing). */
const EMPTY_ETAG = 'd41d8cd98f00b204e9800998ecf8427e';

/** An ISO 8601 time to the second, as EventBridge events write times. */
function toSecond(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The event S3 sends to EventBridge's default bus (the user guide's "EventBridge event
 * message structure"), or undefined for an event it does not send there. `reason` only for
 * Object Created and Object Deleted; `deletion-type` for deletions (no size; a delete
 * marker's ETag is the empty MD5, a permanent deletion has none); S3 itself as the
 * requester, and no source address, for lifecycle events and completed restores;
 * `source-storage-class` for restores, `restore-expiry-time` for completed ones and no
 * sequencer for either; `destination-storage-class` for transitions; no size or sequencer
 * for ACL changes.
 */
export function buildEventBridgeEvent(event: S3Event, sequencer: string, time = new Date()) {
  const type = EVENTBRIDGE_TYPES.find(([name]) => name === event.name);
  if (!type) return undefined;
  const [name, detailType, reason] = type;
  const { bucket, object } = event;
  const deleted = detailType === 'Object Deleted';
  const markerCreated = name.endsWith('DeleteMarkerCreated');
  const restore = name.startsWith('ObjectRestore:');
  const objectPart: Record<string, unknown> = { key: object.key };
  if (!deleted && name !== 'ObjectAcl:Put') objectPart.size = object.size;
  if (!deleted || markerCreated) objectPart.etag = markerCreated ? EMPTY_ETAG : object.etag.replace(/"/g, '');
  if (bucket.versioning !== undefined && object.versionId) objectPart['version-id'] = object.versionId;
  if (!restore && name !== 'ObjectAcl:Put') objectPart.sequencer = sequencer;
  const byS3 = name.startsWith('Lifecycle') || name === 'ObjectRestore:Completed' || name === 'ObjectRestore:Delete';
  const detail: Record<string, unknown> = {
    version: '0',
    bucket: { name: bucket.name },
    object: objectPart,
    'request-id': event.requestId,
    requester: byS3 ? 's3.amazonaws.com' : event.accountId,
  };
  if (!byS3) detail['source-ip-address'] = event.sourceIp ?? '127.0.0.1';
  if (detailType === 'Object Created' || deleted) detail.reason = reason;
  if (deleted) detail['deletion-type'] = markerCreated ? 'Delete Marker Created' : 'Permanently Deleted';
  if (name === 'ObjectRestore:Completed') {
    const expiry = restoreExpiry(object.restore);
    if (expiry) detail['restore-expiry-time'] = toSecond(new Date(expiry));
  }
  if (restore) detail['source-storage-class'] = object.storageClass ?? 'GLACIER';
  if (name === 'LifecycleTransition') detail['destination-storage-class'] = object.storageClass ?? 'STANDARD';
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: 'aws.s3',
    account: bucket.accountId,
    time: toSecond(time),
    region: bucket.region,
    resources: [formatArn({ partition: partitionOf(bucket.region), service: 's3', resource: bucket.name })],
    detail,
  };
}
