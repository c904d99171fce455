/**
 * The delivery policy's retry phases for http/https subscribers: the endpoint run by the test
 * fails every Notification, and each retry must arrive exactly when the policy says (not a
 * millisecond earlier): the no-delay retries at once, the pre-backoff ones minDelayTarget apart,
 * the backoff phase growing from minDelayTarget to maxDelayTarget by its function, the
 * post-backoff ones maxDelayTarget apart; then nothing. The runtime runs in this process on a
 * manual clock (SDK calls still go over a socket), so time passes only when the test advances
 * it. A subscription's policy wins over its topic's unless the topic disables overrides. The
 * schedule itself is tabled for the four backoff functions.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfirmSubscriptionCommand, CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, RuntimeScheduler } from '../../../runtime/scheduler.js';
import { PROVIDERS } from '../../../runtime/services/registry.js';
import { DEFAULT_PLAN, retryDelayMs, retryPlan } from '../../../runtime/services/sns/delivery-policy.js';
import type { RetryPlan } from '../../../runtime/services/sns/state.js';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';

const clock = new ManualClock(Date.now());
let sns: SNSClient;
let base: string;
withInProcessRuntime({ sns: PROVIDERS.sns }, (endpoint) => {
  base = endpoint;
  sns = new SNSClient({ ...clientConfig(endpoint), maxAttempts: 1 });
}, { scheduler: new RuntimeScheduler(clock) });

/** What the endpoint received: type, message id, and the clock's time then; it fails every Notification. */
const posts: { type: string; id: string; at: number; body: string }[] = [];
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const type = String(req.headers['x-amz-sns-message-type']);
      posts.push({ type, id: String(req.headers['x-amz-sns-message-id']), at: clock.now(), body });
      res.statusCode = type === 'Notification' ? 503 : 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => server?.close());

async function until(what: () => boolean): Promise<void> {
  for (let i = 0; !what(); i++) {
    if (i > 500) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Subscribes the endpoint with `policy` (or none) and confirms it. */
async function subscribed(name: string, topicPolicy?: unknown, policy?: unknown): Promise<string> {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name, Attributes: topicPolicy ? { DeliveryPolicy: JSON.stringify(topicPolicy) } : {} }));
  const before = posts.length;
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${url}${name}`, Attributes: policy ? { DeliveryPolicy: JSON.stringify(policy) } : {} }));
  await until(() => posts.length > before);
  await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: (JSON.parse(posts[before]!.body) as { Token: string }).Token }));
  return TopicArn!;
}

/**
 * Publishes, then checks that retry n comes `gaps[n]` ms after the attempt before it: nothing a
 * millisecond earlier, the retry at that time; and nothing after the last one.
 */
async function expectSchedule(TopicArn: string, gaps: number[]): Promise<void> {
  const first = posts.length;
  const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'fails' }));
  await until(() => posts.length === first + 1);
  let expected = first + 1;
  for (const gap of gaps) {
    expected++;
    // a no-delay retry can come within the advance that fired the one before it (the check of
    // the times below still holds every retry to its gap)
    if (gap === 0 && posts.length >= expected) continue;
    await until(() => clock.pending > 0); // the failure was taken and the retry armed
    if (gap > 0) {
      await clock.advance(gap - 1);
      await new Promise((r) => setTimeout(r, 20));
      expect(posts.length, `a retry came before ${gap} ms`).toBe(expected - 1);
    }
    await clock.advance(gap > 0 ? 1 : 0);
    await until(() => posts.length >= expected);
  }
  const mine = posts.slice(first);
  expect(mine.every((p) => p.type === 'Notification' && p.id === MessageId)).toBe(true);
  expect(mine.slice(1).map((p, i) => p.at - mine[i]!.at)).toEqual(gaps);
  await until(() => clock.pending === 0); // the last failure was taken: nothing more armed
  await clock.advance(3_600_000);
  await new Promise((r) => setTimeout(r, 20));
  expect(posts.length).toBe(first + 1 + gaps.length);
}

describe('http retries follow the delivery policy', () => {
  it("runs the four phases of a subscription's policy", async () => {
    const policy = { healthyRetryPolicy: { numRetries: 7, numNoDelayRetries: 2, numMinDelayRetries: 1, numMaxDelayRetries: 1, minDelayTarget: 2, maxDelayTarget: 10, backoffFunction: 'exponential' } };
    // topic's policy (20 s apart) is overridden by the subscription's
    const TopicArn = await subscribed('phases', { http: { defaultHealthyRetryPolicy: { numRetries: 1, minDelayTarget: 20, maxDelayTarget: 20 } } }, policy);
    // no delay x2, min x1, backoff 2 -> 4.667 -> 10 s (exponential), max x1
    await expectSchedule(TopicArn, [0, 0, 2000, 2000, 4667, 10000, 10000]);
  });

  it("follows the topic's policy when the topic disables subscription overrides", async () => {
    const topic = { http: { defaultHealthyRetryPolicy: { numRetries: 3, minDelayTarget: 1, maxDelayTarget: 9, backoffFunction: 'linear' }, disableSubscriptionOverrides: true } };
    const TopicArn = await subscribed('locked', topic, { healthyRetryPolicy: { numRetries: 0 } });
    await expectSchedule(TopicArn, [1000, 5000, 9000]);
  });

  it("uses AWS's default without a policy: 3 retries, 20 s apart", async () => {
    const TopicArn = await subscribed('default');
    await expectSchedule(TopicArn, [20000, 20000, 20000]);
  });
});

describe('pending retries and a state reset', () => {
  it('a reset drops the retries that were pending', async () => {
    const TopicArn = await subscribed('reset', undefined, { healthyRetryPolicy: { numRetries: 5, minDelayTarget: 1, maxDelayTarget: 1 } });
    const first = posts.length;
    await sns.send(new PublishCommand({ TopicArn, Message: 'forgotten' }));
    await until(() => posts.length === first + 1 && clock.pending > 0);
    expect((await fetch(`${base}/_localstack/state/sns/reset`, { method: 'POST' })).status).toBe(200);
    expect(clock.pending).toBe(0);
    await clock.advance(3_600_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(posts.length).toBe(first + 1);
  });
});

describe('the retry schedule', () => {
  const backoff = (backoffFunction: RetryPlan['backoffFunction']): RetryPlan => ({ ...DEFAULT_PLAN, numRetries: 10, minDelayTarget: 5, maxDelayTarget: 260, backoffFunction });
  const schedule = (plan: RetryPlan) => Array.from({ length: plan.numRetries }, (_, i) => retryDelayMs(plan, i + 1) / 1000);

  it.each([
    // AWS's own example: 10 retries, 5 s to 260 s, each function from the first to the last
    ['linear', [5, 33.333, 61.667, 90, 118.333, 146.667, 175, 203.333, 231.667, 260]],
    ['arithmetic', [5, 10.667, 22, 39, 61.667, 90, 124, 163.667, 209, 260]],
    ['geometric', [5, 7.756, 12.031, 18.663, 28.949, 44.906, 69.658, 108.054, 167.612, 260]],
    ['exponential', [5, 5.499, 6.497, 8.493, 12.485, 20.469, 36.438, 68.376, 132.251, 260]],
  ] as const)('%s grows from minDelayTarget to maxDelayTarget', (fn, expected) => {
    const got = schedule(backoff(fn));
    expect(got.map((s) => Math.round(s * 10) / 10)).toEqual(expected.map((s) => Math.round(s * 10) / 10));
  });

  it('cuts phase counts that add up to more than numRetries, in phase order', () => {
    const plan: RetryPlan = { ...DEFAULT_PLAN, numRetries: 4, numNoDelayRetries: 3, numMinDelayRetries: 5, numMaxDelayRetries: 5, minDelayTarget: 1, maxDelayTarget: 30 };
    expect(schedule(plan)).toEqual([0, 0, 0, 1]);
  });

  it("reads AWS's defaults for what a policy leaves out or gets wrong", () => {
    expect(retryPlan(undefined, undefined)).toEqual(DEFAULT_PLAN);
    expect(retryPlan('{"healthyRetryPolicy":{"numRetries":"5","backoffFunction":"Bogus"}}', 'not json')).toEqual(DEFAULT_PLAN);
    expect(retryPlan('{"healthyRetryPolicy":{"numRetries":5,"backoffFunction":"GEOMETRIC"}}', undefined)).toMatchObject({ numRetries: 5, backoffFunction: 'geometric' });
  });
});
