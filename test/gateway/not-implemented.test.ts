import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli.js';
import { clientConfig, startRuntime, type RuntimeProcess } from '../support/runtime.js';
import { sdkError } from '../support/sdk-error.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(async () => {
  await rt?.stop();
});

describe('an operation no provider implements answers 501, in every protocol', () => {
  it('ec2 DescribeVpcs through @aws-sdk/client-ec2 (ec2 protocol)', async () => {
    const e = await sdkError(new EC2Client(clientConfig(rt.endpoint)).send(new DescribeVpcsCommand({})));
    expect(e).toMatchObject({
      name: 'InternalFailure',
      message: "API action 'DescribeVpcs' for service 'ec2' is not yet implemented",
      status: 501,
      attempts: 1, // 501 is not retried
    });
  });

  it('ec2 describe-vpcs through the AWS CLI', async () => {
    const r = await aws(rt.endpoint, ['ec2', 'describe-vpcs']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('An error occurred (InternalFailure) when calling the DescribeVpcs operation');
    expect(r.stderr).toContain("for service 'ec2' is not yet implemented");
  });

  it('json (dynamodb list-tables), rest-json (lambda list-functions), rest-xml (route53 list-hosted-zones), query (cloudwatch list-metrics)', async () => {
    const cases: Array<[string[], string]> = [
      [['dynamodb', 'list-tables'], 'ListTables'],
      [['lambda', 'list-functions'], 'ListFunctions'],
      [['route53', 'list-hosted-zones'], 'ListHostedZones'],
      [['cloudwatch', 'list-metrics'], 'ListMetrics'],
    ];
    const results = await Promise.all(cases.map(([args]) => aws(rt.endpoint, args)));
    results.forEach((r, i) => {
      const [args, op] = cases[i]!;
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toContain(`An error occurred (InternalFailure) when calling the ${op} operation`);
      expect(r.stderr, args.join(' ')).toContain(`API action '${op}' for service '${args[0]}' is not yet implemented`);
    });
  });

  it('the server keeps serving afterwards', async () => {
    const r = await fetch(`${rt.endpoint}/_localstack/health`);
    expect(r.status).toBe(200);
  });
});
