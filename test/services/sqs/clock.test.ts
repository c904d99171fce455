/**
 * SQS's timed rules on a driven clock: an in-process runtime on a ManualClock (the provider
 * asks its clock and scheduler, never Date.now or setTimeout), so that hours pass in a test
 * without waiting: visibility timeouts, delays, retention expiry, the PurgeQueue minute, the
 * FIFO deduplication window, and long polls that end exactly at their wait time.
 */
import { ChangeMessageVisibilityCommand, CreateQueueCommand, GetQueueAttributesCommand, PurgeQueueCommand, ReceiveMessageCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ManualClock, RuntimeScheduler } from '../../../runtime/scheduler.js';
import { PROVIDERS } from '../../../runtime/services/registry.js';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

const clock = new ManualClock(Date.now());
let client: SQSClient;
withInProcessRuntime(
  { sqs: PROVIDERS.sqs },
  (endpoint) => {
    client = new SQSClient({ ...clientConfig(endpoint), maxAttempts: 1 });
  },
  // AWS's once-a-minute PurgeQueue rule, which LocalStack (and we) apply only when asked
  { scheduler: new RuntimeScheduler(clock), env: { SQS_DELAY_PURGE_RETRY: '1' } },
);
afterAll(() => client?.destroy());

async function queue(name: string, Attributes?: Record<string, string>): Promise<string> {
  return (await client.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
}
async function visible(QueueUrl: string): Promise<number> {
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
  return Number(Attributes!.ApproximateNumberOfMessages);
}
const receive = async (QueueUrl: string) => (await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.map((m) => m.Body) ?? [];

describe('SQS on a driven clock', () => {
  it('a received message comes back after its visibility timeout; a delayed one appears after its delay', async () => {
    const QueueUrl = await queue('c-vis', { VisibilityTimeout: '30' });
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'v' }));
    expect(await receive(QueueUrl)).toEqual(['v']);
    await clock.advance(29_000);
    expect(await receive(QueueUrl)).toEqual([]);
    await clock.advance(1_000);
    expect(await receive(QueueUrl)).toEqual(['v']);
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'd', DelaySeconds: 10 }));
    await clock.advance(9_999);
    expect(await visible(QueueUrl)).toBe(0);
    await clock.advance(1);
    expect(await visible(QueueUrl)).toBe(1);
  });

  it("ReceiveMessage's VisibilityTimeout and ChangeMessageVisibility set when a message comes back; MessageNotInflight once it has", async () => {
    const QueueUrl = await queue('c-change');
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'm' }));
    const [m] = (await client.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 5 }))).Messages!;
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m!.ReceiptHandle, VisibilityTimeout: 100 }));
    await clock.advance(99_999);
    expect(await receive(QueueUrl)).toEqual([]);
    await clock.advance(1);
    expect(await visible(QueueUrl)).toBe(1);
    expect(await sdkError(client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m!.ReceiptHandle, VisibilityTimeout: 10 })))).toMatchObject({
      name: 'MessageNotInflight', code: 'AWS.SimpleQueueService.MessageNotInflight', status: 400,
      message: 'Message does not exist or is not available for visibility timeout change.',
    });
  });

  it('messages expire after MessageRetentionPeriod', async () => {
    const QueueUrl = await queue('c-retention', { MessageRetentionPeriod: '60' });
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'old' }));
    await clock.advance(59_000);
    expect(await visible(QueueUrl)).toBe(1);
    await clock.advance(1_000);
    expect(await visible(QueueUrl)).toBe(0);
    expect(await receive(QueueUrl)).toEqual([]);
  });

  it('PurgeQueue once a minute', async () => {
    const QueueUrl = await queue('c-purge');
    await client.send(new PurgeQueueCommand({ QueueUrl }));
    await clock.advance(59_999);
    expect(await sdkError(client.send(new PurgeQueueCommand({ QueueUrl })))).toMatchObject({ name: 'PurgeQueueInProgress' });
    await clock.advance(1);
    await client.send(new PurgeQueueCommand({ QueueUrl }));
  });

  it('FIFO deduplication lasts 5 minutes', async () => {
    const QueueUrl = await queue('c-dedup.fifo', { FifoQueue: 'true' });
    const send = () => client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'same' }));
    const first = await send();
    await clock.advance(299_999);
    expect((await send()).MessageId).toBe(first.MessageId);
    await clock.advance(1);
    expect((await send()).MessageId).not.toBe(first.MessageId);
  });

  it('a long poll ends at its wait time with nothing, and wakes when a message becomes visible', async () => {
    const QueueUrl = await queue('c-poll');
    let done = false;
    let armed = clock.pending;
    const waiting = client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 })).finally(() => (done = true));
    // the receive is waiting once its timer is armed on the clock
    await vi.waitFor(() => expect(clock.pending).toBeGreaterThan(armed));
    await clock.advance(19_999);
    expect(done).toBe(false);
    await clock.advance(1);
    expect((await waiting).Messages).toBeUndefined();
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 5 }));
    armed = clock.pending;
    const woken = client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    await vi.waitFor(() => expect(clock.pending).toBeGreaterThan(armed));
    await clock.advance(5_000);
    expect((await woken).Messages!.map((m) => m.Body)).toEqual(['later']);
  });
});
