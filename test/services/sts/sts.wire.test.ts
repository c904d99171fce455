/**
 * STS at the level of the wire: whole answers (XML, and JSON on Accept: application/json),
 * status codes and error documents, with credentials in AWS's formats: `ASIA` and 16
 * upper-case letters or digits, a 40-character secret, a base64 session token of the form
 * AWS's start with (`IQoJb3JpZ2luX2Vj`), an expiration at whole seconds. The caller of
 * temporary keys is who they were issued to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { authorization, expectAnswer, query, send, xmlTree, type WireRequest } from '../../support/wire.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(async () => {
  await rt?.stop();
});

const V = '2011-06-15';
const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const KEY = '{{/^ASIA[A-Z2-7]{16}$/}}';
const SECRET = '{{/^[A-Za-z0-9+/]{40}$/}}';
const TOKEN = '{{/^IQoJb3JpZ2luX2Vj[A-Za-z0-9+/]{300,}={0,2}$/}}';
const EXPIRATION = '{{/^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$/}}';
const ROLE_ID = /^AROA[A-Z2-7]{17}$/;
const META = '<ResponseMetadata><RequestId>{{uuid}}</RequestId></ResponseMetadata>';
const CREDENTIALS = `<Credentials><AccessKeyId>${KEY}</AccessKeyId><SecretAccessKey>${SECRET}</SecretAccessKey><SessionToken>${TOKEN}</SessionToken><Expiration>${EXPIRATION}</Expiration></Credentials>`;

const sts = (action: string, params: Record<string, string> = {}, json = false) => query('sts', action, V, params, { json });
/** The request signed with another access key. */
const as = (key: string, request: WireRequest): WireRequest => ({ ...request, headers: { ...request.headers, authorization: authorization('sts', 'us-east-1', key) } });

function jwt(claims: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${enc(claims)}.c2lnbmF0dXJl`;
}

function errorXml(type: 'Sender' | 'Receiver', code: string, message: string): string {
  return `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</Message></Error><RequestId>{{uuid}}</RequestId></ErrorResponse>`;
}

/** A value of a whole-document answer, read by element path. */
function text(answer: { text: string }, ...path: string[]): string {
  let nodes = xmlTree(answer.text);
  for (const [i, name] of path.entries()) {
    const node = nodes.find((n) => name in n);
    if (!node) throw new Error(`no ${name} in ${answer.text}`);
    if (i === path.length - 1) return node[name] as string;
    nodes = node[name] as typeof nodes;
  }
  throw new Error('empty path');
}

describe('GetCallerIdentity', () => {
  it('answers for the root user of the signing account, in AWS member order, XML and JSON', async () => {
    await expectAnswer(rt.endpoint, as('111122223333', sts('GetCallerIdentity')), {
      status: 200,
      headers: { 'content-type': /^text\/xml/ },
      xml: `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult>
        <Arn>arn:aws:iam::111122223333:root</Arn><UserId>111122223333</UserId><Account>111122223333</Account>
      </GetCallerIdentityResult>${META}</GetCallerIdentityResponse>`,
    });
    await expectAnswer(rt.endpoint, sts('GetCallerIdentity', {}, true), {
      status: 200,
      headers: { 'content-type': /^application\/json/ },
      json: {
        GetCallerIdentityResponse: {
          GetCallerIdentityResult: { Arn: 'arn:aws:iam::000000000000:root', UserId: '000000000000', Account: '000000000000' },
          ResponseMetadata: { RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
        },
      },
    });
  });
});

describe('AssumeRole', () => {
  it('issues credentials in AWS formats; their caller is the assumed role, in its account', async () => {
    const params = { RoleArn: 'arn:aws:iam::123456789012:role/team/deploy/admin', RoleSessionName: 'ci@run-1', DurationSeconds: '900' };
    const answer = await expectAnswer(rt.endpoint, sts('AssumeRole', params), {
      status: 200,
      xml: `<AssumeRoleResponse xmlns="${NS}"><AssumeRoleResult>
        ${CREDENTIALS}
        <AssumedRoleUser><AssumedRoleId>{{/^AROA[A-Z2-7]{17}:ci@run-1$/}}</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/admin/ci@run-1</Arn></AssumedRoleUser>
      </AssumeRoleResult>${META}</AssumeRoleResponse>`,
    });
    const expiration = Date.parse(text(answer, 'AssumeRoleResponse', 'AssumeRoleResult', 'Credentials', 'Expiration'));
    expect(expiration % 1000).toBe(0);
    expect(expiration - Date.now()).toBeGreaterThan(800_000);
    expect(expiration - Date.now()).toBeLessThanOrEqual(900_000);
    const roleId = text(answer, 'AssumeRoleResponse', 'AssumeRoleResult', 'AssumedRoleUser', 'AssumedRoleId');
    const key = text(answer, 'AssumeRoleResponse', 'AssumeRoleResult', 'Credentials', 'AccessKeyId');

    await expectAnswer(rt.endpoint, as(key, sts('GetCallerIdentity')), {
      status: 200,
      xml: `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult>
        <Arn>arn:aws:sts::123456789012:assumed-role/admin/ci@run-1</Arn><UserId>${roleId}</UserId><Account>123456789012</Account>
      </GetCallerIdentityResult>${META}</GetCallerIdentityResponse>`,
    });
    await expectAnswer(rt.endpoint, sts('GetAccessKeyInfo', { AccessKeyId: key }), {
      status: 200,
      xml: `<GetAccessKeyInfoResponse xmlns="${NS}"><GetAccessKeyInfoResult><Account>123456789012</Account></GetAccessKeyInfoResult>${META}</GetAccessKeyInfoResponse>`,
    });
    // the role's id is the role's: the same for its next session
    const again = await send(rt.endpoint, sts('AssumeRole', { ...params, RoleSessionName: 'other' }));
    expect(text(again, 'AssumeRoleResponse', 'AssumeRoleResult', 'AssumedRoleUser', 'AssumedRoleId')).toBe(`${roleId.split(':')[0]}:other`);
    // temporary credentials cannot get a session token or a federation token
    await expectAnswer(rt.endpoint, as(key, sts('GetSessionToken')), {
      status: 403,
      xml: errorXml('Sender', 'AccessDenied', 'Cannot call GetSessionToken with session credentials'),
    });
    await expectAnswer(rt.endpoint, as(key, sts('GetFederationToken', { Name: 'bob' })), {
      status: 403,
      xml: errorXml('Sender', 'AccessDenied', 'Cannot call GetFederationToken with session credentials'),
    });
    // role chaining: an hour at most
    await expectAnswer(rt.endpoint, as(key, sts('AssumeRole', { RoleArn: 'arn:aws:iam::123456789012:role/next', RoleSessionName: 'chained', DurationSeconds: '3601' })), {
      status: 400,
      xml: errorXml('Sender', 'ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.'),
    });
    await expectAnswer(rt.endpoint, as(key, sts('AssumeRole', { RoleArn: 'arn:aws:iam::123456789012:role/next', RoleSessionName: 'chained', DurationSeconds: '3600' })), {
      status: 200,
      xml: `<AssumeRoleResponse xmlns="${NS}"><AssumeRoleResult>
        ${CREDENTIALS}
        <AssumedRoleUser><AssumedRoleId>{{/^AROA[A-Z2-7]{17}:chained$/}}</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/next/chained</Arn></AssumedRoleUser>
      </AssumeRoleResult>${META}</AssumeRoleResponse>`,
    });
  });

  it('answers JSON with the expiration in epoch seconds and PackedPolicySize for session policies', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    const params = { RoleArn: 'arn:aws-cn:iam::123456789012:role/reader', RoleSessionName: 's1', Policy: policy, SourceIdentity: 'alice' };
    const answer = await expectAnswer(rt.endpoint, sts('AssumeRole', params, true), {
      status: 200,
      headers: { 'content-type': /^application\/json/ },
      json: {
        AssumeRoleResponse: {
          AssumeRoleResult: {
            Credentials: {
              AccessKeyId: expect.stringMatching(/^ASIA[A-Z2-7]{16}$/),
              SecretAccessKey: expect.stringMatching(/^[A-Za-z0-9+/]{40}$/),
              SessionToken: expect.stringMatching(/^IQoJb3JpZ2luX2Vj/),
              Expiration: expect.any(Number),
            },
            AssumedRoleUser: { AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}:s1$/), Arn: 'arn:aws-cn:sts::123456789012:assumed-role/reader/s1' },
            PackedPolicySize: expect.any(Number),
            SourceIdentity: 'alice',
          },
          ResponseMetadata: { RequestId: expect.any(String) },
        },
      },
    });
    const result = (JSON.parse(answer.text) as { AssumeRoleResponse: { AssumeRoleResult: { Credentials: { Expiration: number }; PackedPolicySize: number } } }).AssumeRoleResponse.AssumeRoleResult;
    expect(Number.isInteger(result.Credentials.Expiration)).toBe(true);
    expect(result.Credentials.Expiration * 1000 - Date.now()).toBeGreaterThan(3_500_000);
    expect(result.PackedPolicySize).toBeGreaterThan(0);
    expect(result.PackedPolicySize).toBeLessThanOrEqual(100);
  });

  it('refuses what AWS refuses, with its codes and messages, and stays up', async () => {
    await expectAnswer(rt.endpoint, sts('AssumeRole', { RoleArn: 'not-an-arn-but-long-enough', RoleSessionName: 'ok' }), {
      status: 400,
      xml: errorXml('Sender', 'ValidationError', 'not-an-arn-but-long-enough is invalid'),
    });
    await expectAnswer(rt.endpoint, sts('AssumeRole', { RoleArn: 'not-an-arn-but-long-enough', RoleSessionName: 'ok' }, true), {
      status: 400,
      json: { Error: { Code: 'ValidationError', Message: 'not-an-arn-but-long-enough is invalid', Type: 'Sender' }, RequestId: expect.any(String) },
    });
    await expectAnswer(rt.endpoint, sts('AssumeRole', { RoleArn: 'arn:aws:iam::123456789012:user/bob', RoleSessionName: 'ok' }), {
      status: 403,
      xml: errorXml('Sender', 'AccessDenied', 'User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:user/bob'),
    });
    await expectAnswer(rt.endpoint, sts('AssumeRole', { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'has space', DurationSeconds: '43201' }), {
      status: 400,
      xml: errorXml(
        'Sender',
        'ValidationError',
        "2 validation errors detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*; " +
          "Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
      ),
    });
    await expectAnswer(rt.endpoint, sts('AssumeRole', { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'x'.repeat(65) }), {
      status: 400,
      xml: errorXml('Sender', 'ValidationError', `1 validation error detected: Value '${'x'.repeat(65)}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`),
    });
    await expectAnswer(rt.endpoint, sts('GetCallerIdentity'), { status: 200, headers: { 'content-type': /^text\/xml/ } });
  });
});

describe('AssumeRoleWithWebIdentity', () => {
  it('takes subject, audience and provider from the JWT, unverified', async () => {
    const token = jwt({ sub: 'system:serviceaccount:default:app', aud: ['sts.amazonaws.com'], iss: 'https://oidc.example.com/id/ABC', exp: Math.floor(Date.now() / 1000) + 3600 });
    const params = { RoleArn: 'arn:aws:iam::210987654321:role/web', RoleSessionName: 'pod-1', WebIdentityToken: token };
    await expectAnswer(rt.endpoint, sts('AssumeRoleWithWebIdentity', params), {
      status: 200,
      xml: `<AssumeRoleWithWebIdentityResponse xmlns="${NS}"><AssumeRoleWithWebIdentityResult>
        ${CREDENTIALS}
        <SubjectFromWebIdentityToken>system:serviceaccount:default:app</SubjectFromWebIdentityToken>
        <AssumedRoleUser><AssumedRoleId>{{/^AROA[A-Z2-7]{17}:pod-1$/}}</AssumedRoleId><Arn>arn:aws:sts::210987654321:assumed-role/web/pod-1</Arn></AssumedRoleUser>
        <Provider>https://oidc.example.com/id/ABC</Provider>
        <Audience>sts.amazonaws.com</Audience>
      </AssumeRoleWithWebIdentityResult>${META}</AssumeRoleWithWebIdentityResponse>`,
    });
    const answer = await send(rt.endpoint, sts('AssumeRoleWithWebIdentity', params, true));
    const result = (JSON.parse(answer.text) as Record<string, Record<string, Record<string, unknown>>>).AssumeRoleWithWebIdentityResponse!.AssumeRoleWithWebIdentityResult!;
    expect(result).toStrictEqual({
      Credentials: expect.objectContaining({ AccessKeyId: expect.stringMatching(/^ASIA/), Expiration: expect.any(Number) }),
      SubjectFromWebIdentityToken: 'system:serviceaccount:default:app',
      AssumedRoleUser: { AssumedRoleId: expect.stringMatching(ROLE_ID.source.slice(0, -1) + ':pod-1$'), Arn: 'arn:aws:sts::210987654321:assumed-role/web/pod-1' },
      Provider: 'https://oidc.example.com/id/ABC',
      Audience: 'sts.amazonaws.com',
    });
  });

  it('refuses a token that is not a JWT, and an expired one, as AWS words it', async () => {
    const base = { RoleArn: 'arn:aws:iam::210987654321:role/web', RoleSessionName: 'pod-1' };
    await expectAnswer(rt.endpoint, sts('AssumeRoleWithWebIdentity', { ...base, WebIdentityToken: 'gho_an-oauth-access-token' }), {
      status: 400,
      xml: errorXml('Sender', 'InvalidIdentityToken', 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)'),
    });
    await expectAnswer(rt.endpoint, sts('AssumeRoleWithWebIdentity', { ...base, WebIdentityToken: jwt({ sub: 'u', exp: 1 }) }), {
      status: 400,
      xml: errorXml('Sender', 'ExpiredTokenException', 'Token expired: current date/time is after the token expiry'),
    });
  });
});

describe('GetSessionToken and GetFederationToken', () => {
  it("the root user's session and federation credentials last an hour at most, as AWS caps them", async () => {
    for (const [action, params] of [['GetSessionToken', {}], ['GetFederationToken', { Name: 'carol', DurationSeconds: '7200' }]] as const) {
      const answer = await send(rt.endpoint, sts(action, params));
      expect(answer.status).toBe(200);
      const expiration = Date.parse(text(answer, `${action}Response`, `${action}Result`, 'Credentials', 'Expiration'));
      expect(expiration - Date.now()).toBeGreaterThan(3_500_000);
      expect(expiration - Date.now()).toBeLessThanOrEqual(3_600_000);
    }
  });

  it('GetSessionToken: credentials only; the session acts as its caller', async () => {
    const answer = await expectAnswer(rt.endpoint, sts('GetSessionToken', { DurationSeconds: '1800' }), {
      status: 200,
      xml: `<GetSessionTokenResponse xmlns="${NS}"><GetSessionTokenResult>${CREDENTIALS}</GetSessionTokenResult>${META}</GetSessionTokenResponse>`,
    });
    const key = text(answer, 'GetSessionTokenResponse', 'GetSessionTokenResult', 'Credentials', 'AccessKeyId');
    await expectAnswer(rt.endpoint, as(key, sts('GetCallerIdentity', {}, true)), {
      status: 200,
      json: {
        GetCallerIdentityResponse: {
          GetCallerIdentityResult: { Arn: 'arn:aws:iam::000000000000:root', UserId: '000000000000', Account: '000000000000' },
          ResponseMetadata: { RequestId: expect.any(String) },
        },
      },
    });
  });

  it('GetFederationToken: the federated user, and PackedPolicySize when a policy is passed', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }] });
    const answer = await expectAnswer(rt.endpoint, sts('GetFederationToken', { Name: 'bob', Policy: policy }), {
      status: 200,
      xml: `<GetFederationTokenResponse xmlns="${NS}"><GetFederationTokenResult>
        ${CREDENTIALS}
        <FederatedUser><FederatedUserId>000000000000:bob</FederatedUserId><Arn>arn:aws:sts::000000000000:federated-user/bob</Arn></FederatedUser>
        <PackedPolicySize>{{/^\\d{1,3}$/}}</PackedPolicySize>
      </GetFederationTokenResult>${META}</GetFederationTokenResponse>`,
    });
    const key = text(answer, 'GetFederationTokenResponse', 'GetFederationTokenResult', 'Credentials', 'AccessKeyId');
    await expectAnswer(rt.endpoint, as(key, sts('GetCallerIdentity')), {
      status: 200,
      xml: `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult>
        <Arn>arn:aws:sts::000000000000:federated-user/bob</Arn><UserId>000000000000:bob</UserId><Account>000000000000</Account>
      </GetCallerIdentityResult>${META}</GetCallerIdentityResponse>`,
    });
    await expectAnswer(rt.endpoint, sts('GetFederationToken', { Name: 'bob', Policy: 'x'.repeat(2049) }), {
      status: 400,
      xml: errorXml('Sender', 'ValidationError', `1 validation error detected: Value '${'x'.repeat(2049)}' at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048`),
    });
  });
});
