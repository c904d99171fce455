/**
 * S3 multipart uploads against the real runtime, through @aws-sdk/client-s3 and
 * @aws-sdk/lib-storage: create / upload part / copy part / complete / abort / list, the
 * multipart ETag and checksums (COMPOSITE and FULL_OBJECT) checked against values computed
 * here from the source bytes, GetObject by part number, a 100 MiB streamed upload, and S3's
 * errors for bad input (with nothing written and the server still serving).
 *
 * Source data is generated deterministically from its offset (fill()), so any slice can be
 * regenerated instead of kept.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { Crc32c } from '@aws-crypto/crc32c';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
  type CompletedPart,
  type StorageClass,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../../support/aws-cli.js';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

const MiB = 1024 * 1024;

let rt: RuntimeProcess;
let s3: S3Client;
/** A client that sends no checksum unless asked (as older SDKs and many tools do). */
let plain: S3Client;

beforeAll(async () => {
  rt = await startRuntime();
  s3 = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true, maxAttempts: 1 });
  plain = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true, maxAttempts: 1, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
});
afterAll(async () => {
  s3?.destroy();
  plain?.destroy();
  await rt?.stop();
});

/** Deterministic bytes for absolute offsets [offset, offset + size) of a source named by `seed`. */
function fill(seed: number, offset: number, size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) {
    const n = offset + i;
    const word = Math.floor(n / 4);
    let h = Math.imul(word ^ seed, 0x9e3779b1);
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca77);
    h ^= h >>> 13;
    out[i] = (h >>> ((n % 4) * 8)) & 0xff;
  }
  return out;
}

/** A source of `size` bytes as a stream of 1 MiB chunks, generated as it is read. */
function sourceStream(seed: number, size: number): Readable {
  let at = 0;
  return new Readable({
    read() {
      if (at >= size) return void this.push(null);
      const n = Math.min(MiB, size - at);
      this.push(fill(seed, at, n));
      at += n;
    },
  });
}

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest();
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const crc32b64 = (data: Uint8Array) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(data) >>> 0);
  return b.toString('base64');
};
async function checksumOf(algorithm: string, data: Uint8Array): Promise<string> {
  switch (algorithm) {
    case 'CRC32':
      return crc32b64(data);
    case 'CRC32C': {
      const c = new Crc32c().update(data);
      const b = Buffer.alloc(4);
      b.writeUInt32BE(c.digest() >>> 0);
      return b.toString('base64');
    }
    case 'CRC64NVME': {
      const c = new Crc64Nvme();
      c.update(data);
      return b64(await c.digest());
    }
    case 'SHA1':
    case 'SHA256':
      return createHash(algorithm.toLowerCase()).update(data).digest('base64');
    default:
      throw new Error(algorithm);
  }
}

/** S3's multipart ETag: MD5 of the parts' binary MD5s, `-N`. */
function multipartEtag(parts: readonly Uint8Array[]): string {
  return `"${createHash('md5').update(Buffer.concat(parts.map(md5))).digest('hex')}-${parts.length}"`;
}

async function bodyBytes(body: unknown): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

let bucketCount = 0;
async function newBucket(options: { versioned?: boolean; objectLock?: boolean } = {}): Promise<string> {
  const name = `mp-${process.pid}-${++bucketCount}`;
  await s3.send(new CreateBucketCommand({ Bucket: name, ...(options.objectLock ? { ObjectLockEnabledForBucket: true } : {}) }));
  if (options.versioned) await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }));
  return name;
}

async function createUpload(Bucket: string, Key: string, extra: Partial<ConstructorParameters<typeof CreateMultipartUploadCommand>[0]> = {}): Promise<string> {
  const out = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ...extra }));
  expect(out.UploadId).toBeTruthy();
  return out.UploadId!;
}

async function uploadParts(client: S3Client, Bucket: string, Key: string, UploadId: string, parts: readonly Buffer[], extra: Partial<ConstructorParameters<typeof UploadPartCommand>[0]> = {}) {
  const done: CompletedPart[] = [];
  for (const [i, Body] of parts.entries()) {
    const out = await client.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body, ...extra }));
    done.push({ PartNumber: i + 1, ETag: out.ETag, ChecksumCRC32: out.ChecksumCRC32, ChecksumCRC32C: out.ChecksumCRC32C, ChecksumCRC64NVME: out.ChecksumCRC64NVME, ChecksumSHA1: out.ChecksumSHA1, ChecksumSHA256: out.ChecksumSHA256 });
  }
  return done;
}

describe('lib-storage Upload (20 MiB, 5 MiB parts, queueSize 4)', () => {
  let bucket: string;
  const key = 'dir/twenty mib.bin';
  const size = 20 * MiB;
  const seed = 20;
  let result: Awaited<ReturnType<Upload['done']>>;

  beforeAll(async () => {
    bucket = await newBucket();
    const upload = new Upload({
      client: s3,
      queueSize: 4,
      partSize: 5 * MiB,
      params: { Bucket: bucket, Key: key, Body: fill(seed, 0, size), ContentType: 'application/x-test', Metadata: { origin: 'lib-storage' }, CacheControl: 'max-age=60', Tagging: 'a=1&b=two' },
    });
    result = await upload.done();
  });

  it('completes with the multipart ETag of its four parts and a COMPOSITE CRC32', async () => {
    const parts = [0, 1, 2, 3].map((i) => fill(seed, i * 5 * MiB, 5 * MiB));
    expect(result.ETag).toBe(multipartEtag(parts));
    const partSums = await Promise.all(parts.map((p) => checksumOf('CRC32', p)));
    const composite = `${crc32b64(Buffer.concat(partSums.map((s) => Buffer.from(s, 'base64'))))}-4`;
    expect(result.ChecksumCRC32).toBe(composite);
    expect(result.ChecksumType).toBe('COMPOSITE');
    expect(result.Bucket).toBe(bucket);
    expect(result.Key).toBe(key);
    expect(result.Location).toContain(`${bucket}.s3.`);
    expect(result.Location).toMatch(/\/dir\/twenty%20mib\.bin$/);
  });

  it('a part read by PartNumber carries that part\'s own CRC32 (checked by the SDK against the bytes)', async () => {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, PartNumber: 3, ChecksumMode: 'ENABLED' }));
    expect(got.$metadata.httpStatusCode).toBe(206);
    expect(got.PartsCount).toBe(4);
    expect(got.ChecksumCRC32).toBe(await checksumOf('CRC32', fill(seed, 2 * 5 * MiB, 5 * MiB)));
    expect(got.ChecksumType).toBe('COMPOSITE');
    expect((await bodyBytes(got.Body)).equals(fill(seed, 2 * 5 * MiB, 5 * MiB))).toBe(true);
  });

  it('stores the attributes given at creation', async () => {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
    expect(head.ContentLength).toBe(size);
    expect(head.ContentType).toBe('application/x-test');
    expect(head.CacheControl).toBe('max-age=60');
    expect(head.Metadata).toEqual({ origin: 'lib-storage' });
    expect(head.ETag).toBe(result.ETag);
    expect(head.ChecksumCRC32).toBe(result.ChecksumCRC32);
    expect(head.ChecksumType).toBe('COMPOSITE');
  });

  it('serves the whole object back byte for byte', async () => {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(got.TagCount).toBe(2);
    const body = await bodyBytes(got.Body);
    expect(body.length).toBe(size);
    expect(md5(body).equals(md5(fill(seed, 0, size)))).toBe(true);
  });

  it('GetObject PartNumber returns that part with PartsCount and 206', async () => {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, PartNumber: 3 }));
    expect(got.$metadata.httpStatusCode).toBe(206);
    expect(got.PartsCount).toBe(4);
    expect(got.ContentLength).toBe(5 * MiB);
    expect(got.ContentRange).toBe(`bytes ${10 * MiB}-${15 * MiB - 1}/${size}`);
    expect(md5(await bodyBytes(got.Body)).equals(md5(fill(seed, 10 * MiB, 5 * MiB)))).toBe(true);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, PartNumber: 4 }));
    expect(head.PartsCount).toBe(4);
    expect(head.ContentLength).toBe(5 * MiB);
    const err = await sdkError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, PartNumber: 5 })));
    expect(err).toMatchObject({ name: 'InvalidPartNumber', status: 416 });
  });
});

describe('a 100 MiB upload streamed through lib-storage', () => {
  it('comes back with the MD5 and SHA-256 of the source, and the runtime does not hold it in memory', async () => {
    const bucket = await newBucket();
    const peak = async () => {
      const status = await readFile(`/proc/${rt.child.pid}/status`, 'utf8').catch(() => undefined);
      return status === undefined ? undefined : Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]) * 1024;
    };
    const peakBefore = await peak();
    const size = 100 * MiB;
    const seed = 100;
    const upload = new Upload({ client: s3, queueSize: 4, partSize: 5 * MiB, params: { Bucket: bucket, Key: 'big', Body: sourceStream(seed, size) } });
    const result = await upload.done();
    expect(result.ETag).toMatch(/-20"$/);

    const expectedMd5 = createHash('md5');
    const expectedSha = createHash('sha256');
    for await (const chunk of sourceStream(seed, size)) {
      expectedMd5.update(chunk as Buffer);
      expectedSha.update(chunk as Buffer);
    }
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'big' }));
    expect(got.ContentLength).toBe(size);
    const gotMd5 = createHash('md5');
    const gotSha = createHash('sha256');
    let n = 0;
    for await (const chunk of got.Body as AsyncIterable<Uint8Array>) {
      gotMd5.update(chunk);
      gotSha.update(chunk);
      n += chunk.length;
    }
    expect(n).toBe(size);
    expect(gotMd5.digest('hex')).toBe(expectedMd5.digest('hex'));
    expect(gotSha.digest('hex')).toBe(expectedSha.digest('hex'));

    // the runtime's peak resident memory grew by less than the object: it was never held whole (Linux only)
    const peakAfter = await peak();
    if (peakBefore !== undefined && peakAfter !== undefined) expect(peakAfter - peakBefore).toBeLessThan(size * 0.75);
  }, 120_000);
});

describe('checksums', () => {
  let bucket: string;
  beforeAll(async () => {
    bucket = await newBucket();
  });

  const data = fill(7, 0, 5 * MiB + 4321);
  const pieces = [data.subarray(0, 5 * MiB), data.subarray(5 * MiB)];

  for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME'] as const) {
    it(`FULL_OBJECT ${algorithm} is the ${algorithm} of the whole object`, async () => {
      const key = `full-${algorithm}`;
      const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ChecksumAlgorithm: algorithm, ChecksumType: 'FULL_OBJECT' }));
      expect(created.ChecksumAlgorithm).toBe(algorithm);
      expect(created.ChecksumType).toBe('FULL_OBJECT');
      const parts = await uploadParts(s3, bucket, key, created.UploadId!, pieces, { ChecksumAlgorithm: algorithm });
      const member = `Checksum${algorithm}` as const;
      expect(parts[0]![member]).toBe(await checksumOf(algorithm, pieces[0]!));
      const whole = await checksumOf(algorithm, data);
      const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: created.UploadId, MultipartUpload: { Parts: parts }, ChecksumType: 'FULL_OBJECT', [member]: whole, MpuObjectSize: data.length }));
      expect(done[member]).toBe(whole);
      expect(done.ChecksumType).toBe('FULL_OBJECT');
      // the SDK validates a full-object checksum against the body it reads
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
      expect(got[member]).toBe(whole);
      expect(got.ChecksumType).toBe('FULL_OBJECT');
      expect(md5(await bodyBytes(got.Body)).equals(md5(data))).toBe(true);
    });
  }

  it('CRC64NVME defaults to FULL_OBJECT, and an upload without an algorithm gets S3 default CRC64NVME', async () => {
    const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'nvme', ChecksumAlgorithm: 'CRC64NVME' }));
    expect(created.ChecksumType).toBe('FULL_OBJECT');
    const none = await plain.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'default' }));
    expect(none.ChecksumAlgorithm).toBeUndefined();
    const parts = await uploadParts(plain, bucket, 'default', none.UploadId!, pieces);
    expect(parts[0]!.ChecksumCRC64NVME).toBeUndefined();
    const done = await plain.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'default', UploadId: none.UploadId, MultipartUpload: { Parts: parts.map(({ ETag, PartNumber }) => ({ ETag, PartNumber })) } }));
    expect(done.ChecksumCRC64NVME).toBe(await checksumOf('CRC64NVME', data));
    expect(done.ChecksumType).toBe('FULL_OBJECT');
    expect(done.ETag).toBe(multipartEtag(pieces));
  });

  for (const algorithm of ['SHA256', 'SHA1', 'CRC32C'] as const) {
    it(`COMPOSITE ${algorithm} is the ${algorithm} of the part checksums, -N`, async () => {
      const key = `composite-${algorithm}`;
      const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ChecksumAlgorithm: algorithm }));
      expect(created.ChecksumType).toBe('COMPOSITE');
      const parts = await uploadParts(s3, bucket, key, created.UploadId!, pieces, { ChecksumAlgorithm: algorithm });
      const partSums = await Promise.all(pieces.map((p) => checksumOf(algorithm, p)));
      const expected = `${await checksumOf(algorithm, Buffer.concat(partSums.map((s) => Buffer.from(s, 'base64'))))}-2`;
      const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: created.UploadId, MultipartUpload: { Parts: parts } }));
      expect(done[`Checksum${algorithm}`]).toBe(expected);
      expect(done.ChecksumType).toBe('COMPOSITE');
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
      expect(head[`Checksum${algorithm}`]).toBe(expected);
    });
  }

  it('rejects checksum types that do not fit the algorithm', async () => {
    expect(await sdkError(s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'x', ChecksumAlgorithm: 'SHA1', ChecksumType: 'FULL_OBJECT' })))).toMatchObject({ name: 'InvalidRequest', status: 400 });
    expect(await sdkError(s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'x', ChecksumAlgorithm: 'CRC64NVME', ChecksumType: 'COMPOSITE' })))).toMatchObject({ name: 'InvalidRequest', status: 400 });
    expect(await sdkError(plain.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'x', ChecksumType: 'COMPOSITE' })))).toMatchObject({ name: 'InvalidRequest', status: 400 });
  });

  it('a part whose checksum or Content-MD5 does not match is refused with BadDigest and not stored', async () => {
    const id = await createUpload(bucket, 'bad-digest', { ChecksumAlgorithm: 'CRC32' });
    const body = Buffer.from('part body');
    const wrongCrc = await sdkError(s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'bad-digest', UploadId: id, PartNumber: 1, Body: body, ChecksumCRC32: crc32b64(Buffer.from('other')) })));
    expect(wrongCrc).toMatchObject({ name: 'BadDigest', status: 400 });
    // a part of another algorithm than the upload's, or of none, is refused
    const mismatch = await sdkError(s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'bad-digest', UploadId: id, PartNumber: 3, Body: body, ChecksumAlgorithm: 'SHA256' })));
    expect(mismatch).toMatchObject({ name: 'InvalidRequest', status: 400 });
    const missing = await sdkError(plain.send(new UploadPartCommand({ Bucket: bucket, Key: 'bad-digest', UploadId: id, PartNumber: 3, Body: body })));
    expect(missing).toMatchObject({ name: 'InvalidRequest', status: 400 });
    const wrongMd5 = await sdkError(s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'bad-digest', UploadId: id, PartNumber: 2, Body: body, ChecksumAlgorithm: 'CRC32', ContentMD5: b64(md5(Buffer.from('other'))) })));
    expect(wrongMd5).toMatchObject({ name: 'BadDigest', status: 400 });
    const plainId = await createUpload(bucket, 'bad-digest');
    const wrongPlainMd5 = await sdkError(plain.send(new UploadPartCommand({ Bucket: bucket, Key: 'bad-digest', UploadId: plainId, PartNumber: 2, Body: body, ContentMD5: b64(md5(Buffer.from('other'))) })));
    expect(wrongPlainMd5).toMatchObject({ name: 'BadDigest', status: 400 });
    const badMd5 = await sdkError(plain.send(new UploadPartCommand({ Bucket: bucket, Key: 'bad-digest', UploadId: plainId, PartNumber: 2, Body: body, ContentMD5: 'not-base64-md5' })));
    expect(badMd5).toMatchObject({ name: 'InvalidDigest', status: 400 });
    for (const UploadId of [id, plainId]) {
      const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'bad-digest', UploadId }));
      expect(listed.Parts ?? []).toEqual([]);
    }
    const ok = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'bad-digest', UploadId: id, PartNumber: 1, Body: body, ChecksumAlgorithm: 'CRC32', ContentMD5: b64(md5(body)) }));
    expect(ok.ETag).toBe(`"${md5(body).toString('hex')}"`);
    expect(ok.ChecksumCRC32).toBe(crc32b64(body));
    const okPlain = await plain.send(new UploadPartCommand({ Bucket: bucket, Key: 'bad-digest', UploadId: plainId, PartNumber: 1, Body: body, ContentMD5: b64(md5(body)) }));
    expect(okPlain.ETag).toBe(ok.ETag);
  });

  it('Complete checks the part checksums it is given', async () => {
    // an upload created without an algorithm accepts CRC32 parts, but not their CRC32s at Complete (as S3)
    const plainId = await createUpload(bucket, 'part-sums');
    const parts = await uploadParts(s3, bucket, 'part-sums', plainId, pieces);
    expect(parts[0]!.ChecksumCRC32).toBe(crc32b64(pieces[0]!));
    const named = await sdkError(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'part-sums', UploadId: plainId, MultipartUpload: { Parts: parts } })));
    expect(named).toMatchObject({ name: 'InvalidPart', status: 400 });
    // a COMPOSITE upload needs every part's checksum, and the right one
    const id = await createUpload(bucket, 'part-sums', { ChecksumAlgorithm: 'SHA256' });
    const shaParts = await uploadParts(s3, bucket, 'part-sums', id, pieces, { ChecksumAlgorithm: 'SHA256' });
    const without = await sdkError(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'part-sums', UploadId: id, MultipartUpload: { Parts: shaParts.map(({ ETag, PartNumber }) => ({ ETag, PartNumber })) } })));
    expect(without).toMatchObject({ name: 'InvalidRequest', status: 400 });
    const wrong = await sdkError(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'part-sums', UploadId: id, MultipartUpload: { Parts: [shaParts[0]!, { ...shaParts[1]!, ChecksumSHA256: shaParts[0]!.ChecksumSHA256 }] } })));
    // "The sha256 you specified for part 2 did not match what we received.", as recorded from AWS
    expect(wrong).toMatchObject({ name: 'BadDigest', status: 400 });
    expect(await sdkError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'part-sums' })))).toMatchObject({ status: 404 });
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'part-sums', UploadId: id, MultipartUpload: { Parts: shaParts } }));
    expect(done.ChecksumSHA256).toMatch(/-2$/);
    const plainParts = parts.map(({ ETag, PartNumber }) => ({ ETag, PartNumber }));
    expect((await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'part-sums', UploadId: plainId, MultipartUpload: { Parts: plainParts } }))).ChecksumType).toBe('FULL_OBJECT');
  });

  it('Complete refuses a whole-object checksum that is not the object', async () => {
    const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'claimed', ChecksumAlgorithm: 'CRC32', ChecksumType: 'FULL_OBJECT' }));
    const parts = await uploadParts(s3, bucket, 'claimed', created.UploadId!, pieces, { ChecksumAlgorithm: 'CRC32' });
    const err = await sdkError(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'claimed', UploadId: created.UploadId, MultipartUpload: { Parts: parts }, ChecksumCRC32: crc32b64(Buffer.from('not it')) })));
    expect(err).toMatchObject({ name: 'BadDigest', status: 400 });
    expect(await sdkError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'claimed' })))).toMatchObject({ status: 404 });
  });
});

describe('creation attributes', () => {
  it('keeps storage class, SSE, website redirect, content headers and tags on the completed object', async () => {
    const bucket = await newBucket();
    const id = await createUpload(bucket, 'attrs', {
      StorageClass: 'STANDARD_IA',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'arn:aws:kms:us-east-1:000000000000:key/abc',
      ContentType: 'text/plain',
      ContentDisposition: 'attachment',
      ContentLanguage: 'de',
      WebsiteRedirectLocation: '/elsewhere',
      Metadata: { 'x-one': '1', two: 'zwei' },
      Tagging: 'k=v',
      ACL: 'public-read',
    });
    const parts = await uploadParts(plain, bucket, 'attrs', id, [Buffer.from('hello multipart')]);
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'attrs', UploadId: id }));
    expect(listed.StorageClass).toBe('STANDARD_IA');
    const done = await plain.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'attrs', UploadId: id, MultipartUpload: { Parts: parts } }));
    expect(done.ServerSideEncryption).toBe('aws:kms');
    expect(done.SSEKMSKeyId).toBe('arn:aws:kms:us-east-1:000000000000:key/abc');
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'attrs' }));
    expect(await bodyBytes(got.Body)).toEqual(Buffer.from('hello multipart'));
    expect(got).toMatchObject({ StorageClass: 'STANDARD_IA', ServerSideEncryption: 'aws:kms', ContentType: 'text/plain', ContentDisposition: 'attachment', ContentLanguage: 'de', WebsiteRedirectLocation: '/elsewhere', TagCount: 1 });
    expect(got.Metadata).toEqual({ 'x-one': '1', two: 'zwei' });
  });

  it('stores object lock settings, and refuses them on a bucket without object lock', async () => {
    const locked = await newBucket({ objectLock: true });
    const until = new Date(Date.now() + 86_400_000);
    until.setMilliseconds(0);
    const id = await createUpload(locked, 'held', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: until, ObjectLockLegalHoldStatus: 'ON' });
    const parts = await uploadParts(s3, locked, 'held', id, [Buffer.from('x')]);
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: locked, Key: 'held', UploadId: id, MultipartUpload: { Parts: parts.map(({ ETag, PartNumber }) => ({ ETag, PartNumber })) } }));
    expect(done.VersionId).toBeTruthy();
    const head = await s3.send(new HeadObjectCommand({ Bucket: locked, Key: 'held' }));
    expect(head.ObjectLockMode).toBe('GOVERNANCE');
    expect(head.ObjectLockRetainUntilDate?.getTime()).toBe(until.getTime());
    expect(head.ObjectLockLegalHoldStatus).toBe('ON');
    expect(head.VersionId).toBe(done.VersionId);

    const open = await newBucket();
    expect(await sdkError(s3.send(new CreateMultipartUploadCommand({ Bucket: open, Key: 'held', ObjectLockLegalHoldStatus: 'ON' })))).toMatchObject({ name: 'InvalidRequest', status: 400 });
    expect(await sdkError(s3.send(new CreateMultipartUploadCommand({ Bucket: open, Key: 'k', StorageClass: 'NOPE' as StorageClass })))).toMatchObject({ name: 'InvalidStorageClass', status: 400 });
    expect(await sdkError(s3.send(new CreateMultipartUploadCommand({ Bucket: 'no-such-bucket-mp', Key: 'k' })))).toMatchObject({ name: 'NoSuchBucket', status: 404 });
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: open }))).Uploads ?? []).toEqual([]);
  });
});

describe('CompleteMultipartUpload errors', () => {
  let bucket: string;
  beforeAll(async () => {
    bucket = await newBucket();
  });

  const big = fill(3, 0, 5 * MiB);
  const small = Buffer.from('tail');

  async function ready(key: string, bodies: Buffer[] = [big, small]) {
    const id = await createUpload(bucket, key);
    const parts = await uploadParts(plain, bucket, key, id, bodies);
    return { id, parts: parts.map(({ ETag, PartNumber }) => ({ ETag, PartNumber })) };
  }
  const complete = (key: string, UploadId: string, Parts: CompletedPart[] | undefined, extra: Partial<ConstructorParameters<typeof CompleteMultipartUploadCommand>[0]> = {}) =>
    plain.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, ...(Parts ? { MultipartUpload: { Parts } } : {}), ...extra }));

  it('answers each bad request with S3 error, writes nothing, and keeps the upload', async () => {
    const { id, parts } = await ready('bad');
    const cases: Array<[CompletedPart[] | undefined, string, number]> = [
      // "You must specify at least one part", as recorded from AWS
      [undefined, 'InvalidRequest', 400],
      [[], 'InvalidRequest', 400],
      [[parts[1]!, parts[0]!], 'InvalidPartOrder', 400],
      [[parts[0]!, parts[0]!], 'InvalidPartOrder', 400],
      [[parts[0]!, { ...parts[1]!, ETag: `"${'0'.repeat(32)}"` }], 'InvalidPart', 400],
      [[parts[0]!, { ...parts[1]!, PartNumber: 7 }], 'InvalidPart', 400],
      [[{ ...parts[1]!, PartNumber: 1 }], 'InvalidPart', 400],
    ];
    for (const [list, name, status] of cases) {
      expect(await sdkError(complete('bad', id, list))).toMatchObject({ name, status });
    }
    expect(await sdkError(complete('bad', id, parts, { MpuObjectSize: 12 }))).toMatchObject({ name: 'InvalidRequest', status: 400 });
    expect(await sdkError(complete('bad', id, parts, { ChecksumType: 'COMPOSITE' }))).toMatchObject({ name: 'InvalidRequest', status: 400 });
    expect(await sdkError(complete('bad', 'no-such-upload', parts))).toMatchObject({ name: 'NoSuchUpload', status: 404 });
    expect(await sdkError(complete('other-key', id, parts))).toMatchObject({ name: 'NoSuchUpload', status: 404 });
    expect(await sdkError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'bad' })))).toMatchObject({ status: 404 });
    // the upload survived every refusal and completes as it should
    const done = await complete('bad', id, parts, { MpuObjectSize: big.length + small.length });
    expect(done.ETag).toBe(multipartEtag([big, small]));
    // a repeated Complete with the same parts is answered as the first; with others the upload is gone
    expect((await complete('bad', id, parts)).ETag).toBe(done.ETag);
    expect(await sdkError(complete('bad', id, parts.slice(0, 1)))).toMatchObject({ name: 'NoSuchUpload', status: 404 });
  });

  it('EntityTooSmall for a part under 5 MiB that is not the last', async () => {
    const { id, parts } = await ready('small', [small, big]);
    const err = await sdkError(complete('small', id, parts));
    expect(err).toMatchObject({ name: 'EntityTooSmall', status: 400 });
    // without the small part it is fine, and the unused part's body is gone with the upload
    const done = await complete('small', id, [parts[1]!]);
    expect(done.ETag).toBe(multipartEtag([big]));
    const got = await bodyBytes((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'small' }))).Body);
    expect(got.equals(big)).toBe(true);
  });

  it('a subset of parts in ascending order makes the object, numbered by position for GetObject PartNumber', async () => {
    const id = await createUpload(bucket, 'subset');
    const bodies = [fill(11, 0, 5 * MiB), fill(12, 0, 5 * MiB), Buffer.from('third')];
    const parts = await uploadParts(plain, bucket, 'subset', id, bodies);
    const done = await complete('subset', id, [parts[0]!, parts[2]!].map(({ ETag, PartNumber }) => ({ ETag, PartNumber })));
    expect(done.ETag).toBe(multipartEtag([bodies[0]!, bodies[2]!]));
    const whole = await bodyBytes((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'subset' }))).Body);
    expect(whole.equals(Buffer.concat([bodies[0]!, bodies[2]!]))).toBe(true);
    const second = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'subset', PartNumber: 2 }));
    expect(second.PartsCount).toBe(2);
    expect(await bodyBytes(second.Body)).toEqual(Buffer.from('third'));
  });

  it('If-None-Match: * and If-Match conditions', async () => {
    const { id, parts } = await ready('cond');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond', Body: 'existing' }));
    expect(await sdkError(complete('cond', id, parts, { IfNoneMatch: '*' }))).toMatchObject({ name: 'PreconditionFailed', status: 412 });
    expect(await sdkError(complete('cond', id, parts, { IfMatch: '"0123456789abcdef0123456789abcdef"' }))).toMatchObject({ name: 'PreconditionFailed', status: 412 });
    const existing = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'cond' }));
    expect(existing.ContentLength).toBe(8);
    const done = await complete('cond', id, parts, { IfMatch: existing.ETag });
    expect(done.ETag).toBe(multipartEtag([big, small]));

    const fresh = await ready('cond-new');
    expect(await sdkError(complete('cond-new', fresh.id, fresh.parts, { IfMatch: '"abc"' }))).toMatchObject({ name: 'NoSuchKey', status: 404 });
    expect((await complete('cond-new', fresh.id, fresh.parts, { IfNoneMatch: '*' })).ETag).toMatch(/-2"$/);
  });

  it('UploadPart part numbers outside 1..10000 and unknown uploads', async () => {
    const id = await createUpload(bucket, 'numbers');
    for (const PartNumber of [0, 10_001, -1]) {
      expect(await sdkError(plain.send(new UploadPartCommand({ Bucket: bucket, Key: 'numbers', UploadId: id, PartNumber, Body: 'x' })))).toMatchObject({ name: 'InvalidArgument', status: 400 });
    }
    const last = await plain.send(new UploadPartCommand({ Bucket: bucket, Key: 'numbers', UploadId: id, PartNumber: 10_000, Body: 'x' }));
    expect(last.ETag).toBe(`"${md5(Buffer.from('x')).toString('hex')}"`);
    expect(await sdkError(plain.send(new UploadPartCommand({ Bucket: bucket, Key: 'numbers', UploadId: 'nope', PartNumber: 1, Body: 'x' })))).toMatchObject({ name: 'NoSuchUpload', status: 404 });
    expect(await sdkError(plain.send(new UploadPartCommand({ Bucket: bucket, Key: 'other', UploadId: id, PartNumber: 1, Body: 'x' })))).toMatchObject({ name: 'NoSuchUpload', status: 404 });
  });

  it('AbortMultipartUpload: 204, then the upload is gone', async () => {
    const { id, parts } = await ready('aborted', [small]);
    const out = await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'aborted', UploadId: id }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    expect(await sdkError(s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'aborted', UploadId: id })))).toMatchObject({ name: 'NoSuchUpload', status: 404 });
    expect(await sdkError(s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'aborted', UploadId: id })))).toMatchObject({ name: 'NoSuchUpload', status: 404 });
    expect(await sdkError(complete('aborted', id, parts))).toMatchObject({ name: 'NoSuchUpload', status: 404 });
    expect(await sdkError(plain.send(new UploadPartCommand({ Bucket: bucket, Key: 'aborted', UploadId: id, PartNumber: 2, Body: 'x' })))).toMatchObject({ name: 'NoSuchUpload', status: 404 });
  });

  it('the server still serves after all of that', async () => {
    const buckets = await s3.send(new ListBucketsCommand({}));
    expect(buckets.Buckets?.some((b) => b.Name === bucket)).toBe(true);
  });
});

describe('UploadPartCopy', () => {
  let bucket: string;
  const source = fill(21, 0, 6 * MiB + 100);

  beforeAll(async () => {
    bucket = await newBucket({ versioned: true });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src/one', Body: source }));
  });

  it('copies byte ranges of a source into parts', async () => {
    const id = await createUpload(bucket, 'copied', { ChecksumAlgorithm: 'CRC32' });
    const first = await s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'copied', UploadId: id, PartNumber: 1, CopySource: `${bucket}/src/one`, CopySourceRange: `bytes=0-${5 * MiB - 1}` }));
    const second = await s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'copied', UploadId: id, PartNumber: 2, CopySource: `/${bucket}/src%2Fone`, CopySourceRange: `bytes=${5 * MiB}-${source.length - 1}` }));
    const a = source.subarray(0, 5 * MiB);
    const b = source.subarray(5 * MiB);
    expect(first.CopyPartResult?.ETag).toBe(`"${md5(a).toString('hex')}"`);
    expect(first.CopyPartResult?.ChecksumCRC32).toBe(crc32b64(a));
    expect(first.CopyPartResult?.LastModified).toBeInstanceOf(Date);
    expect(first.CopySourceVersionId).toBeTruthy();
    const done = await s3.send(new CompleteMultipartUploadCommand({
      Bucket: bucket,
      Key: 'copied',
      UploadId: id,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: first.CopyPartResult!.ETag, ChecksumCRC32: first.CopyPartResult!.ChecksumCRC32 }, { PartNumber: 2, ETag: second.CopyPartResult!.ETag, ChecksumCRC32: second.CopyPartResult!.ChecksumCRC32 }] },
    }));
    expect(done.ETag).toBe(multipartEtag([a, b]));
    expect(done.VersionId).toBeTruthy();
    const got = await bodyBytes((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'copied' }))).Body);
    expect(got.equals(source)).toBe(true);
  });

  it('copies a given version of the source, the whole object without a range', async () => {
    const v1 = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src/versioned', Body: 'first version' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src/versioned', Body: 'second version!' }));
    const id = await createUpload(bucket, 'from-v1');
    const out = await plain.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'from-v1', UploadId: id, PartNumber: 1, CopySource: `${bucket}/src/versioned?versionId=${v1.VersionId}` }));
    expect(out.CopySourceVersionId).toBe(v1.VersionId);
    expect(out.CopyPartResult?.ETag).toBe(`"${md5(Buffer.from('first version')).toString('hex')}"`);
    await plain.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'from-v1', UploadId: id, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: out.CopyPartResult!.ETag }] } }));
    expect((await bodyBytes((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'from-v1' }))).Body)).toString()).toBe('first version');
  });

  it('refuses bad ranges, bad sources and failed copy conditions', async () => {
    const id = await createUpload(bucket, 'copy-errors');
    const copy = (extra: Partial<ConstructorParameters<typeof UploadPartCopyCommand>[0]>) =>
      sdkError(plain.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'copy-errors', UploadId: id, PartNumber: 1, CopySource: `${bucket}/src/one`, ...extra })));
    for (const CopySourceRange of ['bytes=10-5', `bytes=0-${source.length}`, 'bytes=abc', 'bytes=5-', 'items=0-1']) {
      expect(await copy({ CopySourceRange }), CopySourceRange).toMatchObject({ name: 'InvalidArgument', status: 400 });
    }
    expect(await copy({ CopySource: 'nobucketkey' })).toMatchObject({ name: 'InvalidArgument', status: 400 });
    expect(await copy({ CopySource: `${bucket}/src/missing` })).toMatchObject({ name: 'NoSuchKey', status: 404 });
    expect(await copy({ CopySource: 'no-such-bucket-mp/key' })).toMatchObject({ name: 'NoSuchBucket', status: 404 });
    expect(await copy({ CopySource: `${bucket}/src/one?versionId=nosuchversion` })).toMatchObject({ name: 'NoSuchVersion', status: 404 });
    expect(await copy({ UploadId: 'nope' })).toMatchObject({ name: 'NoSuchUpload', status: 404 });
    expect(await copy({ PartNumber: 10_001 })).toMatchObject({ name: 'InvalidArgument', status: 400 });
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'src/one' }));
    const past = new Date(head.LastModified!.getTime() - 3_600_000);
    const future = new Date(Date.now() + 3_600_000);
    for (const cond of [{ CopySourceIfMatch: '"0123"' }, { CopySourceIfNoneMatch: head.ETag }, { CopySourceIfModifiedSince: future }, { CopySourceIfUnmodifiedSince: past }]) {
      expect(await copy(cond), JSON.stringify(cond)).toMatchObject({ name: 'PreconditionFailed', status: 412 });
    }
    expect((await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'copy-errors', UploadId: id }))).Parts ?? []).toEqual([]);
    // conditions that hold copy (If-Match wins over a failing If-Unmodified-Since, as in S3)
    const ok = await plain.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'copy-errors', UploadId: id, PartNumber: 1, CopySource: `${bucket}/src/one`, CopySourceIfMatch: head.ETag, CopySourceIfUnmodifiedSince: past, CopySourceRange: 'bytes=0-9' }));
    expect(ok.CopyPartResult?.ETag).toBe(`"${md5(source.subarray(0, 10)).toString('hex')}"`);
  });
});

describe('ListParts', () => {
  it('pages with max-parts and part-number-marker, with owner, storage class and checksum algorithm', async () => {
    const bucket = await newBucket();
    const id = await createUpload(bucket, 'listed', { ChecksumAlgorithm: 'SHA256', StorageClass: 'ONEZONE_IA' });
    const bodies = ['one', 'two', 'three'].map((s) => Buffer.from(s));
    await uploadParts(s3, bucket, 'listed', id, bodies, { ChecksumAlgorithm: 'SHA256' });
    // uploading a part number again replaces that part
    const again = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'listed', UploadId: id, PartNumber: 2, Body: 'TWO!', ChecksumAlgorithm: 'SHA256' }));
    const page1 = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'listed', UploadId: id, MaxParts: 2 }));
    expect(page1.IsTruncated).toBe(true);
    expect(String(page1.NextPartNumberMarker)).toBe('2');
    expect(page1.MaxParts).toBe(2);
    expect(page1.Parts?.map((p) => p.PartNumber)).toEqual([1, 2]);
    expect(page1.Parts?.[1]).toMatchObject({ ETag: again.ETag, Size: 4, ChecksumSHA256: await checksumOf('SHA256', Buffer.from('TWO!')) });
    expect(page1.Parts?.[0]?.LastModified).toBeInstanceOf(Date);
    expect(page1.StorageClass).toBe('ONEZONE_IA');
    expect(page1.ChecksumAlgorithm).toBe('SHA256');
    expect(page1.ChecksumType).toBe('COMPOSITE');
    expect(page1.Initiator?.ID).toMatch(/^[0-9a-f]{64}$/);
    expect(page1.Owner?.ID).toBe(page1.Initiator?.ID);
    const page2 = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'listed', UploadId: id, MaxParts: 2, PartNumberMarker: page1.NextPartNumberMarker }));
    expect(page2.IsTruncated).toBe(false);
    expect(String(page2.PartNumberMarker)).toBe('2');
    expect(page2.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([[3, 5]]);
    expect(await sdkError(s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'listed', UploadId: 'nope' })))).toMatchObject({ name: 'NoSuchUpload', status: 404 });
  });
});

describe('ListMultipartUploads', () => {
  let bucket: string;
  const ids: Record<string, string[]> = {};

  beforeAll(async () => {
    bucket = await newBucket();
    for (const key of ['c', 'a/1', 'b', 'a/2', 'c', 'd/x/y']) {
      (ids[key] ??= []).push(await createUpload(bucket, key, key === 'b' ? { ChecksumAlgorithm: 'CRC32C' } : {}));
      await new Promise((r) => setTimeout(r, 3));
    }
  });

  it('lists by key, then initiation, with owner and checksum algorithm', async () => {
    const out = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(out.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([
      ['a/1', ids['a/1']![0]],
      ['a/2', ids['a/2']![0]],
      ['b', ids.b![0]],
      ['c', ids.c![0]],
      ['c', ids.c![1]],
      ['d/x/y', ids['d/x/y']![0]],
    ]);
    expect(out.IsTruncated).toBe(false);
    expect(out.Uploads?.find((u) => u.Key === 'b')?.ChecksumAlgorithm).toBe('CRC32C');
    expect(out.Uploads?.[0]).toMatchObject({ StorageClass: 'STANDARD', Initiator: { ID: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(out.Uploads?.[0]?.Initiated).toBeInstanceOf(Date);
  });

  it('prefix and delimiter give CommonPrefixes', async () => {
    const out = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Delimiter: '/' }));
    expect(out.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/', 'd/']);
    expect(out.Uploads?.map((u) => u.Key)).toEqual(['b', 'c', 'c']);
    const under = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'd/', Delimiter: '/' }));
    expect(under.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['d/x/']);
    expect(under.Uploads ?? []).toEqual([]);
    expect(under.Prefix).toBe('d/');
    const a = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'a/' }));
    expect(a.Uploads?.map((u) => u.Key)).toEqual(['a/1', 'a/2']);
  });

  it('pages with max-uploads, key-marker and upload-id-marker', async () => {
    const seen: Array<[string | undefined, string | undefined]> = [];
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    for (let page = 0; page < 10; page++) {
      const out = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, MaxUploads: 2, KeyMarker, UploadIdMarker }));
      seen.push(...(out.Uploads ?? []).map((u) => [u.Key, u.UploadId] as [string | undefined, string | undefined]));
      expect(out.MaxUploads).toBe(2);
      if (!out.IsTruncated) break;
      expect(out.Uploads).toHaveLength(2);
      KeyMarker = out.NextKeyMarker;
      UploadIdMarker = out.NextUploadIdMarker;
    }
    expect(seen.map(([k]) => k)).toEqual(['a/1', 'a/2', 'b', 'c', 'c', 'd/x/y']);
    expect(new Set(seen.map(([, id]) => id)).size).toBe(6);
    // a key marker alone skips every upload of that key
    const after = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, KeyMarker: 'c' }));
    expect(after.Uploads?.map((u) => u.Key)).toEqual(['d/x/y']);
    // with a delimiter, pages continue after a common prefix
    const first = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Delimiter: '/', MaxUploads: 1 }));
    expect(first.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/']);
    expect(first.NextKeyMarker).toBe('a/');
    const next = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Delimiter: '/', MaxUploads: 1, KeyMarker: first.NextKeyMarker }));
    expect(next.Uploads?.map((u) => u.Key)).toEqual(['b']);
  });

  it('uploads vanish with their bucket', async () => {
    const doomed = await newBucket();
    const id = await createUpload(doomed, 'k');
    await plain.send(new UploadPartCommand({ Bucket: doomed, Key: 'k', UploadId: id, PartNumber: 1, Body: 'part' }));
    await s3.send(new DeleteBucketCommand({ Bucket: doomed }));
    expect(await sdkError(s3.send(new ListMultipartUploadsCommand({ Bucket: doomed })))).toMatchObject({ name: 'NoSuchBucket', status: 404 });
    await s3.send(new CreateBucketCommand({ Bucket: doomed }));
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: doomed }))).Uploads ?? []).toEqual([]);
    expect(await sdkError(plain.send(new UploadPartCommand({ Bucket: doomed, Key: 'k', UploadId: id, PartNumber: 2, Body: 'x' })))).toMatchObject({ name: 'NoSuchUpload', status: 404 });
  });
});

describe('size limits', () => {
  it('a part announced over 5 GiB is refused before its body is read', async () => {
    const bucket = await newBucket();
    const id = await createUpload(bucket, 'huge');
    const { request } = await import('node:http');
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${rt.endpoint}/${bucket}/huge?partNumber=1&uploadId=${encodeURIComponent(id)}`, {
        method: 'PUT',
        headers: { 'content-length': String(5 * 1024 ** 3 + 1), authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        // the server answers and closes without reading the rest: the response may end either way
        res.on('error', () => undefined);
        res.on('close', () => {
          resolve({ status: res.statusCode ?? 0, body });
          req.destroy();
        });
      });
      req.on('error', (e) => (e.message === 'aborted' ? undefined : reject(e)));
      req.write(Buffer.alloc(1024));
    });
    expect(status.status).toBe(400);
    expect(status.body).toContain('<Code>EntityTooLarge</Code>');
    expect((await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'huge', UploadId: id }))).Parts ?? []).toEqual([]);
  });
});

describe('other clients and encodings', () => {
  it('a streamed UploadPart (aws-chunked with a trailing CRC32) is decoded and verified', async () => {
    const bucket = await newBucket();
    const id = await createUpload(bucket, 'chunked', { ChecksumAlgorithm: 'CRC32' });
    const size = 3 * MiB + 17;
    const out = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'chunked', UploadId: id, PartNumber: 1, Body: sourceStream(31, size), ContentLength: size, ChecksumAlgorithm: 'CRC32' }));
    const data = fill(31, 0, size);
    expect(out.ETag).toBe(`"${md5(data).toString('hex')}"`);
    expect(out.ChecksumCRC32).toBe(crc32b64(data));
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'chunked', UploadId: id }));
    expect(listed.Parts?.[0]).toMatchObject({ Size: size, ChecksumCRC32: crc32b64(data) });
  });

  it('the AWS CLI copies a 20 MiB file up and down in parts', async () => {
    const bucket = await newBucket();
    const dir = await mkdtemp(join(tmpdir(), 'mp-cli-'));
    try {
      const data = fill(41, 0, 20 * MiB + 5);
      await writeFile(join(dir, 'up.bin'), data);
      const up = await aws(rt.endpoint, ['s3', 'cp', join(dir, 'up.bin'), `s3://${bucket}/cli/up.bin`]);
      expect(up.code, up.stderr).toBe(0);
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'cli/up.bin' }));
      expect(head.ContentLength).toBe(data.length);
      // the CLI's default 8 MiB chunks: three parts
      expect(head.ETag).toBe(multipartEtag([data.subarray(0, 8 * MiB), data.subarray(8 * MiB, 16 * MiB), data.subarray(16 * MiB)]));
      const down = await aws(rt.endpoint, ['s3', 'cp', `s3://${bucket}/cli/up.bin`, join(dir, 'down.bin')]);
      expect(down.code, down.stderr).toBe(0);
      expect(md5(await readFile(join(dir, 'down.bin'))).equals(md5(data))).toBe(true);
      const uploads = await aws(rt.endpoint, ['s3api', 'list-multipart-uploads', '--bucket', bucket]);
      expect(uploads.code, uploads.stderr).toBe(0);
      expect(uploads.json?.Uploads ?? []).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
