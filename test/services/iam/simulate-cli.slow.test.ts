/**
 * The policy simulator through the real AWS CLI, with the AWS CLI documentation's own
 * examples (awscli/examples/iam/simulate-custom-policy.rst, simulate-principal-policy.rst,
 * get-context-keys-for-custom-policy.rst): the same commands get the documented answers,
 * statement positions included; the CLI's shorthand for --context-entries reaches the
 * simulator typed; simulate-custom-policy pages are followed by the CLI itself.
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
  dir = mkdtempSync(join(tmpdir(), 'iam-simulate-cli-'));
});
afterAll(async () => {
  await rt?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const DYNAMO = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';

describe('the simulator through the AWS CLI', () => {
  it('simulate-custom-policy: the documented example, allowed, and before the date, implicitDeny', async () => {
    const allowed = await aws(rt.endpoint, ['iam', 'simulate-custom-policy', '--policy-input-list', DYNAMO, '--action-names', 'dynamodb:CreateBackup', '--context-entries', "ContextKeyName='aws:CurrentTime',ContextKeyValues='2019-04-25T11:00:00Z',ContextKeyType=date"]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.json).toEqual({
      EvaluationResults: [
        {
          EvalActionName: 'dynamodb:CreateBackup',
          EvalResourceName: '*',
          EvalDecision: 'allowed',
          MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: 167 } }],
          MissingContextValues: [],
        },
      ],
    });
    const early = await aws(rt.endpoint, ['iam', 'simulate-custom-policy', '--policy-input-list', DYNAMO, '--action-names', 'dynamodb:CreateBackup', '--context-entries', "ContextKeyName='aws:CurrentTime',ContextKeyValues='2014-04-25T11:00:00Z',ContextKeyType=date"]);
    expect(early.json.EvaluationResults).toEqual([{ EvalActionName: 'dynamodb:CreateBackup', EvalResourceName: '*', EvalDecision: 'implicitDeny', MatchedStatements: [], MissingContextValues: [] }]);
  });

  it('get-context-keys-for-custom-policy: the documented example', async () => {
    const policy = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}';
    const out = await aws(rt.endpoint, ['iam', 'get-context-keys-for-custom-policy', '--policy-input-list', policy]);
    expect(out.json).toEqual({ ContextKeyNames: ['aws:username', 'aws:CurrentTime'] });
  });

  it("simulate-principal-policy: the documented user allowed codecommit:ListRepositories, at the example's positions", async () => {
    // a policy file as people write them (4-space indentation): its statement spans 3:19 to 9:10, as in the example
    const document = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'ListRepositories', Effect: 'Allow', Action: 'codecommit:ListRepositories', Resource: '*' }],
    };
    writeFileSync(join(dir, 'policy.json'), JSON.stringify(document, null, 4));
    expect((await aws(rt.endpoint, ['iam', 'create-user', '--user-name', 'alejandro'])).code).toBe(0);
    const created = await aws(rt.endpoint, ['iam', 'create-policy', '--policy-name', 'Grant-Access-To-CodeCommit-ListRepo', '--policy-document', `file://${join(dir, 'policy.json')}`]);
    expect(created.code, created.stderr).toBe(0);
    expect((await aws(rt.endpoint, ['iam', 'attach-user-policy', '--user-name', 'alejandro', '--policy-arn', created.json.Policy.Arn])).code).toBe(0);
    const out = await aws(rt.endpoint, ['iam', 'simulate-principal-policy', '--policy-source-arn', 'arn:aws:iam::000000000000:user/alejandro', '--action-names', 'codecommit:ListRepositories']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.json.EvaluationResults).toEqual([
      {
        EvalActionName: 'codecommit:ListRepositories',
        EvalResourceName: '*',
        EvalDecision: 'allowed',
        MatchedStatements: [{ SourcePolicyId: 'Grant-Access-To-CodeCommit-ListRepo', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 3, Column: 19 }, EndPosition: { Line: 9, Column: 10 } }],
        MissingContextValues: [],
      },
    ]);
  });

  it('the CLI follows Marker pages to the end', async () => {
    const actions = Array.from({ length: 7 }, (_, i) => `sqs:Action${i}`);
    const out = await aws(rt.endpoint, ['iam', 'simulate-custom-policy', '--policy-input-list', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}', '--action-names', ...actions, '--page-size', '3']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.json.EvaluationResults.map((r: { EvalActionName: string }) => r.EvalActionName)).toEqual(actions);
  });
});
