/**
 * SNS subscriptions through @aws-sdk/client-sns against a runtime process: each protocol's
 * endpoint check, idempotent Subscribe, pending confirmation (an http endpoint run by the test
 * receives the SubscriptionConfirmation POST and confirms with its token), attributes and their
 * validation, listings, Unsubscribe; the runtime serving after each refusal.
 */
import {
  ConfirmSubscriptionCommand, CreateTopicCommand, DeleteTopicCommand, GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand, SetSubscriptionAttributesCommand, SNSClient, SubscribeCommand, UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { startHttpReceiver, type HttpReceiver } from '../../support/http-receiver.js';
import { sdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let sns: SNSClient;
let receiver: HttpReceiver;
let url: string;
const ACCOUNT = '000000000000';
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:q`;

beforeAll(async () => {
  receiver = await startHttpReceiver('/hook');
  url = receiver.url;
  rt = await startRuntime();
  sns = new SNSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
  receiver?.close();
});

const nextPost = (count: number) => receiver.nth(count);

async function topic(name: string): Promise<string> {
  return (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn!;
}

describe('Subscribe', () => {
  it('sqs: confirmed at once, idempotent, attributes as AWS reports them', async () => {
    const TopicArn = await topic('subs');
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: QUEUE }));
    expect(SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));
    expect((await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: QUEUE }))).SubscriptionArn).toBe(SubscriptionArn);
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    expect(Attributes).toEqual({
      ConfirmationWasAuthenticated: 'true', Endpoint: QUEUE, Owner: ACCOUNT, PendingConfirmation: 'false', Protocol: 'sqs', RawMessageDelivery: 'false',
      SubscriptionArn, SubscriptionPrincipal: `arn:aws:iam::${ACCOUNT}:user/DummySNSPrincipal`, TopicArn,
    });
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes).toMatchObject({ SubscriptionsConfirmed: '1', SubscriptionsPending: '0' });
    expect(await sdkError(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: QUEUE, Attributes: { RawMessageDelivery: 'true' } })))).toMatchObject({
      name: 'InvalidParameterException', status: 400, message: 'Invalid parameter: Attributes Reason: Subscription already exists with different attributes',
    });
  });

  it('checks each protocol endpoint as AWS does', async () => {
    const TopicArn = await topic('checks');
    const cases: [string, string, string][] = [
      ['smtp', 'a@b.c', 'Invalid parameter: Amazon SNS does not support this protocol string: smtp'],
      ['http', 'https://x', 'Invalid parameter: Endpoint must match the specified protocol'],
      ['https', 'http://x', 'Invalid parameter: Endpoint must match the specified protocol'],
      ['sms', '12ab', 'Invalid SMS endpoint: 12ab'],
      ['sqs', 'not-an-arn', 'Invalid parameter: SQS endpoint ARN'],
      ['lambda', 'fn', 'Invalid parameter: Lambda endpoint ARN'],
      ['application', 'x', 'Invalid parameter: ApplicationEndpoint ARN'],
      ['sqs', `${QUEUE}.fifo`, 'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics'],
    ];
    for (const [Protocol, Endpoint, message] of cases) {
      expect(await sdkError(sns.send(new SubscribeCommand({ TopicArn, Protocol, Endpoint }))), `${Protocol} ${Endpoint}`).toMatchObject({ name: 'InvalidParameterException', status: 400, message });
    }
    expect(await sdkError(sns.send(new SubscribeCommand({ TopicArn: `${TopicArn}-missing`, Protocol: 'sqs', Endpoint: QUEUE })))).toMatchObject({ name: 'NotFoundException', status: 404, message: 'Topic does not exist' });
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions).toEqual([]);
    for (const [Protocol, Endpoint] of [['sms', '+15551234567'], ['lambda', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:f`], ['email', 'me@example.com'], ['email-json', 'me@example.com'], ['firehose', `arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/s`], ['application', `arn:aws:sns:us-east-1:${ACCOUNT}:endpoint/GCM/app/1`]]) {
      const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol, Endpoint }));
      if (Protocol.startsWith('email')) expect(SubscriptionArn, Protocol).toBe('pending confirmation');
      else expect(SubscriptionArn, Protocol).toMatch(/:[0-9a-f-]{36}$/);
    }
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes).toMatchObject({ SubscriptionsConfirmed: '4', SubscriptionsPending: '2' });
  });

  it('http: a SubscriptionConfirmation POST with a token; ConfirmSubscription with it confirms', async () => {
    const TopicArn = await topic('web');
    const pending = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: url }));
    expect(pending.SubscriptionArn).toBe('pending confirmation');
    const post = await nextPost(1);
    expect(post.headers).toMatchObject({ 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'SubscriptionConfirmation', 'x-amz-sns-topic-arn': TopicArn, 'user-agent': 'Amazon Simple Notification Service Agent' });
    const doc = JSON.parse(post.body) as Record<string, string>;
    expect(Object.keys(doc)).toEqual(['Type', 'MessageId', 'Token', 'TopicArn', 'Message', 'SubscribeURL', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL']);
    expect(doc).toMatchObject({ Type: 'SubscriptionConfirmation', TopicArn, MessageId: post.headers['x-amz-sns-message-id'], Message: `You have chosen to subscribe to the topic ${TopicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.` });
    expect(doc.SubscribeURL).toContain(`Action=ConfirmSubscription&TopicArn=${TopicArn}&Token=${doc.Token}`);
    const listed = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions!;
    expect(listed).toEqual([{ SubscriptionArn: 'PendingConfirmation', Owner: ACCOUNT, Protocol: 'http', Endpoint: url, TopicArn }]);
    expect(await sdkError(sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: 'f'.repeat(64) })))).toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: Token' });
    const { SubscriptionArn } = await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: doc.Token }));
    expect(SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));
    expect((await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: doc.Token }))).SubscriptionArn).toBe(SubscriptionArn);
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions![0]!.SubscriptionArn).toBe(SubscriptionArn);
    expect((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes).toMatchObject({ PendingConfirmation: 'false', ConfirmationWasAuthenticated: 'true' });
    const again = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'https', Endpoint: url.replace('http:', 'https:'), ReturnSubscriptionArn: true }));
    expect(again.SubscriptionArn).toMatch(/:[0-9a-f-]{36}$/);
  });
});

describe('subscription attributes, listing, unsubscribe', () => {
  it('sets and validates RawMessageDelivery, FilterPolicy, FilterPolicyScope, RedrivePolicy', async () => {
    const TopicArn = await topic('attrs');
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: QUEUE, Attributes: { RawMessageDelivery: 'TRUE' } }));
    const set = (AttributeName: string, AttributeValue: string) => sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName, AttributeValue }));
    await set('FilterPolicy', '{"color":["red"]}');
    await set('FilterPolicyScope', 'MessageBody');
    await set('RedrivePolicy', `{"deadLetterTargetArn":"${QUEUE}-dlq"}`);
    expect((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes).toMatchObject({
      RawMessageDelivery: 'true', FilterPolicy: '{"color":["red"]}', FilterPolicyScope: 'MessageBody', RedrivePolicy: `{"deadLetterTargetArn":"${QUEUE}-dlq"}`,
    });
    const refusals: [string, string, string][] = [
      ['Nope', 'x', 'Invalid parameter: AttributeName'],
      ['RawMessageDelivery', 'yes', 'Invalid parameter: RawMessageDelivery: Invalid value [yes]. Must be true or false.'],
      ['FilterPolicyScope', 'Body', 'Invalid parameter: FilterPolicyScope: Invalid value [Body]. Please use either MessageBody or MessageAttributes'],
      ['FilterPolicy', '{not json', 'Invalid parameter: FilterPolicy: failed to parse JSON.'],
      ['RedrivePolicy', '{"deadLetterTargetArn":"nope"}', 'Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn'],
    ];
    for (const [name, value, message] of refusals) expect(await sdkError(set(name, value)), name).toMatchObject({ name: 'InvalidParameterException', status: 400, message });
    expect(await sdkError(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: `${TopicArn}:00000000-0000-0000-0000-000000000000` })))).toMatchObject({ name: 'NotFoundException', status: 404, message: 'Subscription does not exist' });
  });

  it('lists, unsubscribes (idempotent), and a deleted topic takes its subscriptions', async () => {
    const TopicArn = await topic('listing');
    const arns = [];
    for (let i = 0; i < 3; i++) arns.push((await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `${QUEUE}${i}` }))).SubscriptionArn!);
    const all = (await sns.send(new ListSubscriptionsCommand({}))).Subscriptions!.map((s) => s.SubscriptionArn);
    for (const arn of arns) expect(all).toContain(arn);
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: arns[0] }));
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: arns[0] }));
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions!.map((s) => s.SubscriptionArn).sort()).toEqual(arns.slice(1).sort());
    expect(await sdkError(sns.send(new UnsubscribeCommand({ SubscriptionArn: 'nope' })))).toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1' });
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    const after = (await sns.send(new ListSubscriptionsCommand({}))).Subscriptions!.map((s) => s.SubscriptionArn);
    for (const arn of arns) expect(after).not.toContain(arn);
  });
});
