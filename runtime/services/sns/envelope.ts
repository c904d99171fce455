/**
 * The JSON documents SNS sends to endpoints, member for member in AWS's order (the SNS
 * developer guide's "HTTP/HTTPS notification JSON format" and "subscription confirmation JSON
 * format"): a Notification (to sqs, http/https, email-json, lambda without raw delivery) and a
 * SubscriptionConfirmation (to http/https). Subject and MessageAttributes appear only when the
 * message has them; binary attribute values are base64.
 *
 * Documents are signed (signing.ts) with the topic's SignatureVersion (1 by default);
 * SigningCertURL names LocalStack's path for the certificate, served by developer-endpoints.ts.
 */
import type { RuntimeConfig } from '../../config.js';
import { sign } from './signing.js';

/** A message attribute as Publish takes it. */
export interface EnvelopeAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array | string;
}


/** The runtime's base URL as endpoints see it (LOCALSTACK_HOST). */
export function baseUrl(config: RuntimeConfig): string {
  return `http://${config.localstackHost}`;
}

/** Where the signing certificate is served (developer-endpoints.ts), after /_aws/sns: LocalStack's path. */
export const SIGNING_CERT_PATH = '/SimpleNotificationService-6c6f63616c737461636b69736e696365.pem';

function signingCertUrl(config: RuntimeConfig): string {
  return `${baseUrl(config)}/_aws/sns${SIGNING_CERT_PATH}`;
}

/** The Notification document (`signatures`: those made for the same message already, see sign()). */
export function notificationEnvelope(config: RuntimeConfig, n: {
  messageId: string; topicArn: string; subscriptionArn: string; subject?: string; message: string; timestamp: number;
  signatureVersion?: string; sequenceNumber?: string; attributes?: Record<string, EnvelopeAttribute>;
}, signatures?: Map<string, string>): string {
  const doc: Record<string, unknown> = { Type: 'Notification', MessageId: n.messageId };
  if (n.sequenceNumber !== undefined) doc.SequenceNumber = n.sequenceNumber;
  doc.TopicArn = n.topicArn;
  if (n.subject !== undefined) doc.Subject = n.subject;
  doc.Message = n.message;
  doc.Timestamp = new Date(n.timestamp).toISOString();
  doc.SignatureVersion = n.signatureVersion ?? '1';
  doc.Signature = sign(doc, doc.SignatureVersion as string, signatures);
  doc.SigningCertURL = signingCertUrl(config);
  doc.UnsubscribeURL = `${baseUrl(config)}/?Action=Unsubscribe&SubscriptionArn=${n.subscriptionArn}`;
  const attributes = Object.entries(n.attributes ?? {});
  if (attributes.length > 0) {
    doc.MessageAttributes = Object.fromEntries(attributes.map(([name, a]) => [name, { Type: a.DataType, Value: a.StringValue ?? base64(a.BinaryValue) }]));
  }
  return JSON.stringify(doc);
}

/** The SubscriptionConfirmation document. */
export function confirmationEnvelope(config: RuntimeConfig, c: { messageId: string; token: string; topicArn: string; timestamp: number; signatureVersion?: string }): string {
  const doc: Record<string, unknown> = {
    Type: 'SubscriptionConfirmation',
    MessageId: c.messageId,
    Token: c.token,
    TopicArn: c.topicArn,
    Message: `You have chosen to subscribe to the topic ${c.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    SubscribeURL: `${baseUrl(config)}/?Action=ConfirmSubscription&TopicArn=${c.topicArn}&Token=${c.token}`,
    Timestamp: new Date(c.timestamp).toISOString(),
    SignatureVersion: c.signatureVersion ?? '1',
    Signature: '',
    SigningCertURL: signingCertUrl(config),
  };
  doc.Signature = sign(doc, doc.SignatureVersion as string);
  return JSON.stringify(doc);
}

function base64(value: Uint8Array | string | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : Buffer.from(value).toString('base64');
}
