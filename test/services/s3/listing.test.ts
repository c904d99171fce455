/**
 * S3 listings (ListObjects, ListObjectsV2) against the real runtime through @aws-sdk/client-s3
 * and its paginators: prefixes, delimiters, markers and tokens, max-keys, url encoding, owners,
 * S3's UTF-8 key order, and the refusals of bad input. Each block works in buckets of its own.
 */
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  paginateListObjectsV2,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  type ListObjectsCommandInput,
  type ListObjectsV2CommandInput,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../../support/aws-cli.js';
import { SortedKeys } from '../../../runtime/services/s3/key-index.js';
import { compareKeys } from '../../../runtime/services/s3/keys.js';
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

async function bucketWith(keys: string[]): Promise<string> {
  const bucket = `listing-${++n}-${Date.now()}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  // a few at a time, in an order that is not the listing order
  const shuffled = [...keys].sort(() => Math.random() - 0.5);
  for (let i = 0; i < shuffled.length; i += 25) {
    await Promise.all(shuffled.slice(i, i + 25).map((Key) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: `body of ${Key}` }))));
  }
  return bucket;
}

/** Every page of a V2 listing, through the SDK's paginator. */
async function allV2(input: ListObjectsV2CommandInput, pageSize: number) {
  const pages: ListObjectsV2CommandOutput[] = [];
  for await (const page of paginateListObjectsV2({ client: s3, pageSize }, input)) pages.push(page);
  return {
    pages,
    keys: pages.flatMap((p) => (p.Contents ?? []).map((c) => c.Key!)),
    prefixes: pages.flatMap((p) => (p.CommonPrefixes ?? []).map((c) => c.Prefix!)),
  };
}

/** Every page of a V1 listing, following NextMarker (or the last key, as clients do without a delimiter). */
async function allV1(input: ListObjectsCommandInput) {
  const keys: string[] = [];
  const prefixes: string[] = [];
  const nextMarkers: Array<string | undefined> = [];
  let marker: string | undefined;
  for (let i = 0; i < 100; i++) {
    const page = await s3.send(new ListObjectsCommand({ ...input, Marker: marker }));
    keys.push(...(page.Contents ?? []).map((c) => c.Key!));
    prefixes.push(...(page.CommonPrefixes ?? []).map((c) => c.Prefix!));
    nextMarkers.push(page.NextMarker);
    if (!page.IsTruncated) return { keys, prefixes, nextMarkers };
    marker = page.NextMarker ?? page.Contents![page.Contents!.length - 1]!.Key;
  }
  throw new Error('listing did not end');
}

const TREE = ['a.txt', 'b/1', 'b/2', 'b/c/3', 'c', 'd/x/1', 'd/y/2', 'e/', 'e/f', 'z'];

describe('ListObjectsV2', () => {
  let bucket: string;
  beforeAll(async () => {
    bucket = await bucketWith(TREE);
  });

  it('lists every key in order with the object fields, and no owner unless asked', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(out.Contents!.map((c) => c.Key)).toEqual(TREE);
    expect(out).toMatchObject({ Name: bucket, Prefix: '', KeyCount: TREE.length, MaxKeys: 1000, IsTruncated: false });
    expect(out.NextContinuationToken).toBeUndefined();
    const first = out.Contents![0]!;
    expect(first.Size).toBe(Buffer.byteLength('body of a.txt'));
    expect(first.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.StorageClass).toBe('STANDARD');
    expect(first.LastModified).toBeInstanceOf(Date);
    expect(Math.abs(first.LastModified!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(first.Owner).toBeUndefined();
    const owned = await s3.send(new ListObjectsV2Command({ Bucket: bucket, FetchOwner: true, MaxKeys: 1 }));
    expect(owned.Contents![0]!.Owner!.ID).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rolls keys up into CommonPrefixes at the delimiter, within the prefix', async () => {
    const top = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }));
    expect(top.Contents!.map((c) => c.Key)).toEqual(['a.txt', 'c', 'z']);
    expect(top.CommonPrefixes!.map((c) => c.Prefix)).toEqual(['b/', 'd/', 'e/']);
    expect(top.KeyCount).toBe(6);
    expect(top.Delimiter).toBe('/');

    const b = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'b/', Delimiter: '/' }));
    expect(b.Contents!.map((c) => c.Key)).toEqual(['b/1', 'b/2']);
    expect(b.CommonPrefixes!.map((c) => c.Prefix)).toEqual(['b/c/']);
    expect(b.Prefix).toBe('b/');

    // a key equal to the prefix plus the delimiter is a key of its own
    const e = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'e/', Delimiter: '/' }));
    expect(e.Contents!.map((c) => c.Key)).toEqual(['e/', 'e/f']);

    const none = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'nothing' }));
    expect(none.Contents).toBeUndefined();
    expect(none.KeyCount).toBe(0);

    // an empty delimiter is no delimiter
    const empty = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '' }));
    expect(empty.Contents).toHaveLength(TREE.length);
    expect(empty.CommonPrefixes).toBeUndefined();
  });

  it('pages through keys and common prefixes with opaque continuation tokens (paginator)', async () => {
    for (const size of [1, 2, 3, 4]) {
      const flat = await allV2({ Bucket: bucket }, size);
      expect(flat.keys).toEqual(TREE);
      expect(flat.pages).toHaveLength(Math.ceil(TREE.length / size));
      for (const page of flat.pages.slice(0, -1)) {
        expect(page.IsTruncated).toBe(true);
        expect(page.KeyCount).toBe(size);
        // opaque: not the key itself
        expect(TREE).not.toContain(page.NextContinuationToken);
      }
      expect(flat.pages.at(-1)!.IsTruncated).toBe(false);

      const rolled = await allV2({ Bucket: bucket, Delimiter: '/' }, size);
      expect(rolled.keys).toEqual(['a.txt', 'c', 'z']);
      // a page that ends on a common prefix does not show it again on the next page
      expect(rolled.prefixes).toEqual(['b/', 'd/', 'e/']);
    }
    const second = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 2 }));
    const next = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 2, ContinuationToken: second.NextContinuationToken }));
    expect(next.ContinuationToken).toBe(second.NextContinuationToken);
    expect(next.Contents!.map((c) => c.Key)).toEqual(['b/2', 'b/c/3']);
  });

  it('starts after start-after, and a continuation token wins over it', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: 'b/2' }));
    expect(out.Contents!.map((c) => c.Key)).toEqual(TREE.slice(TREE.indexOf('b/2') + 1));
    expect(out.StartAfter).toBe('b/2');
    const between = await s3.send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: 'b/25' }));
    expect(between.Contents![0]!.Key).toBe('b/c/3');
    const first = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
    const both = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1, StartAfter: 'd', ContinuationToken: first.NextContinuationToken }));
    expect(both.Contents!.map((c) => c.Key)).toEqual(['b/1']);
  });

  it('takes max-keys 0 (nothing, not truncated) and caps it at 1000', async () => {
    const zero = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 0 }));
    expect(zero).toMatchObject({ KeyCount: 0, MaxKeys: 0, IsTruncated: false });
    expect(zero.Contents).toBeUndefined();

    const keys = Array.from({ length: 1003 }, (_, i) => `k${String(i).padStart(4, '0')}`);
    const big = await bucketWith(keys);
    const capped = await s3.send(new ListObjectsV2Command({ Bucket: big, MaxKeys: 5000 }));
    expect(capped.Contents).toHaveLength(1000);
    expect(capped.MaxKeys).toBe(1000);
    expect(capped.IsTruncated).toBe(true);
    const byDefault = await s3.send(new ListObjectsV2Command({ Bucket: big }));
    expect(byDefault.Contents).toHaveLength(1000);
    const rest = await s3.send(new ListObjectsV2Command({ Bucket: big, ContinuationToken: byDefault.NextContinuationToken }));
    expect(rest.Contents!.map((c) => c.Key)).toEqual(keys.slice(1000));
    expect(rest.IsTruncated).toBe(false);
    const v1 = await s3.send(new ListObjectsCommand({ Bucket: big }));
    expect(v1.Contents).toHaveLength(1000);
    expect(v1.IsTruncated).toBe(true);
  });

  it('URL-encodes keys, prefixes, the delimiter and start-after under encoding-type=url', async () => {
    const keys = ['a b/1', 'a+b/2', '100%.csv', '한글/x.txt', 'q?x=1&y#z', 'tab\there'];
    const enc = await bucketWith(keys);
    const out = await s3.send(new ListObjectsV2Command({ Bucket: enc, EncodingType: 'url', Delimiter: '/', StartAfter: '1 0' }));
    expect(out.EncodingType).toBe('url');
    expect(out.StartAfter).toBe('1%200');
    expect(out.Delimiter).toBe('/');
    expect(out.CommonPrefixes!.map((c) => c.Prefix)).toEqual(['a%20b/', 'a%2Bb/', '%ED%95%9C%EA%B8%80/']);
    expect(out.Contents!.map((c) => c.Key)).toEqual(['100%25.csv', 'q%3Fx%3D1%26y%23z', 'tab%09here']);
    // the encoded names decode to the keys
    expect(out.Contents!.map((c) => decodeURIComponent(c.Key!))).toEqual(['100%.csv', 'q?x=1&y#z', 'tab\there']);

    const prefixed = await s3.send(new ListObjectsV2Command({ Bucket: enc, EncodingType: 'url', Prefix: 'a b/', Delimiter: '#' }));
    expect(prefixed.Prefix).toBe('a%20b/');
    expect(prefixed.Delimiter).toBe('%23');
    expect(prefixed.Contents!.map((c) => c.Key)).toEqual(['a%20b/1']);

    const plain = await s3.send(new ListObjectsV2Command({ Bucket: enc, Prefix: 'a b/' }));
    expect(plain.EncodingType).toBeUndefined();
    expect(plain.Contents!.map((c) => c.Key)).toEqual(['a b/1']);
  });

  it('shows the checksum algorithm of objects stored with a checksum', async () => {
    const sums = await bucketWith([]);
    await s3.send(new PutObjectCommand({ Bucket: sums, Key: 'sha', Body: 'x', ChecksumAlgorithm: 'SHA256' }));
    await s3.send(new PutObjectCommand({ Bucket: sums, Key: 'crc', Body: 'x', ChecksumAlgorithm: 'CRC32C' }));
    const out = await s3.send(new ListObjectsV2Command({ Bucket: sums }));
    expect(out.Contents!.map((c) => [c.Key, c.ChecksumAlgorithm])).toEqual([
      ['crc', ['CRC32C']],
      ['sha', ['SHA256']],
    ]);
  });
});

describe('key order', () => {
  // UTF-16 puts U+1F600 (a surrogate pair) before U+E000 and U+FFFD; UTF-8, as S3, after them
  const keys = ['a', '\u{E000}', '\u{FFFD}', '\u{1F600}', '\u{1F600}x', 'é', 'z'];
  const utf8 = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));

  it('is the order of the keys UTF-8 bytes, across pages and start-after', async () => {
    expect(utf8).not.toEqual([...keys].sort());
    const bucket = await bucketWith(keys);
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(out.Contents!.map((c) => c.Key)).toEqual(utf8);
    expect((await allV2({ Bucket: bucket }, 1)).keys).toEqual(utf8);
    expect((await allV1({ Bucket: bucket, MaxKeys: 2 })).keys).toEqual(utf8);
    const after = await s3.send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: '\u{FFFD}' }));
    expect(after.Contents!.map((c) => c.Key)).toEqual(['\u{1F600}', '\u{1F600}x']);
    const prefixed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: '\u{1F600}' }));
    expect(prefixed.Contents!.map((c) => c.Key)).toEqual(['\u{1F600}', '\u{1F600}x']);
  });

  it('stays right as keys come and go after the first listing', async () => {
    const bucket = await bucketWith(['m', 'c', 'x']);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents!.map((c) => c.Key)).toEqual(['c', 'm', 'x']);
    // more than one block of the index (512 keys), in an order that is not the listing order
    const added = Array.from({ length: 700 }, (_, i) => `n/${(i * 7919) % 700}`);
    for (let i = 0; i < added.length; i += 50) {
      await Promise.all(added.slice(i, i + 50).map((Key) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: '-' }))));
    }
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'm' }));
    for (let i = 0; i < 100; i++) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: `n/${i * 3}` }));
    const expected = ['c', ...added.filter((k) => !(Number(k.slice(2)) % 3 === 0 && Number(k.slice(2)) < 300)), 'x'].sort();
    const listed = await allV2({ Bucket: bucket }, 1000);
    expect(listed.keys).toEqual(expected);
    const top = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }));
    expect(top.Contents!.map((c) => c.Key)).toEqual(['c', 'x']);
    expect(top.CommonPrefixes!.map((c) => c.Prefix)).toEqual(['n/']);
  });
});

describe('the AWS CLI (botocore asks for encoding-type=url and decodes the answer)', () => {
  it('pages through keys that URL-encoding changes, whole', async () => {
    const keys = ['a b/1', 'a+b/2', '100%.csv', '한글/x.txt', 'q?x=1&y#z', '\u{1F600}', '\u{E000}', 'plain'];
    const bucket = await bucketWith(keys);
    const utf8 = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    const v2 = await aws(rt.endpoint, ['s3api', 'list-objects-v2', '--bucket', bucket, '--page-size', '2']);
    expect(v2.code, v2.stderr).toBe(0);
    expect(v2.json.Contents.map((c: { Key: string }) => c.Key)).toEqual(utf8);
    const v1 = await aws(rt.endpoint, ['s3api', 'list-objects', '--bucket', bucket, '--delimiter', '/', '--page-size', '1']);
    expect(v1.code, v1.stderr).toBe(0);
    expect(v1.json.CommonPrefixes.map((c: { Prefix: string }) => c.Prefix)).toEqual(['a b/', 'a+b/', '한글/']);
    const versions = await aws(rt.endpoint, ['s3api', 'list-object-versions', '--bucket', bucket, '--page-size', '3']);
    expect(versions.code, versions.stderr).toBe(0);
    expect(versions.json.Versions.map((v: { Key: string; VersionId: string }) => [v.Key, v.VersionId])).toEqual(utf8.map((k) => [k, 'null']));
  });
});

describe('the answer on the wire', () => {
  it('is rooted as S3 roots it, with encoded names', async () => {
    const bucket = await bucketWith(['a b']);
    const v2 = await getSignedUrl(s3, new ListObjectsV2Command({ Bucket: bucket, EncodingType: 'url' }));
    const text = await (await fetch(v2)).text();
    expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\s*<ListBucketResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
    expect(text).toContain('<Key>a%20b</Key>');
    expect(text).toContain('<EncodingType>url</EncodingType>');
    const versions = await (await fetch(await getSignedUrl(s3, new ListObjectVersionsCommand({ Bucket: bucket })))).text();
    expect(versions).toMatch(/<ListVersionsResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
    expect(versions).toContain('<VersionId>null</VersionId>');
  });
});

describe('the sorted key index', () => {
  it('agrees with a sorted array through random inserts, removes and seeks', () => {
    const alphabet = ['a', 'b', '/', '\u{E000}', '\u{1F600}', 'é'];
    const randomKey = () => Array.from({ length: 1 + Math.floor(Math.random() * 4) }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
    const index = new SortedKeys();
    const reference = new Set<string>();
    for (let step = 0; step < 20_000; step++) {
      const key = randomKey();
      if (Math.random() < 0.6) {
        index.insert(key);
        reference.add(key);
      } else {
        index.remove(key);
        reference.delete(key);
      }
    }
    const sorted = [...reference].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(sorted.length).toBeGreaterThan(600);
    expect([...index.from(() => false)]).toEqual(sorted);
    for (let i = 0; i < 200; i++) {
      const bound = randomKey();
      expect([...index.from((k) => compareKeys(k, bound) <= 0)]).toEqual(sorted.filter((k) => Buffer.compare(Buffer.from(k), Buffer.from(bound)) > 0));
    }
  });
});

describe('ListObjects (V1)', () => {
  let bucket: string;
  beforeAll(async () => {
    bucket = await bucketWith(TREE);
  });

  it('lists with Marker, owners always, and NextMarker only with a delimiter', async () => {
    const out = await s3.send(new ListObjectsCommand({ Bucket: bucket }));
    expect(out.Contents!.map((c) => c.Key)).toEqual(TREE);
    expect(out).toMatchObject({ Name: bucket, Prefix: '', Marker: '', MaxKeys: 1000, IsTruncated: false });
    expect(out.Contents![0]!.Owner!.ID).toMatch(/^[0-9a-f]{64}$/);

    const page = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 3 }));
    expect(page.IsTruncated).toBe(true);
    expect(page.NextMarker).toBeUndefined();
    const after = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 3, Marker: 'b/2' }));
    expect(after.Marker).toBe('b/2');
    expect(after.Contents!.map((c) => c.Key)).toEqual(['b/c/3', 'c', 'd/x/1']);

    const all = await allV1({ Bucket: bucket, MaxKeys: 3 });
    expect(all.keys).toEqual(TREE);
    expect(all.nextMarkers.every((m) => m === undefined)).toBe(true);
  });

  it('pages through common prefixes with NextMarker', async () => {
    for (const size of [1, 2, 4]) {
      const all = await allV1({ Bucket: bucket, MaxKeys: size, Delimiter: '/' });
      expect(all.keys).toEqual(['a.txt', 'c', 'z']);
      expect(all.prefixes).toEqual(['b/', 'd/', 'e/']);
      expect(all.nextMarkers.slice(0, -1).every((m) => m !== undefined)).toBe(true);
      expect(all.nextMarkers.at(-1)).toBeUndefined();
    }
    const first = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 2, Delimiter: '/' }));
    expect(first.NextMarker).toBe('b/');
    const enc = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 1, Delimiter: '/', Marker: 'a.txt', EncodingType: 'url', Prefix: '' }));
    expect(enc).toMatchObject({ EncodingType: 'url', NextMarker: 'b/', Marker: 'a.txt' });
  });
});

describe('delete markers', () => {
  it('hides keys whose latest version is a delete marker, and prefixes with only such keys', async () => {
    const bucket = await bucketWith([]);
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    for (const Key of ['gone/1', 'gone/2', 'kept', 'half/1', 'half/2']) await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }));
    for (const Key of ['gone/1', 'gone/2', 'half/1', 'never']) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
    const flat = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(flat.Contents!.map((c) => c.Key)).toEqual(['half/2', 'kept']);
    const rolled = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }));
    expect(rolled.CommonPrefixes!.map((c) => c.Prefix)).toEqual(['half/']);
    expect(rolled.Contents!.map((c) => c.Key)).toEqual(['kept']);
    expect((await allV2({ Bucket: bucket }, 1)).keys).toEqual(['half/2', 'kept']);
    const v1 = await s3.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: '/' }));
    expect(v1.CommonPrefixes!.map((c) => c.Prefix)).toEqual(['half/']);
  });
});

describe('bad input', () => {
  let bucket: string;
  beforeAll(async () => {
    bucket = await bucketWith(['one', 'two']);
  });

  it('refuses a negative max-keys', async () => {
    for (const call of [() => s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: -1 })), () => s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: -1 }))]) {
      const e = await sdkError(call());
      expect(e).toMatchObject({ name: 'InvalidArgument', status: 400, message: 'Argument maxKeys must be an integer between 0 and 2147483647' });
    }
  });

  it('refuses a max-keys that is not a 32-bit integer (sent as written, through a middleware)', async () => {
    const raw = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true, maxAttempts: 1 });
    let text = '';
    raw.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { query: Record<string, string> }).query['max-keys'] = text;
        return next(args);
      },
      { step: 'build' },
    );
    try {
      for (text of ['abc', '1.5', ' 1', '2147483648', '']) {
        for (const call of [() => raw.send(new ListObjectsV2Command({ Bucket: bucket })), () => raw.send(new ListObjectsCommand({ Bucket: bucket })), () => raw.send(new ListObjectVersionsCommand({ Bucket: bucket }))]) {
          const e = await sdkError(call());
          expect(e, text).toMatchObject({ name: 'InvalidArgument', status: 400, message: 'Provided max-keys not an integer or within integer range' });
        }
      }
      text = '-01';
      expect(await sdkError(raw.send(new ListObjectsV2Command({ Bucket: bucket })))).toMatchObject({ name: 'InvalidArgument', message: 'Argument maxKeys must be an integer between 0 and 2147483647' });
      text = '2147483647';
      expect((await raw.send(new ListObjectsV2Command({ Bucket: bucket }))).MaxKeys).toBe(1000);
      text = '007';
      expect((await raw.send(new ListObjectsV2Command({ Bucket: bucket }))).MaxKeys).toBe(7);
    } finally {
      raw.destroy();
    }
  });

  it('refuses a continuation token it did not give', async () => {
    const good = (await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }))).NextContinuationToken!;
    const tampered = good.slice(0, -2) + (good.endsWith('A') ? 'BB' : 'AA');
    for (const token of ['garbage', 'Zzp4', '', '!!!', tampered, Buffer.from('Kone').toString('base64url')]) {
      const e = await sdkError(s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token })));
      expect(e, token).toMatchObject({ name: 'InvalidArgument', status: 400, message: 'The continuation token provided is incorrect' });
    }
  });

  it('refuses an encoding type other than url', async () => {
    const v2 = await sdkError(s3.send(new ListObjectsV2Command({ Bucket: bucket, EncodingType: 'base64' as 'url' })));
    expect(v2).toMatchObject({ name: 'InvalidArgument', status: 400, message: 'Invalid Encoding Method specified in Request' });
    const v1 = await sdkError(s3.send(new ListObjectsCommand({ Bucket: bucket, EncodingType: 'xml' as 'url' })));
    expect(v1).toMatchObject({ name: 'InvalidArgument', status: 400 });
  });

  it('answers NoSuchBucket with the bucket name for an unknown bucket', async () => {
    for (const call of [() => s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket-listing' })), () => s3.send(new ListObjectsCommand({ Bucket: 'no-such-bucket-listing' }))]) {
      try {
        await call();
        throw new Error('expected NoSuchBucket');
      } catch (e) {
        const err = e as Error & { BucketName?: string; $metadata: { httpStatusCode?: number } };
        expect(err.name).toBe('NoSuchBucket');
        expect(err.$metadata.httpStatusCode).toBe(404);
        expect(err.BucketName).toBe('no-such-bucket-listing');
      }
    }
  });

  it('still serves after refusing, with nothing changed', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(out.Contents!.map((c) => c.Key)).toEqual(['one', 'two']);
    expect(rt.child.exitCode).toBeNull();
  });
});
