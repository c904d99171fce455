/**
 * Subscription dead-letter queues (RedrivePolicy), end to end through @aws-sdk/client-sns and
 * client-sqs over a socket to a runtime process: what a subscriber could not take lands in the
 * DLQ as AWS writes it (as LocalStack's snapshot tests recorded from AWS): an sqs subscriber
 * whose queue was deleted (the Notification envelope; with raw delivery the message and its
 * attributes; FIFO: group and deduplication ids on a FIFO DLQ), a lambda subscriber that cannot
 * be invoked (the envelope), an http subscriber that keeps failing past its delivery policy
 * (the envelope, after the retries). A DLQ is not checked when set (AWS accepts any queue
 * ARN): one that does not exist when a message fails costs a warning, and the runtime keeps
 * serving; a FIFO subscription's DLQ must be FIFO (AWS's error).
 */
import {
  ConfirmSubscriptionCommand, CreateTopicCommand, PublishCommand, SetSubscriptionAttributesCommand, SNSClient, SubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpReceiver } from '../../support/http-receiver.js';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectSdkError } from '../../support/sdk-error.js';

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

async function queue(QueueName: string, fifo = false): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName, Attributes: fifo ? { FifoQueue: 'true' } : {} }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

/** The next message in a queue (long polling: it may still be on its way). */
async function next(url: string): Promise<Message> {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }));
  expect(Messages, `no message in ${url}`).toHaveLength(1);
  return Messages![0]!;
}

const redrive = (arn: string) => JSON.stringify({ deadLetterTargetArn: arn });

describe('subscription dead-letter queues', () => {
  it('an sqs subscriber whose queue is gone: the envelope, or the raw message with its attributes', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'orders' }));
    const dlq = await queue('orders-dlq');
    const wrapped = await queue('wrapped');
    const raw = await queue('raw');
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: wrapped.arn, Attributes: { RedrivePolicy: redrive(dlq.arn) } }));
    const rawSub = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: raw.arn, Attributes: { RawMessageDelivery: 'true' } }));
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: rawSub.SubscriptionArn, AttributeName: 'RedrivePolicy', AttributeValue: redrive(dlq.arn) }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: wrapped.url }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: raw.url }));

    const MessageAttributes = { attr1: { DataType: 'Number', StringValue: '111' }, attr2: { DataType: 'Binary', BinaryValue: new Uint8Array([2, 3, 4]) } };
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'lost', MessageAttributes }));
    const got = [await next(dlq.url), await next(dlq.url)];
    const envelope = got.find((m) => m.Body!.startsWith('{'))!;
    const plain = got.find((m) => m !== envelope)!;
    expect(JSON.parse(envelope.Body!)).toMatchObject({
      Type: 'Notification', MessageId, TopicArn, Message: 'lost',
      MessageAttributes: { attr1: { Type: 'Number', Value: '111' }, attr2: { Type: 'Binary', Value: 'AgME' } },
    });
    expect(envelope.MessageAttributes).toBeUndefined();
    expect(plain.Body).toBe('lost');
    expect(plain.MessageAttributes).toEqual({ attr1: { DataType: 'Number', StringValue: '111' }, attr2: { DataType: 'Binary', BinaryValue: new Uint8Array([2, 3, 4]) } });
  });

  it('a FIFO subscriber: to a FIFO DLQ with the message group and deduplication ids', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'jobs.fifo', Attributes: { FifoTopic: 'true' } }));
    const dlq = await queue('jobs-dlq.fifo', true);
    const target = await queue('jobs.fifo', true);
    const standard = await queue('not-fifo-dlq');
    await expectSdkError(
      sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: target.arn, Attributes: { RedrivePolicy: redrive(standard.arn) } })),
      'InvalidParameterException', 'Invalid parameter: Attributes Reason: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.',
    );
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: target.arn, Attributes: { RedrivePolicy: redrive(dlq.arn), RawMessageDelivery: 'true' } }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: target.url }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'job 1', MessageGroupId: 'g1', MessageDeduplicationId: 'd1' }));
    const m = await next(dlq.url);
    expect(m.Body).toBe('job 1');
    expect(m.Attributes).toMatchObject({ MessageGroupId: 'g1', MessageDeduplicationId: 'd1' });
  });

  it('a lambda subscriber that cannot be invoked: the envelope', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'to-lambda' }));
    const dlq = await queue('lambda-dlq');
    const fn = 'arn:aws:lambda:us-east-1:000000000000:function:does-not-exist';
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: fn, Attributes: { RedrivePolicy: redrive(dlq.arn) } }));
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: '{"order":1}', MessageAttributes: { attr1: { DataType: 'Number', StringValue: '1' } } }));
    const doc = JSON.parse((await next(dlq.url)).Body!) as Record<string, unknown>;
    expect(doc).toMatchObject({ Type: 'Notification', MessageId, TopicArn, Message: '{"order":1}', MessageAttributes: { attr1: { Type: 'Number', Value: '1' } } });
    expect(doc.UnsubscribeURL).toEqual(expect.stringContaining('Action=Unsubscribe'));
  });

  it('an http subscriber that keeps failing: the envelope once the retries are spent', async () => {
    const receiver = await startHttpReceiver('/hook');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'to-http' }));
    const dlq = await queue('http-dlq');
    // two retries, both at once, so that the test waits for no delay
    const DeliveryPolicy = JSON.stringify({ healthyRetryPolicy: { numRetries: 2, numNoDelayRetries: 2 } });
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: receiver.url, Attributes: { DeliveryPolicy, RedrivePolicy: redrive(dlq.arn) } }));
    const token = (JSON.parse((await receiver.nth(1)).body) as { Token: string }).Token;
    await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: token }));
    receiver.close(); // nothing listens there any more
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'unheard' }));
    expect(JSON.parse((await next(dlq.url)).Body!)).toMatchObject({ Type: 'Notification', MessageId, Message: 'unheard' });
    await rt.waitForStderr(`Notification ${MessageId!} to ${receiver.url} failed 3 times`);
  });

  it('a DLQ that does not exist is accepted when set; a message that fails then is dropped with a warning, and the runtime keeps serving', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'no-dlq' }));
    const target = await queue('short-lived');
    const missing = 'arn:aws:sqs:us-east-1:000000000000:never-created';
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: target.arn, Attributes: { RedrivePolicy: redrive(missing) } }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: target.url }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'nowhere' }));
    await rt.waitForStderr(/dead-letter queue arn:aws:sqs:us-east-1:000000000000:never-created: sqs\.SendMessage failed/);
    const alive = await queue('still-serving');
    expect(alive.arn).toContain('still-serving');
  });
});
