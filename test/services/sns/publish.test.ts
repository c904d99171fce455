/**
 * Publish and PublishBatch fanned out to subscribers: the real SNS provider and a stand-in SQS
 * (test/support/stand-ins.ts, recording each SendMessage) in one runtime in this process, driven
 * by @aws-sdk/client-sns over a socket; an http subscriber is a server run by the test. What
 * arrives is checked whole: the Notification envelope member by member, raw delivery with the
 * attributes, FIFO group and deduplication ids, filter policies; bad messages get AWS's errors.
 */
import { createVerify } from 'node:crypto';
import {
  ConfirmSubscriptionCommand, CreateTopicCommand, PublishBatchCommand, PublishCommand, SNSClient, SubscribeCommand, type PublishCommandInput,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../runtime/runtime.js';
import { PROVIDERS } from '../../../runtime/services/registry.js';
import { SIGNING_CERTIFICATE } from '../../../runtime/services/sns/signing.js';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';
import { startHttpReceiver, type HttpReceiver } from '../../support/http-receiver.js';
import { sdkError } from '../../support/sdk-error.js';
import { standIn, type Received } from '../../support/stand-ins.js';

const ACCOUNT = '000000000000';
const received: Received[] = [];
let sns: SNSClient;
let runtime: Runtime;

withInProcessRuntime({ sns: PROVIDERS.sns, sqs: standIn('sqs', received, { SendMessage: () => ({ MessageId: 'm' }) }) }, (endpoint, rt) => {
  sns = new SNSClient({ ...clientConfig(endpoint), maxAttempts: 1 });
  runtime = rt;
});

let receiver: HttpReceiver;
let url: string;
beforeAll(async () => {
  receiver = await startHttpReceiver();
  url = receiver.url;
});
afterAll(() => receiver?.close());

const nextPost = (count: number) => receiver.nth(count);

/** The SendMessage inputs the stand-in got for a queue, after the delivery queue drained. */
async function sent(queue: string): Promise<Record<string, any>[]> {
  await runtime.services.deliveries.idle();
  return received.filter((r) => r.operation === 'SendMessage' && String(r.input.QueueUrl).endsWith(`/${ACCOUNT}/${queue}`)).map((r) => r.input as Record<string, any>);
}

/** Verifies a document's signature as a receiver does: the string to sign built from the document, the certificate's key. */
function verifies(doc: Record<string, unknown>): boolean {
  const names = doc.Type === 'Notification' ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  const text = names.filter((n) => typeof doc[n] === 'string').map((n) => `${n}\n${doc[n] as string}\n`).join('');
  const verifier = createVerify(doc.SignatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1');
  verifier.update(text);
  return verifier.verify(SIGNING_CERTIFICATE, doc.Signature as string, 'base64');
}

async function topicWithQueue(name: string, queue: string, attributes: Record<string, string> = {}, topicAttributes: Record<string, string> = {}) {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name, Attributes: topicAttributes }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:${queue}`, Attributes: attributes }));
  return TopicArn!;
}

describe('Publish to sqs subscribers', () => {
  it('sends the Notification envelope as AWS writes it', async () => {
    const TopicArn = await topicWithQueue('envelope', 'q-envelope');
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'hello', Subject: 'greeting', MessageAttributes: { color: { DataType: 'String', StringValue: 'red' }, n: { DataType: 'Number', StringValue: '3' } } }));
    const [input] = await sent('q-envelope');
    // the runtime listens on port 0 here, and LOCALSTACK_HOST follows it
    expect(input!.QueueUrl).toMatch(new RegExp(`^http://sqs\\.us-east-1\\.localhost\\.localstack\\.cloud:\\d+/${ACCOUNT}/q-envelope$`));
    const doc = JSON.parse(input!.MessageBody as string) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
    expect(doc).toEqual({
      Type: 'Notification', MessageId, TopicArn, Subject: 'greeting', Message: 'hello', Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      SignatureVersion: '1', Signature: expect.any(String), SigningCertURL: expect.stringMatching(/^http:\/\/.*\.pem$/),
      UnsubscribeURL: expect.stringMatching(new RegExp(`\\?Action=Unsubscribe&SubscriptionArn=${TopicArn}:[0-9a-f-]{36}$`)),
      MessageAttributes: { color: { Type: 'String', Value: 'red' }, n: { Type: 'Number', Value: '3' } },
    });
    expect(verifies(doc)).toBe(true);
    expect(verifies({ ...doc, Message: 'tampered' })).toBe(false);
  });

  it('signs with SignatureVersion 2 (SHA256) when the topic says so', async () => {
    const TopicArn = await topicWithQueue('signed-v2', 'q-v2', {}, { SignatureVersion: '2' });
    await sns.send(new PublishCommand({ TopicArn, Message: 'v2' }));
    const doc = JSON.parse((await sent('q-v2'))[0]!.MessageBody as string) as Record<string, unknown>;
    expect(doc.SignatureVersion).toBe('2');
    expect(verifies(doc)).toBe(true);
  });

  it('every subscriber of one publish gets the publish time and one signature, which verifies in each envelope; the next publish gets its own', async () => {
    const TopicArn = await topicWithQueue('one-signature', 'q-one-a');
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:q-one-b` }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'first' }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'second' }));
    const [a1, a2] = (await sent('q-one-a')).map((i) => JSON.parse(i.MessageBody as string) as Record<string, unknown>);
    const [b1, b2] = (await sent('q-one-b')).map((i) => JSON.parse(i.MessageBody as string) as Record<string, unknown>);
    expect(a1!.UnsubscribeURL).not.toBe(b1!.UnsubscribeURL);
    expect([b1!.MessageId, b1!.Timestamp, b1!.Signature]).toEqual([a1!.MessageId, a1!.Timestamp, a1!.Signature]);
    expect(a2!.Signature).not.toBe(a1!.Signature);
    for (const doc of [a1!, a2!, b1!, b2!]) expect(verifies(doc)).toBe(true);
  });

  it('raw delivery: the message itself, its attributes as the queue message attributes; MessageStructure=json picks the sqs entry', async () => {
    const TopicArn = await topicWithQueue('raw', 'q-raw', { RawMessageDelivery: 'true' });
    await sns.send(new PublishCommand({ TopicArn, Message: 'plain', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }));
    await sns.send(new PublishCommand({ TopicArn, Message: JSON.stringify({ default: 'd', sqs: 'for sqs' }), MessageStructure: 'json' }));
    const inputs = await sent('q-raw');
    expect(inputs.map((i) => i.MessageBody)).toEqual(['plain', 'for sqs']);
    expect(inputs[0]!.MessageAttributes).toEqual({ k: { DataType: 'String', StringValue: 'v' } });
  });

  it('FIFO: group and deduplication ids passed on, sequence numbers, duplicates dropped', async () => {
    const TopicArn = await topicWithQueue('orders.fifo', 'q.fifo', {}, { FifoTopic: 'true', ContentBasedDeduplication: 'true' });
    const a = await sns.send(new PublishCommand({ TopicArn, Message: 'one', MessageGroupId: 'g' }));
    const b = await sns.send(new PublishCommand({ TopicArn, Message: 'two', MessageGroupId: 'g', MessageDeduplicationId: 'd2' }));
    const dup = await sns.send(new PublishCommand({ TopicArn, Message: 'one', MessageGroupId: 'g' }));
    expect(a.SequenceNumber).toMatch(/^\d{20}$/);
    expect(BigInt(b.SequenceNumber!)).toBeGreaterThan(BigInt(a.SequenceNumber!));
    expect(dup.MessageId).toBe(a.MessageId);
    const inputs = await sent('q.fifo');
    expect(inputs.map((i) => [JSON.parse(i.MessageBody).Message, i.MessageGroupId, i.MessageDeduplicationId])).toEqual([['one', 'g', expect.stringMatching(/^[0-9a-f]{64}$/)], ['two', 'g', 'd2']]);
    expect(await sdkError(sns.send(new PublishCommand({ TopicArn, Message: 'x' })))).toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics' });
  });

  it('a filter policy decides which subscribers get a message, in both scopes', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'filtered' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:q-red`, Attributes: { FilterPolicy: '{"color":["red"]}' } }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:q-big`, Attributes: { FilterPolicyScope: 'MessageBody', FilterPolicy: '{"order":{"total":[{"numeric":[">",100]}]}}' } }));
    await sns.send(new PublishCommand({ TopicArn, Message: '{"order":{"total":500}}', MessageAttributes: { color: { DataType: 'String', StringValue: 'blue' } } }));
    await sns.send(new PublishCommand({ TopicArn, Message: '{"order":{"total":5}}', MessageAttributes: { color: { DataType: 'String', StringValue: 'red' } } }));
    expect((await sent('q-red')).map((i) => JSON.parse(i.MessageBody).Message)).toEqual(['{"order":{"total":5}}']);
    expect((await sent('q-big')).map((i) => JSON.parse(i.MessageBody).Message)).toEqual(['{"order":{"total":500}}']);
  });

  it('PublishBatch: each entry delivered; batch errors as AWS words them', async () => {
    const TopicArn = await topicWithQueue('batch', 'q-batch');
    const out = await sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'a', Message: '1' }, { Id: 'b', Message: '2' }] }));
    expect(out.Successful!.map((s) => s.Id)).toEqual(['a', 'b']);
    expect(out.Failed ?? []).toEqual([]);
    expect((await sent('q-batch')).map((i) => JSON.parse(i.MessageBody).Message)).toEqual(['1', '2']);
    const batch = (entries: { Id: string; Message: string }[]) => sdkError(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: entries })));
    expect(await batch([{ Id: 'a', Message: '1' }, { Id: 'a', Message: '2' }])).toMatchObject({ name: 'BatchEntryIdsNotDistinctException', status: 400, message: 'Two or more batch entries in the request have the same Id.' });
    expect(await batch(Array.from({ length: 11 }, (_, i) => ({ Id: `i${i}`, Message: 'm' })))).toMatchObject({ name: 'TooManyEntriesInBatchRequestException', message: 'The batch request contains more entries than permissible.' });
    expect(await batch([{ Id: 'a b', Message: '1' }])).toMatchObject({ name: 'InvalidBatchEntryIdException', message: 'The Id of a batch entry in the batch request contains an impermissible character: a b' });
  });
});

describe('Publish to http subscribers, and bad messages', () => {
  it('POSTs the Notification after the confirmation', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'web' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: url }));
    const confirmation = JSON.parse((await nextPost(1)).body) as Record<string, unknown>;
    expect(verifies(confirmation)).toBe(true);
    const token = confirmation.Token as string;
    await sns.send(new PublishCommand({ TopicArn, Message: 'before confirmation' }));
    await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: token }));
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'after' }));
    const post = await nextPost(2);
    expect(post.headers).toMatchObject({ 'x-amz-sns-message-type': 'Notification', 'x-amz-sns-message-id': MessageId, 'x-amz-sns-topic-arn': TopicArn, 'x-amz-sns-subscription-arn': expect.stringContaining(TopicArn!) });
    expect(JSON.parse(post.body)).toMatchObject({ Type: 'Notification', MessageId, Message: 'after' });
  });

  it('refuses what AWS refuses, and keeps serving', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'strict' }));
    const cases: [Partial<PublishCommandInput>, string, string][] = [
      [{ Message: '' }, 'InvalidParameterException', 'Invalid parameter: Empty message'],
      [{ Message: 'm', Subject: '' }, 'InvalidParameterException', 'Invalid parameter: Subject'],
      [{ Message: 'x'.repeat(262_145) }, 'InvalidParameterException', 'Invalid parameter: Message too long'],
      [{ Message: 'not json', MessageStructure: 'json' }, 'InvalidParameterException', 'Invalid parameter: Message Structure - JSON message body failed to parse'],
      [{ Message: '{"sqs":"x"}', MessageStructure: 'json' }, 'InvalidParameterException', 'Invalid parameter: Message Structure - No default entry in JSON message body'],
      [{ Message: 'm', MessageDeduplicationId: 'd' }, 'InvalidParameterException', 'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type'],
      [{ Message: 'm', MessageAttributes: { a: { DataType: 'Text', StringValue: 'x' } } }, 'InvalidParameterValueException', "The message attribute 'a' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String."],
      [{ Message: 'm', MessageAttributes: { a: { DataType: 'Binary', StringValue: 'x' } } }, 'InvalidParameterValueException', "The message attribute 'a' with type 'Binary' must use field 'Binary'."],
    ];
    for (const [input, name, message] of cases) {
      expect(await sdkError(sns.send(new PublishCommand({ TopicArn, ...input } as PublishCommandInput))), message).toMatchObject({ name, status: 400, message });
    }
    expect(await sdkError(sns.send(new PublishCommand({ TopicArn: `${TopicArn}-gone`, Message: 'm' })))).toMatchObject({ name: 'NotFoundException', status: 404 });
    expect((await sns.send(new PublishCommand({ TopicArn, Message: 'fine' }))).MessageId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
