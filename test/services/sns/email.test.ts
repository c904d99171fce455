/**
 * Email and email-json subscriptions, through @aws-sdk/client-sns over a socket to a runtime in
 * this process, the mails read where a user reads them (GET /_aws/sns/email-messages): Subscribe records a confirmation mail with
 * the token and leaves the subscription PendingConfirmation; nothing published reaches it until
 * ConfirmSubscription; then each message is recorded as its mail (email: the text and AWS's
 * footer; email-json: the signed Notification envelope), a filter policy applying as for any
 * subscriber. A bad token gets AWS's error and the runtime keeps serving.
 */
import {
  ConfirmSubscriptionCommand, CreateTopicCommand, GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, PublishCommand, SNSClient, SubscribeCommand,
} from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../../runtime/services/registry.js';
import type { RecordedEmail } from '../../../runtime/services/sns/state.js';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';
import { expectSdkError } from '../../support/sdk-error.js';

let sns: SNSClient;
let base: string;
withInProcessRuntime({ sns: PROVIDERS.sns }, (endpoint) => {
  sns = new SNSClient({ ...clientConfig(endpoint), maxAttempts: 1 });
  base = endpoint;
});

/** The mails recorded (for one address: oldest first; the endpoint groups them by address). */
async function mails(address?: string): Promise<RecordedEmail[]> {
  const query = address === undefined ? '' : `?email=${encodeURIComponent(address)}`;
  const answer = (await (await fetch(`${base}/_aws/sns/email-messages${query}`)).json()) as { email_messages: Record<string, RecordedEmail[]> };
  return Object.values(answer.email_messages).flat();
}

describe('email and email-json subscriptions', () => {
  it('confirm with the mailed token, then get each message as its mail', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'mail', Attributes: { DisplayName: 'Alerts' } }));
    const plain = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'ops@example.com' }));
    const json = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email-json', Endpoint: 'bot@example.com', Attributes: { FilterPolicy: '{"level":["error"]}' }, ReturnSubscriptionArn: true }));
    expect(plain.SubscriptionArn).toBe('pending confirmation');
    const listed = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions!;
    expect(listed.map((s) => s.SubscriptionArn)).toEqual(['PendingConfirmation', 'PendingConfirmation']);
    expect((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: json.SubscriptionArn }))).Attributes).toMatchObject({ PendingConfirmation: 'true' });

    // the confirmation requests, with their tokens
    const requests = [...(await mails('ops@example.com')), ...(await mails('bot@example.com'))];
    expect(requests.map((m) => [m.Type, m.Protocol, m.To, m.Subject, m.From])).toEqual([
      ['SubscriptionConfirmation', 'email', 'ops@example.com', 'AWS Notification - Subscription Confirmation', 'Alerts <no-reply@sns.amazonaws.com>'],
      ['SubscriptionConfirmation', 'email-json', 'bot@example.com', 'AWS Notification - Subscription Confirmation', 'Alerts <no-reply@sns.amazonaws.com>'],
    ]);
    expect(requests[0]!.Body).toContain(requests[0]!.SubscribeURL);
    expect(requests[0]!.SubscribeURL).toContain(`Token=${requests[0]!.Token}`);
    const doc = JSON.parse(requests[1]!.Body) as Record<string, string>;
    expect(doc).toMatchObject({ Type: 'SubscriptionConfirmation', TopicArn, Token: requests[1]!.Token, SubscribeURL: requests[1]!.SubscribeURL });

    // nothing reaches a subscription that is pending
    await sns.send(new PublishCommand({ TopicArn, Message: 'too early' }));
    expect(await mails()).toHaveLength(2);

    await expectSdkError(sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: 'not-a-token' })), 'InvalidParameterException', 'Invalid parameter: Token');
    const confirmed = await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: requests[0]!.Token! }));
    expect(confirmed.SubscriptionArn).toBe(requests[0]!.SubscriptionArn);
    await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: requests[1]!.Token! }));
    expect((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: json.SubscriptionArn }))).Attributes).toMatchObject({ PendingConfirmation: 'false' });

    const info = await sns.send(new PublishCommand({ TopicArn, Message: 'disk almost full', Subject: 'Disk', MessageAttributes: { level: { DataType: 'String', StringValue: 'warning' } } }));
    const error = await sns.send(new PublishCommand({ TopicArn, Message: 'disk full', MessageAttributes: { level: { DataType: 'String', StringValue: 'error' } } }));
    const sent = [...(await mails('ops@example.com')).slice(1), ...(await mails('bot@example.com')).slice(1)];
    // the email subscriber gets both; the email-json one only what its filter policy lets through
    expect(sent.map((m) => [m.Type, m.Protocol, m.MessageId, m.Subject])).toEqual([
      ['Notification', 'email', info.MessageId, 'Disk'],
      ['Notification', 'email', error.MessageId, 'AWS Notification Message'],
      ['Notification', 'email-json', error.MessageId, 'AWS Notification Message'],
    ]);
    expect(sent[0]!.Body.split('\n')[0]).toBe('disk almost full');
    expect(sent[0]!.Body).toContain(`/?Action=Unsubscribe&SubscriptionArn=${requests[0]!.SubscriptionArn}`);
    const envelope = JSON.parse(sent[2]!.Body) as Record<string, unknown>;
    expect(envelope).toMatchObject({ Type: 'Notification', MessageId: error.MessageId, TopicArn, Message: 'disk full', SignatureVersion: '1', MessageAttributes: { level: { Type: 'String', Value: 'error' } } });
    expect(typeof envelope.Signature).toBe('string');
    expect(new Date(sent[2]!.Timestamp).toISOString()).toBe(sent[2]!.Timestamp);
  });

  it('MessageStructure=json gives an email subscriber its own text', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'structured' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'a@example.com' }));
    const token = (await mails()).find((m) => m.TopicArn === TopicArn)!.Token!;
    await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: token }));
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'short', email: 'the long story' }) }));
    const mail = (await mails()).find((m) => m.MessageId === MessageId)!;
    expect(mail.Body.startsWith('the long story\n')).toBe(true);
  });
});
