/**
 * The image part of `npm run bench:cli`: what the runtime's image costs, next to a plain
 * `node:22-bookworm-slim` container running a hello-world HTTP server, measured the same way in
 * the same run:
 *
 *   - the image's size by layer (`docker history`), ours apart from the base image's;
 *   - a first build (`--no-cache`: every step, the npm installs from the registry included;
 *     the base image is present) and a rebuild after a source change (one line appended to a
 *     file under src/, the engine's cache as a developer has it), through the CLI's own
 *     buildImage, as `localstack image build` runs it;
 *   - `docker run -d` to ready (the first 200 from the published port: /_localstack/health
 *     for ours, `/` for the hello-world server), and `docker stop` (the hello-world server
 *     ends on SIGTERM, as any server should; without that `docker stop` waits its 10 s).
 *
 * The build works on a copy of the build context (the files .dockerignore lets in), so the
 * checkout is never touched, under tags of the bench's own. The first build's tag is left
 * for the CLI part of the bench (same sources as the checkout, so `start` finds it current);
 * the caller removes it.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type Docker from 'dockerode';
import { buildImage, contextFiles } from '../src/docker-image.js';
import type { Progress } from '../src/output.js';
import { freePort } from './ports.js';

export const BASE_IMAGE = 'node:22-bookworm-slim';

/** The hello-world server of the baseline container: answers `/`, ends on SIGTERM. */
const HELLO = "const s=require('http').createServer((q,r)=>r.end('hello'));s.listen(8080);process.on('SIGTERM',()=>s.close(()=>process.exit(0)))";

export interface Layer {
  /** The Dockerfile instruction, shortened. */
  step: string;
  bytes: number;
}

export interface ImageResults {
  image: string;
  bytes: number;
  baseBytes: number;
  /** Our layers (the base image's apart), in build order; empty ones left out. */
  layers: Layer[];
  firstBuildMs: number;
  firstBuildSteps: number;
  rebuildMs: number;
  rebuildCached: number;
  rebuildSteps: number;
  runToReadyMs: number[];
  baselineRunToReadyMs: number[];
  stopMs: number[];
  baselineStopMs: number[];
}

/** A Progress that keeps quiet except for the lines worth a log. */
function quiet(log: (line: string) => void): Progress {
  return { interactive: false, phase: () => undefined, update: () => undefined, note: log, succeed: log, fail: log, stop: () => undefined };
}

function timed(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - t0) / 1e6) : reject(new Error(`${cmd} ${args.join(' ')}: ${err.trim()}`))));
  });
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** `docker run -d` to the first 200 at `url`, then `docker stop`: both in ms. */
async function runAndStop(name: string, runArgs: string[], url: string): Promise<[number, number]> {
  const t0 = process.hrtime.bigint();
  await timed('docker', ['run', '-d', '--rm', '--name', name, ...runArgs]);
  const deadline = Date.now() + 60_000;
  while (!(await answers(url))) {
    if (Date.now() > deadline) throw new Error(`${name} did not answer at ${url} within 60 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const ready = Number(process.hrtime.bigint() - t0) / 1e6;
  const stop = await timed('docker', ['stop', name]);
  // --rm: the name is free once the engine has removed it
  while (await timed('docker', ['inspect', name]).then(() => true, () => false)) await new Promise((r) => setTimeout(r, 20));
  return [ready, stop];
}

/** Our layers with their instructions, from `docker history` (newest first there). */
async function layers(docker: Docker, image: string): Promise<Layer[]> {
  const ours = (await docker.getImage(image).history()) as Array<{ CreatedBy: string; Size: number }>;
  const base = (await docker.getImage(BASE_IMAGE).history()) as unknown[];
  return ours
    .slice(0, ours.length - base.length)
    .reverse()
    .filter((l) => l.Size > 0)
    .map((l) => ({ step: describeLayer(l.CreatedBy), bytes: l.Size }));
}

/** A history entry as the Dockerfile line it came from: `COPY dir:<digest> in dist` is `COPY ... dist`. */
export function describeLayer(createdBy: string): string {
  return createdBy
    .replace(/^\/bin\/sh -c (#\(nop\) )?/, '')
    .replace(/^(COPY|ADD) (?:dir|file|multi):[0-9a-f]+ in /, '$1 ... ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 90);
}

/** Copies the build context of `root` to a new folder (the checkout is never built in place). */
function copyContext(root: string): string {
  const files = contextFiles(root);
  if (!files) throw new Error(`${root} has no Dockerfile and .dockerignore to build from`);
  const copy = mkdtempSync(join(tmpdir(), 'ls-bench-image-'));
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(root, file), join(copy, file));
  }
  return copy;
}

export async function imageBench(docker: Docker, root: string, tag: string, runs: number, log: (line: string) => void): Promise<ImageResults> {
  const copy = copyContext(root);
  const changedTag = `${tag}-changed`;
  try {
    log(`first build of ${tag} (--no-cache: every step, npm installs from the registry)`);
    const first = await buildImage(docker, tag, { progress: quiet(log), root: copy, noCache: true });
    // a developer's edit: one line more in a CLI source file
    const edited = join(copy, 'src', 'output.ts');
    writeFileSync(edited, `${readFileSync(edited, 'utf8')}\n// bench: a source change\n`);
    log('rebuild after a source change (src/output.ts), the cache as the first build left it');
    const rebuild = await buildImage(docker, changedTag, { progress: quiet(log), root: copy });
    await docker.getImage(changedTag).remove().catch(() => undefined);

    const results: ImageResults = {
      image: tag,
      bytes: first.bytes,
      baseBytes: (await docker.getImage(BASE_IMAGE).inspect()).Size,
      layers: await layers(docker, tag),
      firstBuildMs: first.elapsedMs,
      firstBuildSteps: first.steps,
      rebuildMs: rebuild.elapsedMs,
      rebuildCached: rebuild.cached,
      rebuildSteps: rebuild.steps,
      runToReadyMs: [],
      baselineRunToReadyMs: [],
      stopMs: [],
      baselineStopMs: [],
    };
    const name = `ls-bench-image-${process.pid}`;
    for (let i = 0; i < runs; i++) {
      log(`docker run to ready, then docker stop: run ${i + 1} of ${runs}`);
      const port = await freePort();
      const [ready, stop] = await runAndStop(name, ['-p', `127.0.0.1:${port}:4566`, tag], `http://127.0.0.1:${port}/_localstack/health`);
      results.runToReadyMs.push(ready);
      results.stopMs.push(stop);
      const basePort = await freePort();
      const [baseReady, baseStop] = await runAndStop(`${name}-base`, ['-p', `127.0.0.1:${basePort}:8080`, BASE_IMAGE, 'node', '-e', HELLO], `http://127.0.0.1:${basePort}/`);
      results.baselineRunToReadyMs.push(baseReady);
      results.baselineStopMs.push(baseStop);
    }
    return results;
  } finally {
    rmSync(copy, { recursive: true, force: true });
    for (const n of [`ls-bench-image-${process.pid}`, `ls-bench-image-${process.pid}-base`]) await docker.getContainer(n).remove({ force: true }).catch(() => undefined);
  }
}
