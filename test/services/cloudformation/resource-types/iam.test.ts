/**
 * IAM's resource types through stacks (client-cloudformation, a real runtime process), read
 * back through client-iam: a role with a trust policy, inline and managed policies, boundary
 * and tags; an AWS::IAM::Policy on a role, a user and a group; a managed policy attached to
 * them and given a new version by an update; a user with a login profile and a group; an
 * instance profile; an access key whose secret GetAtt reads; a service-linked role; updates in
 * place; deletion of everything in dependency order.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  GetGroupCommand,
  GetInstanceProfileCommand,
  GetLoginProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  GetGroupPolicyCommand,
  IAMClient,
  ListRolesCommand,
  ListAccessKeysCommand,
  ListAttachedRolePoliciesCommand,
  ListPolicyVersionsCommand,
  ListAttachedUserPoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../../support/runtime.js';
import { sdkError } from '../../../support/sdk-error.js';
import { createStack, deleteStack, failingStack, updateStack } from './stack.js';

let rt: RuntimeProcess;
let cfn: CloudFormationClient;
let iam: IAMClient;

beforeAll(async () => {
  rt = await startRuntime();
  cfn = new CloudFormationClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
  iam = new IAMClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

const TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const doc = (action: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const LAMBDA_BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

function template(version: 'v1' | 'v2') {
  const v1 = version === 'v1';
  return {
    Resources: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: TRUST,
          Path: '/app/',
          Description: v1 ? 'first' : 'second',
          MaxSessionDuration: v1 ? 3600 : 7200,
          ManagedPolicyArns: v1 ? [LAMBDA_BASIC] : [],
          Policies: [{ PolicyName: 'inline', PolicyDocument: doc(v1 ? 's3:GetObject' : 's3:PutObject') }],
          Tags: [{ Key: 'v', Value: version }],
        },
      },
      Group: { Type: 'AWS::IAM::Group', Properties: { Policies: [{ PolicyName: 'g', PolicyDocument: doc('sqs:*') }] } },
      User: {
        Type: 'AWS::IAM::User',
        Properties: { UserName: 'cfn-user', Groups: [{ Ref: 'Group' }], LoginProfile: { Password: 'Pa55word!x', PasswordResetRequired: v1 }, ManagedPolicyArns: [{ Ref: 'Managed' }] },
      },
      Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: doc(v1 ? 'sns:Publish' : 'sns:*'), Roles: [{ Ref: 'Role' }] } },
      Policy: {
        Type: 'AWS::IAM::Policy',
        Properties: { PolicyName: 'shared', PolicyDocument: doc(v1 ? 'ssm:GetParameter' : 'ssm:*'), Roles: [{ Ref: 'Role' }], Users: [{ Ref: 'User' }], Groups: [{ Ref: 'Group' }] },
      },
      Profile: { Type: 'AWS::IAM::InstanceProfile', Properties: { Roles: [{ Ref: 'Role' }] } },
      Key: { Type: 'AWS::IAM::AccessKey', Properties: { UserName: { Ref: 'User' }, Status: v1 ? 'Active' : 'Inactive' } },
      Linked: { Type: 'AWS::IAM::ServiceLinkedRole', Properties: { AWSServiceName: 'autoscaling.amazonaws.com', Description: 'scaling' } },
    },
    Outputs: {
      RoleName: { Value: { Ref: 'Role' } },
      RoleArn: { Value: { 'Fn::GetAtt': ['Role', 'Arn'] } },
      RoleId: { Value: { 'Fn::GetAtt': ['Role', 'RoleId'] } },
      Group: { Value: { Ref: 'Group' } },
      GroupArn: { Value: { 'Fn::GetAtt': ['Group', 'Arn'] } },
      UserArn: { Value: { 'Fn::GetAtt': ['User', 'Arn'] } },
      Managed: { Value: { Ref: 'Managed' } },
      ManagedVersion: { Value: { 'Fn::GetAtt': ['Managed', 'DefaultVersionId'] } },
      Policy: { Value: { Ref: 'Policy' } },
      Profile: { Value: { Ref: 'Profile' } },
      ProfileArn: { Value: { 'Fn::GetAtt': ['Profile', 'Arn'] } },
      KeyId: { Value: { Ref: 'Key' } },
      Secret: { Value: { 'Fn::GetAtt': ['Key', 'SecretAccessKey'] } },
      Linked: { Value: { Ref: 'Linked' } },
    },
  };
}

describe('IAM resource types', () => {
  let out: Record<string, string>;

  it('creates roles, users, groups, policies, an instance profile, an access key and a service-linked role', async () => {
    out = await createStack(cfn, 'iam-stack', template('v1'));
    const role = out['RoleName']!;
    expect(role).toMatch(/^iam-stack-Role-[A-Z0-9]{12}$/);
    expect(out['RoleArn']).toBe(`arn:aws:iam::000000000000:role/app/${role}`);
    expect(out['RoleId']).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect(out['GroupArn']).toBe(`arn:aws:iam::000000000000:group/${out['Group']}`);
    expect(out['UserArn']).toBe('arn:aws:iam::000000000000:user/cfn-user');
    expect(out['Managed']).toMatch(/^arn:aws:iam::000000000000:policy\/iam-stack-Managed-/);
    expect(out['ManagedVersion']).toBe('v1');
    expect(out['Policy']).toMatch(/^iam-stack-Policy-/);
    expect(out['ProfileArn']).toBe(`arn:aws:iam::000000000000:instance-profile/${out['Profile']}`);
    expect(out['KeyId']).toMatch(/^AKIA[A-Z0-9]{16}$/);
    expect(out['Linked']).toBe('AWSServiceRoleForAutoScaling');

    const { Role } = await iam.send(new GetRoleCommand({ RoleName: role }));
    expect(Role).toMatchObject({ Path: '/app/', Description: 'first', MaxSessionDuration: 3600, RoleId: out['RoleId'] });
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual(TRUST);
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: role }))).PolicyNames).toEqual(['inline', 'shared']);
    expect(JSON.parse(decodeURIComponent((await iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: 'inline' }))).PolicyDocument!))).toEqual(doc('s3:GetObject'));
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role }))).AttachedPolicies!.map((p) => p.PolicyArn).sort()).toEqual([LAMBDA_BASIC, out['Managed']].sort());
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: role }))).Tags).toEqual([{ Key: 'v', Value: 'v1' }]);
    expect((await iam.send(new GetUserPolicyCommand({ UserName: 'cfn-user', PolicyName: 'shared' }))).PolicyName).toBe('shared');
    expect((await iam.send(new GetGroupPolicyCommand({ GroupName: out['Group'], PolicyName: 'shared' }))).PolicyName).toBe('shared');
    expect((await iam.send(new GetGroupCommand({ GroupName: out['Group'] }))).Users!.map((u) => u.UserName)).toEqual(['cfn-user']);
    expect((await iam.send(new GetLoginProfileCommand({ UserName: 'cfn-user' }))).LoginProfile!.PasswordResetRequired).toBe(true);
    expect((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'cfn-user' }))).AttachedPolicies!.map((p) => p.PolicyArn)).toEqual([out['Managed']]);
    expect((await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: out['Profile'] }))).InstanceProfile!.Roles!.map((r) => r.RoleName)).toEqual([role]);
    // the key the stack made acts as its user
    const sts = new STSClient({ ...clientConfig(rt.endpoint), credentials: { accessKeyId: out['KeyId']!, secretAccessKey: out['Secret']! } });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:iam::000000000000:user/cfn-user');
  });

  it('updates in place: trust-policy holders, descriptions, inline documents, managed versions, key status', async () => {
    const after = await updateStack(cfn, 'iam-stack', template('v2'));
    expect(after['RoleArn']).toBe(out['RoleArn']);
    expect(after['KeyId']).toBe(out['KeyId']);
    const role = out['RoleName']!;
    expect((await iam.send(new GetRoleCommand({ RoleName: role }))).Role).toMatchObject({ Description: 'second', MaxSessionDuration: 7200 });
    expect(JSON.parse(decodeURIComponent((await iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: 'inline' }))).PolicyDocument!))).toEqual(doc('s3:PutObject'));
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role }))).AttachedPolicies!.map((p) => p.PolicyArn)).toEqual([out['Managed']]);
    expect(after['ManagedVersion']).toBe('v2');
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: out['Managed'] }));
    expect(Policy!.DefaultVersionId).toBe('v2');
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: out['Managed'], VersionId: 'v2' }));
    expect(JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!))).toEqual(doc('sns:*'));
    expect((await iam.send(new ListAccessKeysCommand({ UserName: 'cfn-user' }))).AccessKeyMetadata).toEqual([expect.objectContaining({ AccessKeyId: out['KeyId'], Status: 'Inactive' })]);
    expect((await iam.send(new GetLoginProfileCommand({ UserName: 'cfn-user' }))).LoginProfile!.PasswordResetRequired).toBe(false);
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: role }))).Tags).toEqual([{ Key: 'v', Value: 'v2' }]);
  });

  it('deleting the stack removes every entity', async () => {
    await deleteStack(cfn, 'iam-stack');
    expect(await sdkError(iam.send(new GetRoleCommand({ RoleName: out['RoleName'] })))).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    expect(await sdkError(iam.send(new GetGroupCommand({ GroupName: out['Group'] })))).toMatchObject({ name: 'NoSuchEntityException' });
    expect(await sdkError(iam.send(new GetPolicyCommand({ PolicyArn: out['Managed'] })))).toMatchObject({ name: 'NoSuchEntityException' });
    expect(await sdkError(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: out['Profile'] })))).toMatchObject({ name: 'NoSuchEntityException' });
    expect(await sdkError(iam.send(new ListAccessKeysCommand({ UserName: 'cfn-user' })))).toMatchObject({ name: 'NoSuchEntityException' });
    expect(await sdkError(iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForAutoScaling' })))).toMatchObject({ name: 'NoSuchEntityException' });
  });

  it('a malformed inline policy fails the stack with IAM’s MalformedPolicyDocument reason and leaves no role behind', async () => {
    const bad = {
      Resources: {
        Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'cfn-bad-role', AssumeRolePolicyDocument: TRUST, Policies: [{ PolicyName: 'p', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] } }] } },
      },
    };
    const { stack, reasons } = await failingStack(cfn, 'iam-bad', bad);
    expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(reasons.join('\n')).toMatch(/^Role: Resource handler returned message: "Policy statement must contain actions\."/);
    const roles = (await iam.send(new ListRolesCommand({}))).Roles!.map((r) => r.RoleName);
    expect(roles).not.toContain('cfn-bad-role');
  });

  it('a managed policy updated past five versions drops its oldest one, as CloudFormation does', async () => {
    const managed = (action: string) => ({ Resources: { P: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: doc(action) } } }, Outputs: { Arn: { Value: { Ref: 'P' } } } });
    const { Arn } = await createStack(cfn, 'iam-versions', managed('s3:A1'));
    for (const n of [2, 3, 4, 5, 6]) await updateStack(cfn, 'iam-versions', managed(`s3:A${n}`));
    const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: Arn }))).Versions!;
    expect(versions.map((v) => v.VersionId).sort()).toEqual(['v2', 'v3', 'v4', 'v5', 'v6']);
    expect(versions.find((v) => v.IsDefaultVersion)?.VersionId).toBe('v6');
    await deleteStack(cfn, 'iam-versions');
    expect(await sdkError(iam.send(new GetPolicyCommand({ PolicyArn: Arn })))).toMatchObject({ name: 'NoSuchEntityException' });
  });
});
