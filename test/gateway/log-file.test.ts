/**
 * LS_LOG_FILE: the runtime's output, init hooks' included, copied to a file that starts empty
 * at each run and ends with the shutdown (what `localstack logs` shows once an auto-removed
 * container is gone); a file it cannot write is a warning, not a failure.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime } from '../support/runtime.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'log-file-'));
  const hook = join(dir, 'init', 'ready.d', '01-hello.sh');
  mkdirSync(join(hook, '..'), { recursive: true });
  writeFileSync(hook, '#!/bin/sh\necho hello from a hook\necho hook complaint >&2\n');
  chmodSync(hook, 0o755);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('LS_LOG_FILE', () => {
  it('holds the whole output of the last run, hooks included, up to the shutdown', async () => {
    const file = join(dir, 'logs', 'localstack.log');
    writeFileSync(join(dir, 'stale'), '');
    mkdirSync(join(dir, 'logs'), { recursive: true });
    writeFileSync(file, 'a previous run\n');
    const rt = await startRuntime({ env: { LS_LOG_FILE: file, INIT_HOOKS_DIR: join(dir, 'init') } });
    expect(rt.stdout()).toContain('hello from a hook');
    expect(await rt.stop()).toBe(0);
    // stderr is another pipe than stdout's `Ready.`: read once the process has exited
    expect(rt.stderr()).toContain('hook complaint');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('a previous run');
    const order = ['listening on http://127.0.0.1:', 'hello from a hook', 'Ready.', 'shutting down'].map((s) => text.indexOf(s));
    expect(order.every((i) => i >= 0), text).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('hook complaint');
  });

  it('warns and serves when the file cannot be written', async () => {
    const rt = await startRuntime({ env: { LS_LOG_FILE: join(dir, 'stale', 'x.log') } });
    try {
      expect(await rt.waitForStderr('LS_LOG_FILE')).toMatch(/LS_LOG_FILE: cannot write .*stale\/x\.log/);
      expect((await fetch(`${rt.endpoint}/_localstack/health`)).status).toBe(200);
    } finally {
      await rt.stop();
    }
  });
});
