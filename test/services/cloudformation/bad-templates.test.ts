/**
 * Bad input to a runtime process with the real template language, through
 * @aws-sdk/client-cloudformation: malformed YAML and JSON, an unknown intrinsic function, a Ref
 * to nothing, a resource dependency cycle, a malformed IAM policy in a role. The template
 * errors are ValidationErrors with AWS's messages, answered before anything exists (no stack,
 * no resource); the policy is refused by IAM while the stack deploys, which rolls it back with
 * IAM's message in its events and leaves nothing behind. The runtime keeps serving throughout.
 */
import { CloudFormationClient, CreateStackCommand, DescribeStackEventsCommand, DescribeStacksCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';
import { settled } from './resource-types/stack.js';

let rt: RuntimeProcess;
let cfn: CloudFormationClient;
beforeAll(async () => {
  rt = await startRuntime();
  cfn = new CloudFormationClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

const PARAM = "  P:\n    Type: AWS::SSM::Parameter\n    Properties: { Name: /bad/p, Type: String, Value: v }\n";

async function refused(name: string, body: string): Promise<{ name?: string; status?: number; message?: string }> {
  const e = await sdkError(cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: body })));
  // nothing was made: no stack, and no parameter of its template
  expect((await sdkError(cfn.send(new DescribeStacksCommand({ StackName: name })))).message).toBe(`Stack with id ${name} does not exist`);
  expect((await sdkError(new SSMClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 }).send(new GetParameterCommand({ Name: '/bad/p' })))).name).toBe('ParameterNotFound');
  return e;
}

describe('malformed templates are refused before anything exists', () => {
  it('YAML and JSON that do not parse', async () => {
    expect(await refused('bad-yaml', `Resources:\n${PARAM}  Q: [unclosed\n`)).toMatchObject({ name: 'ValidationError', status: 400, message: expect.stringMatching(/^Template format error: YAML not well-formed\. \(line \d+, column \d+\)$/) });
    expect(await refused('bad-json', '{"Resources": {"P": ')).toMatchObject({ name: 'ValidationError', message: expect.stringMatching(/^Template format error: JSON not well-formed\./) });
  });

  it('an unknown intrinsic function, a Ref to nothing, a dependency cycle', async () => {
    const unknown = await refused('bad-fn', `Resources:\n${PARAM.replace('Value: v', 'Value: { "Fn::Nope": [a] }')}`);
    expect(unknown).toMatchObject({ name: 'ValidationError', message: expect.stringMatching(/^Template Error: Encountered unsupported function: Fn::Nope Supported functions are: \[Fn::Base64, .*\]$/) });
    expect(await refused('bad-ref', `Resources:\n${PARAM.replace('Value: v', 'Value: !Ref Nowhere')}`)).toMatchObject({
      name: 'ValidationError', message: 'Template format error: Unresolved resource dependencies [Nowhere] in the Resources block of the template',
    });
    const cycle = `Resources:
  A:
    Type: AWS::SSM::Parameter
    Properties: { Type: String, Value: !GetAtt B.Value }
  B:
    Type: AWS::SSM::Parameter
    Properties: { Type: String, Value: !GetAtt A.Value }
${PARAM}`;
    expect(await refused('bad-cycle', cycle)).toMatchObject({ name: 'ValidationError', message: 'Circular dependency between resources: [A, B]' });
  });
});

describe('a malformed policy document in a stack', () => {
  it("rolls the stack back with IAM's MalformedPolicyDocument message and leaves no role", async () => {
    const body = `Resources:
${PARAM}  Role:
    Type: AWS::IAM::Role
    DependsOn: P
    Properties:
      RoleName: bad-policy-role
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
      Policies:
        - PolicyName: inline
          PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: Maybe, Action: s3:GetObject, Resource: '*' }] }
`;
    await cfn.send(new CreateStackCommand({ StackName: 'bad-policy', TemplateBody: body, Capabilities: ['CAPABILITY_NAMED_IAM'] }));
    expect((await settled(cfn, 'bad-policy')).StackStatus).toBe('ROLLBACK_COMPLETE');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'bad-policy' }))).StackEvents ?? [];
    const failed = events.find((e) => e.LogicalResourceId === 'Role' && e.ResourceStatus === 'CREATE_FAILED');
    // IAM's MalformedPolicyDocument message, in the words CloudFormation's resource handlers use
    expect(failed?.ResourceStatusReason).toMatch(/^Resource handler returned message: "Syntax errors in policy\." \(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: InvalidRequest\)$/);
    const iam = new IAMClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
    expect((await iam.send(new ListRolesCommand({}))).Roles?.map((r) => r.RoleName)).not.toContain('bad-policy-role');
    expect((await sdkError(new SSMClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 }).send(new GetParameterCommand({ Name: '/bad/p' })))).name).toBe('ParameterNotFound');
    // and the runtime keeps serving
    expect((await cfn.send(new ListStacksCommand({}))).StackSummaries?.map((s) => s.StackName)).toEqual(['bad-policy']);
  });
});
