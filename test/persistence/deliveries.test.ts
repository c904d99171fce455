/**
 * Pending deliveries between services with PERSISTENCE=1: journaled like any state, so a
 * delivery the target has not taken yet survives the process being killed and is delivered
 * by the next one, whatever SNAPSHOT_LOAD_STRATEGY says (it is work the runtime owes).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../../runtime/aws/errors.js';
import { loadConfig, type LoadStrategy } from '../../runtime/config.js';
import { ManualClock, RuntimeScheduler } from '../../runtime/scheduler.js';
import { ServiceManager } from '../../runtime/services/manager.js';
import { StateManager } from '../../runtime/state/manager.js';
import { PersistenceBackend } from '../../runtime/state/persistence/backend.js';
import { standIn, type Received } from '../support/stand-ins.js';

const volume = mkdtempSync(join(tmpdir(), 'ls-deliveries-persist-'));
afterAll(() => rmSync(volume, { recursive: true, force: true }));

/** A runtime's services on `volume`, with a stand-in SQS that fails while `down` says so. */
function runtime(load: LoadStrategy, down: { value: boolean }) {
  const { config } = loadConfig({ LOCALSTACK_VOLUME_DIR: volume });
  const backend = new PersistenceBackend({ root: join(volume, 'state'), save: 'ON_REQUEST', load, flushIntervalSeconds: 15, strict: false });
  const state = new StateManager({ volumeDir: volume, backend, audit: true });
  const received: Received[] = [];
  const registry = {
    sqs: standIn('sqs', received, {
      SendMessage: (_ctx, input) => {
        if (down.value) throw new ServiceError('ServiceUnavailable', 'down', { status: 503 });
        return { MessageId: String(input.MessageBody) };
      },
    }),
  };
  const clock = new ManualClock();
  const services = new ServiceManager(config, registry, { state, scheduler: new RuntimeScheduler(clock) });
  services.deliveries.resume();
  return { services, backend, clock, received };
}

describe('pending deliveries with PERSISTENCE=1', () => {
  it('survive kill -9 and are delivered by the next process, even with SNAPSHOT_LOAD_STRATEGY=MANUAL', async () => {
    const down = { value: true };
    const first = runtime('ON_REQUEST', down);
    first.services.deliveries.deliver({
      service: 'sqs',
      operation: 'SendMessage',
      input: { QueueUrl: 'http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/q', MessageBody: 'owed' },
      caller: { accountId: '000000000000', region: 'us-east-1', principal: 's3.amazonaws.com' },
      source: 'test',
    });
    await first.clock.advance(0);
    expect(first.received).toHaveLength(1); // tried once, failed: pending
    expect(first.services.deliveries.size).toBe(1);
    first.services.state.flush();
    first.services.deliveries.close();
    first.backend.close(); // as kill -9 would leave it: no save at shutdown

    down.value = false;
    const second = runtime('MANUAL', down);
    await second.clock.advance(0);
    await second.services.deliveries.idle();
    expect(second.received.map((r) => r.input.MessageBody)).toEqual(['owed']);
    expect(second.services.deliveries.size).toBe(0);
    second.services.deliveries.close();
    second.services.state.close();
  });
});
