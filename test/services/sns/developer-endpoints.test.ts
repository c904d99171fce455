/**
 * LocalStack's SNS developer endpoints against a runtime process, driven by
 * @aws-sdk/client-sns: SMS messages and platform endpoint messages listed (all, by phone number
 * or endpoint ARN, by account and region) and forgotten with DELETE; the confirmation token of
 * a pending subscription, which ConfirmSubscription then takes; the signing certificate served
 * at SigningCertURL, with which a receiver verifies what SQS got from SNS. Bad input answers
 * LocalStack's errors and the runtime keeps serving.
 */
import { createVerify, X509Certificate } from 'node:crypto';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  ConfirmSubscriptionCommand, CreatePlatformApplicationCommand, CreatePlatformEndpointCommand, CreateTopicCommand, GetSubscriptionAttributesCommand, PublishCommand, SNSClient, SubscribeCommand,
} from '@aws-sdk/client-sns';
import { request } from 'undici';
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

async function call(method: 'GET' | 'DELETE', path: string): Promise<{ status: number; body: any; type: unknown }> {
  const res = await request(`${rt.endpoint}${path}`, { method });
  const text = await res.body.text();
  return { status: res.statusCode, type: res.headers['content-type'], body: text ? JSON.parse(text) : undefined };
}

describe('/_aws/sns/sms-messages', () => {
  it('lists SMS messages by number, filters, and forgets them', async () => {
    const a = await sns.send(new PublishCommand({ PhoneNumber: '+15550001', Message: 'code 1' }));
    const b = await sns.send(new PublishCommand({ PhoneNumber: '+15550002', Message: 'code 2', Subject: 's' }));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'texts' }));
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint: '+15550001', ReturnSubscriptionArn: true }));
    const c = await sns.send(new PublishCommand({ TopicArn, Message: 'to the topic' }));
    const all = await call('GET', '/_aws/sns/sms-messages');
    expect(all.status).toBe(200);
    expect(all.body).toEqual({
      sms_messages: {
        '+15550001': [
          { PhoneNumber: '+15550001', MessageId: a.MessageId, Message: 'code 1' },
          { PhoneNumber: '+15550001', TopicArn, SubscriptionArn, MessageId: c.MessageId, Message: 'to the topic' },
        ],
        '+15550002': [{ PhoneNumber: '+15550002', MessageId: b.MessageId, Message: 'code 2', Subject: 's' }],
      },
      region: 'us-east-1',
    });
    expect((await call('GET', '/_aws/sns/sms-messages?phoneNumber=%2B15550002')).body).toEqual({ sms_messages: { '+15550002': all.body.sms_messages['+15550002'] }, region: 'us-east-1' });
    expect((await call('GET', '/_aws/sns/sms-messages?region=eu-west-1')).body).toEqual({ sms_messages: {}, region: 'eu-west-1' });
    expect((await call('DELETE', '/_aws/sns/sms-messages?phoneNumber=%2B15550001')).status).toBe(204);
    expect(Object.keys((await call('GET', '/_aws/sns/sms-messages')).body.sms_messages)).toEqual(['+15550002']);
    expect((await call('DELETE', '/_aws/sns/sms-messages')).status).toBe(204);
    expect((await call('GET', '/_aws/sns/sms-messages')).body.sms_messages).toEqual({});
  });
});

describe('/_aws/sns/platform-endpoint-messages', () => {
  it('lists messages by endpoint ARN, filters, and forgets them', async () => {
    const { PlatformApplicationArn } = await sns.send(new CreatePlatformApplicationCommand({ Name: 'app', Platform: 'GCM', Attributes: { PlatformCredential: 'k' } }));
    const one = (await sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn, Token: 'device-1' }))).EndpointArn!;
    const two = (await sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn, Token: 'device-2' }))).EndpointArn!;
    const m1 = await sns.send(new PublishCommand({ TargetArn: one, Message: 'push 1' }));
    const structured = JSON.stringify({ default: 'd', GCM: '{"data":{}}' });
    const m2 = await sns.send(new PublishCommand({ TargetArn: two, Message: structured, MessageStructure: 'json' }));
    const all = await call('GET', '/_aws/sns/platform-endpoint-messages');
    expect(all.body).toEqual({
      platform_endpoint_messages: {
        [one]: [{ TargetArn: one, Message: 'push 1', MessageId: m1.MessageId }],
        [two]: [{ TargetArn: two, Message: structured, MessageStructure: 'json', MessageId: m2.MessageId }],
      },
      region: 'us-east-1',
    });
    expect((await call('GET', `/_aws/sns/platform-endpoint-messages?endpointArn=${encodeURIComponent(two)}`)).body).toEqual({ platform_endpoint_messages: { [two]: all.body.platform_endpoint_messages[two] }, region: 'us-east-1' });
    expect((await call('DELETE', `/_aws/sns/platform-endpoint-messages?endpointArn=${encodeURIComponent(one)}`)).status).toBe(204);
    expect(Object.keys((await call('GET', '/_aws/sns/platform-endpoint-messages')).body.platform_endpoint_messages)).toEqual([two]);
    expect((await call('DELETE', '/_aws/sns/platform-endpoint-messages')).status).toBe(204);
    expect((await call('GET', '/_aws/sns/platform-endpoint-messages')).body.platform_endpoint_messages).toEqual({});
  });
});

describe('/_aws/sns/subscription-tokens', () => {
  it('gives the token of a pending subscription, which confirms it', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'pending' }));
    // nothing listens there: the confirmation request fails, the subscription stays pending
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: 'http://127.0.0.1:9/hook', ReturnSubscriptionArn: true }));
    expect((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes?.PendingConfirmation).toBe('true');
    const answer = await call('GET', `/_aws/sns/subscription-tokens/${encodeURIComponent(SubscriptionArn!)}`);
    expect(answer).toMatchObject({ status: 200, body: { subscription_token: expect.stringMatching(/^[0-9a-f]+$/), subscription_arn: SubscriptionArn } });
    expect((await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: answer.body.subscription_token }))).SubscriptionArn).toBe(SubscriptionArn);
    expect((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes?.PendingConfirmation).toBe('false');
  });

  it('answers LocalStack\'s errors for unknown and invalid ARNs', async () => {
    const unknown = 'arn:aws:sns:us-east-1:000000000000:pending:00000000-0000-0000-0000-000000000000';
    expect(await call('GET', `/_aws/sns/subscription-tokens/${unknown}`)).toMatchObject({ status: 404, body: { error: 'The provided SubscriptionARN is not found', subscription_arn: unknown } });
    expect(await call('GET', '/_aws/sns/subscription-tokens/not-an-arn')).toMatchObject({ status: 400, body: { error: 'The provided SubscriptionARN is invalid', subscription_arn: 'not-an-arn' } });
    expect((await call('GET', '/_aws/sns/nothing-here')).status).toBe(404);
  });
});

describe('SigningCertURL', () => {
  it('serves the certificate that verifies what a queue receives from SNS', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'signed' }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'signed', Attributes: { SignatureVersion: '2' } }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'verify me', Subject: 'sig' }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
    const doc = JSON.parse(Messages![0]!.Body!) as Record<string, string>;
    // the URL names LOCALSTACK_HOST; the runtime under test listens on a port of its own
    const res = await request(`${rt.endpoint}${new URL(doc.SigningCertURL!).pathname}`);
    expect(res.statusCode).toBe(200);
    const pem = await res.body.text();
    expect(new X509Certificate(pem).subject).toBe('CN=sns.amazonaws.com');
    const signed = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'].map((n) => `${n}\n${doc[n]!}\n`).join('');
    expect(createVerify('RSA-SHA256').update(signed).verify(pem, doc.Signature!, 'base64')).toBe(true);
    expect(createVerify('RSA-SHA256').update(signed.replace('verify me', 'forged')).verify(pem, doc.Signature!, 'base64')).toBe(false);
  });
});
