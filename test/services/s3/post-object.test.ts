/**
 * Browser uploads (PostObject) against the real runtime: HTML forms built with undici's
 * FormData and sent with fetch, and boto3's generate_presigned_post sent with python's
 * `requests`, as a web page or a backend would. Policies (expiration, conditions,
 * content-length-range), signatures (with S3_SKIP_SIGNATURE_VALIDATION=0), the answers
 * (204/200/201/303) and S3's errors for bad forms, with nothing written and the server up.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns';
import { readFileSync } from 'node:fs';
import type { LookupFunction } from 'node:net';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { Agent, fetch, FormData } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let s3: S3Client;
const bucket = 'post-uploads';

beforeAll(async () => {
  rt = await startRuntime();
  s3 = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true, maxAttempts: 1 });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});
afterAll(async () => {
  await rt?.stop();
});

type Field = [name: string, value: string];
interface FilePart {
  data: Buffer | string;
  filename?: string;
  type?: string;
}

/** POSTs a form: the fields in order, then the file (unless `file` is undefined), then `after`. */
async function postForm(url: string, fields: Field[], file: FilePart | undefined, after: Field[] = [], init: { dispatcher?: Agent } = {}) {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  if (file) form.append('file', new Blob([file.data], { type: file.type ?? 'application/octet-stream' }), file.filename ?? 'upload.bin');
  for (const [name, value] of after) form.append(name, value);
  const res = await fetch(url, { method: 'POST', body: form, redirect: 'manual', ...init });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

function xmlField(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('hex');

async function bodyOf(key: string, b = bucket): Promise<string> {
  const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: key }));
  return got.Body!.transformToString();
}

async function expectAbsent(key: string): Promise<void> {
  expect((await sdkError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })))).status).toBe(404);
}

async function expectUp(runtime = rt): Promise<void> {
  const res = await fetch(`${runtime.endpoint}/_localstack/health`);
  expect(res.status).toBe(200);
  await res.arrayBuffer();
}

interface PythonPost {
  status: number;
  headers: Record<string, string>;
  body: string;
  fields: Record<string, string>;
}

/**
 * boto3's generate_presigned_post, then the upload with `requests` (as a backend hands a
 * browser the form). `file` is the file's text.
 */
function boto3Post(endpoint: string, options: { key: string; file: string; fields?: Record<string, string>; conditions?: unknown[]; expiresIn?: number; secret?: string; filename?: string }): Promise<PythonPost> {
  const script = `
import json, sys, boto3, requests
from botocore.config import Config
a = json.loads(sys.argv[1])
s3 = boto3.client('s3', endpoint_url=a['endpoint'], region_name='us-east-1', aws_access_key_id='test',
                  aws_secret_access_key=a.get('secret', 'test'), config=Config(s3={'addressing_style': 'path'}, signature_version='s3v4'))
post = s3.generate_presigned_post(a['bucket'], a['key'], Fields=a.get('fields'), Conditions=a.get('conditions'), ExpiresIn=a.get('expiresIn', 300))
r = requests.post(post['url'], data=post['fields'], files={'file': (a.get('filename', 'hello.txt'), a['file'].encode())}, allow_redirects=False)
print(json.dumps({'status': r.status_code, 'headers': dict(r.headers), 'body': r.text, 'fields': post['fields']}))
`;
  return new Promise((resolve, reject) => {
    execFile('python3', ['-c', script, JSON.stringify({ endpoint, bucket, ...options })], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`python failed: ${stderr}`));
      else resolve(JSON.parse(stdout) as PythonPost);
    });
  });
}

describe('answers', () => {
  it('a minimal form (key, file) stores the file: 204 with Location and ETag', async () => {
    const data = Buffer.from('hello from a browser form');
    const res = await postForm(`${rt.endpoint}/${bucket}`, [['key', 'plain/hello.txt']], { data, type: 'text/plain' });
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers.get('etag')).toBe(`"${md5(data)}"`);
    expect(res.headers.get('location')).toBe(`http://${bucket}.s3.localhost.localstack.cloud:0/plain/hello.txt`);
    expect(res.headers.get('x-amz-request-id')).toBeTruthy();
    expect(await bodyOf('plain/hello.txt')).toBe(data.toString());
    // S3 ignores the file part's own type: without a Content-Type field, binary/octet-stream
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'plain/hello.txt' }))).ContentType).toBe('binary/octet-stream');
  });

  it('success_action_status 200 and 201 (<PostResponse>); anything else is 204', async () => {
    const ok = await postForm(`${rt.endpoint}/${bucket}`, [['key', 'status/200'], ['success_action_status', '200']], { data: 'a' });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('');
    const created = await postForm(`${rt.endpoint}/${bucket}`, [['key', 'status/201 & <x>'], ['success_action_status', '201']], { data: 'b' });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toBe('application/xml');
    expect(created.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<PostResponse><Location>/);
    expect(xmlField(created.body, 'Location')).toBe(`http://${bucket}.s3.localhost.localstack.cloud:0/status/201%20%26%20%3Cx%3E`);
    expect(xmlField(created.body, 'Bucket')).toBe(bucket);
    expect(xmlField(created.body, 'Key')).toBe('status/201 &amp; &lt;x&gt;');
    expect(xmlField(created.body, 'ETag')).toBe(`"${md5('b')}"`);
    expect(await bodyOf('status/201 & <x>')).toBe('b');
    const other = await postForm(`${rt.endpoint}/${bucket}`, [['key', 'status/500'], ['success_action_status', '500']], { data: 'c' });
    expect(other.status).toBe(204);
  });

  it('success_action_redirect: 303 to the URL with bucket, key and etag added', async () => {
    const res = await postForm(`${rt.endpoint}/${bucket}`, [['key', 'redirect/x y.txt'], ['success_action_redirect', 'https://example.com/done?from=form']], { data: 'r' });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://example.com/done');
    expect(location.searchParams.get('from')).toBe('form');
    expect(location.searchParams.get('bucket')).toBe(bucket);
    expect(location.searchParams.get('key')).toBe('redirect/x y.txt');
    expect(location.searchParams.get('etag')).toBe(`"${md5('r')}"`);
    expect(await bodyOf('redirect/x y.txt')).toBe('r');
  });

  it('fields say what is stored: ${filename}, Content-Type, Cache-Control, x-amz-meta-*, tagging; fields after the file are ignored', async () => {
    const tagging = '<Tagging><TagSet><Tag><Key>project</Key><Value>alpha</Value></Tag><Tag><Key>tier</Key><Value>1</Value></Tag></TagSet></Tagging>';
    const res = await postForm(
      `${rt.endpoint}/${bucket}`,
      [
        ['key', 'user/42/${filename}'],
        ['Content-Type', 'image/png'],
        ['Cache-Control', 'max-age=60'],
        ['Content-Disposition', 'inline'],
        ['x-amz-meta-Uploaded-By', 'browser'],
        ['tagging', tagging],
        ['acl', 'public-read'],
      ],
      { data: 'PNG...', filename: 'photo.png', type: 'image/png' },
      [['x-amz-meta-late', 'after the file']],
    );
    expect(res.status).toBe(204);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'user/42/photo.png' }));
    expect(head.ContentType).toBe('image/png');
    expect(head.CacheControl).toBe('max-age=60');
    expect(head.ContentDisposition).toBe('inline');
    expect(head.Metadata).toEqual({ 'uploaded-by': 'browser' });
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'user/42/photo.png' }));
    expect(got.TagCount).toBe(2);
    expect(await got.Body!.transformToString()).toBe('PNG...');
  });

  it('a versioned bucket answers with x-amz-version-id; each POST is a new version', async () => {
    const versioned = 'post-versioned';
    await s3.send(new CreateBucketCommand({ Bucket: versioned }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: 'Enabled' } }));
    const first = await postForm(`${rt.endpoint}/${versioned}`, [['key', 'v']], { data: 'one' });
    const second = await postForm(`${rt.endpoint}/${versioned}`, [['key', 'v']], { data: 'two' });
    const [v1, v2] = [first.headers.get('x-amz-version-id'), second.headers.get('x-amz-version-id')];
    expect(v1).toBeTruthy();
    expect(v2).toBeTruthy();
    expect(v1).not.toBe(v2);
    const old = await s3.send(new GetObjectCommand({ Bucket: versioned, Key: 'v', VersionId: v1! }));
    expect(await old.Body!.transformToString()).toBe('one');
    expect(await bodyOf('v', versioned)).toBe('two');
  });

  it('a virtual host: POST / on <bucket>.s3.localhost.localstack.cloud', async () => {
    const lookup: LookupFunction = (hostname, options, callback) => {
      if (!hostname.endsWith('.localhost.localstack.cloud')) return dnsLookup(hostname, options, callback);
      if (options.all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
      else callback(null, '127.0.0.1', 4);
    };
    const dispatcher = new Agent({ connect: { lookup } });
    try {
      const res = await postForm(`http://${bucket}.s3.localhost.localstack.cloud:${rt.port}/`, [['key', 'vhost/file.txt'], ['success_action_status', '201']], { data: 'via vhost' }, [], { dispatcher });
      expect(res.status).toBe(201);
      expect(xmlField(res.body, 'Bucket')).toBe(bucket);
      expect(await bodyOf('vhost/file.txt')).toBe('via vhost');
    } finally {
      await dispatcher.close();
    }
  });

  it('a large file streams through (96 MiB) without the server holding it in memory', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const file = (mib: number) => Buffer.concat(Array.from({ length: mib }, () => chunk));
    const peak = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${rt.child.pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
    // a first upload warms the parser and the heap up (a fixed cost, whatever the size)
    expect((await postForm(`${rt.endpoint}/${bucket}`, [['key', 'warm-up.bin']], { data: file(16) })).status).toBe(204);
    const before = peak();
    const data = file(96);
    const res = await postForm(`${rt.endpoint}/${bucket}`, [['key', 'large.bin']], { data });
    expect(res.status).toBe(204);
    expect(res.headers.get('etag')).toBe(`"${md5(data)}"`);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'large.bin' }))).ContentLength).toBe(data.length);
    // the server's peak memory grew by far less than the file
    expect(peak() - before).toBeLessThan(data.length / 2);
  });
});

describe('policies (boto3 generate_presigned_post + requests)', () => {
  it('a presigned POST with conditions uploads; the fields boto3 signs are all S3 wants', async () => {
    const res = await boto3Post(rt.endpoint, {
      key: 'signed/${filename}',
      file: 'content from python',
      filename: 'report.txt',
      fields: { 'Content-Type': 'text/plain', success_action_status: '201' },
      conditions: [['starts-with', '$Content-Type', 'text/'], { success_action_status: '201' }, ['content-length-range', 1, 1024]],
    });
    expect(res.fields['x-amz-algorithm']).toBe('AWS4-HMAC-SHA256');
    expect(res.fields.policy).toBeTruthy();
    expect(res.status).toBe(201);
    expect(xmlField(res.body, 'Key')).toBe('signed/report.txt');
    expect(await bodyOf('signed/report.txt')).toBe('content from python');
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'signed/report.txt' }))).ContentType).toBe('text/plain');
  });

  it('an expired policy is 403 "Policy expired."', async () => {
    const res = await boto3Post(rt.endpoint, { key: 'expired.txt', file: 'x', expiresIn: -10 });
    expect(res.status).toBe(403);
    expect(xmlField(res.body, 'Code')).toBe('AccessDenied');
    expect(xmlField(res.body, 'Message')).toBe('Invalid according to Policy: Policy expired.');
    expect(xmlField(res.body, 'HostId')).toBeTruthy();
    await expectAbsent('expired.txt');
  });

  it('a condition not met is 403 "Policy Condition failed: [...]" naming it', async () => {
    const prefix = await boto3Post(rt.endpoint, { key: 'elsewhere/file.txt', file: 'x', fields: { 'Content-Type': 'image/jpeg' }, conditions: [['starts-with', '$Content-Type', 'text/']] });
    expect(prefix.status).toBe(403);
    expect(xmlField(prefix.body, 'Code')).toBe('AccessDenied');
    expect(xmlField(prefix.body, 'Message')).toBe('Invalid according to Policy: Policy Condition failed: ["starts-with", "$Content-Type", "text/"]');
    await expectAbsent('elsewhere/file.txt');
    // a field the policy requires but the form lacks
    const missing = await boto3Post(rt.endpoint, { key: 'acl.txt', file: 'x', conditions: [{ acl: 'public-read' }] });
    expect(missing.status).toBe(403);
    expect(xmlField(missing.body, 'Message')).toBe('Invalid according to Policy: Policy Condition failed: ["eq", "$acl", "public-read"]');
    await expectAbsent('acl.txt');
  });

  it('content-length-range: a larger file is EntityTooLarge, a smaller one EntityTooSmall', async () => {
    const large = await boto3Post(rt.endpoint, { key: 'range/large.txt', file: 'x'.repeat(2000), conditions: [['content-length-range', 10, 1000]] });
    expect(large.status).toBe(400);
    expect(xmlField(large.body, 'Code')).toBe('EntityTooLarge');
    expect(xmlField(large.body, 'MaxSizeAllowed')).toBe('1000');
    await expectAbsent('range/large.txt');
    const small = await boto3Post(rt.endpoint, { key: 'range/small.txt', file: 'tiny', conditions: [['content-length-range', 10, 1000]] });
    expect(small.status).toBe(400);
    expect(xmlField(small.body, 'Code')).toBe('EntityTooSmall');
    expect(xmlField(small.body, 'MinSizeAllowed')).toBe('10');
    expect(xmlField(small.body, 'ProposedSize')).toBe('4');
    await expectAbsent('range/small.txt');
    const fits = await boto3Post(rt.endpoint, { key: 'range/fits.txt', file: 'just right', conditions: [['content-length-range', 10, 1000]] });
    expect(fits.status).toBe(204);
  });

  it('the signature is not checked by default', async () => {
    const res = await boto3Post(rt.endpoint, { key: 'unchecked.txt', file: 'u', secret: 'not-test' });
    expect(res.status).toBe(204);
  });
});

describe('bad forms: S3 errors, nothing written, server up', () => {
  const url = () => `${rt.endpoint}/${bucket}`;
  const policy = (doc: unknown) => Buffer.from(JSON.stringify(doc)).toString('base64');
  const future = () => new Date(Date.now() + 600_000).toISOString();
  const v4 = (p: string): Field[] => [
    ['policy', p],
    ['x-amz-algorithm', 'AWS4-HMAC-SHA256'],
    ['x-amz-credential', 'test/20240101/us-east-1/s3/aws4_request'],
    ['x-amz-date', '20240101T000000Z'],
    ['x-amz-signature', 'a'.repeat(64)],
  ];

  it('no file, no key', async () => {
    const noFile = await postForm(url(), [['key', 'bad/nofile']], undefined);
    expect(noFile.status).toBe(400);
    expect(xmlField(noFile.body, 'Code')).toBe('InvalidArgument');
    expect(xmlField(noFile.body, 'Message')).toBe('POST requires exactly one file upload per request.');
    expect(xmlField(noFile.body, 'ArgumentName')).toBe('file');
    const noKey = await postForm(url(), [['Content-Type', 'text/plain']], { data: 'x' });
    expect(noKey.status).toBe(400);
    expect(xmlField(noKey.body, 'Code')).toBe('InvalidArgument');
    expect(xmlField(noKey.body, 'Message')).toBe("Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.");
    // a key after the file does not count
    const keyAfter = await postForm(url(), [], { data: 'x' }, [['key', 'bad/key-after']]);
    expect(xmlField(keyAfter.body, 'ArgumentName')).toBe('key');
    await expectAbsent('bad/nofile');
    await expectAbsent('bad/key-after');
  });

  it('a policy that is not base64 JSON, or lacks expiration or conditions, is InvalidPolicyDocument', async () => {
    const cases: Array<[string, string]> = [
      ['%%% not base64 %%%', 'Invalid Policy: Invalid JSON.'],
      [Buffer.from('{"expiration": ').toString('base64'), 'Invalid Policy: Invalid JSON.'],
      [policy(['not', 'an', 'object']), 'Invalid Policy: Invalid JSON.'],
      [policy({ conditions: [] }), 'Invalid Policy: Policy missing expiration.'],
      [policy({ expiration: 'tomorrow', conditions: [] }), "Invalid Policy: Invalid 'expiration' value: 'tomorrow'"],
      [policy({ expiration: future() }), 'Invalid Policy: Policy missing conditions.'],
    ];
    for (const [p, message] of cases) {
      const res = await postForm(url(), [['key', 'bad/policy'], ...v4(p)], { data: 'x' });
      expect([res.status, xmlField(res.body, 'Code'), xmlField(res.body, 'Message')?.replace(/&apos;|&#39;/g, "'")]).toEqual([400, 'InvalidPolicyDocument', message]);
    }
    await expectAbsent('bad/policy');
  });

  it('a policy without signature fields is AccessDenied; incomplete ones name the missing field', async () => {
    const p = policy({ expiration: future(), conditions: [] });
    const none = await postForm(url(), [['key', 'bad/sig'], ['policy', p]], { data: 'x' });
    expect(none.status).toBe(403);
    expect(xmlField(none.body, 'Code')).toBe('AccessDenied');
    const partial = await postForm(url(), [['key', 'bad/sig'], ...v4(p).filter(([n]) => n !== 'x-amz-signature')], { data: 'x' });
    expect(partial.status).toBe(400);
    expect(xmlField(partial.body, 'Message')).toBe("Bucket POST must contain a field named 'X-Amz-Signature'.  If it is specified, please check the order of the fields.");
    const v2 = await postForm(url(), [['key', 'bad/sig'], ['policy', p], ['AWSAccessKeyId', 'test']], { data: 'x' });
    expect(xmlField(v2.body, 'ArgumentName')).toBe('Signature');
    await expectAbsent('bad/sig');
  });

  it('an unknown bucket is NoSuchBucket; a POST that is not multipart is 412; a broken multipart body MalformedPOSTRequest', async () => {
    const missing = await postForm(`${rt.endpoint}/no-such-post-bucket`, [['key', 'k']], { data: 'x' });
    expect(missing.status).toBe(404);
    expect(xmlField(missing.body, 'Code')).toBe('NoSuchBucket');
    expect(xmlField(missing.body, 'BucketName')).toBe('no-such-post-bucket');
    const notForm = await fetch(url(), {
      method: 'POST',
      body: 'key=k',
      headers: { 'content-type': 'text/plain', authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x' },
    });
    expect(notForm.status).toBe(412);
    const xml = await notForm.text();
    expect(xmlField(xml, 'Code')).toBe('PreconditionFailed');
    expect(xmlField(xml, 'Condition')).toBe('Bucket POST must be of the enclosure-type multipart/form-data');
    for (const [type, body] of [
      ['multipart/form-data', '--x\r\n'],
      ['multipart/form-data; boundary=XYZ', '--XYZ\r\nContent-Disposition: form-data; name="key"\r\n\r\nbad/broken\r\n--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nunterminated file'],
    ]) {
      const res = await fetch(url(), { method: 'POST', body, headers: { 'content-type': type! } });
      expect(res.status).toBe(400);
      expect(xmlField(await res.text(), 'Code')).toBe('MalformedPOSTRequest');
    }
    await expectAbsent('bad/broken');
    await expectUp();
  });

  it('an invalid tagging document or storage class writes nothing', async () => {
    const tags = await postForm(url(), [['key', 'bad/tags'], ['tagging', '<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag></TagSet></Tagging>']], { data: 'x' });
    expect(tags.status).toBe(400);
    expect(xmlField(tags.body, 'Code')).toBe('InvalidTag');
    const storage = await postForm(url(), [['key', 'bad/storage'], ['x-amz-storage-class', 'FANCY']], { data: 'x' });
    expect(storage.status).toBe(400);
    expect(xmlField(storage.body, 'Code')).toBe('InvalidStorageClass');
    await expectAbsent('bad/tags');
    await expectAbsent('bad/storage');
    await expectUp();
  });
});

describe('policy signatures with S3_SKIP_SIGNATURE_VALIDATION=0', () => {
  let strict: RuntimeProcess;
  beforeAll(async () => {
    strict = await startRuntime({ env: { S3_SKIP_SIGNATURE_VALIDATION: '0' } });
    const client = new S3Client({ ...clientConfig(strict.endpoint), forcePathStyle: true });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    await strict?.stop();
  });

  it('a policy signed with the secret "test" passes; another secret is SignatureDoesNotMatch', async () => {
    const ok = await boto3Post(strict.endpoint, { key: 'strict.txt', file: 'signed right' });
    expect(ok.status).toBe(204);
    const bad = await boto3Post(strict.endpoint, { key: 'forged.txt', file: 'signed wrong', secret: 'not-test' });
    expect(bad.status).toBe(403);
    expect(xmlField(bad.body, 'Code')).toBe('SignatureDoesNotMatch');
    expect(xmlField(bad.body, 'StringToSign')).toBe(bad.fields.policy);
    const client = new S3Client({ ...clientConfig(strict.endpoint), forcePathStyle: true });
    expect(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'strict.txt' }))).Body!.transformToString()).toBe('signed right');
    expect((await sdkError(client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'forged.txt' })))).status).toBe(404);
    await expectUp(strict);
  });
});
