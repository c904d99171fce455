/**
 * IAM at the level of the wire: status, headers and the WHOLE document of each answer
 * (test/support/wire.ts), as AWS documents it: members in the model's order, timestamps at
 * whole seconds, policy documents URL-encoded, `member` lists, IsTruncated, the error
 * document with AWS's codes. SDKs are lenient; snapshot tests and Terraform providers are not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectAnswer, query } from '../../support/wire.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(async () => {
  await rt?.stop();
});

const V = '2010-05-08';
const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const META = '<ResponseMetadata><RequestId>{{uuid}}</RequestId></ResponseMetadata>';
const DATE = '{{/^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$/}}';
const iam = (action: string, params: Record<string, string> = {}, json = false) => query('iam', action, V, params, { json });
const XML = { 'content-type': /^text\/xml/, 'x-amzn-requestid': /^[0-9a-f-]{36}$/ };

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
/** RFC 3986 encoding, as AWS writes documents. */
const encoded = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function errorXml(code: string, message: string): string {
  return `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>{{uuid}}</RequestId></ErrorResponse>`;
}

describe('IAM on the wire', () => {
  it('CreateUser and GetUser: the whole User, tags as a member list', async () => {
    const user = `<User><Path>/a/</Path><UserName>w</UserName><UserId>{{/^AIDA[A-Z2-7]{17}$/}}</UserId><Arn>arn:aws:iam::000000000000:user/a/w</Arn><CreateDate>${DATE}</CreateDate><Tags><member><Key>k</Key><Value>v</Value></member></Tags></User>`;
    await expectAnswer(rt.endpoint, iam('CreateUser', { UserName: 'w', Path: '/a/', 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' }), {
      status: 200,
      headers: XML,
      xml: `<CreateUserResponse xmlns="${NS}"><CreateUserResult>${user}</CreateUserResult>${META}</CreateUserResponse>`,
    });
    await expectAnswer(rt.endpoint, iam('GetUser', { UserName: 'w' }), { status: 200, headers: XML, xml: `<GetUserResponse xmlns="${NS}"><GetUserResult>${user}</GetUserResult>${META}</GetUserResponse>` });
    await expectAnswer(rt.endpoint, iam('ListUsers'), {
      status: 200,
      headers: XML,
      xml: `<ListUsersResponse xmlns="${NS}"><ListUsersResult><Users><member><Path>/a/</Path><UserName>w</UserName><UserId>{{*}}</UserId><Arn>arn:aws:iam::000000000000:user/a/w</Arn><CreateDate>${DATE}</CreateDate></member></Users><IsTruncated>false</IsTruncated></ListUsersResult>${META}</ListUsersResponse>`,
    });
  });

  it('CreateRole and GetRole: the trust policy URL-encoded, MaxSessionDuration, an empty RoleLastUsed', async () => {
    const role = `<Path>/</Path><RoleName>r</RoleName><RoleId>{{/^AROA[A-Z2-7]{17}$/}}</RoleId><Arn>arn:aws:iam::000000000000:role/r</Arn><CreateDate>${DATE}</CreateDate><AssumeRolePolicyDocument>${encoded(TRUST)}</AssumeRolePolicyDocument><MaxSessionDuration>3600</MaxSessionDuration>`;
    await expectAnswer(rt.endpoint, iam('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: TRUST }), {
      status: 200,
      headers: XML,
      xml: `<CreateRoleResponse xmlns="${NS}"><CreateRoleResult><Role>${role}</Role></CreateRoleResult>${META}</CreateRoleResponse>`,
    });
    await expectAnswer(rt.endpoint, iam('GetRole', { RoleName: 'r' }), {
      status: 200,
      headers: XML,
      xml: `<GetRoleResponse xmlns="${NS}"><GetRoleResult><Role>${role}<RoleLastUsed/></Role></GetRoleResult>${META}</GetRoleResponse>`,
    });
  });

  it('CreatePolicy, AttachRolePolicy, ListAttachedRolePolicies, GetPolicyVersion of an AWS managed policy', async () => {
    await expectAnswer(rt.endpoint, iam('CreatePolicy', { PolicyName: 'p', Path: '/x/', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) }), {
      status: 200,
      headers: XML,
      xml: `<CreatePolicyResponse xmlns="${NS}"><CreatePolicyResult><Policy><PolicyName>p</PolicyName><PolicyId>{{/^ANPA[A-Z2-7]{17}$/}}</PolicyId><Arn>arn:aws:iam::000000000000:policy/x/p</Arn><Path>/x/</Path><DefaultVersionId>v1</DefaultVersionId><AttachmentCount>0</AttachmentCount><PermissionsBoundaryUsageCount>0</PermissionsBoundaryUsageCount><IsAttachable>true</IsAttachable><CreateDate>${DATE}</CreateDate><UpdateDate>${DATE}</UpdateDate></Policy></CreatePolicyResult>${META}</CreatePolicyResponse>`,
    });
    await expectAnswer(rt.endpoint, iam('AttachRolePolicy', { RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }), { status: 200, headers: XML, xml: `<AttachRolePolicyResponse xmlns="${NS}">${META}</AttachRolePolicyResponse>` });
    await expectAnswer(rt.endpoint, iam('ListAttachedRolePolicies', { RoleName: 'r' }), {
      status: 200,
      headers: XML,
      xml: `<ListAttachedRolePoliciesResponse xmlns="${NS}"><ListAttachedRolePoliciesResult><AttachedPolicies><member><PolicyName>AdministratorAccess</PolicyName><PolicyArn>arn:aws:iam::aws:policy/AdministratorAccess</PolicyArn></member></AttachedPolicies><IsTruncated>false</IsTruncated></ListAttachedRolePoliciesResult>${META}</ListAttachedRolePoliciesResponse>`,
    });
    const admin = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';
    await expectAnswer(rt.endpoint, iam('GetPolicyVersion', { PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', VersionId: 'v1' }), {
      status: 200,
      headers: XML,
      xml: `<GetPolicyVersionResponse xmlns="${NS}"><GetPolicyVersionResult><PolicyVersion><Document>${encoded(admin)}</Document><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion><CreateDate>2015-02-06T18:39:46Z</CreateDate></PolicyVersion></GetPolicyVersionResult>${META}</GetPolicyVersionResponse>`,
    });
  });

  it('PutRolePolicy and GetRolePolicy: the inline document URL-encoded', async () => {
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }] });
    await expectAnswer(rt.endpoint, iam('PutRolePolicy', { RoleName: 'r', PolicyName: 'i', PolicyDocument: doc }), { status: 200, headers: XML, xml: `<PutRolePolicyResponse xmlns="${NS}">${META}</PutRolePolicyResponse>` });
    await expectAnswer(rt.endpoint, iam('GetRolePolicy', { RoleName: 'r', PolicyName: 'i' }), {
      status: 200,
      headers: XML,
      xml: `<GetRolePolicyResponse xmlns="${NS}"><GetRolePolicyResult><RoleName>r</RoleName><PolicyName>i</PolicyName><PolicyDocument>${encoded(doc)}</PolicyDocument></GetRolePolicyResult>${META}</GetRolePolicyResponse>`,
    });
  });

  it('CreateAccessKey: AKIA id, 40-character secret, Active', async () => {
    await expectAnswer(rt.endpoint, iam('CreateAccessKey', { UserName: 'w' }), {
      status: 200,
      headers: XML,
      xml: `<CreateAccessKeyResponse xmlns="${NS}"><CreateAccessKeyResult><AccessKey><UserName>w</UserName><AccessKeyId>{{/^AKIA[A-Z2-7]{16}$/}}</AccessKeyId><Status>Active</Status><SecretAccessKey>{{/^[A-Za-z0-9+/]{40}$/}}</SecretAccessKey><CreateDate>${DATE}</CreateDate></AccessKey></CreateAccessKeyResult>${META}</CreateAccessKeyResponse>`,
    });
  });

  it('errors: NoSuchEntity 404, EntityAlreadyExists 409, DeleteConflict 409, MalformedPolicyDocument 400, in XML and JSON', async () => {
    await expectAnswer(rt.endpoint, iam('GetRole', { RoleName: 'nope' }), { status: 404, headers: XML, xml: errorXml('NoSuchEntity', 'The role with name nope cannot be found.') });
    await expectAnswer(rt.endpoint, iam('CreateRole', { RoleName: 'R', AssumeRolePolicyDocument: TRUST }), { status: 409, headers: XML, xml: errorXml('EntityAlreadyExists', 'Role with name R already exists.') });
    await expectAnswer(rt.endpoint, iam('DeleteRole', { RoleName: 'r' }), { status: 409, headers: XML, xml: errorXml('DeleteConflict', 'Cannot delete entity, must delete policies first.') });
    await expectAnswer(rt.endpoint, iam('CreatePolicy', { PolicyName: 'bad', PolicyDocument: '{}' }), { status: 400, headers: XML, xml: errorXml('MalformedPolicyDocument', 'Syntax errors in policy.') });
    await expectAnswer(rt.endpoint, iam('GetRole', { RoleName: 'nope' }, true), {
      status: 404,
      headers: { 'content-type': 'application/json' },
      json: { Error: { Code: 'NoSuchEntity', Message: 'The role with name nope cannot be found.', Type: 'Sender' }, RequestId: expect.any(String) },
    });
    expect((await fetch(`${rt.endpoint}/_localstack/health`)).status).toBe(200);
  });

  it('organizations: a standalone account is in none (OrganizationNotFoundException)', async () => {
    await expectAnswer(rt.endpoint, iam('ListOrganizationsFeatures'), { status: 400, headers: XML, xml: errorXml('OrganizationNotFoundException', 'The request was rejected because no organization is associated with your account.') });
  });

  it('an operation without a handler: 501 InternalFailure naming it', async () => {
    const message = "API action 'GetServiceLastAccessedDetails' for service 'iam' is not yet implemented";
    await expectAnswer(rt.endpoint, iam('GetServiceLastAccessedDetails', { JobId: 'x'.repeat(36) }), {
      status: 501,
      headers: { 'content-type': /^text\/xml/ },
      xml: `<ErrorResponse xmlns="${NS}"><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>${message}</Message></Error><RequestId>{{uuid}}</RequestId></ErrorResponse>`,
    });
  });
});
