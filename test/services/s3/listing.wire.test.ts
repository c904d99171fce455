/**
 * S3's listings on the wire: whole documents, every member AWS sends and none more.
 * Facts asserted (from AWS's API reference and answers recorded from AWS):
 *  - every Contents and Version entry with a checksum carries ChecksumAlgorithm and ChecksumType;
 *  - LastModified (and ListBuckets' CreationDate) at whole seconds, `.000Z`;
 *  - ListObjectVersions always echoes KeyMarker and VersionIdMarker (empty when not given),
 *    and gives NextKeyMarker / NextVersionIdMarker on a truncated page only;
 *  - ListMultipartUploads always gives NextKeyMarker and NextUploadIdMarker: the last upload
 *    listed, or empty;
 *  - ListObjects and ListObjectsV2 of a bucket outside us-east-1 answer x-amz-bucket-region;
 *  - ListObjectsV2 refuses an empty continuation-token (InvalidArgument naming the argument,
 *    no value), does not echo StartAfter beside a token; ListBuckets takes an empty one as none.
 * Members are in the order S3 writes them (its documentation examples and answers: Name and
 * Prefix first, IsTruncated before the entries, a Contents entry's Owner before its
 * StorageClass, an Owner's ID before its DisplayName).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectAnswer, s3, S3_NS, send } from '../../support/wire.js';

let rt: RuntimeProcess;

const OWNER = '<Owner><ID>{{/^[0-9a-f]{64}$/}}</ID><DisplayName>webfile</DisplayName></Owner>';
const ERROR_IDS = '<RequestId>{{request-id}}</RequestId><HostId>{{*}}</HostId>';

/** A Contents entry of a key written with PutObject (CRC64NVME by default). */
function contents(key: string, size: number, owner = false): string {
  return `<Contents><Key>${key}</Key><LastModified>{{iso-s}}</LastModified><ETag>{{etag}}</ETag>
    <ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType>
    <Size>${size}</Size>${owner ? OWNER : ''}<StorageClass>STANDARD</StorageClass></Contents>`;
}

async function put(path: string, body = 'x', headers: Record<string, string> = {}): Promise<Record<string, string>> {
  const answer = await send(rt.endpoint, s3('PUT', path, body, headers));
  expect(answer.status, answer.text).toBe(200);
  return answer.headers;
}

beforeAll(async () => {
  rt = await startRuntime();
  await put('/wire-list', '');
  for (const key of ['a', 'b/1', 'b/2', 'c']) await put(`/wire-list/${key}`, 'xy');
});
afterAll(async () => {
  await rt?.stop();
});

describe('ListObjectsV2', () => {
  it('lists every key with its checksum type, at second precision', async () => {
    await expectAnswer(rt.endpoint, s3('GET', '/wire-list?list-type=2'), {
      status: 200,
      headers: { 'content-type': 'application/xml', server: 'AmazonS3', 'x-amz-bucket-region': null },
      xml: `<ListBucketResult xmlns="${S3_NS}">
        <Name>wire-list</Name><Prefix></Prefix><KeyCount>4</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>
        ${contents('a', 2)}${contents('b/1', 2)}${contents('b/2', 2)}${contents('c', 2)}
      </ListBucketResult>`,
    });
  });

  it('pages with a delimiter and a continuation token, StartAfter not echoed beside it', async () => {
    const first = await expectAnswer(rt.endpoint, s3('GET', '/wire-list?list-type=2&delimiter=/&max-keys=2&fetch-owner=true'), {
      status: 200,
      xml: `<ListBucketResult xmlns="${S3_NS}">
        <Name>wire-list</Name><Prefix></Prefix><NextContinuationToken>{{*}}</NextContinuationToken>
        <KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>
        ${contents('a', 2, true)}<CommonPrefixes><Prefix>b/</Prefix></CommonPrefixes>
      </ListBucketResult>`,
    });
    const token = /<NextContinuationToken>([^<]+)</.exec(first.text)![1]!;
    await expectAnswer(rt.endpoint, s3('GET', `/wire-list?list-type=2&delimiter=/&start-after=a&continuation-token=${encodeURIComponent(token)}`), {
      status: 200,
      xml: `<ListBucketResult xmlns="${S3_NS}">
        <Name>wire-list</Name><Prefix></Prefix><ContinuationToken>${token}</ContinuationToken>
        <KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated>
        ${contents('c', 2)}
      </ListBucketResult>`,
    });
  });

  it('of a bucket outside us-east-1 names its region, as ListObjects does', async () => {
    await put('/wire-list-west', `<CreateBucketConfiguration xmlns="${S3_NS}"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>`);
    for (const path of ['/wire-list-west?list-type=2', '/wire-list-west']) {
      await expectAnswer(rt.endpoint, s3('GET', path), { status: 200, headers: { 'x-amz-bucket-region': 'eu-west-1' } });
    }
    await expectAnswer(rt.endpoint, s3('GET', '/wire-list'), { status: 200, headers: { 'x-amz-bucket-region': null } });
    await send(rt.endpoint, s3('DELETE', '/wire-list-west'));
  });

  it('echoes StartAfter without a token', async () => {
    await expectAnswer(rt.endpoint, s3('GET', '/wire-list?list-type=2&start-after=b/2'), {
      status: 200,
      xml: `<ListBucketResult xmlns="${S3_NS}">
        <Name>wire-list</Name><Prefix></Prefix><StartAfter>b/2</StartAfter><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys>
        <IsTruncated>false</IsTruncated>${contents('c', 2)}
      </ListBucketResult>`,
    });
  });

  it('refuses an empty continuation token as S3 does: the argument named, no value', async () => {
    await expectAnswer(rt.endpoint, s3('GET', '/wire-list?list-type=2&continuation-token='), {
      status: 400,
      headers: { server: 'AmazonS3' },
      xml: `<Error><Code>InvalidArgument</Code><Message>The continuation token provided is incorrect</Message>
        <ArgumentName>continuation-token</ArgumentName>${ERROR_IDS}</Error>`,
    });
    await expectAnswer(rt.endpoint, s3('GET', '/wire-list?list-type=2&continuation-token=bm90LWEtdG9rZW4'), {
      status: 400,
      xml: `<Error><Code>InvalidArgument</Code><Message>The continuation token provided is incorrect</Message>
        <ArgumentName>continuation-token</ArgumentName><ArgumentValue>bm90LWEtdG9rZW4</ArgumentValue>${ERROR_IDS}</Error>`,
    });
  });
});

describe('ListObjects (V1)', () => {
  it('shows owners, and NextMarker only with a delimiter', async () => {
    await expectAnswer(rt.endpoint, s3('GET', '/wire-list?max-keys=1'), {
      status: 200,
      xml: `<ListBucketResult xmlns="${S3_NS}">
        <Name>wire-list</Name><Prefix></Prefix><Marker></Marker><MaxKeys>1</MaxKeys><IsTruncated>true</IsTruncated>
        ${contents('a', 2, true)}
      </ListBucketResult>`,
    });
    await expectAnswer(rt.endpoint, s3('GET', '/wire-list?delimiter=/&max-keys=2&marker='), {
      status: 200,
      xml: `<ListBucketResult xmlns="${S3_NS}">
        <Name>wire-list</Name><Prefix></Prefix><Marker></Marker><NextMarker>b/</NextMarker><MaxKeys>2</MaxKeys>
        <Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>
        ${contents('a', 2, true)}<CommonPrefixes><Prefix>b/</Prefix></CommonPrefixes>
      </ListBucketResult>`,
    });
  });
});

describe('ListObjectVersions', () => {
  const version = (key: string, id: string, latest: boolean) =>
    `<Version><Key>${key}</Key><VersionId>${id}</VersionId><IsLatest>${latest}</IsLatest><LastModified>{{iso-s}}</LastModified>
      <ETag>{{etag}}</ETag><ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType>
      <Size>2</Size><StorageClass>STANDARD</StorageClass>${OWNER}</Version>`;
  const marker = (key: string, id: string, latest: boolean) =>
    `<DeleteMarker><Key>${key}</Key><VersionId>${id}</VersionId><IsLatest>${latest}</IsLatest><LastModified>{{iso-s}}</LastModified>${OWNER}</DeleteMarker>`;
  let v1 = '';
  let v2 = '';
  let dm = '';
  let w1 = '';

  beforeAll(async () => {
    await put('/wire-versions', '');
    const versioning = `<VersioningConfiguration xmlns="${S3_NS}"><Status>Enabled</Status></VersioningConfiguration>`;
    await put('/wire-versions?versioning', versioning);
    v1 = (await put('/wire-versions/k', 'v1'))['x-amz-version-id']!;
    v2 = (await put('/wire-versions/k', 'v2'))['x-amz-version-id']!;
    dm = (await send(rt.endpoint, s3('DELETE', '/wire-versions/k'))).headers['x-amz-version-id']!;
    w1 = (await put('/wire-versions/w', 'w1'))['x-amz-version-id']!;
  });

  it('echoes both markers, empty when not given, and gives no Next* on a last page', async () => {
    await expectAnswer(rt.endpoint, s3('GET', '/wire-versions?versions'), {
      status: 200,
      headers: { server: 'AmazonS3' },
      xml: `<ListVersionsResult xmlns="${S3_NS}">
        <Name>wire-versions</Name><Prefix></Prefix><KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker>
        <MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>
        ${version('k', v2, false)}${version('k', v1, false)}${version('w', w1, true)}${marker('k', dm, true)}
      </ListVersionsResult>`,
    });
  });

  it('gives NextKeyMarker and NextVersionIdMarker on a truncated page, and continues from them', async () => {
    await expectAnswer(rt.endpoint, s3('GET', '/wire-versions?versions&max-keys=2'), {
      status: 200,
      xml: `<ListVersionsResult xmlns="${S3_NS}">
        <Name>wire-versions</Name><Prefix></Prefix><KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker>
        <NextKeyMarker>k</NextKeyMarker><NextVersionIdMarker>${v2}</NextVersionIdMarker>
        <MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>
        ${version('k', v2, false)}${marker('k', dm, true)}
      </ListVersionsResult>`,
    });
    await expectAnswer(rt.endpoint, s3('GET', `/wire-versions?versions&max-keys=2&key-marker=k&version-id-marker=${v2}`), {
      status: 200,
      xml: `<ListVersionsResult xmlns="${S3_NS}">
        <Name>wire-versions</Name><Prefix></Prefix><KeyMarker>k</KeyMarker><VersionIdMarker>${v2}</VersionIdMarker>
        <MaxKeys>2</MaxKeys><IsTruncated>false</IsTruncated>
        ${version('k', v1, false)}${version('w', w1, true)}
      </ListVersionsResult>`,
    });
  });

  it('takes empty markers as none, and refuses a version-id marker without a key marker', async () => {
    await expectAnswer(rt.endpoint, s3('GET', '/wire-versions?versions&key-marker=&version-id-marker=&prefix=w'), {
      status: 200,
      xml: `<ListVersionsResult xmlns="${S3_NS}">
        <Name>wire-versions</Name><Prefix>w</Prefix><KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker>
        <MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${version('w', w1, true)}
      </ListVersionsResult>`,
    });
    await expectAnswer(rt.endpoint, s3('GET', `/wire-versions?versions&version-id-marker=${v1}`), {
      status: 400,
      xml: `<Error><Code>InvalidArgument</Code><Message>A version-id marker cannot be specified without a key marker.</Message>
        <ArgumentName>version-id-marker</ArgumentName><ArgumentValue>${v1}</ArgumentValue>${ERROR_IDS}</Error>`,
    });
  });
});

describe('ListMultipartUploads', () => {
  const upload = (key: string, id: string) =>
    `<Upload><UploadId>${id}</UploadId><Key>${key}</Key><Initiated>{{iso}}</Initiated><StorageClass>STANDARD</StorageClass>
      <Owner><ID>{{/^[0-9a-f]{64}$/}}</ID></Owner><Initiator><ID>{{/^[0-9a-f]{64}$/}}</ID><DisplayName>webfile</DisplayName></Initiator></Upload>`;
  const ids: string[] = [];

  beforeAll(async () => {
    await put('/wire-uploads', '');
    for (const key of ['m1', 'm2']) {
      const created = await send(rt.endpoint, s3('POST', `/wire-uploads/${key}?uploads`));
      ids.push(/<UploadId>([^<]+)</.exec(created.text)![1]!);
    }
  });

  it('always gives NextKeyMarker and NextUploadIdMarker: the last upload listed', async () => {
    await expectAnswer(rt.endpoint, s3('GET', '/wire-uploads?uploads'), {
      status: 200,
      xml: `<ListMultipartUploadsResult xmlns="${S3_NS}">
        <Bucket>wire-uploads</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>
        <NextKeyMarker>m2</NextKeyMarker><NextUploadIdMarker>${ids[1]}</NextUploadIdMarker>
        <MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>${upload('m1', ids[0]!)}${upload('m2', ids[1]!)}
      </ListMultipartUploadsResult>`,
    });
    await expectAnswer(rt.endpoint, s3('GET', '/wire-uploads?uploads&max-uploads=1'), {
      status: 200,
      xml: `<ListMultipartUploadsResult xmlns="${S3_NS}">
        <Bucket>wire-uploads</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>
        <NextKeyMarker>m1</NextKeyMarker><NextUploadIdMarker>${ids[0]}</NextUploadIdMarker>
        <MaxUploads>1</MaxUploads><IsTruncated>true</IsTruncated>${upload('m1', ids[0]!)}
      </ListMultipartUploadsResult>`,
    });
  });

  it('gives them empty when no upload is listed', async () => {
    await expectAnswer(rt.endpoint, s3('GET', '/wire-uploads?uploads&key-marker=m2'), {
      status: 200,
      xml: `<ListMultipartUploadsResult xmlns="${S3_NS}">
        <Bucket>wire-uploads</Bucket><KeyMarker>m2</KeyMarker><UploadIdMarker></UploadIdMarker>
        <NextKeyMarker></NextKeyMarker><NextUploadIdMarker></NextUploadIdMarker>
        <MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>
      </ListMultipartUploadsResult>`,
    });
  });
});

describe('ListBuckets', () => {
  it('lists creation dates at second precision, and takes an empty continuation token as none', async () => {
    await expectAnswer(rt.endpoint, s3('GET', '/?max-buckets=1&continuation-token='), {
      status: 200,
      headers: { server: 'AmazonS3' },
      xml: `<ListAllMyBucketsResult xmlns="${S3_NS}">
        ${OWNER}<Buckets><Bucket><Name>wire-list</Name><CreationDate>{{iso-s}}</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket></Buckets>
        <ContinuationToken>{{*}}</ContinuationToken>
      </ListAllMyBucketsResult>`,
    });
  });
});
