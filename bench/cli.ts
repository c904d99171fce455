/**
 * `npm run bench:cli`: what the `localstack` CLI costs a user, each figure the median of
 * several runs next to a baseline measured in the same run on the same machine:
 *
 *   - `localstack start -d` in Docker with the image present, until it returns (the runtime
 *     answers /_localstack/health), next to `docker run --rm <base image> true`, and to
 *     `docker run -d` of the base image with the same ports published (the engine's share:
 *     it starts one docker-proxy per port); `localstack stop` next to `docker rm -f` of that;
 *   - `localstack start -d --host`, next to spawning `node -e ""`;
 *   - `localstack status services` against a running runtime, next to `node -e ""`;
 *   - the image (bench/image.ts): its size by layer, a first build and a rebuild after a
 *     source change, `docker run` to ready and `docker stop`, next to a plain
 *     node:22-bookworm-slim container running a hello-world server.
 *
 * Printed as tables and written as JSON under bench/results/, with the commit measured (the
 * image is built from the checkout as it is). Runs on its own image tag, container name, port
 * and volume folder (nothing of the user's is touched); the 4510-4559 range is published as
 * users get it when it is free, else a single port of our own (and the table says so).
 * Options: --runs N (starts per target, default 5), --status-runs N (default 15),
 * --only image|cli (one part).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort } from './ports.js';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { BASE_IMAGE, imageBench, type ImageResults } from './image.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(root, 'bin', 'localstack.js');
const SOCKET = process.env.DOCKER_SOCK || '/var/run/docker.sock';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}
const RUNS = option('runs', 5);
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
if (ONLY !== undefined && ONLY !== 'image' && ONLY !== 'cli') throw new Error('--only image|cli');
const STATUS_RUNS = option('status-runs', 15);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs a command to its end; ms from spawn to exit. Fails on a non-zero exit. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${err.trim()}`));
    });
  });
}

const cli = (args: string[], env: NodeJS.ProcessEnv) => timed(process.execPath, [BIN, ...args], env);

async function portFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

interface Row {
  metric: string;
  ms?: number;
  baselineMs?: number;
  baseline?: string;
  runs?: number[];
  baselineRuns?: number[];
  target: string;
  note?: string;
}

/** The CLI part: start/stop in Docker and on the host, status; the image `image` is used (built if missing). */
async function cliBench(image: string): Promise<Row[]> {
  const volume = mkdtempSync(join(tmpdir(), 'ls-bench-cli-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MAIN_CONTAINER_NAME: `ls-bench-cli-${process.pid}`,
    GATEWAY_LISTEN: `127.0.0.1:${port}`,
    LOCALSTACK_VOLUME_DIR: volume,
    CONFIG_DIR: join(volume, 'profiles'),
    DOCKER_SOCK: SOCKET,
    IMAGE_NAME: image,
  };
  let externalNote = 'external ports 4510-4559 published, as by default';
  const defaultRangeFree = (await Promise.all(Array.from({ length: 50 }, (_, i) => portFree(4510 + i)))).every(Boolean);
  if (!defaultRangeFree) {
    const p = await freePort();
    env.EXTERNAL_SERVICE_PORTS_START = String(p);
    env.EXTERNAL_SERVICE_PORTS_END = String(p + 1);
    externalNote = `4510-4559 busy here: one external port (${p}) published instead of 50`;
  }
  const rows: Row[] = [];
  try {
    // the image present and current (a build here is not measured)
    console.log('warm-up: localstack start -d (builds the image if it is missing or stale)');
    await cli(['start', '-d', '--docker'], env);
    await cli(['stop'], env);

    const dockerStarts: number[] = [];
    const dockerStops: number[] = [];
    const dockerBaseline: number[] = [];
    const samePortsRun: number[] = [];
    const samePortsRemove: number[] = [];
    const external = env.EXTERNAL_SERVICE_PORTS_START ? [Number(env.EXTERNAL_SERVICE_PORTS_START)] : Array.from({ length: 50 }, (_, i) => 4510 + i);
    const publish = [port, ...external].flatMap((p) => ['-p', `127.0.0.1:${p}:${p}`]);
    const probe = `ls-bench-cli-probe-${process.pid}`;
    for (let i = 0; i < RUNS; i++) {
      dockerBaseline.push(await timed('docker', ['run', '--rm', BASE_IMAGE, 'true']));
      samePortsRun.push(await timed('docker', ['run', '-d', '--rm', '--name', probe, ...publish, '--entrypoint', 'sleep', BASE_IMAGE, '600']));
      samePortsRemove.push(await timed('docker', ['rm', '-f', probe]));
      dockerStarts.push(await cli(['start', '-d', '--docker'], env));
      dockerStops.push(await cli(['stop'], env));
    }
    rows.push({ metric: 'start -d (Docker, image present)', ms: median(dockerStarts), runs: dockerStarts, baseline: `docker run --rm ${BASE_IMAGE} true`, baselineMs: median(dockerBaseline), baselineRuns: dockerBaseline, target: '<= 2000 ms', note: externalNote });
    rows.push({ metric: '(same) vs the engine with the same ports', ms: median(dockerStarts), baseline: `docker run -d -p x${publish.length / 2} ${BASE_IMAGE} sleep`, baselineMs: median(samePortsRun), baselineRuns: samePortsRun, target: '' });
    rows.push({ metric: 'stop (Docker, until removed)', ms: median(dockerStops), runs: dockerStops, baseline: 'docker rm -f of that', baselineMs: median(samePortsRemove), baselineRuns: samePortsRemove, target: '' });

    const hostStarts: number[] = [];
    const hostStops: number[] = [];
    const nodeSpawn: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      nodeSpawn.push(await timed(process.execPath, ['-e', '']));
      hostStarts.push(await cli(['start', '-d', '--host'], env));
      if (i < RUNS - 1) hostStops.push(await cli(['stop'], env));
    }
    rows.push({ metric: 'start -d --host', ms: median(hostStarts), runs: hostStarts, baseline: 'node -e ""', baselineMs: median(nodeSpawn), baselineRuns: nodeSpawn, target: '<= 500 ms' });

    // the host runtime of the last start answers
    const status: number[] = [];
    const statusBaseline: number[] = [];
    for (let i = 0; i < STATUS_RUNS; i++) {
      statusBaseline.push(await timed(process.execPath, ['-e', '']));
      status.push(await cli(['status', 'services'], env));
    }
    rows.push({ metric: 'status services (runtime up)', ms: median(status), runs: status, baseline: 'node -e ""', baselineMs: median(statusBaseline), baselineRuns: statusBaseline, target: '<= 300 ms' });
    hostStops.push(await cli(['stop'], env));
    rows.push({ metric: 'stop --host', ms: median(hostStops), runs: hostStops, target: '' });
  } finally {
    await cli(['stop'], env).catch(() => undefined);
    await timed('docker', ['rm', '-f', `ls-bench-cli-probe-${process.pid}`]).catch(() => undefined);
    rmSync(volume, { recursive: true, force: true });
  }
  return rows;
}

/** The commit measured, `+changes` when the checkout differs from it. */
function commit(): string {
  try {
    const head = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', root, 'status', '--porcelain'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head}+changes` : head;
  } catch {
    return 'unknown';
  }
}

const mb = (bytes: number) => (bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(1)} MB`);
const fmt = (ms: number | undefined) => (ms === undefined ? '' : `${Math.round(ms)} ms`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function printImage(r: ImageResults): void {
  console.log('');
  console.log(`| layer (ours, build order) | size |`);
  console.log('|---|---|');
  for (const l of r.layers) console.log(`| \`${l.step.replace(/\|/g, '\\|')}\` | ${mb(l.bytes)} |`);
  console.log(`| **ours in all** | **${mb(r.bytes - r.baseBytes)}** |`);
  console.log(`| base ${BASE_IMAGE} | ${mb(r.baseBytes)} |`);
  console.log(`| **image** | **${mb(r.bytes)}** |`);
  console.log('');
  console.log('| measure | ours | plain node:22-bookworm-slim hello-world server | ratio |');
  console.log('|---|---|---|---|');
  console.log(`| first build (--no-cache, ${r.firstBuildSteps} steps) | ${seconds(r.firstBuildMs)} | | |`);
  console.log(`| rebuild after a source change (${r.rebuildCached} of ${r.rebuildSteps} steps from the cache) | ${seconds(r.rebuildMs)} | | |`);
  const ready = median(r.runToReadyMs);
  const baseReady = median(r.baselineRunToReadyMs);
  console.log(`| docker run -d to ready (first 200), median | ${fmt(ready)} | ${fmt(baseReady)} | ${(ready / baseReady).toFixed(2)}x |`);
  const stop = median(r.stopMs);
  const baseStop = median(r.baselineStopMs);
  console.log(`| docker stop, median | ${fmt(stop)} | ${fmt(baseStop)} | ${(stop / baseStop).toFixed(2)}x |`);
}

function printCli(rows: Row[]): void {
  console.log('');
  console.log('| metric | median | baseline | ratio | target |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) {
    const ratio = r.ms !== undefined && r.baselineMs ? `${(r.ms / r.baselineMs).toFixed(2)}x` : '';
    console.log(`| ${r.metric} | ${fmt(r.ms)} | ${r.baseline ? `${r.baseline}: ${fmt(r.baselineMs)}` : ''} | ${ratio} | ${r.target} |`);
  }
  for (const r of rows) if (r.note) console.log(`note (${r.metric}): ${r.note}`);
}

async function main(): Promise<void> {
  const docker = new Docker({ socketPath: SOCKET });
  await docker.ping().catch((error: Error) => {
    throw new Error(`no Docker engine answers at ${SOCKET} (${error.message}); run bash ../shared/env/docker-up.sh`);
  });
  // a tag of the bench's own: the user's :<version> and :latest stay as they are
  const image = `localstack-ts/localstack:bench-${process.pid}`;
  const measured = commit();
  console.log(`measuring commit ${measured}; image ${image}`);
  let imageResults: ImageResults | undefined;
  let rows: Row[] = [];
  try {
    if (ONLY !== 'cli') imageResults = await imageBench(docker, root, image, RUNS, (line) => console.log(line));
    if (ONLY !== 'image') rows = await cliBench(image);
  } finally {
    await docker.getImage(image).remove().catch(() => undefined);
  }
  if (imageResults) printImage(imageResults);
  if (rows.length) printCli(rows);
  console.log(`commit ${measured}; runs: ${RUNS} per measure, ${STATUS_RUNS} status calls`);

  const results = {
    date: new Date().toISOString(),
    commit: measured,
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, docker: (await docker.version()).Version },
    rows,
    image: imageResults,
  };
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `cli-${results.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  console.log(`raw results: ${file}`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
