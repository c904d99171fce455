/**
 * Access keys through @aws-sdk/client-iam, and a key acting as its user: STS
 * GetCallerIdentity signed with a key IAM created answers the user's ARN, id and account
 * (the account the key encodes: a key made in another account acts there).
 */
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  GetAccessKeyLastUsedCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetAccessKeyInfoCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let iam: IAMClient;

beforeAll(async () => {
  rt = await startRuntime();
  iam = new IAMClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

function sts(accessKeyId: string, secretAccessKey = 'x', sessionToken?: string): STSClient {
  return new STSClient({ endpoint: rt.endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey, sessionToken }, maxAttempts: 1 });
}

describe('access keys', () => {
  it('creates AKIA keys (20 characters, a 40-character secret), at most two per user', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'dev', Path: '/people/' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'dev' }));
    expect(AccessKey).toMatchObject({ UserName: 'dev', Status: 'Active' });
    expect(AccessKey!.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(AccessKey!.SecretAccessKey).toHaveLength(40);
    await iam.send(new CreateAccessKeyCommand({ UserName: 'dev' }));
    const e = await sdkError(iam.send(new CreateAccessKeyCommand({ UserName: 'dev' })));
    expect(e).toMatchObject({ name: 'LimitExceededException', status: 409, message: 'Cannot exceed quota for AccessKeysPerUser: 2' });
    const listed = (await iam.send(new ListAccessKeysCommand({ UserName: 'dev' }))).AccessKeyMetadata!;
    expect(listed).toHaveLength(2);
    expect(listed.every((k) => k.UserName === 'dev' && k.Status === 'Active')).toBe(true);
  });

  it('updates status, reports last use, deletes; a user with keys is not deleted', async () => {
    const [first] = (await iam.send(new ListAccessKeysCommand({ UserName: 'dev' }))).AccessKeyMetadata!;
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'dev', AccessKeyId: first!.AccessKeyId, Status: 'Inactive' }));
    const statuses = (await iam.send(new ListAccessKeysCommand({ UserName: 'dev' }))).AccessKeyMetadata!.map((k) => [k.AccessKeyId, k.Status]);
    expect(statuses).toContainEqual([first!.AccessKeyId, 'Inactive']);
    const used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: first!.AccessKeyId }));
    expect(used).toMatchObject({ UserName: 'dev', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
    expect(await sdkError(iam.send(new DeleteUserCommand({ UserName: 'dev' })))).toMatchObject({ name: 'DeleteConflictException', message: 'Cannot delete entity, must delete access keys first.' });
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'dev', AccessKeyId: first!.AccessKeyId }));
    const again = await sdkError(iam.send(new DeleteAccessKeyCommand({ UserName: 'dev', AccessKeyId: first!.AccessKeyId })));
    expect(again).toMatchObject({ name: 'NoSuchEntityException', status: 404, message: `The Access Key with id ${first!.AccessKeyId} cannot be found.` });
    const unknown = await sdkError(iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: first!.AccessKeyId })));
    expect(unknown).toMatchObject({ name: 'AccessDenied', status: 403, message: `User: arn:aws:iam::000000000000:root is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key ${first!.AccessKeyId}` });
  });

  it("a key acts as its user: GetCallerIdentity, GetUser and ListAccessKeys without a name answer the key's user", async () => {
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'dev' }));
    const user = (await iam.send(new GetUserCommand({ UserName: 'dev' }))).User!;
    const identity = await sts(AccessKey!.AccessKeyId!, AccessKey!.SecretAccessKey).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Arn: 'arn:aws:iam::000000000000:user/people/dev', UserId: user.UserId, Account: '000000000000' });
    const asUser = new IAMClient({ ...clientConfig(rt.endpoint, AccessKey!.AccessKeyId!), maxAttempts: 1 });
    expect((await asUser.send(new GetUserCommand({}))).User!.UserName).toBe('dev');
    expect((await asUser.send(new ListAccessKeysCommand({}))).AccessKeyMetadata!.map((k) => k.AccessKeyId)).toContain(AccessKey!.AccessKeyId);
    // a session of the user is the user too
    const { Credentials } = await sts(AccessKey!.AccessKeyId!).send(new GetSessionTokenCommand({}));
    const session = await sts(Credentials!.AccessKeyId!, Credentials!.SecretAccessKey!, Credentials!.SessionToken).send(new GetCallerIdentityCommand({}));
    expect(session.Arn).toBe('arn:aws:iam::000000000000:user/people/dev');
    // an inactive key, then a deleted one, is refused as AWS refuses an unknown one
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'dev', AccessKeyId: AccessKey!.AccessKeyId, Status: 'Inactive' }));
    expect(await sdkError(sts(AccessKey!.AccessKeyId!).send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'dev', AccessKeyId: AccessKey!.AccessKeyId }));
    const gone = await sdkError(sts(AccessKey!.AccessKeyId!).send(new GetCallerIdentityCommand({})));
    expect(gone).toMatchObject({ name: 'InvalidClientTokenId', status: 403, message: 'The security token included in the request is invalid.' });
  });

  it('a key made in another account encodes it: requests signed with it act there', async () => {
    const other = new IAMClient({ ...clientConfig(rt.endpoint, '111111111111'), maxAttempts: 1 });
    await other.send(new CreateUserCommand({ UserName: 'elsewhere' }));
    const { AccessKey } = await other.send(new CreateAccessKeyCommand({ UserName: 'elsewhere' }));
    expect((await sts(AccessKey!.AccessKeyId!).send(new GetAccessKeyInfoCommand({ AccessKeyId: AccessKey!.AccessKeyId }))).Account).toBe('111111111111');
    const identity = await sts(AccessKey!.AccessKeyId!).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Arn: 'arn:aws:iam::111111111111:user/elsewhere', Account: '111111111111' });
    // IAM is global per account: the user is not in the default account
    expect((await sdkError(iam.send(new GetUserCommand({ UserName: 'elsewhere' })))).name).toBe('NoSuchEntityException');
    // and the same in every region of its account
    const west = new IAMClient({ ...clientConfig(rt.endpoint, '111111111111'), region: 'eu-west-1', maxAttempts: 1 });
    expect((await west.send(new GetUserCommand({ UserName: 'elsewhere' }))).User!.Arn).toBe('arn:aws:iam::111111111111:user/elsewhere');
  });

  it('keys that IAM did not make stay the root user of their account, without asking IAM', async () => {
    expect(await sts('test').send(new GetCallerIdentityCommand({}))).toMatchObject({ Arn: 'arn:aws:iam::000000000000:root', Account: '000000000000' });
    // an AWS-shaped AKIA key from elsewhere (the check fails): the default account's root
    expect(await sts('AKIAIOSFODNN7EXAMPLE').send(new GetCallerIdentityCommand({}))).toMatchObject({ Arn: 'arn:aws:iam::000000000000:root' });
  });
});

describe('listings about the caller, without a UserName', () => {
  it("the root user's are empty; a role session's are refused as AWS refuses them", async () => {
    expect((await iam.send(new ListAccessKeysCommand({}))).AccessKeyMetadata).toEqual([]);
    expect((await iam.send(new ListMFADevicesCommand({}))).MFADevices).toEqual([]);
    const { Credentials } = await sts('test').send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/any', RoleSessionName: 'session' }));
    const asRole = new IAMClient({ endpoint: rt.endpoint, region: 'us-east-1', credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken }, maxAttempts: 1 });
    const e = await sdkError(asRole.send(new ListAccessKeysCommand({})));
    expect(e).toMatchObject({ name: 'ValidationError', status: 400, message: 'Must specify userName when calling with non-User credentials' });
  });
});
