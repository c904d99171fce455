/**
 * `npm run bench`: our runtime side by side with the emulators users would pick instead,
 * through the same load generator, on the same machine, in the same run.
 *
 * For each target (ours in host mode; moto, LocalStack in host mode, MiniStack, fakecloud
 * where bench/install-peers.sh could install them; any running endpoint given with
 * `--target name=URL`): the time from spawn to the first answered API call (a signed STS
 * GetCallerIdentity), RSS idle and after the load (the whole process group), and for each
 * scenario (scenarios.ts; messaging.ts, whose cycles need answers: cycles.ts) at each
 * concurrency, requests/s (or cycles/s), p50 and p99 latency and errors,
 * and a large S3 object up and down in MB/s next to a file copy (large.ts),
 * from one load generator (an undici pool; see load()).
 * The bare node:http server of bench/baseline-server.ts is measured the same way as the
 * physical ceiling. One table (absolute figures, ours / peer and ours / baseline ratios) is
 * printed and the raw results written as JSON under bench/results/.
 *
 * Options: --targets a,b,...   (default ours,moto,localstack,ministack,fakecloud)
 *          --target NAME=URL    (repeatable: measure an endpoint that already runs)
 *          --scenarios sts,ssm,s3,sqs,sns  (name prefixes; default all)
 *          --connections 1,32   --duration SECONDS (default 5)   --starts N (default 3)
 *          --large MIB          (the S3 upload/download object, default 1024; 0 skips it)
 *          --smoke              (1 s per measurement, ours only unless --targets says more;
 *                                exits non-zero on any error: CI runs this)
 */
import { readFileSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../ports.js';
import { Pool, request } from 'undici';
import { fileCopyMBps } from '../streaming.js';
import { largeTransfer, type LargeResult } from './large.js';
import { loadCycles, prepareWorkers, type CycleScenario, type Load, type PreparedWorkers } from './cycles.js';
import { MESSAGING_SCENARIOS } from './messaging.js';
import { SCENARIOS, type Scenario } from './scenarios.js';
import { sign } from './signing.js';
import { BUILTIN_TARGETS, externalTarget, launch, ROOT, type Running, type TargetSpec } from './targets.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}
function args(name: string): string[] {
  return process.argv.flatMap((a, i) => (a === `--${name}` && process.argv[i + 1] ? [process.argv[i + 1]!] : []));
}

const SMOKE = process.argv.includes('--smoke');
const DURATION = Number(arg('duration') ?? (SMOKE ? 1 : 5));
const CONNECTIONS = (arg('connections') ?? '1,32').split(',').map(Number);
const STARTS = Number(arg('starts') ?? (SMOKE ? 1 : 3));
const SCENARIO_FILTER = arg('scenarios')?.split(',');
/** MiB of the large-object scenario (0: skip it). */
const LARGE_MIB = Number(arg('large') ?? (SMOKE ? 8 : 1024));
const TARGET_NAMES = (arg('targets') ?? (SMOKE ? 'ours' : 'ours,moto,localstack,ministack,fakecloud')).split(',').filter(Boolean);

type AnyScenario = Scenario | CycleScenario;
const ALL_SCENARIOS: readonly AnyScenario[] = [...SCENARIOS, ...MESSAGING_SCENARIOS];

/** One scenario at each of CONNECTIONS: a static one's signed requests in turn, or a cycle scenario's workers. */
async function measureScenario(scenario: AnyScenario, host: string, bare: boolean, each: (connections: number, load: Load) => void): Promise<void> {
  if ('worker' in scenario) {
    const prepared: PreparedWorkers = new Map();
    for (const c of CONNECTIONS) each(c, await loadCycles(scenario, host, bare, await prepareWorkers(scenario, host, bare, c, prepared), DURATION));
    return;
  }
  if (!bare) await scenario.setup?.(host);
  const requests = await scenario.requests(host);
  for (const c of CONNECTIONS) each(c, await load(host, requests, c));
}

interface ScenarioResult {
  scenario: string;
  connections: number;
  load?: Load;
  error?: string;
}

interface TargetResult {
  name: string;
  describe: string;
  status: 'ok' | 'not installed' | 'failed to start';
  reason?: string;
  startupMs?: number[];
  rssIdleMiB?: number;
  rssAfterMiB?: number;
  scenarios: ScenarioResult[];
  large?: LargeResult | { error: string };
}

/** RSS of a process and its process group (LocalStack and MiniStack run helpers), in MiB. */
function groupRssMiB(pid: number): number {
  let kib = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pid && Number(entry) !== pid) continue; // pgrp
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'));
      if (m) kib += Number(m[1]);
    } catch {
      // gone meanwhile
    }
  }
  return kib / 1024;
}

/** Polls a signed GetCallerIdentity until it answers 2xx; ms since `since`. */
async function firstAnsweredCall(host: string, since: number, timeoutMs: number, alive: () => boolean): Promise<number> {
  const deadline = since + timeoutMs;
  while (performance.now() < deadline) {
    if (!alive()) throw new Error('exited');
    try {
      const r = await sign('sts', host, { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
      const res = await request(`http://${host}/`, { method: 'POST', headers: r.headers, body: r.body });
      await res.body.dump();
      if (res.statusCode < 300) return performance.now() - since;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no answer within ${timeoutMs / 1000} s`);
}

/**
 * The load generator: `connections` workers on an undici Pool of as many keep-alive
 * connections, each sending the scenario's requests in turn (starting at its own offset)
 * for DURATION seconds. undici rather than autocannon because a peer whose server closes
 * the connection after each answer (moto's Werkzeug) stalls autocannon's connection for good,
 * while a pool opens a new one, as an SDK's agent does; every target gets the same generator.
 */
async function load(host: string, requests: Awaited<ReturnType<Scenario['requests']>>, connections: number): Promise<Load> {
  const pool = new Pool(`http://${host}`, { connections, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const started = performance.now();
  const end = started + DURATION * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, worker) => {
      for (let i = worker % requests.length; performance.now() < end; i = (i + 1) % requests.length) {
        const q = requests[i]!;
        const t = performance.now();
        try {
          const res = await pool.request({ method: q.method as 'GET', path: q.path, headers: q.headers, body: q.body });
          await res.body.dump();
          if (res.statusCode >= 300) non2xx++;
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => (latencies.length ? Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1)) : 0);
  return { rps: latencies.length / seconds, requests: latencies.length, p50: at(0.5), p99: at(0.99), errors, non2xx };
}

async function measureTarget(spec: TargetSpec, scenarios: readonly AnyScenario[]): Promise<TargetResult> {
  const result: TargetResult = { name: spec.name, describe: spec.describe, status: 'ok', scenarios: [] };
  const missing = spec.missing();
  if (missing) return { ...result, status: 'not installed', reason: missing };
  let running: Running | undefined;
  try {
    // start-up: spawn to the first answered call, STARTS times (the last start stays up)
    result.startupMs = [];
    for (let i = 0; i < (spec.url ? 0 : STARTS); i++) {
      await running?.stop();
      const port = await freePort();
      const since = performance.now();
      running = launch(spec, port);
      const r = running;
      try {
        result.startupMs.push(await firstAnsweredCall(r.host, since, 120_000, () => r.child?.exitCode === null && r.child?.signalCode === null));
      } catch (e) {
        return { ...result, status: 'failed to start', reason: `${(e as Error).message}: ${r.output().trim().split('\n').slice(-3).join(' | ')}` };
      }
    }
    running ??= launch(spec, 0);
    const pid = running.child?.pid;
    await new Promise((r) => setTimeout(r, 1000));
    if (pid) result.rssIdleMiB = groupRssMiB(pid);
    for (const scenario of scenarios) {
      try {
        await measureScenario(scenario, running.host, false, (connections, load) => {
          result.scenarios.push({ scenario: scenario.name, connections, load });
          console.log(`  ${spec.name}: ${scenario.name} @${connections}: ${load.rps.toFixed(0)} ${'worker' in scenario && scenario.per === 'cycle' ? 'cycles' : 'req'}/s (p50 ${load.p50} ms)${load.errors + load.non2xx ? `, ${load.errors} errors, ${load.non2xx} non-2xx` : ''}`);
        });
      } catch (e) {
        for (const connections of CONNECTIONS) if (!result.scenarios.some((s) => s.scenario === scenario.name && s.connections === connections)) result.scenarios.push({ scenario: scenario.name, connections, error: (e as Error).message.slice(0, 160) });
        console.log(`  ${spec.name}: ${scenario.name}: ${(e as Error).message.slice(0, 160)}`);
      }
    }
    if (pid) result.rssAfterMiB = groupRssMiB(pid);
    if (LARGE_MIB > 0) {
      try {
        result.large = await largeTransfer(running.host, LARGE_MIB * 1024 * 1024, pid ? () => groupRssMiB(pid) : undefined);
        console.log(`  ${spec.name}: ${LARGE_MIB} MiB up ${result.large.uploadMBps.toFixed(0)} MB/s, down ${result.large.downloadMBps.toFixed(0)} MB/s`);
      } catch (e) {
        result.large = { error: (e as Error).message.slice(0, 160) };
        console.log(`  ${spec.name}: ${LARGE_MIB} MiB: ${result.large.error}`);
        const said = running.output().trim();
        if (said) console.log(`  ${spec.name} said:\n${said.split('\n').slice(-10).join('\n')}`);
      }
    }
    return result;
  } finally {
    await running?.stop();
  }
}

/** The bare server, answering GETs with `getBytes` when given (baseline-server.ts). */
function bareSpec(getBytes?: number): TargetSpec {
  return {
    name: 'bare node:http',
    describe: 'bench/baseline-server.ts',
    services: [],
    missing: () => undefined,
    command: (port) => ({ file: process.execPath, args: [join(ROOT, 'dist', 'bench', 'baseline-server.js')], env: { GATEWAY_LISTEN: `127.0.0.1:${port}`, ...(getBytes ? { BASELINE_GET_BODY_SIZE: String(getBytes) } : {}) } }),
  };
}

interface Baseline {
  startupMs: number[];
  rssIdleMiB: number;
  /** By scenario, then by connections: the scenario's own requests, answered by the bare server. */
  loads: Record<string, Record<number, Load>>;
}

/**
 * The bare server's start-up and idle RSS, and each scenario's requests sent to it (answered
 * with as many bytes as the scenario's reads get back, see Scenario.bareGetBytes).
 */
async function measureBaseline(scenarios: readonly AnyScenario[]): Promise<Baseline> {
  const startupMs: number[] = [];
  let running: Running | undefined;
  try {
    for (let i = 0; i < STARTS; i++) {
      await running?.stop();
      const port = await freePort();
      const since = performance.now();
      running = launch(bareSpec(), port);
      const r = running;
      // the bare server answers any request: the same signed call tells when it listens
      startupMs.push(await firstAnsweredCall(r.host, since, 10_000, () => r.child?.exitCode === null && r.child?.signalCode === null));
    }
    running ??= launch(bareSpec(), await freePort());
    await new Promise((r) => setTimeout(r, 1000));
    const rssIdleMiB = groupRssMiB(running.child!.pid!);
    const loads: Baseline['loads'] = {};
    for (const scenario of scenarios) {
      let bare: Running = running;
      if ('bareGetBytes' in scenario && scenario.bareGetBytes) {
        bare = launch(bareSpec(scenario.bareGetBytes), await freePort());
        await firstAnsweredCall(bare.host, performance.now(), 10_000, () => bare.child?.exitCode === null);
      }
      try {
        const byConnections: Record<number, Load> = (loads[scenario.name] = {});
        await measureScenario(scenario, bare.host, true, (c, l) => (byConnections[c] = l));
      } finally {
        if (bare !== running) await bare.stop();
      }
    }
    return { startupMs, rssIdleMiB, loads };
  } finally {
    await running?.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number | undefined, digits = 0) => (n === undefined ? '' : n.toFixed(digits));

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

/** Options that must be numbers: one clear line instead of a run of NaN. */
function checkOptions(): void {
  const bad = (name: string, ok: boolean) => {
    if (!ok) throw new Error(`--${name} ${arg(name)}: not a valid value`);
  };
  bad('duration', DURATION > 0);
  bad('connections', CONNECTIONS.length > 0 && CONNECTIONS.every((c) => Number.isInteger(c) && c > 0));
  bad('starts', Number.isInteger(STARTS) && STARTS >= 0);
  bad('large', Number.isInteger(LARGE_MIB) && LARGE_MIB >= 0);
}

async function main(): Promise<void> {
  checkOptions();
  const specs = [...TARGET_NAMES.map((n) => BUILTIN_TARGETS.find((t) => t.name === n) ?? (() => { throw new Error(`unknown target ${n} (known: ${BUILTIN_TARGETS.map((t) => t.name).join(', ')}; or --target NAME=URL)`); })()), ...args('target').map(externalTarget)];
  const scenarios = ALL_SCENARIOS.filter((s) => !SCENARIO_FILTER || SCENARIO_FILTER.some((f) => s.name.startsWith(f)));
  const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'} x${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  console.log(`bench on ${machine}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('baseline: bare node:http');
  const baseline = await measureBaseline(scenarios);
  const copyMBps = LARGE_MIB > 0 ? await fileCopyMBps(LARGE_MIB * 1024 * 1024) : undefined;
  const results: TargetResult[] = [];
  for (const spec of specs) {
    console.log(`target: ${spec.name}`);
    results.push(await measureTarget(spec, scenarios));
  }

  const ours = results.find((r) => r.name === 'ours');
  const peers = results.filter((r) => r !== ours);
  const header = ['measure', ...results.map((r) => r.name), 'bare node:http', ...(ours ? [...peers.map((p) => `ours / ${p.name}`), 'ours / bare'] : [])];
  const rows: string[][] = [header];
  const ratio = (a: number | undefined, b: number | undefined, higherIsBetter = true) => (a === undefined || b === undefined || a === 0 || b === 0 ? '' : `${(higherIsBetter ? a / b : b / a).toFixed(2)}x`);
  const startup = (r: TargetResult) => (r.startupMs?.length ? median(r.startupMs) : undefined);
  rows.push(['start-up to first answered call, ms (median)', ...results.map((r) => (r.status === 'ok' ? fmt(startup(r)) : r.status)), fmt(median(baseline.startupMs)), ...(ours ? [...peers.map((p) => ratio(startup(ours), startup(p), false)), ratio(startup(ours), median(baseline.startupMs), false)] : [])]);
  rows.push(['RSS idle, MiB', ...results.map((r) => fmt(r.rssIdleMiB, 1)), fmt(baseline.rssIdleMiB, 1), ...(ours ? [...peers.map((p) => ratio(ours.rssIdleMiB, p.rssIdleMiB, false)), ''] : [])]);
  rows.push(['RSS after the load, MiB', ...results.map((r) => fmt(r.rssAfterMiB, 1)), '', ...(ours ? [...peers.map((p) => ratio(ours.rssAfterMiB, p.rssAfterMiB, false)), ''] : [])]);
  for (const scenario of scenarios) {
    for (const c of CONNECTIONS) {
      const cell = (r: TargetResult) => {
        const s = r.scenarios.find((x) => x.scenario === scenario.name && x.connections === c);
        if (!s) return r.status === 'ok' ? '' : '-';
        if (s.error) return `error: ${s.error.slice(0, 40)}`;
        const l = s.load!;
        return `${fmt(l.rps)} (${l.p50}/${l.p99} ms)${l.errors + l.non2xx > 0 ? ` ${l.errors + l.non2xx} errors` : ''}`;
      };
      const rps = (r: TargetResult) => r.scenarios.find((x) => x.scenario === scenario.name && x.connections === c)?.load?.rps;
      const bare = baseline.loads[scenario.name]?.[c];
      rows.push([`${scenario.name} @${c}, ${('unit' in scenario && scenario.unit) || 'req/s (p50/p99)'}`, ...results.map(cell), bare ? `${fmt(bare.rps)} (${bare.p50}/${bare.p99} ms)` : '', ...(ours ? [...peers.map((p) => ratio(rps(ours), rps(p))), ratio(rps(ours), bare?.rps)] : [])]);
    }
  }
  if (LARGE_MIB > 0) {
    const big = (r: TargetResult) => (r.large && 'bytes' in r.large ? r.large : undefined);
    for (const [label, key] of [['upload', 'uploadMBps'], ['download', 'downloadMBps']] as const) {
      const cell = (r: TargetResult) => {
        if (!r.large) return r.status === 'ok' ? '' : '-';
        if ('error' in r.large) return `error: ${r.large.error.slice(0, 40)}`;
        return `${fmt(r.large[key])}${label === 'upload' && r.large.rssGrowthMiB !== undefined ? ` (RSS +${fmt(r.large.rssGrowthMiB, 1)} MiB)` : ''}`;
      };
      rows.push([`s3 ${LARGE_MIB} MiB ${label}, MB/s (bare: file copy)`, ...results.map(cell), fmt(copyMBps), ...(ours ? [...peers.map((p) => ratio(big(ours)?.[key], big(p)?.[key])), ratio(big(ours)?.[key], copyMBps)] : [])]);
    }
  }
  console.log(`\n${table(rows)}`);
  for (const r of results) if (r.status !== 'ok') console.log(`${r.name}: ${r.status}: ${r.reason}`);
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `compare-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine, loadavg: loadavg(), options: { duration: DURATION, connections: CONNECTIONS, starts: STARTS, largeMiB: LARGE_MIB }, baseline: { ...baseline, fileCopyMBps: copyMBps }, targets: results }, null, 2));
  console.log(`raw results: ${file}`);

  // every request of ours must be answered 2xx (CI's smoke run checks exactly this)
  const failures = (ours?.scenarios ?? []).filter((s) => s.error || (s.load && (s.load.errors + s.load.non2xx > 0 || s.load.requests === 0)));
  if (ours?.large && 'error' in ours.large) failures.push({ scenario: `s3 ${LARGE_MIB} MiB`, connections: 1, error: ours.large.error });
  if (ours && (ours.status !== 'ok' || failures.length > 0)) {
    console.error(`ours: ${ours.status !== 'ok' ? `${ours.status}: ${ours.reason}` : failures.map((f) => `${f.scenario} @${f.connections}: ${f.error ?? `${f.load!.requests} requests, ${f.load!.errors} errors, ${f.load!.non2xx} non-2xx`}`).join('; ')}`);
    process.exitCode = 1;
  }
}

// a bad option or a failed run is one line (the stack only with DEBUG=1)
await main().catch((error: Error) => {
  console.error(`bench: ${process.env.DEBUG === '1' ? error.stack : error.message}`);
  process.exitCode = 2;
});
