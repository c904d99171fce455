/**
 * The model's constraints, checked before the handler (runtime/aws/validation.ts), reach the
 * real clients with AWS's code and message: one case per constraint kind (required, type,
 * length, range, pattern, enum), and nested paths, list items and several violations in model
 * order, through the real runtime process and its real STS (query) and SSM (json) providers.
 * The @aws-sdk clients send anything; boto3 checks required members, types and minimums
 * itself, so it is told not to (parameter_validation off) to show the server's answer; the AWS
 * CLI checks the same, so it shows the rest (maximums, patterns, enums). The runtime answers
 * every one of them and stays up.
 */
import { execFile } from 'node:child_process';
import * as ssm from '@aws-sdk/client-ssm';
import * as sts from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli.js';
import { clientConfig, startRuntime, type RuntimeProcess } from '../support/runtime.js';
import { sdkError } from '../support/sdk-error.js';

interface Case {
  kind: string;
  service: 'sts' | 'ssm';
  op: string;
  input: Record<string, unknown>;
  code: string;
  message: string;
  /** The same request as AWS CLI arguments, where the CLI lets it through. */
  cli?: string[];
}

const ROLE = 'arn:aws:iam::111111111111:role/admin';
const NULL = (path: string) => `Value null at '${path}' failed to satisfy constraint: Member must not be null`;

const CASES: Case[] = [
  {
    kind: 'required',
    service: 'ssm',
    op: 'GetParameter',
    input: {},
    code: 'ValidationException',
    message: `1 validation error detected: ${NULL('name')}`,
  },
  {
    kind: 'required (query)',
    service: 'sts',
    op: 'AssumeRole',
    input: { RoleSessionName: 'ok-name' },
    code: 'ValidationError',
    message: `1 validation error detected: ${NULL('roleArn')}`,
  },
  {
    kind: 'type (query)',
    service: 'sts',
    op: 'GetSessionToken',
    input: { DurationSeconds: 'an hour' },
    code: 'ValidationError',
    message: "1 validation error detected: Value 'an hour' at 'durationSeconds' failed to satisfy constraint: Member must be an integer",
  },
  {
    kind: 'type (json)',
    service: 'ssm',
    op: 'DescribeParameters',
    input: { MaxResults: 'ten' },
    code: 'SerializationException',
    message: 'VALUE_STRING can not be converted to an Integer',
  },
  {
    kind: 'minimum length',
    service: 'sts',
    op: 'AssumeRole',
    input: { RoleArn: ROLE, RoleSessionName: 'x' },
    code: 'ValidationError',
    message: "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
  },
  {
    kind: 'maximum length',
    service: 'ssm',
    op: 'GetParameter',
    input: { Name: 'n'.repeat(2049) },
    code: 'ValidationException',
    message: `1 validation error detected: Value '${'n'.repeat(2049)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 2048`,
    cli: ['ssm', 'get-parameter', '--name', 'n'.repeat(2049)],
  },
  {
    kind: 'minimum value',
    service: 'sts',
    op: 'GetSessionToken',
    input: { DurationSeconds: 60 },
    code: 'ValidationError',
    message: "1 validation error detected: Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
  },
  {
    kind: 'maximum value',
    service: 'ssm',
    op: 'DescribeParameters',
    input: { MaxResults: 51 },
    code: 'ValidationException',
    message: "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50",
    cli: ['ssm', 'describe-parameters', '--max-results', '51', '--no-paginate'],
  },
  {
    kind: 'pattern',
    service: 'sts',
    op: 'AssumeRole',
    input: { RoleArn: ROLE, RoleSessionName: 'has space' },
    code: 'ValidationError',
    message: "1 validation error detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    cli: ['sts', 'assume-role', '--role-arn', ROLE, '--role-session-name', 'has space'],
  },
  {
    kind: 'enum',
    service: 'ssm',
    op: 'PutParameter',
    input: { Name: '/app/x', Value: 'v', Type: 'Number' },
    code: 'ValidationException',
    message: "1 validation error detected: Value 'Number' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [String, StringList, SecureString]",
    cli: ['ssm', 'put-parameter', '--name', '/app/x', '--value', 'v', '--type', 'Number'],
  },
  {
    kind: 'nested path',
    service: 'ssm',
    op: 'AddTagsToResource',
    input: { ResourceType: 'Parameter', ResourceId: '/app/x', Tags: [{ Key: 'ok', Value: 'v' }, { Key: 'bad|key', Value: 'v' }] },
    code: 'ValidationException',
    message:
      "1 validation error detected: Value 'bad|key' at 'tags.2.member.key' failed to satisfy constraint: " +
      'Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$',
    cli: ['ssm', 'add-tags-to-resource', '--resource-type', 'Parameter', '--resource-id', '/app/x', '--tags', 'Key=ok,Value=v', 'Key=bad|key,Value=v'],
  },
  {
    kind: 'list items',
    service: 'ssm',
    op: 'LabelParameterVersion',
    input: { Name: '/app/x', Labels: ['fine', 'l'.repeat(101)] },
    code: 'ValidationException',
    message:
      `1 validation error detected: Value '[fine, ${'l'.repeat(101)}]' at 'labels' failed to satisfy constraint: Member must satisfy constraint: ` +
      '[Member must have length less than or equal to 100, Member must have length greater than or equal to 1]',
    cli: ['ssm', 'label-parameter-version', '--name', '/app/x', '--labels', 'fine', 'l'.repeat(101)],
  },
  {
    kind: 'several, in model order',
    service: 'sts',
    op: 'AssumeRole',
    input: { RoleSessionName: 'x', PolicyArns: [{ arn: 'short' }], DurationSeconds: 60 },
    code: 'ValidationError',
    message:
      `4 validation errors detected: ${NULL('roleArn')}; ` +
      "Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; " +
      "Value 'short' at 'policyArns.1.member.arn' failed to satisfy constraint: Member must have length greater than or equal to 20; " +
      "Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
  },
];

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(async () => {
  await rt?.stop();
});

describe('model validation reaches @aws-sdk clients with AWS\'s code and message', () => {
  for (const c of CASES) {
    it(`${c.kind}: ${c.service}.${c.op}`, async () => {
      const module = (c.service === 'sts' ? sts : ssm) as unknown as Record<string, new (input: unknown) => never>;
      const Client = module[c.service === 'sts' ? 'STSClient' : 'SSMClient'] as unknown as new (config: object) => { send(command: unknown): Promise<unknown> };
      const client = new Client({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
      const e = await sdkError(client.send(new module[`${c.op}Command`]!(c.input)));
      expect({ name: e.name, status: e.status, message: e.message }).toEqual({ name: c.code, status: 400, message: c.message });
    });
  }
});

/** Sends every case with boto3 (parameter validation off), one Python process for all. */
function viaBoto3(endpoint: string): Promise<Array<{ code?: string; status?: number; message?: string; error?: string }>> {
  const script = `
import json, sys, boto3
from botocore.config import Config
cases = json.load(sys.stdin)
out = []
for c in cases:
    client = boto3.client(c['service'], endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test',
                          config=Config(parameter_validation=False, retries={'max_attempts': 1}))
    method = ''.join('_' + ch.lower() if ch.isupper() else ch for ch in c['op']).lstrip('_')
    try:
        getattr(client, method)(**c['input'])
        out.append({'error': 'no error'})
    except client.exceptions.ClientError as e:
        err = e.response['Error']
        out.append({'code': err.get('Code'), 'message': err.get('Message'), 'status': e.response['ResponseMetadata']['HTTPStatusCode']})
print(json.dumps(out))
`;
  return new Promise((resolve, reject) => {
    const child = execFile('python3', ['-c', script, endpoint], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AWS_CONFIG_FILE: '/dev/null' }, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Array<{ code?: string; status?: number; message?: string }>);
    });
    child.stdin!.end(JSON.stringify(CASES.map(({ service, op, input }) => ({ service, op, input }))));
  });
}

describe('… and boto3', () => {
  it('every case, with the same code, status and message', async () => {
    const answers = await viaBoto3(rt.endpoint);
    expect(answers).toEqual(CASES.map((c) => ({ code: c.code, status: 400, message: c.message })));
  }, 60_000);
});

describe('… and the AWS CLI, for what it does not check itself', () => {
  for (const c of CASES.filter((x) => x.cli)) {
    it(`${c.kind}: ${c.cli!.slice(0, 2).join(' ')}`, async () => {
      const r = await aws(rt.endpoint, c.cli!);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim()).toBe(`An error occurred (${c.code}) when calling the ${c.op} operation: ${c.message}`);
    }, 60_000);
  }

  it('the runtime is still up and answers', async () => {
    const client = new sts.STSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
    expect((await client.send(new sts.GetCallerIdentityCommand({}))).Account).toBe('000000000000');
  });
});
