/**
 * SNS through the real AWS CLI (query protocol, botocore's parser): the commands users type
 * (`create-topic`, `subscribe`, `list-subscriptions-by-topic`, `publish`,
 * `get-topic-attributes`, `delete-topic`) and an error as the CLI reports it.
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
