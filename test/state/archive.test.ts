/**
 * Export and import of asset folders (the files a service keeps beside its stores: S3
 * bodies, later Lambda code), with a test provider that declares a store and an asset folder,
 * in two in-process runtimes on their own ports: files come across byte for byte, nested
 * folders included, and the provider is told its state was loaded.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../runtime/config.js';
import { Runtime } from '../../runtime/runtime.js';
import type { ProviderRegistry } from '../../runtime/services/registry.js';
import type { AssetFolder } from '../../runtime/state/service-state.js';
import { record, type GlobalStore } from '../../runtime/state/store.js';

interface Handle {
  files: AssetFolder;
  index: GlobalStore<{ files: Record<string, { size: number }> }>;
  events: string[];
}

/** One runtime with the test provider under the name `sqs`; its handles as providers are created. */
async function runtime(env: Record<string, string>) {
  const handles: Handle[] = [];
  const registry: ProviderRegistry = {
    sqs: {
      load: async () => ({
        createProvider: (context) => {
          const handle: Handle = { files: context.state.assets('bodies'), index: context.state.global('index', () => ({ files: record() })), events: [] };
          handles.push(handle);
          return { operations: {}, stateChanged: (event) => void handle.events.push(event) };
        },
      }),
    },
  };
  const volume = mkdtempSync(join(tmpdir(), 'ls-archive-'));
  const { config } = loadConfig({ GATEWAY_LISTEN: '127.0.0.1:0', INIT_HOOKS_DIR: '/nonexistent', LOCALSTACK_VOLUME_DIR: volume, STATE_AUDIT: '1', ...env });
  const rt = await Runtime.create(config, { registry, announce: () => undefined });
  await rt.start();
  return { rt, handles, volume, endpoint: `http://127.0.0.1:${rt.addresses[0]!.port}` };
}

let a: Awaited<ReturnType<typeof runtime>>;
let b: Awaited<ReturnType<typeof runtime>>;
beforeAll(async () => {
  a = await runtime({});
  b = await runtime({ PERSISTENCE: '1' });
});
afterAll(async () => {
  for (const r of [a, b]) {
    await r?.rt.stop();
    if (r) rmSync(r.volume, { recursive: true, force: true });
  }
});

describe('asset folders in an export', () => {
  it('come across byte for byte into a fresh runtime, which keeps them (PERSISTENCE=1)', async () => {
    await a.rt.services.get('sqs');
    const { files, index } = a.handles[0]!;
    const big = randomBytes(3 * 1024 * 1024);
    mkdirSync(join(files.path, 'ab', 'cd'), { recursive: true });
    writeFileSync(join(files.path, 'ab', 'cd', 'body-1'), big);
    writeFileSync(join(files.path, 'body-2'), 'small');
    index.get().files['body-1'] = { size: big.length };
    index.changed('files', 'body-1');
    a.rt.services.state.flush('sqs');

    const res = await fetch(`${a.endpoint}/_localstack/state/export`);
    expect(res.headers.get('x-localstack-state-services')).toBe('sqs');
    const archive = Buffer.from(await res.arrayBuffer());
    // the frozen copies are gone once the archive has been sent
    expect(readdirSync(join(a.volume, 'tmp', 'state-archives'))).toEqual([]);

    const imported = await fetch(`${b.endpoint}/_localstack/state/import`, { method: 'POST', body: archive });
    expect(await imported.json()).toEqual({ status: 'ok', services: ['sqs'] });
    const target = b.handles[0]!;
    expect(target.events).toEqual(['loaded']);
    expect(target.files.path).toBe(join(b.volume, 'state', 'sqs', 'assets', 'bodies'));
    expect(readFileSync(join(target.files.path, 'ab', 'cd', 'body-1')).equals(big)).toBe(true);
    expect(readFileSync(join(target.files.path, 'body-2'), 'utf8')).toBe('small');
    expect(target.index.get().files).toEqual({ 'body-1': { size: big.length } });
    expect(existsSync(join(b.volume, 'state', 'sqs', 'snapshot'))).toBe(true);
    expect(readdirSync(join(b.volume, 'tmp', 'state-archives'))).toEqual([]);
  });

  it('a reset empties the asset folder, keeping the folder its provider holds', async () => {
    const target = b.handles[0]!;
    const r = await fetch(`${b.endpoint}/_localstack/state/sqs/reset`, { method: 'POST' });
    expect(r.status).toBe(200);
    expect(readdirSync(target.files.path)).toEqual([]);
    expect(target.index.get().files).toEqual({});
    expect(target.events).toEqual(['loaded', 'reset']);
    expect(existsSync(join(b.volume, 'state', 'sqs', 'snapshot'))).toBe(false);
  });
});
