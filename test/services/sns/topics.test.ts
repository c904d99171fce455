/**
 * SNS topics through @aws-sdk/client-sns against a runtime process: create (idempotent, FIFO),
 * list with pagination, attributes (defaults AWS derives, validation), data protection policy,
 * tags, delete; AWS's error for each bad input, and the runtime serving afterwards.
 */
import {
  AddPermissionCommand, RemovePermissionCommand, CreateTopicCommand, DeleteTopicCommand, GetDataProtectionPolicyCommand, GetTopicAttributesCommand, ListTagsForResourceCommand, ListTopicsCommand,
  PutDataProtectionPolicyCommand, SetTopicAttributesCommand, SNSClient, TagResourceCommand, UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let sns: SNSClient;
const ACCOUNT = '000000000000';
const arn = (name: string, region = 'us-east-1') => `arn:aws:sns:${region}:${ACCOUNT}:${name}`;

beforeAll(async () => {
  rt = await startRuntime();
  sns = new SNSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

async function stillServing(): Promise<void> {
  expect((await sns.send(new ListTopicsCommand({}))).$metadata.httpStatusCode).toBe(200);
}

describe('CreateTopic', () => {
  it('answers the ARN; the same name again answers the same ARN', async () => {
    const first = await sns.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Orders' }, Tags: [{ Key: 'team', Value: 'a' }] }));
    expect(first.TopicArn).toBe(arn('orders'));
    const again = await sns.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Orders' } }));
    expect(again.TopicArn).toBe(arn('orders'));
  });

  it('refuses the same name with other attributes or tags', async () => {
    await sns.send(new CreateTopicCommand({ Name: 'same', Attributes: { DisplayName: 'x' }, Tags: [{ Key: 'k', Value: 'v' }] }));
    expect(await sdkError(sns.send(new CreateTopicCommand({ Name: 'same', Attributes: { DisplayName: 'y' } })))).toMatchObject({ name: 'InvalidParameterException', status: 400, message: 'Invalid parameter: Attributes Reason: Topic already exists with different attributes' });
    expect(await sdkError(sns.send(new CreateTopicCommand({ Name: 'same', Tags: [{ Key: 'k', Value: 'w' }] })))).toMatchObject({ name: 'InvalidParameterException', status: 400, message: 'Invalid parameter: Tags Reason: Topic already exists with different tags' });
  });

  it('refuses names AWS refuses', async () => {
    for (const name of ['has space', 'a'.repeat(257), 'dot.ted', 'x.fifo', '']) {
      const e = await sdkError(sns.send(new CreateTopicCommand({ Name: name })));
      expect(e, name).toMatchObject({ name: 'InvalidParameterException', status: 400, message: 'Invalid parameter: Topic Name' });
    }
    const fifo = await sdkError(sns.send(new CreateTopicCommand({ Name: 'nofifo', Attributes: { FifoTopic: 'true' } })));
    expect(fifo).toMatchObject({ name: 'InvalidParameterException', message: 'Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.' });
    expect(await sdkError(sns.send(new CreateTopicCommand({ Name: 'attr', Attributes: { Nope: '1' } })))).toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: AttributeName' });
    expect(await sdkError(sns.send(new CreateTopicCommand({ Name: 'cbd', Attributes: { ContentBasedDeduplication: 'true' } })))).toMatchObject({ name: 'InvalidParameterException' });
    await stillServing();
    const names = (await sns.send(new ListTopicsCommand({}))).Topics!.map((t) => t.TopicArn);
    expect(names).not.toContain(arn('nofifo'));
    expect(names).not.toContain(arn('attr'));
  });

  it('makes FIFO topics with FifoTopic and ContentBasedDeduplication', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'jobs.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
    expect(TopicArn).toBe(arn('jobs.fifo'));
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toMatchObject({ FifoTopic: 'true', ContentBasedDeduplication: 'true' });
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'ContentBasedDeduplication', AttributeValue: 'false' }));
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!.ContentBasedDeduplication).toBe('false');
  });
});

describe('GetTopicAttributes / SetTopicAttributes', () => {
  it('answers what AWS derives for a new topic, the default policy among it', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'plain' }));
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toEqual({
      Policy: expect.any(String), Owner: ACCOUNT, SubscriptionsPending: '0', TopicArn, EffectiveDeliveryPolicy: expect.any(String),
      SubscriptionsConfirmed: '0', DisplayName: '', SubscriptionsDeleted: '0',
    });
    expect(JSON.parse(Attributes!.Policy!)).toEqual({
      Version: '2008-10-17', Id: '__default_policy_ID',
      Statement: [{
        Sid: '__default_statement_ID', Effect: 'Allow', Principal: { AWS: '*' },
        Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
        Resource: TopicArn, Condition: { StringEquals: { 'AWS:SourceOwner': ACCOUNT } },
      }],
    });
    expect(JSON.parse(Attributes!.EffectiveDeliveryPolicy!).http.defaultHealthyRetryPolicy.numRetries).toBe(3);
  });

  it('stores DisplayName, DeliveryPolicy, Policy, KmsMasterKeyId', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'attrs' }));
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sns:Publish', Resource: TopicArn }] });
    const delivery = JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 5 } } });
    for (const [AttributeName, AttributeValue] of [['DisplayName', 'Shown'], ['Policy', policy], ['DeliveryPolicy', delivery], ['KmsMasterKeyId', 'alias/aws/sns']]) {
      await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName, AttributeValue }));
    }
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toMatchObject({ DisplayName: 'Shown', Policy: policy, DeliveryPolicy: delivery, EffectiveDeliveryPolicy: delivery, KmsMasterKeyId: 'alias/aws/sns' });
  });

  it('refuses what AWS refuses, and an unknown topic is NotFound', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'strict' }));
    expect(await sdkError(sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Bogus', AttributeValue: 'x' })))).toMatchObject({ name: 'InvalidParameterException', status: 400, message: 'Invalid parameter: AttributeName' });
    expect(await sdkError(sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: 'not json' })))).toMatchObject({ name: 'InvalidParameterException', status: 400 });
    expect(await sdkError(sns.send(new GetTopicAttributesCommand({ TopicArn: arn('missing') })))).toMatchObject({ name: 'NotFoundException', status: 404, message: 'Topic does not exist' });
    expect(await sdkError(sns.send(new GetTopicAttributesCommand({ TopicArn: 'not-an-arn' })))).toMatchObject({ name: 'InvalidParameterException', status: 400, message: 'Invalid parameter: TopicArn' });
    expect(await sdkError(sns.send(new GetTopicAttributesCommand({ TopicArn: arn('strict', 'eu-west-1') })))).toMatchObject({ name: 'NotFoundException', status: 404 });
    await stillServing();
  });
});

describe('data protection policy, tags, delete, list', () => {
  it('stores the data protection policy', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'dpp' }));
    expect((await sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: TopicArn }))).DataProtectionPolicy).toBe('');
    const doc = JSON.stringify({ Name: 'p', Version: '2021-06-01', Statement: [] });
    await sns.send(new PutDataProtectionPolicyCommand({ ResourceArn: TopicArn, DataProtectionPolicy: doc }));
    expect((await sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: TopicArn }))).DataProtectionPolicy).toBe(doc);
  });

  it('tags and untags; an unknown topic is ResourceNotFound; 51 tags are too many', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: '__proto__', Tags: [{ Key: 'constructor', Value: '1' }] }));
    await sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'toString', Value: '2' }, { Key: 'b', Value: '3' }] }));
    expect((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags).toEqual([{ Key: 'constructor', Value: '1' }, { Key: 'toString', Value: '2' }, { Key: 'b', Value: '3' }]);
    await sns.send(new UntagResourceCommand({ ResourceArn: TopicArn, TagKeys: ['constructor', 'b'] }));
    expect((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags).toEqual([{ Key: 'toString', Value: '2' }]);
    expect(await sdkError(sns.send(new ListTagsForResourceCommand({ ResourceArn: arn('nope') })))).toMatchObject({ name: 'ResourceNotFoundException', status: 404, message: 'Resource does not exist' });
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(await sdkError(sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: many })))).toMatchObject({ name: 'TagLimitExceededException', status: 400, message: 'Could not complete request: tag quota of per resource exceeded' });
    expect((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags).toHaveLength(1);
  });

  it('lists 100 a page with NextToken; deletes, and deleting again is no error', async () => {
    for (let i = 0; i < 105; i++) await sns.send(new CreateTopicCommand({ Name: `page-${String(i).padStart(3, '0')}` }));
    const first = await sns.send(new ListTopicsCommand({}));
    expect(first.Topics).toHaveLength(100);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));
    expect(second.NextToken).toBeUndefined();
    const all = [...first.Topics!, ...second.Topics!].map((t) => t.TopicArn!);
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((a) => a.includes(':page-'))).toHaveLength(105);
    await sns.send(new DeleteTopicCommand({ TopicArn: arn('page-000') }));
    await sns.send(new DeleteTopicCommand({ TopicArn: arn('page-000') }));
    expect(await sdkError(sns.send(new GetTopicAttributesCommand({ TopicArn: arn('page-000') })))).toMatchObject({ name: 'NotFoundException' });
    expect(await sdkError(sns.send(new ListTopicsCommand({ NextToken: 'garbage' })))).toMatchObject({ name: 'InvalidParameterException', status: 400 });
  });
});

describe('AddPermission / RemovePermission', () => {
  it('adds and removes statements of the topic policy by label', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'shared' }));
    await sns.send(new AddPermissionCommand({ TopicArn, Label: 'others', AWSAccountId: ['111122223333'], ActionName: ['Publish'] }));
    const policy = () => sns.send(new GetTopicAttributesCommand({ TopicArn })).then((r) => JSON.parse(r.Attributes!.Policy!) as { Statement: Record<string, unknown>[] });
    const statements = (await policy()).Statement;
    expect(statements.map((s) => s.Sid)).toEqual(['__default_statement_ID', 'others']);
    expect(statements[1]).toEqual({ Sid: 'others', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'SNS:Publish', Resource: TopicArn });
    expect(await sdkError(sns.send(new AddPermissionCommand({ TopicArn, Label: 'others', AWSAccountId: ['111122223333'], ActionName: ['Publish'] })))).toMatchObject({ name: 'InvalidParameterException', status: 400, message: 'Invalid parameter: Statement already exists' });
    await sns.send(new RemovePermissionCommand({ TopicArn, Label: 'others' }));
    expect((await policy()).Statement.map((s) => s.Sid)).toEqual(['__default_statement_ID']);
    expect(await sdkError(sns.send(new RemovePermissionCommand({ TopicArn, Label: 'others' })))).toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: Statement does not exist' });
    await stillServing();
  });
});
