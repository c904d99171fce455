/**
 * SNS's state across a restart: two runtime processes, one after the other, with
 * PERSISTENCE=1 and the same LOCALSTACK_VOLUME_DIR. Topics (a `__proto__` among them), their
 * attributes, tags, data protection policy and subscriptions written in the first are read back from the
 * second; a topic deleted in the first stays deleted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTopicCommand, DeleteTopicCommand, GetDataProtectionPolicyCommand, GetTopicAttributesCommand, ListTagsForResourceCommand, ListSubscriptionsCommand, ListTopicsCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand,
  GetSubscriptionAttributesCommand,
} from '@aws-sdk/client-sns';
import { afterAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime } from '../../support/runtime.js';

const volume = mkdtempSync(join(tmpdir(), 'ls-sns-persistence-'));
afterAll(() => rmSync(volume, { recursive: true, force: true }));

const env = { PERSISTENCE: '1', SERVICES: 'sns' };
const client = (endpoint: string) => new SNSClient({ ...clientConfig(endpoint), maxAttempts: 1 });

async function snapshot(sns: SNSClient) {
  const topics = (await sns.send(new ListTopicsCommand({}))).Topics!.map((t) => t.TopicArn!);
  const details = [];
  for (const TopicArn of topics) {
    details.push({
      attributes: (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes,
      tags: (await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags,
      dpp: (await sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: TopicArn }))).DataProtectionPolicy,
    });
  }
  const subscriptions = (await sns.send(new ListSubscriptionsCommand({}))).Subscriptions!;
  const subscriptionAttributes = [];
  for (const s of subscriptions) {
    if (s.SubscriptionArn !== 'PendingConfirmation') subscriptionAttributes.push((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: s.SubscriptionArn }))).Attributes);
  }
  return { topics, details, subscriptions, subscriptionAttributes };
}

describe('sns with PERSISTENCE=1', () => {
  it('reads back the topics, attributes and tags the first runtime wrote', async () => {
    const first = await startRuntime({ env, volume });
    let before;
    try {
      const sns = client(first.endpoint);
      await sns.send(new CreateTopicCommand({ Name: '__proto__', Tags: [{ Key: 'toString', Value: 'x' }], DataProtectionPolicy: '{"Name":"p"}' }));
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'jobs.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
      await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DisplayName', AttributeValue: 'Jobs' }));
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q.fifo', Attributes: { RawMessageDelivery: 'true', FilterPolicy: '{"a":["b"]}' } }));
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'me@example.com' }));
      const gone = await sns.send(new CreateTopicCommand({ Name: 'gone' }));
      await sns.send(new DeleteTopicCommand({ TopicArn: gone.TopicArn }));
      before = await snapshot(sns);
      expect(before.topics).toHaveLength(2);
      expect(before.subscriptions).toHaveLength(2);
      expect(before.subscriptionAttributes).toHaveLength(1);
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const second = await startRuntime({ env, volume });
    try {
      expect(await snapshot(client(second.endpoint))).toEqual(before);
      expect(second.stderr()).not.toMatch(/ (WARN|ERROR) +--- \[state\] /);
    } finally {
      await second.stop();
    }
  });
});
