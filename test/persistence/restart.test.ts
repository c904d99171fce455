/**
 * PERSISTENCE=1 through real clients: SSM and STS state written, the runtime restarted on the
 * same volume, the state read back, for each SNAPSHOT_SAVE_STRATEGY and load strategy.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { sdkError } from '../support/sdk-error.js';
import { expectState, post, ssm, start, volume, writeState } from '../support/state.js';

const check = (actual: unknown, expected: unknown) => expect(actual).toEqual(expected);

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('state survives a restart', () => {
  it('ON_REQUEST (the default): every acknowledged change, even after kill -9', async () => {
    const v = volume();
    const a = await start(v, { PERSISTENCE: '1' });
    const { credentials } = await writeState(a.endpoint);
    expect(await a.stop('SIGKILL')).toBe(null);
    const b = await start(v, { PERSISTENCE: '1' });
    await expectState(b.endpoint, credentials, check);
    // and once more after a clean stop, which compacts the journals into snapshots
    expect(await b.stop()).toBe(0);
    expect(existsSync(join(v, 'state', 'ssm', 'snapshot'))).toBe(true);
    const c = await start(v, { PERSISTENCE: '1' });
    await expectState(c.endpoint, credentials, check);
    await c.stop();
  });

  it('ON_SHUTDOWN: at a graceful stop', async () => {
    const v = volume();
    const env = { PERSISTENCE: '1', SNAPSHOT_SAVE_STRATEGY: 'ON_SHUTDOWN' };
    const a = await start(v, env);
    const { credentials } = await writeState(a.endpoint);
    expect(existsSync(join(v, 'state', 'ssm'))).toBe(false);
    expect(await a.stop('SIGTERM')).toBe(0);
    const b = await start(v, env);
    await expectState(b.endpoint, credentials, check);
    await b.stop();
  });

  it('SCHEDULED: every SNAPSHOT_FLUSH_INTERVAL seconds, without a shutdown', async () => {
    const v = volume();
    const env = { PERSISTENCE: '1', SNAPSHOT_SAVE_STRATEGY: 'SCHEDULED', SNAPSHOT_FLUSH_INTERVAL: '1' };
    const a = await start(v, env);
    const { credentials } = await writeState(a.endpoint);
    // a snapshot file appears by the rename that ends a (background) save
    await until(() => existsSync(join(v, 'state', 'ssm', 'snapshot')) && existsSync(join(v, 'state', 'sts', 'snapshot')));
    await a.stop('SIGKILL');
    const b = await start(v, env);
    await expectState(b.endpoint, credentials, check);
    await b.stop();
  });

  it('MANUAL: only what POST /_localstack/state/save wrote', async () => {
    const v = volume();
    const env = { PERSISTENCE: '1', SNAPSHOT_SAVE_STRATEGY: 'MANUAL' };
    const a = await start(v, env);
    const { credentials } = await writeState(a.endpoint);
    const saved = await post(a.endpoint, '/_localstack/state/save');
    expect(saved).toEqual({ status: 200, json: { status: 'ok', services: ['ssm', 'sts'] } });
    await ssm(a.endpoint).send(new PutParameterCommand({ Name: '/app/after-save', Value: 'lost', Type: 'String' }));
    await a.stop('SIGTERM'); // no save at shutdown either
    const b = await start(v, env);
    await expectState(b.endpoint, credentials, check);
    expect(await sdkError(ssm(b.endpoint).send(new GetParameterCommand({ Name: '/app/after-save' })))).toMatchObject({ name: 'ParameterNotFound' });
    await b.stop();
  });

  it('a soft restart (POST /_localstack/health {"action":"restart"}) saves as the strategy says and loads again', async () => {
    const v = volume();
    const rt = await start(v, { PERSISTENCE: '1', SNAPSHOT_SAVE_STRATEGY: 'ON_SHUTDOWN' });
    const { credentials } = await writeState(rt.endpoint);
    const restarted = await fetch(`${rt.endpoint}/_localstack/health`, { method: 'POST', body: JSON.stringify({ action: 'restart' }) });
    expect(restarted.status).toBe(200);
    expect(existsSync(join(v, 'state', 'ssm', 'snapshot'))).toBe(true);
    const health = (await (await fetch(`${rt.endpoint}/_localstack/health`)).json()) as { services: Record<string, string> };
    expect(health.services.ssm).toBe('available');
    await expectState(rt.endpoint, credentials, check);
    await rt.stop();
  });

  it('SNAPSHOT_LOAD_STRATEGY=ON_STARTUP starts the services that have saved state at boot', async () => {
    const v = volume();
    const a = await start(v, { PERSISTENCE: '1' });
    const { credentials } = await writeState(a.endpoint);
    await a.stop();
    const b = await start(v, { PERSISTENCE: '1', SNAPSHOT_LOAD_STRATEGY: 'ON_STARTUP' });
    const health = (await (await fetch(`${b.endpoint}/_localstack/health`)).json()) as { services: Record<string, string> };
    expect(health.services).toMatchObject({ ssm: 'running', sts: 'running', s3: 'available' });
    await expectState(b.endpoint, credentials, check);
    await b.stop();
  });

  it('SNAPSHOT_LOAD_STRATEGY=MANUAL loads on POST /_localstack/state/load, into running services too', async () => {
    const v = volume();
    const a = await start(v, { PERSISTENCE: '1' });
    const { credentials } = await writeState(a.endpoint);
    await a.stop();
    const b = await start(v, { PERSISTENCE: '1', SNAPSHOT_LOAD_STRATEGY: 'MANUAL' });
    // ssm runs, empty: the saved state is still on disk
    expect(await sdkError(ssm(b.endpoint).send(new GetParameterCommand({ Name: '/app/name' })))).toMatchObject({ name: 'ParameterNotFound' });
    expect(await post(b.endpoint, '/_localstack/state/load')).toEqual({ status: 200, json: { status: 'ok', services: ['ssm', 'sts'] } });
    await expectState(b.endpoint, credentials, check);
    await b.stop();
  });

  it('bad strategy values stop the start with one line', async () => {
    for (const [name, value] of [
      ['SNAPSHOT_SAVE_STRATEGY', 'SOMETIMES'],
      ['SNAPSHOT_LOAD_STRATEGY', 'LATER'],
      ['SNAPSHOT_FLUSH_INTERVAL', '-1'],
    ]) {
      const failure = await start(volume(), { PERSISTENCE: '1', [name!]: value! }).then(
        () => undefined,
        (e: Error) => e.message,
      );
      expect(failure).toContain('runtime exited with 2');
      const stderr = failure!.slice(failure!.indexOf('stderr: ') + 'stderr: '.length).trim();
      expect(stderr.split('\n'), stderr).toHaveLength(1);
      expect(stderr).toMatch(new RegExp(`^localstack: ${name} must be `));
    }
  });
});
