import {
  AssumeRoleCommand,
  AssumeRoleWithSAMLCommand,
  AssumeRoleWithWebIdentityCommand,
  DecodeAuthorizationMessageCommand,
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli.js';
import { clientConfig, startRuntime, type RuntimeProcess } from '../support/runtime.js';
import { sdkError } from '../support/sdk-error.js';

let rt: RuntimeProcess;
let sts: STSClient;

beforeAll(async () => {
  rt = await startRuntime();
  sts = new STSClient(clientConfig(rt.endpoint));
});
afterAll(async () => {
  await rt?.stop();
});

function clientFor(creds: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }): STSClient {
  return new STSClient({
    ...clientConfig(rt.endpoint),
    credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken },
  });
}

function jwt(claims: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc(claims)}.c2lnbmF0dXJl`;
}

function samlResponse(sessionName: string): string {
  const xml = `<?xml version="1.0"?>
<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">
  <saml:Issuer>https://idp.example.com</saml:Issuer>
  <saml:Assertion>
    <saml:Issuer>https://idp.example.com</saml:Issuer>
    <saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">alice@example.com</saml:NameID></saml:Subject>
    <saml:Conditions><saml:AudienceRestriction><saml:Audience>https://signin.aws.amazon.com/saml</saml:Audience></saml:AudienceRestriction></saml:Conditions>
    <saml:AttributeStatement>
      <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml:AttributeValue>${sessionName}</saml:AttributeValue></saml:Attribute>
    </saml:AttributeStatement>
  </saml:Assertion>
</samlp:Response>`;
  return Buffer.from(xml).toString('base64');
}

describe('STS through @aws-sdk/client-sts', () => {
  it('GetCallerIdentity answers for the default account', async () => {
    const r = await sts.send(new GetCallerIdentityCommand({}));
    expect(r).toMatchObject({ Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });
    expect(r.$metadata.httpStatusCode).toBe(200);
    expect(r.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('GetCallerIdentity with a 12-digit access key answers for that account', async () => {
    const r = await new STSClient(clientConfig(rt.endpoint, '222233334444')).send(new GetCallerIdentityCommand({}));
    expect(r.Account).toBe('222233334444');
  });

  it('AssumeRole issues credentials that act in the role account', async () => {
    const r = await sts.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/deploy/admin', RoleSessionName: 'ci-run', DurationSeconds: 900 }),
    );
    expect(r.AssumedRoleUser?.Arn).toBe('arn:aws:sts::111111111111:assumed-role/admin/ci-run');
    expect(r.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]+:ci-run$/);
    expect(r.Credentials?.Expiration).toBeInstanceOf(Date);
    const expiresIn = r.Credentials!.Expiration!.getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(800_000);
    expect(expiresIn).toBeLessThanOrEqual(900_000);

    const who = await clientFor(r.Credentials!).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: '111111111111', Arn: 'arn:aws:sts::111111111111:assumed-role/admin/ci-run', UserId: r.AssumedRoleUser!.AssumedRoleId });

    const info = await sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: r.Credentials!.AccessKeyId }));
    expect(info.Account).toBe('111111111111');
  });

  it('AssumeRole validates like AWS, all violations in one message', async () => {
    const e = await sdkError(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/admin', RoleSessionName: 'x', DurationSeconds: 60 })));
    expect(e).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(e.message).toBe(
      "2 validation errors detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; " +
        "Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
    const bad = await sdkError(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/admin', RoleSessionName: 'has space' })));
    expect(bad.message).toContain('Member must satisfy regular expression pattern: [\\w+=,.@-]*');
    const arn = await sdkError(sts.send(new AssumeRoleCommand({ RoleArn: 'not-an-arn-but-long-enough', RoleSessionName: 'ok-name' })));
    expect(arn).toMatchObject({ name: 'ValidationError', status: 400 });
  });

  it('AssumeRole reports PackedPolicySize for session policies and tags', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
    const r = await sts.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/admin', RoleSessionName: 'sess', Policy: policy, Tags: [{ Key: 'team', Value: 'a' }] }),
    );
    expect(r.PackedPolicySize).toBeGreaterThan(0);
    expect(r.PackedPolicySize).toBeLessThanOrEqual(100);
  });

  it('AssumeRoleWithWebIdentity reads the token claims and works unsigned', async () => {
    const token = jwt({ sub: 'user-123', aud: 'my-client', iss: 'https://issuer.example.com', exp: Math.floor(Date.now() / 1000) + 3600 });
    const r = await sts.send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: 'arn:aws:iam::333333333333:role/web', RoleSessionName: 'web-session', WebIdentityToken: token }),
    );
    expect(r).toMatchObject({ SubjectFromWebIdentityToken: 'user-123', Audience: 'my-client', Provider: 'https://issuer.example.com' });
    expect(r.AssumedRoleUser?.Arn).toBe('arn:aws:sts::333333333333:assumed-role/web/web-session');
    const who = await clientFor(r.Credentials!).send(new GetCallerIdentityCommand({}));
    expect(who.Account).toBe('333333333333');

    const expired = jwt({ sub: 'u', exp: Math.floor(Date.now() / 1000) - 60 });
    const e = await sdkError(
      sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: 'arn:aws:iam::333333333333:role/web', RoleSessionName: 'web-session', WebIdentityToken: expired })),
    );
    expect(e).toMatchObject({ name: 'ExpiredTokenException', status: 400 });
  });

  it('AssumeRoleWithSAML reads subject, issuer, audience and session name', async () => {
    const r = await sts.send(
      new AssumeRoleWithSAMLCommand({
        RoleArn: 'arn:aws:iam::444444444444:role/saml-role',
        PrincipalArn: 'arn:aws:iam::444444444444:saml-provider/corp-idp',
        SAMLAssertion: samlResponse('alice'),
      }),
    );
    expect(r).toMatchObject({ Subject: 'alice@example.com', SubjectType: 'persistent', Issuer: 'https://idp.example.com', Audience: 'https://signin.aws.amazon.com/saml' });
    expect(r.NameQualifier).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(r.AssumedRoleUser?.Arn).toBe('arn:aws:sts::444444444444:assumed-role/saml-role/alice');
  });

  it('GetSessionToken and GetFederationToken', async () => {
    const s = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 1800 }));
    expect(s.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect((await clientFor(s.Credentials!).send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');

    const f = await sts.send(new GetFederationTokenCommand({ Name: 'bob' }));
    expect(f.FederatedUser).toEqual({ FederatedUserId: '000000000000:bob', Arn: 'arn:aws:sts::000000000000:federated-user/bob' });
    const who = await clientFor(f.Credentials!).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe('arn:aws:sts::000000000000:federated-user/bob');

    const e = await sdkError(sts.send(new GetFederationTokenCommand({ Name: 'b' })));
    expect(e.message).toContain("Value 'b' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 2");
    const d = await sdkError(sts.send(new GetSessionTokenCommand({ DurationSeconds: 200_000 })));
    expect(d.message).toContain('Member must have value less than or equal to 129600');
  });

  it('GetAccessKeyInfo and DecodeAuthorizationMessage', async () => {
    expect((await sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' }))).Account).toBe('000000000000');
    const e = await sdkError(sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: 'short' })));
    expect(e).toMatchObject({ name: 'ValidationError', status: 400 });
    const d = await sdkError(sts.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'bm90IGEgbWVzc2FnZQ' })));
    expect(d).toMatchObject({ name: 'InvalidAuthorizationMessageException', status: 400 });
  });

  it('missing required members are refused before the provider runs', async () => {
    const e = await sdkError(sts.send(new AssumeRoleCommand({} as never)));
    expect(e.name).toBe('ValidationError');
    expect(e.message).toBe(
      "2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe('STS through the AWS CLI', () => {
  it('get-caller-identity', async () => {
    const r = await aws(rt.endpoint, ['sts', 'get-caller-identity']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });
  });

  it('assume-role, then act with the returned credentials', async () => {
    const r = await aws(rt.endpoint, ['sts', 'assume-role', '--role-arn', 'arn:aws:iam::555555555555:role/cli', '--role-session-name', 'cli-session']);
    expect(r.code).toBe(0);
    const c = r.json.Credentials;
    const who = await aws(rt.endpoint, ['sts', 'get-caller-identity'], {
      AWS_ACCESS_KEY_ID: c.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: c.SecretAccessKey,
      AWS_SESSION_TOKEN: c.SessionToken,
    });
    expect(who.json).toMatchObject({ Account: '555555555555', Arn: 'arn:aws:sts::555555555555:assumed-role/cli/cli-session' });
  });

  it('a validation error exits non-zero with the AWS error code', async () => {
    // (the CLI checks lengths and ranges itself; patterns only the server checks)
    const r = await aws(rt.endpoint, ['sts', 'assume-role', '--role-arn', 'arn:aws:iam::555555555555:role/cli', '--role-session-name', 'has space']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('(ValidationError)');
    expect(r.stderr).toContain('Member must satisfy regular expression pattern');
  });
});
