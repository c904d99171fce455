/**
 * Stack notifications: every event of a stack with NotificationARNs is published to each of
 * those SNS topics, through the runtime's delivery queue (retried, in order per topic), as
 * CloudFormation sends them: subject "AWS CloudFormation Notification", the event as
 * `Key='value'` lines.
 */
import type { DeliverySink } from '../deliveries.js';
import type { Place, StoredEvent, StoredStack } from './state.js';

/** The message CloudFormation publishes for an event. */
export function notificationMessage(at: Place, stack: StoredStack, event: StoredEvent): string {
  const fields: [string, string][] = [
    ['StackId', stack.id],
    ['Timestamp', new Date(event.timestamp).toISOString()],
    ['EventId', event.id],
    ['LogicalResourceId', event.logicalId],
    ['Namespace', at.accountId],
    ['PhysicalResourceId', event.physicalId ?? ''],
    ['PrincipalId', at.accountId],
    ['ResourceProperties', event.properties ?? 'null'],
    ['ResourceStatus', event.status],
    ['ResourceStatusReason', event.reason ?? ''],
    ['ResourceType', event.type],
    ['StackName', stack.name],
    ['ClientRequestToken', event.clientRequestToken ?? 'null'],
  ];
  return fields.map(([key, value]) => `${key}='${value}'\n`).join('');
}

/** Publishes an event to the stack's notification topics. */
export function notifyEvent(deliveries: DeliverySink, at: Place, stack: StoredStack, event: StoredEvent): void {
  if (stack.notificationArns.length === 0) return;
  const message = notificationMessage(at, stack, event);
  for (const topicArn of stack.notificationArns) {
    deliveries.deliver({
      service: 'sns',
      operation: 'Publish',
      input: { TopicArn: topicArn, Subject: 'AWS CloudFormation Notification', Message: message },
      caller: { accountId: at.accountId, region: at.region, principal: 'cloudformation.amazonaws.com' },
      orderingKey: `${stack.id} ${topicArn}`,
      source: `cloudformation stack ${stack.name} -> ${topicArn}`,
    });
  }
}
