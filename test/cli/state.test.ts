/**
 * `localstack state export|import|reset` against a host-mode runtime (started with
 * `start --host -d`, as users do), through oclif's runCommand: output, exit codes, and the
 * state the SDK sees.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '@oclif/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, freePort } from '../support/runtime.js';
import { expectState, listing, writeState } from '../support/state.js';

const saved = { ...process.env };
let folder: string;
let endpoint: string;

async function run(args: string[]) {
  const r = await runCommand(args, { root: ROOT });
  return { stdout: r.stdout, stderr: r.stderr, code: r.error ? (r.error.oclif?.exit ?? 1) : 0 };
}

beforeAll(async () => {
  const port = await freePort();
  folder = mkdtempSync(join(tmpdir(), 'ls-cli-state-'));
  process.env.LOCALSTACK_VOLUME_DIR = join(folder, 'volume');
  process.env.GATEWAY_LISTEN = `127.0.0.1:${port}`;
  process.env.MAIN_CONTAINER_NAME = `ls-cli-state-${port}`; // never a real container of the user's
  process.env.CONFIG_DIR = join(folder, 'profiles');
  process.env.INIT_HOOKS_DIR = '/nonexistent';
  endpoint = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await run(['stop']);
  process.env = saved;
  rmSync(folder, { recursive: true, force: true });
});

describe('localstack state', () => {
  it('says the runtime is not running, in one line', async () => {
    const r = await run(['state', 'export', join(folder, 'none.zip')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error: the runtime is not running (localstack start)\n');
  });

  it('export, reset, import: the state comes back', async () => {
    expect((await run(['start', '--host', '-d'])).code).toBe(0);
    const { credentials } = await writeState(endpoint);
    const file = join(folder, 'state.zip');

    const exported = await run(['state', 'export', file]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^exported ssm, sts to \S+state\.zip \(\d+ bytes\)\n$/);
    expect(existsSync(`${file}.partial`)).toBe(false);

    const reset = await run(['state', 'reset']);
    expect(reset).toMatchObject({ code: 0, stdout: 'reset the state of every service\n' });
    expect(await listing(endpoint)).toEqual([]);

    const imported = await run(['state', 'import', file]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toBe(`imported ssm, sts from ${file}\n`);
    await expectState(endpoint, credentials, (a, e) => expect(a).toEqual(e));
  });

  it('reset of named services leaves the others', async () => {
    const r = await run(['state', 'reset', 'ssm']);
    expect(r).toMatchObject({ code: 0, stdout: 'reset the state of ssm\n' });
    expect(await listing(endpoint)).toEqual([]);
  });

  it('import of a missing file or of something that is not an archive: one line, exit 1', async () => {
    const missing = await run(['state', 'import', join(folder, 'missing.zip')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`Error: cannot read ${join(folder, 'missing.zip')}: no such file\n`);
    const junk = join(folder, 'junk.zip');
    writeFileSync(junk, 'not a zip');
    const bad = await run(['state', 'import', junk]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error: import of \S+junk\.zip failed \(HTTP 400\): not a zip archive \(.+\)\n$/);
  });
});
