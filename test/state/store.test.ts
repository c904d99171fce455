import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeState } from '../../runtime/state/codec.js';
import { StateManager, type StateChange } from '../../runtime/state/manager.js';
import { record } from '../../runtime/state/store.js';

const folders: string[] = [];
function volume(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ls-state-'));
  folders.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Params {
  parameters: Record<string, { value: string; labels: string[] }>;
}

function ssmLike(manager: StateManager) {
  const state = manager.service('ssm');
  const store = state.accountRegion<Params>('parameters', () => ({ parameters: record() }));
  manager.settle('ssm');
  return store;
}

describe('state stores', () => {
  it('give one state per account and region, and list them', () => {
    const store = ssmLike(new StateManager({ volumeDir: volume() }));
    store.get('111111111111', 'us-east-1').parameters.a = { value: '1', labels: [] };
    store.get('111111111111', 'eu-west-1');
    expect(store.get('111111111111', 'us-east-1').parameters.a!.value).toBe('1');
    expect(store.peek('222222222222', 'us-east-1')).toBeUndefined();
    expect([...store.entries()].map(([a, r]) => `${a}/${r}`)).toEqual(['111111111111/us-east-1', '111111111111/eu-west-1']);
  });

  it('hand marked changes to the backend with the values found at commit time, coalesced by path', () => {
    const commits: StateChange[][] = [];
    const manager = new StateManager({ volumeDir: volume(), backend: { assetFolder: (s, n) => join(volume(), s, n), commit: (c) => void commits.push([...c]) } });
    const store = ssmLike(manager);
    const state = store.get('000000000000', 'us-east-1');
    state.parameters.x = { value: 'one', labels: [] };
    store.changed('000000000000', 'us-east-1', 'parameters', 'x');
    state.parameters.x.value = 'two';
    store.changed('000000000000', 'us-east-1', 'parameters', 'x');
    manager.flush();
    expect(commits).toHaveLength(1);
    expect(commits[0]!.map((c) => [c.path.join('/'), c.present, c.value])).toEqual([
      ['000000000000/us-east-1', true, { parameters: { $np: 1, x: { value: 'two', labels: [] } } }],
      ['000000000000/us-east-1/parameters/x', true, { value: 'two', labels: [] }],
    ]);
    delete state.parameters.x;
    store.changed('000000000000', 'us-east-1', 'parameters', 'x');
    manager.flush();
    expect(commits[1]).toEqual([{ service: 'ssm', store: 'parameters', path: ['000000000000', 'us-east-1', 'parameters', 'x'], present: false }]);
  });

  it('records nothing without persistence or audit', () => {
    const manager = new StateManager({ volumeDir: volume() });
    expect(manager.recording).toBe(false);
    const store = ssmLike(manager);
    store.get('000000000000', 'us-east-1');
    expect(() => manager.flush('ssm')).not.toThrow();
  });

  it('replays changes onto a tree as a restart would, __proto__ keys included', () => {
    const manager = new StateManager({ volumeDir: volume() });
    const store = ssmLike(manager);
    store.apply(['000000000000', 'us-east-1', 'parameters', '__proto__'], true, { value: 'p', labels: [] });
    store.apply(['000000000000', 'us-east-1', 'parameters', 'gone'], false);
    expect(Object.keys(store.get('000000000000', 'us-east-1').parameters)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).value).toBeUndefined();
  });

  it('audit: passes marked changes and fails a change made without a mark', () => {
    const manager = new StateManager({ volumeDir: volume(), audit: true });
    const store = ssmLike(manager);
    const state = store.get('000000000000', 'us-east-1');
    state.parameters.a = { value: '1', labels: [] };
    store.changed('000000000000', 'us-east-1', 'parameters', 'a');
    expect(() => manager.flush('ssm')).not.toThrow();
    state.parameters.a.labels.push('silent');
    expect(() => manager.flush('ssm')).toThrow(/ssm\/parameters: 000000000000\.us-east-1\.parameters\.a\.labels\.0 changed without a mark/);
    // the audit starts again from the live state: the next request is judged on its own
    expect(() => manager.flush('ssm')).not.toThrow();
  });

  it('audit: notices what only the codec tells apart (bytes, dates, -0, a record turned plain)', () => {
    const manager = new StateManager({ volumeDir: volume(), audit: true });
    const store = manager.service('s3').global('buckets', () => ({ buckets: record<Record<string, unknown>>() }));
    manager.settle('s3');
    const bucket = (store.get().buckets.b = { body: Buffer.from('abc'), at: new Date(1000), n: 0, meta: record<string>(), gone: undefined as unknown });
    store.changed('buckets', 'b');
    expect(() => manager.flush('s3')).not.toThrow();
    const silently: Array<[string, () => void]> = [
      ['buckets.b.body', () => void (bucket.body[0] = 0x78)],
      ['buckets.b.at', () => void bucket.at.setTime(2000)],
      ['buckets.b.n', () => void (bucket.n = -0)],
      ['buckets.b.meta', () => void (bucket.meta = {})],
      ['buckets.b.gone', () => void (bucket.gone = null)],
    ];
    for (const [where, change] of silently) {
      change();
      expect(() => manager.flush('s3'), where).toThrow(`s3/buckets: ${where}`);
    }
    // an undefined member reads as absent, as the codec writes it
    bucket.gone = undefined;
    store.changed('buckets', 'b');
    manager.flush('s3');
    delete bucket.gone;
    expect(() => manager.flush('s3')).not.toThrow();
  });

  it('reset empties stores and asset folders', async () => {
    const manager = new StateManager({ volumeDir: volume() });
    const state = manager.service('s3');
    const buckets = state.global('buckets', () => ({ buckets: record<string>() }));
    const bodies = state.assets('objects');
    buckets.get().buckets.b = 'x';
    const { writeFileSync, readdirSync, existsSync } = await import('node:fs');
    writeFileSync(join(bodies.path, 'blob'), 'data');
    manager.reset('s3');
    expect(buckets.get().buckets).toEqual({});
    expect(readdirSync(bodies.path)).toEqual([]);
    manager.close();
    expect(existsSync(bodies.path)).toBe(false);
  });

  it('refuses a store declared twice or with a name that is not a file name', () => {
    const state = new StateManager({ volumeDir: volume() }).service('x');
    state.account('a', () => ({}));
    expect(() => state.global('a', () => ({}))).toThrow(/declared twice/);
    expect(() => state.global('../up', () => ({}))).toThrow(/lower-case/);
  });

  it('account and global stores: one state per account, one for the runtime, marked by path', () => {
    const commits: StateChange[] = [];
    const manager = new StateManager({ volumeDir: volume(), backend: { assetFolder: (s, n) => join(volume(), s, n), commit: (c) => void commits.push(...c) } });
    const state = manager.service('sts');
    const sessions = state.account('sessions', () => ({ keys: record<string>() }));
    const names = state.global('names', () => ({ taken: record<string>() }));
    sessions.get('111111111111').keys.a = 'one';
    sessions.changed('111111111111', 'keys', 'a');
    names.get().taken.b = '111111111111';
    names.changed('taken', 'b');
    manager.flush();
    expect(commits.map((c) => `${c.store}:${c.path.join('/')}`)).toEqual(['sessions:111111111111', 'sessions:111111111111/keys/a', 'names:taken/b']);
    expect(sessions.peek('222222222222')).toBeUndefined();
    expect([...sessions.entries()].map(([account]) => account)).toEqual(['111111111111']);
    // a global store resets to what its factory makes, not to an empty tree
    names.reset();
    expect(names.get()).toEqual({ taken: {} });
  });

  it('journal replay rebuilds the same state in a fresh runtime (what a restart does)', () => {
    const commits: StateChange[] = [];
    const backend = { assetFolder: (s: string, n: string) => join(volume(), s, n), commit: (c: readonly StateChange[]) => void commits.push(...c) };
    const before = new StateManager({ volumeDir: volume(), backend });
    const store = ssmLike(before);
    const state = store.get('000000000000', 'us-east-1');
    for (const name of ['__proto__', 'constructor', 'toString', 'plain']) {
      state.parameters[name] = { value: name, labels: [] };
      store.changed('000000000000', 'us-east-1', 'parameters', name);
    }
    before.flush('ssm');
    delete state.parameters.plain;
    store.changed('000000000000', 'us-east-1', 'parameters', 'plain');
    state.parameters['toString' as string]!.labels.push('v2');
    store.changed('000000000000', 'us-east-1', 'parameters', 'toString');
    before.flush('ssm');

    const after = ssmLike(new StateManager({ volumeDir: volume() }));
    for (const c of commits) after.apply(c.path, c.present, c.present ? decodeState(JSON.parse(JSON.stringify(c.value))) : undefined);
    const restored = after.get('000000000000', 'us-east-1').parameters;
    expect(Object.keys(restored)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getPrototypeOf(restored)).toBe(null);
    expect(restored['toString' as string]).toEqual({ value: 'toString', labels: ['v2'] });
    expect(restored.__proto__).toEqual({ value: '__proto__', labels: [] });
  });

  it('flushes changes made outside a request on the next turn, and fails the request when the backend cannot write', async () => {
    const commits: StateChange[][] = [];
    let broken = false;
    const manager = new StateManager({
      volumeDir: volume(),
      backend: {
        assetFolder: (s, n) => join(volume(), s, n),
        commit: (c) => {
          if (broken) throw new Error('disk full');
          commits.push([...c]);
        },
      },
    });
    const store = ssmLike(manager);
    store.get('000000000000', 'us-east-1').parameters.t = { value: 'timer', labels: [] };
    store.changed('000000000000', 'us-east-1', 'parameters', 't');
    expect(commits).toHaveLength(0);
    await new Promise((r) => setImmediate(r));
    expect(commits.flat().map((c) => c.path.at(-1))).toEqual(['us-east-1', 't']);
    broken = true;
    store.changed('000000000000', 'us-east-1', 'parameters', 't');
    expect(() => manager.flush('ssm')).toThrow(/disk full/);
  });

  it('resets one service without touching another, and reads nothing inherited by path', () => {
    const manager = new StateManager({ volumeDir: volume() });
    const ssm = ssmLike(manager);
    const other = manager.service('sts').account('sessions', () => ({ keys: record<string>() }));
    ssm.get('000000000000', 'us-east-1').parameters.a = { value: '1', labels: [] };
    other.get('000000000000').keys.k = 'v';
    manager.reset('ssm');
    expect(ssm.peek('000000000000', 'us-east-1')).toBeUndefined();
    expect(other.get('000000000000').keys.k).toBe('v');
    expect(other.valueAt(['000000000000', 'keys', 'toString'])).toBeUndefined();
    expect(other.valueAt(['000000000000', 'keys', 'k', 'length'])).toBeUndefined();
    expect(() => other.replace([])).toThrow(/a store's data is an object/);
  });
});
