/**
 * Progress a person can follow (src/build-progress.ts, src/output.ts, src/ready-hooks.ts),
 * without an engine: the build reporter is fed the messages the engine sent for a real build
 * (test/fixtures/docker/build-stream.json, recorded from Docker 20.10 through dockerode) and
 * runs on a clock of the test's own; the Progress it drives records what it was told.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BuildReporter, formatBuildStep, parseBuildStep, type BuildMessage } from '../../src/build-progress.js';
import { formatElapsed, PLAIN_REMINDER_MS, timedPhase, type Progress } from '../../src/output.js';
import { failedHookLines, readyPhaseText } from '../../src/ready-hooks.js';
import { ROOT } from '../support/runtime.js';

const recorded = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'docker', 'build-stream.json'), 'utf8')) as { fresh: BuildMessage[]; cached: BuildMessage[] };

/** A Progress that keeps every call, as `kind: text`. */
function recorder(interactive: boolean): Progress & { calls: string[] } {
  const calls: string[] = [];
  const keep = (kind: string) => (text: string) => void calls.push(`${kind}: ${text}`);
  return { interactive, calls, phase: keep('phase'), update: keep('update'), note: keep('note'), succeed: keep('succeed'), fail: keep('fail'), stop: () => undefined };
}

describe('parseBuildStep', () => {
  it('the classic builder: `Step 3/24 : INSTRUCTION`, continuation lines collapsed', () => {
    expect(parseBuildStep('Step 3/24 : RUN npm ci --omit=dev \\\n    && node prune.mjs')).toEqual({ position: '3/24', instruction: 'RUN npm ci --omit=dev && node prune.mjs' });
    expect(parseBuildStep('Step 7/7 : RUN echo "done"  && true')).toEqual({ position: '7/7', instruction: 'RUN echo "done" && true' });
  });

  it('BuildKit (as dockerode prints a started vertex): numbered per stage', () => {
    expect(parseBuildStep('[0123456789ab] [deps 3/5] RUN npm ci')).toEqual({ position: 'deps 3/5', instruction: 'RUN npm ci' });
    expect(parseBuildStep('[stage-2 4/9] COPY --from=build /opt/x dist')).toEqual({ position: 'stage-2 4/9', instruction: 'COPY --from=build /opt/x dist' });
    expect(parseBuildStep('[2/3] RUN true')).toEqual({ position: '2/3', instruction: 'RUN true' });
  });

  it('other lines start no step', () => {
    for (const line of [' ---> Using cache', ' ---> Running in 9984641e4d0c', 'building one', 'Successfully built 5940032ad327', '[internal] load build context', 'Step x/y : nope']) {
      expect(parseBuildStep(line), line).toBeUndefined();
    }
  });
});

describe('formatBuildStep', () => {
  const step = { position: '3/9', instruction: 'RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && node /tmp/prune-dependencies.mjs' };

  it('`Building image [3/9] RUN npm ci ... 42s`: the instruction shortened to the terminal', () => {
    const line = formatBuildStep(step, 42_000, 50);
    expect(line).toBe('Building image [3/9] RUN npm ci --omit=dev ... 42s');
    expect(line.length).toBeLessThanOrEqual(50);
    expect(formatBuildStep(step, 42_000, 200)).toBe(`Building image [3/9] ${step.instruction} 42s`);
  });

  it('a plain line (no width): at most 100 characters of instruction, elapsed time optional', () => {
    const line = formatBuildStep({ position: '1/2', instruction: `RUN ${'x'.repeat(300)}` });
    expect(line).toMatch(/^Building image \[1\/2\] RUN x+ \.\.\.$/);
    expect(line.length).toBe('Building image [1/2] '.length + 100);
  });
});

describe('formatElapsed', () => {
  const cases: Array<[number, string]> = [[0, '0s'], [999, '0s'], [42_000, '42s'], [65_000, '1m 05s'], [3_725_000, '1h 02m']];
  for (const [ms, text] of cases) it(`${ms} ms -> ${text}`, () => expect(formatElapsed(ms)).toBe(text));
});

describe('BuildReporter on a recorded build', () => {
  it('plain lines (CI logs): one per step as it starts, with the time so far; the output kept', () => {
    let now = 1_000_000;
    const p = recorder(false);
    const reporter = new BuildReporter(p, { now: () => now });
    for (const message of recorded.fresh) {
      reporter.message(message);
      now += 1000;
    }
    const phases = p.calls.filter((c) => c.startsWith('phase: '));
    expect(phases).toEqual([
      'phase: Building image [1/7] FROM node:22-bookworm-slim AS first 0s',
      'phase: Building image [2/7] WORKDIR /opt/x 3s',
      'phase: Building image [3/7] COPY a.txt ./ 8s',
      'phase: Building image [4/7] RUN echo building one && sleep 1 11s',
      'phase: Building image [5/7] FROM node:22-bookworm-slim 18s',
      'phase: Building image [6/7] COPY --from=first /opt/x/a.txt /a.txt 21s',
      'phase: Building image [7/7] RUN echo "done" && true 24s',
    ]);
    expect(p.calls.filter((c) => !c.startsWith('phase: '))).toEqual([]);
    expect(reporter.summary()).toMatch(/^in \d+s, 0 of 5 steps from the cache$/);
    expect(reporter.tail(2)).toBe('Successfully built 5940032ad327\nSuccessfully tagged cli13-rec:1');
    expect(reporter.failure).toBeUndefined();
  });

  it('the same build from the cache says so', () => {
    const reporter = new BuildReporter(recorder(false));
    for (const message of recorded.cached) reporter.message(message);
    expect(reporter.summary()).toMatch(/, 5 of 5 steps from the cache$/);
  });

  it('a long step: a reminder line every 30 s in plain mode, the elapsed time every tick on a terminal', () => {
    let now = 0;
    const plain = recorder(false);
    const tty = recorder(true);
    const reporters = [new BuildReporter(plain, { now: () => now }), new BuildReporter(tty, { now: () => now, columns: () => 60 })];
    for (const r of reporters) r.message({ stream: 'Step 4/9 : RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund' });
    for (now = 1000; now <= PLAIN_REMINDER_MS + 1000; now += 1000) for (const r of reporters) r.tick();
    expect(plain.calls).toEqual(['phase: Building image [4/9] RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund 0s', 'phase: ... still Building image [4/9] RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund 30s']);
    expect(tty.calls[0]).toBe('phase: Building image [4/9] RUN npm ci --omit=dev --omit=opt ... 0s');
    expect(tty.calls.at(-1)).toBe('update: Building image [4/9] RUN npm ci --omit=dev --omit=op ... 31s');
    expect(tty.calls).toHaveLength(1 + 31);
  });

  it('an error message is the failure; --debug sees every line as it comes', () => {
    const raw: string[] = [];
    const reporter = new BuildReporter(recorder(false), { raw: (l) => raw.push(l) });
    reporter.message({ stream: 'Step 1/2 : RUN exit 3\n ---> Running in abc\n' });
    reporter.message({ error: "The command '/bin/sh -c exit 3' returned a non-zero code: 3", errorDetail: { code: 3, message: "The command '/bin/sh -c exit 3' returned a non-zero code: 3" } as BuildMessage['errorDetail'] });
    expect(reporter.failure).toBe("The command '/bin/sh -c exit 3' returned a non-zero code: 3");
    expect(raw).toEqual(['Step 1/2 : RUN exit 3', ' ---> Running in abc']);
  });
});

describe('timedPhase', () => {
  afterEach(() => void vi.useRealTimers());

  it('a terminal: the text with its elapsed time, every second', () => {
    vi.useFakeTimers();
    const p = recorder(true);
    const end = timedPhase(p, () => 'waiting for the runtime to answer');
    vi.advanceTimersByTime(2000);
    end();
    vi.advanceTimersByTime(5000);
    expect(p.calls).toEqual(['phase: waiting for the runtime to answer 0s', 'update: waiting for the runtime to answer 1s', 'update: waiting for the runtime to answer 2s']);
  });

  it('plain lines: one when the text changes, a reminder every 30 s, nothing in between', () => {
    vi.useFakeTimers();
    const p = recorder(false);
    let text = 'running ready hooks: ready.d/a.sh (1 of 2)';
    const end = timedPhase(p, () => text);
    vi.advanceTimersByTime(5000);
    text = 'running ready hooks: ready.d/b.sh (2 of 2)';
    vi.advanceTimersByTime(PLAIN_REMINDER_MS + 1000);
    end();
    expect(p.calls).toEqual([
      'phase: running ready hooks: ready.d/a.sh (1 of 2)',
      'phase: running ready hooks: ready.d/b.sh (2 of 2)',
      'phase: ... running ready hooks: ready.d/b.sh (2 of 2) 36s',
    ]);
  });
});

describe('what start says while the ready hooks run', () => {
  const script = (name: string, state: string) => ({ stage: 'READY', name, state });

  it('the hook that runs, and its place', () => {
    expect(readyPhaseText(undefined)).toBe('waiting for the runtime to be ready');
    expect(readyPhaseText({ completed: false, scripts: [] })).toBe('waiting for the runtime to be ready');
    const stage = { completed: false, scripts: [script('01-bucket.sh', 'SUCCESSFUL'), script('02-param.py', 'RUNNING'), script('03-x.sh', 'UNKNOWN')] };
    expect(readyPhaseText(stage)).toBe('running ready hooks: ready.d/02-param.py (2 of 3)');
    // between two hooks, the next one
    expect(readyPhaseText({ completed: false, scripts: [script('01-bucket.sh', 'ERROR'), script('02-param.py', 'UNKNOWN')] })).toBe('running ready hooks: ready.d/02-param.py (2 of 2)');
  });

  it('one line per failed hook', () => {
    const stage = { completed: true, scripts: [script('01-bucket.sh', 'ERROR'), script('02-param.py', 'SUCCESSFUL')] };
    expect(failedHookLines(stage)).toEqual(['ready hook ready.d/01-bucket.sh failed (ERROR in /_localstack/init; its output is in localstack logs)']);
  });
});
