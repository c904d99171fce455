/**
 * S3 versioning against the real runtime through @aws-sdk/client-s3 (and presigned URLs where
 * a test needs the raw headers): version ids, null versions, delete markers, Enabled and
 * Suspended, reads and deletes by version id, ListObjectVersions with its markers and
 * paginator, the MFA-delete flag, and the refusals of bad input.
 */
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  type BucketVersioningStatus,
  type ListObjectVersionsCommandInput,
  type ListObjectVersionsCommandOutput,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let s3: S3Client;
let n = 0;

beforeAll(async () => {
  rt = await startRuntime();
  s3 = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true, maxAttempts: 1 });
});
afterAll(async () => {
  s3?.destroy();
  await rt?.stop();
});

async function newBucket(status?: BucketVersioningStatus): Promise<string> {
  const bucket = `versions-${++n}-${Date.now()}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  if (status) await versioning(bucket, status);
  return bucket;
}

async function versioning(bucket: string, Status: BucketVersioningStatus) {
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status } }));
}

async function put(bucket: string, key: string, body: string) {
  return s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

async function read(bucket: string, key: string, versionId?: string) {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  return { body: await out.Body!.transformToString(), versionId: out.VersionId };
}

/** The raw answer to a GET or HEAD, through a presigned URL. */
async function raw(method: 'GET' | 'HEAD', bucket: string, key: string, versionId?: string) {
  const command = method === 'GET' ? new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }) : new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId });
  const url = await getSignedUrl(s3, command, { expiresIn: 60 });
  const res = await fetch(url, { method });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function versionsOf(bucket: string) {
  const out = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
  return {
    out,
    versions: (out.Versions ?? []).map((v) => [v.Key, v.VersionId, v.IsLatest]),
    markers: (out.DeleteMarkers ?? []).map((m) => [m.Key, m.VersionId, m.IsLatest]),
  };
}

describe('a bucket that was never versioned', () => {
  it('gives no version ids, and lists its objects as version "null"', async () => {
    const bucket = await newBucket();
    const written = await put(bucket, 'k', 'one');
    expect(written.VersionId).toBeUndefined();
    expect((await read(bucket, 'k')).versionId).toBeUndefined();
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBeUndefined();
    const { out, versions } = await versionsOf(bucket);
    expect(versions).toEqual([['k', 'null', true]]);
    expect(out.Versions![0]).toMatchObject({ Size: 3, StorageClass: 'STANDARD', ETag: written.ETag });
    expect(out.Versions![0]!.Owner!.ID).toMatch(/^[0-9a-f]{64}$/);
    expect((await read(bucket, 'k', 'null')).body).toBe('one');

    // overwriting replaces, deleting removes: no versions kept
    await put(bucket, 'k', 'two');
    expect((await versionsOf(bucket)).versions).toEqual([['k', 'null', true]]);
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(deleted.DeleteMarker).toBeUndefined();
    expect(deleted.VersionId).toBeUndefined();
    const after = await versionsOf(bucket);
    expect(after.versions).toEqual([]);
    expect(after.markers).toEqual([]);
  });

  it('refuses a version id it cannot have given', async () => {
    const bucket = await newBucket();
    await put(bucket, 'k', 'one');
    for (const call of [
      () => s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', VersionId: 'abcdefghijklmnopqrstuvwxyz012345' })),
      () => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: 'abcdefghijklmnopqrstuvwxyz012345' })),
    ]) {
      expect(await sdkError(call())).toMatchObject({ name: 'InvalidArgument', status: 400, message: 'Invalid version id specified' });
    }
    expect((await read(bucket, 'k')).body).toBe('one');
  });
});

describe('Enabled', () => {
  it('keeps every version, the earlier unversioned object as version "null"', async () => {
    const bucket = await newBucket();
    await put(bucket, 'k', 'v0');
    await versioning(bucket, 'Enabled');
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
    const v1 = await put(bucket, 'k', 'v1');
    const v2 = await put(bucket, 'k', 'v2');
    expect(v1.VersionId).toMatch(/^[A-Za-z0-9._-]{32}$/);
    expect(v2.VersionId).not.toBe(v1.VersionId);

    expect(await read(bucket, 'k')).toEqual({ body: 'v2', versionId: v2.VersionId });
    expect(await read(bucket, 'k', v1.VersionId)).toEqual({ body: 'v1', versionId: v1.VersionId });
    expect(await read(bucket, 'k', 'null')).toEqual({ body: 'v0', versionId: 'null' });
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k', VersionId: v1.VersionId }));
    expect(head).toMatchObject({ VersionId: v1.VersionId, ContentLength: 2 });

    // newest first
    expect((await versionsOf(bucket)).versions).toEqual([
      ['k', v2.VersionId, true],
      ['k', v1.VersionId, false],
      ['k', 'null', false],
    ]);

    const missing = await sdkError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', VersionId: 'A'.repeat(32) })));
    expect(missing).toMatchObject({ name: 'NoSuchVersion', status: 404 });
    const malformed = await sdkError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', VersionId: 'not a version!' })));
    expect(malformed).toMatchObject({ name: 'InvalidArgument', status: 400 });
  });

  it('hides a key behind a delete marker, which GET, HEAD and the listing show as S3 does', async () => {
    const bucket = await newBucket('Enabled');
    const v1 = await put(bucket, 'k', 'v1');
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(deleted.DeleteMarker).toBe(true);
    expect(deleted.VersionId).toMatch(/^[A-Za-z0-9._-]{32}$/);
    const markerId = deleted.VersionId!;

    expect(await sdkError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })))).toMatchObject({ name: 'NoSuchKey', status: 404 });
    const get = await raw('GET', bucket, 'k');
    expect(get.status).toBe(404);
    expect(get.headers.get('x-amz-delete-marker')).toBe('true');
    expect(get.headers.get('x-amz-version-id')).toBe(markerId);
    expect(get.text).toContain('<Code>NoSuchKey</Code>');
    const head = await raw('HEAD', bucket, 'k');
    expect(head.status).toBe(404);
    expect(head.headers.get('x-amz-delete-marker')).toBe('true');

    // the delete marker itself, by its version id: 405
    const headMarker = await raw('HEAD', bucket, 'k', markerId);
    expect(headMarker.status).toBe(405);
    expect(headMarker.headers.get('x-amz-delete-marker')).toBe('true');
    expect(headMarker.headers.get('x-amz-version-id')).toBe(markerId);
    expect(headMarker.text).toBe('');
    const getMarker = await raw('GET', bucket, 'k', markerId);
    expect(getMarker.status).toBe(405);
    expect(getMarker.text).toContain('<Code>MethodNotAllowed</Code>');
    expect(await sdkError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', VersionId: markerId })))).toMatchObject({ name: 'MethodNotAllowed', status: 405 });

    // the older version is still there
    expect((await read(bucket, 'k', v1.VersionId)).body).toBe('v1');
    const listed = await versionsOf(bucket);
    expect(listed.versions).toEqual([['k', v1.VersionId, false]]);
    expect(listed.markers).toEqual([['k', markerId, true]]);
    expect(listed.out.DeleteMarkers![0]!.Owner!.ID).toMatch(/^[0-9a-f]{64}$/);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(0);

    // removing the marker brings the key back
    const undo = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: markerId }));
    expect(undo).toMatchObject({ DeleteMarker: true, VersionId: markerId });
    expect(await read(bucket, 'k')).toEqual({ body: 'v1', versionId: v1.VersionId });

    // deleting a version for good
    const gone = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: v1.VersionId }));
    expect(gone.VersionId).toBe(v1.VersionId);
    expect(gone.DeleteMarker).toBeUndefined();
    expect(await sdkError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', VersionId: v1.VersionId })))).toMatchObject({ name: 'NoSuchVersion', status: 404 });
    expect((await versionsOf(bucket)).versions).toEqual([]);
  });

  it('gives a delete marker even for a key that never existed', async () => {
    const bucket = await newBucket('Enabled');
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'ghost' }));
    expect(deleted.DeleteMarker).toBe(true);
    expect((await versionsOf(bucket)).markers).toEqual([['ghost', deleted.VersionId, true]]);
  });
});

describe('Suspended', () => {
  it('writes and deletes the null version, keeping the versions made while Enabled', async () => {
    const bucket = await newBucket('Enabled');
    const v1 = await put(bucket, 'k', 'v1');
    await versioning(bucket, 'Suspended');
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Suspended');

    const n1 = await put(bucket, 'k', 'null one');
    expect(n1.VersionId).toBe('null');
    expect(await read(bucket, 'k')).toEqual({ body: 'null one', versionId: 'null' });
    await put(bucket, 'k', 'null two');
    // the null version was replaced, not added to
    expect((await versionsOf(bucket)).versions).toEqual([
      ['k', 'null', true],
      ['k', v1.VersionId, false],
    ]);
    expect((await read(bucket, 'k', 'null')).body).toBe('null two');

    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(deleted).toMatchObject({ DeleteMarker: true, VersionId: 'null' });
    const listed = await versionsOf(bucket);
    // the null delete marker replaced the null object
    expect(listed.versions).toEqual([['k', v1.VersionId, false]]);
    expect(listed.markers).toEqual([['k', 'null', true]]);
    expect(await sdkError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })))).toMatchObject({ name: 'NoSuchKey', status: 404 });

    // Enabled again: new versions on top of the null marker
    await versioning(bucket, 'Enabled');
    const v2 = await put(bucket, 'k', 'v2');
    expect((await versionsOf(bucket)).versions).toEqual([
      ['k', v2.VersionId, true],
      ['k', v1.VersionId, false],
    ]);
    expect((await read(bucket, 'k')).body).toBe('v2');
  });
});

describe('MFA delete', () => {
  it('stores and returns the flag, which needs the x-amz-mfa header to set', async () => {
    const bucket = await newBucket();
    const refused = await sdkError(s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled', MFADelete: 'Enabled' } })));
    expect(refused).toMatchObject({ name: 'InvalidRequest', status: 400 });
    expect(await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).not.toHaveProperty('Status');
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, MFA: 'arn:aws:iam::000000000000:mfa/root 123456', VersioningConfiguration: { Status: 'Enabled', MFADelete: 'Enabled' } }));
    const got = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    expect(got).toMatchObject({ Status: 'Enabled', MFADelete: 'Enabled' });
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended', MFADelete: 'Disabled' } }));
    expect(await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).toMatchObject({ Status: 'Suspended', MFADelete: 'Disabled' });
  });
});

describe('ListObjectVersions', () => {
  let bucket: string;
  /** [key, versionId, isLatest, isDeleteMarker] in S3's order. */
  const expected: Array<[string, string, boolean, boolean]> = [];

  beforeAll(async () => {
    bucket = await newBucket();
    await put(bucket, 'a', 'null a');
    await versioning(bucket, 'Enabled');
    const layout: Record<string, Array<'put' | 'delete'>> = {
      a: ['put', 'put'],
      'b/1': ['put', 'delete', 'put'],
      'b/2': ['put'],
      'c d': ['put', 'put', 'put', 'delete'],
      '\u{1F600}': ['put'],
      '\u{E000}': ['put', 'put'],
    };
    const made: Record<string, Array<[string, boolean]>> = {};
    for (const [key, steps] of Object.entries(layout)) {
      made[key] = key === 'a' ? [['null', false]] : [];
      for (const step of steps) {
        if (step === 'put') made[key].unshift([(await put(bucket, key, `${key}`)).VersionId!, false]);
        else made[key].unshift([(await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))).VersionId!, true]);
      }
    }
    const order = Object.keys(made).sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    for (const key of order) made[key]!.forEach(([id, marker], i) => expected.push([key, id, i === 0, marker]));
  });

  function entries(pages: ListObjectVersionsCommandOutput[]) {
    const all: Array<[string, string, boolean, boolean]> = [];
    for (const p of pages) {
      const page = [...(p.Versions ?? []).map((v) => [v.Key!, v.VersionId!, v.IsLatest!, false] as [string, string, boolean, boolean]), ...(p.DeleteMarkers ?? []).map((m) => [m.Key!, m.VersionId!, m.IsLatest!, true] as [string, string, boolean, boolean])];
      // within a page, in S3's order: by key, then as the bucket keeps them
      page.sort((x, y) => Buffer.compare(Buffer.from(x[0]), Buffer.from(y[0])) || expected.findIndex((e) => e[1] === x[1]) - expected.findIndex((e) => e[1] === y[1]));
      all.push(...page);
    }
    return all;
  }

  it('lists every version newest first per key, in UTF-8 key order, delete markers apart', async () => {
    const out = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(out).toMatchObject({ Name: bucket, Prefix: '', KeyMarker: '', MaxKeys: 1000, IsTruncated: false });
    expect(entries([out])).toEqual(expected);
    expect(out.DeleteMarkers!.map((m) => m.Key)).toEqual(['b/1', 'c d']);
  });

  /** Every page, following NextKeyMarker and NextVersionIdMarker as clients' paginators do. */
  async function allVersionPages(input: ListObjectVersionsCommandInput) {
    const pages: ListObjectVersionsCommandOutput[] = [];
    let markers: Pick<ListObjectVersionsCommandInput, 'KeyMarker' | 'VersionIdMarker'> = {};
    for (let i = 0; i < 100; i++) {
      const page = await s3.send(new ListObjectVersionsCommand({ ...input, ...markers }));
      pages.push(page);
      if (!page.IsTruncated) return pages;
      markers = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
    }
    throw new Error('listing did not end');
  }

  it('pages with key-marker and version-id-marker, at every page size', async () => {
    for (const pageSize of [1, 2, 3, 5]) {
      const pages = await allVersionPages({ Bucket: bucket, MaxKeys: pageSize });
      expect(entries(pages), `page size ${pageSize}`).toEqual(expected);
      expect(pages).toHaveLength(Math.ceil(expected.length / pageSize));
      for (const page of pages.slice(0, -1)) {
        expect(page.IsTruncated).toBe(true);
        expect(page.NextKeyMarker).toBeDefined();
        expect(page.NextVersionIdMarker).toBeDefined();
      }
    }
    const first = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 2 }));
    expect([first.NextKeyMarker, first.NextVersionIdMarker]).toEqual([expected[1]![0], expected[1]![1]]);
    const byKey = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: 'b/1' }));
    expect(entries([byKey])).toEqual(expected.filter((e) => e[0] > 'b/1'));
    const null_ = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: 'a', VersionIdMarker: expected[0]![1], MaxKeys: 1 }));
    expect(entries([null_])).toEqual([expected[1]]);
    expect(null_.VersionIdMarker).toBe(expected[0]![1]);
  });

  it('rolls keys up at the delimiter and encodes names under encoding-type=url', async () => {
    const out = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Delimiter: '/', EncodingType: 'url' }));
    expect(out.CommonPrefixes!.map((c) => c.Prefix)).toEqual(['b/']);
    expect(out.EncodingType).toBe('url');
    const keys = new Set([...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])].map((v) => v.Key));
    expect([...keys].sort()).toEqual(['%EE%80%80', '%F0%9F%98%80', 'a', 'c%20d']);
    const prefixed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'b/' }));
    expect(entries([prefixed])).toEqual(expected.filter((e) => e[0].startsWith('b/')));
    // a page ending on a common prefix goes on after it
    const rolled = await allVersionPages({ Bucket: bucket, MaxKeys: 1, Delimiter: '/' });
    expect(rolled.flatMap((p) => (p.CommonPrefixes ?? []).map((c) => c.Prefix))).toEqual(['b/']);
    expect(entries(rolled)).toEqual(expected.filter((e) => !e[0].startsWith('b/')));
  });

  it('refuses bad markers, max-keys and encoding types, and an unknown bucket', async () => {
    const cases: Array<[() => Promise<unknown>, string, string]> = [
      [() => s3.send(new ListObjectVersionsCommand({ Bucket: bucket, VersionIdMarker: expected[0]![1] })), 'InvalidArgument', 'A version-id marker cannot be specified without a key marker.'],
      [() => s3.send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: 'a', VersionIdMarker: 'bad id!' })), 'InvalidArgument', 'Invalid version id specified'],
      [() => s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: -1 })), 'InvalidArgument', 'max-keys cannot be negative'],
      [() => s3.send(new ListObjectVersionsCommand({ Bucket: bucket, EncodingType: 'nope' as 'url' })), 'InvalidArgument', 'Invalid Encoding Method specified in Request'],
      [() => s3.send(new ListObjectVersionsCommand({ Bucket: 'no-such-bucket-versions' })), 'NoSuchBucket', 'The specified bucket does not exist'],
    ];
    for (const [call, name, message] of cases) expect(await sdkError(call())).toMatchObject({ name, message, status: name === 'NoSuchBucket' ? 404 : 400 });
    // still serving, nothing changed
    expect(entries([await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }))])).toEqual(expected);
    const zero = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 0 }));
    expect(zero).toMatchObject({ IsTruncated: false, MaxKeys: 0 });
    expect(zero.Versions).toBeUndefined();
  });
});
