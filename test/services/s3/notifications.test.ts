/**
 * S3 event notifications: the matching rules and the event record (the module itself), and
 * the whole path end to end: the real S3 provider in this process (so the test can register
 * deliverers as an SQS / SNS / EventBridge provider would), driven by @aws-sdk/client-s3.
 */
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../runtime/logger.js';
import { PROVIDERS } from '../../../runtime/services/registry.js';
import {
  buildEventRecord,
  dispatchNotifications,
  encodeEventKey,
  eventMatches,
  keyMatches,
  nextSequencer,
  registerNotificationTarget,
  validateNotificationConfiguration,
  type NotificationTargetKind,
} from '../../../runtime/services/s3/notifications.js';
import type { S3Event } from '../../../runtime/services/s3/service.js';
import type { Bucket } from '../../../runtime/services/s3/state.js';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

interface Delivered {
  kind: NotificationTargetKind;
  arn: string;
  body: any;
  subject: string;
}

const delivered: Delivered[] = [];
const unregister: Array<() => void> = [];
function capture(...kinds: NotificationTargetKind[]): void {
  for (const kind of kinds) {
    unregister.push(registerNotificationTarget(kind, (arn, message, details) => void delivered.push({ kind, arn, body: JSON.parse(message), subject: details.subject })));
  }
}
afterEach(() => {
  while (unregister.length) unregister.pop()!();
  delivered.length = 0;
});

function logs(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  return { lines, trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function fakeBucket(notification?: object, versioning?: 'Enabled'): Bucket {
  return {
    name: 'events',
    accountId: '000000000000',
    region: 'eu-west-1',
    created: new Date().toISOString(),
    objectLockEnabled: false,
    objects: {},
    uploads: {},
    config: notification ? { notification } : {},
    acl: { owner: '000000000000', grants: [] },
    ...(versioning ? { versioning } : {}),
  };
}

function event(bucket: Bucket, name: string, key: string, extra: Partial<S3Event['object']> = {}): S3Event {
  return { name, bucket, object: { key, size: 11, etag: '"5eb63bbbe01eeed093cb22bb8f5acdc3"', versionId: 'null', ...extra }, requestId: 'REQ123', accountId: '000000000000', region: bucket.region, sourceIp: '10.1.2.3' };
}

const QUEUE = 'arn:aws:sqs:eu-west-1:000000000000:events';
const TOPIC = 'arn:aws:sns:eu-west-1:000000000000:events';

describe('matching', () => {
  it('matches event types exactly or by their :* family', () => {
    expect(eventMatches('s3:ObjectCreated:*', 'ObjectCreated:Put')).toBe(true);
    expect(eventMatches('s3:ObjectCreated:*', 'ObjectCreated:CompleteMultipartUpload')).toBe(true);
    expect(eventMatches('s3:ObjectCreated:Put', 'ObjectCreated:Put')).toBe(true);
    expect(eventMatches('s3:ObjectCreated:Put', 'ObjectCreated:Post')).toBe(false);
    expect(eventMatches('s3:ObjectCreated:*', 'ObjectRemoved:Delete')).toBe(false);
    expect(eventMatches('s3:ObjectRemoved:*', 'ObjectRemoved:DeleteMarkerCreated')).toBe(true);
    expect(eventMatches('s3:ObjectTagging:*', 'ObjectTag:Put')).toBe(false);
  });

  it('filters keys by prefix and suffix rules (names in any case)', () => {
    const filter = { Key: { FilterRules: [{ Name: 'Prefix', Value: 'in/' }, { Name: 'suffix', Value: '.jpg' }] } };
    expect(keyMatches(filter, 'in/photo.jpg')).toBe(true);
    expect(keyMatches(filter, 'in/photo.png')).toBe(false);
    expect(keyMatches(filter, 'out/photo.jpg')).toBe(false);
    expect(keyMatches(undefined, 'anything')).toBe(true);
  });

  it('delivers to the matching configurations only', () => {
    capture('sqs', 'sns');
    const bucket = fakeBucket({
      QueueConfigurations: [{ Id: 'images', QueueArn: QUEUE, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'img/' }] } } }],
      TopicConfigurations: [{ Id: 'deletes', TopicArn: TOPIC, Events: ['s3:ObjectRemoved:Delete'] }],
    });
    const log = logs();
    dispatchNotifications(log, event(bucket, 'ObjectCreated:Put', 'img/a.png'));
    dispatchNotifications(log, event(bucket, 'ObjectCreated:Put', 'doc/a.txt'));
    dispatchNotifications(log, event(bucket, 'ObjectRemoved:DeleteMarkerCreated', 'img/a.png'));
    dispatchNotifications(log, event(bucket, 'ObjectRemoved:Delete', 'doc/a.txt'));
    expect(delivered.map((d) => [d.kind, d.arn, d.body.Records[0].eventName, d.body.Records[0].s3.object.key, d.body.Records[0].s3.configurationId])).toEqual([
      ['sqs', QUEUE, 'ObjectCreated:Put', 'img/a.png', 'images'],
      ['sns', TOPIC, 'ObjectRemoved:Delete', 'doc/a.txt', 'deletes'],
    ]);
    expect(delivered[1]!.subject).toBe('Amazon S3 Notification');
  });

  it('logs at debug and drops the event when no deliverer is registered, and survives a failing one', () => {
    const bucket = fakeBucket({ LambdaFunctionConfigurations: [{ Id: 'f', LambdaFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:f', Events: ['s3:ObjectCreated:*'] }] });
    const log = logs();
    dispatchNotifications(log, event(bucket, 'ObjectCreated:Put', 'k'));
    expect(log.lines).toEqual(['debug S3 notification for arn:aws:lambda:eu-west-1:000000000000:function:f dropped: no lambda deliverer is registered']);
    unregister.push(registerNotificationTarget('lambda', () => {
      throw new Error('boom');
    }));
    expect(() => dispatchNotifications(log, event(bucket, 'ObjectCreated:Put', 'k'))).not.toThrow();
    expect(log.lines[1]).toMatch(/^warn S3 notification to .* failed: boom$/);
  });

  it('refuses a destination that a registered target says does not exist (unless validation is skipped)', () => {
    unregister.push(registerNotificationTarget('sqs', { deliver: () => undefined, exists: (arn) => arn.endsWith(':exists') }));
    const config = (arn: string) => ({ QueueConfigurations: [{ QueueArn: arn, Events: ['s3:ObjectCreated:*'] }] });
    expect(() => validateNotificationConfiguration(config('arn:aws:sqs:us-east-1:000000000000:missing'))).toThrow('Unable to validate the following destination configurations');
    expect(validateNotificationConfiguration(config('arn:aws:sqs:us-east-1:000000000000:missing'), true).QueueConfigurations).toHaveLength(1);
    expect(validateNotificationConfiguration(config('arn:aws:sqs:us-east-1:000000000000:exists')).QueueConfigurations).toHaveLength(1);
  });
});

describe('event record', () => {
  it('is written exactly as S3 writes it', () => {
    const record = buildEventRecord(event(fakeBucket(undefined, 'Enabled'), 'ObjectCreated:Put', 'photos/my cat (1).jpg', { versionId: 'v1' }), {
      configurationId: 'cfg',
      sequencer: '0055AED6DCD90281E5',
      time: '2025-01-02T03:04:05.678Z',
      hostId: 'HOST',
    });
    expect(record).toEqual({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'eu-west-1',
      eventTime: '2025-01-02T03:04:05.678Z',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: expect.stringMatching(/^AWS:A[0-9A-F]+$/) },
      requestParameters: { sourceIPAddress: '10.1.2.3' },
      responseElements: { 'x-amz-request-id': 'REQ123', 'x-amz-id-2': 'HOST' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'cfg',
        bucket: { name: 'events', ownerIdentity: { principalId: expect.stringMatching(/^A[0-9A-F]+$/) }, arn: 'arn:aws:s3:::events' },
        object: { key: 'photos/my+cat+%281%29.jpg', size: 11, eTag: '5eb63bbbe01eeed093cb22bb8f5acdc3', versionId: 'v1', sequencer: '0055AED6DCD90281E5' },
      },
    });
  });

  it('leaves out size and ETag for removals, and the version id for unversioned buckets', () => {
    const record = buildEventRecord(event(fakeBucket(), 'ObjectRemoved:Delete', 'k'), { configurationId: 'c', sequencer: '01' });
    expect(record.s3.object).toEqual({ key: 'k', sequencer: '01' });
    expect(Date.parse(record.eventTime)).not.toBeNaN();
  });

  it('encodes keys as S3 does: form encoding, slashes kept', () => {
    expect(encodeEventKey('a b/c+d.txt')).toBe('a+b/c%2Bd.txt');
    expect(encodeEventKey('été/ü~*_-.')).toBe('%C3%A9t%C3%A9/%C3%BC%7E*_-.');
    expect(encodeEventKey("it's=&?#")).toBe('it%27s%3D%26%3F%23');
  });

  it('uses sequencers of one width that only increase', () => {
    const seqs = Array.from({ length: 1000 }, () => nextSequencer());
    expect(new Set(seqs.map((s) => s.length)).size).toBe(1);
    expect(seqs.every((s) => /^[0-9A-F]+$/.test(s))).toBe(true);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]! > seqs[i - 1]!).toBe(true);
  });
});

describe('end to end through the S3 API', () => {
  let s3: S3Client;
  withInProcessRuntime({ s3: PROVIDERS.s3 }, (endpoint) => {
    s3 = new S3Client({ ...clientConfig(endpoint), forcePathStyle: true, maxAttempts: 1 });
  });
  afterAll(() => s3?.destroy());

  const queue = 'arn:aws:sqs:us-east-1:000000000000:uploads';
  const topic = 'arn:aws:sns:us-east-1:000000000000:deletes';

  it('sends s3:TestEvent on put, then records for matching object events', async () => {
    capture('sqs', 'sns', 'eventbridge');
    const Bucket = `notify-${process.pid}`;
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration: {
          QueueConfigurations: [{ Id: 'uploads', QueueArn: queue, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.txt' }] } } }],
          TopicConfigurations: [{ Id: 'deletes', TopicArn: topic, Events: ['s3:ObjectRemoved:*'] }],
          EventBridgeConfiguration: {},
        },
      }),
    );
    expect(delivered.map((d) => [d.kind, d.arn, d.body.Event, d.body.Service, d.body.Bucket])).toEqual([
      ['sqs', queue, 's3:TestEvent', 'Amazon S3', Bucket],
      ['sns', topic, 's3:TestEvent', 'Amazon S3', Bucket],
    ]);
    delivered.length = 0;

    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'in/hello world.txt', Body: 'hello world' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'in/image.png', Body: 'png' }));
    const queued = delivered.filter((d) => d.kind === 'sqs');
    expect(queued).toHaveLength(1);
    const [record] = queued[0]!.body.Records;
    expect(record).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventName: 'ObjectCreated:Put',
      s3: { s3SchemaVersion: '1.0', configurationId: 'uploads', bucket: { name: Bucket, arn: `arn:aws:s3:::${Bucket}` }, object: { key: 'in/hello+world.txt', size: 11, eTag: put.ETag!.replace(/"/g, '') } },
    });
    expect(record.responseElements['x-amz-request-id']).toMatch(/\S/);
    expect(record.s3.object.versionId).toBeUndefined();
    const bridged = delivered.filter((d) => d.kind === 'eventbridge');
    expect(bridged.map((d) => [d.arn, d.body['detail-type'], d.body.source, d.body.detail.object.key, d.body.detail.reason])).toEqual([
      ['arn:aws:events:us-east-1:000000000000:event-bus/default', 'Object Created', 'aws.s3', 'in/hello world.txt', 'PutObject'],
      ['arn:aws:events:us-east-1:000000000000:event-bus/default', 'Object Created', 'aws.s3', 'in/image.png', 'PutObject'],
    ]);
    delivered.length = 0;

    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'in/hello world.txt' }));
    const deletes = delivered.filter((d) => d.kind === 'sns');
    expect(deletes.map((d) => [d.arn, d.body.Records[0].eventName, d.body.Records[0].s3.object.key])).toEqual([[topic, 'ObjectRemoved:Delete', 'in/hello+world.txt']]);
  });

  it('carries version ids and per-key increasing sequencers in a versioned bucket', async () => {
    capture('sqs');
    const Bucket = `notify-v-${process.pid}`;
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: { QueueConfigurations: [{ QueueArn: queue, Events: ['s3:ObjectCreated:Put', 's3:ObjectRemoved:DeleteMarkerCreated'] }] } }));
    delivered.length = 0;
    const v1 = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'one' }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'two' }));
    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    const records = delivered.map((d) => d.body.Records[0]);
    expect(records.map((r) => [r.eventName, r.s3.object.versionId])).toEqual([
      ['ObjectCreated:Put', v1.VersionId],
      ['ObjectCreated:Put', v2.VersionId],
      ['ObjectRemoved:DeleteMarkerCreated', marker.VersionId],
    ]);
    const seqs = records.map((r) => r.s3.object.sequencer as string);
    expect(seqs[0]! < seqs[1]! && seqs[1]! < seqs[2]!).toBe(true);
    expect(records[0].s3.configurationId).toMatch(/\S/);
  });

  it('rejects an invalid event name with nothing stored and the server still up', async () => {
    const Bucket = `notify-bad-${process.pid}`;
    await s3.send(new CreateBucketCommand({ Bucket }));
    const e = await sdkError(s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: { QueueConfigurations: [{ QueueArn: queue, Events: ['s3:Nothing' as never] }] } })));
    expect([e.name, e.status, e.message]).toEqual(['InvalidArgument', 400, 'The event is not supported for notifications']);
    capture('sqs');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
    expect(delivered).toEqual([]);
  });
});
