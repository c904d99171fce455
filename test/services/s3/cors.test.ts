/**
 * S3 bucket CORS against the real runtime: buckets and their CORS rules set up with
 * @aws-sdk/client-s3, then browser-style requests (preflights, actual requests with an
 * Origin) over raw HTTP, as a browser sends them.
 */
import { CreateBucketCommand, DeleteBucketCorsCommand, GetBucketCorsCommand, ListBucketsCommand, PutBucketCorsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let s3: S3Client;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(method: string, path: string, headers: Record<string, string>, body = ''): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${rt.endpoint}${path}`, { method, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const preflight = (path: string, origin: string | undefined, method: string | undefined, requestHeaders?: string, extra: Record<string, string> = {}) =>
  send('OPTIONS', path, {
    ...(origin !== undefined ? { origin } : {}),
    ...(method !== undefined ? { 'access-control-request-method': method } : {}),
    ...(requestHeaders !== undefined ? { 'access-control-request-headers': requestHeaders } : {}),
    ...extra,
  });

const APP = 'https://app.example.com';
/** What a browser SDK's signed request looks like to detection (signatures are not checked). */
const SIGNED = 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0';
const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

function xmlField(body: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1]?.replace(/&apos;/g, "'").replace(/&quot;/g, '"');
}

beforeAll(async () => {
  rt = await startRuntime();
  s3 = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true, maxAttempts: 1 });
  for (const Bucket of ['cors-rules', 'cors-public', 'cors-none']) await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(
    new PutBucketCorsCommand({
      Bucket: 'cors-rules',
      CORSConfiguration: {
        CORSRules: [
          {
            ID: 'app',
            AllowedOrigins: [APP],
            AllowedMethods: ['GET', 'PUT', 'HEAD'],
            AllowedHeaders: ['Content-Type', 'x-amz-*'],
            ExposeHeaders: ['ETag', 'x-amz-request-id'],
            MaxAgeSeconds: 600,
          },
          { AllowedOrigins: ['http://*.example.org'], AllowedMethods: ['GET'] },
        ],
      },
    }),
  );
  await s3.send(new PutBucketCorsCommand({ Bucket: 'cors-public', CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['GET'] }] } }));
  await s3.send(new PutObjectCommand({ Bucket: 'cors-rules', Key: 'hello.txt', Body: 'hello', ContentType: 'text/plain' }));
  await s3.send(new PutObjectCommand({ Bucket: 'cors-public', Key: 'a.txt', Body: 'public' }));
  await s3.send(new PutObjectCommand({ Bucket: 'cors-none', Key: 'a.txt', Body: 'plain' }));
});
afterAll(async () => {
  await rt?.stop();
});

describe('preflight against a bucket with CORS rules', () => {
  it('answers an allowed preflight with the matching rule', async () => {
    const r = await preflight('/cors-rules/hello.txt', APP, 'PUT', 'Content-Type, X-Amz-Date, x-amz-content-sha256');
    expect(r.status).toBe(200);
    expect(r.body).toBe('');
    expect(r.headers['access-control-allow-origin']).toBe(APP);
    expect(r.headers['access-control-allow-methods']).toBe('GET, PUT, HEAD');
    expect(r.headers['access-control-allow-headers']).toBe('content-type, x-amz-date, x-amz-content-sha256');
    expect(r.headers['access-control-expose-headers']).toBe('ETag, x-amz-request-id');
    expect(r.headers['access-control-max-age']).toBe('600');
    expect(r.headers['access-control-allow-credentials']).toBe('true');
    expect(r.headers.vary).toBe('Origin, Access-Control-Request-Headers, Access-Control-Request-Method');
  });

  it('refuses an origin, method or header that no rule allows, with 403 AccessForbidden', async () => {
    const cases = [
      ['https://evil.example.net', 'GET', undefined, 'OBJECT', '/cors-rules/hello.txt'],
      ['http://localhost:3000', 'GET', undefined, 'OBJECT', '/cors-rules/hello.txt'], // allowed by LocalStack's defaults, not by the bucket
      [APP, 'DELETE', undefined, 'OBJECT', '/cors-rules/hello.txt'],
      [APP, 'PUT', 'authorization', 'OBJECT', '/cors-rules/hello.txt'],
      ['http://sub.example.org', 'GET', 'content-type', 'BUCKET', '/cors-rules'], // rule without AllowedHeaders
      ['https://APP.example.com', 'GET', undefined, 'BUCKET', '/cors-rules/'], // origins match case-sensitively
    ] as const;
    for (const [origin, method, headers, resourceType, path] of cases) {
      const r = await preflight(path, origin, method, headers);
      expect(r.status, `${origin} ${method} ${headers}`).toBe(403);
      expect(xmlField(r.body, 'Code')).toBe('AccessForbidden');
      expect(xmlField(r.body, 'Message')).toBe(NOT_ALLOWED);
      expect(xmlField(r.body, 'Method')).toBe(method);
      expect(xmlField(r.body, 'ResourceType')).toBe(resourceType);
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('matches wildcard origins like http://*.example.org', async () => {
    const ok = await preflight('/cors-rules/hello.txt', 'http://cdn.example.org', 'GET');
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('http://cdn.example.org');
    expect(ok.headers['access-control-allow-methods']).toBe('GET');
    expect(ok.headers['access-control-max-age']).toBeUndefined();
    // the scheme is part of the pattern, and the wildcard needs the dot before the domain
    expect((await preflight('/cors-rules/hello.txt', 'https://cdn.example.org', 'GET')).status).toBe(403);
    expect((await preflight('/cors-rules/hello.txt', 'http://example.org', 'GET')).status).toBe(403);
  });

  it('answers * for a rule that allows every origin, without credentials', async () => {
    const r = await preflight('/cors-public/a.txt', 'https://anyone.example.net', 'GET');
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(r.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('answers preflights to a virtual-hosted bucket', async () => {
    const r = await preflight('/hello.txt', APP, 'GET', undefined, { host: `cors-rules.s3.localhost.localstack.cloud:${rt.port}` });
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe(APP);
  });

  it('answers preflights to <bucket>.localhost with the bucket rules (what SDKs send with endpoint localhost)', async () => {
    const r = await preflight('/hello.txt', APP, 'PUT', 'content-type', { host: `cors-rules.localhost:${rt.port}` });
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-methods']).toBe('GET, PUT, HEAD');
    expect(r.headers['access-control-max-age']).toBe('600');
  });

  it('names the resource a refused browser preflight addresses: BUCKET for the bucket, OBJECT for a key, however addressed', async () => {
    // as a browser sends it: no credentials, its own headers besides the CORS ones
    const browser = { accept: '*/*', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', 'sec-fetch-mode': 'cors', referer: 'https://evil.example.net/' };
    const cases = [
      [`cors-rules.s3.localhost.localstack.cloud:${rt.port}`, '/', 'BUCKET', NOT_ALLOWED],
      [`cors-rules.s3.localhost.localstack.cloud:${rt.port}`, '/hello.txt', 'OBJECT', NOT_ALLOWED],
      [`cors-rules.s3.eu-west-1.localhost.localstack.cloud:${rt.port}`, '/', 'BUCKET', NOT_ALLOWED],
      [`cors-rules.localhost:${rt.port}`, '/', 'BUCKET', NOT_ALLOWED],
      [`cors-rules.localhost:${rt.port}`, '/dir/', 'OBJECT', NOT_ALLOWED],
      [`127.0.0.1:${rt.port}`, '/cors-rules', 'BUCKET', NOT_ALLOWED],
      [`127.0.0.1:${rt.port}`, '/cors-rules/hello.txt', 'OBJECT', NOT_ALLOWED],
      [`cors-none.s3.localhost.localstack.cloud:${rt.port}`, '/', 'BUCKET', 'CORSResponse: CORS is not enabled for this bucket.'],
      [`cors-none.s3.localhost.localstack.cloud:${rt.port}`, '/a.txt', 'OBJECT', 'CORSResponse: CORS is not enabled for this bucket.'],
    ] as const;
    for (const [host, path, resourceType, message] of cases) {
      const r = await preflight(path, 'https://evil.example.net', 'PUT', 'content-type,x-amz-date', { ...browser, host });
      expect([host, path, r.status, xmlField(r.body, 'Code'), xmlField(r.body, 'ResourceType'), xmlField(r.body, 'Message')]).toEqual([host, path, 403, 'AccessForbidden', resourceType, message]);
    }
  });
});

describe('actual requests with an Origin', () => {
  it('PUT and GET carry the matching rule headers, exposing ETag', async () => {
    const put = await send('PUT', '/cors-rules/upload.txt', { origin: APP, 'content-type': 'text/plain' }, 'uploaded from a browser');
    expect(put.status).toBe(200);
    expect(put.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(put.headers['access-control-allow-origin']).toBe(APP);
    expect(put.headers['access-control-expose-headers']).toBe('ETag, x-amz-request-id');
    expect(put.headers['access-control-allow-credentials']).toBe('true');
    expect(put.headers.vary).toContain('Origin');

    const get = await send('GET', '/cors-rules/upload.txt', { origin: 'http://img.example.org' });
    expect(get.status).toBe(200);
    expect(get.body).toBe('uploaded from a browser');
    expect(get.headers['access-control-allow-origin']).toBe('http://img.example.org');
    expect(get.headers['access-control-expose-headers']).toBeUndefined();
  });

  it('errors carry the CORS headers too, so the browser can read them', async () => {
    const r = await send('GET', '/cors-rules/missing.txt', { origin: APP });
    expect(r.status).toBe(404);
    expect(xmlField(r.body, 'Code')).toBe('NoSuchKey');
    expect(r.headers['access-control-allow-origin']).toBe(APP);
  });

  it('a request no rule allows gets no CORS headers at all (not the LocalStack defaults)', async () => {
    // DELETE is not allowed for the app origin; localhost is allowed by default but not by the bucket
    const del = await send('DELETE', '/cors-rules/upload.txt', { origin: APP, authorization: SIGNED });
    expect(del.status).toBe(204);
    expect(del.headers['access-control-allow-origin']).toBeUndefined();
    const local = await send('GET', '/cors-rules/hello.txt', { origin: 'http://localhost:3000' });
    expect(local.status).toBe(200);
    expect(local.body).toBe('hello');
    expect(local.headers['access-control-allow-origin']).toBeUndefined();
    expect(local.headers['access-control-expose-headers']).toBeUndefined();
    const foreign = await send('GET', '/cors-rules/hello.txt', { origin: 'https://evil.example.net' });
    expect(foreign.status).toBe(200);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('a wildcard-origin rule answers *', async () => {
    const r = await send('GET', '/cors-public/a.txt', { origin: 'https://anyone.example.net' });
    expect(r.status).toBe(200);
    expect(r.body).toBe('public');
    expect(r.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('a bucket without CORS configuration keeps LocalStack default CORS', () => {
  it('preflights from an allowed origin get the default answer', async () => {
    const r = await preflight('/cors-none/a.txt', 'http://localhost:3000', 'PUT', 'content-type,x-amz-date');
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(r.headers['access-control-allow-methods']).toBe('HEAD,GET,PUT,POST,DELETE,OPTIONS,PATCH');
    expect(r.headers['access-control-allow-headers']).toContain('x-amz-date');
  });

  it('actual requests from an allowed origin get the default headers', async () => {
    const r = await send('GET', '/cors-none/a.txt', { origin: 'http://127.0.0.1:5173' });
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe('http://127.0.0.1:5173');
    expect(r.headers['access-control-expose-headers']).toContain('etag');
  });

  it('a foreign origin gets S3 answers: 403 "CORS is not enabled" to a preflight, no headers otherwise', async () => {
    const r = await preflight('/cors-none/a.txt', 'https://evil.example.net', 'GET');
    expect(r.status).toBe(403);
    expect(xmlField(r.body, 'Code')).toBe('AccessForbidden');
    expect(xmlField(r.body, 'Message')).toBe('CORSResponse: CORS is not enabled for this bucket.');
    const get = await send('GET', '/cors-none/a.txt', { origin: 'https://evil.example.net' });
    expect(get.status).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('removing a bucket configuration brings the defaults back', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'cors-removed' }));
    await s3.send(new PutBucketCorsCommand({ Bucket: 'cors-removed', CORSConfiguration: { CORSRules: [{ AllowedOrigins: [APP], AllowedMethods: ['GET'] }] } }));
    expect((await preflight('/cors-removed/x', 'http://localhost:3000', 'GET')).status).toBe(403);
    await s3.send(new DeleteBucketCorsCommand({ Bucket: 'cors-removed' }));
    const r = await preflight('/cors-removed/x', 'http://localhost:3000', 'GET');
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-methods']).toBe('HEAD,GET,PUT,POST,DELETE,OPTIONS,PATCH');
  });
});

describe('bad preflights', () => {
  it('OPTIONS without Origin is 400 BadRequest', async () => {
    const r = await preflight('/cors-rules/hello.txt', undefined, 'GET');
    expect(r.status).toBe(400);
    expect(xmlField(r.body, 'Code')).toBe('BadRequest');
    expect(xmlField(r.body, 'Message')).toBe('Insufficient information. Origin request header needed.');
  });

  it('OPTIONS without or with an unknown Access-Control-Request-Method is 400 BadRequest', async () => {
    const missing = await preflight('/cors-rules/hello.txt', APP, undefined);
    expect(missing.status).toBe(400);
    expect(xmlField(missing.body, 'Code')).toBe('BadRequest');
    expect(xmlField(missing.body, 'Message')).toBe('Invalid Access-Control-Request-Method: null');
    const patch = await preflight('/cors-rules/hello.txt', APP, 'PATCH');
    expect(patch.status).toBe(400);
    expect(xmlField(patch.body, 'Message')).toBe('Invalid Access-Control-Request-Method: PATCH');
    // from a default-allowed origin to a bucket without rules, the method is still required
    expect((await preflight('/cors-none/a.txt', 'http://localhost:3000', undefined)).status).toBe(400);
  });

  it('the server is still up', async () => {
    const { Buckets } = await s3.send(new ListBucketsCommand({}));
    expect(Buckets?.map((b) => b.Name)).toContain('cors-rules');
  });
});

describe('Put/Get/DeleteBucketCors', () => {
  it('round-trips the rules', async () => {
    const { CORSRules } = await s3.send(new GetBucketCorsCommand({ Bucket: 'cors-rules' }));
    expect(CORSRules).toEqual([
      { ID: 'app', AllowedOrigins: [APP], AllowedMethods: ['GET', 'PUT', 'HEAD'], AllowedHeaders: ['Content-Type', 'x-amz-*'], ExposeHeaders: ['ETag', 'x-amz-request-id'], MaxAgeSeconds: 600 },
      { AllowedOrigins: ['http://*.example.org'], AllowedMethods: ['GET'] },
    ]);
  });

  it('refuses bad rules and keeps the old ones', async () => {
    const bad = await sdkError(s3.send(new PutBucketCorsCommand({ Bucket: 'cors-rules', CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['PATCH'] }] } })));
    expect(bad).toMatchObject({ name: 'InvalidRequest', status: 400, message: 'Found unsupported HTTP method in CORS config. Unsupported method is PATCH' });
    const twoStars = await sdkError(s3.send(new PutBucketCorsCommand({ Bucket: 'cors-rules', CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['http://*.*.com'], AllowedMethods: ['GET'] }] } })));
    expect(twoStars).toMatchObject({ name: 'InvalidRequest', message: 'AllowedOrigin "http://*.*.com" can not have more than one wildcard.' });
    expect((await s3.send(new GetBucketCorsCommand({ Bucket: 'cors-rules' }))).CORSRules).toHaveLength(2);
  });

  it('a bucket without rules answers NoSuchCORSConfiguration; an unknown bucket NoSuchBucket', async () => {
    expect(await sdkError(s3.send(new GetBucketCorsCommand({ Bucket: 'cors-none' })))).toMatchObject({ name: 'NoSuchCORSConfiguration', status: 404, message: 'The CORS configuration does not exist' });
    expect(await sdkError(s3.send(new PutBucketCorsCommand({ Bucket: 'cors-nowhere', CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['GET'] }] } })))).toMatchObject({ name: 'NoSuchBucket', status: 404 });
  });
});
