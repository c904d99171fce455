/**
 * The parameters no account owns, at the level of the wire: AWS's public parameters under
 * `/aws/service/` (global infrastructure, AMI aliases) read with GetParameter, GetParameters
 * and GetParametersByPath, never written, never listed as the account's; and
 * `/aws/reference/secretsmanager/` references, answered as AWS answers a secret that does not
 * exist while there is no Secrets Manager here (the lookup itself: ssm-secret-references.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionOf } from '../../../runtime/aws/arns.js';
import { AWS_REGIONS } from '../../../runtime/aws/regions.js';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectAnswer, jsonRpc, send } from '../../support/wire.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(async () => {
  await rt?.stop();
});

const HEADERS = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': /^[0-9a-f-]{36}$/ };
const DATE = expect.any(Number);
const INFRA = '/aws/service/global-infrastructure';
const AL2023 = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';
const JAMMY = '/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id';

function ok(operation: string, input: unknown, json: unknown, region = 'us-east-1') {
  return expectAnswer(rt.endpoint, jsonRpc('ssm', `AmazonSSM.${operation}`, input, { region }), { status: 200, headers: HEADERS, json });
}

function fails(operation: string, input: unknown, type: string, message: string) {
  return expectAnswer(rt.endpoint, jsonRpc('ssm', `AmazonSSM.${operation}`, input), { status: 400, headers: HEADERS, json: { __type: type, message } });
}

/** A public String parameter as GetParameter answers it: version 1, an ARN without account. */
function publicParameter(name: string, value: unknown, region = 'us-east-1') {
  return { Name: name, Type: 'String', Value: value, Version: 1, LastModifiedDate: DATE, ARN: `arn:aws:ssm:${region}::parameter${name}`, DataType: 'text' };
}

async function valueOf(name: string, region = 'us-east-1'): Promise<string> {
  const answer = await send(rt.endpoint, jsonRpc('ssm', 'AmazonSSM.GetParameter', { Name: name }, { region }));
  return (JSON.parse(answer.text) as { Parameter: { Value: string } }).Parameter.Value;
}

async function allByPath(input: Record<string, unknown>, region = 'us-east-1'): Promise<Array<{ Name: string; Value: string }>> {
  const out: Array<{ Name: string; Value: string }> = [];
  let NextToken: string | undefined;
  do {
    const answer = await send(rt.endpoint, jsonRpc('ssm', 'AmazonSSM.GetParametersByPath', { ...input, NextToken }, { region }));
    expect(answer.status, answer.text).toBe(200);
    const page = JSON.parse(answer.text) as { Parameters: Array<{ Name: string; Value: string }>; NextToken?: string };
    out.push(...page.Parameters);
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

describe('global infrastructure', () => {
  it('answers a region long name and a service, in the caller region, without account in the ARN', async () => {
    await ok('GetParameter', { Name: `${INFRA}/regions/us-east-1/longName` }, { Parameter: publicParameter(`${INFRA}/regions/us-east-1/longName`, 'US East (N. Virginia)') });
    await ok('GetParameter', { Name: `${INFRA}/regions/eu-west-1/longName` }, { Parameter: publicParameter(`${INFRA}/regions/eu-west-1/longName`, 'Europe (Ireland)', 'eu-west-1') }, 'eu-west-1');
    await ok('GetParameter', { Name: `${INFRA}/services/lambda/longName` }, { Parameter: publicParameter(`${INFRA}/services/lambda/longName`, 'AWS Lambda') });
    await ok('GetParameter', { Name: `arn:aws:ssm:us-east-1::parameter${INFRA}/regions/us-east-1` }, { Parameter: publicParameter(`${INFRA}/regions/us-east-1`, 'us-east-1') });
  });

  it('lists the regions of the partition one level down, and a region services recursively', async () => {
    const regions = await allByPath({ Path: `${INFRA}/regions` });
    const expected = [...AWS_REGIONS].filter((r) => partitionOf(r) === 'aws').sort();
    expect(regions.map((p) => p.Name)).toEqual(expected.map((r) => `${INFRA}/regions/${r}`));
    expect(regions.map((p) => p.Value)).toEqual(expected);
    const below = await allByPath({ Path: `${INFRA}/regions/us-east-1`, Recursive: true });
    expect(below.map((p) => p.Name)).toEqual(expect.arrayContaining([`${INFRA}/regions/us-east-1/longName`, `${INFRA}/regions/us-east-1/services/s3`]));
    expect(below.find((p) => p.Name.endsWith('/partition'))?.Value).toBe('aws');
    expect(below.find((p) => p.Name.endsWith('/services/ssm'))?.Value).toBe('ssm');
    await ok('GetParametersByPath', { Path: `${INFRA}/services/sqs/regions`, MaxResults: 2 }, {
      Parameters: [publicParameter(`${INFRA}/services/sqs/regions/af-south-1`, 'af-south-1'), publicParameter(`${INFRA}/services/sqs/regions/ap-east-1`, 'ap-east-1')],
      NextToken: expect.any(String),
    });
  });
});

describe('AMI aliases', () => {
  it('answers plausible AMI ids, stable per region, one id for a release and its codename', async () => {
    const id = await valueOf(AL2023);
    expect(id).toMatch(/^ami-[0-9a-f]{17}$/);
    expect(await valueOf(AL2023)).toBe(id);
    expect(await valueOf(AL2023, 'eu-west-1')).not.toBe(id);
    await ok('GetParameter', { Name: JAMMY }, { Parameter: publicParameter(JAMMY, expect.stringMatching(/^ami-[0-9a-f]{17}$/)) });
    expect(await valueOf(JAMMY.replace('22.04', 'jammy'))).toBe(await valueOf(JAMMY));
    const amis = await allByPath({ Path: '/aws/service/ami-amazon-linux-latest' });
    expect(amis.map((p) => p.Name)).toEqual(expect.arrayContaining([AL2023, '/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2']));
    expect(amis.find((p) => p.Name === AL2023)?.Value).toBe(id);
  });

  it('answers GetParameters beside the account own, and unknown public names as not found', async () => {
    await ok('PutParameter', { Name: '/app/ami', Value: 'ami-0123', Type: 'String' }, { Tier: 'Standard', Version: 1 });
    await ok('GetParameters', { Names: [AL2023, '/app/ami', '/aws/service/ami-amazon-linux-latest/no-such-image'] }, {
      Parameters: [expect.objectContaining({ Name: '/app/ami', Value: 'ami-0123' }), publicParameter(AL2023, expect.stringMatching(/^ami-/))],
      InvalidParameters: ['/aws/service/ami-amazon-linux-latest/no-such-image'],
    });
    await fails('GetParameter', { Name: '/aws/service/ami-amazon-linux-latest/no-such-image' }, 'ParameterNotFound', '');
    await fails('GetParameter', { Name: `${AL2023}:2` }, 'ParameterVersionNotFound', `Systems Manager could not find version 2 of ${AL2023}. Verify the version and try again.`);
  });
});

describe('ownership', () => {
  it('cannot be written, and is not the account parameters', async () => {
    await fails('PutParameter', { Name: AL2023, Value: 'ami-mine', Type: 'String', Overwrite: true }, 'AccessDeniedException',
      `No access to reserved parameter name: ${AL2023.slice(1)}.`);
    await fails('PutParameter', { Name: 'awsthing', Value: 'v', Type: 'String' }, 'AccessDeniedException', 'No access to reserved parameter name: awsthing.');
    await fails('PutParameter', { Name: '/AWS/mine', Value: 'v', Type: 'String' }, 'AccessDeniedException', 'No access to reserved parameter name: AWS/mine.');
    await fails('DeleteParameter', { Name: AL2023 }, 'AccessDeniedException', `No access to reserved parameter name: ${AL2023.slice(1)}.`);
    await fails('DeleteParameter', { Name: 'aws-cdk-playground' }, 'AccessDeniedException', 'No access to reserved parameter name: aws-cdk-playground.');
    await fails('PutParameter', { Name: 'ssmthing', Value: 'v', Type: 'String' }, 'ValidationException',
      'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
    expect(await valueOf(AL2023)).toMatch(/^ami-[0-9a-f]{17}$/);
    await ok('DescribeParameters', {}, { Parameters: [expect.objectContaining({ Name: '/app/ami' })] });
    expect((await allByPath({ Path: '/', Recursive: true })).map((p) => p.Name)).toEqual(['/app/ami']);
    await fails('GetParameterHistory', { Name: AL2023 }, 'ParameterNotFound', '');
  });
});

describe('/aws/reference/secretsmanager/', () => {
  const REF = '/aws/reference/secretsmanager/';
  it('refuses a reference read without decryption, or malformed, before any lookup', async () => {
    await fails('GetParameter', { Name: `${REF}db-password` }, 'ValidationException', 'WithDecryption flag must be True for retrieving a Secret Manager secret.');
    await fails('GetParameter', { Name: `${REF}db-password:a:b`, WithDecryption: true }, 'ValidationException',
      'Invalid parameter name. Please use correct syntax for referencing a version/label  <name>:<version/label>');
  });

  it('answers a secret that cannot be found with the text AWS sends', async () => {
    const missing = 'An error occurred (ParameterNotFound) when referencing Secrets Manager: Secret aws/reference/secretsmanager/';
    await fails('GetParameter', { Name: `${REF}db-password`, WithDecryption: true }, 'ParameterNotFound', `${missing}db-passwordnull not found.`);
    await fails('GetParameter', { Name: `${REF}db-password:AWSPREVIOUS`, WithDecryption: true }, 'ParameterNotFound', `${missing}db-password:AWSPREVIOUS not found.`);
    await ok('GetParameters', { Names: [`${REF}db-password`, '/app/ami'], WithDecryption: true }, {
      Parameters: [expect.objectContaining({ Name: '/app/ami' })],
      InvalidParameters: [`${REF}db-password`],
    });
  });
});
