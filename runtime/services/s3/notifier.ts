/**
 * Sends S3's event notifications, through the runtime rather than around it: every event
 * that matches a configuration of its bucket (notifications.ts) becomes a delivery on the
 * runtime's delivery queue (ProviderContext.deliveries), which starts the target service if
 * needed, retries what is worth retrying and keeps what is pending with the state:
 *
 *   queue     sqs     SendMessage  { QueueUrl (from the ARN, runtime/aws/arns.ts), MessageBody }
 *   topic     sns     Publish      { TopicArn, Message, Subject: 'Amazon S3 Notification' }
 *   function  lambda  Invoke       { FunctionName: ARN, InvocationType: 'Event', Payload }
 *   EventBridge       events  PutEvents  one entry for the account's default bus
 *
 * each made as the destination's account and region, by the principal `s3.amazonaws.com`.
 * The message is S3's `{"Records":[...]}` (notification-events.ts), or s3:TestEvent, which
 * every queue and topic of a configuration receives when it is put.
 *
 * PutBucketNotificationConfiguration asks each destination whether it exists, through the
 * in-process client (SQS GetQueueUrl, SNS GetTopicAttributes, Lambda GetFunction), and
 * answers S3's "Unable to validate the following destination configurations" for those that
 * answer with a client error. A destination whose service has no provider here (or is
 * disabled) cannot be asked and is accepted, as are those whose service fails (5xx).
 *
 * LIMITATIONS: permissions are not checked (neither the queue's or topic's policy nor the
 * function's resource policy); replicationEventData and intelligentTieringEventData are not
 * written (S3 here neither replicates nor tiers objects, so it sends no such events).
 */
import { parseArn, queueUrlFromArn } from '../../aws/arns.js';
import { ServiceError } from '../../aws/errors.js';
import type { RuntimeConfig } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { Clock } from '../../scheduler.js';
import type { CallOptions, ServiceClient } from '../client.js';
import type { DeliverySink } from '../deliveries.js';
import { s3Error } from './errors.js';
import { buildEventBridgeEvent, buildEventRecord, buildTestEvent, createSequencer } from './notification-events.js';
import { configurationsOf, DESTINATIONS, eventMatches, keyMatches, notificationConfig, type Destination, type NotificationConfiguration } from './notifications.js';
import type { S3Event } from './service.js';
import type { Bucket } from './state.js';

/** The principal S3's calls are made as. */
export const S3_PRINCIPAL = 's3.amazonaws.com';
const SUBJECT = 'Amazon S3 Notification';

/** What the notifier needs from the runtime (a ProviderContext has all of it). */
export interface NotifierContext {
  readonly client: ServiceClient;
  readonly deliveries: DeliverySink;
  readonly config: Pick<RuntimeConfig, 'localstackHost' | 'sqsEndpointStrategy'>;
  readonly clock: Clock;
  readonly log: Logger;
}

/** S3's side of notifications (S3Service.notifications). */
export interface Notifier {
  /** Announces an object event to the matching configurations of its bucket (S3Service.notify). */
  dispatch(event: S3Event): void;
  /** Sends s3:TestEvent to every queue and topic of a configuration just put (as S3 does). */
  sendTestEvents(bucket: Bucket, config: NotificationConfiguration, requestId: string): void;
  /**
   * Asks each destination of a configuration whether it exists; throws S3's InvalidArgument
   * naming those that do not. `owner` is the bucket owner (for ARNs without an account).
   */
  checkDestinations(config: NotificationConfiguration, owner: { accountId: string; region: string }): Promise<void>;
}

/** What an existence check asks, per kind of destination. */
function existenceCall(d: Destination, arn: string, resource: string, accountId: string): [operation: string, input: Record<string, unknown>] {
  switch (d.service) {
    case 'sqs':
      return ['GetQueueUrl', { QueueName: resource, QueueOwnerAWSAccountId: accountId }];
    case 'sns':
      return ['GetTopicAttributes', { TopicArn: arn }];
    default:
      return ['GetFunction', { FunctionName: arn }];
  }
}

export function createNotifier(context: NotifierContext): Notifier {
  const { client, deliveries, config, clock, log } = context;
  const nextSequencer = createSequencer(() => clock.now());

  /** The caller a delivery to (or a check of) a destination is made as: its own account and region. */
  function callerFor(arn: string, bucket: { accountId: string; region: string }): CallOptions & { resource: string } {
    const parsed = parseArn(arn);
    return { accountId: parsed?.accountId || bucket.accountId, region: parsed?.region || bucket.region, principal: S3_PRINCIPAL, resource: parsed?.resource ?? '' };
  }

  function send(d: Destination, arn: string, message: string, bucket: Bucket, what: string): void {
    const { resource: _resource, ...caller } = callerFor(arn, bucket);
    const source = `s3 notification ${bucket.name} ${what} -> ${arn}`;
    switch (d.service) {
      case 'sqs': {
        const QueueUrl = queueUrlFromArn(arn, config);
        if (!QueueUrl) return log.warn(`${source}: dropped, not a queue ARN`);
        return deliveries.deliver({ service: 'sqs', operation: 'SendMessage', input: { QueueUrl, MessageBody: message }, caller, source });
      }
      case 'sns':
        return deliveries.deliver({ service: 'sns', operation: 'Publish', input: { TopicArn: arn, Message: message, Subject: SUBJECT }, caller, source });
      default:
        return deliveries.deliver({ service: 'lambda', operation: 'Invoke', input: { FunctionName: arn, InvocationType: 'Event', Payload: Buffer.from(message) }, caller, source });
    }
  }

  async function exists(d: Destination, arn: string, owner: { accountId: string; region: string }): Promise<boolean> {
    const status = client.status(d.service);
    if (status === undefined || status === 'disabled') return true; // nothing here to ask
    const { resource, ...caller } = callerFor(arn, owner);
    const [operation, input] = existenceCall(d, arn, resource, caller.accountId);
    try {
      await client.call(d.service, operation, input, caller);
      return true;
    } catch (error) {
      if (error instanceof ServiceError && error.sender) return false;
      log.warn(`cannot check notification destination ${arn} (${error instanceof Error ? error.message : String(error)}); accepted`);
      return true;
    }
  }

  return {
    dispatch(event) {
      const configuration = notificationConfig(event.bucket);
      if (!configuration) return;
      const sequencer = event.object.sequencer ?? nextSequencer();
      const time = new Date(clock.now());
      const what = `${event.name} ${event.object.key}`;
      for (const d of DESTINATIONS) {
        for (const c of configurationsOf(configuration, d)) {
          if (!c.Events.some((e) => eventMatches(e, event.name)) || !keyMatches(c.Filter, event.object.key)) continue;
          const record = buildEventRecord(event, { configurationId: c.Id ?? '', sequencer, time: time.toISOString() });
          send(d, c[d.arn]!, JSON.stringify({ Records: [record] }), event.bucket, what);
        }
      }
      if (configuration.EventBridgeConfiguration === undefined) return;
      const message = buildEventBridgeEvent(event, sequencer, time);
      if (!message) return;
      const { bucket } = event;
      deliveries.deliver({
        service: 'events',
        operation: 'PutEvents',
        input: { Entries: [{ EventBusName: 'default', Source: message.source, DetailType: message['detail-type'], Detail: JSON.stringify(message.detail), Resources: message.resources, Time: time }] },
        caller: { accountId: bucket.accountId, region: bucket.region, principal: S3_PRINCIPAL },
        source: `s3 notification ${bucket.name} ${what} -> EventBridge default bus`,
      });
    },

    sendTestEvents(bucket, configuration, requestId) {
      const message = JSON.stringify(buildTestEvent(bucket.name, requestId, new Date(clock.now()).toISOString()));
      for (const d of DESTINATIONS.filter((x) => x.service !== 'lambda')) {
        for (const c of configurationsOf(configuration, d)) send(d, c[d.arn]!, message, bucket, 's3:TestEvent');
      }
    },

    async checkDestinations(configuration, owner) {
      const failures: Array<[arn: string, message: string]> = [];
      for (const d of DESTINATIONS) {
        for (const c of configurationsOf(configuration, d)) {
          const arn = c[d.arn]!;
          if (!(await exists(d, arn, owner))) failures.push([arn, d.missing]);
        }
      }
      if (failures.length === 0) return;
      const fields: Record<string, string> = {};
      failures.forEach(([arn, message], i) => {
        fields[`ArgumentName${i + 1}`] = arn;
        fields[`ArgumentValue${i + 1}`] = message;
      });
      throw s3Error('InvalidArgument', 'Unable to validate the following destination configurations', { fields });
    },
  };
}
