/**
 * S3 event notifications: the matching rules, the event record, what the notifier hands the
 * delivery queue (notifier.ts, with a recording queue and client), and the whole path end to
 * end: the real S3 provider in this process with stand-in SQS, SNS and EventBridge providers
 * (test/support/stand-ins.ts) receiving the deliveries, driven by @aws-sdk/client-s3.
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
import { ServiceError } from '../../../runtime/aws/errors.js';
import type { Logger } from '../../../runtime/logger.js';
import type { Runtime } from '../../../runtime/runtime.js';
import { ManualClock } from '../../../runtime/scheduler.js';
import type { CallOptions, ServiceClient } from '../../../runtime/services/client.js';
import type { Delivery } from '../../../runtime/services/deliveries.js';
import type { ServiceState } from '../../../runtime/services/manager.js';
import { PROVIDERS } from '../../../runtime/services/registry.js';
import { buildEventRecord, createSequencer, encodeEventKey } from '../../../runtime/services/s3/notification-events.js';
import { eventMatches, keyMatches, validateNotificationConfiguration } from '../../../runtime/services/s3/notifications.js';
import { createNotifier } from '../../../runtime/services/s3/notifier.js';
import type { S3Event } from '../../../runtime/services/s3/service.js';
import type { Bucket } from '../../../runtime/services/s3/state.js';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';
import { standIn, type Received } from '../../support/stand-ins.js';

function logs(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  return { lines, trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A notifier whose deliveries are recorded, and whose client answers from `services`. */
function recordingNotifier(services: Record<string, (operation: string, input: any, caller: CallOptions) => unknown> = {}) {
  const delivered: Delivery[] = [];
  const calls: Array<[string, string, unknown, CallOptions]> = [];
  const client: ServiceClient = {
    status: (service) => (services[service] ? 'running' : undefined) as ServiceState | undefined,
    call: (async (service: string, operation: string, input: unknown, options: CallOptions) => {
      calls.push([service, operation, input, options]);
      return services[service]!(operation, input, options);
    }) as ServiceClient['call'],
  };
  const log = logs();
  const notifier = createNotifier({
    client,
    deliveries: { deliver: (d) => void delivered.push(d) },
    config: { localstackHost: 'localhost.localstack.cloud:4566', sqsEndpointStrategy: 'standard' },
    clock: new ManualClock(Date.parse('2025-01-02T03:04:05.678Z')),
    log,
  });
  return { notifier, delivered, calls, log };
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
const FUNCTION = 'arn:aws:lambda:eu-west-1:111111111111:function:f';

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

  it('hands the queue one delivery per matching configuration: SQS SendMessage, SNS Publish, Lambda Invoke', () => {
    const { notifier, delivered } = recordingNotifier();
    const bucket = fakeBucket({
      QueueConfigurations: [{ Id: 'images', QueueArn: QUEUE, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'img/' }] } } }],
      TopicConfigurations: [{ Id: 'deletes', TopicArn: TOPIC, Events: ['s3:ObjectRemoved:Delete'] }],
      LambdaFunctionConfigurations: [{ Id: 'fn', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:Copy'] }],
    });
    notifier.dispatch(event(bucket, 'ObjectCreated:Put', 'img/a.png'));
    notifier.dispatch(event(bucket, 'ObjectCreated:Put', 'doc/a.txt'));
    notifier.dispatch(event(bucket, 'ObjectRemoved:DeleteMarkerCreated', 'img/a.png'));
    notifier.dispatch(event(bucket, 'ObjectRemoved:Delete', 'doc/a.txt'));
    notifier.dispatch(event(bucket, 'ObjectCreated:Copy', 'x'));
    expect(delivered.map((d) => [d.service, d.operation, d.caller])).toEqual([
      ['sqs', 'SendMessage', { accountId: '000000000000', region: 'eu-west-1', principal: 's3.amazonaws.com' }],
      ['sns', 'Publish', { accountId: '000000000000', region: 'eu-west-1', principal: 's3.amazonaws.com' }],
      ['lambda', 'Invoke', { accountId: '111111111111', region: 'eu-west-1', principal: 's3.amazonaws.com' }],
    ]);
    const [sqs, sns, lambda] = delivered.map((d) => d.input as any);
    expect(sqs.QueueUrl).toBe('http://sqs.eu-west-1.localhost.localstack.cloud:4566/000000000000/events');
    const record = JSON.parse(sqs.MessageBody).Records[0];
    expect([record.eventName, record.s3.object.key, record.s3.configurationId, record.eventTime]).toEqual(['ObjectCreated:Put', 'img/a.png', 'images', '2025-01-02T03:04:05.678Z']);
    expect([sns.TopicArn, sns.Subject, JSON.parse(sns.Message).Records[0].eventName]).toEqual([TOPIC, 'Amazon S3 Notification', 'ObjectRemoved:Delete']);
    expect([lambda.FunctionName, lambda.InvocationType, JSON.parse(Buffer.from(lambda.Payload).toString()).Records[0].s3.configurationId]).toEqual([FUNCTION, 'Event', 'fn']);
    expect(delivered[0]!.source).toBe(`s3 notification events ObjectCreated:Put img/a.png -> ${QUEUE}`);
  });

  it('asks each destination whether it exists, and names every one that does not', async () => {
    const { notifier, calls } = recordingNotifier({
      sqs: (_op, input) => {
        if (input.QueueName !== 'exists') throw new ServiceError('QueueDoesNotExist', 'The specified queue does not exist.');
        return { QueueUrl: 'u' };
      },
    });
    const config = (...names: string[]) => ({ QueueConfigurations: names.map((n) => ({ QueueArn: `arn:aws:sqs:us-east-1:123456789012:${n}`, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: n }] } } })) });
    await notifier.checkDestinations(validateNotificationConfiguration(config('exists')), { accountId: '000000000000', region: 'us-east-1' });
    expect(calls).toEqual([['sqs', 'GetQueueUrl', { QueueName: 'exists', QueueOwnerAWSAccountId: '123456789012' }, { accountId: '123456789012', region: 'us-east-1', principal: 's3.amazonaws.com' }]]);
    const e = await notifier.checkDestinations(validateNotificationConfiguration(config('gone', 'exists', 'lost')), { accountId: '000000000000', region: 'us-east-1' }).catch((x: ServiceError) => x);
    expect([e?.code, e?.message, e?.fields]).toEqual([
      'InvalidArgument',
      'Unable to validate the following destination configurations',
      {
        ArgumentName1: 'arn:aws:sqs:us-east-1:123456789012:gone',
        ArgumentValue1: 'The destination queue does not exist',
        ArgumentName2: 'arn:aws:sqs:us-east-1:123456789012:lost',
        ArgumentValue2: 'The destination queue does not exist',
      },
    ]);
  });

  it('accepts destinations it cannot ask: no provider, or one that fails', async () => {
    const { notifier, log } = recordingNotifier({
      sqs: () => {
        throw new ServiceError('InternalError', 'boom', { status: 500 });
      },
    });
    const config = validateNotificationConfiguration({ QueueConfigurations: [{ QueueArn: QUEUE, Events: ['s3:ObjectCreated:*'] }], TopicConfigurations: [{ TopicArn: TOPIC, Events: ['s3:ObjectRemoved:*'] }] });
    await expect(notifier.checkDestinations(config, { accountId: '000000000000', region: 'eu-west-1' })).resolves.toBeUndefined();
    expect(log.lines).toEqual([`warn cannot check notification destination ${QUEUE} (boom); accepted`]);
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

  it('carries the eventVersion AWS documents per event type, and lifecycleEventData on transitions only', () => {
    const versions = Object.fromEntries(
      ['ObjectCreated:Put', 'ObjectRemoved:Delete', 'ObjectRestore:Post', 'ObjectRestore:Completed', 'ObjectRestore:Delete', 'ObjectTagging:Put', 'ObjectAcl:Put', 'LifecycleExpiration:Delete', 'LifecycleTransition', 'IntelligentTiering', 'Replication:OperationFailedReplication', 'ReducedRedundancyLostObject'].map((name) => [
        name,
        buildEventRecord(event(fakeBucket(), name, 'k'), { configurationId: 'c', sequencer: '01' }).eventVersion,
      ]),
    );
    expect(versions).toEqual({
      'ObjectCreated:Put': '2.1',
      'ObjectRemoved:Delete': '2.1',
      'ObjectRestore:Post': '2.1',
      'ObjectRestore:Completed': '2.1',
      'ObjectRestore:Delete': '2.3',
      'ObjectTagging:Put': '2.3',
      'ObjectAcl:Put': '2.3',
      'LifecycleExpiration:Delete': '2.3',
      LifecycleTransition: '2.3',
      IntelligentTiering: '2.3',
      'Replication:OperationFailedReplication': '2.2',
      ReducedRedundancyLostObject: '2.1',
    });
    const transition = buildEventRecord(event(fakeBucket(), 'LifecycleTransition', 'k', { storageClass: 'GLACIER' }), { configurationId: 'c', sequencer: '01' });
    expect(transition).toMatchObject({ userIdentity: { principalId: 's3.amazonaws.com' }, requestParameters: { sourceIPAddress: 's3.amazonaws.com' }, lifecycleEventData: { transitionEventData: { destinationStorageClass: 'GLACIER' } } });
    expect(transition.s3.object).toEqual({ key: 'k', size: 11, eTag: '5eb63bbbe01eeed093cb22bb8f5acdc3', sequencer: '01' });
    expect(buildEventRecord(event(fakeBucket(), 'ObjectCreated:Put', 'k'), { configurationId: 'c', sequencer: '01' })).not.toHaveProperty('lifecycleEventData');
  });

  it('encodes keys as S3 does: form encoding, slashes kept', () => {
    expect(encodeEventKey('a b/c+d.txt')).toBe('a+b/c%2Bd.txt');
    expect(encodeEventKey('été/ü~*_-.')).toBe('%C3%A9t%C3%A9/%C3%BC%7E*_-.');
    expect(encodeEventKey("it's=&?#")).toBe('it%27s%3D%26%3F%23');
  });

  it('uses sequencers of one width that only increase', () => {
    const nextSequencer = createSequencer();
    const seqs = Array.from({ length: 1000 }, () => nextSequencer());
    expect(new Set(seqs.map((s) => s.length)).size).toBe(1);
    expect(seqs.every((s) => /^[0-9A-F]+$/.test(s))).toBe(true);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]! > seqs[i - 1]!).toBe(true);
  });
});

describe('end to end through the S3 API', () => {
  const received: Received[] = [];
  const queues = new Set(['uploads']);
  const topics = new Set(['arn:aws:sns:us-east-1:000000000000:deletes']);
  let s3: S3Client;
  let runtime: Runtime;
  withInProcessRuntime(
    {
      s3: PROVIDERS.s3,
      sqs: standIn('sqs', received, {
        SendMessage: () => ({ MessageId: 'm' }),
        GetQueueUrl: (ctx, input) => {
          if (!queues.has(input.QueueName)) throw new ServiceError('QueueDoesNotExist', 'The specified queue does not exist.');
          return { QueueUrl: `http://sqs.${ctx.region}.localhost.localstack.cloud:4566/${ctx.accountId}/${input.QueueName}` };
        },
      }),
      sns: standIn('sns', received, {
        Publish: () => ({ MessageId: 'm' }),
        GetTopicAttributes: (_ctx, input) => {
          if (!topics.has(input.TopicArn)) throw new ServiceError('NotFound', 'Topic does not exist', { status: 404 });
          return { Attributes: {} };
        },
      }),
      events: standIn('events', received, { PutEvents: () => ({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] }) }),
    },
    (endpoint, rt) => {
      s3 = new S3Client({ ...clientConfig(endpoint), forcePathStyle: true, maxAttempts: 1 });
      runtime = rt;
    },
  );
  afterAll(() => s3?.destroy());
  afterEach(() => void (received.length = 0));

  /** What the stand-ins received once every delivery is done (checks excluded). */
  async function delivered(): Promise<Received[]> {
    await runtime.services.deliveries.idle();
    const out = received.filter((r) => !['GetQueueUrl', 'GetTopicAttributes'].includes(r.operation));
    received.length = 0;
    return out;
  }
  const body = (r: Received) => JSON.parse(r.operation === 'Publish' ? r.input.Message : r.input.MessageBody);

  const queue = 'arn:aws:sqs:us-east-1:000000000000:uploads';
  const topic = 'arn:aws:sns:us-east-1:000000000000:deletes';

  it('sends s3:TestEvent on put, then records for matching object events', async () => {
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
    // the destinations were asked, as S3 itself, in their account and region
    const checks = received.filter((r) => r.operation.startsWith('Get'));
    expect(checks.map((r) => [r.operation, r.context.internal, r.context.principal, r.context.accountId, r.context.region])).toEqual([
      ['GetQueueUrl', true, 's3.amazonaws.com', '000000000000', 'us-east-1'],
      ['GetTopicAttributes', true, 's3.amazonaws.com', '000000000000', 'us-east-1'],
    ]);
    const tests = await delivered();
    expect(tests.map((r) => [r.service, r.operation, body(r).Event, body(r).Service, body(r).Bucket])).toEqual([
      ['sqs', 'SendMessage', 's3:TestEvent', 'Amazon S3', Bucket],
      ['sns', 'Publish', 's3:TestEvent', 'Amazon S3', Bucket],
    ]);

    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'in/hello world.txt', Body: 'hello world' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'in/image.png', Body: 'png' }));
    const created = await delivered();
    const queued = created.filter((r) => r.service === 'sqs');
    expect(queued).toHaveLength(1);
    expect(queued[0]!.input.QueueUrl).toBe(`http://sqs.us-east-1.${runtime.config.localstackHost}/000000000000/uploads`);
    const [record] = body(queued[0]!).Records;
    expect(record).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventName: 'ObjectCreated:Put',
      s3: { s3SchemaVersion: '1.0', configurationId: 'uploads', bucket: { name: Bucket, arn: `arn:aws:s3:::${Bucket}` }, object: { key: 'in/hello+world.txt', size: 11, eTag: put.ETag!.replace(/"/g, '') } },
    });
    expect(record.responseElements['x-amz-request-id']).toMatch(/\S/);
    expect(record.s3.object.versionId).toBeUndefined();
    const bridged = created.filter((r) => r.service === 'events');
    expect(bridged.map((r) => r.input.Entries[0]).map((e: any) => [e.EventBusName, e.DetailType, e.Source, JSON.parse(e.Detail).object.key, JSON.parse(e.Detail).reason, e.Time instanceof Date])).toEqual([
      ['default', 'Object Created', 'aws.s3', 'in/hello world.txt', 'PutObject', true],
      ['default', 'Object Created', 'aws.s3', 'in/image.png', 'PutObject', true],
    ]);

    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'in/hello world.txt' }));
    const deletes = (await delivered()).filter((r) => r.service === 'sns');
    expect(deletes.map((r) => [r.input.TopicArn, r.input.Subject, body(r).Records[0].eventName, body(r).Records[0].s3.object.key])).toEqual([[topic, 'Amazon S3 Notification', 'ObjectRemoved:Delete', 'in/hello+world.txt']]);
  });

  it('carries version ids and per-key increasing sequencers in a versioned bucket', async () => {
    const Bucket = `notify-v-${process.pid}`;
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: { QueueConfigurations: [{ QueueArn: queue, Events: ['s3:ObjectCreated:Put', 's3:ObjectRemoved:DeleteMarkerCreated'] }] } }));
    await delivered();
    const v1 = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'one' }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'two' }));
    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    const records = (await delivered()).map((r) => body(r).Records[0]).sort((a, b) => (a.s3.object.sequencer < b.s3.object.sequencer ? -1 : 1));
    expect(records.map((r) => [r.eventName, r.s3.object.versionId])).toEqual([
      ['ObjectCreated:Put', v1.VersionId],
      ['ObjectCreated:Put', v2.VersionId],
      ['ObjectRemoved:DeleteMarkerCreated', marker.VersionId],
    ]);
    expect(records[0].s3.configurationId).toMatch(/\S/);
  });

  it('refuses a destination that does not exist, naming it, and stores nothing', async () => {
    const Bucket = `notify-missing-${process.pid}`;
    await s3.send(new CreateBucketCommand({ Bucket }));
    const missing = 'arn:aws:sqs:us-east-1:000000000000:nowhere';
    const e = (await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: { QueueConfigurations: [{ QueueArn: missing, Events: ['s3:ObjectCreated:*'] }] } })).catch((x) => x)) as any;
    expect([e.name, e.$metadata?.httpStatusCode, e.message, e.ArgumentName1, e.ArgumentValue1]).toEqual(['InvalidArgument', 400, 'Unable to validate the following destination configurations', missing, 'The destination queue does not exist']);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
    expect(await delivered()).toEqual([]);
    // SkipDestinationValidation puts it anyway
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, SkipDestinationValidation: true, NotificationConfiguration: { QueueConfigurations: [{ QueueArn: missing, Events: ['s3:ObjectCreated:*'] }] } }));
    expect((await delivered()).map((r) => [r.operation, r.input.QueueUrl])).toEqual([['SendMessage', `http://sqs.us-east-1.${runtime.config.localstackHost}/000000000000/nowhere`]]);
  });

  it('rejects an invalid event name with nothing stored and the server still up', async () => {
    const Bucket = `notify-bad-${process.pid}`;
    await s3.send(new CreateBucketCommand({ Bucket }));
    const e = await sdkError(s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: { QueueConfigurations: [{ QueueArn: queue, Events: ['s3:Nothing' as never] }] } })));
    expect([e.name, e.status, e.message]).toEqual(['InvalidArgument', 400, 'The event is not supported for notifications']);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
    expect(await delivered()).toEqual([]);
  });
});
