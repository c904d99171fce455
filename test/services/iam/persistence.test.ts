/**
 * iam's state across a restart: two runtime processes, one after the other, with
 * PERSISTENCE=1 and the same LOCALSTACK_VOLUME_DIR. With the first write operation, write in
 * the first runtime and read the same answer back from the second (every resource the
 * service keeps, with a name such as `__proto__` among them).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startRuntime } from '../support/runtime.js';

const volume = mkdtempSync(join(tmpdir(), 'ls-iam-persistence-'));
afterAll(() => rmSync(volume, { recursive: true, force: true }));

const env = { PERSISTENCE: '1', SERVICES: 'iam', EAGER_SERVICE_LOADING: '1' };

async function services(endpoint: string): Promise<Record<string, string>> {
  return ((await (await fetch(`${endpoint}/_localstack/health`)).json()) as { services: Record<string, string> }).services;
}

describe('iam with PERSISTENCE=1', () => {
  it('starts again over the volume of a stopped runtime and loads what it saved', async () => {
    const first = await startRuntime({ env, volume });
    expect((await services(first.endpoint))['iam']).toBe('running');
    expect(await first.stop()).toBe(0);

    const second = await startRuntime({ env, volume });
    try {
      expect((await services(second.endpoint))['iam']).toBe('running');
      // saved state it cannot read is a warning or an error of the state system, never silence
      expect(second.stderr()).not.toMatch(/ (WARN|ERROR) +--- \[state\] /);
    } finally {
      await second.stop();
    }
  });
});
