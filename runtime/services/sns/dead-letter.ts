/**
 * Subscription dead-letter queues (RedrivePolicy `{"deadLetterTargetArn": "<sqs arn>"}`): a
 * message SNS could not deliver to a subscriber (a client error such as a deleted queue or a
 * function that does not exist, or a server error past the delivery policy's retries) is sent
 * to the queue instead, as AWS writes it (developer guide, "Amazon SNS dead-letter queues", and
 * the DLQ messages LocalStack's snapshot tests recorded from AWS): the body the subscriber
 * would have received (the Notification envelope, or with RawMessageDelivery the message
 * itself and, for a queue subscriber, its attributes as the queue message's attributes), and
 * for a FIFO queue the message group and deduplication ids.
 *
 * The policy is read when the message is published; the queue is not checked when the policy
 * is set (AWS accepts any queue ARN then): a send to a queue that does not exist is dropped
 * with the delivery queue's warning (AWS counts it in NumberOfNotificationsFailedToRedriveToDlq).
 */
import { parseArn, queueUrlFromArn } from '../../aws/arns.js';
import type { RuntimeConfig } from '../../config.js';
import type { Delivery } from '../deliveries.js';
import type { MessageAttributeValue } from './api.generated.js';
import type { StoredSubscription } from './state.js';

/** What the subscriber would have received. */
export interface Undelivered {
  body: string;
  /** Raw delivery to a queue: the message's attributes. */
  attributes?: Record<string, MessageAttributeValue>;
  groupId?: string;
  dedupId?: string;
}

/** The subscription's dead-letter queue, if its RedrivePolicy names one. */
export function deadLetterArn(sub: StoredSubscription): string | undefined {
  if (!sub.attributes.RedrivePolicy) return undefined;
  try {
    const target = (JSON.parse(sub.attributes.RedrivePolicy) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
    return typeof target === 'string' ? target : undefined;
  } catch {
    return undefined;
  }
}

/** The SendMessage to the subscription's dead-letter queue, or undefined when it has none. */
export function deadLetterDelivery(config: RuntimeConfig, sub: StoredSubscription, message: Undelivered): Delivery | undefined {
  const target = deadLetterArn(sub);
  const arn = target === undefined ? undefined : parseArn(target);
  const QueueUrl = target === undefined ? undefined : queueUrlFromArn(target, config);
  if (!arn || !QueueUrl) return undefined;
  const input: Record<string, unknown> = { QueueUrl, MessageBody: message.body };
  if (message.attributes && Object.keys(message.attributes).length > 0) input.MessageAttributes = message.attributes;
  if (target!.endsWith('.fifo')) {
    if (message.groupId) input.MessageGroupId = message.groupId;
    if (message.dedupId) input.MessageDeduplicationId = message.dedupId;
  }
  return {
    service: 'sqs',
    operation: 'SendMessage',
    input,
    caller: { accountId: arn.accountId, region: arn.region, principal: 'sns.amazonaws.com' },
    source: `sns subscription ${sub.arn} dead-letter queue ${target!}`,
  };
}
