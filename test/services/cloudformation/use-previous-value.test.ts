/**
 * UsePreviousValue reads the value a parameter had, given or defaulted: the CDK sends
 * `BootstrapVersion` (an AWS::SSM::Parameter::Value<String> whose Default names the bootstrap's
 * version parameter) with UsePreviousValue on every update, never giving it. Through the
 * runtime process (real template language), UpdateStack and CreateChangeSet; a key the previous
 * template did not declare is still refused with AWS's message.
 */
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  UpdateStackCommand,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
  waitUntilStackUpdateComplete,
} from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectSdkError } from '../../support/sdk-error.js';

const template = (suffix: string) =>
  JSON.stringify({
    Parameters: {
      Env: { Type: 'String', Default: 'dev' },
      BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/prev/version' },
    },
    Resources: {
      P: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/prev/out', Type: 'String', Value: { 'Fn::Sub': `\${Env}-\${BootstrapVersion}-${suffix}` } } },
    },
  });

describe('UsePreviousValue of a parameter that took its Default', () => {
  let rt: RuntimeProcess;
  let cfn: CloudFormationClient;
  let ssm: SSMClient;
  const wait = { maxWaitTime: 20, minDelay: 1, maxDelay: 1 };
  const out = async () => (await ssm.send(new GetParameterCommand({ Name: '/prev/out' }))).Parameter?.Value;

  beforeAll(async () => {
    rt = await startRuntime();
    cfn = new CloudFormationClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
    ssm = new SSMClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
    await ssm.send(new PutParameterCommand({ Name: '/prev/version', Type: 'String', Value: '21' }));
    await cfn.send(new CreateStackCommand({ StackName: 'prev', TemplateBody: template('one') }));
    await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'prev' });
  });
  afterAll(() => rt?.stop());

  it('UpdateStack keeps the defaulted values', async () => {
    expect(await out()).toBe('dev-21-one');
    const previous = [{ ParameterKey: 'Env', UsePreviousValue: true }, { ParameterKey: 'BootstrapVersion', UsePreviousValue: true }];
    await cfn.send(new UpdateStackCommand({ StackName: 'prev', TemplateBody: template('two'), Parameters: previous }));
    await waitUntilStackUpdateComplete({ client: cfn, ...wait }, { StackName: 'prev' });
    expect(await out()).toBe('dev-21-two');
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'prev' }))).Stacks![0]!;
    expect(stack.Parameters).toEqual([
      { ParameterKey: 'Env', ParameterValue: 'dev' },
      { ParameterKey: 'BootstrapVersion', ParameterValue: '/prev/version', ResolvedValue: '21' },
    ]);
  });

  it('a change set as the CDK makes it (the SSM parameter read again)', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/prev/version', Type: 'String', Value: '22', Overwrite: true }));
    const created = await cfn.send(new CreateChangeSetCommand({ StackName: 'prev', ChangeSetName: 'cdk-deploy-change-set', TemplateBody: template('three'), Parameters: [{ ParameterKey: 'BootstrapVersion', UsePreviousValue: true }] }));
    await waitUntilChangeSetCreateComplete({ client: cfn, ...wait }, { ChangeSetName: created.Id! });
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: created.Id! }));
    await waitUntilStackUpdateComplete({ client: cfn, ...wait }, { StackName: 'prev' });
    expect(await out()).toBe('dev-22-three');
  });

  it('a key the previous template did not declare is refused', async () => {
    const refused = cfn.send(new UpdateStackCommand({ StackName: 'prev', TemplateBody: template('four'), Parameters: [{ ParameterKey: 'Other', UsePreviousValue: true }] }));
    await expectSdkError(refused, 'ValidationError', 'Invalid input for parameter key Other. Cannot specify usePreviousValue as true for a parameter key not in the previous template');
  });
});
