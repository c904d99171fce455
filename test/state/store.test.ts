import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
});
