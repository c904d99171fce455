/**
 * S3 bucket configurations (subresources) against the real runtime through
 * @aws-sdk/client-s3: each configuration put, read back and deleted, and the errors S3
 * gives for bad input (with nothing stored and the server still answering).
 */
import {
  CreateBucketCommand,
  DeleteBucketAnalyticsConfigurationCommand,
  DeleteBucketCorsCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketMetricsConfigurationCommand,
  DeleteBucketOwnershipControlsCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketReplicationCommand,
  DeleteBucketTaggingCommand,
  DeleteBucketWebsiteCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAccelerateConfigurationCommand,
  GetBucketAclCommand,
  GetBucketAnalyticsConfigurationCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketIntelligentTieringConfigurationCommand,
  GetBucketInventoryConfigurationCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLoggingCommand,
  GetBucketMetricsConfigurationCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketReplicationCommand,
  GetBucketRequestPaymentCommand,
  GetBucketTaggingCommand,
  GetBucketWebsiteCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListBucketAnalyticsConfigurationsCommand,
  ListBucketIntelligentTieringConfigurationsCommand,
  ListBucketInventoryConfigurationsCommand,
  ListBucketMetricsConfigurationsCommand,
  PutBucketAccelerateConfigurationCommand,
  PutBucketAclCommand,
  PutBucketAnalyticsConfigurationCommand,
  PutBucketCorsCommand,
  PutBucketEncryptionCommand,
  PutBucketIntelligentTieringConfigurationCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketMetricsConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketReplicationCommand,
  PutBucketRequestPaymentCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutBucketWebsiteCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  type CORSRule,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let s3: S3Client;
let n = 0;

beforeAll(async () => {
  rt = await startRuntime();
  s3 = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true, maxAttempts: 1 });
});
afterAll(async () => {
  s3?.destroy();
  await rt?.stop();
});

/** A new bucket of the test's own. */
async function bucket(prefix = 'cfg', extra: Partial<ConstructorParameters<typeof CreateBucketCommand>[0]> = {}): Promise<string> {
  const name = `${prefix}-${process.pid}-${++n}`;
  await s3.send(new CreateBucketCommand({ Bucket: name, ...extra }));
  return name;
}

async function expectError(p: Promise<unknown>, name: string, status: number, message?: string | RegExp): Promise<void> {
  const e = await sdkError(p);
  expect(e.name).toBe(name);
  expect(e.status).toBe(status);
  if (typeof message === 'string') expect(e.message).toBe(message);
  else if (message) expect(e.message).toMatch(message);
}

/** A raw, unsigned-payload request (for bodies the SDK would not send). */
async function raw(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${rt.endpoint}${path}`, {
    method,
    body,
    headers: {
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0',
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      ...headers,
    },
  });
  return { status: res.status, text: await res.text() };
}

const code = (xml: string) => /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];

const PUBLIC_POLICY = (b: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${b}/*` }] });

describe('bucket policy', () => {
  it('stores the policy text as given, reports its status, and deletes it', async () => {
    const b = await bucket();
    await expectError(s3.send(new GetBucketPolicyCommand({ Bucket: b })), 'NoSuchBucketPolicy', 404, 'The bucket policy does not exist');
    const text = `{ "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000000:root"}, "Action": "s3:*", "Resource": "arn:aws:s3:::${b}"}] }`;
    await s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: text }));
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: b }))).Policy).toBe(text);
    expect((await s3.send(new GetBucketPolicyStatusCommand({ Bucket: b }))).PolicyStatus?.IsPublic).toBe(false);
    await s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: PUBLIC_POLICY(b) }));
    expect((await s3.send(new GetBucketPolicyStatusCommand({ Bucket: b }))).PolicyStatus?.IsPublic).toBe(true);
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: b }));
    await expectError(s3.send(new GetBucketPolicyCommand({ Bucket: b })), 'NoSuchBucketPolicy', 404);
    await expectError(s3.send(new GetBucketPolicyStatusCommand({ Bucket: b })), 'NoSuchBucketPolicy', 404);
  });

  it('rejects policies that are not JSON objects or lack a Statement, storing nothing', async () => {
    const b = await bucket();
    const first = "Policies must be valid JSON and the first byte must be '{'";
    await expectError(s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: 'not json' })), 'MalformedPolicy', 400, first);
    await expectError(s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: '{"Statement": [' })), 'MalformedPolicy', 400, first);
    await expectError(s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: '{"Version": "2012-10-17"}' })), 'MalformedPolicy', 400, 'Missing required field Statement');
    await expectError(
      s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: JSON.stringify({ Statement: [{ Effect: 'Maybe', Principal: '*', Action: 's3:*', Resource: '*' }] }) })),
      'MalformedPolicy',
      400,
      'Invalid effect: Maybe',
    );
    await expectError(s3.send(new GetBucketPolicyCommand({ Bucket: b })), 'NoSuchBucketPolicy', 404);
  });

  it('refuses a public policy when the public access block blocks public policies', async () => {
    const b = await bucket();
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: b, PublicAccessBlockConfiguration: { BlockPublicPolicy: true } }));
    await expectError(s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: PUBLIC_POLICY(b) })), 'AccessDenied', 403);
    await expectError(s3.send(new GetBucketPolicyCommand({ Bucket: b })), 'NoSuchBucketPolicy', 404);
  });
});

describe('CORS', () => {
  const rules: CORSRule[] = [
    { ID: 'web', AllowedOrigins: ['https://example.com', 'http://*.example.org'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag', 'x-amz-request-id'], MaxAgeSeconds: 3000 },
    { AllowedOrigins: ['*'], AllowedMethods: ['HEAD'] },
  ];

  it('puts, gets and deletes the rules', async () => {
    const b = await bucket();
    await expectError(s3.send(new GetBucketCorsCommand({ Bucket: b })), 'NoSuchCORSConfiguration', 404, 'The CORS configuration does not exist');
    await s3.send(new PutBucketCorsCommand({ Bucket: b, CORSConfiguration: { CORSRules: rules } }));
    expect((await s3.send(new GetBucketCorsCommand({ Bucket: b }))).CORSRules).toEqual(rules);
    const del = await s3.send(new DeleteBucketCorsCommand({ Bucket: b }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    await expectError(s3.send(new GetBucketCorsCommand({ Bucket: b })), 'NoSuchCORSConfiguration', 404);
  });

  it('rejects unsupported methods, double wildcards and more than 100 rules', async () => {
    const b = await bucket();
    await expectError(
      s3.send(new PutBucketCorsCommand({ Bucket: b, CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'PATCH'] }] } })),
      'InvalidRequest',
      400,
      'Found unsupported HTTP method in CORS config. Unsupported method is PATCH',
    );
    await expectError(
      s3.send(new PutBucketCorsCommand({ Bucket: b, CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['http://*.*.com'], AllowedMethods: ['GET'] }] } })),
      'InvalidRequest',
      400,
      'AllowedOrigin "http://*.*.com" can not have more than one wildcard.',
    );
    const many = Array.from({ length: 101 }, () => ({ AllowedOrigins: ['*'], AllowedMethods: ['GET'] }));
    await expectError(s3.send(new PutBucketCorsCommand({ Bucket: b, CORSConfiguration: { CORSRules: many } })), 'MaxMessageLengthExceeded', 400);
    await s3.send(new PutBucketCorsCommand({ Bucket: b, CORSConfiguration: { CORSRules: many.slice(0, 100) } }));
    expect((await s3.send(new GetBucketCorsCommand({ Bucket: b }))).CORSRules).toHaveLength(100);
  });

  it('answers malformed XML with MalformedXML and keeps the previous configuration', async () => {
    const b = await bucket();
    await s3.send(new PutBucketCorsCommand({ Bucket: b, CORSConfiguration: { CORSRules: rules } }));
    const res = await raw('PUT', `/${b}?cors`, '<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod>');
    expect(res.status).toBe(400);
    expect(code(res.text)).toBe('MalformedXML');
    // a rule without its required AllowedMethod
    const missing = await raw('PUT', `/${b}?cors`, '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>');
    expect([missing.status, code(missing.text)]).toEqual([400, 'MalformedXML']);
    expect((await s3.send(new GetBucketCorsCommand({ Bucket: b }))).CORSRules).toEqual(rules);
  });
});

describe('lifecycle', () => {
  const rules: LifecycleRule[] = [
    { ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 }, Transitions: [{ Days: 10, StorageClass: 'STANDARD_IA' }] },
    { ID: 'tmp', Status: 'Disabled', Filter: { And: { Prefix: 'tmp/', Tags: [{ Key: 'k', Value: 'v' }] } }, NoncurrentVersionExpiration: { NoncurrentDays: 5 } },
    { ID: 'uploads', Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
  ];

  it('puts, gets and deletes the rules, echoing the transition minimum object size', async () => {
    const b = await bucket();
    await expectError(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: b })), 'NoSuchLifecycleConfiguration', 404, 'The lifecycle configuration does not exist');
    const put = await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: b, LifecycleConfiguration: { Rules: rules }, TransitionDefaultMinimumObjectSize: 'varies_by_storage_class' }));
    expect(put.TransitionDefaultMinimumObjectSize).toBe('varies_by_storage_class');
    const got = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: b }));
    expect(got.Rules).toEqual(rules);
    expect(got.TransitionDefaultMinimumObjectSize).toBe('varies_by_storage_class');
    const dflt = await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: b, LifecycleConfiguration: { Rules: rules.slice(0, 1) } }));
    expect(dflt.TransitionDefaultMinimumObjectSize).toBe('all_storage_classes_128K');
    await s3.send(new DeleteBucketLifecycleCommand({ Bucket: b }));
    await expectError(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: b })), 'NoSuchLifecycleConfiguration', 404);
  });

  it('serves the legacy ?lifecycle requests (PutBucketLifecycle / GetBucketLifecycle) through the current operations', async () => {
    const b = await bucket();
    const xml = '<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ID>old</ID><Prefix>a/</Prefix><Status>Enabled</Status><Expiration><Days>3</Days></Expiration></Rule></LifecycleConfiguration>';
    const put = await raw('PUT', `/${b}?lifecycle`, xml);
    expect(put.status).toBe(200);
    const got = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: b }));
    expect(got.Rules).toEqual([{ ID: 'old', Prefix: 'a/', Status: 'Enabled', Expiration: { Days: 3 } }]);
  });

  it('validates the rules as S3 does', async () => {
    const b = await bucket();
    const put = (r: LifecycleRule[]) => s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: b, LifecycleConfiguration: { Rules: r } }));
    await expectError(put([{ ID: 'a', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 0 } }]), 'InvalidArgument', 400, "'Days' in Expiration action must be a positive integer");
    await expectError(put([{ ID: 'a', Status: 'Enabled', Filter: { Prefix: '' } }]), 'InvalidRequest', 400, 'At least one action needs to be specified in a rule');
    await expectError(
      put([
        { ID: 'a', Status: 'Enabled', Filter: { Prefix: 'x' }, Expiration: { Days: 1 } },
        { ID: 'a', Status: 'Enabled', Filter: { Prefix: 'y' }, Expiration: { Days: 1 } },
      ]),
      'InvalidArgument',
      400,
      'Rule ID must be unique. Found same ID for more than one rule',
    );
    await expectError(put([{ ID: 'a', Status: 'Enabled', Prefix: 'x', Filter: { Prefix: 'x' }, Expiration: { Days: 1 } }]), 'MalformedXML', 400);
    await expectError(put([{ ID: 'a', Status: 'On' as never, Filter: { Prefix: 'x' }, Expiration: { Days: 1 } }]), 'MalformedXML', 400);
    await expectError(put([{ ID: 'a', Status: 'Enabled', Filter: { Prefix: 'x' }, Expiration: { Date: new Date('2030-01-01T12:00:00Z') } }]), 'InvalidArgument', 400, "'Date' must be at midnight GMT");
    await expectError(
      put([{ ID: 'a', Status: 'Enabled', Filter: { Tag: { Key: 'k', Value: 'v' } }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }]),
      'InvalidRequest',
      400,
      'AbortIncompleteMultipartUpload cannot be specified with Tags.',
    );
    await expectError(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: b })), 'NoSuchLifecycleConfiguration', 404);
  });
});

describe('website', () => {
  it('puts, gets and deletes a website configuration with routing rules', async () => {
    const b = await bucket();
    await expectError(s3.send(new GetBucketWebsiteCommand({ Bucket: b })), 'NoSuchWebsiteConfiguration', 404, 'The specified bucket does not have a website configuration');
    const config = {
      IndexDocument: { Suffix: 'index.html' },
      ErrorDocument: { Key: 'error.html' },
      RoutingRules: [{ Condition: { KeyPrefixEquals: 'docs/' }, Redirect: { ReplaceKeyPrefixWith: 'documents/', HttpRedirectCode: '301' } }],
    };
    await s3.send(new PutBucketWebsiteCommand({ Bucket: b, WebsiteConfiguration: config }));
    const got = await s3.send(new GetBucketWebsiteCommand({ Bucket: b }));
    expect({ IndexDocument: got.IndexDocument, ErrorDocument: got.ErrorDocument, RoutingRules: got.RoutingRules }).toEqual(config);
    await s3.send(new PutBucketWebsiteCommand({ Bucket: b, WebsiteConfiguration: { RedirectAllRequestsTo: { HostName: 'example.com', Protocol: 'https' } } }));
    const redirect = await s3.send(new GetBucketWebsiteCommand({ Bucket: b }));
    expect(redirect.RedirectAllRequestsTo).toEqual({ HostName: 'example.com', Protocol: 'https' });
    expect(redirect.IndexDocument).toBeUndefined();
    await s3.send(new DeleteBucketWebsiteCommand({ Bucket: b }));
    await expectError(s3.send(new GetBucketWebsiteCommand({ Bucket: b })), 'NoSuchWebsiteConfiguration', 404);
  });

  it('requires an index document unless every request is redirected', async () => {
    const b = await bucket();
    await expectError(
      s3.send(new PutBucketWebsiteCommand({ Bucket: b, WebsiteConfiguration: { ErrorDocument: { Key: 'e.html' } } })),
      'InvalidArgument',
      400,
      'A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty',
    );
    await expectError(s3.send(new PutBucketWebsiteCommand({ Bucket: b, WebsiteConfiguration: { IndexDocument: { Suffix: 'a/b.html' } } })), 'InvalidArgument', 400, 'The IndexDocument Suffix is not well formed');
    await expectError(
      s3.send(new PutBucketWebsiteCommand({ Bucket: b, WebsiteConfiguration: { IndexDocument: { Suffix: 'i.html' }, RoutingRules: [{ Redirect: { HttpRedirectCode: '404' } }] } })),
      'InvalidRequest',
      400,
      'The provided HTTP redirect code (404) is not valid. Valid codes are 3XX except 300.',
    );
    await expectError(s3.send(new GetBucketWebsiteCommand({ Bucket: b })), 'NoSuchWebsiteConfiguration', 404);
  });
});

describe('default encryption', () => {
  it('answers the AES256 default for a bucket without its own, and stores one', async () => {
    const b = await bucket();
    const dflt = await s3.send(new GetBucketEncryptionCommand({ Bucket: b }));
    expect(dflt.ServerSideEncryptionConfiguration?.Rules).toEqual([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }]);
    const kms = { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' as const, KMSMasterKeyID: 'arn:aws:kms:us-east-1:000000000000:key/abc' }, BucketKeyEnabled: true }] };
    await s3.send(new PutBucketEncryptionCommand({ Bucket: b, ServerSideEncryptionConfiguration: kms }));
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket: b }))).ServerSideEncryptionConfiguration).toEqual(kms);
    await s3.send(new DeleteBucketEncryptionCommand({ Bucket: b }));
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket: b }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');
  });

  it('rejects an unknown algorithm', async () => {
    const b = await bucket();
    await expectError(s3.send(new PutBucketEncryptionCommand({ Bucket: b, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'DES' as never } }] } })), 'MalformedXML', 400);
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket: b }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');
  });
});

describe('ownership controls, public access block and ACLs', () => {
  it('keeps ownership controls, with OwnershipControlsNotFoundError once deleted', async () => {
    const b = await bucket();
    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: b }))).OwnershipControls?.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: b, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: b }))).OwnershipControls?.Rules).toEqual([{ ObjectOwnership: 'ObjectWriter' }]);
    await expectError(s3.send(new PutBucketOwnershipControlsCommand({ Bucket: b, OwnershipControls: { Rules: [{ ObjectOwnership: 'Nobody' as never }] } })), 'MalformedXML', 400);
    await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: b }));
    await expectError(s3.send(new GetBucketOwnershipControlsCommand({ Bucket: b })), 'OwnershipControlsNotFoundError', 404, 'The bucket ownership controls were not found');
  });

  it('keeps the public access block configuration', async () => {
    const b = await bucket();
    await expectError(s3.send(new GetPublicAccessBlockCommand({ Bucket: b })), 'NoSuchPublicAccessBlockConfiguration', 404, 'The public access block configuration was not found');
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: b, PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true } }));
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket: b }))).PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: true });
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: b }));
    await expectError(s3.send(new GetPublicAccessBlockCommand({ Bucket: b })), 'NoSuchPublicAccessBlockConfiguration', 404);
  });

  it('sets ACLs by canned header and by document, refusing them where ownership is enforced', async () => {
    const b = await bucket();
    const initial = await s3.send(new GetBucketAclCommand({ Bucket: b }));
    const ownerId = initial.Owner!.ID!;
    expect(initial.Grants).toEqual([{ Grantee: { Type: 'CanonicalUser', ID: ownerId }, Permission: 'FULL_CONTROL' }]);
    await expectError(s3.send(new PutBucketAclCommand({ Bucket: b, ACL: 'public-read' })), 'AccessControlListNotSupported', 400, 'The bucket does not allow ACLs');
    // the owner's full control alone is allowed
    await s3.send(new PutBucketAclCommand({ Bucket: b, ACL: 'private' }));

    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: b, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } }));
    await s3.send(new PutBucketAclCommand({ Bucket: b, ACL: 'public-read' }));
    const pub = await s3.send(new GetBucketAclCommand({ Bucket: b }));
    expect(pub.Grants?.map((g) => [g.Grantee?.URI ?? g.Grantee?.ID, g.Permission])).toEqual([
      [ownerId, 'FULL_CONTROL'],
      ['http://acs.amazonaws.com/groups/global/AllUsers', 'READ'],
    ]);
    await s3.send(
      new PutBucketAclCommand({
        Bucket: b,
        AccessControlPolicy: {
          Owner: { ID: ownerId },
          Grants: [
            { Grantee: { Type: 'CanonicalUser', ID: ownerId }, Permission: 'FULL_CONTROL' },
            { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' }, Permission: 'WRITE' },
          ],
        },
      }),
    );
    const doc = await s3.send(new GetBucketAclCommand({ Bucket: b }));
    expect(doc.Grants?.map((g) => [g.Grantee?.URI ?? g.Grantee?.ID, g.Permission])).toEqual([
      [ownerId, 'FULL_CONTROL'],
      ['http://acs.amazonaws.com/groups/s3/LogDelivery', 'WRITE'],
    ]);
    // back to enforced ownership is refused while the ACL grants others
    await expectError(s3.send(new PutBucketOwnershipControlsCommand({ Bucket: b, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } })), 'InvalidBucketAclWithObjectOwnership', 400);
    await expectError(s3.send(new PutBucketAclCommand({ Bucket: b, ACL: 'no-such-acl' as never })), 'InvalidArgument', 400);
    const bad = await raw('PUT', `/${b}?acl`, '<AccessControlPolicy><Owner><ID>' + ownerId + '</ID></Owner><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>' + ownerId + '</ID></Grantee><Permission>EVERYTHING</Permission></Grant></AccessControlList></AccessControlPolicy>');
    expect([bad.status, code(bad.text)]).toEqual([400, 'MalformedACLError']);
    expect((await s3.send(new GetBucketAclCommand({ Bucket: b }))).Grants).toEqual(doc.Grants);
  });

  it('refuses public ACLs when the public access block blocks them', async () => {
    const b = await bucket('cfg', { ObjectOwnership: 'ObjectWriter' });
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: b, PublicAccessBlockConfiguration: { BlockPublicAcls: true } }));
    await expectError(s3.send(new PutBucketAclCommand({ Bucket: b, ACL: 'public-read' })), 'AccessDenied', 403);
  });
});

describe('logging, accelerate, request payment', () => {
  it('enables logging to an existing bucket and refuses a missing one', async () => {
    const b = await bucket();
    const target = await bucket('logs');
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: b }))).LoggingEnabled).toBeUndefined();
    await expectError(
      s3.send(new PutBucketLoggingCommand({ Bucket: b, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'no-such-target-bucket-xyz', TargetPrefix: 'p/' } } })),
      'InvalidTargetBucketForLogging',
      400,
      'The target bucket for logging does not exist',
    );
    await s3.send(new PutBucketLoggingCommand({ Bucket: b, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: 'p/' } } }));
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: b }))).LoggingEnabled).toEqual({ TargetBucket: target, TargetPrefix: 'p/' });
    await s3.send(new PutBucketLoggingCommand({ Bucket: b, BucketLoggingStatus: {} }));
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: b }))).LoggingEnabled).toBeUndefined();
  });

  it('keeps transfer acceleration, refused for names with dots', async () => {
    const b = await bucket();
    expect((await s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket: b }))).Status).toBeUndefined();
    await s3.send(new PutBucketAccelerateConfigurationCommand({ Bucket: b, AccelerateConfiguration: { Status: 'Enabled' } }));
    expect((await s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket: b }))).Status).toBe('Enabled');
    await s3.send(new PutBucketAccelerateConfigurationCommand({ Bucket: b, AccelerateConfiguration: { Status: 'Suspended' } }));
    expect((await s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket: b }))).Status).toBe('Suspended');
    await expectError(s3.send(new PutBucketAccelerateConfigurationCommand({ Bucket: b, AccelerateConfiguration: { Status: 'On' as never } })), 'MalformedXML', 400);
    const dotted = await bucket('with.dots');
    await expectError(
      s3.send(new PutBucketAccelerateConfigurationCommand({ Bucket: dotted, AccelerateConfiguration: { Status: 'Enabled' } })),
      'InvalidRequest',
      400,
      'S3 Transfer Acceleration is not supported for buckets with periods (.) in their names',
    );
  });

  it('keeps the request payer', async () => {
    const b = await bucket();
    expect((await s3.send(new GetBucketRequestPaymentCommand({ Bucket: b }))).Payer).toBe('BucketOwner');
    await s3.send(new PutBucketRequestPaymentCommand({ Bucket: b, RequestPaymentConfiguration: { Payer: 'Requester' } }));
    expect((await s3.send(new GetBucketRequestPaymentCommand({ Bucket: b }))).Payer).toBe('Requester');
    await expectError(s3.send(new PutBucketRequestPaymentCommand({ Bucket: b, RequestPaymentConfiguration: { Payer: 'Nobody' as never } })), 'MalformedXML', 400);
  });
});

describe('bucket tagging', () => {
  it('puts, gets and deletes tags', async () => {
    const b = await bucket();
    await expectError(s3.send(new GetBucketTaggingCommand({ Bucket: b })), 'NoSuchTagSet', 404, 'The TagSet does not exist');
    const tags = [
      { Key: 'env', Value: 'test' },
      { Key: 'team', Value: '' },
    ];
    await s3.send(new PutBucketTaggingCommand({ Bucket: b, Tagging: { TagSet: tags } }));
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: b }))).TagSet).toEqual(tags);
    const del = await s3.send(new DeleteBucketTaggingCommand({ Bucket: b }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    await expectError(s3.send(new GetBucketTaggingCommand({ Bucket: b })), 'NoSuchTagSet', 404);
  });

  it('rejects duplicate keys and the reserved aws: prefix', async () => {
    const b = await bucket();
    await expectError(
      s3.send(new PutBucketTaggingCommand({ Bucket: b, Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } })),
      'InvalidTag',
      400,
      'Cannot provide multiple Tags with the same key',
    );
    await expectError(s3.send(new PutBucketTaggingCommand({ Bucket: b, Tagging: { TagSet: [{ Key: 'aws:owner', Value: 'x' }] } })), 'InvalidTag', 400, 'System tags cannot be added/updated by requester');
    await expectError(s3.send(new PutBucketTaggingCommand({ Bucket: b, Tagging: { TagSet: [{ Key: 'k'.repeat(129), Value: 'x' }] } })), 'InvalidTag', 400);
    await expectError(s3.send(new GetBucketTaggingCommand({ Bucket: b })), 'NoSuchTagSet', 404);
  });
});

describe('replication', () => {
  it('requires versioning, then stores the configuration', async () => {
    const b = await bucket();
    const dest = await bucket('dest');
    const config = {
      Role: 'arn:aws:iam::000000000000:role/replication',
      Rules: [{ ID: 'all', Priority: 1, Status: 'Enabled', Filter: { Prefix: '' }, DeleteMarkerReplication: { Status: 'Disabled' }, Destination: { Bucket: `arn:aws:s3:::${dest}`, StorageClass: 'STANDARD' } }],
    } as const;
    await expectError(
      s3.send(new PutBucketReplicationCommand({ Bucket: b, ReplicationConfiguration: structuredClone(config) as never })),
      'InvalidRequest',
      400,
      "Versioning must be 'Enabled' on the bucket to apply a replication configuration",
    );
    await expectError(s3.send(new GetBucketReplicationCommand({ Bucket: b })), 'ReplicationConfigurationNotFoundError', 404, 'The replication configuration was not found');
    await s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: dest, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutBucketReplicationCommand({ Bucket: b, ReplicationConfiguration: structuredClone(config) as never }));
    expect((await s3.send(new GetBucketReplicationCommand({ Bucket: b }))).ReplicationConfiguration).toEqual(config);
    await s3.send(new DeleteBucketReplicationCommand({ Bucket: b }));
    await expectError(s3.send(new GetBucketReplicationCommand({ Bucket: b })), 'ReplicationConfigurationNotFoundError', 404);
  });
});

describe('configurations by id', () => {
  it('analytics: put, get, list with pagination, delete', async () => {
    const b = await bucket();
    await expectError(s3.send(new GetBucketAnalyticsConfigurationCommand({ Bucket: b, Id: 'none' })), 'NoSuchConfiguration', 404, 'The specified configuration does not exist.');
    const ids = Array.from({ length: 105 }, (_, i) => `a${String(i).padStart(3, '0')}`);
    for (const Id of ids) {
      await s3.send(new PutBucketAnalyticsConfigurationCommand({ Bucket: b, Id, AnalyticsConfiguration: { Id, Filter: { Prefix: `${Id}/` }, StorageClassAnalysis: {} } }));
    }
    const got = await s3.send(new GetBucketAnalyticsConfigurationCommand({ Bucket: b, Id: 'a007' }));
    expect(got.AnalyticsConfiguration).toEqual({ Id: 'a007', Filter: { Prefix: 'a007/' }, StorageClassAnalysis: {} });
    const first = await s3.send(new ListBucketAnalyticsConfigurationsCommand({ Bucket: b }));
    expect(first.IsTruncated).toBe(true);
    expect(first.AnalyticsConfigurationList).toHaveLength(100);
    const second = await s3.send(new ListBucketAnalyticsConfigurationsCommand({ Bucket: b, ContinuationToken: first.NextContinuationToken }));
    expect(second.IsTruncated).toBe(false);
    expect([...first.AnalyticsConfigurationList!, ...second.AnalyticsConfigurationList!].map((c) => c.Id)).toEqual(ids);
    await s3.send(new DeleteBucketAnalyticsConfigurationCommand({ Bucket: b, Id: 'a007' }));
    await expectError(s3.send(new GetBucketAnalyticsConfigurationCommand({ Bucket: b, Id: 'a007' })), 'NoSuchConfiguration', 404);
    await expectError(s3.send(new DeleteBucketAnalyticsConfigurationCommand({ Bucket: b, Id: 'a007' })), 'NoSuchConfiguration', 404);
  });

  it('metrics, inventory and intelligent tiering: put, get, list, delete, and bad values', async () => {
    const b = await bucket();
    await s3.send(new PutBucketMetricsConfigurationCommand({ Bucket: b, Id: 'm1', MetricsConfiguration: { Id: 'm1', Filter: { Prefix: 'p' } } }));
    expect((await s3.send(new GetBucketMetricsConfigurationCommand({ Bucket: b, Id: 'm1' }))).MetricsConfiguration).toEqual({ Id: 'm1', Filter: { Prefix: 'p' } });
    expect((await s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket: b }))).MetricsConfigurationList?.map((c) => c.Id)).toEqual(['m1']);
    await s3.send(new DeleteBucketMetricsConfigurationCommand({ Bucket: b, Id: 'm1' }));
    expect((await s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket: b }))).MetricsConfigurationList).toBeUndefined();
    await expectError(s3.send(new PutBucketMetricsConfigurationCommand({ Bucket: b, Id: 'm1', MetricsConfiguration: { Id: 'other' } })), 'InvalidArgument', 400);

    const inventory = {
      Id: 'inv',
      IsEnabled: true,
      IncludedObjectVersions: 'Current',
      Schedule: { Frequency: 'Daily' },
      Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${b}`, Format: 'CSV' } },
      OptionalFields: ['Size', 'ETag'],
    } as const;
    await s3.send(new PutBucketInventoryConfigurationCommand({ Bucket: b, Id: 'inv', InventoryConfiguration: structuredClone(inventory) as never }));
    expect((await s3.send(new GetBucketInventoryConfigurationCommand({ Bucket: b, Id: 'inv' }))).InventoryConfiguration).toEqual(inventory);
    expect((await s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: b }))).InventoryConfigurationList).toHaveLength(1);
    await expectError(
      s3.send(new PutBucketInventoryConfigurationCommand({ Bucket: b, Id: 'inv2', InventoryConfiguration: { ...structuredClone(inventory), Id: 'inv2', Schedule: { Frequency: 'Hourly' } } as never })),
      'MalformedXML',
      400,
    );

    const tiering = { Id: 't', Status: 'Enabled', Tierings: [{ Days: 90, AccessTier: 'ARCHIVE_ACCESS' }] } as const;
    await s3.send(new PutBucketIntelligentTieringConfigurationCommand({ Bucket: b, Id: 't', IntelligentTieringConfiguration: structuredClone(tiering) as never }));
    expect((await s3.send(new GetBucketIntelligentTieringConfigurationCommand({ Bucket: b, Id: 't' }))).IntelligentTieringConfiguration).toEqual(tiering);
    expect((await s3.send(new ListBucketIntelligentTieringConfigurationsCommand({ Bucket: b }))).IntelligentTieringConfigurationList?.map((c) => c.Id)).toEqual(['t']);
    await expectError(
      s3.send(new PutBucketIntelligentTieringConfigurationCommand({ Bucket: b, Id: 't2', IntelligentTieringConfiguration: { Id: 't2', Status: 'Enabled', Tierings: [{ Days: 10, AccessTier: 'ARCHIVE_ACCESS' }] } })),
      'InvalidArgument',
      400,
    );
    await expectError(s3.send(new GetBucketIntelligentTieringConfigurationCommand({ Bucket: b, Id: 'constructor' })), 'NoSuchConfiguration', 404);
  });
});

describe('notification configuration (stored and validated)', () => {
  // S3 asks SQS and SNS whether each destination exists, as AWS does: these ones do
  beforeAll(async () => {
    const sqs = new SQSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
    for (const name of ['q', 'q2']) await sqs.send(new CreateQueueCommand({ QueueName: name }));
    await new SNSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 }).send(new CreateTopicCommand({ Name: 't' }));
  });

  it('stores queue, topic and function configurations with generated ids and capitalised filter rules', async () => {
    const b = await bucket();
    expect(await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b }))).not.toHaveProperty('QueueConfigurations');
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: b,
        NotificationConfiguration: {
          QueueConfigurations: [{ Id: 'q', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:q', Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }, { Name: 'Suffix' as never, Value: '.txt' }] } } }],
          TopicConfigurations: [{ TopicArn: 'arn:aws:sns:us-east-1:000000000000:t', Events: ['s3:ObjectRemoved:Delete'] }],
          LambdaFunctionConfigurations: [{ Id: 'f', LambdaFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f', Events: ['s3:ObjectTagging:*'] }],
          EventBridgeConfiguration: {},
        },
      }),
    );
    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b }));
    expect(got.QueueConfigurations).toEqual([{ Id: 'q', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:q', Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'in/' }, { Name: 'Suffix', Value: '.txt' }] } } }]);
    expect(got.TopicConfigurations?.[0]?.Id).toMatch(/^[A-Za-z0-9+/=]{8,}$/);
    expect(got.LambdaFunctionConfigurations?.[0]?.Id).toBe('f');
    expect(got.EventBridgeConfiguration).toEqual({});
    // an empty configuration turns notifications off
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: b, NotificationConfiguration: {} }));
    const off = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b }));
    expect(off.QueueConfigurations ?? off.TopicConfigurations ?? off.LambdaFunctionConfigurations ?? off.EventBridgeConfiguration).toBeUndefined();
  });

  it('rejects unknown events, bad filter rule names, bad ARNs and overlapping configurations', async () => {
    const b = await bucket();
    const put = (config: object) => s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: b, NotificationConfiguration: config }));
    const q = 'arn:aws:sqs:us-east-1:000000000000:q';
    await expectError(put({ QueueConfigurations: [{ QueueArn: q, Events: ['s3:ObjectCreated:Teleport'] }] }), 'InvalidArgument', 400, 'The event is not supported for notifications');
    await expectError(
      put({ QueueConfigurations: [{ QueueArn: q, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'middle', Value: 'x' }] } } }] }),
      'InvalidArgument',
      400,
      'filter rule name must be either prefix or suffix',
    );
    await expectError(put({ QueueConfigurations: [{ QueueArn: 'arn:aws:sns:us-east-1:000000000000:t', Events: ['s3:ObjectCreated:*'] }] }), 'InvalidArgument', 400, 'The ARN is not well formed');
    await expectError(
      put({ QueueConfigurations: [{ QueueArn: q, Events: ['s3:ObjectCreated:*'] }, { QueueArn: `${q}2`, Events: ['s3:ObjectCreated:Put'] }] }),
      'InvalidArgument',
      400,
      'Configurations overlap. Configurations on the same bucket cannot share a common event type.',
    );
    // disjoint prefixes do not overlap
    await put({
      QueueConfigurations: [
        { QueueArn: q, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'a/' }] } } },
        { QueueArn: `${q}2`, Events: ['s3:ObjectCreated:Put'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'b/' }] } } },
      ],
    });
    expect((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b }))).QueueConfigurations).toHaveLength(2);
  });
});

describe('bad requests in general', () => {
  it('answers NoSuchBucket for configurations of a missing bucket', async () => {
    const missing = `missing-${process.pid}`;
    await expectError(s3.send(new GetBucketCorsCommand({ Bucket: missing })), 'NoSuchBucket', 404);
    await expectError(s3.send(new PutBucketPolicyCommand({ Bucket: missing, Policy: PUBLIC_POLICY(missing) })), 'NoSuchBucket', 404);
    await expectError(s3.send(new PutBucketTaggingCommand({ Bucket: missing, Tagging: { TagSet: [] } })), 'NoSuchBucket', 404);
    await expectError(s3.send(new GetBucketEncryptionCommand({ Bucket: missing })), 'NoSuchBucket', 404);
    await expectError(s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket: missing })), 'NoSuchBucket', 404);
  });

  it('answers MalformedXML for documents that are not XML, and the server stays up', async () => {
    const b = await bucket();
    for (const sub of ['website', 'tagging', 'lifecycle', 'encryption', 'notification', 'replication', 'logging', 'accelerate', 'requestPayment', 'publicAccessBlock', 'ownershipControls']) {
      const res = await raw('PUT', `/${b}?${sub}`, '<not-closed>');
      expect([sub, res.status, code(res.text)]).toEqual([sub, 400, 'MalformedXML']);
    }
    await s3.send(new HeadBucketCommand({ Bucket: b }));
  });
});
