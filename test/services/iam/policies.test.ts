/**
 * Managed policies (the account's, with versions, and AWS's real ones), inline policies of
 * users, groups and roles, attachments with their counts, ListEntitiesForPolicy, through
 * @aws-sdk/client-iam, with AWS's errors for each rule.
 */
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetContextKeysForCustomPolicyCommand,
  GetContextKeysForPrincipalPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListGroupPoliciesCommand,
  ListPoliciesCommand,
  ListPoliciesGrantingServiceAccessCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  SetDefaultPolicyVersionCommand,
} from '@aws-sdk/client-iam';
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

const doc = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const ARN = 'arn:aws:iam::000000000000:policy/app/reader';

describe('customer managed policies and versions', () => {
  it('creates a policy (ANPA id, v1 default, counts at zero) and reads it back', async () => {
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'reader', Path: '/app/', PolicyDocument: doc('s3:GetObject'), Description: 'reads' }));
    expect(Policy).toMatchObject({ PolicyName: 'reader', Arn: ARN, Path: '/app/', DefaultVersionId: 'v1', AttachmentCount: 0, PermissionsBoundaryUsageCount: 0, IsAttachable: true, Description: 'reads' });
    expect(Policy!.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: ARN }))).Policy).toMatchObject({ PolicyName: 'reader', PolicyId: Policy!.PolicyId });
    const v1 = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: ARN, VersionId: 'v1' }))).PolicyVersion!;
    expect(v1).toMatchObject({ VersionId: 'v1', IsDefaultVersion: true });
    expect(decodeURIComponent(v1.Document!)).toBe(doc('s3:GetObject'));
  });

  it('a duplicate name, a malformed document: AWS errors, nothing created', async () => {
    expect(await sdkError(iam.send(new CreatePolicyCommand({ PolicyName: 'READER', PolicyDocument: doc('s3:*') })))).toMatchObject({ name: 'EntityAlreadyExistsException', status: 409, message: 'A policy called READER already exists. Duplicate names are not allowed.' });
    const bad = await sdkError(iam.send(new CreatePolicyCommand({ PolicyName: 'bad', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*' }] }) })));
    expect(bad).toMatchObject({ name: 'MalformedPolicyDocumentException', status: 400 });
    expect((await sdkError(iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::000000000000:policy/bad' })))).message).toBe('Policy arn:aws:iam::000000000000:policy/bad was not found.');
  });

  it('at most 5 versions; the default is set, not deleted; versions are never renumbered', async () => {
    for (const a of ['s3:ListBucket', 's3:PutObject', 's3:DeleteObject', 's3:GetBucketPolicy']) {
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: ARN, PolicyDocument: doc(a), SetAsDefault: a === 's3:PutObject' }));
    }
    const full = await sdkError(iam.send(new CreatePolicyVersionCommand({ PolicyArn: ARN, PolicyDocument: doc('s3:*') })));
    expect(full).toMatchObject({ name: 'LimitExceededException', status: 409, message: 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.' });
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: ARN }))).Policy!.DefaultVersionId).toBe('v3');
    expect(await sdkError(iam.send(new DeletePolicyVersionCommand({ PolicyArn: ARN, VersionId: 'v3' })))).toMatchObject({ name: 'DeleteConflictException', message: 'Cannot delete the default version of a policy.' });
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: ARN, VersionId: 'v2' }));
    const { PolicyVersion } = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: ARN, PolicyDocument: doc('s3:*') }));
    expect(PolicyVersion).toMatchObject({ VersionId: 'v6', IsDefaultVersion: false });
    const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: ARN }))).Versions!;
    expect(versions.map((v) => v.VersionId)).toEqual(['v6', 'v5', 'v4', 'v3', 'v1']);
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: ARN, VersionId: 'v1' }));
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: ARN }))).Policy!.DefaultVersionId).toBe('v1');
    expect((await sdkError(iam.send(new GetPolicyVersionCommand({ PolicyArn: ARN, VersionId: 'v2' })))).message).toBe(`Policy ${ARN} version v2 does not exist or is not attachable.`);
    expect(await sdkError(iam.send(new DeletePolicyCommand({ PolicyArn: ARN })))).toMatchObject({ name: 'DeleteConflictException', status: 409 });
  });
});

describe('AWS managed policies', () => {
  it('serves the real ARNs and documents (AWSLambdaBasicExecutionRole, AdministratorAccess)', async () => {
    const arn = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    expect(Policy).toMatchObject({ PolicyName: 'AWSLambdaBasicExecutionRole', Path: '/service-role/', Arn: arn, IsAttachable: true });
    const version = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: Policy!.DefaultVersionId! }))).PolicyVersion!;
    const document = JSON.parse(decodeURIComponent(version.Document!)) as { Statement: { Action: string[] }[] };
    expect(document.Statement[0]!.Action).toEqual(expect.arrayContaining(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents']));
    const admin = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', VersionId: 'v1' }))).PolicyVersion!;
    expect(JSON.parse(decodeURIComponent(admin.Document!))).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  });

  it('ListPolicies: Scope AWS / Local / All, OnlyAttached, pages', async () => {
    const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', MaxItems: 1000 }));
    const names = aws.Policies!.map((p) => p.PolicyName);
    for (const n of ['AdministratorAccess', 'ReadOnlyAccess', 'AmazonS3FullAccess', 'AWSLambdaBasicExecutionRole', 'CloudWatchFullAccess']) expect(names).toContain(n);
    expect(aws.Policies!.every((p) => p.Arn!.startsWith('arn:aws:iam::aws:policy/'))).toBe(true);
    const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
    expect(local.Policies!.map((p) => p.PolicyName)).toEqual(['reader']);
    // page by page, 10 at a time, the same list as one answer
    const all = (await iam.send(new ListPoliciesCommand({ Scope: 'All', MaxItems: 1000 }))).Policies!.map((p) => p.Arn);
    const paged: (string | undefined)[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(new ListPoliciesCommand({ Scope: 'All', MaxItems: 10, Marker: marker }));
      expect(page.Policies!.length).toBeLessThanOrEqual(10);
      paged.push(...page.Policies!.map((p) => p.Arn));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    expect(paged).toEqual(all);
    expect(all).toHaveLength(names.length + 1);
  });
});

describe('attachments', () => {
  it('attach AWS and local policies to a role, a user, a group: counts per account, ListEntitiesForPolicy, ListAttached*', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new CreateUserCommand({ UserName: 'u' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'g' }));
    const basic = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: basic }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: ARN }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'u', PolicyArn: ARN }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'g', PolicyArn: ARN }));
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: ARN }))).Policy!.AttachmentCount).toBe(3);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: basic }))).Policy!.AttachmentCount).toBe(1);
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'r' }));
    expect(attached.AttachedPolicies).toEqual([
      { PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: basic },
      { PolicyName: 'reader', PolicyArn: ARN },
    ]);
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'r', PathPrefix: '/app/' }))).AttachedPolicies).toEqual([{ PolicyName: 'reader', PolicyArn: ARN }]);
    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: ARN }));
    expect(entities.PolicyRoles!.map((r) => r.RoleName)).toEqual(['r']);
    expect(entities.PolicyUsers!.map((r) => r.UserName)).toEqual(['u']);
    expect(entities.PolicyGroups!.map((r) => r.GroupName)).toEqual(['g']);
    expect((await iam.send(new ListPoliciesCommand({ Scope: 'AWS', OnlyAttached: true }))).Policies!.map((p) => p.PolicyName)).toEqual(['AWSLambdaBasicExecutionRole']);
    expect(await sdkError(iam.send(new DeleteRoleCommand({ RoleName: 'r' })))).toMatchObject({ name: 'DeleteConflictException', message: 'Cannot delete entity, must detach all policies first.' });
    expect(await sdkError(iam.send(new DeletePolicyCommand({ PolicyArn: ARN })))).toMatchObject({ name: 'DeleteConflictException' });
  });

  it('attaching nothing, detaching what is not attached: NoSuchEntity with AWS words', async () => {
    const missing = 'arn:aws:iam::000000000000:policy/none';
    expect((await sdkError(iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: missing })))).message).toBe(`Policy ${missing} does not exist or is not attachable.`);
    const e = await sdkError(iam.send(new DetachRolePolicyCommand({ RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })));
    expect(e).toMatchObject({ name: 'NoSuchEntityException', status: 404, message: 'Policy arn:aws:iam::aws:policy/ReadOnlyAccess was not found.' });
    const invalid = await sdkError(iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: 'not-an-arn' })));
    expect(invalid).toMatchObject({ name: 'ValidationError', status: 400 });
  });
});

describe('inline policies', () => {
  it('put, get (URL-encoded), list, delete for roles, users and groups', async () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: 'arn:aws:sqs:*:*:q (1)' }] });
    await iam.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'send', PolicyDocument: text }));
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'r', PolicyName: 'send' }));
    expect(got).toMatchObject({ RoleName: 'r', PolicyName: 'send' });
    // RFC 3986: parentheses escaped too
    expect(got.PolicyDocument).toContain('%281%29');
    expect(decodeURIComponent(got.PolicyDocument!)).toBe(text);
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'r' }))).PolicyNames).toEqual(['send']);
    await iam.send(new PutUserPolicyCommand({ UserName: 'u', PolicyName: 'p', PolicyDocument: doc('sns:Publish') }));
    expect(decodeURIComponent((await iam.send(new GetUserPolicyCommand({ UserName: 'u', PolicyName: 'p' }))).PolicyDocument!)).toBe(doc('sns:Publish'));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'g', PolicyName: 'gp', PolicyDocument: doc('s3:*') }));
    expect((await iam.send(new ListGroupPoliciesCommand({ GroupName: 'g' }))).PolicyNames).toEqual(['gp']);
    expect(await sdkError(iam.send(new DeleteRoleCommand({ RoleName: 'r' })))).toMatchObject({ name: 'DeleteConflictException', message: 'Cannot delete entity, must delete policies first.' });
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'r', PolicyName: 'send' }));
    expect(await sdkError(iam.send(new GetRolePolicyCommand({ RoleName: 'r', PolicyName: 'send' })))).toMatchObject({ name: 'NoSuchEntityException', message: 'The role policy with name send cannot be found.' });
    const malformed = await sdkError(iam.send(new PutUserPolicyCommand({ UserName: 'u', PolicyName: 'm', PolicyDocument: '{"Version":"2012-10-17"}' })));
    expect(malformed).toMatchObject({ name: 'MalformedPolicyDocumentException', status: 400 });
  });
});

describe('GetContextKeysFor*Policy', () => {
  it('names the condition keys of the given documents, or of a principal and its groups, each once', async () => {
    const conditioned = (key: string, operator = 'StringEquals') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { [operator]: { [key]: 'x' } } }] });
    const custom = await iam.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [conditioned('aws:RequestedRegion'), conditioned('s3:prefix', 'StringLike'), conditioned('AWS:requestedregion')] }));
    expect(custom.ContextKeyNames).toEqual(['aws:RequestedRegion', 's3:prefix']);
    await iam.send(new CreateUserCommand({ UserName: 'keys' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'keys-group' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'keys-group', UserName: 'keys' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'keys', PolicyName: 'p', PolicyDocument: conditioned('aws:SourceIp', 'IpAddress') }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'keys-group', PolicyName: 'p', PolicyDocument: conditioned('aws:PrincipalTag/team') }));
    const principal = await iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: 'arn:aws:iam::000000000000:user/keys', PolicyInputList: [conditioned('sqs:QueueName')] }));
    expect(principal.ContextKeyNames).toEqual(['aws:SourceIp', 'aws:PrincipalTag/team', 'sqs:QueueName']);
    expect((await sdkError(iam.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: ['{'] })))).name).toBe('MalformedPolicyDocumentException');
  });
});

describe('ListPoliciesGrantingServiceAccess', () => {
  it("names the user's and its groups' policies that allow some action of each service", async () => {
    await iam.send(new CreateUserCommand({ UserName: 'access' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'access-group' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'access-group', UserName: 'access' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'access', PolicyName: 'sqs-send', PolicyDocument: doc('sqs:SendMessage') }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'access-group', PolicyName: 'not-iam', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] }) }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'access', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
    const { PoliciesGrantingServiceAccess } = await iam.send(new ListPoliciesGrantingServiceAccessCommand({ Arn: 'arn:aws:iam::000000000000:user/access', ServiceNamespaces: ['sqs', 's3', 'iam'] }));
    expect(PoliciesGrantingServiceAccess).toEqual([
      {
        ServiceNamespace: 'sqs',
        Policies: [
          { PolicyName: 'sqs-send', PolicyType: 'INLINE', EntityType: 'USER', EntityName: 'access' },
          { PolicyName: 'not-iam', PolicyType: 'INLINE', EntityType: 'GROUP', EntityName: 'access-group' },
        ],
      },
      {
        ServiceNamespace: 's3',
        Policies: [
          { PolicyName: 'AmazonS3ReadOnlyAccess', PolicyType: 'MANAGED', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' },
          { PolicyName: 'not-iam', PolicyType: 'INLINE', EntityType: 'GROUP', EntityName: 'access-group' },
        ],
      },
      { ServiceNamespace: 'iam', Policies: [] },
    ]);
  });
});
