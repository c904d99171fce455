/**
 * Stack notifications: a stack created with NotificationARNs publishes each of its events to
 * the SNS topic (here delivered raw to an SQS queue), as CloudFormation words them: `Key='value'`
 * lines, in the order the events happened. On the stand-in template language (harness.ts), in
 * a runtime in this process.
 */
import { CloudFormationClient, CreateStackCommand, DescribeStackEventsCommand, waitUntilStackCreateComplete } from '@aws-sdk/client-cloudformation';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';
import { registry, template } from './harness.js';

let cfn: CloudFormationClient;
let sqs: SQSClient;
let sns: SNSClient;
withInProcessRuntime(registry(), (e) => {
  cfn = new CloudFormationClient({ ...clientConfig(e), maxAttempts: 1 });
  sqs = new SQSClient({ ...clientConfig(e), maxAttempts: 1 });
  sns = new SNSClient({ ...clientConfig(e), maxAttempts: 1 });
});

/** `Key='value'` lines as an object. */
function parse(message: string): Record<string, string> {
  return Object.fromEntries(message.trimEnd().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 2, -1)]));
}

describe('stack notifications', () => {
  it('every event of the stack reaches its topic, in order', async () => {
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'stack-events' }))).TopicArn!;
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'stack-events' }))).QueueUrl!;
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn']!;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'true' } }));
    const body = template({ P: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/notified', Type: 'String', Value: 'v' } } });
    const { StackId } = await cfn.send(new CreateStackCommand({ StackName: 'notified', TemplateBody: body, NotificationARNs: [topicArn] }));
    await waitUntilStackCreateComplete({ client: cfn, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { StackName: 'notified' });
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'notified' }))).StackEvents!.reverse();
    const received: Record<string, string>[] = [];
    while (received.length < events.length) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }));
      for (const m of Messages ?? []) {
        received.push(parse(m.Body!));
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
      }
    }
    expect(received.map((r) => r['EventId'])).toEqual(events.map((e) => e.EventId));
    expect(received[0]).toEqual({
      StackId: StackId!,
      Timestamp: events[0]!.Timestamp!.toISOString(),
      EventId: events[0]!.EventId!,
      LogicalResourceId: 'notified',
      Namespace: '000000000000',
      PhysicalResourceId: StackId!,
      PrincipalId: '000000000000',
      ResourceProperties: 'null',
      ResourceStatus: 'CREATE_IN_PROGRESS',
      ResourceStatusReason: 'User Initiated',
      ResourceType: 'AWS::CloudFormation::Stack',
      StackName: 'notified',
      ClientRequestToken: 'null',
    });
    expect(received.at(-1)).toMatchObject({ LogicalResourceId: 'notified', ResourceStatus: 'CREATE_COMPLETE' });
    expect(received.find((r) => r['LogicalResourceId'] === 'P' && r['ResourceStatus'] === 'CREATE_IN_PROGRESS')?.['ResourceProperties']).toBe(JSON.stringify({ Name: '/notified', Type: 'String', Value: 'v' }));
  });
});
