/**
 * S3 static website hosting against the real runtime: buckets, website configurations and
 * objects set up with @aws-sdk/client-s3, pages fetched over raw HTTP with a website Host
 * header (`<bucket>.s3-website.<LOCALSTACK_HOST>`), as a browser sends them.
 */
import { CreateBucketCommand, DeleteBucketWebsiteCommand, GetBucketWebsiteCommand, GetObjectCommand, PutBucketCorsCommand, PutBucketWebsiteCommand, PutObjectCommand, S3Client, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let s3: S3Client;
const BIG = randomBytes(300 * 1024); // streamed, not buffered (above the blob store's small-body size)

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

function send(method: string, host: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${rt.endpoint}${path}`, { method, headers: { host, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString() });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const site = (bucket: string) => `${bucket}.s3-website.localhost.localstack.cloud:${rt.port}`;
const get = (bucket: string, path: string, headers?: Record<string, string>) => send('GET', site(bucket), path, headers);

async function put(input: Omit<PutObjectCommandInput, 'Body'> & { Body: string | Buffer }) {
  await s3.send(new PutObjectCommand(input));
}

beforeAll(async () => {
  rt = await startRuntime();
  s3 = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true, maxAttempts: 1 });
  for (const Bucket of ['www', 'plain', 'bare', 'lost-error', 'moved']) await s3.send(new CreateBucketCommand({ Bucket }));
  await put({ Bucket: 'www', Key: 'index.html', Body: '<h1>home</h1>', ContentType: 'text/html' });
  await put({ Bucket: 'www', Key: 'about.html', Body: '<h1>about</h1>', ContentType: 'text/html', Metadata: { author: 'me' } });
  await put({ Bucket: 'www', Key: 'docs/index.html', Body: '<h1>docs</h1>', ContentType: 'text/html' });
  await put({ Bucket: 'www', Key: 'error.html', Body: '<h1>oops</h1>', ContentType: 'text/html' });
  await put({ Bucket: 'www', Key: 'css/site.css', Body: 'body{}', ContentType: 'text/css', CacheControl: 'max-age=60' });
  await put({ Bucket: 'www', Key: 'old-page', Body: '', WebsiteRedirectLocation: '/about.html' });
  await put({ Bucket: 'www', Key: 'a file.txt', Body: 'spaced', ContentType: 'text/plain' });
  await put({ Bucket: 'www', Key: 'big.bin', Body: BIG, ContentType: 'application/octet-stream' });
  await s3.send(
    new PutBucketWebsiteCommand({
      Bucket: 'www',
      WebsiteConfiguration: {
        IndexDocument: { Suffix: 'index.html' },
        ErrorDocument: { Key: 'error.html' },
        RoutingRules: [
          { Condition: { KeyPrefixEquals: 'blog/' }, Redirect: { ReplaceKeyPrefixWith: 'posts/' } },
          { Condition: { KeyPrefixEquals: 'gone/', HttpErrorCodeReturnedEquals: '404' }, Redirect: { HostName: 'archive.example.com', Protocol: 'https', ReplaceKeyWith: 'index.html', HttpRedirectCode: '302' } },
        ],
      },
    }),
  );
  await put({ Bucket: 'bare', Key: 'index.html', Body: 'bare home', ContentType: 'text/html' });
  await s3.send(new PutBucketWebsiteCommand({ Bucket: 'bare', WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }));
  await s3.send(new PutBucketWebsiteCommand({ Bucket: 'lost-error', WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: '404.html' } } }));
  await s3.send(new PutBucketWebsiteCommand({ Bucket: 'moved', WebsiteConfiguration: { RedirectAllRequestsTo: { HostName: 'new.example.com', Protocol: 'https' } } }));
  await put({ Bucket: 'plain', Key: 'index.html', Body: 'not a website' });
});
afterAll(async () => {
  await rt?.stop();
});

describe('serving pages', () => {
  it('serves the index document for / and for folders, with the stored Content-Type', async () => {
    const home = await get('www', '/');
    expect(home.status).toBe(200);
    expect(home.text).toBe('<h1>home</h1>');
    expect(home.headers['content-type']).toBe('text/html');
    const docs = await get('www', '/docs/');
    expect(docs.status).toBe(200);
    expect(docs.text).toBe('<h1>docs</h1>');
  });

  it('redirects a folder without its slash to the folder (302)', async () => {
    const r = await get('www', '/docs');
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('/docs/');
  });

  it("returns the object's headers: Content-Type, Cache-Control, ETag, Last-Modified, metadata", async () => {
    const css = await get('www', '/css/site.css');
    expect(css.status).toBe(200);
    expect(css.text).toBe('body{}');
    expect(css.headers['content-type']).toBe('text/css');
    expect(css.headers['cache-control']).toBe('max-age=60');
    expect(css.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(Date.parse(css.headers['last-modified'] as string)).not.toBeNaN();
    const about = await get('www', '/about.html');
    expect(about.headers['x-amz-meta-author']).toBe('me');
    expect((await get('www', '/a%20file.txt')).text).toBe('spaced');
  });

  it('HEAD answers the headers without a body', async () => {
    const r = await send('HEAD', site('www'), '/about.html');
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe(String('<h1>about</h1>'.length));
    expect(r.body.length).toBe(0);
  });

  it('streams a large object whole, and serves ranges and conditional GETs', async () => {
    const r = await get('www', '/big.bin');
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe(String(BIG.length));
    expect(r.body.equals(BIG)).toBe(true);
    const range = await get('www', '/big.bin', { range: 'bytes=100-199' });
    expect(range.status).toBe(206);
    expect(range.body.equals(BIG.subarray(100, 200))).toBe(true);
    expect(range.headers['content-range']).toBe(`bytes 100-199/${BIG.length}`);
    const again = await get('www', '/big.bin', { 'if-none-match': r.headers.etag as string });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('the same bucket through the REST API is still the REST API', async () => {
    const out = await s3.send(new GetObjectCommand({ Bucket: 'www', Key: 'index.html' }));
    expect(await out.Body!.transformToString()).toBe('<h1>home</h1>');
  });

  it('answers for <bucket>.s3-website-<region>.amazonaws.com hosts too', async () => {
    const r = await send('GET', 'bare.s3-website-us-east-1.amazonaws.com', '/');
    expect(r.status).toBe(200);
    expect(r.text).toBe('bare home');
  });

  it('answers for <bucket>.s3-website.localhost, which is no virtual host of the REST API', async () => {
    const r = await send('GET', `www.s3-website.localhost:${rt.port}`, '/docs/');
    expect(r.status).toBe(200);
    expect(r.text).toBe('<h1>docs</h1>');
  });
});

describe('missing pages and errors', () => {
  it('serves the error document with status 404', async () => {
    const r = await get('www', '/nope.html');
    expect(r.status).toBe(404);
    expect(r.text).toBe('<h1>oops</h1>');
    expect(r.headers['content-type']).toBe('text/html');
  });

  it("without an error document: S3's 404 NoSuchKey page", async () => {
    const r = await get('bare', '/nope.html');
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.text).toContain('<title>404 Not Found</title>');
    expect(r.text).toContain('<li>Code: NoSuchKey</li>');
    expect(r.text).toContain('<li>Message: The specified key does not exist.</li>');
    expect(r.text).toContain('<li>Key: nope.html</li>');
    expect(r.text).toMatch(/<li>RequestId: [^<]+<\/li>/);
    expect(r.text).toMatch(/<li>HostId: [^<]+<\/li>/);
  });

  it('an error document that is missing itself is reported in the 404 page', async () => {
    const r = await get('lost-error', '/x.html');
    expect(r.status).toBe(404);
    expect(r.text).toContain('<li>Key: x.html</li>');
    expect(r.text).toContain('An Error Occurred While Attempting to Retrieve a Custom Error Document');
    expect(r.text).toContain('<li>Key: 404.html</li>');
  });

  it('a bucket without website configuration: 404 NoSuchWebsiteConfiguration; an unknown bucket: 404 NoSuchBucket', async () => {
    const plain = await get('plain', '/');
    expect(plain.status).toBe(404);
    expect(plain.text).toContain('<li>Code: NoSuchWebsiteConfiguration</li>');
    expect(plain.text).toContain('<li>BucketName: plain</li>');
    const unknown = await get('no-such-site', '/index.html');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('<li>Code: NoSuchBucket</li>');
    expect(unknown.text).toContain('<li>BucketName: no-such-site</li>');
  });

  it('only GET and HEAD: other methods get 405 MethodNotAllowed, and nothing is written', async () => {
    for (const method of ['PUT', 'POST', 'DELETE']) {
      const r = await send(method, site('www'), '/index.html');
      expect(r.status, method).toBe(405);
      expect(r.text).toContain('<li>Code: MethodNotAllowed</li>');
      expect(r.text).toContain(`<li>Method: ${method}</li>`);
    }
    expect((await get('www', '/')).text).toBe('<h1>home</h1>');
  });
});

describe('redirects', () => {
  it('an object with x-amz-website-redirect-location redirects (301)', async () => {
    const r = await get('www', '/old-page');
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('/about.html');
  });

  it('a KeyPrefixEquals rule redirects before the lookup, replacing the prefix', async () => {
    const r = await get('www', '/blog/2024/hello.html');
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe(`http://${site('www')}/posts/2024/hello.html`);
  });

  it('an HttpErrorCodeReturnedEquals rule redirects only missing keys, with its host, protocol, key and code', async () => {
    const r = await get('www', '/gone/page.html');
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('https://archive.example.com/index.html');
    // the same prefix on a key that exists is served
    await put({ Bucket: 'www', Key: 'gone/kept.html', Body: 'kept', ContentType: 'text/html' });
    expect((await get('www', '/gone/kept.html')).text).toBe('kept');
  });

  it('RedirectAllRequestsTo sends every request to the other host (301)', async () => {
    const r = await get('moved', '/some/page.html');
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('https://new.example.com/some/page.html');
  });
});

describe('Put/Get/DeleteBucketWebsite', () => {
  it('round-trips the configuration', async () => {
    const out = await s3.send(new GetBucketWebsiteCommand({ Bucket: 'www' }));
    expect(out.IndexDocument).toEqual({ Suffix: 'index.html' });
    expect(out.ErrorDocument).toEqual({ Key: 'error.html' });
    expect(out.RoutingRules).toHaveLength(2);
    expect(out.RoutingRules![1]).toEqual({ Condition: { KeyPrefixEquals: 'gone/', HttpErrorCodeReturnedEquals: '404' }, Redirect: { HostName: 'archive.example.com', Protocol: 'https', ReplaceKeyWith: 'index.html', HttpRedirectCode: '302' } });
  });

  it('refuses bad configurations with S3 errors', async () => {
    const noIndex = await sdkError(s3.send(new PutBucketWebsiteCommand({ Bucket: 'plain', WebsiteConfiguration: { ErrorDocument: { Key: 'e.html' } } })));
    expect(noIndex).toMatchObject({ name: 'InvalidArgument', status: 400, message: 'A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty' });
    const slash = await sdkError(s3.send(new PutBucketWebsiteCommand({ Bucket: 'plain', WebsiteConfiguration: { IndexDocument: { Suffix: 'a/index.html' } } })));
    expect(slash).toMatchObject({ name: 'InvalidArgument', message: 'The IndexDocument Suffix is not well formed' });
    const both = await sdkError(
      s3.send(new PutBucketWebsiteCommand({ Bucket: 'plain', WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' }, RoutingRules: [{ Redirect: { ReplaceKeyWith: 'a', ReplaceKeyPrefixWith: 'b' } }] } })),
    );
    expect(both).toMatchObject({ name: 'InvalidRequest', message: 'You can only define ReplaceKeyPrefix or ReplaceKey but not both.' });
    const mixed = await sdkError(s3.send(new PutBucketWebsiteCommand({ Bucket: 'plain', WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' }, RedirectAllRequestsTo: { HostName: 'x.example.com' } } })));
    expect(mixed).toMatchObject({ name: 'InvalidArgument', message: 'RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.' });
    // nothing was stored
    expect(await sdkError(s3.send(new GetBucketWebsiteCommand({ Bucket: 'plain' })))).toMatchObject({ name: 'NoSuchWebsiteConfiguration', status: 404 });
  });

  it('deleting the configuration turns the website off', async () => {
    await s3.send(new DeleteBucketWebsiteCommand({ Bucket: 'bare' }));
    expect(await sdkError(s3.send(new GetBucketWebsiteCommand({ Bucket: 'bare' })))).toMatchObject({ name: 'NoSuchWebsiteConfiguration', message: 'The specified bucket does not have a website configuration' });
    const r = await get('bare', '/');
    expect(r.status).toBe(404);
    expect(r.text).toContain('<li>Code: NoSuchWebsiteConfiguration</li>');
  });
});

describe('CORS on the website endpoint', () => {
  it("applies the bucket's CORS rules to pages and preflights", async () => {
    await s3.send(new PutBucketCorsCommand({ Bucket: 'www', CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['https://fonts.example.com'], AllowedMethods: ['GET'] }] } }));
    const page = await get('www', '/css/site.css', { origin: 'https://fonts.example.com' });
    expect(page.status).toBe(200);
    expect(page.headers['access-control-allow-origin']).toBe('https://fonts.example.com');
    const other = await get('www', '/css/site.css', { origin: 'https://elsewhere.example.com' });
    expect(other.status).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const ok = await send('OPTIONS', site('www'), '/css/site.css', { origin: 'https://fonts.example.com', 'access-control-request-method': 'GET' });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-methods']).toBe('GET');
    const refused = await send('OPTIONS', site('www'), '/css/site.css', { origin: 'https://fonts.example.com', 'access-control-request-method': 'PUT' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('<Code>AccessForbidden</Code>');
  });
});
