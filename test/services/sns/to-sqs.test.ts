/**
 * SNS fanning out to the real SQS provider, end to end over a socket: the envelope a queue
 * receives, raw delivery with its attributes, filter policies, and a FIFO topic to a FIFO queue
 * (group order, deduplication). publish.test.ts checks the same against a stand-in SQS.
 */
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, PublishCommand, SetSubscriptionAttributesCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';

let rt: RuntimeProcess;
let sns: SNSClient;
let sqs: SQSClient;

beforeAll(async () => {
  rt = await startRuntime();
  sns = new SNSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
  sqs = new SQSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

async function queue(name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn };
}

/** Every message the queue gives within a few long polls, until one comes back empty. */
async function drain(url: string): Promise<Array<{ Body?: string; MessageAttributes?: Record<string, { StringValue?: string }> }>> {
  const all = [];
  for (;;) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
    if (!r.Messages?.length) return all;
    all.push(...r.Messages);
  }
}

describe('SNS to the real SQS', () => {
  it('a queue receives the envelope, or the raw message with its attributes; a filter policy keeps others out', async () => {
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'fan-out' }))).TopicArn!;
    const wrapped = await queue('fan-wrapped');
    const raw = await queue('fan-raw');
    const filtered = await queue('fan-filtered');
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: wrapped.arn }));
    const rawSub = (await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: raw.arn, ReturnSubscriptionArn: true }))).SubscriptionArn!;
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: rawSub, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' }));
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: filtered.arn, Attributes: { FilterPolicy: JSON.stringify({ colour: ['blue'] }) } }));

    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topic, Message: 'hello', Subject: 'greeting', MessageAttributes: { colour: { DataType: 'String', StringValue: 'red' } } }));

    const [envelope] = await drain(wrapped.url);
    const body = JSON.parse(envelope!.Body!);
    expect(Object.keys(body)).toEqual(['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
    expect(body).toMatchObject({ Type: 'Notification', MessageId, TopicArn: topic, Subject: 'greeting', Message: 'hello', MessageAttributes: { colour: { Type: 'String', Value: 'red' } } });

    const [plain] = await drain(raw.url);
    expect(plain!.Body).toBe('hello');
    expect(plain!.MessageAttributes?.colour?.StringValue).toBe('red');

    expect(await drain(filtered.url)).toEqual([]);
    await sns.send(new PublishCommand({ TopicArn: topic, Message: 'for blue', MessageAttributes: { colour: { DataType: 'String', StringValue: 'blue' } } }));
    expect((await drain(filtered.url)).map((m) => JSON.parse(m.Body!).Message)).toEqual(['for blue']);
  });

  it('a FIFO topic to a FIFO queue: in order within a group, a duplicate dropped', async () => {
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'orders.fifo', Attributes: { FifoTopic: 'true' } }))).TopicArn!;
    const q = await queue('orders.fifo', { FifoQueue: 'true' });
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
    for (const n of [1, 2, 3, 2]) {
      await sns.send(new PublishCommand({ TopicArn: topic, Message: `order ${n}`, MessageGroupId: 'g', MessageDeduplicationId: `d${n}` }));
    }
    const bodies: string[] = [];
    // one in-flight batch per group: receive, and the next receive waits for these to be deleted or expire
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10 }));
    bodies.push(...(r.Messages ?? []).map((m) => m.Body!));
    expect(bodies).toEqual(['order 1', 'order 2', 'order 3']);
  });
});
