/**
 * S3 objects against the real runtime through @aws-sdk/client-s3: PutObject / GetObject /
 * HeadObject / DeleteObject with metadata, system headers, storage class, tags, ACLs,
 * digests and checksums, conditions, ranges, encryption headers; and bad input, after which
 * the server must still serve.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let s3: S3Client;
const BUCKET = 'objects-core';

beforeAll(async () => {
  rt = await startRuntime();
  s3 = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true, maxAttempts: 1 });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(async () => {
  s3?.destroy();
  await rt?.stop();
});

const uint32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b.toString('base64');
};
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('base64');
const put = (Key: string, Body: string | Buffer, extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {}) =>
  s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body, ...extra }));
const text = async (Key: string, extra: Partial<ConstructorParameters<typeof GetObjectCommand>[0]> = {}) => {
  const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key, ...extra }));
  return { out, body: await out.Body!.transformToString() };
};

/** A raw request with no SDK in between (for headers the SDK would fix up). */
async function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer) {
  const res = await fetch(`${rt.endpoint}${path}`, { method, headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x', ...headers }, body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function stillServes(): Promise<void> {
  await put('alive', 'yes');
  expect((await text('alive')).body).toBe('yes');
}

describe('metadata and system headers', () => {
  it('round-trips x-amz-meta-*, Content-Type, Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires', async () => {
    const expires = new Date('2030-01-02T03:04:05Z');
    await put('meta', 'hello', {
      Metadata: { colour: 'blue', 'two-words': 'a b' },
      ContentType: 'text/plain; charset=utf-8',
      CacheControl: 'max-age=60',
      ContentDisposition: 'attachment; filename="x.txt"',
      ContentEncoding: 'identity',
      ContentLanguage: 'fr',
      Expires: expires,
    });
    for (const out of [(await text('meta')).out, await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'meta' }))]) {
      expect(out.Metadata).toEqual({ colour: 'blue', 'two-words': 'a b' });
      expect(out.ContentType).toBe('text/plain; charset=utf-8');
      expect(out.CacheControl).toBe('max-age=60');
      expect(out.ContentDisposition).toBe('attachment; filename="x.txt"');
      expect(out.ContentEncoding).toBe('identity');
      expect(out.ContentLanguage).toBe('fr');
      expect(out.Expires?.toISOString()).toBe(expires.toISOString());
      expect(out.ContentLength).toBe(5);
    }
  });

  it('accepts 2 KB of metadata and refuses more with MetadataTooLarge, writing nothing', async () => {
    await put('meta-ok', 'x', { Metadata: { k: 'v'.repeat(2047) } });
    const e = await sdkError(put('meta-big', 'x', { Metadata: { k: 'v'.repeat(2048) } }));
    expect(e.name).toBe('MetadataTooLarge');
    expect(e.status).toBe(400);
    expect((await sdkError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'meta-big' })))).status).toBe(404);
  });

  it('stores a storage class and a website redirect, and refuses an unknown class', async () => {
    await put('cold', 'x', { StorageClass: 'STANDARD_IA', WebsiteRedirectLocation: '/elsewhere' });
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'cold' }));
    expect(head.StorageClass).toBe('STANDARD_IA');
    expect(head.WebsiteRedirectLocation).toBe('/elsewhere');
    const e = await sdkError(put('cold2', 'x', { StorageClass: 'FROZEN' as never }));
    expect([e.name, e.status]).toEqual(['InvalidStorageClass', 400]);
  });
});

describe('tags and ACLs on PUT', () => {
  it('stores x-amz-tagging (URL-encoded) and reports TagCount', async () => {
    await put('tagged', 'x', { Tagging: 'a=1&b%20c=d%2Fe&empty=' });
    const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'tagged' }));
    expect(tags.TagSet).toEqual([
      { Key: 'a', Value: '1' },
      { Key: 'b c', Value: 'd/e' },
      { Key: 'empty', Value: '' },
    ]);
    expect((await text('tagged')).out.TagCount).toBe(3);
  });

  it('refuses bad tag sets: duplicates, aws: prefix, too long, more than 10', async () => {
    for (const [Tagging, name] of [
      ['a=1&a=2', 'InvalidTag'],
      ['aws:x=1', 'InvalidTag'],
      [`${'k'.repeat(129)}=1`, 'InvalidTag'],
      [`k=${'v'.repeat(257)}`, 'InvalidTag'],
      [Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&'), 'BadRequest'],
    ] as const) {
      const e = await sdkError(put('badtag', 'x', { Tagging }));
      expect([e.name, e.status]).toEqual([name, 400]);
    }
    expect((await sdkError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'badtag' })))).status).toBe(404);
  });

  it('stores canned and explicit ACLs, PutObjectAcl by header and by AccessControlPolicy body', async () => {
    await put('acl', 'x', { ACL: 'public-read' });
    let acl = await s3.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: 'acl' }));
    expect(acl.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.URI, g.Permission])).toContainEqual(['Group', 'http://acs.amazonaws.com/groups/global/AllUsers', 'READ']);

    await s3.send(new PutObjectAclCommand({ Bucket: BUCKET, Key: 'acl', ACL: 'private' }));
    acl = await s3.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: 'acl' }));
    expect(acl.Grants?.map((g) => g.Permission)).toEqual(['FULL_CONTROL']);

    const owner = acl.Owner!;
    await s3.send(
      new PutObjectAclCommand({
        Bucket: BUCKET,
        Key: 'acl',
        AccessControlPolicy: {
          Owner: owner,
          Grants: [
            { Grantee: { Type: 'CanonicalUser', ID: owner.ID }, Permission: 'FULL_CONTROL' },
            { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers' }, Permission: 'READ' },
          ],
        },
      }),
    );
    acl = await s3.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: 'acl' }));
    expect(acl.Grants?.map((g) => g.Permission)).toEqual(['FULL_CONTROL', 'READ']);
    expect(acl.Grants?.[1]?.Grantee?.URI).toBe('http://acs.amazonaws.com/groups/global/AuthenticatedUsers');

    await s3.send(new PutObjectAclCommand({ Bucket: BUCKET, Key: 'acl', GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' }));
    acl = await s3.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: 'acl' }));
    expect(acl.Grants?.map((g) => [g.Grantee?.URI, g.Permission])).toEqual([['http://acs.amazonaws.com/groups/global/AllUsers', 'READ']]);
  });

  it('refuses a bad ACL: unknown canned ACL, malformed policy, malformed XML, no ACL at all', async () => {
    expect((await sdkError(put('acl2', 'x', { ACL: 'everyone' as never }))).name).toBe('InvalidArgument');
    await put('acl2', 'x');
    const e = await sdkError(s3.send(new PutObjectAclCommand({ Bucket: BUCKET, Key: 'acl2', AccessControlPolicy: { Owner: { ID: 'x' }, Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'x' }, Permission: 'EVERYTHING' as never }] } })));
    expect([e.name, e.status]).toEqual(['MalformedACLError', 400]);
    const xml = await raw('PUT', `/${BUCKET}/acl2?acl`, { 'content-type': 'application/xml' }, '<AccessControlPolicy><Owner>');
    expect(xml.status).toBe(400);
    expect(xml.text).toContain('<Code>MalformedXML</Code>');
    const none = await raw('PUT', `/${BUCKET}/acl2?acl`);
    expect(none.status).toBe(400);
    expect(none.text).toContain('<Code>MissingSecurityHeader</Code>');
    await stillServes();
  });
});

describe('digests and checksums', () => {
  it('accepts a right Content-MD5 and refuses a wrong one (BadDigest) or an invalid one (InvalidDigest), writing nothing', async () => {
    await put('md5', 'body', { ContentMD5: md5('body') });
    const bad = await sdkError(put('md5-bad', 'body', { ContentMD5: md5('other') }));
    expect([bad.name, bad.status]).toEqual(['BadDigest', 400]);
    const invalid = await sdkError(put('md5-bad', 'body', { ContentMD5: 'not-a-digest' }));
    expect([invalid.name, invalid.status]).toEqual(['InvalidDigest', 400]);
    expect((await sdkError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'md5-bad' })))).status).toBe(404);
  });

  it.each(['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const)('stores a %s checksum and returns it with ChecksumMode ENABLED', async (algorithm) => {
    const key = `sum-${algorithm}`;
    const out = await put(key, 'checksummed body', { ChecksumAlgorithm: algorithm });
    const member = `Checksum${algorithm}` as 'ChecksumCRC32';
    expect(out[member]).toBeTruthy();
    const got = await text(key, { ChecksumMode: 'ENABLED' });
    expect(got.body).toBe('checksummed body');
    expect(got.out[member]).toBe(out[member]);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
    expect(head[member]).toBe(out[member]);
  });

  // a stream goes up aws-chunked with the checksum as a trailer: the gateway computes it to
  // check the trailer and the store takes that value over, so it is compared with our own
  it.each([
    ['CRC32', 1024],
    ['CRC32', 1024 * 1024],
    ['SHA256', 300 * 1024],
  ] as const)('stores the right %s of a %i-byte stream sent with a trailing checksum', async (algorithm, size) => {
    const key = `streamed-${algorithm}-${size}`;
    const body = randomBytes(size);
    const expected = algorithm === 'CRC32' ? uint32(crc32(body)) : createHash('sha256').update(body).digest('base64');
    const out = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Readable.from([body]), ContentLength: size, ChecksumAlgorithm: algorithm }));
    const member = `Checksum${algorithm}` as const;
    expect(out[member]).toBe(expected);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
    expect([head[member], head.ContentLength, head.ETag]).toEqual([expected, size, `"${createHash('md5').update(body).digest('hex')}"`]);
  });

  it('refuses a wrong checksum with BadDigest and writes nothing', async () => {
    const sha = createHash('sha256').update('something else').digest('base64');
    const e = await sdkError(put('sum-bad', 'the body', { ChecksumSHA256: sha }));
    expect([e.name, e.status]).toEqual(['BadDigest', 400]);
    const crc = await raw('PUT', `/${BUCKET}/sum-bad`, { 'x-amz-checksum-crc32': 'AAAAAA==' }, 'the body');
    expect(crc.status).toBe(400);
    expect(crc.text).toContain('<Code>BadDigest</Code>');
    const malformed = await raw('PUT', `/${BUCKET}/sum-bad`, { 'x-amz-checksum-crc32': 'nope' }, 'the body');
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain('<Code>InvalidRequest</Code>');
    expect((await sdkError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'sum-bad' })))).status).toBe(404);
    await stillServes();
  });
});

describe('conditional requests', () => {
  it('GET/HEAD: If-Match and If-Unmodified-Since give 412, If-None-Match and If-Modified-Since 304', async () => {
    const { ETag } = await put('cond', 'v1');
    const past = new Date(Date.now() - 3600_000);
    const future = new Date(Date.now() + 3600_000);
    expect((await text('cond', { IfMatch: ETag })).body).toBe('v1');
    expect((await sdkError(text('cond', { IfMatch: '"0000"' }))).status).toBe(412);
    expect((await sdkError(text('cond', { IfUnmodifiedSince: past }))).status).toBe(412);
    expect((await sdkError(text('cond', { IfNoneMatch: ETag }))).status).toBe(304);
    expect((await sdkError(text('cond', { IfModifiedSince: future }))).status).toBe(304);
    expect((await text('cond', { IfModifiedSince: past })).body).toBe('v1');
    expect((await sdkError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'cond', IfMatch: '"0000"' })))).status).toBe(412);
    expect((await sdkError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'cond', IfNoneMatch: ETag })))).status).toBe(304);
  });

  it('PUT: If-None-Match * fails on an existing key, If-Match on another ETag', async () => {
    const { ETag } = await put('cond-put', 'v1');
    const e = await sdkError(put('cond-put', 'v2', { IfNoneMatch: '*' }));
    expect([e.name, e.status]).toEqual(['PreconditionFailed', 412]);
    expect((await sdkError(put('cond-put', 'v2', { IfMatch: '"0000"' }))).status).toBe(412);
    await put('cond-put', 'v3', { IfMatch: ETag });
    expect((await text('cond-put')).body).toBe('v3');
    await put('cond-new', 'n', { IfNoneMatch: '*' });
    expect((await text('cond-new')).body).toBe('n');
  });
});

describe('ranges and response overrides', () => {
  it('serves a single range, a suffix, an open-ended range; refuses an unsatisfiable one with 416', async () => {
    await put('range', '0123456789');
    const r1 = await text('range', { Range: 'bytes=2-4' });
    expect([r1.body, r1.out.ContentRange, r1.out.$metadata.httpStatusCode]).toEqual(['234', 'bytes 2-4/10', 206]);
    expect((await text('range', { Range: 'bytes=-3' })).body).toBe('789');
    expect((await text('range', { Range: 'bytes=7-' })).body).toBe('789');
    expect((await text('range', { Range: 'bytes=8-100' })).body).toBe('89');
    const bad = await raw('GET', `/${BUCKET}/range`, { range: 'bytes=20-30' });
    expect(bad.status).toBe(416);
    expect(bad.text).toContain('<Code>InvalidRange</Code>');
    expect(bad.headers.get('content-range')).toBe('bytes */10');
    await stillServes();
  });

  it('applies response-* overrides', async () => {
    await put('override', 'x', { ContentType: 'text/plain' });
    const { out } = await text('override', {
      ResponseContentType: 'application/json',
      ResponseContentDisposition: 'inline',
      ResponseCacheControl: 'no-cache',
      ResponseContentLanguage: 'de',
      ResponseContentEncoding: 'identity',
    });
    expect([out.ContentType, out.ContentDisposition, out.CacheControl, out.ContentLanguage, out.ContentEncoding]).toEqual(['application/json', 'inline', 'no-cache', 'de', 'identity']);
  });
});

describe('server-side encryption headers', () => {
  const key = randomBytes(32);
  const sseC = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: key.toString('base64'), SSECustomerKeyMD5: md5(key) };

  it('reports SSE-S3 by default and SSE-KMS with the key ARN', async () => {
    expect((await put('sse-default', 'x')).ServerSideEncryption).toBe('AES256');
    expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'sse-default' }))).ServerSideEncryption).toBe('AES256');
    const kms = await put('sse-kms', 'x', { ServerSideEncryption: 'aws:kms' });
    expect(kms.ServerSideEncryption).toBe('aws:kms');
    expect(kms.SSEKMSKeyId).toMatch(/^arn:aws:kms:us-east-1:\d{12}:key\/[0-9a-f-]{36}$/);
    const named = await put('sse-kms2', 'x', { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab', BucketKeyEnabled: true });
    expect(named.SSEKMSKeyId).toBe('arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab'.replace('000000000000', named.SSEKMSKeyId!.split(':')[4]!));
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'sse-kms2' }));
    expect([head.ServerSideEncryption, head.SSEKMSKeyId, head.BucketKeyEnabled]).toEqual(['aws:kms', named.SSEKMSKeyId, true]);
    expect((await sdkError(put('sse-bad', 'x', { ServerSideEncryption: 'rot13' as never }))).name).toBe('InvalidArgument');
  });

  it('SSE-C: echoes algorithm and key MD5, requires the key to read, refuses another key', async () => {
    const out = await put('sse-c', 'secret', sseC as never);
    expect([out.SSECustomerAlgorithm, out.SSECustomerKeyMD5]).toEqual(['AES256', sseC.SSECustomerKeyMD5]);
    const got = await text('sse-c', sseC as never);
    expect(got.body).toBe('secret');
    expect(got.out.SSECustomerKeyMD5).toBe(sseC.SSECustomerKeyMD5);
    const without = await sdkError(text('sse-c'));
    expect([without.name, without.status]).toEqual(['InvalidRequest', 400]);
    expect((await sdkError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'sse-c' })))).status).toBe(400);
    const other = randomBytes(32);
    const wrong = await sdkError(text('sse-c', { SSECustomerAlgorithm: 'AES256', SSECustomerKey: other.toString('base64'), SSECustomerKeyMD5: md5(other) } as never));
    expect([wrong.name, wrong.status]).toEqual(['AccessDenied', 403]);
  });

  it('SSE-C: refuses a key of the wrong size or with a wrong MD5', async () => {
    const short = randomBytes(16);
    const e1 = await raw('PUT', `/${BUCKET}/sse-c-bad`, { 'x-amz-server-side-encryption-customer-algorithm': 'AES256', 'x-amz-server-side-encryption-customer-key': short.toString('base64'), 'x-amz-server-side-encryption-customer-key-md5': md5(short) }, 'x');
    expect(e1.status).toBe(400);
    expect(e1.text).toContain('<Code>InvalidArgument</Code>');
    expect(e1.text).toContain('The secret key was invalid for the specified algorithm.');
    const e2 = await raw('PUT', `/${BUCKET}/sse-c-bad`, { 'x-amz-server-side-encryption-customer-algorithm': 'AES256', 'x-amz-server-side-encryption-customer-key': key.toString('base64'), 'x-amz-server-side-encryption-customer-key-md5': md5('nope') }, 'x');
    expect(e2.status).toBe(400);
    expect(e2.text).toContain('The calculated MD5 hash of the key did not match the hash that was provided.');
    expect((await sdkError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'sse-c-bad' })))).status).toBe(404);
  });
});

describe('keys', () => {
  it('refuses keys over 1024 bytes with KeyTooLongError', async () => {
    const e = await sdkError(put('k'.repeat(1025), 'x'));
    expect([e.name, e.status]).toEqual(['KeyTooLongError', 400]);
    await put('é'.repeat(512), 'fits');
    expect((await text('é'.repeat(512))).body).toBe('fits');
    await stillServes();
  });

  it('stores keys with ../, absolute paths and NUL as plain keys, readable back', async () => {
    for (const key of ['../../etc/passwd', '/abs/../x', 'a/./b//c', 'nul\u0000inside', '..', '%2e%2e/enc']) {
      await put(key, `body of ${JSON.stringify(key)}`);
      expect((await text(key)).body).toBe(`body of ${JSON.stringify(key)}`);
    }
    await stillServes();
  });
});

describe('delete and versions', () => {
  it('deletes a key; in a versioned bucket it leaves a delete marker and versions stay readable', async () => {
    await put('del', 'x');
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'del' }));
    expect((await sdkError(text('del'))).name).toBe('NoSuchKey');
    await s3.send(new CreateBucketCommand({ Bucket: 'objects-versioned' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'objects-versioned', VersioningConfiguration: { Status: 'Enabled' } }));
    const v1 = await s3.send(new PutObjectCommand({ Bucket: 'objects-versioned', Key: 'k', Body: 'one' }));
    const del = await s3.send(new DeleteObjectCommand({ Bucket: 'objects-versioned', Key: 'k' }));
    expect(del.DeleteMarker).toBe(true);
    expect(del.VersionId).toBeTruthy();
    const old = await s3.send(new GetObjectCommand({ Bucket: 'objects-versioned', Key: 'k', VersionId: v1.VersionId }));
    expect(await old.Body!.transformToString()).toBe('one');
    const rm = await s3.send(new DeleteObjectCommand({ Bucket: 'objects-versioned', Key: 'k', VersionId: del.VersionId }));
    expect([rm.DeleteMarker, rm.VersionId]).toEqual([true, del.VersionId]);
    const now = await s3.send(new GetObjectCommand({ Bucket: 'objects-versioned', Key: 'k' }));
    expect(await now.Body!.transformToString()).toBe('one');
  });
});

describe('concurrent writers', () => {
  it('20 concurrent PUTs of distinct 1 MiB bodies: GET returns one of them whole, with its ETag', async () => {
    const bodies = Array.from({ length: 20 }, () => randomBytes(1024 * 1024));
    const etags = await Promise.all(bodies.map((b) => put('race', b).then((o) => o.ETag)));
    const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'race' }));
    const got = Buffer.from(await out.Body!.transformToByteArray());
    const i = bodies.findIndex((b) => b.equals(got));
    expect(i).toBeGreaterThanOrEqual(0);
    expect(out.ETag).toBe(etags[i]);
    expect(out.ETag).toBe(`"${createHash('md5').update(got).digest('hex')}"`);
  });
});
