/**
 * The request log, as LocalStack writes it: one line per AWS request at INFO with service,
 * operation and status (and the error code on failures), copied to LS_LOG_FILE so that
 * `localstack logs` shows it; LS_LOG=warn leaves it out; DEBUG=1 adds timings and the
 * requests that are not AWS operations.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clientConfig, freePort, startRuntime, type RuntimeProcess } from '../support/runtime.js';
import { sdkError } from '../support/sdk-error.js';

const dir = mkdtempSync(join(tmpdir(), 'request-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A few calls through the SDKs: two successes, a client error, a bucket. */
async function traffic(rt: RuntimeProcess): Promise<void> {
  const config = { ...clientConfig(rt.endpoint), maxAttempts: 1 };
  await new STSClient(config).send(new GetCallerIdentityCommand({}));
  const ssm = new SSMClient(config);
  await ssm.send(new PutParameterCommand({ Name: '/log/p', Value: 'v', Type: 'String' }));
  expect(await sdkError(ssm.send(new GetParameterCommand({ Name: '/log/missing' })))).toMatchObject({ name: 'ParameterNotFound' });
  await new S3Client({ ...config, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: 'logged' }));
  await fetch(`${rt.endpoint}/_localstack/health`);
}

const requestLines = (text: string) => text.split('\n').filter((l) => l.includes('[localstack.request.'));

describe('the request log', () => {
  it('is one INFO line per AWS request by default, in the log file too', async () => {
    const file = join(dir, 'default.log');
    const rt = await startRuntime({ env: { LS_LOG_FILE: file } });
    await traffic(rt);
    expect(await rt.stop()).toBe(0);
    const lines = requestLines(rt.stderr());
    expect(lines.map((l) => l.replace(/^\S+ /, ''))).toEqual([
      'INFO  --- [localstack.request.aws] AWS sts.GetCallerIdentity => 200',
      'INFO  --- [localstack.request.aws] AWS ssm.PutParameter => 200',
      'INFO  --- [localstack.request.aws] AWS ssm.GetParameter => 400 (ParameterNotFound)',
      'INFO  --- [localstack.request.aws] AWS s3.CreateBucket => 200',
    ]);
    expect(requestLines(readFileSync(file, 'utf8'))).toEqual(lines);
  });

  it('is left out with LS_LOG=warn', async () => {
    // nothing says `listening on` at WARN: the port is one of our own
    const rt = await startRuntime({ env: { LS_LOG: 'warn', GATEWAY_LISTEN: `127.0.0.1:${await freePort()}` } });
    await traffic(rt);
    expect(await rt.stop()).toBe(0);
    expect(requestLines(rt.stderr())).toEqual([]);
  });

  it('gives timings and the other HTTP requests with DEBUG=1', async () => {
    const rt = await startRuntime({ env: { DEBUG: '1' } });
    await traffic(rt);
    expect(await rt.stop()).toBe(0);
    const lines = requestLines(rt.stderr());
    expect(lines.filter((l) => l.includes('AWS ')).every((l) => / => \d{3}( \(\w+\))? \d+\.\dms$/.test(l)), lines.join('\n')).toBe(true);
    expect(lines.some((l) => /DEBUG --- \[localstack\.request\.http\] GET \/_localstack\/health => 200 \d+\.\dms$/.test(l)), lines.join('\n')).toBe(true);
  });
});
