/**
 * bin/awslocal.js end to end: the real AWS CLI against the real runtime on a free port, with
 * an empty HOME (test credentials, us-east-1) and with ~/.aws files or variables that must be
 * respected (the access key picks the account, the region shows in SSM's ARNs). A missing
 * AWS CLI fails these tests, as in test/support/aws-cli.ts: npm test installs it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { aws } from '../../support/aws-cli.js';
import { ROOT, startRuntime, type RuntimeProcess } from '../../support/runtime.js';

const AWSLOCAL = join(ROOT, 'bin', 'awslocal.js');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
  json?: any;
}

function awslocal(args: string[], env: Record<string, string>, stdin?: string, shell?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(shell ?? process.execPath, shell ? args : [AWSLOCAL, ...args], { env: { AWS_PAGER: '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      let json: unknown;
      try {
        json = stdout.trim() ? JSON.parse(stdout) : undefined;
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json });
    });
    child.stdin.end(stdin ?? '');
  });
}

let runtime: RuntimeProcess;
let home: string;
let base: Record<string, string>;

beforeAll(async () => {
  runtime = await startRuntime();
});
afterAll(async () => {
  await runtime?.stop();
});
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'awslocal-home-'));
  base = { PATH: process.env.PATH ?? '', HOME: home, AWS_ENDPOINT_URL: runtime.endpoint };
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function ssm(region: string) {
  return new SSMClient({ endpoint: runtime.endpoint, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
}

describe('awslocal with nothing configured', () => {
  it('sts get-caller-identity: test credentials, the default account', async () => {
    const r = await awslocal(['sts', 'get-caller-identity', '--output', 'json'], base);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });
  });

  it('ssm put-parameter / get-parameter in us-east-1', async () => {
    const put = await awslocal(['ssm', 'put-parameter', '--name', '/wrappers/bare', '--type', 'String', '--value', 'v1', '--output', 'json'], base);
    expect(put.code, put.stderr).toBe(0);
    expect(put.json).toMatchObject({ Version: 1 });
    const get = await awslocal(['ssm', 'get-parameter', '--name', '/wrappers/bare', '--output', 'json'], base);
    expect(get.json.Parameter).toMatchObject({ Name: '/wrappers/bare', Value: 'v1', ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/wrappers/bare' });
  });

  it('finds the runtime through LOCALSTACK_HOST too', async () => {
    const { AWS_ENDPOINT_URL: _, ...env } = base;
    const r = await awslocal(['sts', 'get-caller-identity', '--output', 'json'], { ...env, LOCALSTACK_HOST: `127.0.0.1:${runtime.port}` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.Account).toBe('000000000000');
  });

  it('passes stdin through', async () => {
    // a shell pipe: Node gives a child a socket for 'pipe', which /dev/stdin cannot open
    const put = await awslocal(
      ['-c', `printf 'from stdin' | "${process.execPath}" "${AWSLOCAL}" ssm put-parameter --name /wrappers/stdin --type String --value file:///dev/stdin`],
      base,
      undefined,
      '/bin/sh',
    );
    expect(put.code, put.stderr).toBe(0);
    expect((await ssm('us-east-1').send(new GetParameterCommand({ Name: '/wrappers/stdin' }))).Parameter?.Value).toBe('from stdin');
  });

  it("exits with aws's exit code and its stderr", async () => {
    const r = await awslocal(['ssm', 'get-parameter', '--name', '/wrappers/missing'], base);
    const plain = await aws(runtime.endpoint, ['ssm', 'get-parameter', '--name', '/wrappers/missing']);
    expect(plain.code).not.toBe(0);
    expect(r.code).toBe(plain.code);
    expect(r.stderr).toContain('ParameterNotFound');
  });
});

describe('awslocal respects what is configured', () => {
  function files(credentials: string, config: string): void {
    mkdirSync(join(home, '.aws'));
    writeFileSync(join(home, '.aws', 'credentials'), credentials);
    writeFileSync(join(home, '.aws', 'config'), config);
  }

  it('~/.aws default profile: its key picks the account, its region is used', async () => {
    files('[default]\naws_access_key_id = 111111111111\naws_secret_access_key = anything\n', '[default]\nregion = eu-west-1\n');
    const who = await awslocal(['sts', 'get-caller-identity', '--output', 'json'], base);
    expect(who.json.Account).toBe('111111111111');
    const put = await awslocal(['ssm', 'put-parameter', '--name', '/wrappers/profile', '--type', 'String', '--value', 'eu', '--output', 'json'], base);
    expect(put.code, put.stderr).toBe(0);
    const get = await awslocal(['ssm', 'get-parameter', '--name', '/wrappers/profile', '--output', 'json'], base);
    expect(get.json.Parameter.ARN).toBe('arn:aws:ssm:eu-west-1:111111111111:parameter/wrappers/profile');
  });

  it('AWS_PROFILE and --profile select a named profile', async () => {
    files('[dev]\naws_access_key_id = 222222222222\naws_secret_access_key = x\n', '[profile dev]\nregion = ap-southeast-2\n');
    let r = await awslocal(['sts', 'get-caller-identity', '--output', 'json'], { ...base, AWS_PROFILE: 'dev' });
    expect(r.json.Account).toBe('222222222222');
    r = await awslocal(['--profile', 'dev', 'ssm', 'put-parameter', '--name', '/wrappers/dev', '--type', 'String', '--value', 'x', '--output', 'json'], base);
    expect(r.code, r.stderr).toBe(0);
    r = await awslocal(['--profile', 'dev', 'ssm', 'get-parameter', '--name', '/wrappers/dev', '--output', 'json'], base);
    expect(r.json.Parameter.ARN).toBe('arn:aws:ssm:ap-southeast-2:222222222222:parameter/wrappers/dev');
  });

  it('environment credentials and region win; a lone key id gets a test secret', async () => {
    const env = { ...base, AWS_ACCESS_KEY_ID: '333333333333', AWS_REGION: 'us-west-2' };
    const who = await awslocal(['sts', 'get-caller-identity', '--output', 'json'], env);
    expect(who.code, who.stderr).toBe(0);
    expect(who.json.Account).toBe('333333333333');
    await awslocal(['ssm', 'put-parameter', '--name', '/wrappers/env', '--type', 'String', '--value', 'w2'], env);
    const get = await awslocal(['ssm', 'get-parameter', '--name', '/wrappers/env', '--output', 'json'], env);
    expect(get.json.Parameter.ARN).toBe('arn:aws:ssm:us-west-2:333333333333:parameter/wrappers/env');
  });

  it('a profile with a region and no credentials still gets test credentials', async () => {
    files('', '[default]\nregion = sa-east-1\n');
    await awslocal(['ssm', 'put-parameter', '--name', '/wrappers/regiononly', '--type', 'String', '--value', 'sa'], base);
    const get = await awslocal(['ssm', 'get-parameter', '--name', '/wrappers/regiononly', '--output', 'json'], base);
    expect(get.code, get.stderr).toBe(0);
    expect(get.json.Parameter.ARN).toBe('arn:aws:ssm:sa-east-1:000000000000:parameter/wrappers/regiononly');
  });
});

describe('awslocal without aws on PATH', () => {
  it('one line and exit 127 when there is no AWS CLI at all', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'empty-path-'));
    try {
      const r = await awslocal(['sts', 'get-caller-identity'], { ...base, PATH: empty });
      expect(r).toMatchObject({ code: 127, stdout: '', stderr: 'awslocal: the aws CLI is not installed (neither `aws` on PATH nor `python3 -m awscli`); install it: pip install awscli\n' });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  // the Python the aws CLI of this machine runs on, when it is a pip install
  let python: string | undefined;
  try {
    python = execFileSync('python3', ['-c', 'import awscli, sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  } catch {
    python = undefined;
  }
  it.skipIf(!python && !process.env.CI)('falls back to python3 -m awscli', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'python-only-'));
    try {
      symlinkSync(python!, join(dir, 'python3'));
      const r = await awslocal(['sts', 'get-caller-identity', '--output', 'json'], { ...base, PATH: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.json.Account).toBe('000000000000');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('awslocal with a stand-in aws', () => {
  let bin: string;
  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), 'fake-aws-'));
    // prints its arguments and PYTHONWARNINGS; `die` makes it end by SIGTERM
    writeFileSync(join(bin, 'aws'), '#!/bin/sh\necho "args: $*"\necho "PYTHONWARNINGS=$PYTHONWARNINGS"\n[ "$2" = die ] && kill -TERM $$\nexit 0\n');
    chmodSync(join(bin, 'aws'), 0o755);
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  it('https: --no-verify-ssl, and urllib3 warnings off', async () => {
    const r = await awslocal(['s3', 'ls'], { PATH: bin, HOME: home, USE_SSL: '1', LOCALSTACK_HOST: 'ls.internal:4443' });
    expect(r.stdout).toBe('args: --endpoint-url=https://ls.internal:4443 --no-verify-ssl s3 ls\nPYTHONWARNINGS=ignore:Unverified HTTPS request\n');
  });

  it('a signal that ends aws ends awslocal with 128 + its number', async () => {
    const r = await awslocal(['die'], { PATH: bin, HOME: home });
    expect(r.code).toBe(128 + 15);
  });
});

