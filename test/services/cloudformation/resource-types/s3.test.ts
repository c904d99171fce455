/**
 * AWS::S3::Bucket and AWS::S3::BucketPolicy through stacks (client-cloudformation, a real
 * runtime process), read back through client-s3: every configuration a bucket takes, the
 * documented Ref and GetAtt values, a generated lower-case name, updates that change and remove
 * configurations in place, a rename that replaces the bucket, and a non-empty bucket whose
 * delete fails as in AWS.
 */
import { CloudFormationClient, DeleteStackCommand, DescribeStackEventsCommand } from '@aws-sdk/client-cloudformation';
import {
  DeleteObjectCommand,
  GetBucketAccelerateConfigurationCommand,
  GetBucketAclCommand,
  GetBucketLoggingCommand,
  GetObjectLockConfigurationCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetBucketWebsiteCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../../support/runtime.js';
import { sdkError } from '../../../support/sdk-error.js';
import { createStack, deleteStack, settled, updateStack } from './stack.js';

let rt: RuntimeProcess;
let cfn: CloudFormationClient;
let s3: S3Client;

beforeAll(async () => {
  rt = await startRuntime();
  cfn = new CloudFormationClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
  s3 = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true, maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

const FULL = {
  Resources: {
    Queue: { Type: 'AWS::SQS::Queue' },
    Bucket: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketName: 'cfn-full-bucket',
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/mine' }, BucketKeyEnabled: true }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: false, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: {
          Rules: [
            { Id: 'logs', Status: 'Enabled', Prefix: 'logs/', ExpirationInDays: 30, NoncurrentVersionExpiration: { NoncurrentDays: 7 } },
            { Id: 'uploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } },
            { Id: 'tmp', Status: 'Disabled', ExpirationInDays: 1, TagFilters: [{ Key: 'kind', Value: 'tmp' }], Prefix: 'tmp/', ObjectSizeGreaterThan: 1024 },
          ],
        },
        CorsConfiguration: { CorsRules: [{ Id: 'web', AllowedMethods: ['GET', 'PUT'], AllowedOrigins: ['https://example.com'], AllowedHeaders: ['*'], ExposedHeaders: ['ETag'], MaxAge: 300 }] },
        WebsiteConfiguration: { IndexDocument: 'index.html', ErrorDocument: 'error.html' },
        NotificationConfiguration: {
          QueueConfigurations: [{ Event: 's3:ObjectCreated:*', Queue: { 'Fn::GetAtt': ['Queue', 'Arn'] }, Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'in/' }] } } }],
        },
        Tags: [{ Key: 'team', Value: 'storage' }],
      },
    },
    Policy: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: 'Bucket' },
        PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 's3:GetObject', Resource: { 'Fn::Sub': '${Bucket.Arn}/*' } }] },
      },
    },
  },
  Outputs: {
    Ref: { Value: { Ref: 'Bucket' } },
    Arn: { Value: { 'Fn::GetAtt': ['Bucket', 'Arn'] } },
    DomainName: { Value: { 'Fn::GetAtt': ['Bucket', 'DomainName'] } },
    RegionalDomainName: { Value: { 'Fn::GetAtt': ['Bucket', 'RegionalDomainName'] } },
    DualStackDomainName: { Value: { 'Fn::GetAtt': ['Bucket', 'DualStackDomainName'] } },
    WebsiteURL: { Value: { 'Fn::GetAtt': ['Bucket', 'WebsiteURL'] } },
    PolicyRef: { Value: { Ref: 'Policy' } },
  },
};

describe('AWS::S3::Bucket', () => {
  it('creates a bucket with every configuration; Ref and GetAtt as CloudFormation documents them', async () => {
    const out = await createStack(cfn, 's3-full', FULL);
    const Bucket = 'cfn-full-bucket';
    expect(out).toEqual({
      Ref: Bucket,
      Arn: `arn:aws:s3:::${Bucket}`,
      DomainName: `${Bucket}.s3.amazonaws.com`,
      RegionalDomainName: `${Bucket}.s3.us-east-1.amazonaws.com`,
      DualStackDomainName: `${Bucket}.s3.dualstack.us-east-1.amazonaws.com`,
      WebsiteURL: `http://${Bucket}.s3-website-us-east-1.amazonaws.com`,
      PolicyRef: Bucket,
    });
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Enabled');
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration!.Rules).toEqual([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/mine' }, BucketKeyEnabled: true }]);
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: false, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls!.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    const lifecycle = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules!;
    expect(lifecycle).toEqual([
      { ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 }, NoncurrentVersionExpiration: { NoncurrentDays: 7 } },
      { ID: 'uploads', Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } },
      { ID: 'tmp', Status: 'Disabled', Filter: { And: { Prefix: 'tmp/', ObjectSizeGreaterThan: 1024, Tags: [{ Key: 'kind', Value: 'tmp' }] } }, Expiration: { Days: 1 } },
    ]);
    expect((await s3.send(new GetBucketCorsCommand({ Bucket }))).CORSRules).toEqual([{ ID: 'web', AllowedMethods: ['GET', 'PUT'], AllowedOrigins: ['https://example.com'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 300 }]);
    expect(await s3.send(new GetBucketWebsiteCommand({ Bucket }))).toMatchObject({ IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: 'error.html' } });
    const notification = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    expect(notification.QueueConfigurations).toEqual([{ Id: expect.any(String), QueueArn: expect.stringMatching(/^arn:aws:sqs:us-east-1:000000000000:s3-full-Queue-/), Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'in/' }] } } }]);
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet).toEqual([{ Key: 'team', Value: 'storage' }]);
    expect(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy!).Statement[0].Resource).toBe(`arn:aws:s3:::${Bucket}/*`);
  });

  it('an update changes and removes configurations in place; deleting the stack removes the bucket and its policy', async () => {
    const Bucket = 'cfn-full-bucket';
    const props = { ...FULL.Resources.Bucket.Properties } as Record<string, unknown>;
    delete props['CorsConfiguration'];
    delete props['WebsiteConfiguration'];
    delete props['LifecycleConfiguration'];
    delete props['NotificationConfiguration'];
    delete props['BucketEncryption'];
    props['VersioningConfiguration'] = { Status: 'Suspended' };
    props['Tags'] = [{ Key: 'team', Value: 'data' }];
    await updateStack(cfn, 's3-full', { ...FULL, Resources: { ...FULL.Resources, Bucket: { Type: 'AWS::S3::Bucket', Properties: props } } });
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Suspended');
    expect(await sdkError(s3.send(new GetBucketCorsCommand({ Bucket })))).toMatchObject({ name: 'NoSuchCORSConfiguration' });
    expect(await sdkError(s3.send(new GetBucketWebsiteCommand({ Bucket })))).toMatchObject({ name: 'NoSuchWebsiteConfiguration' });
    expect(await sdkError(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })))).toMatchObject({ name: 'NoSuchLifecycleConfiguration' });
    expect((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }))).QueueConfigurations ?? []).toEqual([]);
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet).toEqual([{ Key: 'team', Value: 'data' }]);

    await deleteStack(cfn, 's3-full');
    expect(await sdkError(s3.send(new HeadBucketCommand({ Bucket })))).toMatchObject({ status: 404 });
  });

  it('a bucket the template does not name gets a lower-case generated name; a rename replaces it', async () => {
    const template = (name?: string) => ({
      Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: name ? { BucketName: name } : {} } },
      Outputs: { Name: { Value: { Ref: 'Bucket' } } },
    });
    const first = (await createStack(cfn, 'S3-Generated', template())).Name!;
    expect(first).toMatch(/^s3-generated-bucket-[a-z0-9]{12}$/);
    await s3.send(new HeadBucketCommand({ Bucket: first }));
    const second = (await updateStack(cfn, 'S3-Generated', template('cfn-renamed-bucket'))).Name!;
    expect(second).toBe('cfn-renamed-bucket');
    await s3.send(new HeadBucketCommand({ Bucket: second }));
    expect(await sdkError(s3.send(new HeadBucketCommand({ Bucket: first })))).toMatchObject({ status: 404 });
    await deleteStack(cfn, 'S3-Generated');
  });

  it('deleting a stack whose bucket holds objects fails as AWS does; emptied, the delete succeeds', async () => {
    await createStack(cfn, 's3-not-empty', { Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'cfn-not-empty' } } } });
    await s3.send(new PutObjectCommand({ Bucket: 'cfn-not-empty', Key: 'k', Body: 'v' }));
    await cfn.send(new DeleteStackCommand({ StackName: 's3-not-empty' }));
    const stack = await settled(cfn, 's3-not-empty');
    expect(stack.StackStatus).toBe('DELETE_FAILED');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 's3-not-empty' }))).StackEvents!;
    expect(events.find((e) => e.LogicalResourceId === 'Bucket' && e.ResourceStatus === 'DELETE_FAILED')?.ResourceStatusReason).toMatch(/The bucket you tried to delete is not empty/);
    await s3.send(new DeleteObjectCommand({ Bucket: 'cfn-not-empty', Key: 'k' }));
    await deleteStack(cfn, 's3-not-empty');
    expect(await sdkError(s3.send(new HeadBucketCommand({ Bucket: 'cfn-not-empty' })))).toMatchObject({ status: 404 });
  });

  it('a canned AccessControl and topic notifications: the ACL and the configuration as S3 answers them', async () => {
    const template = {
      Resources: {
        Topic: { Type: 'AWS::SNS::Topic' },
        Logs: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: 'cfn-log-bucket',
            AccessControl: 'LogDeliveryWrite',
            OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
            NotificationConfiguration: { TopicConfigurations: [{ Event: 's3:ObjectRemoved:*', Topic: { Ref: 'Topic' } }] },
          },
        },
      },
      Outputs: { Topic: { Value: { Ref: 'Topic' } } },
    };
    const out = await createStack(cfn, 's3-acl', template);
    const grants = (await s3.send(new GetBucketAclCommand({ Bucket: 'cfn-log-bucket' }))).Grants!;
    expect(grants.map((g) => `${g.Grantee!.URI ?? g.Grantee!.ID}:${g.Permission}`)).toEqual(
      expect.arrayContaining(['http://acs.amazonaws.com/groups/s3/LogDelivery:WRITE', 'http://acs.amazonaws.com/groups/s3/LogDelivery:READ_ACP']),
    );
    const notification = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'cfn-log-bucket' }));
    expect(notification.TopicConfigurations).toEqual([{ Id: expect.any(String), TopicArn: out['Topic'], Events: ['s3:ObjectRemoved:*'] }]);
    await deleteStack(cfn, 's3-acl');
  });

  it('logging, transfer acceleration and object lock with a default retention', async () => {
    const template = {
      Resources: {
        Target: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'cfn-log-target', OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } } },
        Locked: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: 'cfn-locked',
            ObjectLockEnabled: true,
            ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } },
            LoggingConfiguration: { DestinationBucketName: { Ref: 'Target' }, LogFilePrefix: 'locked/' },
            AccelerateConfiguration: { AccelerationStatus: 'Enabled' },
          },
        },
      },
    };
    await createStack(cfn, 's3-more', template);
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'cfn-locked' }))).ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } });
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: 'cfn-locked' }))).LoggingEnabled).toMatchObject({ TargetBucket: 'cfn-log-target', TargetPrefix: 'locked/' });
    expect((await s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket: 'cfn-locked' }))).Status).toBe('Enabled');
    await deleteStack(cfn, 's3-more');
  });
});
