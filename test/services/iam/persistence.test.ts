/**
 * IAM's state across a restart: two runtime processes, one after the other, with
 * PERSISTENCE=1 and the same LOCALSTACK_VOLUME_DIR. What the first one creates (users with
 * groups and keys, roles with inline and attached policies, managed policies with versions,
 * an instance profile, account settings, a login profile, an OIDC provider, an MFA device, a
 * name such as `__proto__` among them) the second reads back the same,
 * and an access key still acts as its user.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddRoleToInstanceProfileCommand,
  CreateAccountAliasCommand,
  CreateOpenIDConnectProviderCommand,
  CreateVirtualMFADeviceCommand,
  CreateLoginProfileCommand,
  GetAccountPasswordPolicyCommand,
  GetLoginProfileCommand,
  GetOpenIDConnectProviderCommand,
  ListAccountAliasesCommand,
  ListVirtualMFADevicesCommand,
  UpdateAccountPasswordPolicyCommand,
  AddUserToGroupCommand,
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetAccountAuthorizationDetailsCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListGroupsForUserCommand,
  ListPolicyVersionsCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime } from '../../support/runtime.js';

const volume = mkdtempSync(join(tmpdir(), 'ls-iam-persistence-'));
afterAll(() => rmSync(volume, { recursive: true, force: true }));

const env = { PERSISTENCE: '1', SERVICES: 'iam,sts', EAGER_SERVICE_LOADING: '1' };
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const doc = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const POLICY = 'arn:aws:iam::000000000000:policy/p';

function without$metadata<T extends { $metadata: unknown }>(answer: T): Omit<T, '$metadata'> {
  const { $metadata: _, ...rest } = answer;
  return rest;
}

/** Everything the test reads back, the same way in both runtimes. */
async function snapshot(iam: IAMClient) {
  return {
    user: (await iam.send(new GetUserCommand({ UserName: 'alice' }))).User,
    proto: (await iam.send(new GetUserCommand({ UserName: '__proto__' }))).User,
    groups: (await iam.send(new ListGroupsForUserCommand({ UserName: 'alice' }))).Groups,
    keys: (await iam.send(new ListAccessKeysCommand({ UserName: 'alice' }))).AccessKeyMetadata,
    policy: (await iam.send(new GetPolicyCommand({ PolicyArn: POLICY }))).Policy,
    versions: (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: POLICY }))).Versions,
    inline: (await iam.send(new GetRolePolicyCommand({ RoleName: 'r', PolicyName: '__proto__' }))).PolicyDocument,
    profile: (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'ip' }))).InstanceProfile,
    alias: (await iam.send(new ListAccountAliasesCommand({}))).AccountAliases,
    passwordPolicy: (await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy,
    login: (await iam.send(new GetLoginProfileCommand({ UserName: 'alice' }))).LoginProfile,
    oidc: without$metadata(await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: 'arn:aws:iam::000000000000:oidc-provider/idp.example.com' }))),
    mfa: (await iam.send(new ListVirtualMFADevicesCommand({}))).VirtualMFADevices,
    details: without$metadata(await iam.send(new GetAccountAuthorizationDetailsCommand({}))),
  };
}

describe('IAM with PERSISTENCE=1', () => {
  it('reads back users, groups, keys, roles, policies and instance profiles after a restart; keys still act as their user', async () => {
    const first = await startRuntime({ env, volume });
    let before: Awaited<ReturnType<typeof snapshot>>;
    let key: { id: string; secret: string };
    try {
      const iam = new IAMClient({ ...clientConfig(first.endpoint), maxAttempts: 1 });
      await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/p/', Tags: [{ Key: 'k', Value: 'v' }] }));
      await iam.send(new CreateUserCommand({ UserName: '__proto__' }));
      await iam.send(new PutUserPolicyCommand({ UserName: '__proto__', PolicyName: 'constructor', PolicyDocument: doc('s3:*') }));
      await iam.send(new CreateGroupCommand({ GroupName: 'g' }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'g', UserName: 'alice' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
      key = { id: AccessKey!.AccessKeyId!, secret: AccessKey!.SecretAccessKey! };
      await iam.send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: doc('sqs:*') }));
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: POLICY, PolicyDocument: doc('sns:*'), SetAsDefault: true }));
      await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: TRUST }));
      await iam.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: '__proto__', PolicyDocument: doc('logs:*') }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: POLICY }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }));
      await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'ip' }));
      await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'ip', RoleName: 'r' }));
      await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'kept' }));
      await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 10 }));
      await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'a-password-1' }));
      await iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://idp.example.com', ClientIDList: ['app'], ThumbprintList: ['c'.repeat(40)], Tags: [{ Key: 't', Value: 'v' }] }));
      await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'phone' }));
      before = await snapshot(iam);
      expect(before.policy!.AttachmentCount).toBe(1);
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const second = await startRuntime({ env, volume });
    try {
      const iam = new IAMClient({ ...clientConfig(second.endpoint), maxAttempts: 1 });
      const after = await snapshot(iam);
      expect(after).toEqual(before);
      const sts = new STSClient({ endpoint: second.endpoint, region: 'us-east-1', credentials: { accessKeyId: key.id, secretAccessKey: key.secret }, maxAttempts: 1 });
      expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:iam::000000000000:user/p/alice');
      expect(second.stderr()).not.toMatch(/ (WARN|ERROR) +--- \[state\] /);
    } finally {
      await second.stop();
    }
  });
});
