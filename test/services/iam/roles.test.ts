/**
 * IAM roles through @aws-sdk/client-iam: trust policies (validated with the trust grammar,
 * answered URL-encoded), session duration, description, permissions boundaries, RoleLastUsed,
 * instance profiles (one role each), service-linked roles and their deletion tasks.
 */
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteServiceLinkedRoleCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  GetServiceLinkedRoleDeletionStatusCommand,
  IAMClient,
  ListInstanceProfilesForRoleCommand,
  ListRolesCommand,
  PutRolePermissionsBoundaryCommand,
  RemoveRoleFromInstanceProfileCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateRoleDescriptionCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
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

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

describe('IAM roles', () => {
  it('creates a role (AROA id, ARN with path); GetRole answers the trust policy URL-encoded and an empty RoleLastUsed', async () => {
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'fn', Path: '/service/', AssumeRolePolicyDocument: TRUST, Description: 'for a function', MaxSessionDuration: 7200 }));
    expect(Role).toMatchObject({ RoleName: 'fn', Path: '/service/', Arn: 'arn:aws:iam::000000000000:role/service/fn', Description: 'for a function', MaxSessionDuration: 7200 });
    expect(Role!.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    const got = (await iam.send(new GetRoleCommand({ RoleName: 'fn' }))).Role!;
    expect(got.AssumeRolePolicyDocument).toBe(encodeURIComponent(TRUST));
    expect(JSON.parse(decodeURIComponent(got.AssumeRolePolicyDocument!))).toEqual(JSON.parse(TRUST));
    expect(got.RoleLastUsed).toEqual({});
    expect(got.MaxSessionDuration).toBe(7200);
  });

  it('a trust policy without a Principal is MalformedPolicyDocument; so is an identity policy given as one', async () => {
    const noPrincipal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] });
    const e = await sdkError(iam.send(new CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: noPrincipal })));
    expect(e).toMatchObject({ name: 'MalformedPolicyDocumentException', status: 400 });
    expect(e.message).toMatch(/principal/i);
    const notJson = await sdkError(iam.send(new CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: '{not json' })));
    expect(notJson).toMatchObject({ name: 'MalformedPolicyDocumentException', status: 400 });
    expect((await sdkError(iam.send(new GetRoleCommand({ RoleName: 'bad' })))).message).toBe('The role with name bad cannot be found.');
  });

  it('updates description, session duration and the trust policy', async () => {
    await iam.send(new UpdateRoleCommand({ RoleName: 'fn', Description: 'changed', MaxSessionDuration: 3600 }));
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }] });
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'fn', PolicyDocument: trust }));
    const role = (await iam.send(new GetRoleCommand({ RoleName: 'fn' }))).Role!;
    expect(role).toMatchObject({ Description: 'changed', MaxSessionDuration: 3600 });
    expect(decodeURIComponent(role.AssumeRolePolicyDocument!)).toBe(trust);
    const range = await sdkError(iam.send(new UpdateRoleCommand({ RoleName: 'fn', MaxSessionDuration: 100 })));
    expect(range).toMatchObject({ name: 'ValidationError', status: 400 });
  });

  it('permissions boundaries: put (an existing managed policy only), shown by GetRole, deleted', async () => {
    const arn = 'arn:aws:iam::aws:policy/PowerUserAccess';
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'fn', PermissionsBoundary: arn }));
    expect((await iam.send(new GetRoleCommand({ RoleName: 'fn' }))).Role!.PermissionsBoundary).toEqual({ PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn });
    const missing = 'arn:aws:iam::000000000000:policy/none';
    const e = await sdkError(iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'fn', PermissionsBoundary: missing })));
    expect(e).toMatchObject({ name: 'NoSuchEntityException', message: `Scope ARN: ${missing} does not exist or is not attachable.` });
    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'fn' }));
    expect((await iam.send(new GetRoleCommand({ RoleName: 'fn' }))).Role!.PermissionsBoundary).toBeUndefined();
  });

  it('ListRoles leaves out tags, boundary and RoleLastUsed, as AWS does', async () => {
    const roles = (await iam.send(new ListRolesCommand({ PathPrefix: '/service/' }))).Roles!;
    expect(roles.map((r) => r.RoleName)).toEqual(['fn']);
    expect(roles[0]!.RoleLastUsed).toBeUndefined();
  });
});

describe('instance profiles', () => {
  it('hold one role (AWS quota), are listed for the role, and keep the role from deletion', async () => {
    const { InstanceProfile } = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web', Path: '/ip/' }));
    expect(InstanceProfile).toMatchObject({ InstanceProfileName: 'web', Arn: 'arn:aws:iam::000000000000:instance-profile/ip/web', Roles: [] });
    expect(InstanceProfile!.InstanceProfileId).toMatch(/^AIPA[A-Z2-7]{17}$/);
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web', RoleName: 'fn' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'other', AssumeRolePolicyDocument: TRUST }));
    const e = await sdkError(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web', RoleName: 'other' })));
    expect(e).toMatchObject({ name: 'LimitExceededException', status: 409, message: 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1' });
    const got = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web' }))).InstanceProfile!;
    expect(got.Roles!.map((r) => r.RoleName)).toEqual(['fn']);
    expect((await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'fn' }))).InstanceProfiles!.map((p) => p.InstanceProfileName)).toEqual(['web']);
    expect(await sdkError(iam.send(new DeleteRoleCommand({ RoleName: 'fn' })))).toMatchObject({ name: 'DeleteConflictException', message: 'Cannot delete entity, must remove roles from instance profile first.' });
    expect(await sdkError(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'web' })))).toMatchObject({ name: 'DeleteConflictException', message: 'Cannot delete entity, must remove roles from instance profile first.' });
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'web', RoleName: 'fn' }));
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'web' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'fn' }));
    expect((await sdkError(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web' })))).message).toBe('Instance Profile web cannot be found.');
  });
});

describe('service-linked roles', () => {
  it('are created under /aws-service-role/<service>/ as AWSServiceRoleFor..., protected from DeleteRole, deleted by a task', async () => {
    const { Role } = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'autoscaling.amazonaws.com' }));
    expect(Role).toMatchObject({ RoleName: 'AWSServiceRoleForAutoScaling', Path: '/aws-service-role/autoscaling.amazonaws.com/', Arn: 'arn:aws:iam::000000000000:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling' });
    const trust = JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)) as { Statement: { Principal: unknown }[] };
    expect(trust.Statement[0]!.Principal).toEqual({ Service: ['autoscaling.amazonaws.com'] });
    const custom = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'lambda.amazonaws.com', CustomSuffix: 'mine' }));
    expect(custom.Role!.RoleName).toBe('AWSServiceRoleForLambda_mine');
    const taken = await sdkError(iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'lambda.amazonaws.com', CustomSuffix: 'mine' })));
    expect(taken).toMatchObject({ name: 'InvalidInputException', status: 400, message: 'Service role name AWSServiceRoleForLambda_mine has been taken in this account, please try a different suffix.' });
    // its description is the user's to edit (IAM user guide, "Editing a service-linked role"), its session length is not
    expect((await iam.send(new UpdateRoleDescriptionCommand({ RoleName: 'AWSServiceRoleForAutoScaling', Description: 'scaling' }))).Role!.Description).toBe('scaling');
    expect((await sdkError(iam.send(new UpdateRoleCommand({ RoleName: 'AWSServiceRoleForAutoScaling', MaxSessionDuration: 7200 })))).name).toBe('UnmodifiableEntityException');
    expect((await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'elasticbeanstalk.amazonaws.com' }))).Role!.RoleName).toBe('AWSServiceRoleForElasticBeanstalk');
    const e = await sdkError(iam.send(new DeleteRoleCommand({ RoleName: 'AWSServiceRoleForAutoScaling' })));
    expect(e).toMatchObject({ name: 'UnmodifiableEntityException', status: 400, message: "Cannot perform the operation on the protected role 'AWSServiceRoleForAutoScaling' - this role is only modifiable by AWS" });
    const { DeletionTaskId } = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: 'AWSServiceRoleForAutoScaling' }));
    expect(DeletionTaskId).toMatch(/^task\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling\/[0-9a-f-]{36}$/);
    expect((await iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId }))).Status).toBe('SUCCEEDED');
    expect((await sdkError(iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForAutoScaling' })))).name).toBe('NoSuchEntityException');
  });
});

describe('STS assumes the roles IAM knows as IAM knows them', () => {
  it("the session id is the role's RoleId; DurationSeconds is bounded by the role's MaxSessionDuration; unknown roles are still assumed", async () => {
    const sts = new STSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'assumable', Path: '/x/', AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 7200 }));
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: Role!.Arn, RoleSessionName: 'ss', DurationSeconds: 7200 }));
    expect(assumed.AssumedRoleUser).toEqual({ AssumedRoleId: `${Role!.RoleId}:ss`, Arn: 'arn:aws:sts::000000000000:assumed-role/assumable/ss' });
    const tooLong = await sdkError(sts.send(new AssumeRoleCommand({ RoleArn: Role!.Arn, RoleSessionName: 'ss', DurationSeconds: 7201 })));
    expect(tooLong).toMatchObject({ name: 'ValidationError', status: 400, message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.' });
    const unknown = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/not-in-iam', RoleSessionName: 'ss' }));
    expect(unknown.AssumedRoleUser!.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:ss$/);
  });
});
