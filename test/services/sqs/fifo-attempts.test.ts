/**
 * FIFO details on a driven clock, through @aws-sdk/client-sqs (an in-process runtime on a
 * ManualClock): ReceiveRequestAttemptId (a retried receive gets the same messages and receipt
 * handles while they are in flight, for 5 minutes; a standard queue ignores it), high-throughput
 * FIFO's attributes (validation, their combination rule, deduplication per message group, the
 * scope fixed at creation) and QueueDeletedRecently (a name stays taken 60 seconds after a
 * delete).
 */
import {
  ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageCommand, DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient,
  SendMessageCommand, SetQueueAttributesCommand, type Message,
} from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock, RuntimeScheduler } from '../../../runtime/scheduler.js';
import { PROVIDERS } from '../../../runtime/services/registry.js';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';
import { expectSdkError, sdkError } from '../../support/sdk-error.js';

const clock = new ManualClock(Date.now());
let client: SQSClient;
withInProcessRuntime(
  { sqs: PROVIDERS.sqs },
  (endpoint) => {
    client = new SQSClient({ ...clientConfig(endpoint), maxAttempts: 1 });
  },
  // QueueDeletedRecently is AWS's rule, applied (as LocalStack does) only when asked
  { scheduler: new RuntimeScheduler(clock), env: { SQS_DELAY_RECENTLY_DELETED: '1' } },
);
afterAll(() => client?.destroy());

async function queue(name: string, Attributes?: Record<string, string>): Promise<string> {
  return (await client.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
}
const FIFO = { FifoQueue: 'true' };
const send = (QueueUrl: string, body: string, group = 'g', dedup = body) => client.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: dedup }));
const receive = async (QueueUrl: string, attempt?: string, max = 10): Promise<Message[]> =>
  (await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: max, ReceiveRequestAttemptId: attempt, VisibilityTimeout: 30 }))).Messages ?? [];
const seen = (messages: Message[]) => messages.map((m) => [m.Body, m.ReceiptHandle]);

describe('ReceiveRequestAttemptId', () => {
  it('a retry within 5 minutes gets the same messages and receipt handles while they are in flight', async () => {
    const QueueUrl = await queue('ra.fifo', FIFO);
    for (const body of ['a', 'b', 'c']) await send(QueueUrl, body);
    const first = await receive(QueueUrl, 'attempt-1', 2);
    expect(first.map((m) => m.Body)).toEqual(['a', 'b']);
    expect(seen(await receive(QueueUrl, 'attempt-1', 2))).toEqual(seen(first));
    // another attempt finds the group in flight
    expect(await receive(QueueUrl, 'attempt-2')).toEqual([]);
    // a retry restarts the visibility timeout (30 s here)
    await clock.advance(20_000);
    expect(seen(await receive(QueueUrl, 'attempt-1', 2))).toEqual(seen(first));
    await clock.advance(29_999);
    expect(seen(await receive(QueueUrl, 'attempt-1', 2))).toEqual(seen(first));
    // the handles it gave still delete
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first[0]!.ReceiptHandle }));
    // a message of the attempt was deleted: the id makes a new receive (b is still in flight, so none)
    expect(await receive(QueueUrl, 'attempt-1')).toEqual([]);
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first[1]!.ReceiptHandle, VisibilityTimeout: 0 }));
    const again = await receive(QueueUrl, 'attempt-1');
    expect(again.map((m) => m.Body)).toEqual(['b', 'c']);
    expect(again[0]!.ReceiptHandle).not.toBe(first[1]!.ReceiptHandle);
  });

  it('is forgotten after 5 minutes and once its messages came back; an empty receive is not remembered', async () => {
    const QueueUrl = await queue('rb.fifo', FIFO);
    expect(await receive(QueueUrl, 'empty')).toEqual([]);
    await send(QueueUrl, 'x');
    expect((await receive(QueueUrl, 'empty')).map((m) => m.Body)).toEqual(['x']);
    // visibility ran out: the message came back, so the retry is a new receive with a new handle
    const [held] = await receive(QueueUrl, 'late');
    expect(held).toBeUndefined();
    await clock.advance(30_000);
    const [x1] = await receive(QueueUrl, 'r1', 1);
    await clock.advance(30_000);
    const [x2] = await receive(QueueUrl, 'r1', 1);
    expect([x2!.Body, x2!.ReceiptHandle === x1!.ReceiptHandle]).toEqual(['x', false]);
    // kept in flight by retries, it is the same receive until 5 minutes after it
    for (let t = 0; t < 10; t++) {
      await clock.advance(29_000);
      expect((await receive(QueueUrl, 'r1', 1))[0]!.ReceiptHandle).toBe(x2!.ReceiptHandle);
    }
    // 300 seconds after that receive the id is forgotten: a new receive, and x is in flight
    await clock.advance(10_000);
    expect(await receive(QueueUrl, 'r1', 1)).toEqual([]);
  });

  it('a standard queue ignores it', async () => {
    const QueueUrl = await queue('rs-standard');
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'only' }));
    expect((await receive(QueueUrl, 'same')).map((m) => m.Body)).toEqual(['only']);
    expect(await receive(QueueUrl, 'same')).toEqual([]);
  });
});

describe('high-throughput FIFO', () => {
  it('validates DeduplicationScope and FifoThroughputLimit, and their combination', async () => {
    for (const name of ['DeduplicationScope', 'FifoThroughputLimit']) {
      const value = name === 'DeduplicationScope' ? 'queue' : 'perQueue';
      await expectSdkError(client.send(new CreateQueueCommand({ QueueName: 'ht-standard', Attributes: { [name]: value } })), 'InvalidAttributeName',
        `You can specify the ${name} only when FifoQueue is set to true.`);
    }
    await expectSdkError(client.send(new CreateQueueCommand({ QueueName: 'ht-standard', Attributes: { ContentBasedDeduplication: 'true' } })), 'InvalidAttributeName', 'Unknown Attribute ContentBasedDeduplication.');
    await expectSdkError(client.send(new CreateQueueCommand({ QueueName: 'ht.fifo', Attributes: { ...FIFO, DeduplicationScope: 'group' } })), 'InvalidAttributeValue', 'Invalid value for the parameter DeduplicationScope.');
    await expectSdkError(client.send(new CreateQueueCommand({ QueueName: 'ht.fifo', Attributes: { ...FIFO, FifoThroughputLimit: 'perGroup' } })), 'InvalidAttributeValue', 'Invalid value for the parameter FifoThroughputLimit.');
    // perMessageGroupId only with DeduplicationScope=messageGroup (queue is the default)
    await expectSdkError(client.send(new CreateQueueCommand({ QueueName: 'ht.fifo', Attributes: { ...FIFO, FifoThroughputLimit: 'perMessageGroupId' } })), 'InvalidAttributeValue',
      'Invalid value for the parameter FifoThroughputLimit.');
    expect(await sdkError(client.send(new GetQueueUrlCommand({ QueueName: 'ht.fifo' })))).toMatchObject({ name: 'QueueDoesNotExist' });
    const QueueUrl = await queue('ht.fifo', FIFO);
    await expectSdkError(client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { FifoThroughputLimit: 'perMessageGroupId' } })), 'InvalidAttributeValue',
      'Invalid value for the parameter FifoThroughputLimit.');
    await client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' } }));
    // and back: the scope cannot leave perMessageGroupId without a messageGroup scope
    await expectSdkError(client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { DeduplicationScope: 'queue' } })), 'InvalidAttributeValue', 'Invalid value for the parameter FifoThroughputLimit.');
    const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['DeduplicationScope', 'FifoThroughputLimit'] }));
    expect(Attributes).toEqual({ DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
  });

  it('DeduplicationScope=messageGroup deduplicates per group: the same id in two groups is delivered twice', async () => {
    const QueueUrl = await queue('hg.fifo', { ...FIFO, DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
    const one = await send(QueueUrl, 'in g1', 'g1', 'same');
    const two = await send(QueueUrl, 'in g2', 'g2', 'same');
    expect(two.MessageId).not.toBe(one.MessageId);
    expect((await send(QueueUrl, 'again in g1', 'g1', 'same')).MessageId).toBe(one.MessageId);
    expect((await receive(QueueUrl)).map((m) => m.Body)).toEqual(['in g1', 'in g2']);
    // a queue-scoped queue: the second group's message is a duplicate
    const scoped = await queue('hq.fifo', FIFO);
    const first = await send(scoped, 'in g1', 'g1', 'same');
    expect((await send(scoped, 'in g2', 'g2', 'same')).MessageId).toBe(first.MessageId);
    expect((await receive(scoped)).map((m) => m.Body)).toEqual(['in g1']);
  });

  it('deduplicates as the queue was created, whatever SetQueueAttributes changes later (as AWS does)', async () => {
    const QueueUrl = await queue('hc.fifo', FIFO);
    await client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' } }));
    const first = await send(QueueUrl, 'one', 'g1', 'd');
    expect((await send(QueueUrl, 'two', 'g2', 'd')).MessageId).toBe(first.MessageId);
  });
});

describe('QueueDeletedRecently', () => {
  it('a name stays taken for 60 seconds after its queue is deleted', async () => {
    const QueueUrl = await queue('recent');
    await client.send(new DeleteQueueCommand({ QueueUrl }));
    const again = () => client.send(new CreateQueueCommand({ QueueName: 'recent' }));
    expect(await sdkError(again())).toEqual({
      name: 'QueueDeletedRecently', code: 'AWS.SimpleQueueService.QueueDeletedRecently', status: 400, attempts: 1,
      message: 'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
    });
    // nothing was made, and other names are free
    expect(await sdkError(client.send(new GetQueueUrlCommand({ QueueName: 'recent' })))).toMatchObject({ name: 'QueueDoesNotExist' });
    await queue('recent-other');
    await clock.advance(59_999);
    expect((await sdkError(again())).name).toBe('QueueDeletedRecently');
    await clock.advance(1);
    expect((await again()).QueueUrl).toBe(QueueUrl);
  });
});
