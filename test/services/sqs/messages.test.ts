/**
 * SQS messages through @aws-sdk/client-sqs against a runtime process. The SDK checks
 * MD5OfMessageBody (send, batch send) and MD5OfBody (receive) itself (md5 validation is on by
 * default) and fails the call on a wrong one, so every send and receive here also proves
 * those checksums; MD5OfMessageAttributes is compared between send and receive.
 */
import {
  ListMessageMoveTasksCommand, StartMessageMoveTaskCommand, ListDeadLetterSourceQueuesCommand, ChangeMessageVisibilityBatchCommand, ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageBatchCommand, DeleteMessageCommand,
  GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, SendMessageBatchCommand, SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let client: SQSClient;

beforeAll(async () => {
  rt = await startRuntime({ env: { STATE_AUDIT: '1' } });
  client = new SQSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

async function queue(name: string, Attributes?: Record<string, string>): Promise<string> {
  return (await client.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
}

async function counts(QueueUrl: string) {
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }));
  return [Attributes!.ApproximateNumberOfMessages, Attributes!.ApproximateNumberOfMessagesNotVisible, Attributes!.ApproximateNumberOfMessagesDelayed].map(Number);
}

describe('SQS messages through @aws-sdk/client-sqs', () => {
  it("sends and receives with message attributes and system attributes; the SDK verifies the body's MD5", async () => {
    const QueueUrl = await queue('m1');
    const MessageAttributes = {
      s: { DataType: 'String', StringValue: 'héllo' },
      n: { DataType: 'Number', StringValue: '42' },
      b: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 255]) },
      'x.custom': { DataType: 'String.custom', StringValue: 'c' },
    };
    const sent = await client.send(new SendMessageCommand({
      QueueUrl, MessageBody: 'body ✓ 𝄞', MessageAttributes,
      MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' } },
    }));
    expect(sent.MD5OfMessageBody).toMatch(/^[0-9a-f]{32}$/);
    expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }));
    const [m] = Messages!;
    expect(m).toMatchObject({ MessageId: sent.MessageId, Body: 'body ✓ 𝄞', MD5OfBody: sent.MD5OfMessageBody, MD5OfMessageAttributes: sent.MD5OfMessageAttributes });
    expect(m!.MessageAttributes).toEqual({ ...MessageAttributes, b: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 255]) } });
    expect(m!.Attributes).toMatchObject({ ApproximateReceiveCount: '1', AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793', SenderId: '000000000000' });
    expect(Number(m!.Attributes!.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(Number(m!.Attributes!.SentTimestamp));
    // a prefix selects some attributes, and the MD5 covers the ones returned
    const again = await client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m!.ReceiptHandle, VisibilityTimeout: 0 }));
    expect(again.$metadata.httpStatusCode).toBe(200);
    const [m2] = (await client.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['x.*'], MessageSystemAttributeNames: ['ApproximateReceiveCount'] }))).Messages!;
    expect([m2!.MessageAttributes, m2!.Attributes]).toEqual([{ 'x.custom': MessageAttributes['x.custom'] }, { ApproximateReceiveCount: '2' }]);
    // the first handle is stale now: deleting with it succeeds and deletes nothing
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m!.ReceiptHandle }));
    expect(await counts(QueueUrl)).toEqual([0, 1, 0]);
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m2!.ReceiptHandle }));
    expect(await counts(QueueUrl)).toEqual([0, 0, 0]);
  });

  it('refuses bad messages with AWS codes, stores nothing, keeps serving', async () => {
    const QueueUrl = await queue('m-bad', { MaximumMessageSize: '1024' });
    expect(await sdkError(client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a\u0000b' })))).toMatchObject({
      name: 'InvalidMessageContents', status: 400,
      message: 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    });
    expect(await sdkError(client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1025) })))).toMatchObject({
      name: 'InvalidParameterValue', message: 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
    });
    expect(await sdkError(client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', DelaySeconds: 901 })))).toMatchObject({ name: 'InvalidParameterValue' });
    expect(await sdkError(client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'not-a-handle' })))).toMatchObject({
      name: 'ReceiptHandleIsInvalid', status: 404, message: 'The input receipt handle "not-a-handle" is not a valid receipt handle.',
    });
    expect(await sdkError(client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 })))).toMatchObject({
      name: 'InvalidParameterValue', message: 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    });
    expect(await counts(QueueUrl)).toEqual([0, 0, 0]);
    expect((await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'fine' }))).MessageId).toBeTruthy();
  });

  it('batches: per-entry errors, and the batch-level errors', async () => {
    const QueueUrl = await queue('m-batch');
    const result = await client.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'one' }, { Id: 'b', MessageBody: '\u0001' }, { Id: 'c', MessageBody: 'three', DelaySeconds: 60 }] }));
    expect(result.Successful!.map((e) => e.Id)).toEqual(['a', 'c']);
    expect(result.Failed).toEqual([{ Id: 'b', SenderFault: true, Code: 'InvalidMessageContents', Message: expect.stringMatching(/^Invalid characters found/) }]);
    expect(await counts(QueueUrl)).toEqual([1, 0, 1]);
    expect(await sdkError(client.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: '1' }, { Id: 'a', MessageBody: '2' }] })))).toMatchObject({
      name: 'BatchEntryIdsNotDistinct', code: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', message: 'Id a repeated.',
    });
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' }));
    expect(await sdkError(client.send(new SendMessageBatchCommand({ QueueUrl, Entries: eleven })))).toMatchObject({
      name: 'TooManyEntriesInBatchRequest', message: 'Maximum number of entries per request are 10. You have sent 11.',
    });
    const big = Array.from({ length: 2 }, (_, i) => ({ Id: `big${i}`, MessageBody: 'x'.repeat(600_000) }));
    expect(await sdkError(client.send(new SendMessageBatchCommand({ QueueUrl, Entries: big })))).toMatchObject({
      name: 'BatchRequestTooLong', message: 'Batch requests cannot be longer than 1048576 bytes. You have sent 1200000 bytes.',
    });
    expect(await counts(QueueUrl)).toEqual([1, 0, 1]);
    const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    const changed = await client.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl, Entries: [{ Id: 'x', ReceiptHandle: Messages![0]!.ReceiptHandle, VisibilityTimeout: 100 }, { Id: 'y', ReceiptHandle: 'bad' }] }));
    expect([changed.Successful, changed.Failed]).toEqual([[{ Id: 'x' }], [{ Id: 'y', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The input receipt handle "bad" is not a valid receipt handle.' }]]);
    const deleted = await client.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'x', ReceiptHandle: Messages![0]!.ReceiptHandle }] }));
    expect(deleted.Successful).toEqual([{ Id: 'x' }]);
    expect(await counts(QueueUrl)).toEqual([0, 0, 1]);
  });

  it('long polling: 20 waiting receivers, one send wakes exactly one, the others end empty at their wait time', async () => {
    const QueueUrl = await queue('m-poll');
    const receivers = Array.from({ length: 20 }, () => client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 3 })));
    // the receivers are waiting once the queue reports nothing visible and the runtime has them (no timing asserted)
    await new Promise((r) => setTimeout(r, 300));
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'wake' }));
    const answers = await Promise.all(receivers);
    const got = answers.filter((a) => a.Messages?.length);
    expect(got.length).toBe(1);
    expect(got[0]!.Messages![0]!.Body).toBe('wake');
  });

  it('a receive with the queue default ReceiveMessageWaitTimeSeconds gets a message sent while it waits', async () => {
    const QueueUrl = await queue('m-poll-default', { ReceiveMessageWaitTimeSeconds: '10' });
    const waiting = client.send(new ReceiveMessageCommand({ QueueUrl }));
    await new Promise((r) => setTimeout(r, 200));
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'late' }));
    expect((await waiting).Messages![0]!.Body).toBe('late');
  });

  it('dead-letters a message received maxReceiveCount times', async () => {
    const dlq = await queue('m-dlq');
    const QueueUrl = await queue('m-src', { VisibilityTimeout: '0', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:m-dlq', maxReceiveCount: 2 }) });
    expect((await client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls).toEqual([QueueUrl]);
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'poison' }));
    for (let i = 0; i < 2; i++) expect((await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toHaveLength(1);
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    // the deprecated AttributeNames takes system attribute names too, as AWS does
    const [m] = (await client.send(new ReceiveMessageCommand({ QueueUrl: dlq, AttributeNames: ['ApproximateReceiveCount' as never, 'SentTimestamp' as never] }))).Messages!;
    expect(m!.Body).toBe('poison');
    expect(Object.keys(m!.Attributes!)).toEqual(['ApproximateReceiveCount', 'SentTimestamp']);
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: dlq, ReceiptHandle: m!.ReceiptHandle, VisibilityTimeout: 0 }));
    const [again] = (await client.send(new ReceiveMessageCommand({ QueueUrl: dlq, VisibilityTimeout: 0, MessageSystemAttributeNames: ['DeadLetterQueueSourceArn'] }))).Messages!;
    expect(again!.Attributes).toEqual({ DeadLetterQueueSourceArn: 'arn:aws:sqs:us-east-1:000000000000:m-src' });
    // redrive: the message goes back to the queue it came from
    expect(await sdkError(client.send(new StartMessageMoveTaskCommand({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:m-src' })))).toMatchObject({
      name: 'InvalidParameterValue', message: 'Source queue must be configured as a Dead Letter Queue.',
    });
    expect((await client.send(new StartMessageMoveTaskCommand({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:m-dlq' }))).TaskHandle).toBeTruthy();
    // the task runs on the provider's scheduler (move-tasks.test.ts drives it on a clock)
    await vi.waitFor(async () => expect((await client.send(new ListMessageMoveTasksCommand({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:m-dlq' }))).Results).toEqual([{
      Status: 'COMPLETED', SourceArn: 'arn:aws:sqs:us-east-1:000000000000:m-dlq', ApproximateNumberOfMessagesMoved: 1, ApproximateNumberOfMessagesToMove: 1, StartedTimestamp: expect.any(Number),
    }]));
    const [back] = (await client.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }))).Messages!;
    expect([back!.Body, back!.Attributes!.ApproximateReceiveCount]).toEqual(['poison', '1']);
  });
});

describe('SQS FIFO queues', () => {
  it('requires a group id, deduplicates by id and by content, numbers messages', async () => {
    const QueueUrl = await queue('f.fifo', { FifoQueue: 'true' });
    expect(await sdkError(client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageDeduplicationId: 'd' })))).toMatchObject({
      name: 'MissingParameter', message: 'The request must contain the parameter MessageGroupId.',
    });
    expect(await sdkError(client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g' })))).toMatchObject({
      name: 'InvalidParameterValue', message: 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    });
    const a = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
    const dup = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
    expect([dup.MessageId, dup.SequenceNumber]).toEqual([a.MessageId, a.SequenceNumber]);
    const content = await queue('c.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    const c1 = await client.send(new SendMessageCommand({ QueueUrl: content, MessageBody: 'same', MessageGroupId: 'g' }));
    const c2 = await client.send(new SendMessageCommand({ QueueUrl: content, MessageBody: 'same', MessageGroupId: 'g' }));
    expect(c2.MessageId).toBe(c1.MessageId);
    expect(await counts(content)).toEqual([1, 0, 0]);
  });

  it('keeps each group in send order under concurrent senders, with increasing sequence numbers', async () => {
    const QueueUrl = await queue('conc.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    const senders = ['a', 'b', 'c'].map(async (sender) => {
      for (let i = 0; i < 10; i++) await client.send(new SendMessageCommand({ QueueUrl, MessageBody: `${sender}${i}`, MessageGroupId: 'g' }));
    });
    await Promise.all(senders);
    const bodies: string[] = [];
    const sequence: bigint[] = [];
    for (;;) {
      const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['SequenceNumber'] }));
      if (!Messages) break;
      for (const m of Messages) {
        bodies.push(m.Body!);
        sequence.push(BigInt(m.Attributes!.SequenceNumber!));
        await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
      }
    }
    expect(bodies).toHaveLength(30);
    for (const sender of ['a', 'b', 'c']) expect(bodies.filter((b) => b.startsWith(sender))).toEqual(Array.from({ length: 10 }, (_, i) => `${sender}${i}`));
    expect(sequence.every((n, i) => i === 0 || n > sequence[i - 1]!)).toBe(true);
  });

  it('delivers a group in order, one in-flight batch per group', async () => {
    const QueueUrl = await queue('o.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    await client.send(new SendMessageBatchCommand({ QueueUrl, Entries: ['1', '2', '3'].map((b) => ({ Id: `m${b}`, MessageBody: b, MessageGroupId: 'g1' })) }));
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'other', MessageGroupId: 'g2' }));
    const first = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2, MessageSystemAttributeNames: ['MessageGroupId', 'SequenceNumber'] }));
    expect(first.Messages!.map((m) => m.Body)).toEqual(['1', '2']);
    const seq = first.Messages!.map((m) => BigInt(m.Attributes!.SequenceNumber!));
    expect(seq[1]! > seq[0]!).toBe(true);
    // g1 has messages in flight: only g2 is deliverable
    const second = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(second.Messages!.map((m) => m.Body)).toEqual(['other']);
    // a long poll on a group held back by its in-flight messages waits (no message), then the group frees
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }))).Messages).toBeUndefined();
    for (const m of first.Messages!) await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages!.map((m) => m.Body)).toEqual(['3']);
  });
});
