/**
 * `aws cloudformation deploy` (the change set flow of the AWS CLI: DescribeStacks,
 * CreateChangeSet, the change-set-create-complete waiter, ExecuteChangeSet, the stack waiter)
 * against a runtime in this process on the stand-in template language (harness.ts), with JSON
 * templates: a create, an update, the empty change set the CLI reports as "No changes to
 * deploy", a failing deploy with its reason in describe-stack-events, delete and its waiter.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../../support/aws-cli.js';
import { withInProcessRuntime } from '../../support/runtime.js';
import { registry, template } from './harness.js';

let endpoint = '';
withInProcessRuntime(registry(), (e) => {
  endpoint = e;
});

// SSM and SQS start on first use: started here, so that the stack is done before the CLI's
// first poll (its stack waiter polls every 30 s)
beforeAll(async () => {
  await aws(endpoint, ['ssm', 'describe-parameters']);
  await aws(endpoint, ['sqs', 'list-queues']);
});

const dir = mkdtempSync(join(tmpdir(), 'cfn-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

const app = (value: string) =>
  template(
    { P: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/cli/p', Type: 'String', Value: { 'Fn::Join': ['-', [{ Ref: 'Env' }, value]] } } }, Q: { Type: 'AWS::SQS::Queue' } },
    { Parameters: { Env: { Type: 'String', Default: 'dev' } }, Outputs: { Queue: { Value: { 'Fn::GetAtt': ['Q', 'QueueName'] } } } },
  );

describe('aws cloudformation deploy', () => {
  it('creates, updates, reports an empty change set, deletes', async () => {
    const v1 = file('v1.json', app('one'));
    const created = await aws(endpoint, ['cloudformation', 'deploy', '--template-file', v1, '--stack-name', 'cli', '--parameter-overrides', 'Env=prod']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('Successfully created/updated stack - cli');
    expect((await aws(endpoint, ['ssm', 'get-parameter', '--name', '/cli/p'])).json.Parameter.Value).toBe('prod-one');

    const again = await aws(endpoint, ['cloudformation', 'deploy', '--template-file', v1, '--stack-name', 'cli', '--parameter-overrides', 'Env=prod']);
    expect(again.code).toBe(255);
    expect(again.stderr + again.stdout).toContain('No changes to deploy. Stack cli is up to date');
    await new Promise((r) => setTimeout(r, 1100));
    const tolerated = await aws(endpoint, ['cloudformation', 'deploy', '--template-file', v1, '--stack-name', 'cli', '--no-fail-on-empty-changeset']);
    expect(tolerated.code, tolerated.stderr).toBe(0);

    // the CLI names its change sets by the second, and the empty ones stay (FAILED) as on AWS:
    // the next deploy must not be in the same second
    await new Promise((r) => setTimeout(r, 1100));
    const updated = await aws(endpoint, ['cloudformation', 'deploy', '--template-file', file('v2.json', app('two')), '--stack-name', 'cli']);
    expect(updated.code, updated.stderr).toBe(0);
    // the parameter keeps its previous value when not overridden, as the CLI asks
    expect((await aws(endpoint, ['ssm', 'get-parameter', '--name', '/cli/p'])).json.Parameter.Value).toBe('prod-two');
    const described = (await aws(endpoint, ['cloudformation', 'describe-stacks', '--stack-name', 'cli'])).json.Stacks[0];
    expect(described).toMatchObject({ StackName: 'cli', StackStatus: 'UPDATE_COMPLETE', Parameters: [{ ParameterKey: 'Env', ParameterValue: 'prod' }] });
    expect(described.Outputs[0].OutputValue).toMatch(/^cli-Q-[A-Z0-9]{12}$/);

    expect((await aws(endpoint, ['cloudformation', 'delete-stack', '--stack-name', 'cli'])).code).toBe(0);
    const waited = await aws(endpoint, ['cloudformation', 'wait', 'stack-delete-complete', '--stack-name', 'cli']);
    expect(waited.code, waited.stderr).toBe(0);
  }, 180_000);

  it('a failing deploy exits non-zero, and describe-stack-events says why', async () => {
    const bad = file('bad.json', template({ Q: { Type: 'AWS::SQS::Queue', Properties: { MaximumMessageSize: 1 } } }));
    const failed = await aws(endpoint, ['cloudformation', 'deploy', '--template-file', bad, '--stack-name', 'cli-bad']);
    expect(failed.code).toBe(255);
    expect(failed.stderr).toContain('Failed to create/update the stack');
    const events = (await aws(endpoint, ['cloudformation', 'describe-stack-events', '--stack-name', 'cli-bad'])).json.StackEvents as { ResourceStatus: string; ResourceStatusReason?: string }[];
    expect(events[0]!.ResourceStatus).toBe('ROLLBACK_COMPLETE');
    expect(events.find((e) => e.ResourceStatus === 'CREATE_FAILED')?.ResourceStatusReason).toContain('Invalid value for the parameter MaximumMessageSize.');
  }, 120_000);
});
