/**
 * The proof that S3 notifications travel through the runtime's delivery queue to a service
 * that starts lazily: the real S3 provider and a stand-in SQS provider (test/support/
 * stand-ins.ts: GetQueueUrl and SendMessage, recording every attempt) in one runtime in this
 * process, driven by @aws-sdk/client-s3 over a socket. The runtime's scheduler runs on a
 * manual clock, so retries happen when the test advances it, never after a sleep.
 *
 *   - SQS has not started when the object is uploaded (its provider is held in `starting`):
 *     the event waits, then arrives with S3's record;
 *   - the stand-in fails the first two attempts with a 5xx: the record still arrives, once,
 *     after the backoff; deliveries with one ordering key arrive in order;
 *   - a 4xx is not retried, and is logged once with its source;
 *   - a runtime stopped with a delivery pending (a retry waiting) delivers it before it
 *     stops SQS.
 */
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ServiceError } from '../../../runtime/aws/errors.js';
import type { Runtime } from '../../../runtime/runtime.js';
import { ManualClock, RuntimeScheduler } from '../../../runtime/scheduler.js';
import type { ProviderRegistration } from '../../../runtime/services/registry.js';
import { PROVIDERS } from '../../../runtime/services/registry.js';
import { clientConfig, startInProcess, withInProcessRuntime } from '../../support/runtime.js';
import { standIn, type Received } from '../../support/stand-ins.js';

const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:uploads';

/** A stand-in SQS: messages whose body contains a key of `failing` fail with that error while its count lasts. */
function sqs(received: Received[], accepted: string[], failing: Map<string, { times: number; error: () => ServiceError }>, options: { gate?: Promise<unknown>; onStop?: () => void } = {}): ProviderRegistration {
  return standIn(
    'sqs',
    received,
    {
      GetQueueUrl: (ctx, input) => ({ QueueUrl: `http://sqs.${ctx.region}.localhost.localstack.cloud:4566/${ctx.accountId}/${input.QueueName}` }),
      SendMessage: (_ctx, input) => {
        const body = input.MessageBody as string;
        for (const [marker, failure] of failing) {
          if (body.includes(marker) && failure.times > 0) {
            failure.times--;
            throw failure.error();
          }
        }
        accepted.push(body);
        return { MessageId: `m${accepted.length}` };
      },
    },
    options,
  );
}

const unavailable = () => new ServiceError('ServiceUnavailable', 'try again later', { status: 503 });
const invalid = () => new ServiceError('InvalidParameterValue', 'no such thing', { status: 400 });

async function configure(s3: S3Client, Bucket: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket }));
  // SkipDestinationValidation: S3 does not ask SQS whether the queue exists, which would start it
  await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, SkipDestinationValidation: true, NotificationConfiguration: { QueueConfigurations: [{ Id: 'uploads', QueueArn: QUEUE, Events: ['s3:ObjectCreated:*'] }] } }));
}

describe('S3 notifications to a lazily started service, on a manual clock', () => {
  const received: Received[] = [];
  const accepted: string[] = [];
  const failing = new Map<string, { times: number; error: () => ServiceError }>();
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  const clock = new ManualClock(Date.now());
  let runtime: Runtime;
  let s3: S3Client;
  withInProcessRuntime(
    { s3: PROVIDERS.s3, sqs: sqs(received, accepted, failing, { gate }) },
    (endpoint, rt) => {
      runtime = rt;
      s3 = new S3Client({ ...clientConfig(endpoint), forcePathStyle: true, maxAttempts: 1 });
    },
    { scheduler: new RuntimeScheduler(clock) },
  );
  afterAll(() => s3?.destroy());
  const sends = (marker: string) => received.filter((r) => r.operation === 'SendMessage' && (r.input.MessageBody as string).includes(marker));

  it('holds the event while SQS starts, then delivers it with S3 record', async () => {
    const Bucket = `lazy-${process.pid}`;
    await configure(s3, Bucket);
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'photos/cat 1.jpg', Body: 'meow' }));
    // the s3:TestEvent's delivery started SQS, whose provider is not created yet
    expect(runtime.services.stateOf('sqs')).toBe('starting');
    expect(received).toEqual([]);
    openGate();
    await runtime.services.deliveries.idle();
    expect(runtime.services.stateOf('sqs')).toBe('running');
    const [test, event] = received;
    expect(JSON.parse(test!.input.MessageBody)).toMatchObject({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket });
    expect(event!.input.QueueUrl).toBe(`http://sqs.us-east-1.${runtime.config.localstackHost}/000000000000/uploads`);
    expect([event!.context.internal, event!.context.principal, event!.context.accountId, event!.context.region]).toEqual([true, 's3.amazonaws.com', '000000000000', 'us-east-1']);
    const { Records } = JSON.parse(event!.input.MessageBody);
    expect(Records).toHaveLength(1);
    expect(Records[0]).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventName: 'ObjectCreated:Put',
      s3: { configurationId: 'uploads', bucket: { name: Bucket, arn: `arn:aws:s3:::${Bucket}` }, object: { key: 'photos/cat+1.jpg', size: 4, eTag: put.ETag!.replace(/"/g, '') } },
    });
    expect(Date.parse(Records[0].eventTime)).toBe(clock.now());
  });

  it('retries a 5xx with backoff and delivers the record once; same-key deliveries arrive in order', async () => {
    const Bucket = `retry-${process.pid}`;
    await configure(s3, Bucket);
    await runtime.services.deliveries.idle();
    failing.set('retry-me', { times: 2, error: unavailable });
    await s3.send(new PutObjectCommand({ Bucket, Key: 'retry-me.txt', Body: 'x' }));
    // a FIFO queue's message group, as SQS and SNS will hand them over
    const caller = { accountId: '000000000000', region: 'us-east-1' };
    failing.set('fifo-1', { times: 2, error: unavailable });
    for (const n of [1, 2, 3]) {
      runtime.services.deliveries.deliver({ service: 'sqs', operation: 'SendMessage', input: { QueueUrl: 'http://q', MessageBody: `fifo-${n}` }, caller, orderingKey: 'group-a', source: 'test' });
    }
    await clock.advance(0);
    expect([sends('retry-me').length, sends('fifo-').length]).toEqual([1, 1]);
    await clock.advance(100);
    expect([sends('retry-me').length, sends('fifo-').length]).toEqual([2, 2]);
    await clock.advance(200);
    await runtime.services.deliveries.idle();
    expect(sends('retry-me')).toHaveLength(3);
    expect(accepted.filter((b) => b.includes('retry-me'))).toHaveLength(1);
    expect(JSON.parse(accepted.find((b) => b.includes('retry-me'))!).Records[0].s3.object.key).toBe('retry-me.txt');
    expect(accepted.filter((b) => b.startsWith('fifo-'))).toEqual(['fifo-1', 'fifo-2', 'fifo-3']);
    expect(sends('fifo-').map((r) => r.input.MessageBody)).toEqual(['fifo-1', 'fifo-1', 'fifo-1', 'fifo-2', 'fifo-3']);
  });

  it('does not retry a 4xx, and logs it once with its source', async () => {
    const Bucket = `reject-${process.pid}`;
    await configure(s3, Bucket);
    await runtime.services.deliveries.idle();
    failing.set('reject-me', { times: 99, error: invalid });
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0);
    try {
      await s3.send(new PutObjectCommand({ Bucket, Key: 'reject-me.txt', Body: 'x' }));
      await clock.advance(60_000);
      await runtime.services.deliveries.idle();
    } finally {
      spy.mockRestore();
    }
    expect(sends('reject-me')).toHaveLength(1);
    expect(accepted.filter((b) => b.includes('reject-me'))).toEqual([]);
    const warnings = lines.filter((l) => l.includes('reject-me'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`WARN  --- [deliveries] s3 notification ${Bucket} ObjectCreated:Put reject-me.txt -> ${QUEUE}: sqs.SendMessage failed (InvalidParameterValue: no such thing); dropped, not retried`);
  });
});

describe('shutdown', () => {
  it('drains pending deliveries before it stops the services', async () => {
    const received: Received[] = [];
    const accepted: string[] = [];
    const events: string[] = [];
    const failing = new Map<string, { times: number; error: () => ServiceError }>();
    const clock = new ManualClock(Date.now());
    const runtime = await startInProcess(
      { s3: PROVIDERS.s3, sqs: sqs(received, accepted, failing, { onStop: () => void events.push(`sqs stopped, ${accepted.length} accepted`) }) },
      { scheduler: new RuntimeScheduler(clock) },
    );
    const queue = runtime.services.deliveries;
    const s3 = new S3Client({ ...clientConfig(`http://127.0.0.1:${runtime.addresses[0]!.port}`), forcePathStyle: true, maxAttempts: 1 });
    let stopping: Promise<void> | undefined;
    try {
      const Bucket = `drain-${process.pid}`;
      await configure(s3, Bucket);
      await queue.idle();
      // the record's first attempt fails: its retry waits on the manual clock, which only the test moves
      failing.set('last+words', { times: 1, error: unavailable });
      await s3.send(new PutObjectCommand({ Bucket, Key: 'last words.txt', Body: 'bye' }));
      await clock.advance(0);
      expect([queue.size, accepted.length]).toEqual([1, 1]);
    } finally {
      s3.destroy();
      stopping = runtime.stop();
    }
    let stopped = false;
    void stopping.then(() => (stopped = true));
    while (queue.phase !== 'draining' && !stopped) await new Promise((resolve) => setImmediate(resolve));
    expect([queue.phase, runtime.services.stateOf('sqs'), events]).toEqual(['draining', 'running', []]);
    await clock.advance(100);
    await stopping;
    expect(events).toEqual(['sqs stopped, 2 accepted']);
    expect(accepted.map((b) => JSON.parse(b).Event ?? JSON.parse(b).Records[0].s3.object.key)).toEqual(['s3:TestEvent', 'last+words.txt']);
    expect([queue.size, queue.phase]).toEqual([0, 'closed']);
  });
});
