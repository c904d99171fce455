/**
 * A resource of a type nothing here emulates counts only when its Condition holds: the CDK's
 * bootstrap template declares an AWS::KMS::Key and AWS::KMS::Alias that its default parameters
 * leave out, and must deploy; the same template asking for the key is refused with AWS's
 * message for an unknown type, nothing created. Through the runtime process (real template
 * language) and @aws-sdk/client-cloudformation.
 */
import { CloudFormationClient, CreateStackCommand, DescribeStackResourcesCommand, waitUntilStackCreateComplete } from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectSdkError } from '../../support/sdk-error.js';

const TEMPLATE = JSON.stringify({
  Parameters: { CreateKey: { Type: 'String', Default: 'no', AllowedValues: ['yes', 'no'] } },
  Conditions: { WantKey: { 'Fn::Equals': [{ Ref: 'CreateKey' }, 'yes'] } },
  Resources: {
    Key: { Type: 'AWS::KMS::Key', Condition: 'WantKey', Properties: { KeyPolicy: {} } },
    Alias: { Type: 'AWS::KMS::Alias', Condition: 'WantKey', Properties: { AliasName: 'alias/x', TargetKeyId: { Ref: 'Key' } } },
    Version: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Name: { 'Fn::Sub': '/${AWS::StackName}/key' }, Value: { 'Fn::If': ['WantKey', { 'Fn::GetAtt': ['Key', 'Arn'] }, 'none'] } } },
  },
});

describe('unsupported types under a false condition', () => {
  let rt: RuntimeProcess;
  let cfn: CloudFormationClient;
  beforeAll(async () => {
    rt = await startRuntime();
    cfn = new CloudFormationClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
  });
  afterAll(() => rt?.stop());

  it('deploy when the condition leaves them out', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'nokey', TemplateBody: TEMPLATE }));
    await waitUntilStackCreateComplete({ client: cfn, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { StackName: 'nokey' });
    const resources = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'nokey' }))).StackResources!;
    expect(resources.map((r) => r.LogicalResourceId)).toEqual(['Version']);
    const ssm = new SSMClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
    expect((await ssm.send(new GetParameterCommand({ Name: '/nokey/key' }))).Parameter?.Value).toBe('none');
  });

  it('are refused with AWS’s message when the condition holds, nothing created', async () => {
    const refused = cfn.send(new CreateStackCommand({ StackName: 'withkey', TemplateBody: TEMPLATE, Parameters: [{ ParameterKey: 'CreateKey', ParameterValue: 'yes' }] }));
    await expectSdkError(refused, 'ValidationError', 'Template format error: Unrecognized resource types: [AWS::KMS::Key, AWS::KMS::Alias]');
    await expectSdkError(cfn.send(new DescribeStackResourcesCommand({ StackName: 'withkey' })), 'ValidationError', 'Stack with id withkey does not exist');
  });
});
