/**
 * The persistence backend in process: a state manager with a store, written through each
 * strategy and read back by a fresh manager on the same folder, as a restart would.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoadStrategy, SaveStrategy } from '../../runtime/config.js';
import { StateManager } from '../../runtime/state/manager.js';
import { PersistenceBackend } from '../../runtime/state/persistence/backend.js';
import { frame } from '../../runtime/state/persistence/framing.js';
import { record } from '../../runtime/state/store.js';

const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ls-persist-'));
  folders.push(dir);
  return dir;
}

interface Items {
  items: Record<string, { value: string; at?: Date; bytes?: Uint8Array }>;
}

interface Options {
  save?: SaveStrategy;
  load?: LoadStrategy;
  strict?: boolean;
  compactMinBytes?: number;
}

/** A runtime's worth of state on `volume`: a manager, a backend and one store of service `svc`. */
function open(volume: string, options: Options = {}) {
  const backend = new PersistenceBackend({
    root: join(volume, 'state'),
    save: options.save ?? 'ON_REQUEST',
    load: options.load ?? 'ON_REQUEST',
    flushIntervalSeconds: 3600,
    strict: options.strict ?? false,
    compactMinBytes: options.compactMinBytes,
  });
  const manager = new StateManager({ volumeDir: volume, backend, audit: true });
  const state = manager.service('svc');
  const store = state.accountRegion<Items>('items', () => ({ items: record() }));
  const loaded = manager.load('svc');
  /** One change, committed as a request would be: resolved once acknowledged (written). */
  const put = async (name: string, value: string) => {
    store.get('000000000000', 'us-east-1').items[name] = { value };
    store.changed('000000000000', 'us-east-1', 'items', name);
    await manager.flush('svc');
  };
  const items = () => ({ ...store.peek('000000000000', 'us-east-1')?.items });
  const values = () => Object.fromEntries(Object.entries(items()).map(([k, v]) => [k, v.value]));
  return { backend, manager, store, loaded, put, items, values, stop: () => manager.close() };
}

const dir = (volume: string) => join(volume, 'state', 'svc');

describe('persistence backend', () => {
  it('ON_REQUEST: each commit is in the journal when flush returns, and a fresh manager reads it back', async () => {
    const volume = folder();
    const a = open(volume);
    expect(a.loaded).toBe(false);
    await a.put('one', '1');
    await a.put('__proto__', 'p');
    await a.put('toString', 't');
    // no close: as after kill -9
    const b = open(volume);
    expect(b.loaded).toBe(true);
    expect(Object.entries(b.values())).toEqual([
      ['one', '1'],
      ['__proto__', 'p'],
      ['toString', 't'],
    ]);
    expect(Object.getPrototypeOf(b.store.peek('000000000000', 'us-east-1')!.items)).toBeNull();
    a.backend.close();
    b.stop();
  });

  it('keeps dates and bytes exactly, and deletions', async () => {
    const volume = folder();
    const a = open(volume);
    const items = a.store.get('000000000000', 'us-east-1').items;
    items.x = { value: 'x', at: new Date('2026-01-02T03:04:05.678Z'), bytes: Buffer.from([0, 255, 7]) };
    items.y = { value: 'y' };
    a.store.changed('000000000000', 'us-east-1', 'items');
    await a.manager.flush('svc');
    delete items.y;
    a.store.changed('000000000000', 'us-east-1', 'items', 'y');
    await a.manager.flush('svc');
    const b = open(volume);
    const x = b.items().x!;
    expect(x.at).toEqual(new Date('2026-01-02T03:04:05.678Z'));
    expect(Buffer.from(x.bytes!)).toEqual(Buffer.from([0, 255, 7]));
    expect(Object.keys(b.items())).toEqual(['x']);
    a.backend.close();
    b.stop();
  });

  it('compacts a journal that outgrows its bound into a snapshot, in the background, without losing a change', async () => {
    const volume = folder();
    const a = open(volume, { compactMinBytes: 2000 });
    for (let i = 0; i < 200; i++) await a.put(`k${i}`, 'v'.repeat(20));
    // compaction runs after the "response" (setImmediate), its fsync after that
    await new Promise((r) => setTimeout(r, 200));
    for (let i = 200; i < 210; i++) await a.put(`k${i}`, 'after');
    const files = readdirSync(dir(volume));
    expect(files).toContain('snapshot');
    // the journals left are those after the last snapshot: a fraction of all 210 records
    const journals = files.filter((f) => f.startsWith('journal-'));
    expect(journals.length).toBeGreaterThan(0);
    const left = journals.reduce((sum, j) => sum + readFileSync(join(dir(volume), j)).length, 0);
    expect(left).toBeLessThan(10_000);
    const b = open(volume);
    expect(Object.keys(b.values())).toHaveLength(210);
    expect(b.values().k205).toBe('after');
    a.backend.close();
    b.stop();
  });

  it('a snapshot interrupted before it was put in place leaves the journals that restore everything', async () => {
    const volume = folder();
    const a = open(volume, { compactMinBytes: 1 });
    await a.put('a', '1');
    await a.put('b', '2'); // schedules a compaction: it takes its snapshot on the next turn
    // the next turn never comes (kill -9): a fresh manager reads journal 0 alone
    const b = open(volume);
    expect(b.values()).toEqual({ a: '1', b: '2' });
    a.backend.close();
    b.stop();
  });

  it('drops a torn tail, keeps the records before it, and appends after them', async () => {
    const volume = folder();
    const a = open(volume);
    await a.put('a', '1');
    await a.put('b', '2');
    a.backend.close();
    const journal = join(dir(volume), 'journal-0');
    const whole = readFileSync(journal).length;
    // a third record cut in the middle of its payload
    appendFileSync(journal, frame('[["items",["000000000000","us-east-1","items","c"],1,{"value":"3"}]]').slice(0, 30));
    const b = open(volume);
    expect(b.values()).toEqual({ a: '1', b: '2' });
    expect(readFileSync(journal).length).toBe(whole);
    await b.put('d', '4');
    b.backend.close();
    const c = open(volume);
    expect(c.values()).toEqual({ a: '1', b: '2', d: '4' });
    c.stop();
  });

  it('ON_SHUTDOWN writes nothing until shutdown, then a snapshot', async () => {
    const volume = folder();
    const a = open(volume, { save: 'ON_SHUTDOWN' });
    await a.put('a', '1');
    expect(existsSync(dir(volume))).toBe(false);
    a.stop();
    expect(readdirSync(dir(volume))).toEqual(['snapshot']);
    const b = open(volume, { save: 'ON_SHUTDOWN' });
    expect(b.values()).toEqual({ a: '1' });
    b.stop();
  });

  it('MANUAL saves only when told, and never at shutdown', async () => {
    const volume = folder();
    const a = open(volume, { save: 'MANUAL' });
    await a.put('a', '1');
    a.manager.save();
    await a.put('b', '2');
    a.stop();
    const b = open(volume, { save: 'MANUAL' });
    expect(b.values()).toEqual({ a: '1' });
    b.stop();
  });

  it('MANUAL loading leaves the saved state alone until it is loaded, or saved over', async () => {
    const volume = folder();
    const a = open(volume);
    await a.put('a', '1');
    a.stop();
    const b = open(volume, { load: 'MANUAL' });
    expect(b.loaded).toBe(false);
    expect(b.values()).toEqual({});
    expect(b.manager.load('svc', true)).toBe(true);
    expect(b.values()).toEqual({ a: '1' });
    b.stop();
    const c = open(volume, { load: 'MANUAL' });
    await c.put('z', '9'); // not what the files hold: they stay as they are...
    c.stop();
    expect(open(volume).values()).toEqual({ a: '1' });
    const d = open(volume, { load: 'MANUAL' });
    await d.put('z', '9');
    d.manager.save(); // ...unless a save asks for it
    d.backend.close();
    const e = open(volume);
    expect(e.values()).toEqual({ z: '9' });
    e.stop();
  });

  it('cuts a wide record into several snapshot records and restores it exactly', async () => {
    const volume = folder();
    const a = open(volume, { save: 'ON_SHUTDOWN' });
    const items = a.store.get('000000000000', 'us-east-1').items;
    for (let i = 0; i < 10_000; i++) items[`k${i}`] = { value: String(i) };
    items.__proto__ = { value: 'proto' };
    a.store.changed('000000000000', 'us-east-1', 'items');
    a.stop();
    const lines = readFileSync(join(dir(volume), 'snapshot'), 'utf8').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(4);
    const b = open(volume);
    expect(Object.keys(b.items())).toHaveLength(10_001);
    expect(b.values().k9999).toBe('9999');
    expect(b.values().__proto__).toBe('proto');
    b.stop();
  });

  it('moves a damaged snapshot aside with one line, starting empty; refuses with strict loading', async () => {
    const volume = folder();
    const a = open(volume, { save: 'ON_SHUTDOWN' });
    await a.put('a', '1');
    a.stop();
    const snapshot = join(dir(volume), 'snapshot');
    const bytes = readFileSync(snapshot);
    bytes[bytes.length - 20] ^= 0x04;
    writeFileSync(snapshot, bytes);
    const strict = new PersistenceBackend({ root: join(volume, 'state'), save: 'ON_REQUEST', load: 'ON_REQUEST', flushIntervalSeconds: 15, strict: true });
    expect(() => strict.verify()).toThrow(/svc's snapshot .* is damaged at byte \d+ \([a-z ]+\); refusing to start \(SNAPSHOT_LOAD_STRICT=1\)$/);
    strict.close();
    const b = open(volume);
    expect(b.loaded).toBe(false);
    expect(b.values()).toEqual({});
    expect(existsSync(snapshot)).toBe(false);
    const aside = readdirSync(dir(volume)).find((f) => f.startsWith('unreadable-'))!;
    expect(readdirSync(join(dir(volume), aside))).toEqual(['snapshot']);
    b.stop();
  });

  it('refuses files of a newer format version (moved aside, or strict: no start)', async () => {
    const volume = folder();
    mkdirSync(dir(volume), { recursive: true });
    writeFileSync(join(dir(volume), 'journal-0'), frame(JSON.stringify({ kind: 'journal', format: 99, codec: 1, service: 'svc', generation: 0, runtime: '9.0.0' })));
    const strict = new PersistenceBackend({ root: join(volume, 'state'), save: 'ON_REQUEST', load: 'ON_REQUEST', flushIntervalSeconds: 15, strict: true });
    expect(() => strict.verify()).toThrow(/was written by a newer version \(localstack-ts 9\.0\.0, file format 99/);
    strict.close();
    const b = open(volume);
    expect(b.values()).toEqual({});
    expect(readdirSync(dir(volume)).some((f) => f.startsWith('unreadable-'))).toBe(true);
    b.stop();
  });

  it('reset removes the saved files of one service, and of services that never started', async () => {
    const volume = folder();
    const a = open(volume);
    await a.put('a', '1');
    mkdirSync(join(volume, 'state', 'other', 'assets', 'objects'), { recursive: true });
    writeFileSync(join(volume, 'state', 'other', 'snapshot'), 'x');
    a.manager.reset('svc');
    expect(existsSync(dir(volume))).toBe(false);
    expect(a.backend.saved()).toEqual(['other']);
    a.manager.reset();
    expect(existsSync(join(volume, 'state', 'other'))).toBe(false);
    await a.put('b', '2');
    a.backend.close();
    expect(open(volume).values()).toEqual({ b: '2' });
  });
});
