/**
 * SQS queues through @aws-sdk/client-sqs (json) against a runtime process: create (idempotent,
 * QueueNameExists, FIFO names), URLs by SQS_ENDPOINT_STRATEGY and every form clients pass
 * back, list with prefix and pages, attributes with AWS's validation, tags, delete; bad input
 * answered with AWS's codes while the runtime keeps serving.
 */
import {
  AddPermissionCommand, RemovePermissionCommand, CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ListQueueTagsCommand, ListQueuesCommand,
  PurgeQueueCommand, SQSClient, SetQueueAttributesCommand, TagQueueCommand, UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient, TagResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let client: SQSClient;

beforeAll(async () => {
  rt = await startRuntime({ env: { STATE_AUDIT: '1', LOCALSTACK_HOST: 'localhost.localstack.cloud:4566', SQS_DELAY_PURGE_RETRY: '1' } });
  client = new SQSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

const url = (name: string) => `http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/${name}`;

describe('SQS queues through @aws-sdk/client-sqs', () => {
  it('creates a queue at its standard URL, again idempotently, and refuses other attributes', async () => {
    const created = await client.send(new CreateQueueCommand({ QueueName: 'q1', Attributes: { VisibilityTimeout: '40' } }));
    expect(created.QueueUrl).toBe(url('q1'));
    expect((await client.send(new CreateQueueCommand({ QueueName: 'q1', Attributes: { VisibilityTimeout: '40' } }))).QueueUrl).toBe(url('q1'));
    expect(await sdkError(client.send(new CreateQueueCommand({ QueueName: 'q1', Attributes: { VisibilityTimeout: '41' } })))).toMatchObject({
      name: 'QueueNameExists', code: 'QueueAlreadyExists', status: 400,
      message: 'A queue already exists with the same name and a different value for attribute VisibilityTimeout',
    });
    expect((await client.send(new GetQueueUrlCommand({ QueueName: 'q1' }))).QueueUrl).toBe(url('q1'));
    expect((await client.send(new GetQueueUrlCommand({ QueueName: 'q1', QueueOwnerAWSAccountId: '000000000000' }))).QueueUrl).toBe(url('q1'));
  });

  it("GetQueueUrl finds another account's queue by QueueOwnerAWSAccountId, and its URL reaches it", async () => {
    const other = new SQSClient({ ...clientConfig(rt.endpoint, '111111111111'), maxAttempts: 1 });
    await other.send(new CreateQueueCommand({ QueueName: 'shared', Attributes: { DelaySeconds: '3' } }));
    expect(await sdkError(client.send(new GetQueueUrlCommand({ QueueName: 'shared' })))).toMatchObject({ name: 'QueueDoesNotExist' });
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: 'shared', QueueOwnerAWSAccountId: '111111111111' }));
    expect(QueueUrl).toBe('http://sqs.us-east-1.localhost.localstack.cloud:4566/111111111111/shared');
    expect((await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['DelaySeconds', 'QueueArn'] }))).Attributes).toEqual({
      QueueArn: 'arn:aws:sqs:us-east-1:111111111111:shared', DelaySeconds: '3',
    });
    other.destroy();
  });

  it('reads every attribute with its default, and the Approximate counts', async () => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'attrs' }));
    const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(Object.keys(Attributes!)).toEqual([
      'QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed', 'CreatedTimestamp',
      'LastModifiedTimestamp', 'VisibilityTimeout', 'MaximumMessageSize', 'MessageRetentionPeriod', 'DelaySeconds', 'ReceiveMessageWaitTimeSeconds', 'SqsManagedSseEnabled',
    ]);
    expect(Attributes).toMatchObject({
      QueueArn: 'arn:aws:sqs:us-east-1:000000000000:attrs', ApproximateNumberOfMessages: '0', VisibilityTimeout: '30', MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600', DelaySeconds: '0', ReceiveMessageWaitTimeSeconds: '0', SqsManagedSseEnabled: 'true',
    });
    expect(Attributes!.CreatedTimestamp).toMatch(/^\d{10}$/);
    await client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { DelaySeconds: '5', RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":"3"}' } }));
    const read = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['DelaySeconds', 'RedrivePolicy'] }));
    expect(read.Attributes).toEqual({ DelaySeconds: '5', RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":3}' });
  });

  it('answers bad attributes with AWS codes and keeps serving', async () => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'bad-attrs' }));
    expect(await sdkError(client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeout: '43201' } })))).toMatchObject({
      name: 'InvalidAttributeValue', message: 'Invalid value for the parameter VisibilityTimeout.', status: 400,
    });
    expect(await sdkError(client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { ContentBasedDeduplication: 'true' } })))).toMatchObject({ name: 'InvalidAttributeName' });
    // SQS answers names outside the model's enum itself (registry: validation without enums)
    expect(await sdkError(client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Nope: '1' } as never })))).toMatchObject({ name: 'InvalidAttributeName', message: 'Unknown Attribute Nope.' });
    expect(await sdkError(client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['toString' as never] })))).toMatchObject({ name: 'InvalidAttributeName', message: 'Unknown Attribute toString.' });
    expect(await sdkError(client.send(new CreateQueueCommand({ QueueName: 'bad name' })))).toMatchObject({
      name: 'InvalidParameterValue', message: 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length', status: 400,
    });
    expect(await sdkError(client.send(new CreateQueueCommand({ QueueName: 'x.fifo' })))).toMatchObject({ name: 'InvalidParameterValue' });
    expect(await sdkError(client.send(new GetQueueUrlCommand({ QueueName: 'missing' })))).toMatchObject({
      name: 'QueueDoesNotExist', code: 'AWS.SimpleQueueService.NonExistentQueue', message: 'The specified queue does not exist.', status: 400,
    });
    expect((await client.send(new GetQueueUrlCommand({ QueueName: 'bad-attrs' }))).QueueUrl).toBe(QueueUrl);
  });

  it('creates FIFO queues with their attributes', async () => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'f1.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }));
    expect(QueueUrl).toBe(url('f1.fifo'));
    const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'] }));
    expect(Attributes).toEqual({ FifoQueue: 'true', ContentBasedDeduplication: 'true', DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' });
  });

  it('accepts the queue URL in every form clients pass back', async () => {
    await client.send(new CreateQueueCommand({ QueueName: 'forms' }));
    for (const form of [
      `http://localhost:4566/000000000000/forms`,
      `http://queue.localhost.localstack.cloud:4566/000000000000/forms`,
      `http://localhost:4566/queue/us-east-1/000000000000/forms`,
      `https://sqs.us-east-1.amazonaws.com/000000000000/forms`,
    ]) {
      const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: form, AttributeNames: ['QueueArn'] }));
      expect(Attributes, form).toEqual({ QueueArn: 'arn:aws:sqs:us-east-1:000000000000:forms' });
    }
    expect(await sdkError(client.send(new GetQueueAttributesCommand({ QueueUrl: 'not a url' })))).toMatchObject({ name: 'InvalidAddress', status: 404 });
  });

  it('AddPermission and RemovePermission write the queue policy as AWS does', async () => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'perm' }));
    await client.send(new AddPermissionCommand({ QueueUrl, Label: 'send', AWSAccountIds: ['111111111111'], Actions: ['SendMessage'] }));
    await client.send(new AddPermissionCommand({ QueueUrl, Label: 'all', AWSAccountIds: ['111111111111', '222222222222'], Actions: ['ReceiveMessage', 'DeleteMessage'] }));
    expect(await sdkError(client.send(new AddPermissionCommand({ QueueUrl, Label: 'send', AWSAccountIds: ['111111111111'], Actions: ['SendMessage'] })))).toMatchObject({
      name: 'InvalidParameterValue', message: 'Value send for parameter Label is invalid. Reason: Already exists.',
    });
    const policy = async () => (await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] }))).Attributes?.Policy;
    const arn = 'arn:aws:sqs:us-east-1:000000000000:perm';
    expect(JSON.parse((await policy())!)).toEqual({
      Version: '2012-10-17', Id: `${arn}/SQSDefaultPolicy`,
      Statement: [
        { Sid: 'send', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'SQS:SendMessage', Resource: arn },
        { Sid: 'all', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:root'] }, Action: ['SQS:ReceiveMessage', 'SQS:DeleteMessage'], Resource: arn },
      ],
    });
    await client.send(new RemovePermissionCommand({ QueueUrl, Label: 'send' }));
    await client.send(new RemovePermissionCommand({ QueueUrl, Label: 'all' }));
    expect(await policy()).toBeUndefined();
    expect(await sdkError(client.send(new RemovePermissionCommand({ QueueUrl, Label: 'nope' })))).toMatchObject({
      name: 'InvalidParameterValue', message: "Value nope for parameter Label is invalid. Reason: can't find label on existing policy.",
    });
  });

  it('lists by prefix, in pages', async () => {
    for (const n of ['page-a', 'page-b', 'page-c']) await client.send(new CreateQueueCommand({ QueueName: n }));
    const first = await client.send(new ListQueuesCommand({ QueueNamePrefix: 'page-', MaxResults: 2 }));
    expect(first.QueueUrls).toEqual([url('page-a'), url('page-b')]);
    expect(first.NextToken).toBeTruthy();
    const second = await client.send(new ListQueuesCommand({ QueueNamePrefix: 'page-', MaxResults: 2, NextToken: first.NextToken }));
    expect(second).toMatchObject({ QueueUrls: [url('page-c')] });
    expect(second.NextToken).toBeUndefined();
    expect((await client.send(new ListQueuesCommand({ QueueNamePrefix: 'nothing-' }))).QueueUrls).toBeUndefined();
  });

  it('tags, untags, lists tags (member names as tag keys), deletes, purges once a minute', async () => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: '__proto__', tags: { a: '1' } }));
    await client.send(new TagQueueCommand({ QueueUrl, Tags: { constructor: 'c', b: '2' } }));
    await client.send(new UntagQueueCommand({ QueueUrl, TagKeys: ['a'] }));
    expect((await client.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ constructor: 'c', b: '2' });
    await client.send(new PurgeQueueCommand({ QueueUrl }));
    expect(await sdkError(client.send(new PurgeQueueCommand({ QueueUrl })))).toMatchObject({
      name: 'PurgeQueueInProgress', code: 'AWS.SimpleQueueService.PurgeQueueInProgress', status: 403, message: 'Only one PurgeQueue operation on __proto__ is allowed every 60 seconds.',
    });
    await client.send(new DeleteQueueCommand({ QueueUrl }));
    expect(await sdkError(client.send(new GetQueueUrlCommand({ QueueName: '__proto__' })))).toMatchObject({ name: 'QueueDoesNotExist' });
  });
});

describe('SQS queues through the Resource Groups Tagging API', () => {
  it('lists tagged queues and tags them, as TagQueue would', async () => {
    const tagging = new ResourceGroupsTaggingAPIClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'tagged', tags: { team: 'red' } }));
    await client.send(new CreateQueueCommand({ QueueName: 'untagged' }));
    const arn = 'arn:aws:sqs:us-east-1:000000000000:tagged';
    const listed = await tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['sqs'] }));
    expect(listed.ResourceTagMappingList!.filter((r) => r.ResourceARN === arn)).toEqual([{ ResourceARN: arn, Tags: [{ Key: 'team', Value: 'red' }] }]);
    expect(listed.ResourceTagMappingList!.map((r) => r.ResourceARN)).not.toContain('arn:aws:sqs:us-east-1:000000000000:untagged');
    const tagged = await tagging.send(new TagResourcesCommand({ ResourceARNList: [arn, 'arn:aws:sqs:us-east-1:000000000000:missing'], Tags: { owner: 'ops' } }));
    expect(Object.keys(tagged.FailedResourcesMap!)).toEqual(['arn:aws:sqs:us-east-1:000000000000:missing']);
    expect((await client.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ team: 'red', owner: 'ops' });
    tagging.destroy();
  });
});

describe('SQS queue URLs by SQS_ENDPOINT_STRATEGY', () => {
  it.each([
    ['domain', 'http://eu-west-1.queue.localhost.localstack.cloud:PORT/000000000000/s'],
    ['path', 'http://localhost.localstack.cloud:PORT/queue/eu-west-1/000000000000/s'],
    ['off', 'http://localhost.localstack.cloud:PORT/000000000000/s'],
  ])('%s', async (strategy, expected) => {
    const other = await startRuntime({ env: { SQS_ENDPOINT_STRATEGY: strategy, LOCALSTACK_HOST: 'localhost.localstack.cloud:4566' } });
    try {
      const c = new SQSClient({ ...clientConfig(other.endpoint), region: 'eu-west-1', maxAttempts: 1 });
      const { QueueUrl } = await c.send(new CreateQueueCommand({ QueueName: 's' }));
      expect(QueueUrl).toBe(expected.replace('PORT', '4566'));
      expect((await c.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes).toEqual({ QueueArn: 'arn:aws:sqs:eu-west-1:000000000000:s' });
    } finally {
      await other.stop();
    }
  });
});
