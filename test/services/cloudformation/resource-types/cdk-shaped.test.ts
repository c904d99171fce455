/**
 * A stack shaped as the CDK synthesizes the issue's app (a YAML template with short forms): an
 * encrypted bucket with an SSL-only BucketPolicy, a queue subscribed to a topic (Subscription and
 * QueuePolicy), a role with an AWS managed policy (ARN joined with the partition) and an
 * AWS::IAM::Policy naming it, an SSM parameter holding the bucket's name. Everything read back
 * through the services' clients, then deleted.
 */
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { IAMClient, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetBucketPolicyCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../../support/runtime.js';
import { sdkError } from '../../../support/sdk-error.js';
import { deleteStack, outputs, settled } from './stack.js';

let rt: RuntimeProcess;
let endpoint: string;
beforeAll(async () => {
  rt = await startRuntime();
  endpoint = rt.endpoint;
});
afterAll(async () => {
  await rt?.stop();
});

const TEMPLATE = `
Resources:
  Assets:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: { SSEAlgorithm: AES256 }
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true }
    UpdateReplacePolicy: Retain
    DeletionPolicy: Delete
  AssetsPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Assets
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Action: 's3:*'
            Condition: { Bool: { 'aws:SecureTransport': 'false' } }
            Effect: Deny
            Principal: { AWS: '*' }
            Resource: [!GetAtt Assets.Arn, !Join ['', [!GetAtt Assets.Arn, '/*']]]
  Topic:
    Type: AWS::SNS::Topic
  Queue:
    Type: AWS::SQS::Queue
  QueuePolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Queue]
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Action: 'sqs:SendMessage'
            Condition: { ArnEquals: { 'aws:SourceArn': !Ref Topic } }
            Effect: Allow
            Principal: { Service: sns.amazonaws.com }
            Resource: !GetAtt Queue.Arn
  Subscription:
    Type: AWS::SNS::Subscription
    DependsOn: QueuePolicy
    Properties:
      Protocol: sqs
      TopicArn: !Ref Topic
      Endpoint: !GetAtt Queue.Arn
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Action: 'sts:AssumeRole'
            Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
      ManagedPolicyArns:
        - !Join ['', ['arn:', !Ref 'AWS::Partition', ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']]
  RoleDefaultPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: RoleDefaultPolicy
      Roles: [!Ref Role]
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Action: ['s3:GetObject*', 's3:List*']
            Effect: Allow
            Resource: [!GetAtt Assets.Arn, !Sub '\${Assets.Arn}/*']
  Param:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !Ref Assets
Outputs:
  Bucket: { Value: !Ref Assets }
  Topic: { Value: !Ref Topic }
  Role: { Value: !Ref Role }
  Param: { Value: !Ref Param }
`;

describe('a CDK-shaped stack', () => {
  it('deploys every resource type of the issue’s app, readable through the services, and deletes them', async () => {
    const cfn = new CloudFormationClient({ ...clientConfig(endpoint), maxAttempts: 1 });
    await cfn.send(new CreateStackCommand({ StackName: 'CdkShaped', TemplateBody: TEMPLATE, Capabilities: ['CAPABILITY_IAM'] }));
    const stack = await settled(cfn, 'CdkShaped');
    expect(stack.StackStatus, stack.StackStatusReason).toBe('CREATE_COMPLETE');
    const out = outputs(stack);

    const s3 = new S3Client({ ...clientConfig(endpoint), forcePathStyle: true });
    expect(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: out['Bucket'] }))).Policy!).Statement[0].Resource).toEqual([`arn:aws:s3:::${out['Bucket']}`, `arn:aws:s3:::${out['Bucket']}/*`]);
    const sns = new SNSClient(clientConfig(endpoint));
    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: out['Topic'] }))).Subscriptions!;
    expect(subs.map((s) => s.Protocol)).toEqual(['sqs']);
    const iam = new IAMClient(clientConfig(endpoint));
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: out['Role'] }))).AttachedPolicies!.map((p) => p.PolicyName)).toEqual(['AWSLambdaBasicExecutionRole']);
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: out['Role'] }))).PolicyNames).toEqual(['RoleDefaultPolicy']);
    const ssm = new SSMClient(clientConfig(endpoint));
    expect((await ssm.send(new GetParameterCommand({ Name: out['Param'] }))).Parameter!.Value).toBe(out['Bucket']);

    await deleteStack(cfn, 'CdkShaped');
    expect(await sdkError(s3.send(new HeadBucketCommand({ Bucket: out['Bucket'] })))).toMatchObject({ status: 404 });
    expect(await sdkError(iam.send(new ListRolePoliciesCommand({ RoleName: out['Role'] })))).toMatchObject({ name: 'NoSuchEntityException' });
  });

  it('a resource of a type not emulated is no obstacle while its Condition keeps it out (the bootstrap template\'s KMS key)', async () => {
    const cfn = new CloudFormationClient({ ...clientConfig(endpoint), maxAttempts: 1 });
    const body = `
Parameters:
  Key: { Type: String, Default: AWS_MANAGED_KEY }
Conditions:
  CreateKey: !Equals [!Ref Key, '']
Resources:
  Key:
    Type: AWS::KMS::Key
    Condition: CreateKey
    Properties: { KeyPolicy: {} }
  Version:
    Type: AWS::SSM::Parameter
    Properties: { Type: String, Value: '1' }
`;
    await cfn.send(new CreateStackCommand({ StackName: 'conditional-kms', TemplateBody: body }));
    expect((await settled(cfn, 'conditional-kms')).StackStatus).toBe('CREATE_COMPLETE');
    await deleteStack(cfn, 'conditional-kms');
    expect(await sdkError(cfn.send(new CreateStackCommand({ StackName: 'kms-wanted', TemplateBody: body, Parameters: [{ ParameterKey: 'Key', ParameterValue: '' }] })))).toMatchObject({
      name: 'ValidationError', message: 'Template format error: Unrecognized resource types: [AWS::KMS::Key]',
    });
  });
});
