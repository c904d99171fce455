/**
 * The delivery queue (runtime/services/deliveries.ts) on a manual clock: lazy start of the
 * target, backoff between retries, what is retried (5xx, throttling) and what is not (4xx),
 * ordering per key, drops for missing and disabled services, and the store that keeps what
 * is pending (so that a restart, or a snapshot restored, delivers it).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServiceError } from '../../runtime/aws/errors.js';
import { loadConfig } from '../../runtime/config.js';
import type { Logger } from '../../runtime/logger.js';
import { ManualClock, RuntimeScheduler } from '../../runtime/scheduler.js';
import { DeliveryQueue, isRetryable, type Delivery } from '../../runtime/services/deliveries.js';
import { ServiceManager } from '../../runtime/services/manager.js';
import type { ProviderRegistry } from '../../runtime/services/registry.js';
import { decodeState, encodeState } from '../../runtime/state/codec.js';
import { StateManager } from '../../runtime/state/manager.js';
import { standIn, type Received } from '../support/stand-ins.js';

function logs(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  return { lines, trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** Answers per message body: `fail:N:STATUS:CODE` fails the first N attempts with that error. */
function sqsRegistry(received: Received[], attempts: Map<string, number>): ProviderRegistry {
  return {
    sqs: standIn('sqs', received, {
      SendMessage: (_ctx, input) => {
        const body = input.MessageBody as string;
        const n = (attempts.get(body) ?? 0) + 1;
        attempts.set(body, n);
        const [verb, times, status, code] = body.split(':');
        if (verb === 'fail' && n <= Number(times)) throw new ServiceError(code!, `attempt ${n} failed`, { status: Number(status) });
        return { MessageId: `${body}#${n}` };
      },
    }),
  };
}

function setup(env: Record<string, string> = {}, state?: StateManager) {
  const { config } = loadConfig({ LOCALSTACK_VOLUME_DIR: mkdtempSync(join(tmpdir(), 'ls-deliveries-')), ...env });
  const clock = new ManualClock();
  const log = logs();
  queueLogs.push(log);
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const scheduler = new RuntimeScheduler(clock, log);
  const services = new ServiceManager(config, sqsRegistry(received, attempts), { state: state ?? new StateManager({ volumeDir: config.volumeDir, audit: true }), scheduler });
  const queue = new DeliveryQueue({ client: services.client, state: services.state, scheduler, log });
  queue.resume();
  // when each attempt arrived, in ms of the manual clock since the start
  const start = clock.now();
  const at: number[] = [];
  Object.defineProperty(received, 'push', {
    enumerable: false,
    value: (...items: Received[]) => {
      for (let i = 0; i < items.length; i++) at.push(clock.now() - start);
      return Array.prototype.push.apply(received, items);
    },
  });
  /** [body, ms since start] of every SendMessage attempt. */
  const times = () => received.map((r, i) => [r.input.MessageBody as string, at[i]!]);
  const send = (body: string, extra: Partial<Delivery> = {}): Delivery => ({
    service: 'sqs',
    operation: 'SendMessage',
    input: { QueueUrl: 'http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/q', MessageBody: body },
    caller: { accountId: '000000000000', region: 'us-east-1', principal: 's3.amazonaws.com' },
    source: `test ${body}`,
    ...extra,
  });
  const pending = () => Object.keys((services.state.of('deliveries')!.store('pending')!.data() as { items: object }).items);
  return { services, queue, clock, log, received, attempts, times, send, pending, state: services.state };
}

// every test runs under the state audit: a change to the queue's store without a mark is
// logged by the state manager's flush (on the next turn), which must never happen
let stderr: string[] = [];
const queueLogs: Array<{ lines: string[] }> = [];
beforeEach(() => {
  stderr = [];
  queueLogs.length = 0;
  const write = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return write(chunk);
  });
});
afterEach(async () => {
  await new Promise((resolve) => setImmediate(resolve));
  vi.restoreAllMocks();
  expect(stderr.filter((line) => line.includes('state audit failed'))).toEqual([]);
  expect(queueLogs.flatMap((log) => log.lines.filter((line) => line.startsWith('error')))).toEqual([]);
});

describe('the delivery queue', () => {
  it('starts the target lazily and delivers as the caller, marked internal', async () => {
    const { services, queue, received, send } = setup();
    expect(services.stateOf('sqs')).toBe('available');
    queue.deliver(send('hello'));
    await queue.idle();
    expect(services.stateOf('sqs')).toBe('running');
    expect(received.map((r) => [r.input.MessageBody, r.context.internal, r.context.principal, r.context.accountId])).toEqual([['hello', true, 's3.amazonaws.com', '000000000000']]);
  });

  it('retries 5xx and throttling errors with a doubling backoff on the clock, keeping them in the store meanwhile', async () => {
    const { queue, clock, times, send, pending } = setup();
    queue.deliver(send('fail:3:503:ServiceUnavailable'));
    queue.deliver(send('fail:1:400:ThrottlingException'));
    await clock.advance(0);
    expect(times()).toEqual([['fail:3:503:ServiceUnavailable', 0], ['fail:1:400:ThrottlingException', 0]]);
    expect(pending()).toHaveLength(2);
    await clock.advance(99);
    expect(times()).toHaveLength(2);
    await clock.advance(1000);
    expect(times()).toEqual([
      ['fail:3:503:ServiceUnavailable', 0],
      ['fail:1:400:ThrottlingException', 0],
      ['fail:3:503:ServiceUnavailable', 100],
      ['fail:1:400:ThrottlingException', 100],
      ['fail:3:503:ServiceUnavailable', 300],
      ['fail:3:503:ServiceUnavailable', 700],
    ]);
    await queue.idle();
    expect(pending()).toEqual([]);
  });

  it('does not retry a client error, and says so once, naming the source', async () => {
    const { queue, clock, log, received, send, pending } = setup();
    queue.deliver(send('fail:9:400:InvalidParameterValue'));
    await queue.idle();
    await clock.advance(60_000);
    expect(received).toHaveLength(1);
    expect(log.lines.filter((l) => l.startsWith('warn'))).toEqual(['warn test fail:9:400:InvalidParameterValue: sqs.SendMessage failed (InvalidParameterValue: attempt 1 failed); dropped, not retried']);
    expect(pending()).toEqual([]);
  });

  it('gives up after maxAttempts', async () => {
    const { queue, clock, log, received, send } = setup();
    queue.deliver(send('fail:9:500:InternalError', { maxAttempts: 3 }));
    await clock.advance(10_000);
    await queue.idle();
    expect(received).toHaveLength(3);
    expect(log.lines.filter((l) => l.startsWith('warn'))).toEqual(['warn test fail:9:500:InternalError: sqs.SendMessage failed (InternalError: attempt 3 failed); dropped, gave up after 3 attempts']);
  });

  it('runs deliveries of one ordering key one at a time, in order, a retry holding back those behind it', async () => {
    const { queue, clock, times, send } = setup();
    queue.deliver(send('fail:2:500:InternalError', { orderingKey: 'group-1' }));
    queue.deliver(send('second', { orderingKey: 'group-1' }));
    queue.deliver(send('other group', { orderingKey: 'group-2' }));
    queue.deliver(send('third', { orderingKey: 'group-1' }));
    queue.deliver(send('unordered'));
    await clock.advance(0);
    expect(times()).toEqual([['fail:2:500:InternalError', 0], ['other group', 0], ['unordered', 0]]);
    await clock.advance(1000);
    await queue.idle();
    expect(times().filter(([b]) => b !== 'other group' && b !== 'unordered')).toEqual([
      ['fail:2:500:InternalError', 0],
      ['fail:2:500:InternalError', 100],
      ['fail:2:500:InternalError', 300],
      ['second', 300],
      ['third', 300],
    ]);
  });

  it('drops deliveries to a service without a provider or disabled, with one warning each', async () => {
    const { queue, log, received, send, pending } = setup({ SERVICES: 's3' });
    queue.deliver(send('to a disabled sqs'));
    queue.deliver({ ...send('to nothing'), service: 'kinesis', operation: 'PutRecord' });
    await queue.idle();
    expect(received).toEqual([]);
    expect(log.lines).toEqual(["warn test to a disabled sqs: dropped, service 'sqs' is disabled (SERVICES)", "warn test to nothing: dropped, no provider for 'kinesis'"]);
    expect(pending()).toEqual([]);
  });

  it('queues onFailure in the place of one that fails for good (not retried, out of attempts, no provider), never of one delivered', async () => {
    const { queue, clock, log, times, send, pending } = setup();
    const dlq = (body: string) => send(`dlq ${body}`);
    queue.deliver(send('fail:9:400:NonExistentQueue', { onFailure: dlq('client error') }));
    queue.deliver(send('fail:9:500:InternalError', { maxAttempts: 2, onFailure: dlq('out of attempts') }));
    queue.deliver({ ...send('to nothing'), service: 'kinesis', operation: 'PutRecord', onFailure: dlq('no provider') });
    queue.deliver(send('fail:1:500:InternalError', { onFailure: dlq('never') }));
    await clock.advance(10_000);
    await queue.idle();
    expect(times().map(([b]) => b).sort()).toEqual([
      'dlq client error', 'dlq no provider', 'dlq out of attempts',
      'fail:1:500:InternalError', 'fail:1:500:InternalError', 'fail:9:400:NonExistentQueue', 'fail:9:500:InternalError', 'fail:9:500:InternalError',
    ]);
    expect(log.lines.filter((l) => l.startsWith('warn') && l.includes('handed to'))).toEqual([
      'warn test fail:9:400:NonExistentQueue: sqs.SendMessage failed (NonExistentQueue: attempt 1 failed); dropped, not retried; handed to test dlq client error',
      'warn test fail:9:500:InternalError: sqs.SendMessage failed (InternalError: attempt 2 failed); dropped, gave up after 2 attempts; handed to test dlq out of attempts',
    ]);
    expect(pending()).toEqual([]);
  });

  it('keeps what is pending in the store: a queue started on it (a restart, a restore) delivers it, binary intact', async () => {
    const first = setup();
    first.queue.deliver(first.send('fail:99:503:ServiceUnavailable', { orderingKey: 'g' }));
    first.queue.deliver({ ...first.send('payload', { orderingKey: 'g' }), input: { QueueUrl: 'http://q', MessageBody: 'payload', Blob: Buffer.from([0, 1, 255]) } });
    await first.clock.advance(0);
    expect(await first.queue.drain(0)).toBe(2);
    // what persistence writes and reads back: the store's encoded tree
    const saved = JSON.stringify(encodeState(first.state.of('deliveries')!.store('pending')!.data()));
    const state = new StateManager({ volumeDir: mkdtempSync(join(tmpdir(), 'ls-deliveries-')), audit: true });
    state.service('deliveries').global('pending', () => ({})).replace(decodeState(JSON.parse(saved)));
    const second = setup({}, state);
    second.attempts.set('fail:99:503:ServiceUnavailable', 1000); // the target recovered meanwhile
    await second.queue.idle();
    expect(second.received.map((r) => [r.input.MessageBody, r.input.Blob])).toEqual([
      ['fail:99:503:ServiceUnavailable', undefined],
      ['payload', Buffer.from([0, 1, 255])],
    ]);
    expect(second.pending()).toEqual([]);
  });

  it('refuses input that is not plain data (it could not be kept)', () => {
    const { queue, send } = setup();
    expect(() => queue.deliver({ ...send('x'), input: { QueueUrl: 'q', MessageBody: 'x', Extra: new Map() } })).toThrow();
    expect(queue.size).toBe(0);
  });

  it('forgets what a reset empties', async () => {
    const { queue, clock, state, send, received } = setup();
    queue.deliver(send('fail:99:503:ServiceUnavailable'));
    await clock.advance(0);
    state.reset();
    await clock.advance(100);
    await queue.idle();
    expect(received).toHaveLength(1);
  });

  it('retries what the SDKs retry, and not a 501', () => {
    expect(isRetryable(new ServiceError('InternalError', 'x', { status: 500 }))).toBe(true);
    expect(isRetryable(new ServiceError('SlowDown', 'x', { status: 503 }))).toBe(true);
    expect(isRetryable(new ServiceError('TooManyRequestsException', 'x', { status: 400 }))).toBe(true);
    expect(isRetryable(new ServiceError('X', 'x', { status: 429 }))).toBe(true);
    expect(isRetryable(new Error('crash'))).toBe(true);
    expect(isRetryable(new ServiceError('ResourceNotFoundException', 'x', { status: 404 }))).toBe(false);
    expect(isRetryable(new ServiceError('InternalFailure', 'x', { status: 501 }))).toBe(false);
  });
});
