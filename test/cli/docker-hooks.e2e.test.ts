/**
 * Init hooks in the image, as LocalStack users write them: the image is built from this
 * checkout the way the CLI builds it (ensureImage), and run as `docker run` runs it, with a
 * folder of hooks mounted at /etc/localstack/init. A `ready.d` shell hook uses `awslocal`
 * (the image's AWS CLI behind this package's wrapper) and curl, a `.py` hook uses boto3 with
 * no endpoint or credentials, and one hook of each kind fails. Once the runtime prints
 * `Ready.`, what the hooks made exists (checked with the JS SDK from the host) and
 * /_localstack/init shows each hook's state. Then the image built with AWS_CLI=0 says
 * plainly that it has no AWS CLI.
 *
 * Tags, container names and folders are this run's own, and removed in afterAll (the layers
 * stay in the engine's cache). No engine is a failure, not a skip, as in docker.e2e.test.ts.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFiles, ensureImage, PACKAGE_ROOT } from '../../src/docker-image.js';
import { freePort } from '../support/runtime.js';

const SOCKET = process.env.DOCKER_SOCK || '/var/run/docker.sock';
const BASE_IMAGE = 'node:22-bookworm-slim';
const IMAGE = `localstack-ts/localstack:hooks-e2e-${process.pid}`;
const SLIM_IMAGE = `localstack-ts/localstack:hooks-e2e-no-cli-${process.pid}`;
const NAME_PREFIX = 'ls-hooks-e2e-';
const docker = new Docker({ socketPath: SOCKET });

let dir: string;
let name: string;
let endpoint: string;

/** A container's output, stdout and stderr together (the engine multiplexes them without a TTY). */
async function output(container: Docker.Container): Promise<string> {
  const raw = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
  let text = '';
  for (let offset = 0; offset + 8 <= raw.length; ) {
    const size = raw.readUInt32BE(offset + 4);
    text += raw.subarray(offset + 8, offset + 8 + size).toString();
    offset += 8 + size;
  }
  return text;
}

async function removeContainer(id: string): Promise<void> {
  await docker
    .getContainer(id)
    .remove({ force: true, v: true })
    .catch(() => undefined);
}

async function removeImage(tag: string): Promise<void> {
  await docker
    .getImage(tag)
    .remove({ noprune: true })
    .catch(() => undefined);
}

/** Writes a hook (and its folders) readable and runnable by the runtime's unprivileged user. */
function hook(path: string, body: string): void {
  const full = join(dir, 'init', path);
  mkdirSync(join(full, '..'), { recursive: true, mode: 0o755 });
  writeFileSync(full, body);
  chmodSync(full, 0o755);
}

beforeAll(async () => {
  try {
    await docker.ping();
  } catch (error) {
    throw new Error(`no Docker engine answers at ${SOCKET} (${(error as Error).message}): these tests need one; CI runs bash ../shared/env/docker-up.sh first`);
  }
  await docker.getImage(BASE_IMAGE).inspect().catch(() => {
    throw new Error(`the base image ${BASE_IMAGE} is missing (no registry is reachable here): run bash ../shared/env/docker-up.sh`);
  });
  // containers of runs killed before their afterAll
  for (const c of await docker.listContainers({ all: true })) {
    if (c.Names.some((n) => n.startsWith(`/${NAME_PREFIX}`)) && Date.now() / 1000 - c.Created > 1800) await removeContainer(c.Id);
  }
  dir = mkdtempSync(join(tmpdir(), 'ls-hooks-e2e-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  name = `${NAME_PREFIX}${process.pid}-${port}`;
});

afterAll(async () => {
  if (name) await removeContainer(name);
  await removeImage(IMAGE);
  await removeImage(SLIM_IMAGE);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('init hooks in the image', () => {
  it('a ready.d shell hook with awslocal and a .py hook with boto3 have made their bucket and parameter by Ready.; failing hooks are ERROR', { timeout: 900_000 }, async () => {
    const progress = { interactive: false, phase: () => undefined, update: () => undefined, note: () => undefined, succeed: () => undefined, fail: () => undefined, stop: () => undefined };
    await ensureImage(docker, IMAGE, progress);

    hook(
      'ready.d/01-awslocal.sh',
      [
        '#!/bin/bash',
        'set -euo pipefail',
        'awslocal s3 mb s3://sh-hook-bucket',
        'awslocal ssm put-parameter --name /hooks/sh --value "from awslocal" --type String',
        // curl is there too, and the hook knows where the runtime answers
        'curl -sf "$AWS_ENDPOINT_URL/_localstack/health" > /dev/null',
        'echo "shell hook done"',
        '',
      ].join('\n'),
    );
    hook(
      'ready.d/02-boto3.py',
      [
        'import boto3',
        "boto3.client('s3').create_bucket(Bucket='py-hook-bucket')",
        "boto3.client('ssm').put_parameter(Name='/hooks/py', Value='from boto3', Type='String')",
        "print('python hook done')",
        '',
      ].join('\n'),
    );
    hook('ready.d/03-fails.sh', '#!/bin/sh\nawslocal s3api head-bucket --bucket no-such-bucket\n');
    hook('ready.d/04-fails.py', "import boto3\nboto3.client('s3').head_bucket(Bucket='no-such-bucket')\n");
    const volume = join(dir, 'volume');
    mkdirSync(volume);

    const container = await docker.createContainer({
      name,
      Image: IMAGE,
      ExposedPorts: { '4566/tcp': {} },
      HostConfig: {
        PortBindings: { '4566/tcp': [{ HostIp: '127.0.0.1', HostPort: endpoint.split(':').at(-1)! }] },
        Binds: [`${join(dir, 'init')}:/etc/localstack/init:ro`, `${volume}:/var/lib/localstack`],
      },
    });
    await container.start();
    let logs = '';
    const deadline = Date.now() + 120_000;
    while (!/^Ready\.$/m.test(logs) && Date.now() < deadline) {
      const state = (await container.inspect()).State;
      logs = await output(container);
      if (!state.Running) throw new Error(`the container exited (${state.ExitCode}) before Ready.; it printed:\n${logs}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(logs).toMatch(/^Ready\.$/m);
    // the hooks ran before Ready., in order
    const ready = logs.indexOf('\nReady.');
    expect(logs.indexOf('shell hook done')).toBeGreaterThan(-1);
    expect(logs.indexOf('shell hook done')).toBeLessThan(logs.indexOf('python hook done'));
    expect(logs.indexOf('python hook done')).toBeLessThan(ready);
    expect(logs).toMatch(/init script ready\.d\/03-fails\.sh failed with exit code [1-9]\d*\n/);
    expect(logs).toContain('init script ready.d/04-fails.py failed with exit code 1 (an uncaught exception exits 1)');
    expect(logs).toContain('botocore.exceptions.ClientError');

    const status = (await (await fetch(`${endpoint}/_localstack/init`)).json()) as { completed: Record<string, boolean>; scripts: unknown[] };
    expect(status.completed).toMatchObject({ START: true, READY: true });
    expect(status.scripts).toEqual([
      { stage: 'READY', name: '01-awslocal.sh', state: 'SUCCESSFUL' },
      { stage: 'READY', name: '02-boto3.py', state: 'SUCCESSFUL' },
      { stage: 'READY', name: '03-fails.sh', state: 'ERROR' },
      { stage: 'READY', name: '04-fails.py', state: 'ERROR' },
    ]);

    const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
    const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
    const ssm = new SSMClient({ endpoint, region: 'us-east-1', credentials });
    try {
      for (const Bucket of ['sh-hook-bucket', 'py-hook-bucket']) expect((await s3.send(new HeadBucketCommand({ Bucket }))).$metadata.httpStatusCode).toBe(200);
      expect((await ssm.send(new GetParameterCommand({ Name: '/hooks/sh' }))).Parameter).toMatchObject({ Value: 'from awslocal', Version: 1 });
      expect((await ssm.send(new GetParameterCommand({ Name: '/hooks/py' }))).Parameter).toMatchObject({ Value: 'from boto3', Version: 1 });
    } finally {
      s3.destroy();
      ssm.destroy();
    }
    await removeContainer(name);
  });

  it('built with AWS_CLI=0, the image has no AWS CLI or boto3, and awslocal says so in one line', { timeout: 600_000 }, async () => {
    const stream = await docker.buildImage({ context: PACKAGE_ROOT, src: contextFiles()! }, { t: SLIM_IMAGE, buildargs: { VERSION: 'test', AWS_CLI: '0' }, rm: true, forcerm: true });
    const messages = await new Promise<Array<{ error?: string }>>((resolve, reject) =>
      docker.modem.followProgress(stream, (error: Error | null, result: Array<{ error?: string }>) => (error ? reject(error) : resolve(result))),
    );
    expect(messages.filter((m) => m.error)).toEqual([]);

    const run = async (cmd: string[]) => {
      const container = await docker.createContainer({ Image: SLIM_IMAGE, Cmd: cmd, name: `${name}-slim` });
      try {
        await container.start();
        const { StatusCode } = (await container.wait()) as { StatusCode: number };
        return { code: StatusCode, out: await output(container) };
      } finally {
        await removeContainer(container.id);
      }
    };
    const awslocal = await run(['awslocal', 's3', 'ls']);
    expect(awslocal).toEqual({ code: 127, out: 'awslocal: the aws CLI is not installed (neither `aws` on PATH nor `python3 -m awscli`); install it: pip install awscli\n' });
    const boto3 = await run(['python3', '-c', 'import boto3']);
    expect(boto3.code).toBe(1);
    expect(boto3.out).toContain("No module named 'boto3'");
    expect((await run(['curl', '--version'])).code).toBe(0);
  });
});
