/**
 * Custom resources backed by an SNS topic: CloudFormation publishes its request (Create,
 * Update with OldResourceProperties, Delete) to the ServiceToken, here delivered raw to an SQS
 * queue the test reads like a handler would, and the test answers by PUT to the request's
 * ResponseURL (a developer endpoint of the runtime; its host is the runtime's LOCALSTACK_HOST,
 * replaced here by the test runtime's address). On the stand-in template language
 * (harness.ts), in a runtime in this process.
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';
import { registry, template } from './harness.js';

let endpoint = '';
let cfn: CloudFormationClient;
let sqs: SQSClient;
let sns: SNSClient;
withInProcessRuntime(registry(), (e) => {
  endpoint = e;
  cfn = new CloudFormationClient({ ...clientConfig(e), maxAttempts: 1 });
  sqs = new SQSClient({ ...clientConfig(e), maxAttempts: 1 });
  sns = new SNSClient({ ...clientConfig(e), maxAttempts: 1 });
});

let topicArn = '';
let queueUrl = '';
beforeAll(async () => {
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'custom-resources' }))).TopicArn!;
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'custom-resource-requests' }))).QueueUrl!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn']!;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'true' } }));
});

/** The next request CloudFormation sent to the handler. */
async function nextRequest(): Promise<Record<string, any>> {
  for (;;) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    if (!Messages?.length) continue;
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: Messages[0]!.ReceiptHandle! }));
    return JSON.parse(Messages[0]!.Body!) as Record<string, any>;
  }
}

/** Answers a request as cfn-response does: PUT of the response document to its ResponseURL. */
async function respond(request: Record<string, any>, answer: Record<string, unknown>): Promise<number> {
  const url = String(request['ResponseURL']).replace(/^http:\/\/[^/]+/, endpoint);
  const response = await fetch(url, { method: 'PUT', body: JSON.stringify({ StackId: request['StackId'], RequestId: request['RequestId'], LogicalResourceId: request['LogicalResourceId'], ...answer }) });
  return response.status;
}

async function settled(name: string): Promise<Stack> {
  for (;;) {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;
    if (!stack.StackStatus!.endsWith('_IN_PROGRESS')) return stack;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const body = (size: number) =>
  template({ Thing: { Type: 'Custom::Thing', Properties: { ServiceToken: topicArn, Size: size, Flag: true } } }, { Outputs: { Answer: { Value: { 'Fn::GetAtt': ['Thing', 'Answer'] } } } });

describe('custom resources backed by SNS', () => {
  it('Create, Update and Delete go to the handler; its answers give the physical id and the attributes', async () => {
    const { StackId } = await cfn.send(new CreateStackCommand({ StackName: 'custom', TemplateBody: body(3) }));
    const create = await nextRequest();
    expect(create).toMatchObject({ RequestType: 'Create', ServiceToken: topicArn, StackId, LogicalResourceId: 'Thing', ResourceType: 'Custom::Thing', RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    // properties reach the handler as strings, as CloudFormation sends them
    expect(create['ResourceProperties']).toEqual({ ServiceToken: topicArn, Size: '3', Flag: 'true' });
    expect(create['ResponseURL']).toMatch(/\/_aws\/cloudformation\/custom-resource-responses\/[\w-]+$/);
    expect(await respond(create, { Status: 'SUCCESS', PhysicalResourceId: 'thing-1', Data: { Answer: '42' } })).toBe(200);
    expect(await settled('custom')).toMatchObject({ StackStatus: 'CREATE_COMPLETE', Outputs: [{ OutputKey: 'Answer', OutputValue: '42' }] });
    expect((await cfn.send(new DescribeStackResourceCommand({ StackName: 'custom', LogicalResourceId: 'Thing' }))).StackResourceDetail?.PhysicalResourceId).toBe('thing-1');
    // a second answer to the same request finds nothing waiting
    expect(await respond(create, { Status: 'SUCCESS', PhysicalResourceId: 'thing-1' })).toBe(404);

    await cfn.send(new UpdateStackCommand({ StackName: 'custom', TemplateBody: body(4) }));
    const update = await nextRequest();
    expect(update).toMatchObject({ RequestType: 'Update', PhysicalResourceId: 'thing-1', ResourceProperties: { Size: '4' }, OldResourceProperties: { Size: '3' } });
    // a new physical id: the old one is deleted in the cleanup
    await respond(update, { Status: 'SUCCESS', PhysicalResourceId: 'thing-2', Data: { Answer: '43' } });
    const cleanup = await nextRequest();
    expect(cleanup).toMatchObject({ RequestType: 'Delete', PhysicalResourceId: 'thing-1' });
    await respond(cleanup, { Status: 'SUCCESS', PhysicalResourceId: 'thing-1' });
    expect(await settled('custom')).toMatchObject({ StackStatus: 'UPDATE_COMPLETE', Outputs: [{ OutputKey: 'Answer', OutputValue: '43' }] });

    await cfn.send(new DeleteStackCommand({ StackName: 'custom' }));
    const deletion = await nextRequest();
    expect(deletion).toMatchObject({ RequestType: 'Delete', PhysicalResourceId: 'thing-2', ResourceProperties: { Size: '4' } });
    await respond(deletion, { Status: 'SUCCESS', PhysicalResourceId: 'thing-2' });
    expect(await settled(StackId!)).toMatchObject({ StackStatus: 'DELETE_COMPLETE' });
  });

  it('DeleteStack while the stack is being created: the delete runs once the create has finished', async () => {
    const { StackId } = await cfn.send(new CreateStackCommand({ StackName: 'custom-queued', TemplateBody: body(2) }));
    const create = await nextRequest();
    await cfn.send(new DeleteStackCommand({ StackName: 'custom-queued' }));
    expect((await cfn.send(new DescribeStacksCommand({ StackName: 'custom-queued' }))).Stacks![0]!.StackStatus).toBe('CREATE_IN_PROGRESS');
    await respond(create, { Status: 'SUCCESS', PhysicalResourceId: 'queued-1', Data: { Answer: 'a' } });
    const deletion = await nextRequest();
    expect(deletion).toMatchObject({ RequestType: 'Delete', PhysicalResourceId: 'queued-1' });
    await respond(deletion, { Status: 'SUCCESS', PhysicalResourceId: 'queued-1' });
    expect(await settled(StackId!)).toMatchObject({ StackStatus: 'DELETE_COMPLETE' });
  });

  it('a FAILED answer fails the resource with its reason and rolls the stack back', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'custom-failing', TemplateBody: body(1) }));
    const create = await nextRequest();
    await respond(create, { Status: 'FAILED', Reason: 'the handler said no', PhysicalResourceId: 'x' });
    expect((await settled('custom-failing')).StackStatus).toBe('ROLLBACK_COMPLETE');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'custom-failing' }))).StackEvents!;
    const failed = events.find((e) => e.ResourceStatus === 'CREATE_FAILED')!;
    expect(failed.ResourceStatusReason).toContain(`Received response status [FAILED] from custom resource. Message returned: the handler said no (RequestId: ${create['RequestId']})`);
  });
});
