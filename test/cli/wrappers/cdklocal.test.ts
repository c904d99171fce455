/**
 * bin/cdklocal.js around a stub `cdk` that prints its arguments and AWS environment: what the
 * real CDK would be given. (The real aws-cdk is not exercised here.)
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../support/runtime.js';

const CDKLOCAL = join(ROOT, 'bin', 'cdklocal.js');

function cdklocal(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CDKLOCAL, ...args], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('bin/cdklocal.js', () => {
  let bin: string;
  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), 'fake-cdk-'));
    writeFileSync(join(bin, 'cdk'), '#!/bin/sh\necho "args: $*"\nenv | grep "^AWS_" | sort\nexit 4\n');
    chmodSync(join(bin, 'cdk'), 0o755);
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  it('runs cdk with endpoints at the emulator, test credentials, no other AWS_* variable; exits with its code', async () => {
    const r = await cdklocal(['deploy', '--require-approval', 'never'], {
      PATH: `${bin}:/usr/bin:/bin`,
      HOME: bin,
      AWS_PROFILE: 'production',
      AWS_ACCESS_KEY_ID: 'AKIAREALKEY',
      AWS_SECRET_ACCESS_KEY: 'real',
      // an IP address: no DNS lookup, so the result does not depend on this machine's resolver
      LOCALSTACK_HOSTNAME: '127.0.0.1',
      EDGE_PORT: '4999',
    });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe(
      [
        'args: deploy --require-approval never',
        'AWS_ACCESS_KEY_ID=test',
        'AWS_DEFAULT_REGION=us-east-1',
        'AWS_ENDPOINT_URL=http://127.0.0.1:4999',
        'AWS_ENDPOINT_URL_S3=http://127.0.0.1:4999',
        'AWS_REGION=us-east-1',
        'AWS_SECRET_ACCESS_KEY=test',
        '',
      ].join('\n'),
    );
  });

  it('an AWS_ENDPOINT_URL it cannot derive S3 from is one line, exit 1', async () => {
    const r = await cdklocal(['synth'], { PATH: `${bin}:/usr/bin:/bin`, HOME: bin, AWS_ENDPOINT_URL: 'http://no-such-host.invalid:4566' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'cdklocal: AWS_ENDPOINT_URL is set but AWS_ENDPOINT_URL_S3 is not, and s3.no-such-host.invalid does not resolve: set AWS_ENDPOINT_URL_S3 (an IP address there makes S3 requests path-style)\n',
    );
  });

  it('a missing cdk is one line and exit 127', async () => {
    const r = await cdklocal(['synth'], { PATH: '/nonexistent', HOME: bin, LOCALSTACK_HOSTNAME: '127.0.0.1' });
    expect(r).toMatchObject({ code: 127, stdout: '', stderr: 'cdklocal: cdk not found: install the AWS CDK CLI: npm install -g aws-cdk\n' });
  });
});
