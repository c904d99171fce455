/**
 * `npm run bench:gateway`: start-up time, idle memory and request throughput of the runtime, each
 * next to a baseline measured in the same run (a bare node:http server), printed as a table
 * and written as JSON under bench/results/.
 *
 * Throughput is measured in rounds: each scenario runs right after a baseline measurement,
 * the ratio is taken within the pair, and the median over the rounds is reported. Noise on
 * a shared machine comes in bursts that last longer than one pair, so it mostly cancels.
 *
 * Options: --duration SECONDS (per measurement, default 3), --rounds N (default 5),
 * --connections N (default 32), --starts N (cold starts per target, default 10),
 * --stream-mib N (size of the streamed upload/download, default 1024), --no-streaming,
 * --no-pipeline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { request } from 'undici';
import { measurePipeline } from './pipeline.js';
import { measureStreaming } from './streaming.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const RUNTIME = join(root, 'dist', 'runtime', 'main.js');
const BASELINE = join(root, 'dist', 'bench', 'baseline-server.js');

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const DURATION = option('duration', 3);
const ROUNDS = option('rounds', 5);
const CONNECTIONS = option('connections', 32);
const STARTS = option('starts', 10);
const STREAM_MIB = option('stream-mib', 1024);
let nextPort = 45000 + Math.floor(Math.random() * 1000);

interface Started {
  child: ChildProcess;
  port: number;
  /** ms from spawn to the first 200 from the health URL */
  startMs: number;
}

const HEALTH = '/_localstack/health';

async function firstOk(url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      const r = await request(url);
      await r.body.dump();
      if (r.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`${url} did not answer 200 in time`);
}

async function start(script: string, env: Record<string, string> = {}): Promise<Started> {
  const port = nextPort++;
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', GATEWAY_LISTEN: `127.0.0.1:${port}`, INIT_HOOKS_DIR: '/nonexistent', ...env },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  await firstOk(`http://127.0.0.1:${port}${HEALTH}`, Date.now() + 15_000);
  const startMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return { child, port, startMs };
}

async function stop(s: Started): Promise<void> {
  if (s.child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    s.child.once('exit', () => resolve());
    s.child.kill('SIGTERM');
  });
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function coldStart(script: string): Promise<{ medianMs: number; runs: number[]; rssMiB: number }> {
  const runs: number[] = [];
  let rss = 0;
  for (let i = 0; i < STARTS; i++) {
    const s = await start(script);
    runs.push(s.startMs);
    if (i === STARTS - 1) {
      await new Promise((r) => setTimeout(r, 1000)); // idle
      rss = rssMiB(s.child.pid!);
    }
    await stop(s);
  }
  return { medianMs: median(runs), runs, rssMiB: rss };
}

const AUTH = (service: string) => `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${'0'.repeat(64)}`;

interface Scenario {
  name: string;
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: string;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'sts:GetCallerIdentity',
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: AUTH('sts'), 'x-amz-date': '20260101T000000Z' },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  },
  {
    name: 'ssm:GetParameter',
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.GetParameter', authorization: AUTH('ssm'), 'x-amz-date': '20260101T000000Z' },
    body: JSON.stringify({ Name: '/bench/parameter' }),
  },
];

async function load(port: number, s: Scenario): Promise<{ rps: number; p50: number; p99: number; errors: number; non2xx: number }> {
  const r = await autocannon({
    url: `http://127.0.0.1:${port}${s.path}`,
    method: s.method,
    headers: s.headers,
    body: s.body,
    connections: CONNECTIONS,
    duration: DURATION,
    pipelining: 1,
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    options: { duration: DURATION, rounds: ROUNDS, connections: CONNECTIONS, starts: STARTS },
  };
  console.log(`bench: ${STARTS} cold starts per target; ${ROUNDS} rounds of ${DURATION}s per load scenario at ${CONNECTIONS} keep-alive connections`);

  const baseStart = await coldStart(BASELINE);
  const ourStart = await coldStart(RUNTIME);
  results.coldStart = { baseline: baseStart, runtime: ourStart };

  const base = await start(BASELINE);
  const rt = await start(RUNTIME);
  // the parameter GetParameter reads
  const put = await request(`http://127.0.0.1:${rt.port}/`, {
    method: 'POST',
    headers: { ...SCENARIOS[1]!.headers, 'x-amz-target': 'AmazonSSM.PutParameter' },
    body: JSON.stringify({ Name: '/bench/parameter', Value: 'value', Type: 'String', Overwrite: true }),
  });
  if (put.statusCode !== 200) throw new Error(`PutParameter failed: ${put.statusCode} ${await put.body.text()}`);
  await put.body.dump();
  type Load = Awaited<ReturnType<typeof load>>;
  const rounds: Record<string, Array<{ baseline: Load; scenario: Load; ratio: number }>> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of SCENARIOS) {
      const baseline = await load(base.port, SCENARIOS[0]!);
      const scenario = await load(rt.port, s);
      (rounds[s.name] ??= []).push({ baseline, scenario, ratio: scenario.rps / baseline.rps });
    }
  }
  /** The round with the median ratio, with the errors of all rounds. */
  const median = (xs: Array<{ baseline: Load; scenario: Load; ratio: number }>) => {
    const sorted = [...xs].sort((a, b) => a.ratio - b.ratio);
    const mid = sorted[sorted.length >> 1]!;
    const errors = xs.reduce((n, x) => n + x.scenario.errors + x.scenario.non2xx, 0);
    return { ...mid, errors };
  };
  const loads: Record<string, ReturnType<typeof median>> = {};
  for (const s of SCENARIOS) loads[s.name] = median(rounds[s.name]!);
  const rssAfter = rssMiB(rt.child.pid!);
  await stop(rt);
  await stop(base);
  results.rounds = rounds;
  results.throughput = loads;
  results.rssAfterLoadMiB = rssAfter;

  const rows: string[][] = [
    ['metric', 'runtime', 'baseline (bare node:http)', 'ratio', 'target'],
    ['cold start to first 200 (median)', `${ourStart.medianMs.toFixed(0)} ms`, `${baseStart.medianMs.toFixed(0)} ms`, `${(ourStart.medianMs / baseStart.medianMs).toFixed(2)}x`, '<= 200 ms'],
    ['RSS idle after start', `${ourStart.rssMiB.toFixed(1)} MiB`, `${baseStart.rssMiB.toFixed(1)} MiB`, `${(ourStart.rssMiB / baseStart.rssMiB).toFixed(2)}x`, '<= 60 MB'],
  ];
  for (const s of SCENARIOS) {
    const { scenario, baseline, ratio, errors } = loads[s.name]!;
    const all = rounds[s.name]!.map((r) => `${(r.ratio * 100).toFixed(0)}`).join('/');
    rows.push([
      `${s.name} req/s (p50/p99 ms)${errors ? ` ERRORS: ${errors}` : ''}`,
      `${scenario.rps.toFixed(0)} (${scenario.p50}/${scenario.p99})`,
      `${baseline.rps.toFixed(0)} (${baseline.p50}/${baseline.p99})`,
      `${(ratio * 100).toFixed(0)} % (rounds: ${all})`,
      '>= 50 %',
    ]);
  }
  rows.push(['RSS after the load', `${rssAfter.toFixed(1)} MiB`, '', '', '']);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log([line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n'));

  if (!process.argv.includes('--no-pipeline')) {
    const pipeline = await measurePipeline();
    results.pipeline = pipeline;
    const prow = [['protocol', 'operation', 'pipeline ops/s', 'JSON round trip ops/s', 'ratio']];
    for (const p of pipeline) {
      prow.push([p.protocol, p.operation, p.opsPerSecond.toFixed(0), p.baselineOpsPerSecond.toFixed(0), `${((p.opsPerSecond / p.baselineOpsPerSecond) * 100).toFixed(0)} %`]);
    }
    const w = prow[0]!.map((_, i) => Math.max(...prow.map((r) => r[i]!.length)));
    const l = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i]!)).join(' | ')} |`;
    console.log(`\nin-process pipeline (parse + dispatch + serialize, no socket):\n${[l(prow[0]!), `|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`, ...prow.slice(1).map(l)].join('\n')}`);
  }

  if (!process.argv.includes('--no-streaming')) {
    const st = await measureStreaming(STREAM_MIB * 1024 * 1024, nextPort++);
    results.streaming = st;
    const srow = [
      ['transfer', 'MB/s', 'file copy MB/s', 'ratio', 'peak RSS growth'],
      [`upload ${STREAM_MIB} MiB (PutObject)`, st.uploadMBps.toFixed(0), st.fileCopyMBps.toFixed(0), `${((st.uploadMBps / st.fileCopyMBps) * 100).toFixed(0)} %`, `${st.uploadRssGrowthMiB.toFixed(1)} MiB`],
      [`download ${STREAM_MIB} MiB (GetObject)`, st.downloadMBps.toFixed(0), st.fileCopyMBps.toFixed(0), `${((st.downloadMBps / st.fileCopyMBps) * 100).toFixed(0)} %`, `${st.downloadRssGrowthMiB.toFixed(1)} MiB`],
    ];
    const w = srow[0]!.map((_, i) => Math.max(...srow.map((r) => r[i]!.length)));
    const l = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i]!)).join(' | ')} |`;
    console.log(`\nstreamed bodies through the gateway (@aws-sdk/client-s3; runtime peak RSS before: ${st.rssBaseMiB.toFixed(1)} MiB):\n${[l(srow[0]!), `|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`, ...srow.slice(1).map(l)].join('\n')}`);
  }

  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  console.log(`raw results: ${file}`);
  const failed = Object.values(loads).some((l) => l.errors > 0);
  if (failed) {
    console.error('bench: some requests failed');
    process.exitCode = 1;
  }
}

void main();
