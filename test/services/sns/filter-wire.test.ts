/**
 * The newer filter operators on the wire: a queue subscribed with a `wildcard` policy
 * (MessageAttributes) and one with an IPv6 `cidr` and `anything-but` wildcard policy
 * (MessageBody) receive exactly the messages that match, through @aws-sdk/client-sns and
 * client-sqs over a socket to a runtime process.
 */
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';

let rt: RuntimeProcess;
let sns: SNSClient;
let sqs: SQSClient;
beforeAll(async () => {
  rt = await startRuntime({ env: { SERVICES: 'sns,sqs' } });
  sns = new SNSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
  sqs = new SQSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

async function subscribedQueue(TopicArn: string, name: string, attributes: Record<string, string>): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: arn, Attributes: { RawMessageDelivery: 'true', ...attributes } }));
  return QueueUrl!;
}

/** Every body in a queue, once `count` have arrived (long polling), sorted. */
async function bodies(QueueUrl: string, count: number): Promise<string[]> {
  const got: string[] = [];
  for (let i = 0; i < 10 && got.length < count; i++) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2, MaxNumberOfMessages: 10 }));
    got.push(...(Messages ?? []).map((m) => m.Body!));
  }
  return got.sort();
}

describe('wildcard and IPv6 cidr filter policies on the wire', () => {
  it('deliver only what matches', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'uploads' }));
    const images = await subscribedQueue(TopicArn!, 'images', { FilterPolicy: JSON.stringify({ key: [{ wildcard: 'images/*.png' }] }) });
    const v6 = await subscribedQueue(TopicArn!, 'v6', {
      FilterPolicyScope: 'MessageBody',
      FilterPolicy: JSON.stringify({ source: { ip: [{ cidr: '2001:db8::/32' }] }, env: [{ 'anything-but': { wildcard: 'test-*' } }] }),
    });
    const publish = (Message: string, key: string) => sns.send(new PublishCommand({ TopicArn, Message, MessageAttributes: { key: { DataType: 'String', StringValue: key } } }));
    await publish('{"source":{"ip":"2001:db8::7"},"env":"prod"}', 'images/cat.png');
    await publish('{"source":{"ip":"2001:db9::7"},"env":"prod"}', 'images/cat.jpg');
    await publish('{"source":{"ip":"2001:db8:ffff::1"},"env":"test-1"}', 'docs/a.png');
    await publish('{"source":{"ip":"10.0.0.1"},"env":"prod"}', 'images/dog.png');
    expect(await bodies(images, 2)).toEqual(['{"source":{"ip":"10.0.0.1"},"env":"prod"}', '{"source":{"ip":"2001:db8::7"},"env":"prod"}']);
    expect(await bodies(v6, 1)).toEqual(['{"source":{"ip":"2001:db8::7"},"env":"prod"}']);
    // nothing more came for either
    for (const QueueUrl of [images, v6]) expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }))).Messages ?? []).toEqual([]);
  });
});
