/**
 * SAM templates (Transform: AWS::Serverless-2016-10-31) through @aws-sdk/client-cloudformation,
 * over a socket to a runtime in this process with the real template language: a template with
 * Globals and an AWS::Serverless::Application whose Location is a child template in S3 deploys
 * as a nested stack (its outputs read by the parent), GetTemplate shows the Original and the
 * Processed (expanded) template of the stack and of a change set (the `sam deploy` flow); a
 * Function fails the stack naming AWS::Lambda::Function, as long as Lambda is not emulated;
 * SAM's refusals are ValidationErrors and the runtime stays up. With
 * CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES=1 the function's generated role is created, its
 * managed policy names resolved to IAM's ARNs.
 */
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  GetTemplateSummaryCommand,
  ValidateTemplateCommand,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
} from '@aws-sdk/client-cloudformation';
import { GetRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../../runtime/services/registry.js';
import { clientConfig, startInProcess, withInProcessRuntime } from '../../support/runtime.js';
import { expectSdkError } from '../../support/sdk-error.js';

const wait = { maxWaitTime: 30, minDelay: 1, maxDelay: 1 };
let endpoint = '';
let cfn: CloudFormationClient;
let s3: S3Client;
let ssm: SSMClient;
withInProcessRuntime(PROVIDERS, (e) => {
  endpoint = e;
  cfn = new CloudFormationClient({ ...clientConfig(e), maxAttempts: 1 });
  s3 = new S3Client({ ...clientConfig(e), forcePathStyle: true, maxAttempts: 1 });
  ssm = new SSMClient({ ...clientConfig(e), maxAttempts: 1 });
});

const CHILD = `Parameters:
  Stage: {Type: String}
Resources:
  Setting:
    Type: AWS::SSM::Parameter
    Properties: {Name: !Sub '/sam-child/\${Stage}', Type: String, Value: !Sub 'child of \${Stage}'}
Outputs:
  SettingName: {Value: !Ref Setting}
`;

const parent = () => `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    Timeout: 10
Resources:
  App:
    Type: AWS::Serverless::Application
    Properties:
      Location: ${endpoint}/sam-templates/child.yaml
      Parameters: {Stage: prod}
      Tags: {team: blue}
  FromChild:
    Type: AWS::SSM::Parameter
    Properties: {Name: /sam-parent/child, Type: String, Value: !GetAtt App.Outputs.SettingName}
Outputs:
  ChildStack: {Value: !Ref App}
`;

const FUNCTION = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Runtime: python3.12, Handler: app.handler}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 'ok'"
      Policies: [AmazonSQSReadOnlyAccess, {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 's3:GetObject', Resource: '*'}]}]
`;

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'sam-templates' }));
  await s3.send(new PutObjectCommand({ Bucket: 'sam-templates', Key: 'child.yaml', Body: CHILD }));
});

describe('SAM through CloudFormation', () => {
  it('Globals and an Application from S3 deploy as a nested stack; GetTemplate Processed shows the expansion', async () => {
    const body = parent();
    await expectSdkError(cfn.send(new CreateStackCommand({ StackName: 'sam-app', TemplateBody: body })), 'InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_AUTO_EXPAND]');
    await cfn.send(new CreateStackCommand({ StackName: 'sam-app', TemplateBody: body, Capabilities: ['CAPABILITY_AUTO_EXPAND'] }));
    await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'sam-app' });

    const app = (await cfn.send(new DescribeStackResourceCommand({ StackName: 'sam-app', LogicalResourceId: 'App' }))).StackResourceDetail!;
    expect(app.ResourceType).toBe('AWS::CloudFormation::Stack');
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'sam-app' }))).Stacks![0]!;
    expect(stack.Outputs).toEqual([expect.objectContaining({ OutputKey: 'ChildStack', OutputValue: app.PhysicalResourceId })]);
    const child = (await cfn.send(new DescribeStacksCommand({ StackName: app.PhysicalResourceId }))).Stacks![0]!;
    expect(child.StackStatus).toBe('CREATE_COMPLETE');
    expect(child.ParentId).toBe(stack.StackId);
    expect(child.Parameters).toEqual([{ ParameterKey: 'Stage', ParameterValue: 'prod' }]);
    expect(child.Tags).toEqual([{ Key: 'lambda:createdBy', Value: 'SAM' }, { Key: 'team', Value: 'blue' }]);
    expect((await ssm.send(new GetParameterCommand({ Name: '/sam-child/prod' }))).Parameter!.Value).toBe('child of prod');
    expect((await ssm.send(new GetParameterCommand({ Name: '/sam-parent/child' }))).Parameter!.Value).toBe('/sam-child/prod');

    const original = await cfn.send(new GetTemplateCommand({ StackName: 'sam-app' }));
    expect(original.TemplateBody).toBe(body);
    expect(original.StagesAvailable).toEqual(['Original', 'Processed']);
    const processed = JSON.parse((await cfn.send(new GetTemplateCommand({ StackName: 'sam-app', TemplateStage: 'Processed' }))).TemplateBody!);
    expect(processed.Transform).toBeUndefined();
    expect(processed.Globals).toBeUndefined();
    expect(processed.Resources.App).toEqual({
      Type: 'AWS::CloudFormation::Stack',
      Properties: {
        Parameters: { Stage: 'prod' },
        Tags: [{ Key: 'lambda:createdBy', Value: 'SAM' }, { Key: 'team', Value: 'blue' }],
        TemplateURL: `${endpoint}/sam-templates/child.yaml`,
      },
    });

    const summary = await cfn.send(new GetTemplateSummaryCommand({ TemplateBody: body }));
    expect(summary.DeclaredTransforms).toEqual(['AWS::Serverless-2016-10-31']);
    expect(summary.ResourceTypes).toEqual(['AWS::Serverless::Application', 'AWS::SSM::Parameter']);

    await cfn.send(new DeleteStackCommand({ StackName: 'sam-app' }));
    await waitUntilStackDeleteComplete({ client: cfn, ...wait }, { StackName: 'sam-app' });
    expect((await cfn.send(new DescribeStacksCommand({ StackName: app.PhysicalResourceId }))).Stacks![0]!.StackStatus).toBe('DELETE_COMPLETE');
  });

  it('a change set of a SAM template (the sam deploy flow): GetTemplate of the change set, Processed', async () => {
    await cfn.send(new CreateChangeSetCommand({ StackName: 'sam-cs', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: parent(), Capabilities: ['CAPABILITY_AUTO_EXPAND'] }));
    await waitUntilChangeSetCreateComplete({ client: cfn, ...wait }, { StackName: 'sam-cs', ChangeSetName: 'first' });
    const processed = JSON.parse((await cfn.send(new GetTemplateCommand({ StackName: 'sam-cs', ChangeSetName: 'first', TemplateStage: 'Processed' }))).TemplateBody!);
    expect(processed.Resources.App.Type).toBe('AWS::CloudFormation::Stack');
    expect((await cfn.send(new GetTemplateCommand({ StackName: 'sam-cs', ChangeSetName: 'first' }))).TemplateBody).toBe(parent());
  });

  it('a Function fails naming AWS::Lambda::Function; SAM refusals are ValidationErrors; the runtime stays up', async () => {
    const unrecognized = 'Template format error: Unrecognized resource types: [AWS::Lambda::Function]';
    await expectSdkError(cfn.send(new CreateStackCommand({ StackName: 'sam-fn', TemplateBody: FUNCTION, Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] })), 'ValidationError', unrecognized);
    await expectSdkError(cfn.send(new ValidateTemplateCommand({ TemplateBody: FUNCTION })), 'ValidationError', unrecognized);
    const sar = FUNCTION.replace(/Fn:\n[\s\S]*$/, 'App:\n    Type: AWS::Serverless::Application\n    Properties:\n      Location: {ApplicationId: arn:aws:serverlessrepo:us-east-1:123456789012:applications/x, SemanticVersion: 1.0.0}\n');
    await expectSdkError(
      cfn.send(new CreateStackCommand({ StackName: 'sam-sar', TemplateBody: sar, Capabilities: ['CAPABILITY_AUTO_EXPAND'] })),
      'ValidationError',
      /^Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification document\. Number of errors found: 1\. Resource with id \[App\] is invalid\. Location with ApplicationId/,
    );
    await expectSdkError(cfn.send(new DescribeStacksCommand({ StackName: 'sam-fn' })), 'ValidationError', 'Stack with id sam-fn does not exist');
    expect((await cfn.send(new ValidateTemplateCommand({ TemplateBody: parent() }))).DeclaredTransforms).toEqual(['AWS::Serverless-2016-10-31']);
  });
});

describe('SAM with CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES=1', () => {
  let runtime: Awaited<ReturnType<typeof startInProcess>> | undefined;
  afterAll(async () => {
    await runtime?.stop();
  });

  it('the function is skipped, its generated role created with the managed policies SAM resolves and the SAM tag', async () => {
    runtime = await startInProcess(PROVIDERS, { env: { CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES: '1' } });
    const config = { ...clientConfig(`http://127.0.0.1:${runtime.addresses[0]!.port}`), maxAttempts: 1 };
    const client = new CloudFormationClient(config);
    const iam = new IAMClient(config);
    await client.send(new CreateStackCommand({ StackName: 'sam-skip', TemplateBody: FUNCTION, Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] }));
    await waitUntilStackCreateComplete({ client, ...wait }, { StackName: 'sam-skip' });
    const role = (await client.send(new DescribeStackResourceCommand({ StackName: 'sam-skip', LogicalResourceId: 'FnRole' }))).StackResourceDetail!;
    expect(role.ResourceType).toBe('AWS::IAM::Role');
    const attached = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role.PhysicalResourceId }))).AttachedPolicies!.map((p) => p.PolicyArn).sort();
    expect(attached).toEqual(['arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess', 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: role.PhysicalResourceId }))).Tags).toEqual([{ Key: 'lambda:createdBy', Value: 'SAM' }]);
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: role.PhysicalResourceId, PolicyName: 'FnRolePolicy1' }));
    expect(JSON.parse(decodeURIComponent(inline.PolicyDocument!))).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
  });
});
