/**
 * The crash guarantees of PERSISTENCE=1 (ON_REQUEST): every acknowledged write survives
 * kill -9, whatever was in flight, and a journal cut in the middle of a record (a write the
 * kill interrupted) starts cleanly with the records before it.
 */
import { readdirSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { GetParametersCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import type { RuntimeProcess } from '../support/runtime.js';
import { ssm, start, volume } from '../support/state.js';

// (without the audit, which compares the whole store after every request: quadratic over 2,000 writes)
const ENV = { PERSISTENCE: '1', STATE_AUDIT: '0' };
const WORKERS = 8;

/**
 * Writers on WORKERS connections, each putting its own parameters one after another until
 * stopped (or the runtime dies); `acked` collects the names that got a 200.
 */
function writers(rt: RuntimeProcess, acked: Set<string>, prefix: string) {
  let stop = false;
  const runs = Array.from({ length: WORKERS }, async (_, w) => {
    const client = ssm(rt.endpoint); // a client of its own: a connection of its own
    for (let i = 0; !stop; i++) {
      const name = `/crash/${prefix}/w${w}/p${i}`;
      try {
        await client.send(new PutParameterCommand({ Name: name, Value: `${name}=v`, Type: 'String' }));
        acked.add(name);
      } catch {
        return; // the runtime is gone
      }
    }
  });
  return {
    stop: async () => {
      stop = true;
      await Promise.all(runs);
    },
  };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

/** Every name must be there with its value. */
async function expectAll(endpoint: string, names: readonly string[]): Promise<void> {
  const client = ssm(endpoint);
  const missing: string[] = [];
  for (let i = 0; i < names.length; i += 10) {
    const batch = names.slice(i, i + 10);
    const out = await client.send(new GetParametersCommand({ Names: batch }));
    missing.push(...(out.InvalidParameters ?? []));
    for (const p of out.Parameters ?? []) expect(p.Value).toBe(`${p.Name}=v`);
  }
  expect(missing).toEqual([]);
}

describe('kill -9 with writes in flight', () => {
  it('keeps every one of 2,000 acknowledged PutParameter writes', async () => {
    const v = volume();
    const acked = new Set<string>();
    // first run: killed while 8 connections write, after 1,000 acknowledgements
    let rt = await start(v, ENV);
    let load = writers(rt, acked, 'a');
    await until(() => acked.size >= 1000);
    await rt.stop('SIGKILL');
    await load.stop();
    // second run: goes on until 2,000 were acknowledged in all, killed again mid-flight
    rt = await start(v, ENV);
    await expectAll(rt.endpoint, [...acked]);
    load = writers(rt, acked, 'b');
    await until(() => acked.size >= 2000);
    await rt.stop('SIGKILL');
    await load.stop();
    expect(acked.size).toBeGreaterThanOrEqual(2000);
    rt = await start(v, ENV);
    await expectAll(rt.endpoint, [...acked]);
    await rt.stop();
  });

  it('a journal cut in the middle of a record: a clean start with the records before it, and one line', async () => {
    const v = volume();
    let rt = await start(v, { PERSISTENCE: '1' });
    const client = ssm(rt.endpoint);
    for (const name of ['/cut/one', '/cut/two', '/cut/three']) await client.send(new PutParameterCommand({ Name: name, Value: `${name}=v`, Type: 'String' }));
    await rt.stop('SIGKILL');
    const dir = join(v, 'state', 'ssm');
    const journal = join(dir, readdirSync(dir).find((f) => f.startsWith('journal-'))!);
    const lines = readFileSync(journal, 'utf8').split('\n');
    const lastRecord = Buffer.byteLength(lines[lines.length - 2]!) + 1;
    truncateSync(journal, statSync(journal).size - Math.floor(lastRecord / 2));
    rt = await start(v, { PERSISTENCE: '1' });
    await expectAll(rt.endpoint, ['/cut/one', '/cut/two']);
    expect((await ssm(rt.endpoint).send(new GetParametersCommand({ Names: ['/cut/three'] }))).InvalidParameters).toEqual(['/cut/three']);
    const dropped = (await rt.waitForStderr('dropped')).split('\n').filter((l) => l.includes('dropped'));
    expect(dropped).toHaveLength(1);
    const left = lastRecord - Math.floor(lastRecord / 2);
    expect(dropped[0]).toMatch(new RegExp(`WARN .* ssm: dropped ${left} bytes at the end of the journal \\(.+; a write cut short, never acknowledged\\); 2 records restored$`));
    // the journal goes on after the last whole record
    await ssm(rt.endpoint).send(new PutParameterCommand({ Name: '/cut/four', Value: '/cut/four=v', Type: 'String' }));
    await rt.stop('SIGKILL');
    rt = await start(v, { PERSISTENCE: '1' });
    await expectAll(rt.endpoint, ['/cut/one', '/cut/two', '/cut/four']);
    await rt.stop();
  });
});
