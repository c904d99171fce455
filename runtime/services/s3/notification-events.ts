/**
 * The messages S3 sends for an event, exactly as S3 writes them: the event record
 * (eventVersion 2.1) that queues, topics and functions receive inside `{"Records":[...]}`,
 * the s3:TestEvent sent when a configuration is put, and the event EventBridge's default bus
 * receives. notifications.ts decides who gets which; this module only writes them.
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

/** The event S3 sends to EventBridge's default bus, or undefined for an event it does not send there. */
export function buildEventBridgeEvent(event: S3Event, sequencer: string, time = new Date()) {
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
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: bucket.region,
    resources: [formatArn({ partition: partitionOf(bucket.region), service: 's3', resource: bucket.name })],
    detail,
  };
}

