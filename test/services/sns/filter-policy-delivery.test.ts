/**
 * The whole filter-policy table (filter-policy-cases.ts, the one filter-policy.test.ts runs
 * through the matcher) through the real server with @aws-sdk/client-sns and client-sqs: per
 * case a topic and a queue, subscribed with the case's policy and scope (raw delivery, so the
 * queue holds exactly what was published), then the case's message published. A case that
 * delivers must arrive; once every delivered one has arrived, the queues of the others are
 * still empty after a long poll (the deliveries all went through the same delivery queue).
 */
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand, type MessageAttributeValue } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { ATTRIBUTE_CASES, BODY_CASES } from './filter-policy-cases.js';

interface Row {
  name: string;
  scope: 'MessageAttributes' | 'MessageBody';
  policy: Record<string, unknown>;
  body: string;
  attributes: Record<string, MessageAttributeValue>;
  delivered: boolean;
}

/** Publish refuses an empty String attribute value (InvalidParameterValue): such cases are the matcher's alone. */
const publishable = (attributes: Record<string, MessageAttributeValue>) => Object.values(attributes).every((a) => a.DataType === 'Binary' || a.StringValue !== '');

const ROWS: Row[] = [
  ...ATTRIBUTE_CASES.map(([policy, attributes, delivered], i): Row => ({ name: `attributes-${i}`, scope: 'MessageAttributes', policy, body: `case attributes-${i}`, attributes, delivered })).filter((row) => publishable(row.attributes)),
  ...BODY_CASES.map(([policy, body, delivered], i): Row => ({ name: `body-${i}`, scope: 'MessageBody', policy, body, attributes: {}, delivered })),
];

/** Runs `task` over `items`, `width` at a time. */
async function inBatches<T>(items: T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(task));
}

describe('the filter-policy table through a real topic and real queues', { timeout: 120_000 }, () => {
  let rt: RuntimeProcess;
  let sns: SNSClient;
  let sqs: SQSClient;
  const urls = new Map<string, string>();

  beforeAll(async () => {
    rt = await startRuntime();
    sns = new SNSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
    sqs = new SQSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
  });
  afterAll(async () => {
    sns?.destroy();
    sqs?.destroy();
    await rt?.stop();
  });

  it(`subscribes and publishes all ${ROWS.length} cases`, async () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(100);
    await inBatches(ROWS, 8, async (row) => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `fp-${row.name}` }));
      urls.set(row.name, QueueUrl!);
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `fp-${row.name}` }));
      await sns.send(new SubscribeCommand({
        TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:000000000000:fp-${row.name}`,
        Attributes: { FilterPolicy: JSON.stringify(row.policy), FilterPolicyScope: row.scope, RawMessageDelivery: 'true' },
      }));
      const attributes = Object.keys(row.attributes).length ? row.attributes : undefined;
      await sns.send(new PublishCommand({ TopicArn, Message: row.body, MessageAttributes: attributes }));
    });
  });

  it('every case that matches is delivered, its body intact', async () => {
    const arrived: string[] = [];
    await inBatches(ROWS.filter((r) => r.delivered), 8, async (row) => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: urls.get(row.name), WaitTimeSeconds: 10, MaxNumberOfMessages: 10 }));
      expect(Messages.map((m) => m.Body), `${row.name} ${JSON.stringify(row.policy)}`).toEqual([row.body]);
      arrived.push(row.name);
    });
    expect(arrived.length).toBe(ROWS.filter((r) => r.delivered).length);
  });

  it('every case that does not match left its queue empty', async () => {
    await inBatches(ROWS.filter((r) => !r.delivered), 16, async (row) => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: urls.get(row.name), WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }));
      expect(Messages.map((m) => m.Body), `${row.name} ${JSON.stringify(row.policy)}`).toEqual([]);
    });
  });
});
