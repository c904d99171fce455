/**
 * `npm run bench:s3`: the S3 provider of the real runtime (dist/runtime/main.js, bodies on
 * disk under its own volume folder), each figure next to a baseline measured in the same run
 * on the same disk:
 *
 * - Small objects: PutObject and GetObject of 4 KiB bodies at 32 keep-alive connections
 *   (autocannon, raw path-style requests `PUT /bench/key-N` / `GET /bench/key-N` over a
 *   fixed set of keys, after a warm-up), next to fs.promises.writeFile / readFile of 4 KiB
 *   to distinct files with 32 in flight. In rounds as bench/gateway.ts: each S3 measurement right
 *   after its baseline, the ratio taken within the pair, the round with the median ratio
 *   reported. Target: >= 19 000 ops/s (10x LocalStack's published 1 600-1 900 obj/s).
 * - Large objects: a 1 GiB upload and download through @aws-sdk/client-s3 (a generated
 *   stream, never held in memory; the upload aws-chunked with the SDK's CRC32 trailer) in
 *   MB/s, next to a stream copy of a 1 GiB file on the same disk, with the runtime's peak RSS
 *   growth (VmHWM) over each. Targets: >= 50 % of the file copy, <= 64 MiB growth.
 *
 * Options: --duration S (per small-object measurement, default 5), --rounds N (default 3),
 * --connections N (default 32), --keys N (distinct keys, default 1024), --size BYTES (small
 * body, default 4096), --mib N (large object, default 1024), --no-large, --no-small,
 * --only put|get (one of the two small-object measurements), --profile DIR (runs the runtime under `node --cpu-prof`, the profile written to DIR at exit;
 * read it with `node dist/bench/s3.js --top FILE.cpuprofile`).
 * Results are printed and written as JSON under bench/results/s3-*.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import autocannon from 'autocannon';
import { request } from 'undici';
import { fileCopyMBps, peakRssMiB, source, timed } from './streaming.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const RUNTIME = join(root, 'dist', 'runtime', 'main.js');
const BARE = join(root, 'dist', 'bench', 'baseline-server.js');
const MiB = 1024 * 1024;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}
function stringOption(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

const DURATION = option('duration', 5);
const ROUNDS = option('rounds', 3);
const CONNECTIONS = option('connections', 32);
const KEYS = option('keys', 1024);
const SIZE = option('size', 4096);
const LARGE_MIB = option('mib', 1024);
const PROFILE = stringOption('profile');
const ONLY = stringOption('only');
const TARGET_OPS = 19_000;
const BUCKET = 'bench';

// SigV4-shaped like a real SDK's (signatures are not verified by the emulator, as in LocalStack)
const HEADERS = {
  authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${'0'.repeat(64)}`,
  'x-amz-date': '20260101T000000Z',
  'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
};

interface Runtime {
  child: ChildProcess;
  port: number;
  volume: string;
}

/** The real runtime on a free port, with a volume folder of its own on the tmpdir disk. */
async function startRuntime(script = RUNTIME, extraEnv: Record<string, string> = {}): Promise<Runtime> {
  const volume = mkdtempSync(join(tmpdir(), 'bench-s3-volume-'));
  const args = PROFILE && script === RUNTIME ? ['--cpu-prof', '--cpu-prof-dir', PROFILE, script] : [script];
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', GATEWAY_LISTEN: '127.0.0.1:0', INIT_HOOKS_DIR: '/nonexistent', LOCALSTACK_VOLUME_DIR: volume, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the runtime did not start\n${out}\n${err}`)), 15_000);
    const check = () => {
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(err);
      if (m && /^Ready\.$/m.test(out)) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), check()));
    child.stderr!.on('data', (d: Buffer) => ((err += d.toString()), check()));
    child.once('exit', (code) => reject(new Error(`the runtime exited with ${code}\n${err}`)));
  });
  // keep draining the pipes (the runtime logs), or it blocks on a full pipe
  child.stdout!.resume();
  child.stderr!.resume();
  return { child, port, volume };
}

async function stopRuntime(rt: Runtime): Promise<void> {
  if (rt.child.exitCode === null) {
    await new Promise<void>((resolve) => {
      rt.child.once('exit', () => resolve());
      rt.child.kill('SIGTERM');
    });
  }
  rmSync(rt.volume, { recursive: true, force: true });
}

interface Load {
  opsPerSecond: number;
  p50?: number;
  p99?: number;
  errors: number;
}

/** autocannon over KEYS distinct keys, in turn. */
async function s3Load(port: number, method: 'PUT' | 'GET', body: Buffer, duration: number): Promise<Load> {
  let n = 0;
  const r = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration,
    pipelining: 1,
    requests: [
      {
        method,
        headers: method === 'PUT' ? { ...HEADERS, 'content-type': 'application/octet-stream' } : HEADERS,
        ...(method === 'PUT' ? { body } : {}),
        setupRequest: (req) => ({ ...req, path: `/${BUCKET}/key-${n++ % KEYS}` }),
      },
    ],
  });
  return { opsPerSecond: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx };
}

/** The baseline: writeFile or readFile of distinct files, CONNECTIONS in flight, for `duration` s. */
async function fileLoad(dir: string, kind: 'write' | 'read', body: Buffer, duration: number): Promise<Load> {
  let n = 0;
  let done = 0;
  const t0 = process.hrtime.bigint();
  const deadline = Date.now() + duration * 1000;
  const worker = async () => {
    while (Date.now() < deadline) {
      const path = join(dir, `f-${n++ % KEYS}`);
      if (kind === 'write') await writeFile(path, body);
      else if ((await readFile(path)).length !== body.length) throw new Error('short read');
      done++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { opsPerSecond: done / seconds, errors: 0 };
}

interface Pair {
  baseline: Load;
  s3: Load;
  ratio: number;
}

async function smallObjects(port: number, barePort: number): Promise<Record<'put' | 'get', { median: Pair | undefined; rounds: Pair[] }> & { bare: Load[] }> {
  const body = Buffer.alloc(SIZE, 0x61);
  const dir = mkdtempSync(join(tmpdir(), 'bench-s3-files-'));
  try {
    // warm-up: every key and every file exists, the JIT has seen both paths
    await fileLoad(dir, 'write', body, 1);
    for (let i = 0; i < KEYS; i++) await writeFile(join(dir, `f-${i}`), body);
    await s3Load(port, 'PUT', body, 2);
    for (let i = 0; i < KEYS; i++) {
      const r = await request(`http://127.0.0.1:${port}/${BUCKET}/key-${i}`, { method: 'PUT', headers: HEADERS, body });
      await r.body.dump();
      if (r.statusCode !== 200) throw new Error(`PUT key-${i}: ${r.statusCode}`);
    }
    await s3Load(port, 'GET', body, 2);
    const check = await request(`http://127.0.0.1:${port}/${BUCKET}/key-7`, { headers: HEADERS });
    const got = Buffer.from(await check.body.arrayBuffer());
    if (check.statusCode !== 200 || !got.equals(body)) throw new Error(`GET key-7: ${check.statusCode}, ${got.length} bytes`);

    const rounds: Record<'put' | 'get', Pair[]> = { put: [], get: [] };
    const bare: Load[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // the ceiling of this machine and load generator: a bare node:http server, same-size answers
      bare.push(await s3Load(barePort, 'GET', body, DURATION));
      console.log(`round ${round + 1}: bare node:http ${bare.at(-1)!.opsPerSecond.toFixed(0)} req/s`);
      if (ONLY !== 'get') {
        const bw = await fileLoad(dir, 'write', body, DURATION);
        const put = await s3Load(port, 'PUT', body, DURATION);
        rounds.put.push({ baseline: bw, s3: put, ratio: put.opsPerSecond / bw.opsPerSecond });
        console.log(`round ${round + 1}: PUT ${put.opsPerSecond.toFixed(0)}/s (writeFile ${bw.opsPerSecond.toFixed(0)}/s)`);
      }
      if (ONLY !== 'put') {
        const br = await fileLoad(dir, 'read', body, DURATION);
        const get = await s3Load(port, 'GET', body, DURATION);
        rounds.get.push({ baseline: br, s3: get, ratio: get.opsPerSecond / br.opsPerSecond });
        console.log(`round ${round + 1}: GET ${get.opsPerSecond.toFixed(0)}/s (readFile ${br.opsPerSecond.toFixed(0)}/s)`);
      }
    }
    const median = (xs: Pair[]) => [...xs].sort((a, b) => a.ratio - b.ratio)[xs.length >> 1];
    return { put: { median: median(rounds.put), rounds: rounds.put }, get: { median: median(rounds.get), rounds: rounds.get }, bare };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface LargeResult {
  bytes: number;
  fileCopyMBps: number;
  uploadMBps: number;
  downloadMBps: number;
  rssBaseMiB: number;
  uploadRssGrowthMiB: number;
  downloadRssGrowthMiB: number;
}

async function largeObject(rt: Runtime, bytes: number): Promise<LargeResult> {
  // the baseline: a stream copy of a file of the same size, on the disk the volume is on
  const copyMBps = await fileCopyMBps(bytes);
  const s3 = new S3Client({ endpoint: `http://127.0.0.1:${rt.port}`, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, forcePathStyle: true });
  try {
    const put = (key: string, size: number) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: source(size), ContentLength: size }));
    const get = async (key: string, size: number) => {
      const r = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      let n = 0;
      for await (const chunk of r.Body as Readable) n += (chunk as Buffer).length;
      if (n !== size) throw new Error(`download: ${n} of ${size} bytes`);
    };
    await put('warm-up', 8 * MiB);
    await get('warm-up', 8 * MiB);
    const rssBase = peakRssMiB(rt.child.pid!);
    const uploadSeconds = await timed(async () => {
      await put('large', bytes);
    });
    const afterUpload = peakRssMiB(rt.child.pid!);
    const downloadSeconds = await timed(() => get('large', bytes));
    const afterDownload = peakRssMiB(rt.child.pid!);
    return {
      bytes,
      fileCopyMBps: copyMBps,
      uploadMBps: bytes / 1e6 / uploadSeconds,
      downloadMBps: bytes / 1e6 / downloadSeconds,
      rssBaseMiB: rssBase,
      uploadRssGrowthMiB: afterUpload - rssBase,
      downloadRssGrowthMiB: afterDownload - afterUpload,
    };
  } finally {
    s3.destroy();
  }
}

async function createBucket(port: number): Promise<void> {
  const created = await request(`http://127.0.0.1:${port}/${BUCKET}`, { method: 'PUT', headers: HEADERS });
  await created.body.dump();
  if (created.statusCode !== 200) throw new Error(`CreateBucket: ${created.statusCode}`);
}

function table(rows: string[][]): string {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const l = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i]!)).join(' | ')} |`;
  return [l(rows[0]!), `|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`, ...rows.slice(1).map(l)].join('\n');
}

/** `--top FILE`: the functions with the most self time in a .cpuprofile. */
function top(file: string, count = 25): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const f = byId.get(id)!.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${f.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + dt);
  });
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
  for (const [name, t] of rows) console.log(`${((t / total) * 100).toFixed(1).padStart(5)} %  ${name}`);
}

async function main(): Promise<void> {
  const profileFile = stringOption('top');
  if (profileFile) return top(profileFile, option('count', 25));
  const machine = { cpu: cpus()[0]?.model, cores: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadBefore: loadavg(), loadAfter: [] as number[] };
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine,
    options: { duration: DURATION, rounds: ROUNDS, connections: CONNECTIONS, keys: KEYS, size: SIZE, largeMiB: LARGE_MIB },
  };
  console.log(`bench:s3 on ${machine.cpu} x${machine.cores}, load average ${machine.loadBefore.map((x) => x.toFixed(2)).join(' ')}`);
  let rt = await startRuntime();
  let failed = false;
  try {
    await createBucket(rt.port);

    if (!process.argv.includes('--no-small')) {
      // the bare server answers as many bytes as a GET of one object, so that the ceiling
      // costs the load generator what S3's answers cost it
      const bareServer = await startRuntime(BARE, { BASELINE_BODY_SIZE: String(SIZE) });
      let small: Awaited<ReturnType<typeof smallObjects>>;
      try {
        small = await smallObjects(rt.port, bareServer.port);
      } finally {
        await stopRuntime(bareServer);
      }
      results.small = small;
      const bareMedian = [...small.bare].sort((a, b) => a.opsPerSecond - b.opsPerSecond)[small.bare.length >> 1]!;
      const rows = [['operation', 'S3 ops/s (p50/p99 ms)', 'file baseline ops/s', 'ratio (rounds)', 'target', 'met']];
      for (const [name, label, base] of [['put', `PutObject ${SIZE} B`, 'writeFile'], ['get', `GetObject ${SIZE} B`, 'readFile']] as const) {
        const { median, rounds } = small[name];
        if (!median) continue;
        const errors = rounds.reduce((n, r) => n + r.s3.errors, 0);
        if (errors) failed = true;
        rows.push([
          `${label}${errors ? ` ERRORS: ${errors}` : ''}`,
          `${median.s3.opsPerSecond.toFixed(0)} (${median.s3.p50}/${median.s3.p99})`,
          `${base} ${median.baseline.opsPerSecond.toFixed(0)}`,
          `${(median.ratio * 100).toFixed(0)} % (${rounds.map((r) => (r.ratio * 100).toFixed(0)).join('/')})`,
          `>= ${TARGET_OPS}`,
          median.s3.opsPerSecond >= TARGET_OPS ? 'yes' : 'no',
        ]);
      }
      rows.push([`bare node:http, fixed ${SIZE} B answer (ceiling)`, `${bareMedian.opsPerSecond.toFixed(0)} (${bareMedian.p50}/${bareMedian.p99})`, '', `rounds: ${small.bare.map((b) => b.opsPerSecond.toFixed(0)).join('/')}`, '', '']);
      console.log(`\nsmall objects, ${CONNECTIONS} connections, ${KEYS} keys, ${ROUNDS} rounds of ${DURATION} s (the round with the median ratio):\n${table(rows)}`);
    }

    if (!process.argv.includes('--no-large')) {
      // a runtime of its own: peak RSS (VmHWM) is then not the small-object load's
      await stopRuntime(rt);
      rt = await startRuntime();
      await createBucket(rt.port);
      const large = await largeObject(rt, LARGE_MIB * MiB);
      results.large = large;
      const pct = (x: number) => `${((x / large.fileCopyMBps) * 100).toFixed(0)} %`;
      const rows = [
        ['transfer', 'MB/s', 'file copy MB/s', 'ratio', 'peak RSS growth', 'met (>= 50 %, <= 64 MiB)'],
        [`upload ${LARGE_MIB} MiB (PutObject)`, large.uploadMBps.toFixed(0), large.fileCopyMBps.toFixed(0), pct(large.uploadMBps), `${large.uploadRssGrowthMiB.toFixed(1)} MiB`, large.uploadMBps >= large.fileCopyMBps / 2 && large.uploadRssGrowthMiB <= 64 ? 'yes' : 'no'],
        [`download ${LARGE_MIB} MiB (GetObject)`, large.downloadMBps.toFixed(0), large.fileCopyMBps.toFixed(0), pct(large.downloadMBps), `${large.downloadRssGrowthMiB.toFixed(1)} MiB`, large.downloadMBps >= large.fileCopyMBps / 2 && large.downloadRssGrowthMiB <= 64 ? 'yes' : 'no'],
      ];
      console.log(`\nlarge object through @aws-sdk/client-s3 (runtime peak RSS before: ${large.rssBaseMiB.toFixed(1)} MiB):\n${table(rows)}`);
    }
  } finally {
    await stopRuntime(rt);
  }
  machine.loadAfter = loadavg();
  console.log(`load average after: ${machine.loadAfter.map((x) => x.toFixed(2)).join(' ')}`);
  if (PROFILE) console.log(`CPU profile of the runtime written to ${PROFILE} (read it with: node dist/bench/s3.js --top FILE)`);
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `s3-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  console.log(`raw results: ${file}`);
  if (failed) {
    console.error('bench:s3: some requests failed');
    process.exitCode = 1;
  }
}

void main();
