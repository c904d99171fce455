/**
 * Mails to email and email-json subscribers, recorded in the state (SnsState.emailMessages,
 * listed at /_aws/sns/email-messages: developer-endpoints.ts) rather than mailed: nothing here talks SMTP.
 *
 * As in AWS, Subscribe sends the address a confirmation request and leaves the subscription
 * PendingConfirmation; ConfirmSubscription with the token confirms it (the token is in the
 * recorded mail, as the user would find it in their inbox). Only confirmed subscribers get
 * messages. LocalStack records email messages through SES even before confirmation (its
 * publisher notes that as a stopgap, since it offers no way to read the token); here the token
 * is readable, so AWS's rule holds.
 *
 * What a mail carries, as AWS writes it: from `<topic DisplayName, or AWS Notifications>
 * <no-reply@sns.amazonaws.com>`, the Publish Subject or `AWS Notification Message` (`AWS
 * Notification - Subscription Confirmation` for the request); an email body is the message
 * (its `email` member under MessageStructure=json) and AWS's footer with the unsubscribe link,
 * an email-json body the JSON document (the signed Notification envelope, or the
 * SubscriptionConfirmation document).
 */
import type { RuntimeConfig } from '../../config.js';
import { baseUrl, confirmationEnvelope } from './envelope.js';
import type { RecordedEmail, StoredSubscription, StoredTopic } from './state.js';

const SENDER = 'no-reply@sns.amazonaws.com';

function from(topic: StoredTopic): string {
  return `${topic.attributes.DisplayName || 'AWS Notifications'} <${SENDER}>`;
}

function unsubscribeUrl(config: RuntimeConfig, sub: StoredSubscription): string {
  return `${baseUrl(config)}/?Action=Unsubscribe&SubscriptionArn=${sub.arn}`;
}

const DO_NOT_REPLY = 'Please do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://aws.amazon.com/support';

/** The mail a published message makes; `envelope` is the Notification document (email-json's body). */
export function notificationMail(config: RuntimeConfig, n: {
  topic: StoredTopic; sub: StoredSubscription; messageId: string; subject?: string; text: string; envelope: () => string; timestamp: number;
}): RecordedEmail {
  const protocol = n.sub.protocol as RecordedEmail['Protocol'];
  const body = protocol === 'email-json'
    ? n.envelope()
    : `${n.text}\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n${unsubscribeUrl(config, n.sub)}\n\n${DO_NOT_REPLY}`;
  return {
    MessageId: n.messageId, Type: 'Notification', Protocol: protocol, TopicArn: n.topic.arn, SubscriptionArn: n.sub.arn,
    To: n.sub.endpoint, From: from(n.topic), Subject: n.subject ?? 'AWS Notification Message', Body: body, Timestamp: new Date(n.timestamp).toISOString(),
  };
}

/** The confirmation request Subscribe sends an email or email-json endpoint. */
export function confirmationMail(config: RuntimeConfig, c: { topic: StoredTopic; sub: StoredSubscription; messageId: string; token: string; timestamp: number }): RecordedEmail {
  const protocol = c.sub.protocol as RecordedEmail['Protocol'];
  const subscribeUrl = `${baseUrl(config)}/?Action=ConfirmSubscription&TopicArn=${c.topic.arn}&Token=${c.token}`;
  const body = protocol === 'email-json'
    ? confirmationEnvelope(config, { messageId: c.messageId, token: c.token, topicArn: c.topic.arn, timestamp: c.timestamp, signatureVersion: c.topic.attributes.SignatureVersion })
    : `You have chosen to subscribe to the topic: \n${c.topic.arn}\n\nTo confirm this subscription, click or visit the link below (If this was in error no action is necessary): \n${subscribeUrl}\n\n${DO_NOT_REPLY}`;
  return {
    MessageId: c.messageId, Type: 'SubscriptionConfirmation', Protocol: protocol, TopicArn: c.topic.arn, SubscriptionArn: c.sub.arn,
    To: c.sub.endpoint, From: from(c.topic), Subject: 'AWS Notification - Subscription Confirmation', Body: body, Timestamp: new Date(c.timestamp).toISOString(),
    Token: c.token, SubscribeURL: subscribeUrl,
  };
}
