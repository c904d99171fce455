/**
 * CI's smoke run of `npm run bench` (bench/compare/run.ts): a second per scenario against our
 * runtime only. It asserts that every scenario was answered, and answered without an error,
 * never how fast: machines here are too noisy for timed assertions.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/runtime.js';

const RUN = join(ROOT, 'dist', 'bench', 'compare', 'run.js');
const RESULTS = join(ROOT, 'bench', 'results');
const written = () => (existsSync(RESULTS) ? readdirSync(RESULTS).filter((f) => f.startsWith('compare-')) : []);

describe('npm run bench --smoke', () => {
  it('runs every scenario (the messaging cycles too) against ours at 1 and 4 connections and an 8 MiB object with no error, and writes the JSON', { timeout: 120_000 }, async () => {
    const before = new Set(written());
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [RUN, '--smoke', '--connections', '1,4'], { cwd: ROOT, timeout: 110_000 }, (error, out, err) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: out, stderr: err }),
      );
    });
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const fresh = written().filter((f) => !before.has(f));
    expect(fresh).toHaveLength(1);
    const result = JSON.parse(readFileSync(join(RESULTS, fresh[0]!), 'utf8')) as {
      baseline: { loads: Record<string, Record<string, { requests: number; errors: number }>> };
      targets: Array<{ name: string; status: string; startupMs: number[]; large?: { bytes?: number; error?: string }; scenarios: Array<{ scenario: string; connections: number; error?: string; load?: { requests: number; errors: number; non2xx: number; cycles?: number; failedCycles?: number } }> }>;
    };
    const ours = result.targets.find((t) => t.name === 'ours')!;
    expect(ours.status).toBe('ok');
    expect(ours.startupMs.length).toBeGreaterThan(0);
    expect(ours.scenarios.map((s) => `${s.scenario} @${s.connections}`)).toEqual([
      'sts GetCallerIdentity @1',
      'sts GetCallerIdentity @4',
      'ssm PutParameter + GetParameter @1',
      'ssm PutParameter + GetParameter @4',
      's3 PutObject + GetObject 4 KiB @1',
      's3 PutObject + GetObject 4 KiB @4',
      'sqs SendMessage + ReceiveMessage + DeleteMessage @1',
      'sqs SendMessage + ReceiveMessage + DeleteMessage @4',
      'sns Publish fanned out to 10 queues @1',
      'sns Publish fanned out to 10 queues @4',
    ]);
    for (const s of ours.scenarios) {
      expect(s.error, s.scenario).toBeUndefined();
      expect(s.load!.requests, s.scenario).toBeGreaterThan(0);
      expect(s.load!.errors + s.load!.non2xx, s.scenario).toBe(0);
      // the messaging scenarios run whole cycles (send, receive, delete; publish until the last queue has it)
      if (/^sqs|^sns/.test(s.scenario)) expect([s.load!.cycles! > 0, s.load!.failedCycles], s.scenario).toEqual([true, 0]);
    }
    // each scenario also went to the bare baseline server, the same requests
    for (const s of ours.scenarios) {
      const bare = result.baseline.loads[s.scenario]?.[String(s.connections)];
      expect(bare?.requests, `baseline ${s.scenario} @${s.connections}`).toBeGreaterThan(0);
      expect(bare?.errors, `baseline ${s.scenario} @${s.connections}`).toBe(0);
    }
    // the large-object scenario, 8 MiB in a smoke run, up and down through the SDK
    expect(ours.large).toMatchObject({ bytes: 8 * 1024 * 1024 });
    expect(stdout).toMatch(/\| sts GetCallerIdentity @4, req\/s/);
    expect(stdout).toMatch(/\| sns Publish fanned out to 10 queues @4, messages\/s \(p50\/p99 ms to the last queue\)/);
    expect(stdout).toMatch(/\| s3 8 MiB download, MB\/s/);
  });
});
