/**
 * S3 event notifications as AWS sends them, end to end: the real S3 provider in this process
 * with stand-in SQS, SNS and Lambda providers (test/support/stand-ins.ts) receiving what S3
 * delivers, driven by @aws-sdk/client-s3 (and a browser form for POST) over a socket, on a
 * manual clock that also drives lifecycle passes (S3_LIFECYCLE_INTERVAL).
 *
 *   - s3:TestEvent: its exact JSON, to every queue and topic of a configuration, never to a function;
 *   - filters: rule names in any case stored capitalised, keys matched case-sensitively,
 *     overlapping configurations refused with AWS's two messages, nothing stored, server up;
 *   - every event type the S3 API emits, each record's eventVersion and object members as
 *     AWS writes them, and one whole record compared member by member;
 *   - the body a queue receives, the Message a topic publishes and the Payload a function gets
 *     are one `{"Records":[...]}` document;
 *   - lifecycle expirations (unversioned, delete markers, noncurrent versions) made by S3 itself.
 */
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  GetBucketNotificationConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  RestoreObjectCommand,
  S3Client,
  UploadPartCommand,
  type NotificationConfiguration,
} from '@aws-sdk/client-s3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../runtime/runtime.js';
import { ManualClock, RuntimeScheduler } from '../../../runtime/scheduler.js';
import { PROVIDERS } from '../../../runtime/services/registry.js';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';
import { standIn, type Received } from '../../support/stand-ins.js';

const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:events';
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:events';
const FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:events';
const ALL_EVENTS = ['s3:ObjectCreated:*', 's3:ObjectRemoved:*', 's3:ObjectRestore:*', 's3:ObjectTagging:*', 's3:ObjectAcl:Put', 's3:LifecycleExpiration:*'] as const;

const received: Received[] = [];
const clock = new ManualClock(Date.now());
let s3: S3Client;
let runtime: Runtime;
let endpoint: string;
withInProcessRuntime(
  {
    s3: PROVIDERS.s3,
    sqs: standIn('sqs', received, {
      GetQueueUrl: (ctx, input) => ({ QueueUrl: `http://sqs.${ctx.region}.localhost.localstack.cloud:4566/${ctx.accountId}/${input.QueueName}` }),
      SendMessage: () => ({ MessageId: 'm' }),
    }),
    sns: standIn('sns', received, { GetTopicAttributes: () => ({ Attributes: {} }), Publish: () => ({ MessageId: 'm' }) }),
    lambda: standIn('lambda', received, { GetFunction: () => ({}), Invoke: () => ({ StatusCode: 202 }) }),
    events: standIn('events', received, { PutEvents: () => ({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] }) }),
  },
  (url, rt) => {
    endpoint = url;
    runtime = rt;
    s3 = new S3Client({ ...clientConfig(url), forcePathStyle: true, maxAttempts: 1 });
  },
  { scheduler: new RuntimeScheduler(clock), env: { S3_LIFECYCLE_INTERVAL: '3600' } },
);
afterAll(() => s3?.destroy());
afterEach(() => void (received.length = 0));

/** What the destinations received once every delivery is done (existence checks left out), as [service, message text]. */
async function delivered(): Promise<Array<[service: string, message: string, input: any]>> {
  await runtime.services.deliveries.idle();
  const out = received.filter((r) => ['SendMessage', 'Publish', 'Invoke'].includes(r.operation));
  received.length = 0;
  return out.map((r) => [r.service, r.service === 'sqs' ? r.input.MessageBody : r.service === 'sns' ? r.input.Message : Buffer.from(r.input.Payload).toString('utf8'), r.input]);
}
/** The records delivered, in the order they arrived. */
async function records(): Promise<any[]> {
  return (await delivered()).flatMap(([, message]) => JSON.parse(message).Records);
}

let n = 0;
async function bucketWith(configuration: NotificationConfiguration, versioned = false): Promise<string> {
  const Bucket = `events-${process.pid}-${++n}`;
  await s3.send(new CreateBucketCommand({ Bucket }));
  if (versioned) await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: configuration }));
  await delivered();
  return Bucket;
}

describe('s3:TestEvent', () => {
  it('goes to every queue and topic of a configuration, as AWS writes it, and not to functions', async () => {
    const Bucket = `events-test-${process.pid}`;
    await s3.send(new CreateBucketCommand({ Bucket }));
    const put = await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration: {
          QueueConfigurations: [{ QueueArn: QUEUE, Events: ['s3:ObjectCreated:*'] }],
          TopicConfigurations: [{ TopicArn: TOPIC, Events: ['s3:ObjectRemoved:*'] }],
          LambdaFunctionConfigurations: [{ LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectTagging:*'] }],
        },
      }),
    );
    const got = await delivered();
    expect(got.map(([service]) => service)).toEqual(['sqs', 'sns']);
    for (const [, message] of got) {
      const event = JSON.parse(message);
      expect(Object.keys(event)).toEqual(['Service', 'Event', 'Time', 'Bucket', 'RequestId', 'HostId']);
      expect(event).toEqual({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: new Date(clock.now()).toISOString(), Bucket, RequestId: put.$metadata.requestId, HostId: expect.stringMatching(/^[A-Za-z0-9+/=]{20,}$/) });
    }
    expect(got[1]![2].Subject).toBe('Amazon S3 Notification');
  });
});

describe('filters', () => {
  it('stores rule names capitalised and matches keys case-sensitively by prefix and suffix', async () => {
    const Bucket = await bucketWith({ QueueConfigurations: [{ Id: 'jpg', QueueArn: QUEUE, Events: ['s3:ObjectCreated:Put'], Filter: { Key: { FilterRules: [{ Name: 'PREFIX' as never, Value: 'Images/' }, { Name: 'suffix', Value: '.jpg' }] } } }] });
    const stored = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    expect(stored.QueueConfigurations?.[0]?.Filter?.Key?.FilterRules).toEqual([{ Name: 'Prefix', Value: 'Images/' }, { Name: 'Suffix', Value: '.jpg' }]);
    for (const Key of ['Images/a.jpg', 'images/b.jpg', 'Images/c.JPG', 'Images/d.jpg.png', 'Images/sub/e.jpg']) await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'x' }));
    expect((await records()).map((r) => r.s3.object.key)).toEqual(['Images/a.jpg', 'Images/sub/e.jpg']);
  });

  it('refuses overlapping, duplicate, oversized and cross-region configurations with AWS errors, stores nothing, and keeps serving', async () => {
    const Bucket = await bucketWith({});
    const attempt = (c: NotificationConfiguration) => sdkError(s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: c })));
    const rule = (Prefix: string | undefined, Suffix: string | undefined) => ({ Key: { FilterRules: [...(Prefix !== undefined ? [{ Name: 'prefix' as const, Value: Prefix }] : []), ...(Suffix !== undefined ? [{ Name: 'suffix' as const, Value: Suffix }] : [])] } });
    const cases: Array<[NotificationConfiguration, string]> = [
      [{ QueueConfigurations: [{ QueueArn: QUEUE, Events: ['s3:ObjectCreated:*'] }], TopicConfigurations: [{ TopicArn: TOPIC, Events: ['s3:ObjectCreated:Put'] }] }, 'Configurations overlap. Configurations on the same bucket cannot share a common event type.'],
      [{ QueueConfigurations: [{ QueueArn: QUEUE, Events: ['s3:ObjectCreated:*'], Filter: rule('a/', undefined) }, { QueueArn: QUEUE, Events: ['s3:ObjectCreated:Copy'], Filter: rule('a/b', '.txt') }] }, 'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.'],
      [{ QueueConfigurations: [{ QueueArn: QUEUE, Events: ['s3:ObjectRemoved:Delete'], Filter: rule(undefined, 'x.png') }], TopicConfigurations: [{ TopicArn: TOPIC, Events: ['s3:ObjectRemoved:*'], Filter: rule(undefined, '.png') }] }, 'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.'],
      [{ QueueConfigurations: [{ Id: 'same', QueueArn: QUEUE, Events: ['s3:ObjectCreated:Put'] }], TopicConfigurations: [{ Id: 'same', TopicArn: TOPIC, Events: ['s3:ObjectRemoved:*'] }] }, 'Same ID used for multiple configurations. IDs must be unique.'],
      [{ QueueConfigurations: [{ QueueArn: QUEUE, Events: ['s3:ObjectCreated:Put'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'a' }, { Name: 'Prefix' as never, Value: 'b' }] } } }] }, 'Cannot specify more than one prefix rule in a filter.'],
      [{ QueueConfigurations: [{ QueueArn: QUEUE, Events: ['s3:ObjectCreated:Put'], Filter: rule('p'.repeat(1025), undefined) }] }, 'Size of filter rule value cannot exceed 1024 bytes in UTF-8 representation'],
      [{ QueueConfigurations: [{ QueueArn: 'arn:aws:sqs:eu-west-1:000000000000:events', Events: ['s3:ObjectCreated:Put'] }] }, 'The notification destination service region is not valid for the bucket location constraint'],
    ];
    for (const [configuration, message] of cases) {
      const e = await attempt(configuration);
      expect([e.name, e.status, e.message]).toEqual(['InvalidArgument', 400, message]);
      expect(await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }))).not.toHaveProperty('QueueConfigurations');
    }
    // disjoint prefixes, or one prefix with different suffixes, do not overlap
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration: {
          QueueConfigurations: [{ QueueArn: QUEUE, Events: ['s3:ObjectCreated:*'], Filter: rule('a/', undefined) }, { QueueArn: QUEUE, Events: ['s3:ObjectCreated:*'], Filter: rule('b/', '.jpg') }],
          TopicConfigurations: [{ TopicArn: TOPIC, Events: ['s3:ObjectCreated:Put'], Filter: rule('b/', '.png') }],
        },
      }),
    );
    expect((await delivered()).map(([service]) => service)).toEqual(['sqs', 'sqs', 'sns']);
  });
});

describe('event types and records', () => {
  it('announces every object operation with the record AWS writes for its type', async () => {
    const Bucket = await bucketWith({ QueueConfigurations: [{ Id: 'all', QueueArn: QUEUE, Events: [...ALL_EVENTS] }] });
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'put/a b+c.txt', Body: 'hello world' }));
    const [created] = await records();
    expect(created).toEqual({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: new Date(clock.now()).toISOString(),
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: expect.stringMatching(/^AWS:A[0-9A-Z]{13}$/) },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': put.$metadata.requestId, 'x-amz-id-2': expect.stringMatching(/^[A-Za-z0-9+/=]{20,}$/) },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'all',
        bucket: { name: Bucket, ownerIdentity: { principalId: expect.stringMatching(/^A[0-9A-Z]{13}$/) }, arn: `arn:aws:s3:::${Bucket}` },
        object: { key: 'put/a+b%2Bc.txt', size: 11, eTag: put.ETag!.replace(/"/g, ''), sequencer: expect.stringMatching(/^[0-9A-F]{18}$/) },
      },
    });

    const form = new FormData();
    form.append('key', 'post/form.txt');
    form.append('file', new Blob(['posted']), 'form.txt');
    expect((await fetch(`${endpoint}/${Bucket}`, { method: 'POST', body: form })).status).toBe(204);
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'copy/a', CopySource: `${Bucket}/post/form.txt` }));
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'mpu/a' }));
    const part = await s3.send(new UploadPartCommand({ Bucket, Key: 'mpu/a', UploadId: upload.UploadId, PartNumber: 1, Body: 'part' }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'mpu/a', UploadId: upload.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    await s3.send(new PutObjectTaggingCommand({ Bucket, Key: 'copy/a', Tagging: { TagSet: [{ Key: 't', Value: 'v' }] } }));
    await s3.send(new DeleteObjectTaggingCommand({ Bucket, Key: 'copy/a' }));
    await s3.send(new PutObjectAclCommand({ Bucket, Key: 'copy/a', ACL: 'public-read' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'cold/a', Body: 'cold', StorageClass: 'GLACIER' }));
    await s3.send(new RestoreObjectCommand({ Bucket, Key: 'cold/a', RestoreRequest: { Days: 2 } }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'copy/a' }));
    await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'mpu/a' }] } }));
    const got = await records();
    const shape = (r: any) => [r.s3.object.key, r.eventName, r.eventVersion, Object.keys(r.s3.object).join(',')];
    expect(got.map(shape)).toEqual([
      ['post/form.txt', 'ObjectCreated:Post', '2.1', 'key,size,eTag,sequencer'],
      ['copy/a', 'ObjectCreated:Copy', '2.1', 'key,size,eTag,sequencer'],
      ['mpu/a', 'ObjectCreated:CompleteMultipartUpload', '2.1', 'key,size,eTag,sequencer'],
      ['copy/a', 'ObjectTagging:Put', '2.3', 'key,eTag'],
      ['copy/a', 'ObjectTagging:Delete', '2.3', 'key,eTag'],
      ['copy/a', 'ObjectAcl:Put', '2.3', 'key,eTag'],
      ['cold/a', 'ObjectCreated:Put', '2.1', 'key,size,eTag,sequencer'],
      ['cold/a', 'ObjectRestore:Post', '2.1', 'key,size,eTag,sequencer'],
      ['cold/a', 'ObjectRestore:Completed', '2.1', 'key,size,eTag,sequencer'],
      ['copy/a', 'ObjectRemoved:Delete', '2.1', 'key,sequencer'],
      ['mpu/a', 'ObjectRemoved:Delete', '2.1', 'key,sequencer'],
    ]);
    const completed = got.find((r) => r.eventName === 'ObjectRestore:Completed');
    expect(completed.glacierEventData).toEqual({ restoreEventData: { lifecycleRestorationExpiryTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT00:00:00\.000Z$/), lifecycleRestoreStorageClass: 'GLACIER' } });
    expect(got.filter((r) => r.glacierEventData !== undefined)).toHaveLength(1);
    expect(got.find((r) => r.eventName === 'ObjectCreated:Post').s3.object.size).toBe(6);
  });

  it('gives queues, topics and functions one {"Records":[...]} document', async () => {
    const Bucket = await bucketWith({
      QueueConfigurations: [{ Id: 'q', QueueArn: QUEUE, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'q/' }] } } }],
      TopicConfigurations: [{ Id: 't', TopicArn: TOPIC, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 't/' }] } } }],
      LambdaFunctionConfigurations: [{ Id: 'l', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'l/' }] } } }],
    });
    for (const Key of ['q/1', 't/1', 'l/1', 'other/1']) await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'x' }));
    const got = await delivered();
    expect(got.map(([service, message]) => [service, Object.keys(JSON.parse(message)), JSON.parse(message).Records.map((r: any) => [r.s3.configurationId, r.s3.object.key])])).toEqual([
      ['sqs', ['Records'], [['q', 'q/1']]],
      ['sns', ['Records'], [['t', 't/1']]],
      ['lambda', ['Records'], [['l', 'l/1']]],
    ]);
    expect([got[1]![2].TopicArn, got[1]![2].Subject, got[2]![2].FunctionName, got[2]![2].InvocationType]).toEqual([TOPIC, 'Amazon S3 Notification', FUNCTION, 'Event']);
  });

  it('in a versioned bucket: delete markers made and removed, with version ids and per-key increasing sequencers', async () => {
    const Bucket = await bucketWith({ QueueConfigurations: [{ QueueArn: QUEUE, Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] }] }, true);
    const v1 = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'one' }));
    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: marker.VersionId }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: v1.VersionId }));
    const got = await records();
    expect(got.map((r) => [r.eventName, r.s3.object.versionId])).toEqual([
      ['ObjectCreated:Put', v1.VersionId],
      ['ObjectRemoved:DeleteMarkerCreated', marker.VersionId],
      ['ObjectRemoved:Delete', marker.VersionId],
      ['ObjectRemoved:Delete', v1.VersionId],
    ]);
    const sequencers = got.map((r) => r.s3.object.sequencer as string);
    expect([...sequencers].sort()).toEqual(sequencers);
    expect(new Set(sequencers).size).toBe(4);
  });
});

describe('EventBridge', () => {
  it('puts each event on the default bus with the detail AWS writes for its type', async () => {
    const Bucket = await bucketWith({ EventBridgeConfiguration: {} }, true);
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'cold/a b', Body: 'cold', StorageClass: 'GLACIER' }));
    await s3.send(new PutObjectAclCommand({ Bucket, Key: 'cold/a b', ACL: 'private' }));
    await s3.send(new RestoreObjectCommand({ Bucket, Key: 'cold/a b', RestoreRequest: { Days: 1 } }));
    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'cold/a b' }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'cold/a b', VersionId: put.VersionId }));
    await runtime.services.deliveries.idle();
    const entries = received.filter((r) => r.operation === 'PutEvents').map((r) => r.input.Entries[0]);
    received.length = 0;
    expect(entries.every((e) => e.EventBusName === 'default' && e.Source === 'aws.s3' && e.Resources[0] === `arn:aws:s3:::${Bucket}`)).toBe(true);
    const details = entries.map((e) => [e.DetailType, JSON.parse(e.Detail)]);
    const etag = put.ETag!.replace(/"/g, '');
    const sequencer = expect.stringMatching(/^[0-9A-F]+$/);
    const base = { version: '0', bucket: { name: Bucket }, 'request-id': expect.stringMatching(/\S/) };
    const byClient = { ...base, requester: '000000000000', 'source-ip-address': '127.0.0.1' };
    expect(details).toEqual([
      ['Object Created', { ...byClient, object: { key: 'cold/a b', size: 4, etag, 'version-id': put.VersionId, sequencer }, reason: 'PutObject' }],
      ['Object ACL Updated', { ...byClient, object: { key: 'cold/a b', etag, 'version-id': put.VersionId } }],
      ['Object Restore Initiated', { ...byClient, object: { key: 'cold/a b', size: 4, etag, 'version-id': put.VersionId }, 'source-storage-class': 'GLACIER' }],
      ['Object Restore Completed', { ...base, requester: 's3.amazonaws.com', object: { key: 'cold/a b', size: 4, etag, 'version-id': put.VersionId }, 'restore-expiry-time': expect.stringMatching(/^\d{4}-\d\d-\d\dT00:00:00Z$/), 'source-storage-class': 'GLACIER' }],
      ['Object Deleted', { ...byClient, object: { key: 'cold/a b', etag: 'd41d8cd98f00b204e9800998ecf8427e', 'version-id': marker.VersionId, sequencer }, reason: 'DeleteObject', 'deletion-type': 'Delete Marker Created' }],
      ['Object Deleted', { ...byClient, object: { key: 'cold/a b', 'version-id': put.VersionId, sequencer }, reason: 'DeleteObject', 'deletion-type': 'Permanently Deleted' }],
    ]);
  });
});

describe('lifecycle expiration', () => {
  it('is announced as made by S3 itself: deletions, delete markers and noncurrent versions', async () => {
    const events = { QueueConfigurations: [{ Id: 'lc', QueueArn: QUEUE, Events: ['s3:LifecycleExpiration:*' as const] }] };
    const plain = await bucketWith(events);
    const versioned = await bucketWith(events, true);
    await s3.send(new PutObjectCommand({ Bucket: plain, Key: 'tmp/a', Body: 'a' }));
    const old = await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'tmp/b', Body: 'old' }));
    const current = await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'tmp/b', Body: 'new' }));
    const Rules = [{ ID: 'tmp', Status: 'Enabled' as const, Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }];
    for (const Bucket of [plain, versioned]) await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules } }));
    expect(await records()).toEqual([]);
    await clock.advance(2 * 86_400_000 + 3_600_000);
    const got = await records();
    const byBucket = (b: string) => got.filter((r) => r.s3.bucket.name === b);
    expect(byBucket(plain)).toEqual([
      expect.objectContaining({ eventVersion: '2.3', eventName: 'LifecycleExpiration:Delete', userIdentity: { principalId: 's3.amazonaws.com' }, requestParameters: { sourceIPAddress: 's3.amazonaws.com' } }),
    ]);
    expect(byBucket(plain)[0].s3.object).toEqual({ key: 'tmp/a', sequencer: expect.stringMatching(/^[0-9A-F]{18}$/) });
    expect(byBucket(plain)[0].responseElements['x-amz-request-id']).toMatch(/^[0-9A-F]{16}$/);
    const versionedEvents = byBucket(versioned).map((r) => [r.eventName, r.s3.object.versionId]);
    expect(byBucket(versioned).every((r) => r.eventVersion === '2.3')).toBe(true);
    expect(versionedEvents).toContainEqual(['LifecycleExpiration:DeleteMarkerCreated', expect.any(String)]);
    // the older version was noncurrent for days: gone; the newer one became noncurrent at the marker (gone too if a day passed since, by the time of day)
    const removed = versionedEvents.filter(([name]) => name === 'LifecycleExpiration:Delete').map(([, version]) => version);
    expect(removed).toContain(old.VersionId);
    expect(removed.every((v) => v === old.VersionId || v === current.VersionId)).toBe(true);
  });
});
