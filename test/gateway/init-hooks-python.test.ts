/**
 * `.py` init hooks on a host (no Docker): they run with python3 and reach the runtime with
 * boto3 alone (the endpoint, credentials and region come from the environment the runtime
 * gives hooks), a shell hook's `awslocal` reaches it the same way, a raised exception is an
 * ERROR, and so is a machine without python3. Resources are checked with the JS SDK.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hookEnvironment, localEndpoint } from '../../runtime/internal/init-hooks.js';
import { ROOT, startRuntime } from '../support/runtime.js';

let dir: string;

function script(root: string, path: string, body: string, executable = false): void {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, body);
  if (executable) chmodSync(full, 0o755);
}

interface InitStatus {
  completed: Record<string, boolean>;
  scripts: Array<{ stage: string; name: string; state: string }>;
}

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'init-hooks-py-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('.py init hooks on a host', () => {
  it('run with python3: boto3 with no endpoint or credentials reaches the runtime; a raised exception is an ERROR; shell hooks with awslocal beside them', async () => {
    const hooks = join(dir, 'hooks');
    const seen = join(dir, 'environment.json');
    script(
      hooks,
      'ready.d/01-seed.py',
      [
        'import json, os',
        'import boto3',
        `keys = ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_DEFAULT_REGION', 'AWS_REGION']`,
        `json.dump({k: os.environ.get(k) for k in keys}, open(${JSON.stringify(seen)}, 'w'))`,
        "boto3.client('s3').create_bucket(Bucket='py-hook-bucket')",
        "boto3.client('ssm').put_parameter(Name='/hooks/py', Value='from python', Type='String')",
        "print('seeded from python')",
        '',
      ].join('\n'),
    );
    script(hooks, 'ready.d/02-raises.py', "raise RuntimeError('this hook fails on purpose')\n");
    // not executable: LocalStack runs .py hooks whatever their mode
    script(hooks, 'ready.d/03-awslocal.sh', '#!/bin/sh\nset -e\nawslocal s3 mb s3://sh-hook-bucket\nawslocal ssm put-parameter --name /hooks/sh --value "from sh" --type String >/dev/null\n', true);
    script(hooks, 'ready.d/notes.txt', 'not a hook');

    // `awslocal` is this package's wrapper, linked onto PATH as the image links it
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(join(ROOT, 'bin', 'awslocal.js'), join(bin, 'awslocal'));
    const rt = await startRuntime({ env: { INIT_HOOKS_DIR: hooks, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` } });
    try {
      const status = (await (await fetch(`${rt.endpoint}/_localstack/init`)).json()) as InitStatus;
      expect(status.completed.READY).toBe(true);
      expect(status.scripts, rt.stderr()).toEqual([
        { stage: 'READY', name: '01-seed.py', state: 'SUCCESSFUL' },
        { stage: 'READY', name: '02-raises.py', state: 'ERROR' },
        { stage: 'READY', name: '03-awslocal.sh', state: 'SUCCESSFUL' },
      ]);
      expect(rt.stdout()).toContain('seeded from python');
      expect(await rt.waitForStderr('init script ready.d/02-raises.py')).toContain('init script ready.d/02-raises.py failed with exit code 1 (an uncaught exception exits 1)');
      expect(rt.stderr()).toContain('RuntimeError: this hook fails on purpose');

      expect(JSON.parse(readFileSync(seen, 'utf8'))).toEqual({
        AWS_ENDPOINT_URL: rt.endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_REGION: 'us-east-1',
      });
      const s3 = new S3Client({ endpoint: rt.endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
      const ssm = new SSMClient({ endpoint: rt.endpoint, region: 'us-east-1', credentials });
      for (const Bucket of ['py-hook-bucket', 'sh-hook-bucket']) expect((await s3.send(new HeadBucketCommand({ Bucket }))).$metadata.httpStatusCode).toBe(200);
      expect((await ssm.send(new GetParameterCommand({ Name: '/hooks/py' }))).Parameter?.Value).toBe('from python');
      expect((await ssm.send(new GetParameterCommand({ Name: '/hooks/sh' }))).Parameter?.Value).toBe('from sh');
      s3.destroy();
      ssm.destroy();
    } finally {
      expect(await rt.stop()).toBe(0);
    }
  });

  it('without python3 on PATH, a .py hook is an ERROR with one line saying so; the others still run', async () => {
    const hooks = join(dir, 'no-python');
    const marker = join(dir, 'shell-ran');
    script(hooks, 'ready.d/01-needs-python.py', "print('never')\n");
    script(hooks, 'ready.d/02-shell.sh', `#!/bin/sh\n: > "${marker}"\n`, true);
    // a PATH with node alone: no python3 (nor sh) to be found
    const bin = join(dir, 'node-only');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const rt = await startRuntime({ env: { INIT_HOOKS_DIR: hooks, PATH: bin } });
    try {
      const status = (await (await fetch(`${rt.endpoint}/_localstack/init/ready`)).json()) as Omit<InitStatus, 'completed'>;
      expect(status.scripts).toEqual([
        { stage: 'READY', name: '01-needs-python.py', state: 'ERROR' },
        { stage: 'READY', name: '02-shell.sh', state: 'SUCCESSFUL' },
      ]);
      expect(await rt.waitForStderr('01-needs-python.py cannot run')).toContain('init script ready.d/01-needs-python.py cannot run: python3 is not installed (a .py hook runs with python3 from PATH)');
      expect(readFileSync(marker, 'utf8')).toBe('');
    } finally {
      expect(await rt.stop()).toBe(0);
    }
  });
});

describe('the environment hooks get', () => {
  it('fills in the endpoint, test credentials and region only where the environment has none', () => {
    const endpoint = 'http://127.0.0.1:4566';
    expect(hookEnvironment({ PATH: '/bin' }, endpoint)).toEqual({
      PATH: '/bin',
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_REGION: 'us-east-1',
      PYTHONUNBUFFERED: '1',
    });
    // the user's own settings win; a region in either variable goes to both
    const own = hookEnvironment({ AWS_ENDPOINT_URL: 'http://other:1', AWS_ACCESS_KEY_ID: 'AKIDMINE', AWS_REGION: 'eu-west-1', PYTHONUNBUFFERED: '0' }, endpoint);
    expect(own).toMatchObject({ AWS_ENDPOINT_URL: 'http://other:1', AWS_ACCESS_KEY_ID: 'AKIDMINE', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'eu-west-1', AWS_REGION: 'eu-west-1', PYTHONUNBUFFERED: '0' });
    // a profile names credentials of its own: none are added
    expect(hookEnvironment({ AWS_PROFILE: 'dev', AWS_DEFAULT_REGION: 'ap-south-1' }, undefined)).toEqual({
      AWS_PROFILE: 'dev',
      AWS_DEFAULT_REGION: 'ap-south-1',
      AWS_REGION: 'ap-south-1',
      PYTHONUNBUFFERED: '1',
    });
  });

  it('reaches a wildcard address through loopback', () => {
    expect(localEndpoint([{ host: '0.0.0.0', port: 4566 }])).toBe('http://127.0.0.1:4566');
    expect(localEndpoint([{ host: '::', port: 4566 }])).toBe('http://[::1]:4566');
    expect(localEndpoint([{ host: '::1', port: 1 }, { host: '127.0.0.1', port: 2 }])).toBe('http://127.0.0.1:2');
    expect(localEndpoint([])).toBeUndefined();
  });
});
