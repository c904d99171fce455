/**
 * One image name on every path, and one volume layout for compose and `localstack start`, end
 * to end with a real engine and the CLI as a real process:
 *   - `localstack image build` tags the version and `:latest`, showing its steps;
 *   - `config validate` says when the image a compose file names is missing, with the command
 *     that makes it, and finds nothing once that command ran;
 *   - Debian's `docker-compose` (v1, apt package docker-compose) runs templates/docker-compose.yml
 *     and LocalStack's documented compose file (with the image validate names): up, healthy
 *     (the container's own healthcheck), S3 and SSM answer, down;
 *   - `start -d` mounts the same folder at the same place, and returns once its ready hooks ran.
 * After each, the volume folder can be deleted by the user who owns it (or the folder around
 * it), without root. These tests run as root, which may delete anything: so the owners are
 * checked explicitly, the folders are made owned by non-root users, and the deletion runs as
 * such a user (setpriv), as they would run it.
 *
 * Everything here has names of this run's own (image tags, containers, compose projects, free
 * ports), and is removed in afterAll; the image layers stay in the engine's cache. No engine,
 * base image, docker-compose or root is a failure in CI (.ci/run installs docker-compose);
 * elsewhere, without docker-compose or root, the suites that need them are skipped.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import Docker from 'dockerode';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_VERSION, packageVersion } from '../../src/docker-image.js';
import { clientConfig, freePort, ROOT } from '../support/runtime.js';

const BIN = join(ROOT, 'bin', 'localstack.js');
const TEMPLATE = join(ROOT, 'templates', 'docker-compose.yml');
const DOCS = join(ROOT, 'test', 'fixtures', 'compose', 'localstack-docs.yml');
const SOCKET = process.env.DOCKER_SOCK || '/var/run/docker.sock';
const BASE_IMAGE = 'node:22-bookworm-slim';
const VERSION = packageVersion();
const PREFIX = `ls-compose-e2e-${process.pid}`;
/** A repository of this run's own, to see `image build` tag the version and `:latest` without touching the user's. */
const BUILD_REPOSITORY = `${PREFIX}/localstack`;
/** Ours, under a tag of this run's own: what the compose files run (the user's `:latest` stays theirs). */
const IMAGE = `localstack-ts/localstack:${PREFIX}`;
/** Non-root users: the owner of the volume folder, and of a project folder Docker creates the volume in. */
const OWNER = 4242;
const OTHER = 4243;
const docker = new Docker({ socketPath: SOCKET });
const hasCompose = (await execa('docker-compose', ['version'], { reject: false })).exitCode === 0;
/** Folders owned by other users, and a command run as one: root's to do (CI runs as root). */
const asRoot = process.getuid?.() === 0;

const folders: string[] = [];
const projects: Array<{ project: string; file: string; env: NodeJS.ProcessEnv }> = [];

/** The environment every process here starts from: none of the user's runtime settings. */
function baseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_SOCK: SOCKET, CONFIG_DIR: join(tmpdir(), `${PREFIX}-profiles`), ...extra };
  for (const name of ['DEBUG', 'SERVICES', 'IMAGE_NAME', 'MAIN_CONTAINER_NAME', 'GATEWAY_LISTEN', 'LOCALSTACK_VOLUME_DIR', 'PERSISTENCE']) if (!(name in extra)) delete env[name];
  return env;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI as a real process, its output captured, `printed` resolving when a text shows up. */
function cliProcess(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  const printed = async (text: string, ms: number) => {
    const deadline = Date.now() + ms;
    while (!stderr.includes(text) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!stderr.includes(text)) throw new Error(`the CLI did not print ${JSON.stringify(text)}; stdout:\n${stdout}\nstderr:\n${stderr}`);
  };
  return { child, done, printed };
}

async function cli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<Run> {
  const run = cliProcess(args, env);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutMs);
  try {
    return await run.done;
  } finally {
    clearTimeout(timer);
  }
}

async function compose(project: string, file: string, args: string[], env: NodeJS.ProcessEnv) {
  return execa('docker-compose', ['-p', project, '-f', file, ...args], { env, reject: false, timeout: 180_000, stdin: 'ignore' });
}

/** `count` consecutive free loopback ports (the external service range is 50 long). */
async function freeRange(count: number): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    if ((await Promise.all(Array.from({ length: count }, (_, i) => free(base + i)))).every(Boolean)) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

/** A project folder owned by `uid`, as a user's checkout is theirs. */
function projectFolder(uid: number): string {
  const dir = mkdtempSync(join(tmpdir(), `${PREFIX}-`));
  folders.push(dir);
  chownSync(dir, uid, uid);
  chmodSync(dir, 0o755);
  return dir;
}

/** Every entry under `dir`, with its owner and mode. */
function entries(dir: string): Array<{ path: string; uid: number; mode: number; dir: boolean }> {
  const out: Array<{ path: string; uid: number; mode: number; dir: boolean }> = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      const st = lstatSync(full);
      out.push({ path: relative(dir, full), uid: st.uid, mode: st.mode & 0o7777, dir: st.isDirectory() });
      if (st.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out;
}

/** `rm -rf path` as the non-root user `uid` (no supplementary groups), as that user would run it. */
function removeAs(uid: number, path: string) {
  return execa('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', 'rm', '-rf', path], { reject: false });
}

async function health(name: string, ms: number): Promise<string | undefined> {
  const deadline = Date.now() + ms;
  let status: string | undefined;
  while (Date.now() < deadline) {
    status = (await docker.getContainer(name).inspect().catch(() => undefined))?.State.Health?.Status;
    if (status === 'healthy' || status === 'unhealthy') return status;
    await new Promise((r) => setTimeout(r, 500));
  }
  return status;
}

async function gone(name: string): Promise<boolean> {
  return docker
    .getContainer(name)
    .inspect()
    .then(
      () => false,
      (error: { statusCode?: number }) => error.statusCode === 404,
    );
}

/** S3 and SSM through the SDK: a bucket, an object back, a parameter back. */
async function useServices(port: number, tag: string): Promise<void> {
  const config = clientConfig(`http://127.0.0.1:${port}`);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const ssm = new SSMClient(config);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: tag }));
    await s3.send(new PutObjectCommand({ Bucket: tag, Key: 'hello.txt', Body: `hello from ${tag}` }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: tag, Key: 'hello.txt' }))).Body!.transformToString()).toBe(`hello from ${tag}`);
    await ssm.send(new PutParameterCommand({ Name: `/${tag}/url`, Type: 'String', Value: 'postgres://db' }));
    expect((await ssm.send(new GetParameterCommand({ Name: `/${tag}/url` }))).Parameter?.Value).toBe('postgres://db');
  } finally {
    s3.destroy();
    ssm.destroy();
  }
}

/** The host folder mounted at /var/lib/localstack in the container `name`. */
async function volumeMount(name: string): Promise<string | undefined> {
  const info = await docker.getContainer(name).inspect();
  return info.Mounts.find((m) => m.Destination === '/var/lib/localstack')?.Source;
}

/** What compose needs to run the template (or LocalStack's file) under this run's names. */
async function composeEnv(name: string, volume: string): Promise<{ env: NodeJS.ProcessEnv; port: number; range: string }> {
  const port = await freePort();
  const base = await freeRange(50);
  const range = `${base}-${base + 49}`;
  const env = baseEnv({
    IMAGE_NAME: IMAGE,
    LOCALSTACK_DOCKER_NAME: name,
    MAIN_CONTAINER_NAME: name,
    LOCALSTACK_PORT: String(port),
    LOCALSTACK_EXTERNAL_PORTS: range,
    LOCALSTACK_VOLUME_DIR: volume,
    GATEWAY_LISTEN: `127.0.0.1:${port}`,
  });
  return { env, port, range };
}

beforeAll(async () => {
  await docker.ping().catch((error: Error) => {
    throw new Error(`no Docker engine answers at ${SOCKET} (${error.message}): these tests need one; CI runs bash ../shared/env/docker-up.sh first`);
  });
  await docker.getImage(BASE_IMAGE).inspect().catch(() => {
    throw new Error(`the base image ${BASE_IMAGE} is missing (no registry is reachable here): run bash ../shared/env/docker-up.sh`);
  });
});

afterAll(async () => {
  for (const { project, file, env } of projects) await compose(project, file, ['down', '--timeout', '5'], env);
  for (const c of await docker.listContainers({ all: true, filters: { name: [PREFIX] } })) {
    await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  }
  // the tags go; the layers stay in the engine's cache for the next run
  for (const tag of [`${BUILD_REPOSITORY}:${VERSION}`, `${BUILD_REPOSITORY}:latest`, IMAGE]) {
    await docker.getImage(tag).remove({ noprune: true }).catch(() => undefined);
  }
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe('one image name on every path', () => {
  it('localstack image build: the version tag and :latest, one build step a line', { timeout: 900_000 }, async () => {
    const r = await cli(['image', 'build'], baseEnv({ IMAGE_NAME: `${BUILD_REPOSITORY}:${VERSION}` }), 900_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${BUILD_REPOSITORY}:${VERSION}\n${BUILD_REPOSITORY}:latest\n`);
    // not a terminal: plain lines, each step as it starts, from the first to the last
    expect(r.stderr).toMatch(/^Building image \[1\/(\d+)\] FROM node:22-bookworm-slim/m);
    const total = /^Building image \[1\/(\d+)\]/m.exec(r.stderr)![1];
    expect(r.stderr).toMatch(new RegExp(`^Building image \\[${total}/${total}\\] \\S+`, 'm'));
    expect(r.stderr).toContain(`built image ${BUILD_REPOSITORY}:${VERSION} and ${BUILD_REPOSITORY}:latest in `);
    expect(r.stderr).not.toContain('\x1b['); // no spinner, no colours
    const versioned = await docker.getImage(`${BUILD_REPOSITORY}:${VERSION}`).inspect();
    const latest = await docker.getImage(`${BUILD_REPOSITORY}:latest`).inspect();
    expect(latest.Id).toBe(versioned.Id);
    expect(versioned.Config.Labels?.[LABEL_VERSION]).toBe(VERSION);
  });

  it('config validate: a missing image is a warning naming the command that makes it; after that command, none', { timeout: 300_000 }, async () => {
    const { env } = await composeEnv(`${PREFIX}-validate`, join(tmpdir(), `${PREFIX}-unused`));
    const before = await cli(['config', 'validate', '-f', TEMPLATE, '--debug'], env);
    expect(before.stderr).toContain('with docker-compose config'); // read by Compose itself
    expect(before.stdout).toBe(
      `warning: service 'localstack' uses ${IMAGE}, which is not in the local Docker engine, and no registry serves it: build it with \`IMAGE_NAME=${IMAGE} localstack image build\`\n`,
    );
    expect(before.code).toBe(1);
    const build = await cli(['image', 'build'], { ...env, IMAGE_NAME: IMAGE }, 900_000);
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toBe(`${IMAGE}\n`);
    const after = await cli(['config', 'validate', '-f', TEMPLATE], env);
    expect(after.stdout).toBe(`${TEMPLATE} is valid\n`);
    expect(after.code, after.stderr).toBe(0);
  });
});

describe.skipIf(!(hasCompose && asRoot) && !process.env.CI)("Debian's docker-compose", () => {
  it('the template: up -d, healthy, S3 and SSM answer, down; the volume (made by its owner) holds only files of that owner, who deletes it', { timeout: 300_000 }, async () => {
    const project = projectFolder(OWNER);
    const volume = join(project, 'volume');
    mkdirSync(volume);
    chownSync(volume, OWNER, OWNER);
    const name = `${PREFIX}-template`;
    const { env, port } = await composeEnv(name, volume);
    projects.push({ project: name, file: TEMPLATE, env });

    const up = await compose(name, TEMPLATE, ['up', '-d'], env);
    expect(up.exitCode, String(up.stderr)).toBe(0);
    expect(await health(name, 120_000)).toBe('healthy');
    expect(await volumeMount(name)).toBe(volume);
    await useServices(port, 'compose-template');
    // the CLI knows the container compose started for the runtime
    const status = await cli(['status', '-f', 'json'], env);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: true, mode: 'docker', image: IMAGE, name, healthy: true });

    const down = await compose(name, TEMPLATE, ['down'], env);
    expect(down.exitCode, String(down.stderr)).toBe(0);
    expect(await gone(name)).toBe(true);
    // the last run's log, where `localstack start` keeps it too
    const logs = await cli(['logs'], env);
    expect(logs.stdout).toMatch(/^Ready\.$/m);

    const found = entries(volume);
    expect(found.map((e) => e.path)).toContain(join('logs', 'localstack.log'));
    expect(found.filter((e) => e.uid !== OWNER)).toEqual([]);
    const rm = await removeAs(OWNER, volume);
    expect(rm.exitCode, String(rm.stderr)).toBe(0);
    expect(existsSync(volume)).toBe(false);
  });

  it("a volume folder Docker creates (root's): after down, the user owning the project folder deletes it without root", { timeout: 300_000 }, async () => {
    const project = projectFolder(OTHER);
    const volume = join(project, 'volume'); // not there: compose has the engine create it
    const name = `${PREFIX}-rootvol`;
    const { env, port } = await composeEnv(name, volume);
    projects.push({ project: name, file: TEMPLATE, env });

    const up = await compose(name, TEMPLATE, ['up', '-d'], env);
    expect(up.exitCode, String(up.stderr)).toBe(0);
    expect(await health(name, 120_000)).toBe('healthy');
    await useServices(port, 'compose-rootvol');
    expect((await compose(name, TEMPLATE, ['down'], env)).exitCode).toBe(0);

    expect(lstatSync(volume).uid).toBe(0);
    const found = entries(volume);
    expect(found.map((e) => e.path)).toContain(join('logs', 'localstack.log'));
    // nothing of root's inside; every folder writable by all, so what is in it can go
    expect(found.filter((e) => e.uid === 0)).toEqual([]);
    expect(found.filter((e) => e.dir && (e.mode & 0o777) !== 0o777)).toEqual([]);
    const rm = await removeAs(OTHER, volume);
    expect(rm.exitCode, String(rm.stderr)).toBe(0);
    expect(existsSync(volume)).toBe(false);
  });

  it("LocalStack's documented compose file: validate names our image; with it, it runs the same way", { timeout: 300_000 }, async () => {
    const project = projectFolder(OWNER);
    const volume = join(project, 'volume');
    mkdirSync(volume);
    chownSync(volume, OWNER, OWNER);
    const name = `${PREFIX}-docs`;
    const { env, port, range } = await composeEnv(name, volume);

    const asIs = await cli(['config', 'validate', '-f', DOCS], env);
    expect(asIs.stdout).toBe(
      "warning: service 'localstack' uses localstack/localstack, LocalStack's image, which needs an auth token since 2026-03: use image localstack-ts/localstack:latest (localstack image build makes it)\n",
    );
    // the change validate asks for (this run's tag standing in for :latest, which is the
    // user's on this engine), and host ports of this run's own instead of 4566 and 4510-4559
    let text = readFileSync(DOCS, 'utf8');
    for (const [from, to] of [
      ['image: localstack/localstack', `image: ${IMAGE}`],
      ['"127.0.0.1:4566:4566"', `"127.0.0.1:${port}:4566"`],
      ['"127.0.0.1:4510-4559:4510-4559"', `"127.0.0.1:${range}:4510-4559"`],
    ] as const) {
      expect(text).toContain(from);
      text = text.replace(from, to);
    }
    const file = join(project, 'docker-compose.yml');
    writeFileSync(file, text);
    projects.push({ project: name, file, env });
    const fixed = await cli(['config', 'validate', '-f', file], env);
    expect(fixed.stdout).toBe(`${file} is valid\n`);

    const up = await compose(name, file, ['up', '-d'], env);
    expect(up.exitCode, String(up.stderr)).toBe(0);
    // no healthcheck in LocalStack's file: the image's own
    expect(await health(name, 120_000)).toBe('healthy');
    expect(await volumeMount(name)).toBe(volume);
    await useServices(port, 'compose-docs');
    expect((await compose(name, file, ['down'], env)).exitCode).toBe(0);
    expect(entries(volume).filter((e) => e.uid !== OWNER)).toEqual([]);
    expect((await removeAs(OWNER, volume)).exitCode).toBe(0);
  });
});

describe.skipIf(!asRoot && !process.env.CI)('localstack start -d: the same volume layout', () => {
  it('mounts the folder at /var/lib/localstack, returns once the ready hooks ran (naming them, reporting a failed one); its files are the owner\'s', { timeout: 300_000 }, async () => {
    const project = projectFolder(OWNER);
    const volume = join(project, 'volume');
    mkdirSync(volume);
    chownSync(volume, OWNER, OWNER);
    const hooks = join(project, 'init');
    mkdirSync(join(hooks, 'ready.d'), { recursive: true });
    // held until the test has seen start name it, so that it certainly runs while start waits
    writeFileSync(join(hooks, 'ready.d', '01-hold.sh'), '#!/bin/sh\ni=0\nwhile [ ! -e /var/lib/localstack/release ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done\necho made > /var/lib/localstack/from-hook\n');
    writeFileSync(join(hooks, 'ready.d', '02-fail.sh'), '#!/bin/sh\necho failing on purpose\nexit 3\n');
    for (const path of [hooks, join(hooks, 'ready.d'), join(hooks, 'ready.d', '01-hold.sh'), join(hooks, 'ready.d', '02-fail.sh')]) chmodSync(path, 0o755);
    const name = `${PREFIX}-start`;
    const port = await freePort();
    const external = await freePort();
    const env = baseEnv({
      IMAGE_NAME: IMAGE,
      MAIN_CONTAINER_NAME: name,
      GATEWAY_LISTEN: `127.0.0.1:${port}`,
      LOCALSTACK_VOLUME_DIR: volume,
      EXTERNAL_SERVICE_PORTS_START: String(external),
      EXTERNAL_SERVICE_PORTS_END: String(external + 1),
    });

    const start = cliProcess(['start', '-d', '-v', `${hooks}:/etc/localstack/init:ro`], env);
    await start.printed('running ready hooks: ready.d/01-hold.sh (1 of 2)', 120_000);
    expect(start.child.exitCode).toBeNull(); // still waiting for the hook
    writeFileSync(join(volume, 'release'), '');
    chownSync(join(volume, 'release'), OWNER, OWNER);
    const r = await start.done;
    expect(r.code, r.stderr).toBe(0);
    // what start said it waited for, in order
    const order = [`creating container ${name} (${IMAGE})`, `waiting for the runtime in ${name} to answer`, 'running ready hooks: ready.d/01-hold.sh (1 of 2)', 'warning: ready hook ready.d/02-fail.sh failed'];
    const at = order.map((text) => r.stderr.indexOf(text));
    expect(at.every((i) => i >= 0), r.stderr).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(readFileSync(join(volume, 'from-hook'), 'utf8')).toBe('made\n'); // the hook was done when start returned

    expect(await volumeMount(name)).toBe(volume);
    await useServices(port, 'start-layout');
    expect((await cli(['stop'], env)).code).toBe(0);
    const found = entries(volume);
    expect(found.map((e) => e.path)).toEqual(expect.arrayContaining([join('logs', 'localstack.log'), 'from-hook']));
    expect(found.filter((e) => e.uid !== OWNER)).toEqual([]);
    expect((await removeAs(OWNER, volume)).exitCode).toBe(0);
    expect(existsSync(volume)).toBe(false);
  });
});
