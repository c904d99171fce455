/**
 * SNS through real boto3 clients against the real runtime, read back through boto3's SQS
 * client: standard and FIFO topics with attributes and tags; subscriptions to SQS queues with a
 * filter policy and raw delivery; Publish and PublishBatch delivered or filtered; unsubscribe;
 * a FIFO topic into a FIFO queue in order; AWS's error codes for bad input, the server still
 * serving. Each scenario runs in boto3_sns.py (one Python process per scenario, one runtime for
 * all) and prints what boto3 saw; the asserts are here. A missing boto3 fails the file under
 * CI and skips it elsewhere.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { havePython } from '../../support/python.js';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';

const DRIVER = join(dirname(fileURLToPath(import.meta.url)), 'boto3_sns.py');
const ACCOUNT = '000000000000';
const arn = (name: string) => `arn:aws:sns:us-east-1:${ACCOUNT}:${name}`;

let rt: RuntimeProcess;

/** Runs one scenario of boto3_sns.py; an unexpected ClientError comes back as `error`. */
function scenario(name: string): Promise<any> {
  return new Promise((resolve, reject) => {
    execFile(
      'python3',
      [DRIVER, rt.endpoint, name],
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' }, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`boto3 scenario ${name} failed: ${error.message}\n${stderr}`));
        resolve(JSON.parse(stdout));
      },
    );
  });
}

describe.skipIf(!havePython('boto3') && !process.env.CI)('SNS through boto3', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    rt = await startRuntime({ env: { STATE_AUDIT: '1' } });
  });
  afterAll(async () => {
    await rt?.stop();
  });

  it('topics: standard (idempotent create) and FIFO, attributes, tags, the list_topics paginator', async () => {
    const out = await scenario('topics');
    expect(out.error).toBeUndefined();
    expect(out).toMatchObject({ standard: arn('py-topic'), again: arn('py-topic'), fifo: arn('py-topic.fifo') });
    expect(out.standardAttributes).toMatchObject({ DisplayName: 'Renamed', Owner: ACCOUNT, TopicArn: arn('py-topic'), SubscriptionsConfirmed: '0', SubscriptionsPending: '0' });
    expect(out.standardAttributes.FifoTopic).toBeUndefined();
    expect(JSON.parse(out.standardAttributes.Policy).Statement[0].Resource).toBe(arn('py-topic'));
    expect(out.fifoAttributes).toMatchObject({ FifoTopic: 'true', ContentBasedDeduplication: 'true', TopicArn: arn('py-topic.fifo') });
    expect(out.tagsBefore).toEqual([{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'a' }]);
    expect(out.tagsAfter).toEqual([{ Key: 'env', Value: 'dev' }]);
    expect(out.listed).toEqual([arn('py-topic'), arn('py-topic.fifo')]);
  });

  it('fan-out to queues: envelope, filter policy on Publish and PublishBatch, raw delivery with attributes, unsubscribe', async () => {
    const out = await scenario('fanout');
    expect(out.error).toBeUndefined();
    const topic = arn('py-fanout');
    for (const sub of Object.values(out.subscriptions)) expect(sub).toMatch(new RegExp(`^${topic}:[0-9a-f-]{36}$`));
    expect(out.redAttributes).toMatchObject({
      Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:py-red`, Protocol: 'sqs', PendingConfirmation: 'false', RawMessageDelivery: 'false',
      FilterPolicy: '{"color": ["red"], "size": [{"numeric": [">", 5]}]}', FilterPolicyScope: 'MessageAttributes', TopicArn: topic,
    });
    expect(out.byTopic.map((s: any) => [s.Endpoint, s.Protocol, s.TopicArn])).toEqual(['py-everything', 'py-raw', 'py-red'].map((q) => [`arn:aws:sqs:us-east-1:${ACCOUNT}:${q}`, 'sqs', topic]));
    expect(out.batch).toEqual({ successful: ['b1', 'b2'], failed: [] });

    // the unfiltered queue gets every message in the SNS envelope, attributes inside it
    const sorted = (xs: string[]) => [...xs].sort();
    expect(sorted(out.everything.map((m: any) => m.envelope.Message))).toEqual(sorted(['red and big', 'red but small', 'batch red', 'batch blue', 'odd name']));
    const first = out.everything.find((m: any) => m.envelope.Message === 'red and big');
    expect(first.envelope).toMatchObject({
      Type: 'Notification', MessageId: out.messageId, TopicArn: topic, Subject: 'hi', SignatureVersion: '1',
      MessageAttributes: { color: { Type: 'String', Value: 'red' }, size: { Type: 'Number', Value: '9' } },
    });
    expect(first.envelope.UnsubscribeURL).toContain(`SubscriptionArn=${out.subscriptions.everything}`);
    expect(first.attributes).toEqual({});
    expect(out.everything.find((m: any) => m.envelope.Message === 'odd name').envelope.MessageAttributes).toEqual({ ['__proto__']: { Type: 'String', Value: 'x' } });

    // the filtered queue: color red and size > 5, from Publish and PublishBatch alike
    expect(sorted(out.red)).toEqual(['batch red', 'red and big']);

    // raw delivery: the body as published, the attributes as SQS message attributes
    const raw = Object.fromEntries(out.raw.map((m: any) => [m.body, m.attributes]));
    expect(raw).toEqual({
      'red and big': { color: 'red', size: '9' }, 'red but small': { color: 'red', size: '2' },
      'batch red': { color: 'red', size: '6' }, 'batch blue': { color: 'blue', size: '60' }, 'odd name': { ['__proto__']: 'x' },
    });

    // after unsubscribe: the red queue gets nothing, the others still do
    expect(out.redAfterUnsubscribe).toEqual([]);
    expect(out.everythingAfterUnsubscribe).toEqual(['after unsubscribe']);
    expect(out.afterUnsubscribe).toEqual([`arn:aws:sqs:us-east-1:${ACCOUNT}:py-everything`, `arn:aws:sqs:us-east-1:${ACCOUNT}:py-raw`]);
  });

  it('a FIFO topic into a FIFO queue: in order, deduplicated, a group id required', async () => {
    const out = await scenario('fifo');
    expect(out.error).toBeUndefined();
    const numbers = out.sequenceNumbers.map(BigInt);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i] > numbers[i - 1]).toBe(true);
    for (const n of out.sequenceNumbers) expect(n).toMatch(/^\d{20}$/);
    expect(out.batchSuccessful).toEqual(['x', 'y']);
    expect(out.received).toEqual(['order 0', 'order 1', 'order 2', 'order 3', 'order 4', 'batch 5', 'batch 6'].map((body) => ({ body, group: 'g1' })));
    expect(out.noGroup).toEqual({ code: 'InvalidParameter', status: 400, message: 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics' });
  });

  it("bad input gets AWS's error codes, nothing is stored, the server keeps serving", async () => {
    const out = await scenario('errors');
    expect(out.error).toBeUndefined();
    const notFound = (message: string) => ({ code: 'NotFound', status: 404, message });
    const invalid = (message: string) => ({ code: 'InvalidParameter', status: 400, message: `Invalid parameter: ${message}` });
    expect(out.getMissing).toEqual(notFound('Topic does not exist'));
    expect(out.publishMissing).toEqual(notFound('Topic does not exist'));
    expect(out.subscriptionMissing).toEqual(notFound('Subscription does not exist'));
    expect(out.badFilter).toEqual(invalid('Attributes Reason: FilterPolicy: "color" must be an object or an array'));
    expect(out.unparsableFilter).toEqual(invalid('Attributes Reason: FilterPolicy: failed to parse JSON.'));
    expect(out.badProtocol).toEqual(invalid('Amazon SNS does not support this protocol string: carrier-pigeon'));
    expect(out.emptyMessage).toEqual(invalid('Empty message'));
    expect(out.duplicateBatchIds).toEqual({ code: 'BatchEntryIdsNotDistinct', status: 400, message: 'Two or more batch entries in the request have the same Id.' });
    expect(out.subscriptionsAfter).toEqual([]);
    expect(out.stillServing).toBe(arn('py-errors'));
  });
});
