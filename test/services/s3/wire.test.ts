/**
 * S3's answers on the wire, read raw: each document is rooted as S3 roots it, in S3's
 * namespace, whatever the SDKs (which ignore the root) would accept.
 */
import { createHash } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';

let rt: RuntimeProcess;
const AUTH = 'AWS4-HMAC-SHA256 Credential=test/20261122/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0';
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const r = await fetch(`${rt.endpoint}${path}`, { method, body, headers: { authorization: AUTH, ...headers } });
  return { status: r.status, text: await r.text() };
}

const md5 = (text: string) => createHash('md5').update(text).digest('base64');

function root(text: string): string {
  return /^<\?xml[^>]*\?>\s*<([A-Za-z]+)([^>]*)>/.exec(text)?.[1] ?? `(no root in ${text.slice(0, 80)})`;
}

beforeAll(async () => {
  rt = await startRuntime();
  expect((await call('PUT', '/wire-bucket')).status).toBe(200);
  expect((await call('PUT', '/wire-bucket/k', 'hello')).status).toBe(200);
});
afterAll(async () => {
  await rt?.stop();
});

describe('S3 answer documents', () => {
  it('are rooted as S3 roots them, in its namespace', async () => {
    const tagging = '<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag></TagSet></Tagging>';
    expect((await call('PUT', '/wire-bucket?tagging', tagging, { 'content-md5': md5(tagging) })).status).toBeLessThan(300);
    const upload = await call('POST', '/wire-bucket/mp?uploads');
    expect(root(upload.text)).toBe('InitiateMultipartUploadResult');
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(upload.text)![1]!;
    const cases: Array<[string, string, string]> = [
      ['GET', '/', 'ListAllMyBucketsResult'],
      ['GET', '/wire-bucket?versioning', 'VersioningConfiguration'],
      ['GET', '/wire-bucket?tagging', 'Tagging'],
      ['GET', '/wire-bucket?acl', 'AccessControlPolicy'],
      ['GET', '/wire-bucket/k?acl', 'AccessControlPolicy'],
      ['GET', '/wire-bucket/k?tagging', 'Tagging'],
      ['GET', '/wire-bucket?uploads', 'ListMultipartUploadsResult'],
      ['GET', `/wire-bucket/mp?uploadId=${uploadId}`, 'ListPartsResult'],
      ['GET', '/wire-bucket?list-type=2', 'ListBucketResult'],
      ['GET', '/wire-bucket?location', 'LocationConstraint'],
    ];
    for (const [method, path, expected] of cases) {
      const r = await call(method, path);
      expect(r.status, `${method} ${path}: ${r.text}`).toBe(200);
      expect(root(r.text), `${method} ${path}`).toBe(expected);
      expect(r.text, `${method} ${path}`).toContain(NS);
    }
    const doc = '<Delete><Object><Key>k</Key></Object></Delete>';
    const deleted = await call('POST', '/wire-bucket?delete', doc, { 'content-md5': md5(doc) });
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::wire-bucket/*' }] });
    expect((await call('PUT', '/wire-bucket?policy', policy)).status).toBe(204);
    expect(root(deleted.text), deleted.text).toBe('DeleteResult');
  });

  it('a document whose Content-MD5 is wrong or invalid is refused, and nothing changes', async () => {
    const tagging = '<Tagging><TagSet><Tag><Key>b</Key><Value>2</Value></Tag></TagSet></Tagging>';
    const bad = await call('PUT', '/wire-bucket?tagging', tagging, { 'content-md5': md5('something else') });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<Code>BadDigest</Code>');
    const invalid = await call('PUT', '/wire-bucket?tagging', tagging, { 'content-md5': 'not-an-md5' });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('<Code>InvalidDigest</Code>');
    const kept = await call('GET', '/wire-bucket?tagging');
    expect(kept.text).toContain('<Key>a</Key>');
    expect(kept.text).not.toContain('<Key>b</Key>');
  });

  it('a document whose x-amz-checksum-* is wrong is refused; a right one is taken', async () => {
    const tagging = '<Tagging><TagSet><Tag><Key>c</Key><Value>3</Value></Tag></TagSet></Tagging>';
    const crc32 = (text: string) => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(zlibCrc32(Buffer.from(text)));
      return b.toString('base64');
    };
    const wrong = await call('PUT', '/wire-bucket?tagging', tagging, { 'x-amz-checksum-crc32': crc32('other') });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('<Code>BadDigest</Code>');
    expect(wrong.text).toContain('The CRC32 you specified did not match the calculated checksum.');
    const invalid = await call('PUT', '/wire-bucket?tagging', tagging, { 'x-amz-checksum-crc32': 'not base64!' });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('<Code>InvalidRequest</Code>');
    expect((await call('GET', '/wire-bucket?tagging')).text).not.toContain('<Key>c</Key>');
    const right = await call('PUT', '/wire-bucket?tagging', tagging, { 'x-amz-checksum-crc32': crc32(tagging) });
    expect(right.status, right.text).toBeLessThan(300);
    expect((await call('GET', '/wire-bucket?tagging')).text).toContain('<Key>c</Key>');
  });

  it('errors are a bare <Error> with the request id and host id', async () => {
    const r = await call('GET', '/wire-bucket/missing');
    expect(r.status).toBe(404);
    expect(root(r.text)).toBe('Error');
    expect(r.text).toMatch(/<Code>NoSuchKey<\/Code><Message>[^<]+<\/Message><Key>missing<\/Key><RequestId>[^<]+<\/RequestId><HostId>[^<]+<\/HostId><\/Error>$/);
  });
});
