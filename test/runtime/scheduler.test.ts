/**
 * The scheduler and its clocks (runtime/scheduler.ts): timers fire when due on a manual
 * clock, in order, with `now()` at their due time; repeating timers never overlap; an
 * owner's timers stop together; shutdown stops all; errors are logged, not thrown; and real
 * timers never keep a process alive.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../runtime/logger.js';
import { ManualClock, RuntimeScheduler, systemTime } from '../../runtime/scheduler.js';
import { MAIN } from '../support/runtime.js';

function logs(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  return { lines, trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function setup() {
  const clock = new ManualClock(1_000_000);
  const log = logs();
  const scheduler = new RuntimeScheduler(clock, log);
  return { clock, log, scheduler, start: clock.now() };
}

describe('a manual clock', () => {
  it('fires one-shot timers when due, earliest first, with now() at their due time', async () => {
    const { clock, scheduler, start } = setup();
    const fired: Array<[string, number]> = [];
    scheduler.after(300, () => void fired.push(['c', clock.now() - start]));
    scheduler.after(100, () => void fired.push(['a', clock.now() - start]));
    scheduler.after(100, () => void fired.push(['b', clock.now() - start]));
    await clock.advance(99);
    expect(fired).toEqual([]);
    await clock.advance(1);
    expect(fired).toEqual([['a', 100], ['b', 100]]);
    await clock.advance(1000);
    expect(fired).toEqual([['a', 100], ['b', 100], ['c', 300]]);
    expect(clock.now() - start).toBe(1100);
    expect(scheduler.pending).toBe(0);
  });

  it('runs work a timer starts, and the timers that work arms within the window', async () => {
    const { clock, scheduler, start } = setup();
    const fired: number[] = [];
    scheduler.after(10, async () => {
      await Promise.resolve();
      scheduler.after(10, () => void fired.push(clock.now() - start));
    });
    await clock.advance(25);
    expect(fired).toEqual([20]);
  });

  it('repeats `every` timers after each run finished, never overlapping, until cancelled', async () => {
    const { clock, scheduler, start } = setup();
    const runs: number[] = [];
    let release!: () => void;
    const timer = scheduler.every(100, () => {
      runs.push(clock.now() - start);
      // the second run hangs until released: no third run may start meanwhile
      if (runs.length === 2) return new Promise<void>((resolve) => (release = resolve));
    });
    await clock.advance(250);
    expect(runs).toEqual([100, 200]);
    await clock.advance(500);
    expect(runs).toEqual([100, 200]);
    expect(timer.pending).toBe(true);
    release();
    await clock.advance(100); // the next run is 100 after the hanging one finished (at 750)
    expect(runs).toEqual([100, 200, 850]);
    timer.cancel();
    await clock.advance(1000);
    expect(runs).toEqual([100, 200, 850]);
    expect(timer.pending).toBe(false);
  });

  it('logs what a timer throws or rejects with, and keeps an `every` timer going', async () => {
    const { clock, scheduler, log } = setup();
    let n = 0;
    scheduler.every(10, () => {
      n++;
      throw new Error(`boom ${n}`);
    });
    scheduler.owner('sqs').after(5, () => Promise.reject(new Error('later')));
    await clock.advance(20);
    expect(n).toBe(2);
    expect(log.lines).toEqual(['warn sqs: a timer failed: later', 'warn a timer failed: boom 1', 'warn a timer failed: boom 2']);
  });
});

describe('owners and shutdown', () => {
  it("cancels one owner's timers together and refuses its new ones; others keep running", async () => {
    const { clock, scheduler } = setup();
    const fired: string[] = [];
    const sqs = scheduler.owner('sqs');
    const sns = scheduler.owner('sns');
    sqs.after(10, () => void fired.push('sqs once'));
    sqs.every(10, () => void fired.push('sqs every'));
    sns.after(10, () => void fired.push('sns'));
    expect([sqs.pending, sns.pending, scheduler.pending]).toEqual([2, 1, 3]);
    sqs.cancelAll();
    const late = sqs.after(1, () => void fired.push('sqs late'));
    expect(late.pending).toBe(false);
    await clock.advance(50);
    expect(fired).toEqual(['sns']);
    expect(scheduler.pending).toBe(0);
  });

  it('stops every timer at shutdown, and arms none after', async () => {
    const { clock, scheduler } = setup();
    const fired: string[] = [];
    scheduler.owner('s3').every(10, () => void fired.push('s3'));
    scheduler.after(10, () => void fired.push('root'));
    scheduler.stop();
    scheduler.after(1, () => void fired.push('after stop'));
    scheduler.owner('new').after(1, () => void fired.push('new owner'));
    await clock.advance(100);
    expect(fired).toEqual([]);
    expect([scheduler.pending, clock.pending]).toEqual([0, 0]);
  });
});

describe('real time', () => {
  it('fires after the delay, and reads Date.now()', async () => {
    const scheduler = new RuntimeScheduler(systemTime);
    const before = Date.now();
    const at = await new Promise<number>((resolve) => scheduler.after(5, () => resolve(scheduler.clock.now())));
    expect(at).toBeGreaterThanOrEqual(before + 5);
  });

  it('keeps no process alive: a runtime scheduler with an hour-long timer lets node exit', () => {
    const dist = MAIN.replace(/main\.js$/, 'scheduler.js');
    const script = `import(${JSON.stringify(dist)}).then(({ RuntimeScheduler }) => { const s = new RuntimeScheduler(); s.after(3_600_000, () => process.exit(3)); s.owner('x').every(3_600_000, () => process.exit(4)); });`;
    const child = spawnSync(process.execPath, ['-e', script], { timeout: 20_000 });
    expect([child.status, child.signal, child.stderr.toString()]).toEqual([0, null, '']);
  });
});
