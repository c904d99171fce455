/**
 * IAM through the real AWS CLI: create-role with a trust policy from a file, an inline and an
 * AWS managed policy, get-role and get-role-policy decoded to JSON by the CLI, the paginated
 * list-policies, a user's access key used as the CLI's credentials (sts get-caller-identity
 * names the user), and an error exiting non-zero with AWS's code and message.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { aws } from '../../support/aws-cli.js';

let rt: RuntimeProcess;
let dir: string;
beforeAll(async () => {
  rt = await startRuntime();
  dir = mkdtempSync(join(tmpdir(), 'iam-cli-'));
});
afterAll(async () => {
  await rt?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

describe('IAM through the AWS CLI', () => {
  it('create-role from a file, policies, get-role and get-role-policy decoded, list-policies paged', async () => {
    writeFileSync(join(dir, 'trust.json'), JSON.stringify(TRUST, null, 2));
    const created = await aws(rt.endpoint, ['iam', 'create-role', '--role-name', 'task', '--assume-role-policy-document', `file://${join(dir, 'trust.json')}`]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json.Role.Arn).toBe('arn:aws:iam::000000000000:role/task');
    expect((await aws(rt.endpoint, ['iam', 'put-role-policy', '--role-name', 'task', '--policy-name', 'logs', '--policy-document', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*"}]}'])).code).toBe(0);
    expect((await aws(rt.endpoint, ['iam', 'attach-role-policy', '--role-name', 'task', '--policy-arn', 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'])).code).toBe(0);
    const role = await aws(rt.endpoint, ['iam', 'get-role', '--role-name', 'task']);
    expect(role.json.Role.AssumeRolePolicyDocument).toEqual(TRUST);
    const inline = await aws(rt.endpoint, ['iam', 'get-role-policy', '--role-name', 'task', '--policy-name', 'logs']);
    expect(inline.json.PolicyDocument).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] });
    const attached = await aws(rt.endpoint, ['iam', 'list-attached-role-policies', '--role-name', 'task']);
    expect(attached.json.AttachedPolicies).toEqual([{ PolicyName: 'AmazonECSTaskExecutionRolePolicy', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' }]);
    // the CLI follows Marker pages to the end by itself
    const all = await aws(rt.endpoint, ['iam', 'list-policies', '--scope', 'AWS', '--page-size', '7']);
    expect(all.json.Policies.length).toBeGreaterThan(25);
    expect(new Set(all.json.Policies.map((p: { Arn: string }) => p.Arn)).size).toBe(all.json.Policies.length);
  });

  it("a user's access key as the CLI's credentials: get-caller-identity names the user", async () => {
    expect((await aws(rt.endpoint, ['iam', 'create-user', '--user-name', 'cli-user'])).code).toBe(0);
    const key = (await aws(rt.endpoint, ['iam', 'create-access-key', '--user-name', 'cli-user'])).json.AccessKey;
    const who = await aws(rt.endpoint, ['sts', 'get-caller-identity'], { AWS_ACCESS_KEY_ID: key.AccessKeyId, AWS_SECRET_ACCESS_KEY: key.SecretAccessKey });
    expect(who.json).toEqual({ UserId: expect.stringMatching(/^AIDA/), Account: '000000000000', Arn: 'arn:aws:iam::000000000000:user/cli-user' });
  });

  it('an error exits non-zero with the code and message', async () => {
    const r = await aws(rt.endpoint, ['iam', 'get-role', '--role-name', 'missing']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name missing cannot be found.');
  });
});
