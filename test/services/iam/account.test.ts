/**
 * The rest of IAM through @aws-sdk/client-iam: account alias and password policy, login
 * profiles, virtual MFA devices, OIDC and SAML providers, server certificates, tags on every
 * taggable entity with IAM's limits, GetAccountSummary and GetAccountAuthorizationDetails.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachRolePolicyCommand,
  CreateAccountAliasCommand,
  CreateLoginProfileCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeactivateMFADeviceCommand,
  DeleteAccountAliasCommand,
  DeleteLoginProfileCommand,
  DeleteVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetLoginProfileCommand,
  GetOpenIDConnectProviderCommand,
  GetSAMLProviderCommand,
  GetServerCertificateCommand,
  IAMClient,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  ListOpenIDConnectProvidersCommand,
  ListRoleTagsCommand,
  ListServerCertificatesCommand,
  ListVirtualMFADevicesCommand,
  PutRolePolicyCommand,
  TagOpenIDConnectProviderCommand,
  TagRoleCommand,
  TagUserCommand,
  UntagRoleCommand,
  UpdateAccountPasswordPolicyCommand,
  UploadServerCertificateCommand,
  AddClientIDToOpenIDConnectProviderCommand,
  ListOpenIDConnectProviderTagsCommand,
} from '@aws-sdk/client-iam';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient, TagResourcesCommand, UntagResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
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

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

/** A self-signed certificate and its key, made by openssl for the test. */
function selfSigned(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'iam-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '30', '-subj', '/CN=example.com'], { stdio: 'ignore' });
    return { cert: readFileSync(join(dir, 'c.pem'), 'utf8'), key: readFileSync(join(dir, 'k.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('account settings', () => {
  it('alias: one per account, listed, deleted', async () => {
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'my-org' }));
    expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(['my-org']);
    await iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'my-org' }));
    expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual([]);
    expect((await sdkError(iam.send(new CreateAccountAliasCommand({ AccountAlias: 'Bad_Alias' })))).name).toBe('ValidationError');
  });

  it('password policy: absent is NoSuchEntity; set, read back with defaults, applied to login profiles', async () => {
    expect((await sdkError(iam.send(new GetAccountPasswordPolicyCommand({})))).name).toBe('NoSuchEntityException');
    await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12, RequireNumbers: true, MaxPasswordAge: 90 }));
    const { PasswordPolicy } = await iam.send(new GetAccountPasswordPolicyCommand({}));
    expect(PasswordPolicy).toMatchObject({ MinimumPasswordLength: 12, RequireNumbers: true, RequireSymbols: false, MaxPasswordAge: 90, ExpirePasswords: true });
    await iam.send(new CreateUserCommand({ UserName: 'console' }));
    const weak = await sdkError(iam.send(new CreateLoginProfileCommand({ UserName: 'console', Password: 'short' })));
    expect(weak).toMatchObject({ name: 'PasswordPolicyViolationException', status: 400, message: 'Password should have a minimum length of 12' });
    const { LoginProfile } = await iam.send(new CreateLoginProfileCommand({ UserName: 'console', Password: 'long-enough-1', PasswordResetRequired: true }));
    expect(LoginProfile).toMatchObject({ UserName: 'console', PasswordResetRequired: true });
    expect((await sdkError(iam.send(new CreateLoginProfileCommand({ UserName: 'console', Password: 'long-enough-2' })))).name).toBe('EntityAlreadyExistsException');
    expect((await iam.send(new GetLoginProfileCommand({ UserName: 'console' }))).LoginProfile!.UserName).toBe('console');
    await iam.send(new DeleteLoginProfileCommand({ UserName: 'console' }));
    expect((await sdkError(iam.send(new GetLoginProfileCommand({ UserName: 'console' })))).message).toBe('Login Profile for User console cannot be found.');
  });
});

describe('virtual MFA devices', () => {
  it('are created with a base32 seed, enabled for a user, listed by assignment, deactivated, deleted', async () => {
    const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'phone', Tags: [{ Key: 'k', Value: 'v' }] }));
    const serial = VirtualMFADevice!.SerialNumber!;
    expect(serial).toBe('arn:aws:iam::000000000000:mfa/phone');
    expect(Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString()).toMatch(/^[A-Z2-7]{64}$/);
    await iam.send(new EnableMFADeviceCommand({ UserName: 'console', SerialNumber: serial, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }));
    expect((await iam.send(new ListMFADevicesCommand({ UserName: 'console' }))).MFADevices!.map((d) => d.SerialNumber)).toEqual([serial]);
    expect((await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned' }))).VirtualMFADevices![0]!.User!.UserName).toBe('console');
    expect(await sdkError(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })))).toMatchObject({ name: 'DeleteConflictException', status: 409 });
    await iam.send(new DeactivateMFADeviceCommand({ UserName: 'console', SerialNumber: serial }));
    expect((await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }))).VirtualMFADevices!.map((d) => d.SerialNumber)).toEqual([serial]);
    await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial }));
    expect((await iam.send(new ListVirtualMFADevicesCommand({}))).VirtualMFADevices).toEqual([]);
  });
});

describe('identity providers', () => {
  it('OIDC: created by URL (ARN without scheme), client ids added, tagged, duplicates refused', async () => {
    const { OpenIDConnectProviderArn: arn } = await iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com', ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['a'.repeat(40)] }));
    expect(arn).toBe('arn:aws:iam::000000000000:oidc-provider/token.actions.githubusercontent.com');
    await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'other' }));
    await iam.send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, Tags: [{ Key: 'team', Value: 'ci' }] }));
    const got = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    expect(got).toMatchObject({ Url: 'token.actions.githubusercontent.com', ClientIDList: ['sts.amazonaws.com', 'other'], ThumbprintList: ['a'.repeat(40)], Tags: [{ Key: 'team', Value: 'ci' }] });
    expect((await iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: arn }))).Tags).toEqual([{ Key: 'team', Value: 'ci' }]);
    expect((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList).toEqual([{ Arn: arn }]);
    const again = await sdkError(iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com', ThumbprintList: ['b'.repeat(40)] })));
    expect(again).toMatchObject({ name: 'EntityAlreadyExistsException', status: 409 });
  });

  it('SAML: created from metadata, read back', async () => {
    // AWS takes metadata of 1000 characters or more: an IdP descriptor with its signing certificate
    const certificate = selfSigned().cert.replace(/-----[A-Z ]+-----|\s/g, '');
    const metadata = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example.com" validUntil="2030-01-01T00:00:00Z"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>`;
    const { SAMLProviderArn } = await iam.send(new CreateSAMLProviderCommand({ Name: 'corp', SAMLMetadataDocument: metadata }));
    expect(SAMLProviderArn).toBe('arn:aws:iam::000000000000:saml-provider/corp');
    const got = await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn }));
    expect(got.SAMLMetadataDocument).toBe(metadata);
    expect(got.ValidUntil!.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect((await sdkError(iam.send(new CreateSAMLProviderCommand({ Name: 'bad', SAMLMetadataDocument: 'x'.repeat(1000) })))).name).toBe('InvalidInputException');
  });
});

describe('server certificates', () => {
  it('uploads a certificate (ASCA id, expiration from the certificate); a mismatched key or a bad body is refused', async () => {
    const { cert, key } = selfSigned();
    const { ServerCertificateMetadata } = await iam.send(new UploadServerCertificateCommand({ ServerCertificateName: 'web', Path: '/cloudfront/', CertificateBody: cert, PrivateKey: key }));
    expect(ServerCertificateMetadata).toMatchObject({ ServerCertificateName: 'web', Path: '/cloudfront/', Arn: 'arn:aws:iam::000000000000:server-certificate/cloudfront/web' });
    expect(ServerCertificateMetadata!.ServerCertificateId).toMatch(/^ASCA[A-Z2-7]{17}$/);
    expect(ServerCertificateMetadata!.Expiration!.getTime()).toBeGreaterThan(Date.now() + 29 * 86400_000);
    expect((await iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'web' }))).ServerCertificate!.CertificateBody).toBe(cert);
    expect((await iam.send(new ListServerCertificatesCommand({}))).ServerCertificateMetadataList!.map((c) => c.ServerCertificateName)).toEqual(['web']);
    const other = selfSigned();
    const mismatch = await sdkError(iam.send(new UploadServerCertificateCommand({ ServerCertificateName: 'web2', CertificateBody: cert, PrivateKey: other.key })));
    expect(mismatch).toMatchObject({ name: 'KeyPairMismatchException', status: 400 });
    const malformed = await sdkError(iam.send(new UploadServerCertificateCommand({ ServerCertificateName: 'web3', CertificateBody: '-----BEGIN CERTIFICATE-----\nxx\n-----END CERTIFICATE-----', PrivateKey: key })));
    expect(malformed).toMatchObject({ name: 'MalformedCertificateException', status: 400 });
  });
});

describe('tags', () => {
  it('tag, untag, list on roles and users; IAM limits: duplicate keys, aws: prefix, 50 per entity', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'tagged', AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 'a', Value: '1' }] }));
    await iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: [{ Key: 'b', Value: '2' }, { Key: 'a', Value: 'one' }] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged' }))).Tags).toEqual([{ Key: 'a', Value: 'one' }, { Key: 'b', Value: '2' }]);
    await iam.send(new UntagRoleCommand({ RoleName: 'tagged', TagKeys: ['a'] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged' }))).Tags).toEqual([{ Key: 'b', Value: '2' }]);
    const dup = await sdkError(iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: [{ Key: 'x', Value: '1' }, { Key: 'X', Value: '2' }] })));
    expect(dup).toMatchObject({ name: 'InvalidInputException', status: 400, message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.' });
    expect((await sdkError(iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: [{ Key: 'aws:x', Value: '1' }] })))).name).toBe('InvalidInputException');
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const full = await sdkError(iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: many })));
    expect(full).toMatchObject({ name: 'LimitExceededException', status: 409 });
    expect((await sdkError(iam.send(new TagUserCommand({ UserName: 'nobody', Tags: [{ Key: 'a', Value: 'b' }] })))).message).toBe('The user with name nobody cannot be found.');
  });
});

describe('the Resource Groups Tagging API', () => {
  it('tags and untags IAM roles and users by ARN with IAM rules; GetResources lists none of them, as AWS documents', async () => {
    const rgta = new ResourceGroupsTaggingAPIClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
    const role = 'arn:aws:iam::000000000000:role/tagged';
    const tagged = await rgta.send(new TagResourcesCommand({ ResourceARNList: [role, 'arn:aws:iam::000000000000:role/nobody'], Tags: { via: 'rgta' } }));
    expect(Object.keys(tagged.FailedResourcesMap ?? {})).toEqual(['arn:aws:iam::000000000000:role/nobody']);
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged' }))).Tags).toContainEqual({ Key: 'via', Value: 'rgta' });
    expect((await rgta.send(new GetResourcesCommand({}))).ResourceTagMappingList!.filter((r) => r.ResourceARN!.startsWith('arn:aws:iam:'))).toEqual([]);
    await rgta.send(new UntagResourcesCommand({ ResourceARNList: [role], TagKeys: ['via'] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged' }))).Tags).not.toContainEqual({ Key: 'via', Value: 'rgta' });
  });
});

describe('account views', () => {
  it('GetAccountSummary counts entities and reports the quotas', async () => {
    const { SummaryMap } = await iam.send(new GetAccountSummaryCommand({}));
    expect(SummaryMap).toMatchObject({ Users: 1, Roles: 1, ServerCertificates: 1, Providers: 2, AccessKeysPerUserQuota: 2, VersionsPerPolicyQuota: 5, RolesQuota: 1000 });
  });

  it('GetAccountAuthorizationDetails: users, roles with inline and attached policies, the AWS policies in use with their documents', async () => {
    await iam.send(new PutRolePolicyCommand({ RoleName: 'tagged', PolicyName: 'inline', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'tagged', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    const details = await iam.send(new GetAccountAuthorizationDetailsCommand({}));
    expect(details.UserDetailList!.map((u) => u.UserName)).toEqual(['console']);
    const role = details.RoleDetailList!.find((r) => r.RoleName === 'tagged')!;
    expect(role.RolePolicyList!.map((p) => p.PolicyName)).toEqual(['inline']);
    expect(role.AttachedManagedPolicies).toEqual([{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }]);
    expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!))).toEqual(JSON.parse(TRUST));
    expect(details.Policies!.map((p) => p.PolicyName)).toEqual(['ReadOnlyAccess']);
    expect(details.Policies![0]!.PolicyVersionList![0]!.IsDefaultVersion).toBe(true);
    const roles = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
    expect(roles.UserDetailList).toEqual([]);
    expect(roles.RoleDetailList!.map((r) => r.RoleName)).toEqual(['tagged']);
  });
});
