/**
 * S3's object operations on the wire: PutObject, GetObject, HeadObject, CopyObject,
 * UploadPartCopy, with AWS's status codes, headers and documents.
 * Facts asserted (AWS's API reference, the S3 user guide on conditional requests, and answers
 * recorded from AWS):
 *  - GET / HEAD with partNumber answer 206 with Content-Range; x-amz-mp-parts-count for a
 *    multipart object; part 1 of a single-part object is all of it (206, no parts count);
 *  - conditions combine as RFC 7232 and S3 document: If-Match true makes If-Unmodified-Since
 *    moot; If-None-Match false is 304 whatever If-Modified-Since says, and when it is there
 *    If-Modified-Since is not looked at; the x-amz-copy-source-if-* of CopyObject and
 *    UploadPartCopy combine the same way, every failure a 412 naming the condition;
 *  - PutObject takes If-None-Match `*` only and If-Match an ETag only: any other form, or both,
 *    is 501 NotImplemented naming the header, with S3's additionalMessage;
 *  - user metadata beyond US-ASCII is stored RFC 2047-decoded and returned encoded (Q, or B
 *    for control characters), safe values as they are;
 *  - a response-* override outside ISO-8859-1 is InvalidArgument naming the parameter;
 *  - CopyObjectResult: LastModified (whole seconds), ETag, ChecksumType and the checksum;
 *  - a copy onto itself is allowed when the request names something to change (metadata
 *    with REPLACE, a storage class even the same one, encryption, a website redirect), and
 *    refused with S3's message when it does not (an ACL alone does not count).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectAnswer, s3, S3_NS, send } from '../../support/wire.js';

let rt: RuntimeProcess;
let etag = '';
const ERROR_IDS = '<RequestId>{{request-id}}</RequestId><HostId>{{*}}</HostId>';
const PAST = 'Sat, 01 Jan 2000 00:00:00 GMT';
const FUTURE = 'Fri, 01 Jan 2100 00:00:00 GMT';
const PART = 5 * 1024 * 1024;

const preconditionFailed = (condition: string) =>
  `<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>${condition}</Condition>${ERROR_IDS}</Error>`;

const notImplemented = (header: string, additional: string) =>
  `<Error><Code>NotImplemented</Code><Message>A header you provided implies functionality that is not implemented</Message><Header>${header}</Header><additionalMessage>${additional}</additionalMessage>${ERROR_IDS}</Error>`;

async function ok(method: string, path: string, body?: string | Uint8Array, headers: Record<string, string> = {}) {
  const answer = await send(rt.endpoint, s3(method, path, body, headers));
  expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
  return answer;
}

beforeAll(async () => {
  rt = await startRuntime();
  await ok('PUT', '/wire-objects');
  etag = (await ok('PUT', '/wire-objects/k', 'hello')).headers.etag!;
  // a multipart object of two parts: 5 MiB and 3 bytes
  const created = await ok('POST', '/wire-objects/mp?uploads');
  const uploadId = /<UploadId>([^<]+)</.exec(created.text)![1]!;
  const e1 = (await ok('PUT', `/wire-objects/mp?partNumber=1&uploadId=${uploadId}`, new Uint8Array(PART).fill(97))).headers.etag!;
  const e2 = (await ok('PUT', `/wire-objects/mp?partNumber=2&uploadId=${uploadId}`, 'xyz')).headers.etag!;
  const complete = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${e1}</ETag></Part><Part><PartNumber>2</PartNumber><ETag>${e2}</ETag></Part></CompleteMultipartUpload>`;
  await ok('POST', `/wire-objects/mp?uploadId=${uploadId}`, complete);
});
afterAll(async () => {
  await rt?.stop();
});

describe('PutObject, GetObject, HeadObject', () => {
  it('answer with the headers S3 sends and no document', async () => {
    // bytes, so that the request has no Content-Type and the object gets S3's default
    await expectAnswer(rt.endpoint, s3('PUT', '/wire-objects/p', new TextEncoder().encode('hello')), {
      status: 200,
      headers: {
        etag: '"5d41402abc4b2a76b9719d911017c592"',
        'x-amz-checksum-crc64nvme': 'M3eFcAZSQlc=',
        'x-amz-checksum-type': 'FULL_OBJECT',
        'x-amz-server-side-encryption': 'AES256',
        'x-amz-version-id': null,
        server: 'AmazonS3',
        'x-amz-request-id': /^\S+$/,
        'x-amz-id-2': /^\S+$/,
      },
      empty: true,
    });
    const get = await expectAnswer(rt.endpoint, s3('GET', '/wire-objects/p'), {
      status: 200,
      headers: {
        'accept-ranges': 'bytes',
        'content-length': '5',
        'content-type': 'binary/octet-stream',
        etag: '"5d41402abc4b2a76b9719d911017c592"',
        'last-modified': /^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/,
        'x-amz-server-side-encryption': 'AES256',
        'x-amz-checksum-crc64nvme': null,
        'content-range': null,
        server: 'AmazonS3',
      },
    });
    expect(get.text).toBe('hello');
    await expectAnswer(rt.endpoint, s3('HEAD', '/wire-objects/p', undefined, { 'x-amz-checksum-mode': 'ENABLED' }), {
      status: 200,
      headers: { 'content-length': '5', 'x-amz-checksum-crc64nvme': 'M3eFcAZSQlc=', 'x-amz-checksum-type': 'FULL_OBJECT', server: 'AmazonS3' },
      empty: true,
    });
  });
});

describe('user metadata beyond US-ASCII (RFC 2047, as the S3 user guide says)', () => {
  it('is stored decoded and returned Q- or B-encoded; safe values as they are', async () => {
    const q = (text: string) => `=?UTF-8?Q?${text}?=`;
    await ok('PUT', '/wire-objects/meta', 'm', {
      'x-amz-meta-non-ascii': '=?UTF-8?B?w4RNw4Raw5XDkSBTMw==?=', // ÄMÄZÕÑ S3
      'x-amz-meta-q': q('test=5F=E2=80=94=5Ffile%E2%80%94=5F=C3=A9=5F2=3F.pdf'),
      'x-amz-meta-binary': '=?UTF-8?B?AAECAw==?=',
      'x-amz-meta-fake-encoded': '=?UTF-8?Q?actually-ascii?=',
      'x-amz-meta-ascii-b64': '=?UTF-8?B?YWJj?=',
      'x-amz-meta-safe': "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    });
    await expectAnswer(rt.endpoint, s3('HEAD', '/wire-objects/meta'), {
      status: 200,
      headers: {
        'x-amz-meta-non-ascii': q('=C3=84M=C3=84Z=C3=95=C3=91_S3'),
        'x-amz-meta-q': q('test=5F=E2=80=94=5Ffile%E2%80%94=5F=C3=A9=5F2=3F.pdf'),
        'x-amz-meta-binary': '=?UTF-8?B?AAECAw==?=',
        'x-amz-meta-fake-encoded': 'actually-ascii',
        'x-amz-meta-ascii-b64': 'abc',
        'x-amz-meta-safe': "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
      },
      empty: true,
    });
  });

  it('sent as raw UTF-8 bytes is taken as the text they encode', async () => {
    // a header is bytes: Node (and fetch) carry ISO-8859-1 characters, one per byte
    const raw = Buffer.from('caf\u00e9 \u2014', 'utf8').toString('latin1');
    await ok('PUT', '/wire-objects/meta-raw', 'm', { 'x-amz-meta-raw': raw });
    await expectAnswer(rt.endpoint, s3('GET', '/wire-objects/meta-raw'), { status: 200, headers: { 'x-amz-meta-raw': '=?UTF-8?Q?caf=C3=A9_=E2=80=94?=' } });
  });
});

describe('response-* overrides', () => {
  it('become headers; a value outside ISO-8859-1 is InvalidArgument naming the parameter', async () => {
    await expectAnswer(rt.endpoint, s3('GET', '/wire-objects/k?response-cache-control=no-store&response-content-type=text/x-caf%C3%A9'), {
      status: 200,
      headers: { 'cache-control': 'no-store', 'content-type': 'text/x-caf\u00e9' },
    });
    await expectAnswer(rt.endpoint, s3('GET', '/wire-objects/k?response-cache-control=non-ascii-%E2%80%94'), {
      status: 400,
      headers: { server: 'AmazonS3' },
      xml: `<Error><Code>InvalidArgument</Code><Message>Header value cannot be represented using ISO-8859-1.</Message>
        <ArgumentName>response-cache-control</ArgumentName><ArgumentValue>non-ascii-\u2014</ArgumentValue>${ERROR_IDS}</Error>`,
    });
  });
});

describe('partNumber', () => {
  it('of a multipart object: 206 with Content-Range and x-amz-mp-parts-count', async () => {
    const get = await expectAnswer(rt.endpoint, s3('GET', '/wire-objects/mp?partNumber=2'), {
      status: 206,
      headers: { 'content-range': `bytes ${PART}-${PART + 2}/${PART + 3}`, 'content-length': '3', 'x-amz-mp-parts-count': '2', etag: /-2"$/ },
    });
    expect(get.text).toBe('xyz');
    await expectAnswer(rt.endpoint, s3('HEAD', '/wire-objects/mp?partNumber=1'), {
      status: 206,
      headers: { 'content-range': `bytes 0-${PART - 1}/${PART + 3}`, 'content-length': String(PART), 'x-amz-mp-parts-count': '2' },
      empty: true,
    });
    await expectAnswer(rt.endpoint, s3('GET', '/wire-objects/mp?partNumber=3'), {
      status: 416,
      xml: `<Error><Code>InvalidPartNumber</Code><Message>The requested partnumber is not satisfiable</Message>
        <PartNumberRequested>3</PartNumberRequested><ActualPartCount>2</ActualPartCount>${ERROR_IDS}</Error>`,
    });
  });

  it('1 of a single-part object: the whole object as a part, 206 without a parts count', async () => {
    const get = await expectAnswer(rt.endpoint, s3('GET', '/wire-objects/k?partNumber=1', undefined, { 'x-amz-checksum-mode': 'ENABLED' }), {
      status: 206,
      headers: { 'content-range': 'bytes 0-4/5', 'content-length': '5', 'x-amz-mp-parts-count': null, 'x-amz-checksum-crc64nvme': 'M3eFcAZSQlc=', 'x-amz-checksum-type': 'FULL_OBJECT' },
    });
    expect(get.text).toBe('hello');
    await expectAnswer(rt.endpoint, s3('HEAD', '/wire-objects/k?partNumber=1'), {
      status: 206,
      headers: { 'content-range': 'bytes 0-4/5', 'x-amz-mp-parts-count': null },
      empty: true,
    });
    await expectAnswer(rt.endpoint, s3('GET', '/wire-objects/k?partNumber=2'), {
      status: 416,
      xml: `<Error><Code>InvalidPartNumber</Code><Message>The requested partnumber is not satisfiable</Message>
        <PartNumberRequested>2</PartNumberRequested><ActualPartCount>1</ActualPartCount>${ERROR_IDS}</Error>`,
    });
    // a range that is the whole object carries the object's checksum; one that is not, none
    await expectAnswer(rt.endpoint, s3('GET', '/wire-objects/k', undefined, { range: 'bytes=0-', 'x-amz-checksum-mode': 'ENABLED' }), {
      status: 206,
      headers: { 'content-range': 'bytes 0-4/5', 'x-amz-checksum-crc64nvme': 'M3eFcAZSQlc=', 'x-amz-checksum-type': 'FULL_OBJECT' },
    });
    await expectAnswer(rt.endpoint, s3('GET', '/wire-objects/k', undefined, { range: 'bytes=1-', 'x-amz-checksum-mode': 'ENABLED' }), {
      status: 206,
      headers: { 'content-range': 'bytes 1-4/5', 'x-amz-checksum-crc64nvme': null, 'x-amz-checksum-type': null },
    });
    await expectAnswer(rt.endpoint, s3('GET', '/wire-objects/k?partNumber=1', undefined, { range: 'bytes=0-1' }), {
      status: 400,
      xml: `<Error><Code>InvalidRequest</Code><Message>Cannot specify both Range header and partNumber query parameter</Message>${ERROR_IDS}</Error>`,
    });
  });
});

describe('conditional GET', () => {
  it('If-Match true with If-Unmodified-Since false reads the object', async () => {
    await expectAnswer(rt.endpoint, s3('GET', '/wire-objects/k', undefined, { 'if-match': etag, 'if-unmodified-since': PAST }), { status: 200, headers: { etag } });
  });
  it('If-None-Match false with If-Modified-Since true is 304, with no body', async () => {
    await expectAnswer(rt.endpoint, s3('GET', '/wire-objects/k', undefined, { 'if-none-match': etag, 'if-modified-since': PAST }), {
      status: 304,
      headers: { etag, server: 'AmazonS3' },
      empty: true,
    });
  });
  it('If-None-Match true leaves If-Modified-Since unread', async () => {
    await expectAnswer(rt.endpoint, s3('GET', '/wire-objects/k', undefined, { 'if-none-match': '"other"', 'if-modified-since': FUTURE }), { status: 200 });
  });
  it('a condition that fails alone is 412 naming it, or 304', async () => {
    await expectAnswer(rt.endpoint, s3('GET', '/wire-objects/k', undefined, { 'if-match': '"other"' }), { status: 412, xml: preconditionFailed('If-Match') });
    await expectAnswer(rt.endpoint, s3('GET', '/wire-objects/k', undefined, { 'if-unmodified-since': PAST }), { status: 412, xml: preconditionFailed('If-Unmodified-Since') });
    await expectAnswer(rt.endpoint, s3('HEAD', '/wire-objects/k', undefined, { 'if-modified-since': FUTURE }), { status: 304, empty: true });
  });
});

describe('conditional PutObject', () => {
  it('takes If-None-Match * only, and If-Match as an ETag only: other forms are 501', async () => {
    await expectAnswer(rt.endpoint, s3('PUT', '/wire-objects/k', 'x', { 'if-none-match': etag }), {
      status: 501,
      headers: { server: 'AmazonS3' },
      xml: notImplemented('If-None-Match', "We don't accept the provided value of If-None-Match header for this API"),
    });
    await expectAnswer(rt.endpoint, s3('PUT', '/wire-objects/k', 'x', { 'if-match': '*' }), {
      status: 501,
      xml: notImplemented('If-Match', "We don't accept the provided value of If-Match header for this API"),
    });
    await expectAnswer(rt.endpoint, s3('PUT', '/wire-objects/k', 'x', { 'if-match': etag, 'if-none-match': '*' }), {
      status: 501,
      xml: notImplemented('If-Match,If-None-Match', 'Multiple conditional request headers present in the request'),
    });
    await expectAnswer(rt.endpoint, s3('PUT', '/wire-objects/k', 'x', { 'if-none-match': '*' }), { status: 412, xml: preconditionFailed('If-None-Match') });
    await expectAnswer(rt.endpoint, s3('PUT', '/wire-objects/k', 'x', { 'if-match': '"other"' }), { status: 412, xml: preconditionFailed('If-Match') });
    await expectAnswer(rt.endpoint, s3('GET', '/wire-objects/k'), { status: 200, headers: { etag } });
  });
});

describe('CopyObject', () => {
  const result = `<CopyObjectResult xmlns="${S3_NS}"><LastModified>{{iso-s}}</LastModified><ETag>{{etag}}</ETag>
    <ChecksumType>FULL_OBJECT</ChecksumType><ChecksumCRC64NVME>M3eFcAZSQlc=</ChecksumCRC64NVME></CopyObjectResult>`;

  it('answers CopyObjectResult with the checksum and its type, at second precision', async () => {
    await expectAnswer(rt.endpoint, s3('PUT', '/wire-objects/copy', undefined, { 'x-amz-copy-source': '/wire-objects/k' }), {
      status: 200,
      headers: { 'content-type': 'application/xml', 'x-amz-server-side-encryption': 'AES256', 'x-amz-copy-source-version-id': null, server: 'AmazonS3' },
      xml: result,
    });
  });

  it('combines the copy-source conditions as RFC 7232 does, failures 412 naming the header', async () => {
    const copy = (headers: Record<string, string>) => s3('PUT', '/wire-objects/copy', undefined, { 'x-amz-copy-source': '/wire-objects/k', ...headers });
    await expectAnswer(rt.endpoint, copy({ 'x-amz-copy-source-if-match': etag, 'x-amz-copy-source-if-unmodified-since': PAST }), { status: 200, xml: result });
    await expectAnswer(rt.endpoint, copy({ 'x-amz-copy-source-if-none-match': etag, 'x-amz-copy-source-if-modified-since': PAST }), {
      status: 412,
      xml: preconditionFailed('x-amz-copy-source-If-None-Match'),
    });
    await expectAnswer(rt.endpoint, copy({ 'x-amz-copy-source-if-none-match': '"other"', 'x-amz-copy-source-if-modified-since': FUTURE }), { status: 200, xml: result });
    await expectAnswer(rt.endpoint, copy({ 'x-amz-copy-source-if-match': '"other"' }), { status: 412, xml: preconditionFailed('x-amz-copy-source-If-Match') });
    await expectAnswer(rt.endpoint, copy({ 'x-amz-copy-source-if-unmodified-since': PAST }), { status: 412, xml: preconditionFailed('x-amz-copy-source-If-Unmodified-Since') });
    await expectAnswer(rt.endpoint, copy({ 'x-amz-copy-source-if-modified-since': FUTURE }), { status: 412, xml: preconditionFailed('x-amz-copy-source-If-Modified-Since') });
  });

  it('onto itself: allowed when the request names a change, refused with S3 message when not', async () => {
    await ok('PUT', '/wire-objects/self', 'self');
    const self = (headers: Record<string, string> = {}) => s3('PUT', '/wire-objects/self', undefined, { 'x-amz-copy-source': '/wire-objects/self', ...headers });
    const refused = `<Error><Code>InvalidRequest</Code><Message>This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.</Message>${ERROR_IDS}</Error>`;
    await expectAnswer(rt.endpoint, self(), { status: 400, xml: refused });
    await expectAnswer(rt.endpoint, self({ 'x-amz-acl': 'public-read' }), { status: 400, xml: refused });
    await expectAnswer(rt.endpoint, self({ 'x-amz-meta-a': 'b' }), { status: 400, xml: refused });
    const copied = `<CopyObjectResult xmlns="${S3_NS}"><LastModified>{{iso-s}}</LastModified><ETag>{{etag}}</ETag>
      <ChecksumType>FULL_OBJECT</ChecksumType><ChecksumCRC64NVME>{{*}}</ChecksumCRC64NVME></CopyObjectResult>`;
    const changes: Array<Record<string, string>> = [
      { 'x-amz-metadata-directive': 'REPLACE', 'x-amz-meta-a': 'b' },
      { 'x-amz-storage-class': 'STANDARD' },
      { 'x-amz-server-side-encryption': 'AES256' },
      { 'x-amz-website-redirect-location': '/elsewhere' },
    ];
    for (const change of changes) {
      await expectAnswer(rt.endpoint, self(change), { status: 200, xml: copied });
    }
    await expectAnswer(rt.endpoint, s3('HEAD', '/wire-objects/self'), { status: 200, headers: { 'x-amz-meta-a': 'b', 'x-amz-website-redirect-location': '/elsewhere' }, empty: true });
  });

  it('onto itself in a bucket with an encryption configuration of its own, as it is', async () => {
    await ok('PUT', '/wire-encrypted');
    const encryption = `<ServerSideEncryptionConfiguration xmlns="${S3_NS}"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>`;
    await ok('PUT', '/wire-encrypted?encryption', encryption);
    await ok('PUT', '/wire-encrypted/e', 'e');
    await expectAnswer(rt.endpoint, s3('PUT', '/wire-encrypted/e', undefined, { 'x-amz-copy-source': '/wire-encrypted/e' }), {
      status: 200,
      xml: `<CopyObjectResult xmlns="${S3_NS}"><LastModified>{{iso-s}}</LastModified><ETag>{{etag}}</ETag>
        <ChecksumType>FULL_OBJECT</ChecksumType><ChecksumCRC64NVME>{{*}}</ChecksumCRC64NVME></CopyObjectResult>`,
    });
  });
});

describe('UploadPartCopy', () => {
  it('combines the copy-source conditions as CopyObject does', async () => {
    const created = await ok('POST', '/wire-objects/dest?uploads');
    const uploadId = /<UploadId>([^<]+)</.exec(created.text)![1]!;
    const copy = (headers: Record<string, string>) =>
      s3('PUT', `/wire-objects/dest?partNumber=1&uploadId=${uploadId}`, undefined, { 'x-amz-copy-source': '/wire-objects/k', ...headers });
    const part = `<CopyPartResult xmlns="${S3_NS}"><ETag>${etag.replace(/"/g, '&quot;')}</ETag><LastModified>{{iso}}</LastModified></CopyPartResult>`;
    await expectAnswer(rt.endpoint, copy({ 'x-amz-copy-source-if-match': etag, 'x-amz-copy-source-if-unmodified-since': PAST }), { status: 200, xml: part });
    await expectAnswer(rt.endpoint, copy({ 'x-amz-copy-source-if-none-match': '"other"', 'x-amz-copy-source-if-unmodified-since': PAST }), {
      status: 412,
      xml: preconditionFailed('x-amz-copy-source-If-Unmodified-Since'),
    });
    await expectAnswer(rt.endpoint, copy({ 'x-amz-copy-source-if-none-match': etag, 'x-amz-copy-source-if-modified-since': PAST }), {
      status: 412,
      xml: preconditionFailed('x-amz-copy-source-If-None-Match'),
    });
    await expectAnswer(rt.endpoint, copy({ 'x-amz-copy-source-if-match': '"other"' }), { status: 412, xml: preconditionFailed('x-amz-copy-source-If-Match') });
  });
});
