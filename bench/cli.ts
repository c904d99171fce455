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
 *   - the image's size, and what our layers add to the base image.
 *
 * Printed as a table and written as JSON under bench/results/. Runs on its own container
 * name, port and volume folder; the 4510-4559 range is published as users get it when it is
 * free, else a single port of our own (and the table says so).
 * Options: --runs N (starts per target, default 5), --status-runs N (default 15).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort } from './ports.js';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(root, 'bin', 'localstack.js');
const BASE_IMAGE = 'node:22-bookworm-slim';
const SOCKET = process.env.DOCKER_SOCK || '/var/run/docker.sock';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}
const RUNS = option('runs', 5);
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

async function main(): Promise<void> {
  const docker = new Docker({ socketPath: SOCKET });
  await docker.ping().catch((error: Error) => {
    throw new Error(`no Docker engine answers at ${SOCKET} (${error.message}); run bash ../shared/env/docker-up.sh`);
  });
  const volume = mkdtempSync(join(tmpdir(), 'ls-bench-cli-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MAIN_CONTAINER_NAME: `ls-bench-cli-${process.pid}`,
    GATEWAY_LISTEN: `127.0.0.1:${port}`,
    LOCALSTACK_VOLUME_DIR: volume,
    CONFIG_DIR: join(volume, 'profiles'),
    DOCKER_SOCK: SOCKET,
  };
  delete env.IMAGE_NAME;
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

  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const image = `localstack-ts/localstack:${version}`;
  const size = (await docker.getImage(image).inspect()).Size;
  const baseSize = (await docker.getImage(BASE_IMAGE).inspect()).Size;
  const mb = (bytes: number) => bytes / 1e6;

  const fmt = (ms: number | undefined) => (ms === undefined ? '' : `${Math.round(ms)} ms`);
  console.log('');
  console.log('| metric | median | baseline | ratio | target |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) {
    const ratio = r.ms !== undefined && r.baselineMs ? `${(r.ms / r.baselineMs).toFixed(2)}x` : '';
    console.log(`| ${r.metric} | ${fmt(r.ms)} | ${r.baseline ? `${r.baseline}: ${fmt(r.baselineMs)}` : ''} | ${ratio} | ${r.target} |`);
  }
  console.log(`| image ${image} | ${mb(size).toFixed(1)} MB | ${BASE_IMAGE}: ${mb(baseSize).toFixed(1)} MB | +${mb(size - baseSize).toFixed(1)} MB ours | <= 250 MB |`);
  for (const r of rows) if (r.note) console.log(`note (${r.metric}): ${r.note}`);
  console.log(`runs: ${RUNS} starts per target, ${STATUS_RUNS} status calls`);

  const results = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, docker: (await docker.version()).Version },
    rows,
    image: { name: image, bytes: size, baseImage: BASE_IMAGE, baseBytes: baseSize, addedBytes: size - baseSize },
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
