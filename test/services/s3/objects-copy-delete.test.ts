/**
 * CopyObject, DeleteObjects, object tagging, GetObjectAttributes and RestoreObject against
 * the real runtime through @aws-sdk/client-s3, with the errors S3 gives for bad input.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  RestoreObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let s3: S3Client;
const B = 'copy-src';
const V = 'copy-versioned';

beforeAll(async () => {
  rt = await startRuntime();
  s3 = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true, maxAttempts: 1 });
  await s3.send(new CreateBucketCommand({ Bucket: B }));
  await s3.send(new CreateBucketCommand({ Bucket: V }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: V, VersioningConfiguration: { Status: 'Enabled' } }));
});
afterAll(async () => {
  s3?.destroy();
  await rt?.stop();
});

const put = (Bucket: string, Key: string, Body: string | Buffer, extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {}) => s3.send(new PutObjectCommand({ Bucket, Key, Body, ...extra }));
const read = async (Bucket: string, Key: string, VersionId?: string) => (await s3.send(new GetObjectCommand({ Bucket, Key, VersionId }))).Body!.transformToString();
const copy = (input: Partial<ConstructorParameters<typeof CopyObjectCommand>[0]>) => s3.send(new CopyObjectCommand({ Bucket: B, Key: 'dest', CopySource: `${B}/src`, ...input }));

async function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const res = await fetch(`${rt.endpoint}${path}`, { method, headers, body });
  return { status: res.status, text: await res.text() };
}

describe('CopyObject', () => {
  it('copies body, metadata and tags (COPY), or replaces them (REPLACE)', async () => {
    await put(B, 'src', 'source body', { Metadata: { m: '1' }, ContentType: 'text/x-src', Tagging: 't=1' });
    const out = await copy({ Key: 'c1' });
    expect(out.CopyObjectResult?.ETag).toBe((await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'src' }))).ETag);
    expect(out.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
    expect(out.CopyObjectResult?.ChecksumCRC32 ?? out.CopyObjectResult?.ChecksumCRC64NVME).toBeTruthy();
    expect(await read(B, 'c1')).toBe('source body');
    const h1 = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'c1' }));
    expect([h1.Metadata, h1.ContentType]).toEqual([{ m: '1' }, 'text/x-src']);
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 'c1' }))).TagSet).toEqual([{ Key: 't', Value: '1' }]);

    await copy({ Key: 'c2', MetadataDirective: 'REPLACE', Metadata: { n: '2' }, ContentType: 'text/x-new', TaggingDirective: 'REPLACE', Tagging: 'u=2' });
    const h2 = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'c2' }));
    expect([h2.Metadata, h2.ContentType]).toEqual([{ n: '2' }, 'text/x-new']);
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 'c2' }))).TagSet).toEqual([{ Key: 'u', Value: '2' }]);
    expect(await read(B, 'c2')).toBe('source body');
  });

  it('copies a large body whole (file to file)', async () => {
    const body = randomBytes(3 * 1024 * 1024);
    await put(B, 'big', body);
    await copy({ Key: 'big-copy', CopySource: `${B}/big` });
    const got = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: B, Key: 'big-copy' }))).Body!.transformToByteArray());
    expect(got.equals(body)).toBe(true);
  });

  it('honours x-amz-copy-source-if-* with 412', async () => {
    const { ETag } = await put(B, 'src', 'source body');
    const past = new Date(Date.now() - 3600_000);
    const future = new Date(Date.now() + 3600_000);
    await copy({ Key: 'cond', CopySourceIfMatch: ETag });
    for (const c of [{ CopySourceIfMatch: '"000"' }, { CopySourceIfNoneMatch: ETag }, { CopySourceIfUnmodifiedSince: past }, { CopySourceIfModifiedSince: future }]) {
      const e = await sdkError(copy({ Key: 'cond-fail', ...c }));
      expect([e.name, e.status]).toEqual(['PreconditionFailed', 412]);
    }
    expect((await sdkError(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'cond-fail' })))).status).toBe(404);
  });

  it('copies a given source version and reports x-amz-copy-source-version-id', async () => {
    const v1 = await put(V, 'k', 'one');
    await put(V, 'k', 'two');
    const out = await s3.send(new CopyObjectCommand({ Bucket: V, Key: 'k-old', CopySource: `${V}/k?versionId=${v1.VersionId}` }));
    expect(out.CopySourceVersionId).toBe(v1.VersionId);
    expect(out.VersionId).toBeTruthy();
    expect(await read(V, 'k-old')).toBe('one');
    // restoring an old version onto its own key is allowed
    await s3.send(new CopyObjectCommand({ Bucket: V, Key: 'k', CopySource: `${V}/k?versionId=${v1.VersionId}` }));
    expect(await read(V, 'k')).toBe('one');
  });

  it('copy onto itself needs a change', async () => {
    await put(B, 'self', 'x', { Metadata: { a: '1' } });
    const e = await sdkError(copy({ Key: 'self', CopySource: `${B}/self` }));
    expect([e.name, e.status]).toEqual(['InvalidRequest', 400]);
    expect(e.message).toBe("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
    await copy({ Key: 'self', CopySource: `${B}/self`, MetadataDirective: 'REPLACE', Metadata: { a: '2' } });
    expect((await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'self' }))).Metadata).toEqual({ a: '2' });
    await copy({ Key: 'self', CopySource: `${B}/self`, StorageClass: 'STANDARD_IA' });
    expect((await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'self' }))).StorageClass).toBe('STANDARD_IA');
  });

  it('gives S3 errors for bad copy sources and directives', async () => {
    expect((await sdkError(copy({ CopySource: `${B}/missing` }))).name).toBe('NoSuchKey');
    expect((await sdkError(copy({ CopySource: 'no-such-bucket-x/k' }))).name).toBe('NoSuchBucket');
    const bad = await sdkError(copy({ CopySource: 'just-a-bucket' }));
    expect([bad.name, bad.status]).toEqual(['InvalidArgument', 400]);
    expect((await sdkError(copy({ MetadataDirective: 'MERGE' as never }))).name).toBe('InvalidArgument');
    expect((await sdkError(copy({ StorageClass: 'NOPE' as never }))).name).toBe('InvalidStorageClass');
    await put(V, 'marked', 'x');
    await s3.send(new DeleteObjectsCommand({ Bucket: V, Delete: { Objects: [{ Key: 'marked' }] } }));
    expect((await sdkError(s3.send(new CopyObjectCommand({ Bucket: V, Key: 'x', CopySource: `${V}/marked` })))).name).toBe('NoSuchKey');
  });
});

describe('DeleteObjects', () => {
  it('deletes many keys, reports each, and is quiet when asked', async () => {
    for (const k of ['d1', 'd2', 'd3']) await put(B, k, k);
    const out = await s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [{ Key: 'd1' }, { Key: 'd2' }, { Key: 'never-was' }] } }));
    expect(out.Deleted?.map((d) => d.Key).sort()).toEqual(['d1', 'd2', 'never-was']);
    expect(out.Errors ?? []).toEqual([]);
    expect((await sdkError(read(B, 'd1'))).name).toBe('NoSuchKey');
    const quiet = await s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [{ Key: 'd3' }], Quiet: true } }));
    expect(quiet.Deleted ?? []).toEqual([]);
    expect((await sdkError(read(B, 'd3'))).name).toBe('NoSuchKey');
  });

  it('creates delete markers and deletes versions in a versioned bucket', async () => {
    const v = await put(V, 'dv', 'x');
    const marker = await s3.send(new DeleteObjectsCommand({ Bucket: V, Delete: { Objects: [{ Key: 'dv' }] } }));
    expect(marker.Deleted?.[0]).toMatchObject({ Key: 'dv', DeleteMarker: true });
    const markerId = marker.Deleted![0]!.DeleteMarkerVersionId!;
    expect(markerId).toBeTruthy();
    const both = await s3.send(new DeleteObjectsCommand({ Bucket: V, Delete: { Objects: [{ Key: 'dv', VersionId: markerId }, { Key: 'dv', VersionId: v.VersionId }] } }));
    expect(both.Deleted).toEqual(
      expect.arrayContaining([
        { Key: 'dv', VersionId: markerId, DeleteMarker: true, DeleteMarkerVersionId: markerId },
        { Key: 'dv', VersionId: v.VersionId },
      ]),
    );
    expect((await sdkError(read(V, 'dv', v.VersionId))).status).toBe(404);
  });

  it('refuses an empty list, more than 1000 keys, malformed XML, and a request without Content-MD5 or checksum', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ Key: `k${i}` }));
    expect((await sdkError(s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: many } })))).name).toBe('MalformedXML');
    const md5 = (text: string) => createHash('md5').update(text).digest('base64');
    const empty = await raw('POST', `/${B}?delete`, { 'content-md5': md5('<Delete></Delete>') }, '<Delete></Delete>');
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('<Code>MalformedXML</Code>');
    const broken = await raw('POST', `/${B}?delete`, { 'content-md5': md5('<Delete><Object><Key>a</Key>') }, '<Delete><Object><Key>a</Key>');
    expect(broken.status).toBe(400);
    expect(broken.text).toContain('<Code>MalformedXML</Code>');
    const unsummed = await raw('POST', `/${B}?delete`, {}, '<Delete><Object><Key>a</Key></Object></Delete>');
    expect(unsummed.status).toBe(400);
    expect(unsummed.text).toContain('Missing required header for this request: Content-MD5');
    await put(B, 'alive', 'yes');
    expect(await read(B, 'alive')).toBe('yes');
  });
});

describe('object tagging', () => {
  it('puts, gets and deletes tags, of the latest or a given version', async () => {
    const v1 = await put(V, 'tg', 'one', { Tagging: 'a=1' });
    await put(V, 'tg', 'two');
    const p = await s3.send(new PutObjectTaggingCommand({ Bucket: V, Key: 'tg', Tagging: { TagSet: [{ Key: 'b', Value: '2' }] } }));
    expect(p.VersionId).toBeTruthy();
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: V, Key: 'tg' }))).TagSet).toEqual([{ Key: 'b', Value: '2' }]);
    const old = await s3.send(new GetObjectTaggingCommand({ Bucket: V, Key: 'tg', VersionId: v1.VersionId }));
    expect([old.VersionId, old.TagSet]).toEqual([v1.VersionId, [{ Key: 'a', Value: '1' }]]);
    await s3.send(new DeleteObjectTaggingCommand({ Bucket: V, Key: 'tg', VersionId: v1.VersionId }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: V, Key: 'tg', VersionId: v1.VersionId }))).TagSet).toEqual([]);
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: V, Key: 'tg' }))).TagSet).toHaveLength(1);
  });

  it('refuses invalid tag sets and missing keys', async () => {
    await put(B, 'tg2', 'x');
    const dup = await sdkError(s3.send(new PutObjectTaggingCommand({ Bucket: B, Key: 'tg2', Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } })));
    expect([dup.name, dup.status]).toEqual(['InvalidTag', 400]);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect((await sdkError(s3.send(new PutObjectTaggingCommand({ Bucket: B, Key: 'tg2', Tagging: { TagSet: eleven } })))).name).toBe('BadRequest');
    expect((await sdkError(s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 'nope' })))).name).toBe('NoSuchKey');
    const xml = await raw('PUT', `/${B}/tg2?tagging`, {}, '<Tagging><TagSet><Tag><Key>a');
    expect(xml.text).toContain('<Code>MalformedXML</Code>');
  });
});

describe('GetObjectAttributes and RestoreObject', () => {
  it('returns the attributes asked for', async () => {
    await put(B, 'attrs', 'twelve bytes', { ChecksumAlgorithm: 'SHA256', StorageClass: 'STANDARD_IA' });
    const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'attrs', ChecksumMode: 'ENABLED' }));
    const out = await s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'attrs', ObjectAttributes: ['ETag', 'Checksum', 'ObjectSize', 'StorageClass', 'ObjectParts'] }));
    expect(out.ETag).toBe(head.ETag!.replace(/"/g, ''));
    expect(out.Checksum?.ChecksumSHA256).toBe(head.ChecksumSHA256);
    expect([out.ObjectSize, out.StorageClass, out.ObjectParts]).toEqual([12, 'STANDARD_IA', undefined]);
    const only = await s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'attrs', ObjectAttributes: ['ObjectSize'] }));
    expect([only.ObjectSize, only.ETag]).toEqual([12, undefined]);
    expect((await sdkError(s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'attrs', ObjectAttributes: ['Colour' as never] })))).name).toBe('InvalidArgument');
    expect((await sdkError(s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'gone', ObjectAttributes: ['ETag'] })))).name).toBe('NoSuchKey');
  });

  it('restores an archived object: 202 then 200, x-amz-restore set; refuses other classes', async () => {
    await put(B, 'frozen', 'ice', { StorageClass: 'GLACIER' });
    const locked = await sdkError(read(B, 'frozen'));
    expect([locked.name, locked.status]).toEqual(['InvalidObjectState', 403]);
    const first = await s3.send(new RestoreObjectCommand({ Bucket: B, Key: 'frozen', RestoreRequest: { Days: 2 } }));
    expect(first.$metadata.httpStatusCode).toBe(202);
    const again = await s3.send(new RestoreObjectCommand({ Bucket: B, Key: 'frozen', RestoreRequest: { Days: 3 } }));
    expect(again.$metadata.httpStatusCode).toBe(200);
    const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'frozen' }));
    expect(head.Restore).toMatch(/^ongoing-request="false", expiry-date="\w{3}, \d{2} \w{3} \d{4} 00:00:00 GMT"$/);
    expect(await read(B, 'frozen')).toBe('ice');
    await put(B, 'warm', 'x');
    const e = await sdkError(s3.send(new RestoreObjectCommand({ Bucket: B, Key: 'warm', RestoreRequest: { Days: 1 } })));
    expect([e.name, e.status]).toEqual(['InvalidObjectState', 403]);
  });
});
