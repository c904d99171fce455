/**
 * CloudFormation end to end: the runtime process (dist/runtime/main.js) with the real template
 * language (template/), a YAML template with short forms, parameters, a condition and
 * intrinsics, driven by @aws-sdk/client-cloudformation and its waiters; the queues and the
 * parameter read back through client-sqs and client-ssm; an update, a delete, and the stack
 * read back after a PERSISTENCE=1 restart; `aws cloudformation deploy` of a YAML template whose
 * intrinsics land in SSM parameters, read back as values.
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackUpdateComplete,
} from '@aws-sdk/client-cloudformation';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aws } from '../../support/aws-cli.js';
import { clientConfig, startRuntime } from '../../support/runtime.js';
import { expectSdkError } from '../../support/sdk-error.js';

const volume = mkdtempSync(join(tmpdir(), 'ls-cfn-e2e-'));
afterAll(() => rmSync(volume, { recursive: true, force: true }));
const env = { PERSISTENCE: '1' };
const wait = { maxWaitTime: 30, minDelay: 1, maxDelay: 1 };

const TEMPLATE = `
AWSTemplateFormatVersion: '2010-09-09'
Description: end to end
Parameters:
  Env:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Dlq:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub '\${AWS::StackName}-dlq'
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: !If [IsProd, 60, 30]
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt Dlq.Arn
        maxReceiveCount: 3
  Param:
    Type: AWS::SSM::Parameter
    Properties:
      Name: !Sub '/\${AWS::StackName}/queue'
      Type: String
      Value: !GetAtt Queue.Arn
Outputs:
  QueueUrl:
    Value: !Ref Queue
    Export:
      Name: !Sub '\${AWS::StackName}-url'
`;

describe('a YAML stack through the runtime process', () => {
  it('is created, updated, read back after a restart, and deleted', async () => {
    const first = await startRuntime({ env, volume });
    let url: string;
    try {
      const cfn = new CloudFormationClient({ ...clientConfig(first.endpoint), maxAttempts: 1 });
      const sqs = new SQSClient({ ...clientConfig(first.endpoint), maxAttempts: 1 });
      const ssm = new SSMClient({ ...clientConfig(first.endpoint), maxAttempts: 1 });
      await expectSdkError(cfn.send(new CreateStackCommand({ StackName: 'e2e', TemplateBody: 'Resources: [' })), 'ValidationError');
      await cfn.send(new CreateStackCommand({ StackName: 'e2e', TemplateBody: TEMPLATE }));
      await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'e2e' });
      const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'e2e' }))).Stacks![0]!;
      url = stack.Outputs![0]!.OutputValue!;
      expect(stack).toMatchObject({ StackStatus: 'CREATE_COMPLETE', Description: 'end to end', Outputs: [{ OutputKey: 'QueueUrl', ExportName: 'e2e-url' }] });
      const dlqUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'e2e-dlq' }))).QueueUrl!;
      const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn'];
      const attributes = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;
      expect(attributes['VisibilityTimeout']).toBe('30');
      expect(JSON.parse(attributes['RedrivePolicy']!)).toEqual({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 });
      expect((await ssm.send(new GetParameterCommand({ Name: '/e2e/queue' }))).Parameter?.Value).toBe(attributes['QueueArn']);

      await cfn.send(new UpdateStackCommand({ StackName: 'e2e', UsePreviousTemplate: true, Parameters: [{ ParameterKey: 'Env', ParameterValue: 'prod' }] }));
      await waitUntilStackUpdateComplete({ client: cfn, ...wait }, { StackName: 'e2e' });
      expect((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout'] }))).Attributes!['VisibilityTimeout']).toBe('60');
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const second = await startRuntime({ env, volume });
    try {
      const cfn = new CloudFormationClient({ ...clientConfig(second.endpoint), maxAttempts: 1 });
      const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'e2e' }))).Stacks![0]!;
      expect(stack).toMatchObject({ StackStatus: 'UPDATE_COMPLETE', Parameters: [{ ParameterKey: 'Env', ParameterValue: 'prod' }], Outputs: [{ OutputKey: 'QueueUrl', OutputValue: url }] });
      const resources = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'e2e' }))).StackResources!;
      expect(resources.map((r) => r.LogicalResourceId).sort()).toEqual(['Dlq', 'Param', 'Queue']);
      await cfn.send(new DeleteStackCommand({ StackName: 'e2e' }));
      await waitUntilStackDeleteComplete({ client: cfn, ...wait }, { StackName: stack.StackId });
      const ssm = new SSMClient({ ...clientConfig(second.endpoint), maxAttempts: 1 });
      await expectSdkError(ssm.send(new GetParameterCommand({ Name: '/e2e/queue' })), 'ParameterNotFound');
    } finally {
      expect(await second.stop()).toBe(0);
    }
  }, 120_000);
});

const INTRINSICS = `
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env:
    Type: String
    Default: dev
  Names:
    Type: CommaDelimitedList
    Default: a,b,c
Mappings:
  Sizes:
    dev: { Size: small }
    prod: { Size: large }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  Either: !Or [!Condition IsProd, !Equals [!Ref Env, test]]
  Both: !And [!Condition IsProd, !Equals [!Select [0, !Ref Names], a]]
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Values:
    Type: AWS::SSM::Parameter
    Properties:
      Name: !Sub '/\${AWS::StackName}/values'
      Type: StringList
      Value: !Join
        - ','
        - - !Sub '\${Env}-\${AWS::Region}-\${AWS::AccountId}'
          - !FindInMap [Sizes, !Ref Env, Size]
          - !Select [1, !Split ['|', 'x|y|z']]
          - !If [IsProd, prod-only, other]
          - !If [Both, both, not-both]
          - !Base64 'hi'
          - !Select [0, !GetAZs '']
          - !Select [1, !Cidr ['10.0.0.0/16', 4, 8]]
          - !GetAtt Queue.QueueName
          - !Sub ['\${Q}!', { Q: !Select [0, !Ref Names] }]
  OnlyDev:
    Type: AWS::SSM::Parameter
    Condition: NotProd
    Properties:
      Name: !Sub '/\${AWS::StackName}/dev-only'
      Type: String
      Value: dev
Outputs:
  Values:
    Value: !GetAtt Values.Value
`;

describe('aws cloudformation deploy of a YAML template with intrinsics and conditions', () => {
  it('deploys, and every intrinsic lands resolved', async () => {
    const rt = await startRuntime();
    const dir = mkdtempSync(join(tmpdir(), 'cfn-yaml-'));
    try {
      const path = join(dir, 'template.yaml');
      writeFileSync(path, INTRINSICS);
      // SSM and SQS start on first use: started first, so that the stack is done before the
      // CLI's first poll (its stack waiter polls every 30 s)
      await aws(rt.endpoint, ['ssm', 'describe-parameters']);
      await aws(rt.endpoint, ['sqs', 'list-queues']);
      const deployed = await aws(rt.endpoint, ['cloudformation', 'deploy', '--template-file', path, '--stack-name', 'yaml', '--parameter-overrides', 'Env=prod', 'Names=a,b']);
      const why = deployed.code === 0 ? '' : JSON.stringify((await aws(rt.endpoint, ['cloudformation', 'describe-stack-events', '--stack-name', 'yaml'])).json?.StackEvents?.map((e: { ResourceStatusReason?: string }) => e.ResourceStatusReason).filter(Boolean));
      expect(deployed.code, deployed.stderr + why).toBe(0);
      const ssm = new SSMClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
      const values = (await ssm.send(new GetParameterCommand({ Name: '/yaml/values' }))).Parameter!.Value!.split(',');
      expect(values.slice(0, 8)).toEqual(['prod-us-east-1-000000000000', 'large', 'y', 'prod-only', 'both', 'aGk=', 'us-east-1a', '10.0.1.0/24']);
      expect(values[8]).toMatch(/^yaml-Queue-[A-Z0-9]{12}$/);
      expect(values[9]).toBe('a!');
      await expectSdkError(ssm.send(new GetParameterCommand({ Name: '/yaml/dev-only' })), 'ParameterNotFound');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await rt.stop();
    }
  }, 120_000);
});
