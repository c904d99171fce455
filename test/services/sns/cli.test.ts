/**
 * SNS through the real AWS CLI (query protocol, botocore's parser): the commands users type
 * (`create-topic`, `subscribe`, `list-subscriptions-by-topic`, `publish`,
 * `get-topic-attributes`, `delete-topic`) and an error as the CLI reports it; then a topic
 * fanned out to a real queue: `set-subscription-attributes` (FilterPolicy, RawMessageDelivery),
 * `publish --message-attributes` delivered or filtered (read back with `sqs receive-message`),
 * tags, `list-subscriptions`, `unsubscribe`, and a malformed filter policy refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../../support/aws-cli.js';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(async () => {
  await rt?.stop();
});

describe('sns through the AWS CLI', () => {
  it('creates, subscribes, publishes, reads attributes, deletes; an error as the CLI reports it', async () => {
    const created = await aws(rt.endpoint, ['sns', 'create-topic', '--name', 'cli-topic', '--attributes', 'DisplayName=Cli']);
    expect(created.code, created.stderr).toBe(0);
    const TopicArn = created.json.TopicArn as string;
    expect(TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:cli-topic');
    const sub = await aws(rt.endpoint, ['sns', 'subscribe', '--topic-arn', TopicArn, '--protocol', 'sqs', '--notification-endpoint', 'arn:aws:sqs:us-east-1:000000000000:q']);
    expect(sub.json.SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));
    const listed = await aws(rt.endpoint, ['sns', 'list-subscriptions-by-topic', '--topic-arn', TopicArn]);
    expect(listed.json.Subscriptions).toEqual([{ SubscriptionArn: sub.json.SubscriptionArn, Owner: '000000000000', Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q', TopicArn }]);
    const published = await aws(rt.endpoint, ['sns', 'publish', '--topic-arn', TopicArn, '--message', 'hello', '--message-attributes', '{"k":{"DataType":"String","StringValue":"v"}}']);
    expect(published.json.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const attributes = await aws(rt.endpoint, ['sns', 'get-topic-attributes', '--topic-arn', TopicArn]);
    expect(attributes.json.Attributes).toMatchObject({ DisplayName: 'Cli', SubscriptionsConfirmed: '1', TopicArn });
    expect((await aws(rt.endpoint, ['sns', 'delete-topic', '--topic-arn', TopicArn])).code).toBe(0);
    const missing = await aws(rt.endpoint, ['sns', 'get-topic-attributes', '--topic-arn', TopicArn]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('An error occurred (NotFound) when calling the GetTopicAttributes operation: Topic does not exist');
  });
});

describe('sns to sqs through the AWS CLI', () => {
  // about fifteen AWS CLI processes one after another, each hundreds of ms on 2 cores, seconds under load
  it('filter policy and raw delivery set by set-subscription-attributes; publish --message-attributes delivered or filtered', { timeout: 180_000 }, async () => {
    const queue = await aws(rt.endpoint, ['sqs', 'create-queue', '--queue-name', 'cli-inbox']);
    expect(queue.code, queue.stderr).toBe(0);
    const QueueUrl = queue.json.QueueUrl as string;
    const TopicArn = (await aws(rt.endpoint, ['sns', 'create-topic', '--name', 'cli-orders', '--tags', 'Key=team,Value=shop'])).json.TopicArn as string;
    const sub = await aws(rt.endpoint, ['sns', 'subscribe', '--topic-arn', TopicArn, '--protocol', 'sqs', '--notification-endpoint', 'arn:aws:sqs:us-east-1:000000000000:cli-inbox', '--return-subscription-arn']);
    const SubscriptionArn = sub.json.SubscriptionArn as string;
    const policy = '{"kind":["order"],"total":[{"numeric":[">=",100]}]}';
    for (const [name, value] of [['FilterPolicy', policy], ['RawMessageDelivery', 'true']]) {
      const set = await aws(rt.endpoint, ['sns', 'set-subscription-attributes', '--subscription-arn', SubscriptionArn, '--attribute-name', name, '--attribute-value', value]);
      expect(set.code, set.stderr).toBe(0);
    }
    const attributes = await aws(rt.endpoint, ['sns', 'get-subscription-attributes', '--subscription-arn', SubscriptionArn]);
    expect(attributes.json.Attributes).toMatchObject({ FilterPolicy: policy, FilterPolicyScope: 'MessageAttributes', RawMessageDelivery: 'true', Protocol: 'sqs', TopicArn });

    const attrs = (kind: string, total: string) => JSON.stringify({ kind: { DataType: 'String', StringValue: kind }, total: { DataType: 'Number', StringValue: total } });
    for (const [message, kind, total] of [['big order', 'order', '250'], ['small order', 'order', '20'], ['big refund', 'refund', '250']]) {
      const published = await aws(rt.endpoint, ['sns', 'publish', '--topic-arn', TopicArn, '--message', message!, '--message-attributes', attrs(kind!, total!)]);
      expect(published.code, published.stderr).toBe(0);
    }
    const received = await aws(rt.endpoint, ['sqs', 'receive-message', '--queue-url', QueueUrl, '--wait-time-seconds', '5', '--max-number-of-messages', '10', '--message-attribute-names', 'All']);
    expect(received.code, received.stderr).toBe(0);
    expect(received.json.Messages).toHaveLength(1);
    expect(received.json.Messages[0]).toMatchObject({
      Body: 'big order',
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' }, total: { DataType: 'Number', StringValue: '250' } },
    });
    // the two filtered messages never arrive (the delivered one is in flight now)
    const more = await aws(rt.endpoint, ['sqs', 'receive-message', '--queue-url', QueueUrl, '--wait-time-seconds', '1', '--max-number-of-messages', '10']);
    expect(more.code, more.stderr).toBe(0);
    expect(more.json?.Messages ?? []).toEqual([]);

    const tags = await aws(rt.endpoint, ['sns', 'list-tags-for-resource', '--resource-arn', TopicArn]);
    expect(tags.json.Tags).toEqual([{ Key: 'team', Value: 'shop' }]);
    const all = await aws(rt.endpoint, ['sns', 'list-subscriptions']);
    expect(all.json.Subscriptions).toContainEqual({ SubscriptionArn, Owner: '000000000000', Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:cli-inbox', TopicArn });

    const bad = await aws(rt.endpoint, ['sns', 'set-subscription-attributes', '--subscription-arn', SubscriptionArn, '--attribute-name', 'FilterPolicy', '--attribute-value', '{"kind":"order"}']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('An error occurred (InvalidParameter) when calling the SetSubscriptionAttributes operation: Invalid parameter: FilterPolicy: "kind" must be an object or an array');
    // the policy in place is unchanged
    expect((await aws(rt.endpoint, ['sns', 'get-subscription-attributes', '--subscription-arn', SubscriptionArn])).json.Attributes.FilterPolicy).toBe(policy);

    expect((await aws(rt.endpoint, ['sns', 'unsubscribe', '--subscription-arn', SubscriptionArn])).code).toBe(0);
    expect((await aws(rt.endpoint, ['sns', 'list-subscriptions-by-topic', '--topic-arn', TopicArn])).json.Subscriptions).toEqual([]);
  });
});
