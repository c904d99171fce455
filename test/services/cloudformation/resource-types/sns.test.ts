/**
 * AWS::SNS::Topic, AWS::SNS::Subscription and AWS::SNS::TopicPolicy through stacks
 * (client-cloudformation, a real runtime process), read back through client-sns: attributes,
 * FIFO names, the inline subscription list, a subscription's attributes, a topic policy, the
 * documented Ref and GetAtt values, in-place updates and deletion.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListTagsForResourceCommand, SNSClient, GetDataProtectionPolicyCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../../support/runtime.js';
import { sdkError } from '../../../support/sdk-error.js';
import { createStack, deleteStack, updateStack } from './stack.js';

let rt: RuntimeProcess;
let cfn: CloudFormationClient;
let sns: SNSClient;

beforeAll(async () => {
  rt = await startRuntime();
  cfn = new CloudFormationClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
  sns = new SNSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

const DATA_PROTECTION = { Name: 'dp', Description: '', Version: '2021-06-01', Statement: [{ Sid: 's', DataDirection: 'Inbound', Principal: ['*'], DataIdentifier: ['arn:aws:dataprotection::aws:data-identifier/EmailAddress'], Operation: { Deny: {} } }] };

function template(displayName: string, filter: object, raw: boolean, inline: string[]) {
  return {
    Resources: {
      Queue: { Type: 'AWS::SQS::Queue' },
      Other: { Type: 'AWS::SQS::Queue' },
      Topic: {
        Type: 'AWS::SNS::Topic',
        Properties: {
          TopicName: 'cfn-topic',
          DisplayName: displayName,
          DataProtectionPolicy: DATA_PROTECTION,
          Subscription: inline.map((id) => ({ Protocol: 'sqs', Endpoint: { 'Fn::GetAtt': [id, 'Arn'] } })),
          Tags: [{ Key: 'team', Value: displayName }],
        },
      },
      Fifo: { Type: 'AWS::SNS::Topic', Properties: { FifoTopic: true, ContentBasedDeduplication: true } },
      Sub: {
        Type: 'AWS::SNS::Subscription',
        Properties: { TopicArn: { Ref: 'Topic' }, Protocol: 'sqs', Endpoint: { 'Fn::GetAtt': ['Queue', 'Arn'] }, RawMessageDelivery: raw, FilterPolicy: filter, FilterPolicyScope: 'MessageAttributes' },
      },
      TopicPolicy: {
        Type: 'AWS::SNS::TopicPolicy',
        Properties: {
          Topics: [{ Ref: 'Topic' }],
          PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sns:Publish', Resource: { Ref: 'Topic' } }] },
        },
      },
    },
    Outputs: {
      Ref: { Value: { Ref: 'Topic' } },
      TopicArn: { Value: { 'Fn::GetAtt': ['Topic', 'TopicArn'] } },
      TopicName: { Value: { 'Fn::GetAtt': ['Topic', 'TopicName'] } },
      FifoName: { Value: { 'Fn::GetAtt': ['Fifo', 'TopicName'] } },
      FifoArn: { Value: { Ref: 'Fifo' } },
      Sub: { Value: { Ref: 'Sub' } },
      PolicyId: { Value: { Ref: 'TopicPolicy' } },
    },
  };
}

describe('AWS::SNS::Topic, Subscription and TopicPolicy', () => {
  let out: Record<string, string>;

  it('creates topics, subscriptions and a policy; Ref and GetAtt as documented', async () => {
    out = await createStack(cfn, 'sns-stack', template('first', { color: ['red'] }, true, ['Other']));
    const arn = 'arn:aws:sns:us-east-1:000000000000:cfn-topic';
    expect(out).toMatchObject({ Ref: arn, TopicArn: arn, TopicName: 'cfn-topic' });
    expect(out['FifoName']).toMatch(/^sns-stack-Fifo-[A-Z0-9]{12}\.fifo$/);
    expect(out['FifoArn']).toBe(`arn:aws:sns:us-east-1:000000000000:${out['FifoName']}`);
    expect(out['Sub']).toMatch(new RegExp(`^${arn}:[0-9a-f-]{36}$`));
    expect(out['PolicyId']).toMatch(/^sns-stack-TopicPolicy-/);

    const attributes = (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!;
    expect(attributes['DisplayName']).toBe('first');
    expect(JSON.parse(attributes['Policy']!).Statement[0].Principal).toEqual({ Service: 's3.amazonaws.com' });
    const fifo = (await sns.send(new GetTopicAttributesCommand({ TopicArn: out['FifoArn'] }))).Attributes!;
    expect(fifo).toMatchObject({ FifoTopic: 'true', ContentBasedDeduplication: 'true' });
    expect(JSON.parse((await sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: arn }))).DataProtectionPolicy!)).toEqual(DATA_PROTECTION);
    expect((await sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([{ Key: 'team', Value: 'first' }]);

    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions!;
    expect(subs.map((s) => s.Endpoint!.replace(/-[A-Z0-9]{12}$/, '')).sort()).toEqual(['arn:aws:sqs:us-east-1:000000000000:sns-stack-Other', 'arn:aws:sqs:us-east-1:000000000000:sns-stack-Queue']);
    const sub = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: out['Sub'] }))).Attributes!;
    expect(sub).toMatchObject({ RawMessageDelivery: 'true', FilterPolicyScope: 'MessageAttributes', TopicArn: arn });
    expect(JSON.parse(sub['FilterPolicy']!)).toEqual({ color: ['red'] });
  });

  it('updates attributes, the subscription’s filter, the inline subscriptions and tags in place', async () => {
    const after = await updateStack(cfn, 'sns-stack', template('second', { color: ['blue'] }, false, []));
    expect(after['Sub']).toBe(out['Sub']);
    const arn = out['Ref']!;
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!['DisplayName']).toBe('second');
    const sub = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: out['Sub'] }))).Attributes!;
    expect(sub['RawMessageDelivery']).toBe('false');
    expect(JSON.parse(sub['FilterPolicy']!)).toEqual({ color: ['blue'] });
    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions!;
    expect(subs.map((s) => s.SubscriptionArn)).toEqual([out['Sub']]);
    expect((await sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([{ Key: 'team', Value: 'second' }]);
  });

  it('deleting the stack removes the topics and the subscription', async () => {
    await deleteStack(cfn, 'sns-stack');
    expect(await sdkError(sns.send(new GetTopicAttributesCommand({ TopicArn: out['Ref'] })))).toMatchObject({ name: 'NotFoundException' });
    expect(await sdkError(sns.send(new GetTopicAttributesCommand({ TopicArn: out['FifoArn'] })))).toMatchObject({ name: 'NotFoundException' });
    expect(await sdkError(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: out['Sub'] })))).toMatchObject({ name: 'NotFoundException' });
  });
});
