/**
 * bin/cdklocal.js around a stub `cdk` that prints its arguments and AWS environment: what the
 * real CDK would be given. (The real aws-cdk runs in test/services/cloudformation/cdk.e2e.test.ts.)
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../support/runtime.js';

const CDKLOCAL = join(ROOT, 'bin', 'cdklocal.js');

function cdklocal(args: string[], env: Record<string, string>, cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CDKLOCAL, ...args], { env, cwd, timeout: 30_000 }, (error, stdout, stderr) => {
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

  it("runs the project's own cdk (node_modules/.bin of the directory or a parent) when PATH has none", async () => {
    const project = mkdtempSync(join(tmpdir(), 'cdk-project-'));
    try {
      mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
      mkdirSync(join(project, 'infra', 'lib'), { recursive: true });
      writeFileSync(join(project, 'node_modules', '.bin', 'cdk'), '#!/bin/sh\necho "project cdk: $*"\n');
      chmodSync(join(project, 'node_modules', '.bin', 'cdk'), 0o755);
      const env = { PATH: '/nonexistent', HOME: bin, LOCALSTACK_HOSTNAME: '127.0.0.1' };
      expect(await cdklocal(['synth'], env, join(project, 'infra', 'lib'))).toMatchObject({ code: 0, stdout: 'project cdk: synth\n' });
      // PATH comes first, as a shell would have it
      expect(await cdklocal(['synth'], { ...env, PATH: `${bin}:/usr/bin:/bin` }, project)).toMatchObject({ code: 4 });
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('a missing cdk is one line and exit 127', async () => {
    // a directory with no node_modules above it: this repository's own aws-cdk is out of reach
    const r = await cdklocal(['synth'], { PATH: '/nonexistent', HOME: bin, LOCALSTACK_HOSTNAME: '127.0.0.1' }, bin);
    expect(r).toMatchObject({ code: 127, stdout: '', stderr: 'cdklocal: cdk not found: install the AWS CDK CLI: npm install -g aws-cdk (or npm install -D aws-cdk in the project)\n' });
  });
});
