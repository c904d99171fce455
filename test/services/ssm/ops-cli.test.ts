/**
 * The AWS CLI (botocore's JSON protocol and its waiters) against SSM's operations resources:
 * a YAML document from a file, a command sent with it and waited for, a maintenance window,
 * the predefined patch baselines, and an error on stderr.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../../support/aws-cli.js';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';

let rt: RuntimeProcess;
let dir: string;
beforeAll(async () => {
  rt = await startRuntime();
  dir = mkdtempSync(join(tmpdir(), 'ssm-cli-'));
});
afterAll(async () => {
  await rt?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const YAML = `---
schemaVersion: '2.2'
description: Prints a greeting
parameters:
  Greeting:
    type: String
    default: hello
mainSteps:
  - action: aws:runShellScript
    name: greet
    inputs:
      runCommand:
        - echo {{ Greeting }}
`;

describe('AWS CLI', () => {
  it('create-document from a YAML file, send-command, wait command-executed, get-command-invocation', async () => {
    const file = join(dir, 'greet.yaml');
    writeFileSync(file, YAML);
    const created = await aws(rt.endpoint, ['ssm', 'create-document', '--name', 'cli-greet', '--document-type', 'Command', '--document-format', 'YAML', '--content', `file://${file}`]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json.DocumentDescription).toMatchObject({ Name: 'cli-greet', DocumentFormat: 'YAML', SchemaVersion: '2.2', Parameters: [{ Name: 'Greeting', Type: 'String', DefaultValue: 'hello' }] });

    const got = await aws(rt.endpoint, ['ssm', 'get-document', '--name', 'cli-greet']);
    expect(got.json.Content).toBe(YAML);

    const sent = await aws(rt.endpoint, ['ssm', 'send-command', '--document-name', 'cli-greet', '--instance-ids', 'i-0123456789abcdef0', '--parameters', 'Greeting=hi']);
    expect(sent.code, sent.stderr).toBe(0);
    const commandId: string = sent.json.Command.CommandId;
    expect(sent.json.Command).toMatchObject({ Parameters: { Greeting: ['hi'] }, Status: 'Pending' });
    const waited = await aws(rt.endpoint, ['ssm', 'wait', 'command-executed', '--command-id', commandId, '--instance-id', 'i-0123456789abcdef0']);
    expect(waited.code, waited.stderr).toBe(0);
    const invocation = await aws(rt.endpoint, ['ssm', 'get-command-invocation', '--command-id', commandId, '--instance-id', 'i-0123456789abcdef0']);
    expect(invocation.json).toMatchObject({ CommandId: commandId, PluginName: 'greet', Status: 'Success', ResponseCode: 0 });
  });

  it('create-maintenance-window, describe-patch-baselines, and an error on stderr', async () => {
    const window = await aws(rt.endpoint, ['ssm', 'create-maintenance-window', '--name', 'cli-window', '--schedule', 'cron(0 2 ? * SUN *)', '--duration', '2', '--cutoff', '1', '--no-allow-unassociated-targets']);
    expect(window.code, window.stderr).toBe(0);
    expect(window.json.WindowId).toMatch(/^mw-[0-9a-f]{17}$/);
    const baselines = await aws(rt.endpoint, ['ssm', 'describe-patch-baselines', '--filters', 'Key=OWNER,Values=AWS', 'Key=OPERATING_SYSTEM,Values=AMAZON_LINUX_2023']);
    expect(baselines.json.BaselineIdentities).toEqual([expect.objectContaining({ BaselineName: 'AWS-AmazonLinux2023DefaultPatchBaseline', DefaultBaseline: true })]);
    const missing = await aws(rt.endpoint, ['ssm', 'describe-document', '--name', 'cli-absent']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('(InvalidDocument) when calling the DescribeDocument operation: The specified document does not exist.');
  });
});
