/**
 * Bad input to IAM gets the error AWS gives (code, status, message), nothing is half-created,
 * and the runtime keeps serving: documents that are not policies, documents over AWS's size
 * quotas, tags that break IAM's rules, names and paths the model refuses, ARNs that name
 * nothing, a missing required member.
 */
import {
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetPolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListRolesCommand,
  PutRolePolicyCommand,
  TagUserCommand,
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

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
/** An identity policy of `n` statements, each naming a long resource. */
const big = (n: number) => JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: n }, (_, i) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket-${i}/${'x'.repeat(60)}` })) });

describe('IAM refuses bad input as AWS does', () => {
  it('policy documents: not JSON, a wrong Version, an identity document with a Principal', async () => {
    const cases = [
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"',
      JSON.stringify({ Version: '2011-01-01', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }),
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] }),
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: 's3:*', Resource: '*' }] }),
    ];
    for (const [i, document] of cases.entries()) {
      const e = await sdkError(iam.send(new CreatePolicyCommand({ PolicyName: `bad-${i}`, PolicyDocument: document })));
      expect(e, document).toMatchObject({ name: 'MalformedPolicyDocumentException', status: 400 });
      expect(e.message.length).toBeGreaterThan(0);
    }
    expect((await sdkError(iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::000000000000:policy/bad-0' })))).name).toBe('NoSuchEntityException');
  });

  it("documents over AWS's quotas: managed 6,144, trust 2,048, a role's inline policies 10,240 characters", async () => {
    const managed = await sdkError(iam.send(new CreatePolicyCommand({ PolicyName: 'huge', PolicyDocument: big(70) })));
    expect(managed).toMatchObject({ name: 'LimitExceededException', status: 409, message: 'Cannot exceed quota for PolicySize: 6144' });
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: 40 }, (_, i) => ({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${String(i).padStart(12, '1')}:root` }, Action: 'sts:AssumeRole' })) });
    const role = await sdkError(iam.send(new CreateRoleCommand({ RoleName: 'huge', AssumeRolePolicyDocument: trust })));
    expect(role).toMatchObject({ name: 'LimitExceededException', status: 409, message: 'Cannot exceed quota for ACLSizePerRole: 2048' });
    expect((await sdkError(iam.send(new GetRoleCommand({ RoleName: 'huge' })))).name).toBe('NoSuchEntityException');
    await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'a', PolicyDocument: big(60) }));
    const inline = await sdkError(iam.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'b', PolicyDocument: big(60) })));
    expect(inline).toMatchObject({ name: 'LimitExceededException', status: 409, message: 'Maximum policy size of 10240 bytes exceeded for role r' });
  });

  it('tags: a key over 128 characters, more than 50 at creation, a value with characters IAM refuses', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'u' }));
    const long = await sdkError(iam.send(new TagUserCommand({ UserName: 'u', Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] })));
    expect(long).toMatchObject({ name: 'ValidationError', status: 400 });
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(await sdkError(iam.send(new CreateUserCommand({ UserName: 'tagged', Tags: many })))).toMatchObject({ name: 'ValidationError', status: 400 });
    const value = await sdkError(iam.send(new TagUserCommand({ UserName: 'u', Tags: [{ Key: 'k', Value: 'a\u0000b' }] })));
    expect(value).toMatchObject({ name: 'ValidationError', status: 400 });
  });

  it('names, paths, ARNs and required members the model refuses; the runtime keeps serving', async () => {
    expect(await sdkError(iam.send(new CreateRoleCommand({ RoleName: 'x'.repeat(65), AssumeRolePolicyDocument: TRUST })))).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(await sdkError(iam.send(new CreateRoleCommand({ RoleName: 'p', Path: '/no-trailing-slash', AssumeRolePolicyDocument: TRUST })))).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(await sdkError(iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::000000000000:policy/none' })))).toMatchObject({ name: 'NoSuchEntityException', status: 404, message: 'Policy arn:aws:iam::000000000000:policy/none was not found.' });
    expect(await sdkError(iam.send(new CreateRoleCommand({ RoleName: 'q' } as never)))).toMatchObject({ status: 400 });
    expect((await iam.send(new ListRolesCommand({}))).Roles!.map((r) => r.RoleName)).toEqual(['r']);
  });
});
