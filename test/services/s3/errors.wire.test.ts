/**
 * S3's errors and bucket headers on the wire: the bare <Error> document with exactly AWS's
 * members (Code, Message, the code's own members, RequestId, HostId) and AWS's message
 * texts; HeadBucket's headers; 204 for Delete* operations; `Server: AmazonS3` on every answer.
 * Facts asserted (AWS's API reference and error-code list, and answers recorded from AWS):
 *  - an ExpectedBucketOwner (or source owner) that is not an account id is
 *    InvalidBucketOwnerAWSAccountID (400), whether or not the bucket exists, no extra member;
 *  - an account id that does not own the bucket is AccessDenied (403);
 *  - HeadBucket answers x-amz-bucket-region (200, and 403: "whether access to the bucket is
 *    authorized or not", the API reference says), none for a bucket that does not exist;
 *  - Delete*Configuration answers 204 No Content;
 *  - x-amz-bypass-governance-retention without Object Lock, a malformed copy source and an
 *    unknown ListBuckets bucket-region are InvalidArgument with AWS's members.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectAnswer, s3, S3_NS, send } from '../../support/wire.js';

let rt: RuntimeProcess;
const ERROR_IDS = '<RequestId>{{request-id}}</RequestId><HostId>{{*}}</HostId>';
const OTHER_ACCOUNT = '111111111111';

async function ok(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const answer = await send(rt.endpoint, s3(method, path, body, headers));
  expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
  return answer;
}

beforeAll(async () => {
  rt = await startRuntime();
  await ok('PUT', '/wire-errors');
  await ok('PUT', '/wire-errors/k', 'x');
  await ok('PUT', '/wire-errors-west', `<CreateBucketConfiguration xmlns="${S3_NS}"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>`);
});
afterAll(async () => {
  await rt?.stop();
});

describe('error documents', () => {
  it('NoSuchBucket and NoSuchKey carry BucketName and Key, and nothing else', async () => {
    await expectAnswer(rt.endpoint, s3('GET', '/wire-missing?list-type=2'), {
      status: 404,
      headers: { 'content-type': 'application/xml', server: 'AmazonS3', 'x-amz-bucket-region': null },
      xml: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>wire-missing</BucketName>${ERROR_IDS}</Error>`,
    });
    await expectAnswer(rt.endpoint, s3('GET', '/wire-errors/nothing'), {
      status: 404,
      headers: { server: 'AmazonS3' },
      xml: `<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>nothing</Key>${ERROR_IDS}</Error>`,
    });
  });

  it('an invalid x-amz-object-ownership names the argument in the message, with no value member', async () => {
    await expectAnswer(rt.endpoint, s3('PUT', '/wire-ownership', undefined, { 'x-amz-object-ownership': 'RandomValue' }), {
      status: 400,
      xml: `<Error><Code>InvalidArgument</Code><Message>Invalid x-amz-object-ownership header: RandomValue</Message><ArgumentName>x-amz-object-ownership</ArgumentName>${ERROR_IDS}</Error>`,
    });
  });

  it('a copy source that is not bucket/key names the header as argument and value', async () => {
    await expectAnswer(rt.endpoint, s3('PUT', '/wire-errors/copy', undefined, { 'x-amz-copy-source': 'wrongformat' }), {
      status: 400,
      xml: `<Error><Code>InvalidArgument</Code><Message>Invalid copy source object key</Message><ArgumentName>x-amz-copy-source</ArgumentName><ArgumentValue>x-amz-copy-source</ArgumentValue>${ERROR_IDS}</Error>`,
    });
  });

  it('x-amz-bypass-governance-retention on a bucket without Object Lock is InvalidArgument', async () => {
    const refused = `<Error><Code>InvalidArgument</Code><Message>x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.</Message><ArgumentName>x-amz-bypass-governance-retention</ArgumentName>${ERROR_IDS}</Error>`;
    for (const value of ['true', 'false']) {
      await expectAnswer(rt.endpoint, s3('DELETE', '/wire-errors/k', undefined, { 'x-amz-bypass-governance-retention': value }), { status: 400, xml: refused });
    }
    const doc = '<Delete><Object><Key>k</Key></Object></Delete>';
    const md5 = createHash('md5').update(doc).digest('base64');
    await expectAnswer(rt.endpoint, s3('POST', '/wire-errors?delete', doc, { 'content-md5': md5, 'x-amz-bypass-governance-retention': 'true' }), { status: 400, xml: refused });
    await expectAnswer(rt.endpoint, s3('HEAD', '/wire-errors/k'), { status: 200, empty: true });
  });

  it("a directory bucket's delete condition is NotImplemented naming the header", async () => {
    for (const [header, value] of [['x-amz-if-match-size', '1'], ['x-amz-if-match-last-modified-time', 'Sat, 01 Jan 2000 00:00:00 GMT']] as const) {
      await expectAnswer(rt.endpoint, s3('DELETE', '/wire-errors/k', undefined, { [header]: value }), {
        status: 501,
        xml: `<Error><Code>NotImplemented</Code><Message>A header you provided implies functionality that is not implemented</Message><Header>${header}</Header>${ERROR_IDS}</Error>`,
      });
    }
  });

  it('ListBuckets with a bucket-region that is not a region is InvalidArgument', async () => {
    await expectAnswer(rt.endpoint, s3('GET', '/?bucket-region=eu-east-1'), {
      status: 400,
      xml: `<Error><Code>InvalidArgument</Code><Message>Argument value eu-east-1 is not a valid AWS Region</Message><ArgumentName>bucket-region</ArgumentName>${ERROR_IDS}</Error>`,
    });
  });

  it('an invalid bucket name and a non-empty bucket carry BucketName', async () => {
    await expectAnswer(rt.endpoint, s3('PUT', '/ab'), {
      status: 400,
      xml: `<Error><Code>InvalidBucketName</Code><Message>The specified bucket is not valid.</Message><BucketName>ab</BucketName>${ERROR_IDS}</Error>`,
    });
    await expectAnswer(rt.endpoint, s3('DELETE', '/wire-errors'), {
      status: 409,
      xml: `<Error><Code>BucketNotEmpty</Code><Message>The bucket you tried to delete is not empty</Message><BucketName>wire-errors</BucketName>${ERROR_IDS}</Error>`,
    });
  });
});

describe('ExpectedBucketOwner', () => {
  const invalid = (value: string) =>
    `<Error><Code>InvalidBucketOwnerAWSAccountID</Code><Message>The value of the expected bucket owner parameter must be an AWS Account ID... [${value}]</Message>${ERROR_IDS}</Error>`;

  it('that is not an account id is InvalidBucketOwnerAWSAccountID, before the bucket is looked up', async () => {
    for (const value of ['abcd', '0000', '0000000000020']) {
      await expectAnswer(rt.endpoint, s3('GET', '/wire-errors?list-type=2', undefined, { 'x-amz-expected-bucket-owner': value }), {
        status: 400,
        headers: { server: 'AmazonS3' },
        xml: invalid(value),
      });
    }
    await expectAnswer(rt.endpoint, s3('GET', '/wire-missing?policy', undefined, { 'x-amz-expected-bucket-owner': 'abcd' }), { status: 400, xml: invalid('abcd') });
    await expectAnswer(rt.endpoint, s3('PUT', '/wire-errors/copy', undefined, { 'x-amz-copy-source': '/wire-errors/k', 'x-amz-source-expected-bucket-owner': 'x' }), {
      status: 400,
      xml: invalid('x'),
    });
  });

  it('of another account is AccessDenied', async () => {
    await expectAnswer(rt.endpoint, s3('GET', '/wire-errors/k', undefined, { 'x-amz-expected-bucket-owner': OTHER_ACCOUNT }), {
      status: 403,
      headers: { server: 'AmazonS3' },
      xml: `<Error><Code>AccessDenied</Code><Message>Access Denied</Message>${ERROR_IDS}</Error>`,
    });
    await expectAnswer(rt.endpoint, s3('GET', '/wire-errors/k', undefined, { 'x-amz-expected-bucket-owner': '000000000000' }), { status: 200 });
  });
});

describe('HeadBucket', () => {
  it('names the bucket region on 200 and 403, and none on 404', async () => {
    await expectAnswer(rt.endpoint, s3('HEAD', '/wire-errors'), {
      status: 200,
      headers: { 'x-amz-bucket-region': 'us-east-1', 'x-amz-access-point-alias': 'false', server: 'AmazonS3' },
      empty: true,
    });
    await expectAnswer(rt.endpoint, s3('HEAD', '/wire-errors-west'), { status: 200, headers: { 'x-amz-bucket-region': 'eu-west-1' }, empty: true });
    await expectAnswer(rt.endpoint, s3('HEAD', '/wire-errors-west', undefined, { 'x-amz-expected-bucket-owner': OTHER_ACCOUNT }), {
      status: 403,
      headers: { 'x-amz-bucket-region': 'eu-west-1', server: 'AmazonS3' },
      empty: true,
    });
    await expectAnswer(rt.endpoint, s3('HEAD', '/wire-missing'), { status: 404, headers: { 'x-amz-bucket-region': null, server: 'AmazonS3' }, empty: true });
  });
});

describe('Delete operations', () => {
  it('answer 204 No Content, Server: AmazonS3, whether or not there was a configuration', async () => {
    await ok('PUT', '/wire-errors?metrics&id=m', `<MetricsConfiguration xmlns="${S3_NS}"><Id>m</Id></MetricsConfiguration>`);
    const tagging = `<Tagging xmlns="${S3_NS}"><TagSet><Tag><Key>a</Key><Value>1</Value></Tag></TagSet></Tagging>`;
    await ok('PUT', '/wire-errors?tagging', tagging);
    await ok('PUT', '/wire-errors/k?tagging', tagging);
    const deletes = [
      '/wire-errors?cors',
      '/wire-errors?lifecycle',
      '/wire-errors?website',
      '/wire-errors?tagging',
      '/wire-errors?policy',
      '/wire-errors?encryption',
      '/wire-errors?replication',
      '/wire-errors?ownershipControls',
      '/wire-errors?publicAccessBlock',
      '/wire-errors?metrics&id=m',
      '/wire-errors/k?tagging',
      '/wire-errors/k',
      '/wire-errors/never-there',
      '/wire-errors',
    ];
    for (const path of deletes) {
      await expectAnswer(rt.endpoint, s3('DELETE', path), { status: 204, headers: { server: 'AmazonS3' }, empty: true });
    }
    await expectAnswer(rt.endpoint, s3('DELETE', '/wire-errors-west?metrics&id=none'), {
      status: 404,
      xml: `<Error><Code>NoSuchConfiguration</Code><Message>The specified configuration does not exist.</Message>${ERROR_IDS}</Error>`,
    });
  });
});
