import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime } from '../support/runtime.js';

let dir: string;
let log: string;

function script(path: string, body: string, executable = true): void {
  const full = join(dir, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, body);
  if (executable) chmodSync(full, 0o755);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'init-hooks-'));
  log = join(dir, 'order.log');
  const append = (name: string) => `#!/bin/sh\necho ${name} >> "${log}"\n`;
  script('boot.d/01-boot.sh', append('boot'));
  script('start.d/01-start.sh', append('start'));
  script('ready.d/01-first.sh', append('ready-1'));
  script('ready.d/02-fails.sh', `#!/bin/sh\necho ready-2 >> "${log}"\nexit 3\n`);
  script('ready.d/03-not-executable.sh', `echo ready-3 >> "${log}"\n`, false);
  script('ready.d/sub/04-nested.sh', append('ready-4'));
  script('ready.d/ignored.txt', 'not a script');
  script('shutdown.d/01-shutdown.sh', append('shutdown'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('init hooks', () => {
  it('run in stage order, sorted, recursively; failures are recorded and the rest still run', async () => {
    const rt = await startRuntime({ env: { INIT_HOOKS_DIR: dir } });
    const order = () => readFileSync(log, 'utf8').trim().split('\n');
    try {
      // sorted by path: the subfolder comes after the files beside it
      expect(order()).toEqual(['boot', 'start', 'ready-1', 'ready-2', 'ready-3', 'ready-4']);
      // Ready. comes after the ready.d scripts
      expect(rt.stdout().trim().split('\n').at(-1)).toBe('Ready.');

      const all = (await (await fetch(`${rt.endpoint}/_localstack/init`)).json()) as {
        completed: Record<string, boolean>;
        scripts: Array<{ stage: string; name: string; state: string }>;
      };
      expect(all.completed).toEqual({ BOOT: true, START: true, READY: true, SHUTDOWN: false });
      expect(all.scripts).toEqual([
        { stage: 'BOOT', name: '01-boot.sh', state: 'SUCCESSFUL' },
        { stage: 'START', name: '01-start.sh', state: 'SUCCESSFUL' },
        { stage: 'READY', name: '01-first.sh', state: 'SUCCESSFUL' },
        { stage: 'READY', name: '02-fails.sh', state: 'ERROR' },
        { stage: 'READY', name: '03-not-executable.sh', state: 'SUCCESSFUL' },
        { stage: 'READY', name: 'sub/04-nested.sh', state: 'SUCCESSFUL' },
        { stage: 'SHUTDOWN', name: '01-shutdown.sh', state: 'UNKNOWN' },
      ]);

      const ready = (await (await fetch(`${rt.endpoint}/_localstack/init/ready`)).json()) as { completed: boolean; scripts: unknown[] };
      expect(ready.completed).toBe(true);
      expect(ready.scripts).toHaveLength(4);
      expect((await fetch(`${rt.endpoint}/_localstack/init/bogus`)).status).toBe(404);
      expect(await rt.waitForStderr('02-fails.sh failed')).toContain('init script ready.d/02-fails.sh failed with exit code 3');
    } finally {
      expect(await rt.stop()).toBe(0);
    }
    expect(order().at(-1)).toBe('shutdown');
  });
});
