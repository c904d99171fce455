/**
 * `npm run bench:fuzz`: the protocol fuzzer of test/fuzz (same cases, same rules, same
 * seed: bench/fuzz/) run for a million cases against a runtime process of its own
 * (bench/fixtures/fuzz-runtime.ts: the real gateway with the fuzzer's providers).
 *
 * Reports, and writes as JSON under bench/results/: cases run, cases/s, a histogram of the
 * answers (2xx, each error status, connections reset, closed or timed out without an
 * answer), the violations (a 5xx other than 501, a stack trace or a malformed body, a
 * request left without an answer, an ERROR logged by the runtime, the runtime exiting or no
 * longer answering), each with the seed and case index that replay it, and the runtime's
 * RSS at start, peak (VmHWM) and end. Exits non-zero on any violation.
 *
 * Options:
 *   --cases N          cases to run (default 1000000)
 *   --seed S           the run's seed (default 20261122, CI's: the first 3000 cases are CI's)
 *   --concurrency C    requests in flight (default 16)
 *   --replay I         send only case I of the seed's run, and print it in full
 *   --runtime FILE     the runtime script to fuzz (default dist/bench/fixtures/fuzz-runtime.js;
 *                      dist/runtime/main.js fuzzes the shipped providers, others answer 501)
 *   --max-body BYTES   GATEWAY_MAX_BODY_SIZE of the runtime (default 262144, as in test/fuzz)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { judge, send, summarize, type Outcome } from './fuzz/answers.js';
import { DEFAULT_SEED, fuzzCase, fuzzCases, VALID_REQUESTS, type FuzzCase } from './fuzz/cases.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}
function numberOption(name: string, fallback: number): number {
  const raw = option(name);
  if (raw === undefined) return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} needs a whole number, not ${raw}`);
  return n;
}

const CASES = numberOption('cases', 1_000_000);
const SEED = numberOption('seed', DEFAULT_SEED);
const CONCURRENCY = Math.max(1, numberOption('concurrency', 16));
const REPLAY = option('replay') === undefined ? undefined : numberOption('replay', 0);
const RUNTIME = option('runtime') ?? join(root, 'dist', 'bench', 'fixtures', 'fuzz-runtime.js');
const MAX_BODY = numberOption('max-body', 256 * 1024);
/** Violations reported in full (all are counted). */
const MAX_REPORTS = 100;
const PROGRESS_MS = 10_000;

// ---------------------------------------------------------------------------------------
// the runtime process

interface LogEntry {
  level: string;
  text: string;
  /** the cases in flight or just finished when it was logged: one of them caused it */
  suspects: number[];
}

class RuntimeProcess {
  readonly child: ChildProcess;
  port = 0;
  /** log entries per level (an entry is a line plus its indented continuation, e.g. a stack) */
  readonly levels: Record<string, number> = {};
  readonly errors: LogEntry[] = [];
  errorCount = 0;
  exited: { code: number | null; signal: string | null } | undefined;
  /** the cases in flight or just finished when it exited */
  suspectsAtExit: number[] = [];
  /** the highest VmHWM read so far (the last reading survives the process) */
  peakMiB = 0;
  private stderrTail = '';
  private partial = '';
  private current: LogEntry | undefined;

  constructor(
    script: string,
    private readonly suspects: () => number[],
  ) {
    this.child = spawn(process.execPath, [script], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        GATEWAY_LISTEN: '127.0.0.1:0',
        INIT_HOOKS_DIR: '/nonexistent',
        GATEWAY_MAX_BODY_SIZE: String(MAX_BODY),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (d: string) => this.onStderr(d));
    this.child.once('exit', (code, signal) => {
      this.flush();
      this.suspectsAtExit = this.suspects();
      this.exited = { code, signal };
    });
  }

  /** Resolves once the runtime listens and printed `Ready.`. */
  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the runtime did not start in time:\n${this.stderrTail}`)), 15_000);
      const check = () => {
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(this.stderrTail);
        if (m && /^Ready\.$/m.test(out)) {
          clearTimeout(timer);
          this.port = Number(m[1]);
          resolve();
        }
      };
      this.child.stdout!.on('data', (d: Buffer) => {
        if (out.length < 4096) out += d.toString();
        check();
      });
      this.child.stderr!.on('data', check);
      this.child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the runtime exited with ${code}:\n${this.stderrTail}`));
      });
    });
  }

  private onStderr(data: string): void {
    this.stderrTail = (this.stderrTail + data).slice(-16_384);
    const lines = (this.partial + data).split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) {
      const level = /^\S+ (TRACE|DEBUG|INFO|WARN|ERROR)\s+--- \[/.exec(line)?.[1];
      if (level === undefined && this.current) {
        // a continuation (a stack frame): kept, up to a bound
        if (this.current.text.length < 4000) this.current.text += `\n${line}`;
        continue;
      }
      this.flush();
      const name = level ?? 'OTHER';
      this.levels[name] = (this.levels[name] ?? 0) + 1;
      this.current = { level: name, text: line, suspects: this.suspects() };
    }
  }

  private flush(): void {
    const entry = this.current;
    this.current = undefined;
    if (!entry || (entry.level !== 'ERROR' && entry.level !== 'OTHER')) return;
    this.errorCount++;
    if (this.errors.length < MAX_REPORTS) this.errors.push(entry);
    if (this.errorCount <= 10) console.log(`RUNTIME ${entry.level}: ${entry.text.slice(0, 1000)}\n  (cases in flight or just finished: ${entry.suspects.join(', ')})`);
  }

  /** Flushes the entry being read (its continuation lines, if any, have arrived by now). */
  settle(): void {
    this.flush();
  }

  tail(): string {
    return this.stderrTail;
  }

  /** VmRSS and VmHWM (peak) in MiB, from /proc. */
  memory(): { rssMiB: number; peakMiB: number } | undefined {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
      const m = { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
      this.peakMiB = Math.max(this.peakMiB, m.peakMiB);
      return m;
    } catch {
      return undefined; // gone
    }
  }

  /** SIGTERM; resolves with how it exited. */
  async stop(timeoutMs = 15_000): Promise<{ code: number | null; signal: string | null }> {
    if (!this.exited) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.child.kill('SIGKILL');
        }, timeoutMs);
        this.child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        this.child.kill('SIGTERM');
      });
    }
    return this.exited!;
  }
}

// ---------------------------------------------------------------------------------------
// replay one case

const replayCommand = (index: number) => `npm run bench:fuzz -- --seed ${SEED} --replay ${index}`;

function printable(body: Buffer): string {
  const shown = body.subarray(0, 2048).toString('latin1');
  return JSON.stringify(shown) + (body.length > 2048 ? ` ... (${body.length} bytes)` : ` (${body.length} bytes)`);
}

async function replay(index: number): Promise<void> {
  const c = fuzzCase(SEED, index);
  const r = c.request;
  console.log(`case ${index} of seed ${SEED}: mutations [${c.mutations.join(', ')}]`);
  console.log(`${r.method} ${r.path}${r.lengthDelta ? `  (Content-Length ${r.lengthDelta > 0 ? '+' : ''}${r.lengthDelta} off the body)` : ''}`);
  for (const [k, v] of Object.entries(r.headers)) console.log(`${k}: ${JSON.stringify(v)}`);
  console.log(`body: ${printable(r.body)}`);
  const runtime = new RuntimeProcess(RUNTIME, () => [index]);
  await runtime.ready();
  const outcome = await send(runtime.port, r);
  const verdict = judge(r, outcome);
  await new Promise((resolve) => setTimeout(resolve, 200)); // let its log arrive
  const exit = await runtime.stop();
  runtime.settle();
  console.log(`\n-> ${outcome.kind === 'answer' ? `${outcome.answer.headers}\n\n${outcome.answer.body.slice(0, 4000)}` : JSON.stringify(outcome)}`);
  for (const e of runtime.errors) console.log(`\nruntime logged: ${e.text}`);
  const problems = [verdict.violation, runtime.errorCount > 0 ? `the runtime logged ${runtime.errorCount} error(s)` : undefined, exit.code !== 0 ? `the runtime exited with ${JSON.stringify(exit)}` : undefined].filter(Boolean);
  console.log(`\nverdict: ${problems.join('; ') || 'ok'} (${verdict.bucket})`);
  if (problems.length > 0) process.exitCode = 1;
}

// ---------------------------------------------------------------------------------------
// the run

interface Violation {
  kind: string;
  /** the case (with the seed, replays it), when one case is known to be the cause */
  index?: number;
  /** the cases in flight or just finished, when the cause is one of them */
  suspects?: number[];
  mutations?: readonly string[];
  detail: string;
  replay?: string;
}

async function run(): Promise<void> {
  const inFlight = new Set<number>();
  // a case's effect on the runtime's log may be read after its answer (or its time-out)
  const recent: number[] = [];
  const runtime = new RuntimeProcess(RUNTIME, () => [...new Set([...recent, ...inFlight])].sort((a, b) => a - b));
  await runtime.ready();
  const startMemory = runtime.memory()!;
  console.log(
    `bench:fuzz: ${CASES} cases, seed ${SEED}, concurrency ${CONCURRENCY}, runtime ${relative(root, RUNTIME)} (pid ${runtime.child.pid}, RSS ${startMemory.rssMiB.toFixed(1)} MiB)`,
  );

  const histogram: Record<string, number> = {};
  const violationsByKind: Record<string, number> = {};
  const reports: Violation[] = [];
  let violations = 0;
  const violate = (v: Violation) => {
    violations++;
    violationsByKind[v.kind] = (violationsByKind[v.kind] ?? 0) + 1;
    if (reports.length < MAX_REPORTS) reports.push(v);
    if (reports.length <= 10) console.log(`VIOLATION ${v.kind}${v.index !== undefined ? ` at case ${v.index}` : ''}: ${v.detail.slice(0, 300)}`);
  };

  const cases = fuzzCases(SEED, CASES);
  let done = 0;
  const samples: Array<{ cases: number; seconds: number; rssMiB: number }> = [];
  const t0 = performance.now();
  const poll = setInterval(() => runtime.memory(), 1000);
  const progress = setInterval(() => {
    const seconds = (performance.now() - t0) / 1000;
    const m = runtime.memory();
    if (m) samples.push({ cases: done, seconds: Math.round(seconds), rssMiB: Math.round(m.rssMiB * 10) / 10 });
    console.log(
      `  ${done} cases, ${(done / seconds).toFixed(0)}/s, ${violations} violation(s), ${runtime.errorCount} runtime error(s), runtime RSS ${m ? `${m.rssMiB.toFixed(1)} MiB (peak ${m.peakMiB.toFixed(1)})` : 'gone'}`,
    );
  }, PROGRESS_MS);

  const one = async (c: FuzzCase): Promise<void> => {
    inFlight.add(c.index);
    let outcome: Outcome;
    try {
      outcome = await send(runtime.port, c.request);
    } finally {
      inFlight.delete(c.index);
      recent.push(c.index);
      if (recent.length > CONCURRENCY) recent.shift();
    }
    const verdict = judge(c.request, outcome);
    histogram[verdict.bucket] = (histogram[verdict.bucket] ?? 0) + 1;
    if (verdict.violation) {
      violate({ kind: verdict.violation.replace(/ after .*| \(.*\)$/, ''), index: c.index, mutations: c.mutations, detail: `${verdict.violation}: ${summarize(c.request, outcome)}`, replay: replayCommand(c.index) });
    }
  };
  const worker = async (): Promise<void> => {
    while (!runtime.exited) {
      const next = cases.next();
      if (next.done) return;
      await one(next.value);
      done++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(progress);
  clearInterval(poll);

  // the runtime still answers a valid request, and has not grown while idle
  let stillServes = false;
  if (!runtime.exited) {
    const ok = await send(runtime.port, VALID_REQUESTS[0]!);
    stillServes = ok.kind === 'answer' && ok.answer.status === 200;
    if (!stillServes) violate({ kind: 'runtime no longer serves', detail: `a valid sts:AssumeRole after the run: ${summarize(VALID_REQUESTS[0]!, ok)}` });
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const endMemory = runtime.memory();
  if (runtime.exited) {
    violate({ kind: 'runtime exited', suspects: runtime.suspectsAtExit, detail: `exit ${JSON.stringify(runtime.exited)} after ${done} cases, with cases ${runtime.suspectsAtExit.join(', ') || '(none)'} in flight or just finished; stderr ends:\n${runtime.tail().slice(-4000)}` });
  }
  const exit = await runtime.stop();
  runtime.settle();
  if (!violationsByKind['runtime exited'] && exit.code !== 0) violate({ kind: 'runtime exited', detail: `SIGTERM after the run: exit ${JSON.stringify(exit)}` });
  for (const e of runtime.errors) {
    const replay = e.suspects.length > 0 ? `one of cases ${e.suspects.join(', ')}: ${replayCommand(e.suspects[0]!).replace(/\d+$/, 'INDEX')}` : undefined;
    violate({ kind: 'runtime logged an error', suspects: e.suspects, detail: e.text, ...(replay ? { replay } : {}) });
  }
  // counted, not all reported
  for (let i = runtime.errors.length; i < runtime.errorCount; i++) violate({ kind: 'runtime logged an error', detail: '(not kept)' });

  const results = {
    kind: 'fuzz',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    options: { cases: CASES, seed: SEED, concurrency: CONCURRENCY, runtime: relative(root, RUNTIME), maxBodySize: MAX_BODY },
    casesRun: done,
    seconds: Math.round(seconds * 10) / 10,
    casesPerSecond: Math.round(done / seconds),
    histogram: Object.fromEntries(Object.entries(histogram).sort(([a], [b]) => a.localeCompare(b))),
    violations: { count: violations, byKind: violationsByKind, reports },
    runtime: {
      rssMiB: { start: round(startMemory.rssMiB), peak: round(runtime.peakMiB), end: endMemory ? round(endMemory.rssMiB) : null },
      rssSamples: samples,
      stillServes,
      exit,
      logEntries: runtime.levels,
    },
    replay: `npm run bench:fuzz -- --seed ${SEED} --replay INDEX`,
  };
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `fuzz-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));

  const rss = results.runtime.rssMiB;
  console.log(`\n${done} cases in ${seconds.toFixed(0)} s: ${results.casesPerSecond} cases/s`);
  console.log(`answers: ${Object.entries(results.histogram).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`runtime RSS: start ${rss.start} MiB, peak ${rss.peak} MiB, end ${rss.end ?? '-'} MiB; log entries ${JSON.stringify(runtime.levels)}`);
  console.log(`violations: ${violations}${violations ? ` ${JSON.stringify(violationsByKind)}` : ''}`);
  const first = (v: Violation) => (v.kind.startsWith('runtime') ? 0 : 1);
  for (const v of [...reports].sort((a, b) => first(a) - first(b)).slice(0, 20)) console.log(`  ${v.kind}${v.index !== undefined ? ` case ${v.index} [${v.mutations?.join(',')}]` : ''}: ${v.detail.slice(0, 300)}${v.replay ? `\n    replay: ${v.replay}` : ''}`);
  console.log(`raw results: ${file}`);
  if (violations > 0 || done < CASES) process.exitCode = 1;
}

const round = (x: number) => Math.round(x * 10) / 10;

if (REPLAY !== undefined) await replay(REPLAY);
else await run();
