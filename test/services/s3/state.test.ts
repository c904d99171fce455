/**
 * S3 on the runtime's state system (runtime/state): keys that are names of Object.prototype
 * members are data like any other (object keys, tag keys, configuration ids), every change
 * is marked (these runtimes run with STATE_AUDIT=1, which fails any request that changed the
 * state without a mark), a reset empties buckets and bodies, and the body files no object
 * refers to are removed when S3 starts on a restored state, while the referenced ones stay.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketAnalyticsConfigurationCommand,
  DeleteObjectCommand,
  GetBucketAnalyticsConfigurationCommand,
  GetBucketTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListBucketAnalyticsConfigurationsCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutBucketAnalyticsConfigurationCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../runtime/config.js';
import { logger } from '../../../runtime/logger.js';
import { Runtime } from '../../../runtime/runtime.js';
import { ServiceManager } from '../../../runtime/services/manager.js';
import type { OperationContext, Provider } from '../../../runtime/services/provider.js';
import { PROVIDERS } from '../../../runtime/services/registry.js';
import { createProvider } from '../../../runtime/services/s3/provider.js';
import { cloneState } from '../../../runtime/state/codec.js';
import { StateManager } from '../../../runtime/state/manager.js';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

/** Every file under a folder (the blob store's 256 sub-folders are not files). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => statSync(join(dir, p)).isFile());
}

async function text(body: { transformToString(): Promise<string> } | undefined): Promise<string> {
  return body!.transformToString();
}

describe('keys named like Object.prototype members', () => {
  let rt: RuntimeProcess;
  let s3: S3Client;
  const Bucket = 'proto-names';

  beforeAll(async () => {
    rt = await startRuntime();
    s3 = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true, maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket }));
  });
  afterAll(async () => {
    s3?.destroy();
    await rt?.stop();
  });

  it('are missing until written: NoSuchKey, never an inherited member', async () => {
    for (const Key of PROTO_NAMES) {
      const e = await sdkError(s3.send(new GetObjectCommand({ Bucket, Key })));
      expect([Key, e.name, e.status]).toEqual([Key, 'NoSuchKey', 404]);
    }
    const e = await sdkError(s3.send(new GetBucketTaggingCommand({ Bucket: 'constructor' })));
    expect(e.name).toBe('NoSuchBucket');
  });

  it('are object keys like any other: written, read, tagged, listed, deleted', async () => {
    for (const Key of PROTO_NAMES) {
      await s3.send(new PutObjectCommand({ Bucket, Key, Body: `body of ${Key}` }));
      await s3.send(new PutObjectTaggingCommand({ Bucket, Key, Tagging: { TagSet: [{ Key: '__proto__', Value: Key }] } }));
    }
    for (const Key of PROTO_NAMES) {
      expect(await text((await s3.send(new GetObjectCommand({ Bucket, Key }))).Body)).toBe(`body of ${Key}`);
      expect((await s3.send(new HeadObjectCommand({ Bucket, Key }))).ContentLength).toBe(`body of ${Key}`.length);
      expect((await s3.send(new GetObjectTaggingCommand({ Bucket, Key }))).TagSet).toEqual([{ Key: '__proto__', Value: Key }]);
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket }));
    expect(listed.Contents!.map((c) => c.Key)).toEqual([...PROTO_NAMES].sort());
    await s3.send(new DeleteObjectCommand({ Bucket, Key: '__proto__' }));
    expect((await s3.send(new ListObjectsV2Command({ Bucket }))).Contents!.map((c) => c.Key)).toEqual(PROTO_NAMES.filter((k) => k !== '__proto__').sort());
    expect((await sdkError(s3.send(new GetObjectCommand({ Bucket, Key: '__proto__' })))).name).toBe('NoSuchKey');
  });

  it('are user metadata names like any other (x-amz-meta-__proto__ included), copies too', async () => {
    // an object literal would set the prototype: these are own members
    const Metadata = JSON.parse('{"__proto__":"p","constructor":"c","tostring":"t"}') as Record<string, string>;
    await s3.send(new PutObjectCommand({ Bucket, Key: 'with-metadata', Body: 'm', Metadata }));
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'copied-metadata', CopySource: `${Bucket}/with-metadata` }));
    for (const key of ['with-metadata', 'copied-metadata']) {
      // read raw: the SDK's own header parsing would drop __proto__
      const head = await fetch(`${rt.endpoint}/${Bucket}/${key}`, { method: 'HEAD' });
      expect([key, head.headers.get('x-amz-meta-__proto__'), head.headers.get('x-amz-meta-constructor'), head.headers.get('x-amz-meta-tostring')]).toEqual([key, 'p', 'c', 't']);
    }
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'with-metadata' }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'copied-metadata' }));
  });

  it('keep their versions in a versioned bucket', async () => {
    const versioned = 'proto-versions';
    await s3.send(new CreateBucketCommand({ Bucket: versioned }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: 'Enabled' } }));
    const first = await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'toString', Body: 'one' }));
    await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'toString', Body: 'two' }));
    expect(await text((await s3.send(new GetObjectCommand({ Bucket: versioned, Key: 'toString' }))).Body)).toBe('two');
    expect(await text((await s3.send(new GetObjectCommand({ Bucket: versioned, Key: 'toString', VersionId: first.VersionId }))).Body)).toBe('one');
  });

  it('are upload keys like any other', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: '__proto__' }));
    const part = await s3.send(new UploadPartCommand({ Bucket, Key: '__proto__', UploadId, PartNumber: 1, Body: 'multipart body' }));
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads!.map((u) => u.Key)).toEqual(['__proto__']);
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: '__proto__', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    expect(await text((await s3.send(new GetObjectCommand({ Bucket, Key: '__proto__' }))).Body)).toBe('multipart body');
  });

  it('are bucket tag keys like any other', async () => {
    const TagSet = PROTO_NAMES.map((Key) => ({ Key, Value: `v-${Key}` }));
    await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet } }));
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet).toEqual(TagSet);
    // the same key twice is still a duplicate
    const e = await sdkError(s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'toString', Value: 'a' }, { Key: 'toString', Value: 'b' }] } })));
    expect([e.name, e.message]).toEqual(['InvalidTag', 'Cannot provide multiple Tags with the same key']);
  });

  it('are configuration ids like any other, and reading one creates nothing', async () => {
    const configuration = (Id: string) => ({ Id, StorageClassAnalysis: {} });
    expect((await sdkError(s3.send(new GetBucketAnalyticsConfigurationCommand({ Bucket, Id: 'toString' })))).name).toBe('NoSuchConfiguration');
    for (const Id of ['__proto__', 'toString']) {
      await s3.send(new PutBucketAnalyticsConfigurationCommand({ Bucket, Id, AnalyticsConfiguration: configuration(Id) }));
    }
    expect((await s3.send(new GetBucketAnalyticsConfigurationCommand({ Bucket, Id: '__proto__' }))).AnalyticsConfiguration?.Id).toBe('__proto__');
    const listed = await s3.send(new ListBucketAnalyticsConfigurationsCommand({ Bucket }));
    expect(listed.AnalyticsConfigurationList!.map((c) => c.Id)).toEqual(['__proto__', 'toString']);
    await s3.send(new DeleteBucketAnalyticsConfigurationCommand({ Bucket, Id: '__proto__' }));
    expect((await sdkError(s3.send(new GetBucketAnalyticsConfigurationCommand({ Bucket, Id: '__proto__' })))).name).toBe('NoSuchConfiguration');
  });

  it('left the server answering, every change marked (the audit fails a request otherwise)', async () => {
    expect((await s3.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name).sort()).toEqual(['proto-names', 'proto-versions']);
    expect(rt.stderr()).not.toMatch(/state audit failed/);
  });
});

describe('a reset (ServiceManager.resetState, what the reset endpoints call)', () => {
  let runtime: Runtime;
  let s3: S3Client;
  const volume = mkdtempSync(join(tmpdir(), 's3-reset-'));
  const large = Buffer.alloc(200 * 1024, 'L');

  beforeAll(async () => {
    const { config } = loadConfig({ GATEWAY_LISTEN: '127.0.0.1:0', INIT_HOOKS_DIR: '/nonexistent', LOCALSTACK_VOLUME_DIR: volume, STATE_AUDIT: '1' });
    runtime = new Runtime(config, { registry: { s3: PROVIDERS.s3 }, announce: () => undefined });
    await runtime.start();
    s3 = new S3Client({ ...clientConfig(`http://127.0.0.1:${runtime.addresses[0]!.port}`), forcePathStyle: true, maxAttempts: 1 });
  });
  afterAll(async () => {
    s3?.destroy();
    await runtime?.stop();
    rmSync(volume, { recursive: true, force: true });
  });

  it('empties buckets, objects, uploads and their bodies; S3 then works as new', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'before-reset' }));
    await s3.send(new PutObjectCommand({ Bucket: 'before-reset', Key: 'small', Body: 'small body' }));
    await s3.send(new PutObjectCommand({ Bucket: 'before-reset', Key: 'large', Body: large }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'before-reset', Key: 'pending' }));
    await s3.send(new UploadPartCommand({ Bucket: 'before-reset', Key: 'pending', UploadId, PartNumber: 1, Body: large }));
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'before-reset' }))).KeyCount).toBe(2);
    const folder = runtime.services.state.of('s3')!.assetFolders()[0]!.path;
    expect(filesUnder(folder)).toHaveLength(2);

    await runtime.services.resetState('s3');

    expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    expect(filesUnder(folder)).toEqual([]);
    expect((await sdkError(s3.send(new GetObjectCommand({ Bucket: 'before-reset', Key: 'small' })))).name).toBe('NoSuchBucket');
    // the same name again: an empty bucket (no key index survives the reset), bodies written anew
    await s3.send(new CreateBucketCommand({ Bucket: 'before-reset' }));
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'before-reset' }))).KeyCount).toBe(0);
    await s3.send(new PutObjectCommand({ Bucket: 'before-reset', Key: 'after', Body: large }));
    await s3.send(new PutObjectCommand({ Bucket: 'before-reset', Key: 'tiny', Body: 'tiny' }));
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'before-reset' }))).Contents!.map((c) => c.Key)).toEqual(['after', 'tiny']);
    expect(Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'before-reset', Key: 'after' }))).Body!.transformToByteArray()).equals(large)).toBe(true);
    expect(filesUnder(folder)).toHaveLength(1);
  });
});

describe('body files when S3 starts on a restored state', () => {
  const root = mkdtempSync(join(tmpdir(), 's3-assets-'));
  const volume = join(root, 'volume');
  const assets = join(root, 'assets');
  const { config } = loadConfig({ LOCALSTACK_VOLUME_DIR: volume });
  /** A state manager whose asset folders are stable, as persistence makes them. */
  const manager = () => new StateManager({ volumeDir: volume, backend: { assetFolder: (service, name) => join(assets, service, name), commit: () => undefined } });
  const ctx = (operation: string, headers: Record<string, string> = {}): OperationContext => ({
    accountId: '000000000000',
    region: 'us-east-1',
    requestId: 'req',
    accessKeyId: 'test',
    service: 's3',
    operation,
    headers,
    internal: false,
    principal: undefined,
  });
  const body = Buffer.alloc(100 * 1024, 'B');

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function started(state: StateManager, restore?: unknown): Promise<Provider> {
    // the context the service manager gives a provider, without starting it there: a load
    // happens between the declaration of the state and start()
    const services = new ServiceManager(config, {}, { state });
    const log = logger('s3');
    const provider = await createProvider({ config, log, state: state.service('s3'), client: services.client, deliveries: services.deliveries, scheduler: services.scheduler.owner('s3', log), clock: services.scheduler.clock });
    // what a load does between the declaration and start()
    if (restore !== undefined) state.of('s3')!.store('buckets')!.replace(cloneState(restore));
    await provider.start?.();
    return provider;
  }

  async function read(provider: Provider, Key: string): Promise<Buffer> {
    const out = (await provider.operations.GetObject!(ctx('GetObject'), { Bucket: 'kept', Key })) as { Body: Buffer | Readable };
    if (Buffer.isBuffer(out.Body)) return out.Body;
    const chunks: Buffer[] = [];
    for await (const c of out.Body) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  it('are removed when no object or upload refers to them; referenced ones stay and read back', async () => {
    const first = manager();
    const s3 = await started(first);
    await s3.operations.CreateBucket!(ctx('CreateBucket'), { Bucket: 'kept' });
    await s3.operations.PutObject!(ctx('PutObject'), { Bucket: 'kept', Key: 'file', Body: Readable.from([body]) });
    await s3.operations.PutObject!(ctx('PutObject', { 'content-length': '5' }), { Bucket: 'kept', Key: 'inline', Body: Readable.from([Buffer.from('small')]) });
    const { UploadId } = (await s3.operations.CreateMultipartUpload!(ctx('CreateMultipartUpload'), { Bucket: 'kept', Key: 'upload' })) as { UploadId: string };
    await s3.operations.UploadPart!(ctx('UploadPart'), { Bucket: 'kept', Key: 'upload', UploadId, PartNumber: 1, Body: Readable.from([body]) });
    const saved = cloneState(first.of('s3')!.store('buckets')!.data());
    // after the snapshot: a body whose object is not in it, and what a crash mid-upload leaves
    await s3.operations.PutObject!(ctx('PutObject'), { Bucket: 'kept', Key: 'later', Body: Readable.from([body]) });
    const folder = join(assets, 's3', 'objects');
    writeFileSync(join(folder, 'ab', 'crashed-upload'), 'partial');
    expect(filesUnder(folder)).toHaveLength(4); // file, upload part, later, crashed-upload

    await s3.stop?.();
    const restarted = await started(manager(), saved);
    const left = filesUnder(folder);
    expect(left).toHaveLength(2); // file and the upload's part: 'later' and the crash debris went
    expect(existsSync(join(folder, 'ab', 'crashed-upload'))).toBe(false);
    expect((await read(restarted, 'file')).equals(body)).toBe(true);
    expect((await read(restarted, 'inline')).toString()).toBe('small');
    const listed = (await restarted.operations.ListParts!(ctx('ListParts'), { Bucket: 'kept', Key: 'upload', UploadId })) as { Parts: Array<{ Size: number }> };
    expect(listed.Parts.map((p) => p.Size)).toEqual([body.length]);
    await restarted.stop?.();
  });
});
