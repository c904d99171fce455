/**
 * Docker mode end to end, with a real Docker engine and the CLI as a real process
 * (`node bin/localstack.js ...`): the image is built once (from this checkout, layers cached by
 * the engine) and one container serves every test in order, under a name, ports and a volume
 * folder of its own, so that nothing of the user's is touched. Every container this file
 * creates is removed in afterAll, also after a failure.
 *
 * No engine is a failure, not a skip: CI runs `bash ../shared/env/docker-up.sh` first.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureImage, LABEL_DIGEST, LABEL_VERSION, packageVersion } from '../../src/docker-image.js';
import { aws } from '../support/aws-cli.js';
import { ROOT, freePort } from '../support/runtime.js';

const BIN = join(ROOT, 'bin', 'localstack.js');
const AWSLOCAL = join(ROOT, 'bin', 'awslocal.js');
const SOCKET = process.env.DOCKER_SOCK || '/var/run/docker.sock';
const BASE_IMAGE = 'node:22-bookworm-slim';
/** A tag of its own: removed (layers kept) before the run, so that `start` goes through the build. */
// a tag of this run's own: two runs on one engine (two CI jobs) must not rebuild each other's
const IMAGE = `localstack-ts/localstack:e2e-${process.pid}`;
const NAME_PREFIX = 'ls-e2e-';
const docker = new Docker({ socketPath: SOCKET });

let name: string;
let port: number;
let endpoint: string;
let volume: string;
let env: NodeJS.ProcessEnv;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI as a real process; `input` is written to its stdin (then closed). */
function cli(args: string[], options: { input?: string; extraEnv?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, ...options.extraEnv }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`localstack ${args.join(' ')} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

async function containerOrUndefined(): Promise<Docker.ContainerInspectInfo | undefined> {
  try {
    return await docker.getContainer(name).inspect();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

async function removeContainer(id: string): Promise<void> {
  await docker
    .getContainer(id)
    .remove({ force: true })
    .catch(() => undefined);
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
  // containers of runs that were killed before their afterAll (a run takes minutes, not half an hour)
  for (const c of await docker.listContainers({ all: true })) {
    if (c.Names.some((n) => n.startsWith(`/${NAME_PREFIX}`)) && Date.now() / 1000 - c.Created > 1800) await removeContainer(c.Id);
  }
  port = await freePort();
  const external = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  name = `${NAME_PREFIX}${process.pid}-${port}`;
  volume = mkdtempSync(join(tmpdir(), 'ls-e2e-'));
  env = {
    ...process.env,
    MAIN_CONTAINER_NAME: name,
    GATEWAY_LISTEN: `127.0.0.1:${port}`,
    LOCALSTACK_VOLUME_DIR: volume,
    // one external service port of our own: 4510-4559 may be a real runtime's
    EXTERNAL_SERVICE_PORTS_START: String(external),
    EXTERNAL_SERVICE_PORTS_END: String(external + 1),
    IMAGE_NAME: IMAGE,
    DOCKER_SOCK: SOCKET,
    CONFIG_DIR: join(volume, 'profiles'),
  };
  delete env.DEBUG;
  delete env.SERVICES;
  await docker
    .getImage(IMAGE)
    .remove({ noprune: true })
    .catch(() => undefined);
});

afterAll(async () => {
  if (!name) return;
  for (const c of await docker.listContainers({ all: true, filters: { name: [name] } })) await removeContainer(c.Id);
  if (volume) rmSync(volume, { recursive: true, force: true });
  // the layers stay in the engine's cache for the next run; the tag goes
  await docker
    .getImage(IMAGE)
    .remove({ noprune: true })
    .catch(() => undefined);
});

describe('localstack start -d in Docker, and the commands that act on the container', () => {
  it('builds the image, starts the container and returns once the runtime answers', { timeout: 900_000 }, async () => {
    const r = await cli(['start', '-d'], { timeoutMs: 900_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`image ${IMAGE} is missing: building it from`);
    expect(r.stderr).toMatch(new RegExp(`built image ${IMAGE} in (\\d+m )?\\d+s, \\d+ of \\d+ steps from the cache`));
    // plain lines (not a terminal): one per build step, then what start waits for
    expect(r.stderr).toMatch(/^Building image \[\d+\/\d+\] FROM node:22-bookworm-slim/m);
    expect(r.stderr).toContain(`creating container ${name} (${IMAGE})`);
    expect(r.stderr).toContain(`waiting for the runtime in ${name} to answer at ${endpoint}/_localstack/health`);
    expect(r.stdout).toContain(`ready at ${endpoint} (container ${name})`);

    const image = await docker.getImage(IMAGE).inspect();
    expect(image.Config.Labels?.[LABEL_VERSION]).toBe(packageVersion());
    expect(image.Config.Labels?.[LABEL_DIGEST]).toMatch(/^[0-9a-f]{64}$/);
    expect(image.Config.Healthcheck?.Test).toEqual(['CMD', 'localstack', 'status', 'services', '-f', 'json']);

    const c = (await containerOrUndefined())!;
    expect(c.State.Running).toBe(true);
    expect(c.HostConfig.AutoRemove).toBe(true);
    expect(c.HostConfig.PortBindings?.[`${port}/tcp`]).toEqual([{ HostIp: '127.0.0.1', HostPort: String(port) }]);
    expect(c.HostConfig.Binds).toEqual(expect.arrayContaining([`${volume}:/var/lib/localstack`, `${SOCKET}:/var/run/docker.sock`]));
    expect(c.Config.Env).toContain(`GATEWAY_LISTEN=0.0.0.0:${port}`);
  });

  it('a second start -d finds it running and returns', async () => {
    const r = await cli(['start', '-d']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`already running: ${name} at ${endpoint}`);
  });

  it('status -f json: docker mode, version, image, name, address, healthy', async () => {
    const r = await cli(['status', '-f', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ running: true, mode: 'docker', version: packageVersion(), image: IMAGE, name, address: endpoint, healthy: true });
    expect(JSON.parse(r.stdout).ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('status services -f json', async () => {
    const r = await cli(['status', 'services', '-f', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ sts: 'available', ssm: 'available' });
  });

  it('answers awslocal (the real AWS CLI): sts get-caller-identity, ssm put-parameter then get-parameter, s3 mb/cp/ls', async () => {
    // as a user runs it: no AWS configuration at all, LOCALSTACK_HOST naming the published port
    const home = mkdtempSync(join(tmpdir(), 'awslocal-home-'));
    const awslocal = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [AWSLOCAL, '--output', 'json', ...args], {
          env: { PATH: process.env.PATH ?? '', HOME: home, LOCALSTACK_HOST: `127.0.0.1:${port}`, AWS_PAGER: '' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
      });
    try {
      const who = await awslocal(['sts', 'get-caller-identity']);
      expect(who.code, who.stderr).toBe(0);
      expect(JSON.parse(who.stdout).Account).toBe('000000000000');
      const put = await awslocal(['ssm', 'put-parameter', '--name', '/e2e/db-url', '--type', 'String', '--value', 'postgres://db']);
      expect(put.code, put.stderr).toBe(0);
      const got = await awslocal(['ssm', 'get-parameter', '--name', '/e2e/db-url']);
      expect(got.code, got.stderr).toBe(0);
      expect(JSON.parse(got.stdout).Parameter).toMatchObject({ Name: '/e2e/db-url', Value: 'postgres://db', Version: 1 });
      // S3 keeps object bodies in the container's volume folder, owned by the runtime's user
      const file = join(home, 'hello.txt');
      writeFileSync(file, 'hello from the host\n');
      const mb = await awslocal(['s3', 'mb', 's3://e2e-bucket']);
      expect(mb.code, mb.stderr).toBe(0);
      const cp = await awslocal(['s3', 'cp', file, 's3://e2e-bucket/dir/hello.txt']);
      expect(cp.code, cp.stderr).toBe(0);
      const ls = await awslocal(['s3', 'ls', '--recursive', 's3://e2e-bucket']);
      expect(ls.code, ls.stderr).toBe(0);
      expect(ls.stdout).toMatch(/\s20 dir\/hello\.txt\n$/);
      const back = await awslocal(['s3', 'cp', 's3://e2e-bucket/dir/hello.txt', '-']);
      expect(back.stdout).toBe('hello from the host\n');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('wait -t returns once the runtime printed Ready.', async () => {
    const r = await cli(['wait', '-t', '30']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('logs, logs -n 1, and logs -f until Ctrl-C', async () => {
    const all = await cli(['logs']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toContain(`listening on http://0.0.0.0:${port}`);
    expect(all.stdout).toMatch(/^Ready\.$/m);
    const last = await cli(['logs', '-n', '1']);
    expect(last.stdout.trim().split('\n')).toHaveLength(1);

    const child = spawn(process.execPath, [BIN, 'logs', '-f'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const deadline = Date.now() + 15_000;
    while (!/^Ready\.$/m.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(out).toMatch(/^Ready\.$/m);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('restart: the services start over (the parameter is gone)', async () => {
    const r = await cli(['restart']);
    expect(r.code, r.stderr).toBe(0);
    const got = await aws(endpoint, ['ssm', 'get-parameter', '--name', '/e2e/db-url']);
    expect(got.code).not.toBe(0);
    expect(got.stderr).toContain('ParameterNotFound');
  });

  it('ssh: a shell in the container, through the docker CLI and through the API alone', async () => {
    const input = 'echo "shell in $(hostname)"; awk \'/^Uid:/ {print "runtime uid " $2}\' /proc/1/status; exit 7\n';
    const viaCli = await cli(['ssh'], { input });
    expect(viaCli.code, viaCli.stderr).toBe(7);
    expect(viaCli.stdout).toMatch(/^shell in [0-9a-f]{12}$/m);
    // the runtime itself runs without root (docker/entrypoint.sh drops it)
    expect(viaCli.stdout).toMatch(/^runtime uid [1-9]\d*$/m);
    // no docker CLI on PATH: dockerode's exec, stdin piped
    const viaApi = await cli(['ssh'], { input, extraEnv: { PATH: dirname(process.execPath) } });
    expect(viaApi.code, viaApi.stderr).toBe(7);
    expect(viaApi.stdout).toMatch(/^shell in [0-9a-f]{12}$/m);
  });

  it("the image's healthcheck (localstack status services in the container) reports it healthy", { timeout: 60_000 }, async () => {
    const deadline = Date.now() + 45_000;
    let health: string | undefined;
    while (Date.now() < deadline) {
      health = (await containerOrUndefined())?.State.Health?.Status;
      if (health === 'healthy') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(health).toBe('healthy');
  });

  it('stop: the container is gone when it returns; status fails; logs show the last run from the volume', async () => {
    const r = await cli(['stop']);
    expect(r.code, r.stderr).toBe(0);
    expect(await containerOrUndefined()).toBeUndefined();
    const status = await cli(['status', '-f', 'json']);
    expect(status.code).toBe(1);
    expect(JSON.parse(status.stdout)).toEqual({ running: false });
    const services = await cli(['status', 'services', '-f', 'json']);
    expect(services.code).toBe(1);
    expect(services.stderr).toContain(`the runtime does not answer at ${endpoint}`);

    const logFile = join(volume, 'logs', 'localstack.log');
    expect(existsSync(logFile)).toBe(true);
    const logs = await cli(['logs']);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toBe(readFileSync(logFile, 'utf8'));
    expect(logs.stdout).toMatch(/^Ready\.$/m);
    expect(logs.stdout).toContain('shutting down');
  });

  it('wait -t gives up with exit 1 when nothing runs', async () => {
    const r = await cli(['wait', '-t', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not ready within 1 s');
  });
});

describe('Docker start failures are one clear line', () => {
  it('a container of that name already exists (another program): start refuses, status and stop leave it alone', async () => {
    const dummy = await docker.createContainer({ name, Image: BASE_IMAGE, Entrypoint: ['sleep'], Cmd: ['300'], HostConfig: { AutoRemove: true } });
    try {
      await dummy.start();
      const r = await cli(['start', '-d']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Error: a container named ${name} already exists (running); remove it (docker rm -f ${name}) or choose another name with MAIN_CONTAINER_NAME`);
      expect((await cli(['status'])).code).toBe(1);
      expect((await cli(['stop'])).code).toBe(1);
      expect((await containerOrUndefined())?.State.Running).toBe(true);
    } finally {
      await removeContainer(dummy.id);
    }
  });

  it('the runtime exits during start: the error carries its last lines, and no container is left', async () => {
    const r = await cli(['start', '-d', '-e', 'GATEWAY_MAX_BODY_SIZE=-1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the runtime in ${name} exited during start (exit code 2); its last lines:`);
    expect(r.stderr).toContain('GATEWAY_MAX_BODY_SIZE must be a positive number of bytes');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const deadline = Date.now() + 10_000;
    while ((await containerOrUndefined()) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
    expect(await containerOrUndefined()).toBeUndefined();
  });

  it('a failing image build: one error with the end of the build log, no container left behind', { timeout: 120_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'ls-e2e-build-'));
    const tag = `${NAME_PREFIX}broken:${port}`;
    const notes: string[] = [];
    const progress = { interactive: false, phase: () => undefined, update: () => undefined, note: (t: string) => void notes.push(t), succeed: () => undefined, fail: () => undefined, stop: () => undefined };
    try {
      writeFileSync(join(root, 'package.json'), '{"name": "broken", "version": "0.0.1"}');
      // an installed package without its sources cannot build: it says so
      await expect(ensureImage(docker, tag, progress, { root })).rejects.toThrow(/has no Dockerfile and sources to build it from/);
      writeFileSync(join(root, '.dockerignore'), '*\n!Dockerfile\n!package.json\n');
      writeFileSync(join(root, 'Dockerfile'), `FROM ${BASE_IMAGE}\nCOPY package.json /\nRUN echo about to fail && exit 3\n`);
      const before = new Set((await docker.listContainers({ all: true })).map((c) => c.Id));
      const error = await ensureImage(docker, tag, progress, { root }).then(() => undefined, (e: Error) => e);
      expect(error?.message).toMatch(new RegExp(`^building the image ${tag} failed: .*returned a non-zero code: 3`));
      expect(error?.message).toContain('last lines of the build:');
      expect(error?.message).toContain('about to fail');
      expect(notes[0]).toContain(`image ${tag} is missing: building it from ${root}`);
      // forcerm: the failed step's container is removed
      const left = (await docker.listContainers({ all: true })).filter((c) => !before.has(c.Id) && c.Command.includes('about to fail'));
      expect(left).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('ssh with the runtime on the host is one line saying so', async () => {
    const started = await cli(['start', '--host', '-d']);
    expect(started.code, started.stderr).toBe(0);
    try {
      const r = await cli(['ssh']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^Error: ssh opens a shell in the runtime's container, and the runtime runs as a process on this machine \(pid \d+\); it has no container\n$/);
    } finally {
      await cli(['stop']);
    }
  });
});

/** The CLI as a real process in the foreground: its output as it comes, and how it ended (code AND signal). */
function foreground(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const listeners = new Set<() => void>();
  const take = (d: Buffer) => {
    out += d.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  return {
    child,
    exited,
    output: () => out,
    /** Resolves once the output contains `text` (as it is written: no polling), rejects after `ms`. */
    printed(text: string, ms: number): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!out.includes(text)) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`the CLI did not print ${JSON.stringify(text)} within ${ms} ms; it printed:\n${out}`));
        }, ms);
        listeners.add(check);
        check();
      });
    },
  };
}

/**
 * Resolves at the engine's next `action` event for the container named `container` (subscribed
 * before the caller acts, so that the event cannot be missed), rejects after `ms`.
 */
async function engineEvent(container: string, action: 'create' | 'start' | 'destroy', ms: number): Promise<() => Promise<void>> {
  const stream = (await docker.getEvents({ filters: { type: ['container'], event: [action], container: [container] } })) as NodeJS.ReadableStream & { destroy(): void };
  const seen = new Promise<void>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      stream.destroy();
      reject(new Error(`the engine reported no ${action} of ${container} within ${ms} ms`));
    }, ms);
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (!line.trim()) continue;
        const event = JSON.parse(line) as { Action?: string; Actor?: { Attributes?: { name?: string } } };
        if (event.Action === action && event.Actor?.Attributes?.name === container) {
          clearTimeout(timer);
          stream.destroy();
          resolve();
        }
      }
    });
  });
  return () => seen;
}

describe('localstack start in the foreground (Docker)', () => {
  it('prints the runtime output until Ctrl-C, which stops the container; exits 0', { timeout: 90_000 }, async () => {
    const run = foreground(['start', '--no-banner']);
    await run.printed('Ready.', 60_000);
    expect(JSON.parse((await cli(['status', '-f', 'json'])).stdout)).toMatchObject({ running: true, mode: 'docker' });
    run.child.kill('SIGINT');
    // the code and the signal: killed by the signal's default action would be { code: null, signal: 'SIGINT' }
    expect(await run.exited, run.output()).toEqual({ code: 0, signal: null });
    expect(run.output()).toContain(`SIGINT: stopping ${name}`);
    expect(run.output()).toContain('shutting down');
    const gone = Date.now() + 10_000;
    while ((await containerOrUndefined()) && Date.now() < gone) await new Promise((r) => setTimeout(r, 100));
    expect(await containerOrUndefined()).toBeUndefined();
  });

  it('Ctrl-C while the container starts: it is stopped once started, exit 130', { timeout: 120_000 }, async () => {
    // A boot hook holds the runtime in the container before it listens until the test lets it
    // go, so the CLI is certainly still starting when the signal lands, however loaded the
    // machine: the test waits for events (the engine starting the container, the CLI's
    // answer to the signal), never for time to pass.
    const hooks = mkdtempSync(join(tmpdir(), 'ls-e2e-hooks-'));
    const release = join(volume, 'release-boot');
    try {
      mkdirSync(join(hooks, 'boot.d'));
      writeFileSync(
        join(hooks, 'boot.d', 'hold.sh'),
        '#!/bin/sh\n# holds the boot stage until the test creates the release file (at most 60 s)\ni=0\nwhile [ ! -e /var/lib/localstack/release-boot ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done\n',
      );
      // the runtime runs as an unprivileged user in the container: it must read the hooks
      for (const path of [hooks, join(hooks, 'boot.d'), join(hooks, 'boot.d', 'hold.sh')]) chmodSync(path, 0o755);

      const started = await engineEvent(name, 'start', 60_000);
      const run = foreground(['start', '--no-banner', '-v', `${hooks}:/etc/localstack/init:ro`]);
      await started().catch((error: Error) => {
        throw new Error(`${error.message}; the CLI printed:\n${run.output()}`);
      });
      // the container runs and its runtime is held at boot: the CLI waits for it to answer
      expect(run.output()).not.toContain(`container ${name} started`);
      run.child.kill('SIGINT');
      await run.printed(`SIGINT: stopping ${name} once it has started`, 30_000);
      writeFileSync(release, '');
      // the code and the signal: the CLI handles the signal (exit 130), it is never killed by it
      expect(await run.exited, run.output()).toEqual({ code: 130, signal: null });
      expect(run.output()).toContain(`interrupted (SIGINT) while starting: ${name} stopped`);
      const gone = Date.now() + 10_000;
      while ((await containerOrUndefined()) && Date.now() < gone) await new Promise((r) => setTimeout(r, 100));
      expect(await containerOrUndefined()).toBeUndefined();
    } finally {
      rmSync(hooks, { recursive: true, force: true });
      rmSync(release, { force: true });
    }
  });
});
