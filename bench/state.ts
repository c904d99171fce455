/**
 * `npm run bench:state`: what PERSISTENCE=1 costs to write and to restore, for a large state.
 *
 * For each fixture (100,000 SSM parameters; 100,000 S3 objects of 1 KiB, in one bucket; add a
 * Fixture below for another service), on a volume of its own:
 *
 *   write     the items put through the real provider in process (its operation handlers,
 *             no HTTP), each change committed to the journal as a request would: items/s,
 *             journal MB
 *   replay    a fresh state manager loads the service from the journal alone: ms
 *   compact   the journal compacted into a snapshot: ms, snapshot MB
 *   restore   a fresh state manager loads the service from the snapshot: ms, heap growth
 *   process   the runtime (dist/runtime/main.js) started on that volume, timed from spawn to
 *             the first answered read of an item (which loads the service lazily), next to
 *             the same start on an empty volume: ms
 *
 * Options: --items N (default 100000), --fixtures ssm,s3 (names, comma-separated).
 * Results are printed and written as JSON under bench/results/state-*.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { loadConfig } from '../runtime/config.js';
import { ServiceManager } from '../runtime/services/manager.js';
import type { OperationContext, Provider, ProviderModule } from '../runtime/services/provider.js';
import { StateManager } from '../runtime/state/manager.js';
import { PersistenceBackend } from '../runtime/state/persistence/backend.js';
import { freePort } from './ports.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const RUNTIME = join(root, 'dist', 'runtime', 'main.js');
const MB = 1e6;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}
const ITEMS = Number(arg('items') ?? 100_000);
const ONLY = arg('fixtures')?.split(',');

/** A kind of state to fill, restore and probe. */
interface Fixture {
  readonly name: string;
  readonly service: string;
  load(): Promise<ProviderModule>;
  /** Runs once before the items are written (an S3 bucket). */
  setup?(provider: Provider, ctx: OperationContext): Promise<unknown>;
  /** Writes item `i` through the provider. */
  put(provider: Provider, ctx: OperationContext, i: number): Promise<unknown>;
  /** Reads item `i` from a running runtime (the first answered call after a start). */
  probe(endpoint: string, i: number): Promise<void>;
}

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

const FIXTURES: Fixture[] = [
  {
    name: 'ssm',
    service: 'ssm',
    load: () => import('../runtime/services/ssm/provider.js'),
    put: (provider, ctx, i) => provider.operations.PutParameter!(ctx, { Name: `/bench/${i % 100}/param-${i}`, Value: `value of parameter ${i}`, Type: 'String' }),
    probe: async (endpoint, i) => {
      const client = new SSMClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
      const out = await client.send(new GetParameterCommand({ Name: `/bench/${i % 100}/param-${i}` }));
      if (out.Parameter?.Value !== `value of parameter ${i}`) throw new Error(`restored the wrong value: ${out.Parameter?.Value}`);
      client.destroy();
    },
  },
  {
    name: 's3',
    service: 's3',
    load: () => import('../runtime/services/s3/provider.js'),
    setup: (provider, ctx) => provider.operations.CreateBucket!(ctx, { Bucket: 'bench-state' }),
    // 1 KiB bodies: the first 64 MiB of them kept in the state itself, the rest in files
    put: (provider, ctx, i) => provider.operations.PutObject!(ctx, { Bucket: 'bench-state', Key: `objects/${i % 100}/object-${i}`, Body: Buffer.alloc(1024, i % 251) }),
    probe: async (endpoint, i) => {
      const client = new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
      const out = await client.send(new GetObjectCommand({ Bucket: 'bench-state', Key: `objects/${i % 100}/object-${i}` }));
      const body = await out.Body!.transformToByteArray();
      if (body.length !== 1024 || body[0] !== i % 251) throw new Error('restored the wrong body');
      client.destroy();
    },
  },
];

function context(service: string, operation: string): OperationContext {
  return { accountId: '000000000000', region: 'us-east-1', requestId: 'bench', accessKeyId: 'test', service, operation, headers: {}, internal: false, principal: undefined };
}

/**
 * A state manager with a persistence backend on `volume`, and a service manager that starts
 * the fixture's provider (which loads its saved state: timed).
 */
async function open(fixture: Fixture, volume: string) {
  const backend = new PersistenceBackend({ root: join(volume, 'state'), save: 'ON_REQUEST', load: 'ON_REQUEST', flushIntervalSeconds: 15, strict: false, compactMinBytes: Number.MAX_SAFE_INTEGER });
  const manager = new StateManager({ volumeDir: volume, backend });
  const services = new ServiceManager(loadConfig({ LOCALSTACK_VOLUME_DIR: volume }).config, { [fixture.service]: { load: fixture.load } }, { state: manager });
  await fixture.load(); // the module's import is not part of the load
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const provider = await services.get(fixture.service);
  const loadMs = performance.now() - started;
  return { backend, manager, provider, loadMs, heapMiB: (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024 };
}

function bytesOf(dir: string, prefix: string): number {
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix))
    .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

/** Spawn to the first answered probe, on `volume`. */
async function firstAnswer(fixture: Fixture, volume: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [RUNTIME], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', GATEWAY_LISTEN: `127.0.0.1:${port}`, INIT_HOOKS_DIR: '/nonexistent', LOCALSTACK_VOLUME_DIR: volume, PERSISTENCE: '1' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      try {
        await fixture.probe(`http://127.0.0.1:${port}`, ITEMS - 1);
        return performance.now() - started;
      } catch (error) {
        // not listening yet
        if (!/ECONNREFUSED|socket hang up|ECONNRESET/.test(`${(error as Error).name} ${(error as Error).message}`)) throw error;
        if (performance.now() - started > 120_000) throw new Error('no answer within 120 s');
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  } finally {
    child.kill('SIGKILL');
  }
}

async function measure(fixture: Fixture) {
  const volume = mkdtempSync(join(tmpdir(), `bench-state-${fixture.name}-`));
  const dir = join(volume, 'state', fixture.service);
  try {
    // each phase in a function of its own, so that the state of one is garbage by the next
    const { writeMs, journalBytes } = await (async () => {
      const writer = await open(fixture, volume);
      const ctx = context(fixture.service, 'Put');
      await fixture.setup?.(writer.provider, ctx);
      await writer.manager.flush(fixture.service);
      const started = performance.now();
      for (let i = 0; i < ITEMS; i++) {
        await fixture.put(writer.provider, ctx, i);
        await writer.manager.flush(fixture.service); // acknowledged: written
      }
      const ms = performance.now() - started;
      writer.backend.close(); // as a kill would: no compaction (the journal's bound was raised for this run)
      return { writeMs: ms, journalBytes: bytesOf(dir, 'journal-') };
    })();
    console.log(`  ${fixture.name}: wrote ${ITEMS} items in ${writeMs.toFixed(0)} ms (${((ITEMS / writeMs) * 1000).toFixed(0)}/s), journal ${(journalBytes / MB).toFixed(1)} MB`);

    const { replayMs, compactMs } = await (async () => {
      (globalThis as { gc?: () => void }).gc?.();
      const replay = await open(fixture, volume);
      // compacted as at shutdown
      const started = performance.now();
      replay.manager.close();
      return { replayMs: replay.loadMs, compactMs: performance.now() - started };
    })();
    console.log(`  ${fixture.name}: restored from the journal alone in ${replayMs.toFixed(0)} ms`);
    const snapshotBytes = statSync(join(dir, 'snapshot')).size;
    console.log(`  ${fixture.name}: compacted into a snapshot of ${(snapshotBytes / MB).toFixed(1)} MB in ${compactMs.toFixed(0)} ms`);

    (globalThis as { gc?: () => void }).gc?.();
    const restore = await open(fixture, volume);
    console.log(`  ${fixture.name}: restored from the snapshot in ${restore.loadMs.toFixed(0)} ms (heap +${restore.heapMiB.toFixed(0)} MiB)`);
    restore.manager.close();

    const empty = mkdtempSync(join(tmpdir(), 'bench-state-empty-'));
    let emptyMs: number;
    try {
      // on an empty volume the read answers "not found" (an AWS error): answered all the same
      const notFound = (endpoint: string, i: number) =>
        fixture.probe(endpoint, i).catch((error: Error & { $metadata?: { httpStatusCode?: number } }) => {
          if (error.$metadata?.httpStatusCode === undefined) throw error;
        });
      emptyMs = await firstAnswer({ ...fixture, probe: notFound }, empty);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    const processMs = await firstAnswer(fixture, volume);
    console.log(`  ${fixture.name}: spawn to the first answered read ${processMs.toFixed(0)} ms restored, ${emptyMs.toFixed(0)} ms empty`);
    return { fixture: fixture.name, items: ITEMS, writeMs, journalMB: journalBytes / MB, replayMs, compactMs, snapshotMB: snapshotBytes / MB, restoreMs: restore.loadMs, restoreHeapMiB: restore.heapMiB, processMs, emptyProcessMs: emptyMs };
  } finally {
    rmSync(volume, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const machine = `${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}`;
  console.log(`bench:state on ${machine}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const results = [];
  for (const fixture of FIXTURES.filter((f) => !ONLY || ONLY.includes(f.name))) results.push(await measure(fixture));
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `state-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine, loadavg: loadavg(), results }, null, 2));
  console.log(`raw results: ${file}`);
}

await main();
