/**
 * S3 access paths against the real runtime: virtual-host addressing (the SDK without
 * forcePathStyle, raw requests with a Host header), presigned URLs (SigV4 from the SDK
 * presigner and the AWS CLI, SigV2 by hand; expiry and malformed parameters; signatures
 * checked with S3_SKIP_SIGNATURE_VALIDATION=0), and the S3 error document (HostId,
 * x-amz-request-id, x-amz-id-2).
 *
 * Virtual hosts (*.localhost.localstack.cloud, *.localhost) do not resolve offline: the SDK
 * gets an http.Agent whose lookup sends them to 127.0.0.1.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import type { LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteObjectCommand, GetBucketLocationCommand, GetBucketVersioningCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../../support/aws-cli.js';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

/** LOCALSTACK_HOST of the runtime under test: its name must work as a virtual-host domain too. */
const LOCALSTACK_HOST_NAME = 's3emu.test';

const lookup: LookupFunction = (hostname, options, callback) => {
  const local = hostname === 'localhost' || hostname.endsWith('.localhost') || hostname.endsWith('.localhost.localstack.cloud') || hostname.endsWith(`.${LOCALSTACK_HOST_NAME}`);
  if (!local) {
    dnsLookup(hostname, options, callback);
    return;
  }
  if (options.all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};
const agent = new http.Agent({ lookup, keepAlive: true });

let rt: RuntimeProcess;
let s3: S3Client;

beforeAll(async () => {
  rt = await startRuntime({ env: { LOCALSTACK_HOST: `${LOCALSTACK_HOST_NAME}:4566` } });
  s3 = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true, maxAttempts: 1 });
});
afterAll(async () => {
  agent.destroy();
  await rt?.stop();
});

/** An S3 client addressing buckets as virtual hosts of `endpoint` (no forcePathStyle). */
function virtualClient(endpoint: string): S3Client {
  return new S3Client({ ...clientConfig(endpoint), maxAttempts: 1, requestHandler: { httpAgent: agent } });
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request to the runtime with the Host header given (fetch cannot set Host). */
function raw(method: string, path: string, host: string, body?: string, headers: Record<string, string> = {}, port = rt.port): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: { host, ...headers }, agent: false }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The text of an element of an XML document. */
function xmlField(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

async function expectUp(): Promise<void> {
  const res = await fetch(`${rt.endpoint}/_localstack/health`);
  expect(res.status).toBe(200);
  await res.arrayBuffer();
}

describe('virtual-host addressing', () => {
  it('the SDK without forcePathStyle works against s3.localhost.localstack.cloud: keys keep slashes and encoding', async () => {
    const client = virtualClient(`http://s3.localhost.localstack.cloud:${rt.port}`);
    const bucket = 'vhost-sdk';
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const keys = ['dir/', 'dir/sub/file.txt', 'a b+c%.txt', 'ünïcödé/ключ', '/leading-slash'];
    for (const key of keys) await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}` }));
    // what went in by virtual host is there by path style, under the same keys
    for (const key of keys) {
      const viaPath = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect(await viaPath.Body!.transformToString()).toBe(`body of ${key}`);
      const viaVhost = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect(await viaVhost.Body!.transformToString()).toBe(`body of ${key}`);
    }
    // bucket-level requests address the bucket itself
    expect((await client.send(new GetBucketLocationCommand({ Bucket: bucket }))).LocationConstraint).toBeFalsy();
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'dir/' }));
    expect((await sdkError(client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dir/' })))).status).toBe(404);
    // the trailing slash is part of the key: dir/sub/file.txt is still there
    expect((await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dir/sub/file.txt' }))).ContentLength).toBe('body of dir/sub/file.txt'.length);
  });

  it('the SDK with endpoint http://localhost:PORT addresses <bucket>.localhost', async () => {
    const client = virtualClient(`http://localhost:${rt.port}`);
    const bucket = 'vhost-localhost';
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k/', Body: 'x' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k/' }));
    expect(await got.Body!.transformToString()).toBe('x');
    // a missing key is S3's NoSuchKey, routed like any other request of the bucket
    const e = await sdkError(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' })));
    expect(e.name).toBe('NoSuchKey');
  });

  it('raw requests: every virtual-host form is rewritten to path style, s3.<domain> alone stays path style', async () => {
    const bucket = 'vhost.raw-forms';
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a b/c%2Fd/', Body: 'payload' }));
    const hosts = [
      `${bucket}.s3.${LOCALSTACK_HOST_NAME}:4566`,
      `${bucket}.s3.${LOCALSTACK_HOST_NAME}`,
      `${bucket}.s3.localhost.localstack.cloud:${rt.port}`,
      `${bucket}.s3.eu-west-1.localhost.localstack.cloud`,
      `${bucket}.s3.amazonaws.com`,
      `${bucket}.s3.us-west-2.amazonaws.com`,
      `${bucket}.S3.LOCALHOST.LOCALSTACK.CLOUD`,
      `${bucket}.localhost:${rt.port}`,
    ];
    for (const host of hosts) {
      const res = await raw('GET', '/a%20b/c%252Fd/', host);
      expect([host, res.status, res.body]).toEqual([host, 200, 'payload']);
    }
    // path style on the bare S3 host
    const pathStyle = await raw('GET', `/${bucket}/a%20b/c%252Fd/`, `s3.localhost.localstack.cloud:${rt.port}`);
    expect(pathStyle.status).toBe(200);
    expect(pathStyle.body).toBe('payload');
    // the root of a virtual host is the bucket: bucket subresources
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const versioning = await raw('GET', '/?versioning', `${bucket}.s3.localhost.localstack.cloud`);
    expect(versioning.status).toBe(200);
    expect(xmlField(versioning.body, 'Status')).toBe('Enabled');
    expect((await raw('HEAD', '/', `${bucket}.localhost`)).status).toBe(200);
    expect((await raw('HEAD', '/', 'not-a-bucket-yet.localhost')).status).toBe(404);
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
    // a key without its trailing slash is another key
    const other = await raw('GET', '/a%20b/c%252Fd', `${bucket}.s3.localhost.localstack.cloud`);
    expect(other.status).toBe(404);
    expect(xmlField(other.body, 'Code')).toBe('NoSuchKey');
    // a virtual host of a bucket that does not exist
    const missing = await raw('GET', '/key', 'no-such-bucket-here.s3.localhost.localstack.cloud');
    expect(missing.status).toBe(404);
    expect(xmlField(missing.body, 'Code')).toBe('NoSuchBucket');
    expect(xmlField(missing.body, 'BucketName')).toBe('no-such-bucket-here');
  });

  it('PUT through a virtual host creates the bucket and its objects', async () => {
    const host = `vhost-put.s3.localhost.localstack.cloud:${rt.port}`;
    expect((await raw('PUT', '/', host)).status).toBe(200);
    expect((await raw('PUT', '/x/y.txt', host, 'data', { 'content-type': 'text/plain' })).status).toBe(200);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'vhost-put', Key: 'x/y.txt' }));
    expect(head.ContentType).toBe('text/plain');
    expect(head.ContentLength).toBe(4);
  });
});

describe('presigned URLs', () => {
  const bucket = 'presigned';
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  it('a presigned PUT uploads and a presigned GET downloads (SDK presigner + undici)', async () => {
    const put = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: 'up/file.bin', ContentType: 'application/x-test' }), { expiresIn: 300 });
    expect(put).toContain('X-Amz-Signature=');
    const body = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 251));
    const uploaded = await fetch(put, { method: 'PUT', body, headers: { 'content-type': 'application/x-test' } });
    expect(uploaded.status).toBe(200);
    expect(await uploaded.text()).toBe('');
    const get = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'up/file.bin' }), { expiresIn: 300 });
    const downloaded = await fetch(get);
    expect(downloaded.status).toBe(200);
    expect(downloaded.headers.get('content-type')).toBe('application/x-test');
    expect(Buffer.from(await downloaded.arrayBuffer()).equals(body)).toBe(true);
  });

  it('a presigned URL of a virtual-host client works too', async () => {
    const client = virtualClient(`http://s3.localhost.localstack.cloud:${rt.port}`);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'vh key.txt', Body: 'vh' }));
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: 'vh key.txt' }), { expiresIn: 60 });
    expect(new URL(url).hostname).toBe(`${bucket}.s3.localhost.localstack.cloud`);
    const u = new URL(url);
    const res = await raw('GET', `${u.pathname}${u.search}`, u.host);
    expect(res.status).toBe(200);
    expect(res.body).toBe('vh');
  });

  it('an expired presigned URL is 403 AccessDenied "Request has expired", with the fields S3 writes', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'short-lived', Body: 'secret' }));
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'short-lived' }), { expiresIn: 1 });
    expect((await fetch(url)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2100));
    const res = await fetch(url);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/xml');
    const xml = await res.text();
    expect(xml).not.toContain('secret');
    expect(xmlField(xml, 'Code')).toBe('AccessDenied');
    expect(xmlField(xml, 'Message')).toBe('Request has expired');
    expect(xmlField(xml, 'X-Amz-Expires')).toBe('1');
    const q = new URL(url).searchParams;
    const signed = q.get('X-Amz-Date')!.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z');
    expect(xmlField(xml, 'Expires')).toBe(new Date(Date.parse(signed) + 1000).toISOString().replace('.000Z', 'Z'));
    const serverTime = Date.parse(xmlField(xml, 'ServerTime')!);
    expect(Math.abs(serverTime - Date.now())).toBeLessThan(5000);
    expect(xml.indexOf('<X-Amz-Expires>')).toBeLessThan(xml.indexOf('<Expires>'));
    expect(xml.indexOf('<Expires>')).toBeLessThan(xml.indexOf('<ServerTime>'));
    // an expired presigned PUT writes nothing
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: 'late-upload' }), { expiresIn: 1 });
    await new Promise((r) => setTimeout(r, 2100));
    const put = await fetch(putUrl, { method: 'PUT', body: 'too late' });
    expect(put.status).toBe(403);
    await put.arrayBuffer();
    expect((await sdkError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'late-upload' })))).status).toBe(404);
  });

  it('malformed presigned parameters are refused as S3 refuses them', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'p', Body: 'p' }));
    const url = new URL(await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'p' }), { expiresIn: 60 }));
    const cases: Array<[string, (q: URLSearchParams) => void, number, string, string]> = [
      ['a week and a second', (q) => q.set('X-Amz-Expires', '604801'), 400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be less than a week (in seconds) that is 604800'],
      ['negative expiry', (q) => q.set('X-Amz-Expires', '-5'), 400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be non-negative'],
      ['expiry not a number', (q) => q.set('X-Amz-Expires', 'soon'), 400, 'AuthorizationQueryParametersError', 'X-Amz-Expires should be a number'],
      ['unparsable date', (q) => q.set('X-Amz-Date', '2024-01-01T00:00:00Z'), 400, 'AuthorizationQueryParametersError', 'X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"'],
      ['impossible date', (q) => q.set('X-Amz-Date', '20241345T250000Z'), 400, 'AuthorizationQueryParametersError', 'X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"'],
      ['no signature', (q) => q.delete('X-Amz-Signature'), 400, 'AuthorizationQueryParametersError', 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.'],
      ['unknown algorithm', (q) => q.set('X-Amz-Algorithm', 'AWS4-HMAC-MD5'), 400, 'AuthorizationQueryParametersError', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256" and "AWS4-ECDSA-P256-SHA256"'],
      ['mal-formed credential', (q) => q.set('X-Amz-Credential', 'test/20240101/us-east-1'), 400, 'AuthorizationQueryParametersError', 'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'],
    ];
    for (const [what, change, status, code, message] of cases) {
      const u = new URL(url);
      change(u.searchParams);
      const res = await fetch(u);
      const xml = await res.text();
      expect([what, res.status, xmlField(xml, 'Code'), xmlField(xml, 'Message')?.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>')]).toEqual([what, status, code, message]);
      expect(xml).not.toContain('<Body>');
    }
    await expectUp();
  });

  it('SigV2 query authentication: a valid URL reads, an expired one is 403, an incomplete one AccessDenied', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'v2 key', Body: 'sigv2 body' }));
    const sign = (expires: number) => {
      const signature = createHmac('sha1', 'test').update(`GET\n\n\n${expires}\n/${bucket}/v2%20key`).digest('base64');
      return `${rt.endpoint}/${bucket}/v2%20key?AWSAccessKeyId=test&Expires=${expires}&Signature=${encodeURIComponent(signature)}`;
    };
    const ok = await fetch(sign(Math.floor(Date.now() / 1000) + 60));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('sigv2 body');
    const expiresAt = Math.floor(Date.now() / 1000) - 10;
    const expired = await fetch(sign(expiresAt));
    expect(expired.status).toBe(403);
    const xml = await expired.text();
    expect(xmlField(xml, 'Code')).toBe('AccessDenied');
    expect(xmlField(xml, 'Message')).toBe('Request has expired');
    expect(xmlField(xml, 'Expires')).toBe(new Date(expiresAt * 1000).toISOString().replace('.000Z', 'Z'));
    expect(xmlField(xml, 'ServerTime')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const incomplete = await fetch(`${rt.endpoint}/${bucket}/v2%20key?AWSAccessKeyId=test&Signature=abc`);
    expect(incomplete.status).toBe(403);
    const text = await incomplete.text();
    expect(xmlField(text, 'Message')).toBe('Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters');
    const badDate = await fetch(`${rt.endpoint}/${bucket}/v2%20key?AWSAccessKeyId=test&Signature=abc&Expires=tomorrow`);
    expect(badDate.status).toBe(403);
    expect(xmlField(await badDate.text(), 'Message')).toBe('Invalid date (should be seconds since epoch): tomorrow');
  });

  it('the AWS CLI: aws s3 presign (SigV2 by default in CLI v1, SigV4 with signature_version s3v4), then an unauthenticated fetch', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cli/obj 1.txt', Body: 'from the cli' }));
    const dir = mkdtempSync(join(tmpdir(), 'aws-config-'));
    const v4Config = join(dir, 'config');
    writeFileSync(v4Config, '[default]\ns3 =\n  signature_version = s3v4\n');
    try {
      for (const env of [{}, { AWS_CONFIG_FILE: v4Config }] as Array<Record<string, string>>) {
        const presigned = await aws(rt.endpoint, ['s3', 'presign', `s3://${bucket}/cli/obj 1.txt`, '--expires-in', '120'], env);
        expect(presigned.code).toBe(0);
        const url = presigned.stdout.trim();
        expect(url).toContain(env.AWS_CONFIG_FILE ? 'X-Amz-Signature=' : 'Signature=');
        const res = await fetch(url);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe('from the cli');
      }
      // SigV4 URLs live a week at most; botocore signs a longer one, S3 refuses it
      const tooLong = await aws(rt.endpoint, ['s3', 'presign', `s3://${bucket}/cli/obj 1.txt`, '--expires-in', '604801'], { AWS_CONFIG_FILE: v4Config });
      expect(tooLong.code).toBe(0);
      const r = await fetch(tooLong.stdout.trim());
      expect(r.status).toBe(400);
      const xml = await r.text();
      expect(xmlField(xml, 'Code')).toBe('AuthorizationQueryParametersError');
      expect(xmlField(xml, 'Message')).toBe('X-Amz-Expires must be less than a week (in seconds) that is 604800');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('signatures are not checked by default (S3_SKIP_SIGNATURE_VALIDATION=1)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'unchecked', Body: 'u' }));
    const url = new URL(await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'unchecked' }), { expiresIn: 60 }));
    url.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('u');
  });
});

describe('presigned URL signatures with S3_SKIP_SIGNATURE_VALIDATION=0', () => {
  let strict: RuntimeProcess;
  let client: S3Client;
  const bucket = 'strict-signatures';
  beforeAll(async () => {
    strict = await startRuntime({ env: { S3_SKIP_SIGNATURE_VALIDATION: '0' } });
    client = new S3Client({ ...clientConfig(strict.endpoint), forcePathStyle: true, maxAttempts: 1 });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'dir/a b+c.txt', Body: 'checked' }));
  });
  afterAll(async () => {
    await strict?.stop();
  });

  it('a URL signed with the secret "test" passes, whatever the access key; GET with response overrides too', async () => {
    const other = new S3Client({ ...clientConfig(strict.endpoint, 'AKIAOTHERKEY'), forcePathStyle: true });
    for (const c of [client, other]) {
      const url = await getSignedUrl(c, new GetObjectCommand({ Bucket: bucket, Key: 'dir/a b+c.txt', ResponseContentType: 'text/x-override' }), { expiresIn: 60 });
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/x-override');
      expect(await res.text()).toBe('checked');
    }
    const put = await getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: 'signed-put', ContentType: 'text/plain' }), { expiresIn: 60 });
    const res = await fetch(put, { method: 'PUT', body: 'signed upload', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it('a wrong signature, another secret or a changed path is 403 SignatureDoesNotMatch with the string to sign', async () => {
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: 'dir/a b+c.txt' }), { expiresIn: 60 });
    const wrongSecret = new S3Client({ region: 'us-east-1', endpoint: strict.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'not-test' } });
    const tampered = new URL(url);
    tampered.searchParams.set('X-Amz-Signature', tampered.searchParams.get('X-Amz-Signature')!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')));
    const otherPath = new URL(url);
    otherPath.pathname = `/${bucket}/signed-put`;
    const attempts = [tampered.toString(), await getSignedUrl(wrongSecret, new GetObjectCommand({ Bucket: bucket, Key: 'dir/a b+c.txt' }), { expiresIn: 60 }), otherPath.toString()];
    for (const attempt of attempts) {
      const res = await fetch(attempt);
      const xml = await res.text();
      expect(res.status).toBe(403);
      expect(xmlField(xml, 'Code')).toBe('SignatureDoesNotMatch');
      expect(xmlField(xml, 'Message')).toBe('The request signature we calculated does not match the signature you provided. Check your key and signing method.');
      expect(xmlField(xml, 'AWSAccessKeyId')).toBe('test');
      expect(xml).toContain('<StringToSign>AWS4-HMAC-SHA256\n');
      expect(xml).toContain('<CanonicalRequest>GET\n');
      expect(xml).not.toContain('checked');
    }
    // a presigned PUT with a wrong signature writes nothing
    const put = new URL(await getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: 'forged' }), { expiresIn: 60 }));
    put.searchParams.set('X-Amz-Signature', 'f'.repeat(64));
    const res = await fetch(put, { method: 'PUT', body: 'forged' });
    expect(res.status).toBe(403);
    await res.arrayBuffer();
    expect((await sdkError(client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'forged' })))).status).toBe(404);
  });

  it('URLs botocore signs pass too (AWS CLI presign with SigV4, a key that needs encoding)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-config-'));
    const v4Config = join(dir, 'config');
    writeFileSync(v4Config, '[default]\ns3 =\n  signature_version = s3v4\n');
    try {
      const presigned = await aws(strict.endpoint, ['s3', 'presign', `s3://${bucket}/dir/a b+c.txt`, '--expires-in', '120'], { AWS_CONFIG_FILE: v4Config });
      expect(presigned.code).toBe(0);
      const res = await fetch(presigned.stdout.trim());
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('checked');
      const forged = await aws(strict.endpoint, ['s3', 'presign', `s3://${bucket}/dir/a b+c.txt`, '--expires-in', '120'], { AWS_CONFIG_FILE: v4Config, AWS_SECRET_ACCESS_KEY: 'wrong' });
      const denied = await fetch(forged.stdout.trim());
      expect(denied.status).toBe(403);
      expect(xmlField(await denied.text(), 'Code')).toBe('SignatureDoesNotMatch');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a virtual-host URL is checked against the path the client signed (before the rewrite)', async () => {
    const vhost = virtualClient(`http://s3.localhost.localstack.cloud:${strict.port}`);
    const url = new URL(await getSignedUrl(vhost, new GetObjectCommand({ Bucket: bucket, Key: 'dir/a b+c.txt' }), { expiresIn: 60 }));
    expect(url.pathname).toBe('/dir/a%20b%2Bc.txt');
    const res = await raw('GET', `${url.pathname}${url.search}`, url.host, undefined, {}, strict.port);
    expect(res.status).toBe(200);
    expect(res.body).toBe('checked');
    // the same signature for another host (another bucket) does not match
    const other = await raw('GET', `${url.pathname}${url.search}`, `other-bucket.s3.localhost.localstack.cloud:${strict.port}`, undefined, {}, strict.port);
    expect(other.status).toBe(403);
    expect(xmlField(other.body, 'Code')).toBe('SignatureDoesNotMatch');
  });

  it('x-amz-* headers the URL does not sign are 403 AccessDenied (HeadersNotSigned)', async () => {
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: 'unsigned-header' }), { expiresIn: 60 });
    const res = await fetch(url, { method: 'PUT', body: 'x', headers: { 'x-amz-meta-sneaky': 'yes', 'x-amz-acl': 'public-read' } });
    expect(res.status).toBe(403);
    const xml = await res.text();
    expect(xmlField(xml, 'Code')).toBe('AccessDenied');
    expect(xmlField(xml, 'Message')).toBe('There were headers present in the request which were not signed');
    expect(xmlField(xml, 'HeadersNotSigned')).toBe('x-amz-meta-sneaky, x-amz-acl');
    expect((await sdkError(client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'unsigned-header' })))).status).toBe(404);
    // signed into the URL, the same header is fine
    const signed = await getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: 'signed-header', Metadata: { sneaky: 'yes' } }), { expiresIn: 60, unhoistableHeaders: new Set(['x-amz-meta-sneaky']) });
    const ok = await fetch(signed, { method: 'PUT', body: 'x', headers: { 'x-amz-meta-sneaky': 'yes' } });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    expect((await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'signed-header' }))).Metadata).toEqual({ sneaky: 'yes' });
  });

  it('header-signed SDK requests still work (only presigned URLs are checked)', async () => {
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'dir/a b+c.txt' }));
    expect(await got.Body!.transformToString()).toBe('checked');
  });
});

describe('S3 error documents and request ids', () => {
  it('errors carry RequestId and HostId, equal to the x-amz-request-id and x-amz-id-2 headers', async () => {
    const res = await fetch(`${rt.endpoint}/no-such-bucket-for-ids/key`);
    expect(res.status).toBe(404);
    const xml = await res.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchBucket<\/Code><Message>The specified bucket does not exist<\/Message><BucketName>no-such-bucket-for-ids<\/BucketName><RequestId>[^<]+<\/RequestId><HostId>[^<]+<\/HostId><\/Error>$/);
    expect(xmlField(xml, 'RequestId')).toBe(res.headers.get('x-amz-request-id'));
    expect(xmlField(xml, 'HostId')).toBe(res.headers.get('x-amz-id-2'));
    expect(res.headers.get('x-amz-id-2')).toMatch(/^[A-Za-z0-9+/]+=*$/);
    // every response has them, and they differ between requests
    const a = await fetch(`${rt.endpoint}/presigned/p`);
    const b = await fetch(`${rt.endpoint}/presigned/p`);
    await a.arrayBuffer();
    await b.arrayBuffer();
    expect(a.headers.get('x-amz-id-2')).toBeTruthy();
    expect(a.headers.get('x-amz-id-2')).not.toBe(b.headers.get('x-amz-id-2'));
    expect(a.headers.get('x-amz-request-id')).not.toBe(b.headers.get('x-amz-request-id'));
    // S3 names its request id its own way: not the x-amzn-RequestId of other services
    expect(a.headers.get('x-amzn-requestid')).toBeNull();
    expect(res.headers.get('x-amzn-requestid')).toBeNull();
  });

  it('the SDK reads the error (code, status, request ids)', async () => {
    try {
      await s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket-for-ids', Key: 'k' }));
      expect.unreachable();
    } catch (e) {
      const err = e as Error & { $metadata: { httpStatusCode: number; requestId?: string; extendedRequestId?: string } };
      expect(err.name).toBe('NoSuchBucket');
      expect(err.$metadata.httpStatusCode).toBe(404);
      expect(err.$metadata.requestId).toBeTruthy();
      expect(err.$metadata.extendedRequestId).toBeTruthy();
    }
    await expectUp();
  });
});
