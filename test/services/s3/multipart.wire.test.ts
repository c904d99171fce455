/**
 * S3 multipart uploads at the level of the wire: ListParts (NextPartNumberMarker, empty
 * markers), ListMultipartUploads, UploadPart checksum errors, CompleteMultipartUpload's rules
 * (at least one part, InvalidPartOrder, InvalidPart, EntityTooSmall) and its idempotence,
 * AbortMultipartUpload of a completed upload, UploadPartCopy of keys with unicode and special
 * characters. Expectations: the API reference (response syntax and examples) and the answers
 * recorded from AWS (LocalStack's snapshot suite).
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectAnswer, s3, S3_NS, send } from '../../support/wire.js';

let rt: RuntimeProcess;
const B = 'multipart-wire';
const ID = '{{/^[0-9a-f]{64}$/}}';
const error = (code: string, message: string, fields = '') => `<Error><Code>${code}</Code><Message>${message}</Message>${fields}<RequestId>{{request-id}}</RequestId><HostId>{{*}}</HostId></Error>`;
const NO_SUCH_UPLOAD = (id: string) =>
  error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', `<UploadId>${id}</UploadId>`);
const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');
const complete = (parts: Array<[number, string]>) =>
  `<CompleteMultipartUpload xmlns="${S3_NS}">${parts.map(([n, etag]) => `<Part><PartNumber>${n}</PartNumber><ETag>"${etag}"</ETag></Part>`).join('')}</CompleteMultipartUpload>`;

async function create(key: string, headers: Record<string, string> = {}): Promise<string> {
  const r = await send(rt.endpoint, s3('POST', `/${B}/${key}?uploads`, undefined, headers));
  expect(r.status).toBe(200);
  return /<UploadId>([^<]+)<\/UploadId>/.exec(r.text)![1]!;
}

async function part(key: string, id: string, n: number, body: string | Buffer): Promise<string> {
  const r = await send(rt.endpoint, s3('PUT', `/${B}/${key}?partNumber=${n}&uploadId=${id}`, body));
  expect(r.status, r.text).toBe(200);
  return r.headers.etag!.replace(/"/g, '');
}

beforeAll(async () => {
  rt = await startRuntime();
  expect((await send(rt.endpoint, s3('PUT', `/${B}`))).status).toBe(200);
});
afterAll(async () => {
  await rt?.stop();
});

describe('ListParts and ListMultipartUploads', () => {
  it('NextPartNumberMarker is 0 before any part and the last part listed after; empty markers are none', async () => {
    const id = await create('list');
    const listed = (parts: string, next: number) => `
      <ListPartsResult xmlns="${S3_NS}">
        <Bucket>${B}</Bucket><Key>list</Key><UploadId>${id}</UploadId>
        <PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>${next}</NextPartNumberMarker>
        <MaxParts>1000</MaxParts><IsTruncated>false</IsTruncated>${parts}
        <Initiator><ID>${ID}</ID><DisplayName>{{*}}</DisplayName></Initiator>
        <Owner><ID>${ID}</ID></Owner>
        <StorageClass>STANDARD</StorageClass>
      </ListPartsResult>`;
    await expectAnswer(rt.endpoint, s3('GET', `/${B}/list?uploadId=${id}`), { status: 200, headers: { 'content-type': 'application/xml' }, xml: listed('', 0) });
    const etag = await part('list', id, 1, 'abcd');
    const one = `<Part><PartNumber>1</PartNumber><LastModified>{{iso}}</LastModified><ETag>"${etag}"</ETag><Size>4</Size></Part>`;
    await expectAnswer(rt.endpoint, s3('GET', `/${B}/list?uploadId=${id}&part-number-marker=`), { status: 200, xml: listed(one, 1) });
    await expectAnswer(rt.endpoint, s3('GET', `/${B}/list?uploadId=${id}&max-parts=`), { status: 200, xml: listed(one, 1) });
    await expectAnswer(rt.endpoint, s3('GET', `/${B}?uploads`), {
      status: 200,
      xml: `
        <ListMultipartUploadsResult xmlns="${S3_NS}">
          <Bucket>${B}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>
          <NextKeyMarker>list</NextKeyMarker><NextUploadIdMarker>${id}</NextUploadIdMarker>
          <MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>
          <Upload>
            <UploadId>${id}</UploadId><Key>list</Key><Initiated>{{iso}}</Initiated><StorageClass>STANDARD</StorageClass>
            <Owner><ID>${ID}</ID></Owner>
            <Initiator><ID>${ID}</ID><DisplayName>{{*}}</DisplayName></Initiator>
          </Upload>
        </ListMultipartUploadsResult>`,
    });
    await expectAnswer(rt.endpoint, s3('DELETE', `/${B}/list?uploadId=${id}`), { status: 204, empty: true });
    await expectAnswer(rt.endpoint, s3('GET', `/${B}?uploads&prefix=none`), {
      status: 200,
      xml: `
        <ListMultipartUploadsResult xmlns="${S3_NS}">
          <Bucket>${B}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>
          <NextKeyMarker></NextKeyMarker><Prefix>none</Prefix><NextUploadIdMarker></NextUploadIdMarker>
          <MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>
        </ListMultipartUploadsResult>`,
    });
  });
});

describe('ListParts pages', () => {
  it('a truncated page names its last part in NextPartNumberMarker, and the next page starts after it', async () => {
    const id = await create('pages');
    const etags = [await part('pages', id, 1, 'a'), await part('pages', id, 2, 'b'), await part('pages', id, 5, 'c')];
    const page = (marker: number, next: number, truncated: boolean, parts: Array<[number, string]>) => `
      <ListPartsResult xmlns="${S3_NS}">
        <Bucket>${B}</Bucket><Key>pages</Key><UploadId>${id}</UploadId>
        <PartNumberMarker>${marker}</PartNumberMarker><NextPartNumberMarker>${next}</NextPartNumberMarker>
        <MaxParts>2</MaxParts><IsTruncated>${truncated}</IsTruncated>
        ${parts.map(([n, etag]) => `<Part><PartNumber>${n}</PartNumber><LastModified>{{iso}}</LastModified><ETag>"${etag}"</ETag><Size>1</Size></Part>`).join('')}
        <Initiator><ID>${ID}</ID><DisplayName>{{*}}</DisplayName></Initiator>
        <Owner><ID>${ID}</ID></Owner>
        <StorageClass>STANDARD</StorageClass>
      </ListPartsResult>`;
    await expectAnswer(rt.endpoint, s3('GET', `/${B}/pages?uploadId=${id}&max-parts=2`), { status: 200, xml: page(0, 2, true, [[1, etags[0]!], [2, etags[1]!]]) });
    await expectAnswer(rt.endpoint, s3('GET', `/${B}/pages?uploadId=${id}&max-parts=2&part-number-marker=2`), { status: 200, xml: page(2, 5, false, [[5, etags[2]!]]) });
  });
});

describe('UploadPart checksums', () => {
  it('a value that is no checksum is InvalidRequest; a wrong one BadDigest; another algorithm than the upload\'s InvalidRequest', async () => {
    const id = await create('sums');
    await expectAnswer(rt.endpoint, s3('PUT', `/${B}/sums?partNumber=1&uploadId=${id}`, 'abcd', { 'x-amz-checksum-crc32': 'not-base64!' }), {
      status: 400,
      xml: error('InvalidRequest', 'Value for x-amz-checksum-crc32 header is invalid.'),
    });
    await expectAnswer(rt.endpoint, s3('PUT', `/${B}/sums?partNumber=1&uploadId=${id}`, 'abcd', { 'x-amz-checksum-crc32': 'AAAAAA==' }), {
      status: 400,
      xml: error('BadDigest', 'The CRC32 you specified did not match the calculated checksum.'),
    });
    const sha = await create('sums-sha', { 'x-amz-checksum-algorithm': 'SHA256' });
    await expectAnswer(rt.endpoint, s3('PUT', `/${B}/sums-sha?partNumber=1&uploadId=${sha}`, 'abcd', { 'x-amz-checksum-crc32': '7Z1w+Q==' }), {
      status: 400,
      xml: error('InvalidRequest', 'Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: crc32'),
    });
    // nothing was stored
    const listed = await send(rt.endpoint, s3('GET', `/${B}/sums?uploadId=${id}`));
    expect(listed.text).not.toContain('<Part>');
  });
});

describe('CompleteMultipartUpload', () => {
  it('refuses no parts, parts out of order, unknown parts or ETags, and small parts before the last, as S3 words it', async () => {
    const id = await create('rules');
    const e1 = await part('rules', id, 1, 'abcd');
    const e2 = await part('rules', id, 2, 'efgh');
    const order = error('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', `<UploadId>${id}</UploadId>`);
    const invalid = (n: number, etag: string) =>
      error(
        'InvalidPart',
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        `<UploadId>${id}</UploadId><PartNumber>${n}</PartNumber><ETag>${etag}</ETag>`,
      );
    const cases: Array<[string | undefined, string]> = [
      [undefined, error('InvalidRequest', 'You must specify at least one part')],
      [`<CompleteMultipartUpload xmlns="${S3_NS}"/>`, error('InvalidRequest', 'You must specify at least one part')],
      [complete([[2, e2], [1, e1]]), order],
      [complete([[1, e1], [1, e1]]), order],
      // the order is checked before any part is looked at
      [complete([[3, e1], [2, e2]]), order],
      [complete([[1, e1], [3, e2]]), invalid(3, e2)],
      [complete([[1, md5('')]]), invalid(1, md5(''))],
      [
        complete([[1, e1], [2, e2]]),
        error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', `<ProposedSize>4</ProposedSize><MinSizeAllowed>5242880</MinSizeAllowed><PartNumber>1</PartNumber><ETag>${e1}</ETag>`),
      ],
    ];
    for (const [body, expected] of cases) await expectAnswer(rt.endpoint, s3('POST', `/${B}/rules?uploadId=${id}`, body), { status: 400, xml: expected });
    // still in progress: one part (the last may be small) completes it
    await expectAnswer(rt.endpoint, s3('POST', `/${B}/rules?uploadId=${id}`, complete([[2, e2]])), { status: 200 });
  });

  it('a whole-object checksum that is not the object\'s: BadDigest named by the upload\'s algorithm, in lower case', async () => {
    const id = await create('whole', { 'x-amz-checksum-algorithm': 'CRC32', 'x-amz-checksum-type': 'FULL_OBJECT' });
    const sum = (text: string) => Buffer.from(crc32(Buffer.from(text)).toString(16).padStart(8, '0'), 'hex').toString('base64');
    const r = await send(rt.endpoint, s3('PUT', `/${B}/whole?partNumber=1&uploadId=${id}`, 'data', { 'x-amz-checksum-crc32': sum('data') }));
    expect(r.status, r.text).toBe(200);
    const bad = error('BadDigest', 'The crc32 you specified did not match the calculated checksum.');
    const body = complete([[1, md5('data')]]);
    await expectAnswer(rt.endpoint, s3('POST', `/${B}/whole?uploadId=${id}`, body, { 'x-amz-checksum-crc32': sum('other') }), { status: 400, xml: bad });
    await expectAnswer(rt.endpoint, s3('POST', `/${B}/whole?uploadId=${id}`, body, { 'x-amz-checksum-crc64nvme': 'AAAAAAAAAAA=' }), { status: 400, xml: bad });
    await expectAnswer(rt.endpoint, s3('POST', `/${B}/whole?uploadId=${id}`, body, { 'x-amz-checksum-crc32': sum('data') }), { status: 200 });
  });

  it('answers a repeated Complete with the same parts as the first (200); other parts, ListParts and Abort find no upload', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024, 'a');
    const id = await create('twice');
    const e1 = await part('twice', id, 1, big);
    const e3 = await part('twice', id, 3, 'tail');
    const etag = md5(Buffer.concat([Buffer.from(e1, 'hex'), Buffer.from(e3, 'hex')]));
    const expected = {
      status: 200,
      headers: { 'content-type': 'application/xml', 'x-amz-server-side-encryption': 'AES256' },
      xml: `
        <CompleteMultipartUploadResult xmlns="${S3_NS}">
          <Location>{{/^http://multipart-wire\\.s3\\..+/twice$/}}</Location>
          <Bucket>${B}</Bucket><Key>twice</Key><ETag>"${etag}-2"</ETag>
          <ChecksumCRC64NVME>{{*}}</ChecksumCRC64NVME><ChecksumType>FULL_OBJECT</ChecksumType>
        </CompleteMultipartUploadResult>`,
    };
    const first = await expectAnswer(rt.endpoint, s3('POST', `/${B}/twice?uploadId=${id}`, complete([[1, e1], [3, e3]])), expected);
    const again = await expectAnswer(rt.endpoint, s3('POST', `/${B}/twice?uploadId=${id}`, complete([[1, e1], [3, e3]])), expected);
    expect(again.text.replace(/<RequestId>.*/, '')).toBe(first.text.replace(/<RequestId>.*/, ''));
    await expectAnswer(rt.endpoint, s3('POST', `/${B}/twice?uploadId=${id}`, complete([[1, e1]])), { status: 404, xml: NO_SUCH_UPLOAD(id) });
    await expectAnswer(rt.endpoint, s3('GET', `/${B}/twice?uploadId=${id}`), { status: 404, xml: NO_SUCH_UPLOAD(id) });
    await expectAnswer(rt.endpoint, s3('DELETE', `/${B}/twice?uploadId=${id}`), { status: 404, xml: NO_SUCH_UPLOAD(id) });
    await expectAnswer(rt.endpoint, s3('DELETE', `/${B}/twice?uploadId=no-such-upload`), { status: 404, xml: NO_SUCH_UPLOAD('no-such-upload') });
    const object = await send(rt.endpoint, s3('HEAD', `/${B}/twice`));
    expect([object.status, object.headers['content-length'], object.headers.etag]).toEqual([200, String(big.length + 4), `"${etag}-2"`]);
  });
});

describe('UploadPartCopy', () => {
  it('copies keys with unicode and special characters named URL-encoded in x-amz-copy-source', async () => {
    const keys = ['dir/ünïcødé ✓.txt', 'a+b=c&d;e,f@g$h', 'spaces and %25 percent', '日本語/キー'];
    for (const [i, key] of keys.entries()) {
      const path = key.split('/').map(encodeURIComponent).join('/');
      expect((await send(rt.endpoint, s3('PUT', `/${B}/${path}`, `body ${i}`))).status).toBe(200);
      const id = await create(`copied-${i}`);
      await expectAnswer(rt.endpoint, s3('PUT', `/${B}/copied-${i}?partNumber=1&uploadId=${id}`, undefined, { 'x-amz-copy-source': `/${B}/${path}` }), {
        status: 200,
        xml: `<CopyPartResult xmlns="${S3_NS}"><ETag>"${md5(`body ${i}`)}"</ETag><LastModified>{{iso}}</LastModified></CopyPartResult>`,
      });
      await expectAnswer(rt.endpoint, s3('POST', `/${B}/copied-${i}?uploadId=${id}`, complete([[1, md5(`body ${i}`)]])), { status: 200 });
      const copied = await send(rt.endpoint, s3('GET', `/${B}/copied-${i}`));
      expect(copied.text).toBe(`body ${i}`);
    }
    const id = await create('copied-missing');
    await expectAnswer(rt.endpoint, s3('PUT', `/${B}/copied-missing?partNumber=1&uploadId=${id}`, undefined, { 'x-amz-copy-source': `/${B}/${encodeURIComponent('nö such')}` }), {
      status: 404,
      xml: error('NoSuchKey', 'The specified key does not exist.', '<Key>nö such</Key>'),
    });
  });
});
