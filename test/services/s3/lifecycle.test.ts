/**
 * Lifecycle rules applied: the pass itself on a given clock (lifecycle.ts, imported
 * directly); in a runtime in this process whose scheduler runs on a manual clock, where days
 * pass when the test says so; and end to end in a runtime process started with
 * S3_LIFECYCLE_INTERVAL=1, where a rule whose expiration date has passed removes objects
 * within a few seconds.
 */
import { CreateBucketCommand, GetObjectCommand, PutBucketLifecycleConfigurationCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, RuntimeScheduler } from '../../../runtime/scheduler.js';
import { PROVIDERS } from '../../../runtime/services/registry.js';
import { KeyIndexes } from '../../../runtime/services/s3/key-index.js';
import { applyLifecycle, dueAfter } from '../../../runtime/services/s3/lifecycle.js';
import type { S3Event, S3Service } from '../../../runtime/services/s3/service.js';
import { newState, type Bucket, type StoredObject } from '../../../runtime/services/s3/state.js';
import { clientConfig, startRuntime, withInProcessRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

function fakeS3() {
  const events: S3Event[] = [];
  const removedBlobs: string[] = [];
  const s3 = {
    state: newState(),
    changed() {},
    keys: new KeyIndexes(),
    blobs: { remove: (blobs: Iterable<{ id: string }>) => void removedBlobs.push(...[...blobs].map((b) => b.id)) },
    config: {},
    log: { trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    notify: (e: S3Event) => void events.push(e),
  } as unknown as S3Service;
  return { s3, events, removedBlobs };
}

function version(key: string, versionId: string, lastModified: string, extra: Partial<StoredObject> = {}): StoredObject {
  return { key, versionId, lastModified, owner: '000000000000', size: 10, etag: '"e"', blobs: [{ id: `${key}@${versionId}`, size: 10 }], system: {}, metadata: {}, storageClass: 'STANDARD', tags: [], ...extra };
}

function addBucket(s3: S3Service, rules: unknown[], versioning?: 'Enabled'): Bucket {
  const bucket: Bucket = {
    name: `b${Object.keys(s3.state.buckets).length}`,
    accountId: '000000000000',
    region: 'us-east-1',
    created: '2025-01-01T00:00:00.000Z',
    objectLockEnabled: false,
    objects: {},
    uploads: {},
    config: { lifecycle: { Rules: rules } },
    acl: { owner: '000000000000', grants: [] },
    ...(versioning ? { versioning } : {}),
  };
  s3.state.buckets[bucket.name] = bucket;
  return bucket;
}

describe('the lifecycle pass', () => {
  it('counts days to the next midnight UTC, as S3 does', () => {
    expect(dueAfter('2025-01-01T10:00:00.000Z', 1)).toBe(Date.parse('2025-01-03T00:00:00.000Z'));
    expect(dueAfter('2025-01-01T00:00:00.000Z', 1)).toBe(Date.parse('2025-01-02T00:00:00.000Z'));
  });

  it('expires current versions selected by prefix, tags and size, once due', () => {
    const { s3, events, removedBlobs } = fakeS3();
    const bucket = addBucket(s3, [
      { ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 2 } },
      { ID: 'tagged', Status: 'Enabled', Filter: { And: { Prefix: 'data/', Tags: [{ Key: 'temp', Value: 'yes' }] } }, Expiration: { Days: 1 } },
      { ID: 'off', Status: 'Disabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } },
    ]);
    const created = '2025-03-01T12:00:00.000Z';
    bucket.objects['logs/a'] = [version('logs/a', 'null', created)];
    bucket.objects['keep/b'] = [version('keep/b', 'null', created)];
    bucket.objects['data/t'] = [version('data/t', 'null', created, { tags: [{ Key: 'temp', Value: 'yes' }] })];
    bucket.objects['data/u'] = [version('data/u', 'null', created)];
    expect(applyLifecycle(s3, Date.parse('2025-03-02T23:59:59Z'))).toEqual({ expired: 0, removed: 0, aborted: 0 });
    expect(applyLifecycle(s3, Date.parse('2025-03-03T00:00:00Z'))).toEqual({ expired: 1, removed: 0, aborted: 0 });
    expect(Object.keys(bucket.objects).sort()).toEqual(['data/u', 'keep/b', 'logs/a']);
    expect(applyLifecycle(s3, Date.parse('2025-03-04T00:00:00Z')).expired).toBe(1);
    expect(Object.keys(bucket.objects).sort()).toEqual(['data/u', 'keep/b']);
    expect(removedBlobs.sort()).toEqual(['data/t@null', 'logs/a@null']);
    expect(events.map((e) => [e.name, e.object.key])).toEqual([
      ['LifecycleExpiration:Delete', 'data/t'],
      ['LifecycleExpiration:Delete', 'logs/a'],
    ]);
  });

  it('puts delete markers in versioned buckets, removes noncurrent versions and lone markers', () => {
    const { s3, events } = fakeS3();
    const bucket = addBucket(
      s3,
      [{ ID: 'all', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Date: new Date('2025-06-01T00:00:00Z') }, NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 1 } }],
      'Enabled',
    );
    // newest first: v3 current, v2 and v1 noncurrent
    bucket.objects.k = [version('k', 'v3', '2025-05-10T00:00:00.000Z'), version('k', 'v2', '2025-05-05T00:00:00.000Z'), version('k', 'v1', '2025-05-01T00:00:00.000Z')];
    const first = applyLifecycle(s3, Date.parse('2025-05-20T00:00:00Z'));
    // v1 (noncurrent since v2, beyond the one newer noncurrent version kept) goes; v2 stays
    expect(first).toEqual({ expired: 0, removed: 1, aborted: 0 });
    expect(bucket.objects.k!.map((v) => v.versionId)).toEqual(['v3', 'v2']);
    applyLifecycle(s3, Date.parse('2025-06-01T00:00:00Z'));
    const versions = bucket.objects.k!;
    expect(versions[0]!.deleteMarker).toBe(true);
    expect(versions.slice(1).map((v) => v.versionId)).toEqual(['v3', 'v2']);
    // a version removed for good is LifecycleExpiration:Delete, as S3 announces it
    expect(events.map((e) => [e.name, e.object.versionId])).toEqual([['LifecycleExpiration:Delete', 'v1'], ['LifecycleExpiration:DeleteMarkerCreated', versions[0]!.versionId]]);

    const lone = addBucket(s3, [{ ID: 'markers', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { ExpiredObjectDeleteMarker: true } }], 'Enabled');
    lone.objects.gone = [version('gone', 'm1', '2025-01-01T00:00:00.000Z', { deleteMarker: true, blobs: [] })];
    lone.objects.kept = [version('kept', 'm2', '2025-01-01T00:00:00.000Z', { deleteMarker: true, blobs: [] }), version('kept', 'o1', '2024-01-01T00:00:00.000Z')];
    applyLifecycle(s3, Date.parse('2025-07-01T00:00:00Z'));
    expect(Object.keys(lone.objects)).toEqual(['kept']);
    expect(events.filter((e) => e.bucket === lone).map((e) => [e.name, e.object.key, e.object.versionId])).toEqual([['LifecycleExpiration:Delete', 'gone', 'm1']]);
  });

  it('aborts multipart uploads initiated more than the given days ago', () => {
    const { s3, removedBlobs } = fakeS3();
    const bucket = addBucket(s3, [{ ID: 'mpu', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 } }]);
    const upload = (key: string) => ({ uploadId: key, key, initiated: '2025-02-01T08:00:00.000Z', owner: '000000000000', object: {} as never, parts: { '1': { partNumber: 1, size: 5, etag: '"p"', blob: { id: `part-${key}`, size: 5 }, lastModified: '2025-02-01T08:00:00.000Z' } } });
    bucket.uploads.u1 = upload('tmp/x');
    bucket.uploads.u2 = upload('keep/y');
    expect(applyLifecycle(s3, Date.parse('2025-02-04T23:00:00Z')).aborted).toBe(0);
    expect(applyLifecycle(s3, Date.parse('2025-02-05T00:00:00Z')).aborted).toBe(1);
    expect(Object.keys(bucket.uploads)).toEqual(['u2']);
    expect(removedBlobs).toEqual(['part-tmp/x']);
  });
});

describe('on the runtime scheduler, with a manual clock', () => {
  const clock = new ManualClock(Date.now());
  let s3: S3Client;
  withInProcessRuntime(
    { s3: PROVIDERS.s3 },
    (endpoint) => {
      s3 = new S3Client({ ...clientConfig(endpoint), forcePathStyle: true, maxAttempts: 1 });
    },
    { scheduler: new RuntimeScheduler(clock), env: { S3_LIFECYCLE_INTERVAL: '3600' } },
  );
  afterAll(() => s3?.destroy());

  it('expires an object once its days have passed on the clock, at hourly passes', async () => {
    const Bucket = `lifecycle-clock-${process.pid}`;
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'tmp/a', Body: 'a' }));
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [{ ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } }] } }));
    const exists = async () => (await sdkError(s3.send(new GetObjectCommand({ Bucket, Key: 'tmp/a' }))).catch(() => undefined)) === undefined;
    await clock.advance(3_600_000);
    expect(await exists()).toBe(true);
    // due at the first midnight UTC after one day: within two days, whatever the time now
    await clock.advance(2 * 86_400_000);
    expect(await exists()).toBe(false);
  });
});

describe('end to end with S3_LIFECYCLE_INTERVAL=1', () => {
  let rt: RuntimeProcess;
  let s3: S3Client;
  beforeAll(async () => {
    rt = await startRuntime({ env: { S3_LIFECYCLE_INTERVAL: '1' } });
    s3 = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true, maxAttempts: 1 });
  });
  afterAll(async () => {
    s3?.destroy();
    await rt?.stop();
  });

  async function gone(Bucket: string, Key: string, VersionId?: string): Promise<boolean> {
    const e = await sdkError(s3.send(new GetObjectCommand({ Bucket, Key, VersionId }))).catch(() => undefined);
    return e?.name === 'NoSuchKey';
  }

  it('expires objects whose expiration date has passed, and only those', async () => {
    const Bucket = `lifecycle-${process.pid}`;
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'old/a', Body: 'a' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'new/b', Body: 'b' }));
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [{ ID: 'old', Status: 'Enabled', Filter: { Prefix: 'old/' }, Expiration: { Date: new Date('2020-01-01T00:00:00Z') } }] } }));
    const deadline = Date.now() + 10_000;
    while (!(await gone(Bucket, 'old/a')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await gone(Bucket, 'old/a')).toBe(true);
    const kept = await s3.send(new GetObjectCommand({ Bucket, Key: 'new/b' }));
    expect(await kept.Body!.transformToString()).toBe('b');
  });

  it('leaves a delete marker in a versioned bucket, the old version still readable', async () => {
    const Bucket = `lifecycle-v-${process.pid}`;
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v1' }));
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [{ ID: 'all', Status: 'Enabled', Filter: {}, Expiration: { Date: new Date('2020-01-01T00:00:00Z') } }] } }));
    const deadline = Date.now() + 10_000;
    while (!(await gone(Bucket, 'k')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await gone(Bucket, 'k')).toBe(true);
    const old = await s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: put.VersionId }));
    expect(await old.Body!.transformToString()).toBe('v1');
  });
});
