/**
 * S3 ACLs at the level of the wire: grants to the AllUsers / AuthenticatedUsers / LogDelivery
 * groups by URI (AccessControlPolicy body) and by the x-amz-grant-* headers, canned ACLs
 * expanded to the grants S3 lists, the grantee shape S3 returns (xsi:type, ID or URI; no
 * DisplayName since November 2025), S3's errors for bad grants, where ObjectOwnership
 * BucketOwnerEnforced refuses ACLs, and ACL / tagging requests on a delete marker.
 * Expectations: the PutBucketAcl / GetBucketAcl pages of the API reference and the answers
 * recorded from AWS (LocalStack's snapshot suite).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectAnswer, s3, S3_NS, send } from '../../support/wire.js';

let rt: RuntimeProcess;
const B = 'acl-wire';
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
let owner = '';

const user = (id: string, permission: string) => `<Grant><Grantee ${XSI} xsi:type="CanonicalUser"><ID>${id}</ID></Grantee><Permission>${permission}</Permission></Grant>`;
const group = (uri: string, permission: string) => `<Grant><Grantee ${XSI} xsi:type="Group"><URI>${uri}</URI></Grantee><Permission>${permission}</Permission></Grant>`;
const policy = (...grants: string[]) => `<AccessControlPolicy xmlns="${S3_NS}"><Owner><ID>${owner}</ID></Owner><AccessControlList>${grants.join('')}</AccessControlList></AccessControlPolicy>`;
const error = (code: string, message: string, fields = '') => `<Error><Code>${code}</Code><Message>${message}</Message>${fields}<RequestId>{{request-id}}</RequestId><HostId>{{*}}</HostId></Error>`;
const argument = (message: string, name: string, value: string) => error('InvalidArgument', message, `<ArgumentName>${name}</ArgumentName><ArgumentValue>${value}</ArgumentValue>`);

beforeAll(async () => {
  rt = await startRuntime();
  // ACLs are refused on new buckets (BucketOwnerEnforced): this one lets them be set
  expect((await send(rt.endpoint, s3('PUT', `/${B}`, undefined, { 'x-amz-object-ownership': 'ObjectWriter' }))).status).toBe(200);
  const acl = await send(rt.endpoint, s3('GET', `/${B}?acl`));
  owner = /<ID>([0-9a-f]{64})<\/ID>/.exec(acl.text)![1]!;
});
afterAll(async () => {
  await rt?.stop();
});

describe('bucket ACLs', () => {
  it('a new bucket grants its owner FULL_CONTROL, in the grantee shape S3 returns', async () => {
    await expectAnswer(rt.endpoint, s3('GET', `/${B}?acl`), { status: 200, headers: { 'content-type': 'application/xml' }, xml: policy(user(owner, 'FULL_CONTROL')) });
  });

  it('canned ACLs are the grants S3 lists for them', async () => {
    const cases: Array<[string, string[]]> = [
      ['public-read', [group(ALL_USERS, 'READ')]],
      ['public-read-write', [group(ALL_USERS, 'READ'), group(ALL_USERS, 'WRITE')]],
      ['authenticated-read', [group(AUTHENTICATED, 'READ')]],
      ['log-delivery-write', [group(LOG_DELIVERY, 'WRITE'), group(LOG_DELIVERY, 'READ_ACP')]],
      ['private', []],
    ];
    for (const [canned, grants] of cases) {
      await expectAnswer(rt.endpoint, s3('PUT', `/${B}?acl`, undefined, { 'x-amz-acl': canned }), { status: 200, empty: true });
      await expectAnswer(rt.endpoint, s3('GET', `/${B}?acl`), { status: 200, xml: policy(user(owner, 'FULL_CONTROL'), ...grants) });
    }
  });

  it('grant headers name groups by uri and users by id', async () => {
    await expectAnswer(
      rt.endpoint,
      s3('PUT', `/${B}?acl`, undefined, {
        'x-amz-grant-full-control': `id="${owner}"`,
        'x-amz-grant-read': `uri="${ALL_USERS}", uri="${AUTHENTICATED}"`,
        'x-amz-grant-write': `uri="${LOG_DELIVERY}"`,
      }),
      { status: 200, empty: true },
    );
    await expectAnswer(rt.endpoint, s3('GET', `/${B}?acl`), {
      status: 200,
      xml: policy(user(owner, 'FULL_CONTROL'), group(ALL_USERS, 'READ'), group(AUTHENTICATED, 'READ'), group(LOG_DELIVERY, 'WRITE')),
    });
  });

  it('an AccessControlPolicy body grants to groups by URI', async () => {
    const body = policy(user(owner, 'FULL_CONTROL'), group(AUTHENTICATED, 'READ_ACP'), group(ALL_USERS, 'READ'));
    await expectAnswer(rt.endpoint, s3('PUT', `/${B}?acl`, body), { status: 200, empty: true });
    await expectAnswer(rt.endpoint, s3('GET', `/${B}?acl`), { status: 200, xml: body });
  });

  it('bad grants are refused with the argument S3 names', async () => {
    const fake = 'http://acs.amazonaws.com/groups/s3/FakeGroup';
    const cases: Array<[Record<string, string>, string | undefined, string]> = [
      [{ 'x-amz-acl': 'fake-acl' }, undefined, argument('', 'x-amz-acl', 'fake-acl')],
      [{ 'x-amz-grant-write': `uri="${fake}"` }, undefined, argument('Invalid group uri', 'uri', fake)],
      [{ 'x-amz-grant-write': 'fakekey="1234"' }, undefined, argument('Argument format not recognized', 'x-amz-grant-write', 'fakekey=&quot;1234&quot;')],
      [{ 'x-amz-grant-write': 'id="wrong-id"' }, undefined, argument('Invalid id', 'id', 'wrong-id')],
      [{ 'x-amz-grant-read': 'emailAddress="nobody@example.com"' }, undefined, error('UnresolvableGrantByEmailAddress', 'The e-mail address you provided does not match any account on record.', '<EmailAddress>nobody@example.com</EmailAddress>')],
      [{ 'x-amz-acl': 'private', 'x-amz-grant-read': `uri="${ALL_USERS}"` }, undefined, error('InvalidRequest', 'Specifying both Canned ACLs and Header Grants is not allowed')],
      [{}, undefined, error('MissingSecurityHeader', 'Your request was missing a required header', '<MissingHeaderName>x-amz-acl</MissingHeaderName>')],
      [{}, 'POLICY-FAKE-GROUP', argument('Invalid group uri', 'Group/URI', fake)],
      [{}, 'POLICY-WRONG-ID', argument('Invalid id', 'CanonicalUser/ID', 'wrong-id')],
      [{ 'x-amz-acl': 'private' }, 'POLICY', error('UnexpectedContent', 'This request does not support content')],
    ];
    for (const [headers, doc, expected] of cases) {
      const body =
        doc === 'POLICY-FAKE-GROUP' ? policy(group(fake, 'READ')) : doc === 'POLICY-WRONG-ID' ? policy(user('wrong-id', 'READ')) : doc === 'POLICY' ? policy(user(owner, 'FULL_CONTROL')) : undefined;
      await expectAnswer(rt.endpoint, s3('PUT', `/${B}?acl`, body, headers), { status: 400, headers: { 'content-type': 'application/xml' }, xml: expected });
    }
  });
});

describe('ObjectOwnership BucketOwnerEnforced', () => {
  it('CreateBucket refuses an ACL that grants others (InvalidBucketAclWithObjectOwnership), and takes private and bucket-owner-full-control', async () => {
    const refused = error('InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
    await expectAnswer(rt.endpoint, s3('PUT', '/acl-enforced-1', undefined, { 'x-amz-acl': 'public-read' }), { status: 400, xml: refused });
    await expectAnswer(rt.endpoint, s3('PUT', '/acl-enforced-1', undefined, { 'x-amz-grant-read': `uri="${ALL_USERS}"` }), { status: 400, xml: refused });
    await expectAnswer(rt.endpoint, s3('PUT', '/acl-enforced-1', undefined, { 'x-amz-acl': 'public-read', 'x-amz-object-ownership': 'BucketOwnerEnforced' }), { status: 400, xml: refused });
    await expectAnswer(rt.endpoint, s3('HEAD', '/acl-enforced-1'), { status: 404 });
    await expectAnswer(rt.endpoint, s3('PUT', '/acl-enforced-1', undefined, { 'x-amz-acl': 'bucket-owner-full-control' }), { status: 200, empty: true });
    await expectAnswer(rt.endpoint, s3('PUT', '/acl-enforced-2', undefined, { 'x-amz-acl': 'private' }), { status: 200, empty: true });
    // the ownership a bucket is created with decides: ObjectWriter takes the ACL
    await expectAnswer(rt.endpoint, s3('PUT', '/acl-enforced-3', undefined, { 'x-amz-acl': 'public-read', 'x-amz-object-ownership': 'ObjectWriter' }), { status: 200, empty: true });
  });

  it('PutBucketAcl on such a bucket: AccessControlListNotSupported, except an ACL that grants the owner only', async () => {
    await expectAnswer(rt.endpoint, s3('PUT', '/acl-enforced-2?acl', undefined, { 'x-amz-acl': 'public-read' }), { status: 400, xml: error('AccessControlListNotSupported', 'The bucket does not allow ACLs') });
    await expectAnswer(rt.endpoint, s3('PUT', '/acl-enforced-2?acl', undefined, { 'x-amz-acl': 'bucket-owner-full-control' }), { status: 200, empty: true });
    await expectAnswer(rt.endpoint, s3('PUT', '/acl-enforced-2?acl', undefined, { 'x-amz-grant-full-control': `id="${owner}"` }), { status: 200, empty: true });
  });

  it('PutBucketOwnershipControls BucketOwnerEnforced on a bucket whose ACL grants others: InvalidBucketAclWithObjectOwnership', async () => {
    const controls = `<OwnershipControls xmlns="${S3_NS}"><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>`;
    await expectAnswer(rt.endpoint, s3('PUT', '/acl-enforced-3?ownershipControls', controls), {
      status: 400,
      xml: error('InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"),
    });
    await expectAnswer(rt.endpoint, s3('PUT', '/acl-enforced-3?acl', undefined, { 'x-amz-acl': 'private' }), { status: 200, empty: true });
    await expectAnswer(rt.endpoint, s3('PUT', '/acl-enforced-3?ownershipControls', controls), { status: 200, empty: true });
    await expectAnswer(rt.endpoint, s3('GET', '/acl-enforced-3?ownershipControls'), { status: 200, xml: controls });
  });
});

describe('object ACLs', () => {
  it('PutObjectAcl by grant headers and GetObjectAcl in the same shape', async () => {
    await expectAnswer(rt.endpoint, s3('PUT', `/${B}/obj`, 'x'), { status: 200 });
    await expectAnswer(rt.endpoint, s3('GET', `/${B}/obj?acl`), { status: 200, xml: policy(user(owner, 'FULL_CONTROL')) });
    await expectAnswer(rt.endpoint, s3('PUT', `/${B}/obj?acl`, undefined, { 'x-amz-grant-read': `uri="${ALL_USERS}"`, 'x-amz-grant-read-acp': `uri="${AUTHENTICATED}"` }), { status: 200, empty: true });
    await expectAnswer(rt.endpoint, s3('GET', `/${B}/obj?acl`), { status: 200, xml: policy(group(ALL_USERS, 'READ'), group(AUTHENTICATED, 'READ_ACP')) });
    await expectAnswer(rt.endpoint, s3('PUT', `/${B}/obj?acl`, undefined, { 'x-amz-acl': 'authenticated-read' }), { status: 200, empty: true });
    await expectAnswer(rt.endpoint, s3('GET', `/${B}/obj?acl`), { status: 200, xml: policy(user(owner, 'FULL_CONTROL'), group(AUTHENTICATED, 'READ')) });
  });

  it('ACL and tagging requests on a delete marker: 405 MethodNotAllowed with Method and ResourceType', async () => {
    const v = 'acl-wire-versioned';
    await send(rt.endpoint, s3('PUT', `/${v}`, undefined, { 'x-amz-object-ownership': 'ObjectWriter' }));
    await send(rt.endpoint, s3('PUT', `/${v}?versioning`, `<VersioningConfiguration xmlns="${S3_NS}"><Status>Enabled</Status></VersioningConfiguration>`));
    await send(rt.endpoint, s3('PUT', `/${v}/k`, 'x'));
    const deleted = await send(rt.endpoint, s3('DELETE', `/${v}/k`));
    expect(deleted.status).toBe(204);
    const marker = deleted.headers['x-amz-version-id']!;
    const notAllowed = (method: string) => ({
      status: 405,
      headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': marker, allow: 'DELETE' },
      xml: error('MethodNotAllowed', 'The specified method is not allowed against this resource.', `<Method>${method}</Method><ResourceType>DeleteMarker</ResourceType>`),
    });
    const tagging = `<Tagging xmlns="${S3_NS}"><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>`;
    // the latest version is the marker
    await expectAnswer(rt.endpoint, s3('PUT', `/${v}/k?acl`, undefined, { 'x-amz-acl': 'private' }), notAllowed('PUT'));
    await expectAnswer(rt.endpoint, s3('GET', `/${v}/k?acl`), {
      status: 404,
      headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': marker },
      xml: error('NoSuchKey', 'The specified key does not exist.', '<Key>k</Key>'),
    });
    await expectAnswer(rt.endpoint, s3('PUT', `/${v}/k?tagging`, tagging), notAllowed('PUT'));
    await expectAnswer(rt.endpoint, s3('GET', `/${v}/k?tagging`), notAllowed('GET'));
    await expectAnswer(rt.endpoint, s3('DELETE', `/${v}/k?tagging`), notAllowed('DELETE'));
    // the marker named by its version id
    await expectAnswer(rt.endpoint, s3('PUT', `/${v}/k?acl&versionId=${marker}`, undefined, { 'x-amz-acl': 'private' }), notAllowed('PUT'));
    await expectAnswer(rt.endpoint, s3('GET', `/${v}/k?acl&versionId=${marker}`), notAllowed('GET'));
    await expectAnswer(rt.endpoint, s3('GET', `/${v}/k?tagging&versionId=${marker}`), notAllowed('GET'));
    await expectAnswer(rt.endpoint, s3('GET', `/${v}/k?versionId=${marker}`), notAllowed('GET'));
    // the server is still up, and the version before the marker is still addressable
    const versions = await send(rt.endpoint, s3('GET', `/${v}?versions`));
    const older = [...versions.text.matchAll(/<Version>.*?<VersionId>([^<]+)<\/VersionId>/g)].map((m) => m[1]!);
    expect(older).toHaveLength(1);
    await expectAnswer(rt.endpoint, s3('GET', `/${v}/k?acl&versionId=${older[0]}`), { status: 200, xml: policy(user(owner, 'FULL_CONTROL')) });
  });
});
