/**
 * Deliveries to an http endpoint are retried per the delivery policy: the endpoint run by the
 * test answers 500 to the first POSTs of a message, and the same Notification (same MessageId)
 * arrives again after each failure until the endpoint takes it; past `numRetries` nothing more
 * arrives. The runtime runs in this process on a manual clock, so the policy's delays pass
 * when the test advances it, never by sleeping.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfirmSubscriptionCommand, CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, RuntimeScheduler } from '../../../runtime/scheduler.js';
import { PROVIDERS } from '../../../runtime/services/registry.js';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';

const clock = new ManualClock(Date.now());
let sns: SNSClient;
withInProcessRuntime({ sns: PROVIDERS.sns }, (endpoint) => {
  sns = new SNSClient({ ...clientConfig(endpoint), maxAttempts: 1 });
}, { scheduler: new RuntimeScheduler(clock) });

/** POSTs received: type and message id; the endpoint fails a Notification while `failures` lasts. */
const posts: { type: string; id: string; body: string }[] = [];
let failures = 0;
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const type = String(req.headers['x-amz-sns-message-type']);
      posts.push({ type, id: String(req.headers['x-amz-sns-message-id']), body });
      res.statusCode = type === 'Notification' && failures-- > 0 ? 500 : 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => server?.close());

/** Advances the clock by the policy's delay until `count` POSTs arrived (at most `rounds` delays). */
async function until(count: number, delayMs: number, rounds: number): Promise<void> {
  for (let i = 0; posts.length < count && i < rounds * 20; i++) {
    await new Promise((r) => setTimeout(r, 10));
    if (i % 20 === 19) await clock.advance(delayMs);
  }
}

describe('http deliveries retried per the delivery policy', () => {
  it('retries a failed Notification until the endpoint takes it, and gives up after numRetries', async () => {
    const policy = JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 2, minDelayTarget: 5, maxDelayTarget: 5 } } });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'retried', Attributes: { DeliveryPolicy: policy } }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: url }));
    await until(1, 5000, 1);
    await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: (JSON.parse(posts[0]!.body) as { Token: string }).Token }));

    failures = 2;
    const first = await sns.send(new PublishCommand({ TopicArn, Message: 'eventually' }));
    await until(4, 5000, 4);
    expect(posts.slice(1).map((p) => [p.type, p.id])).toEqual([['Notification', first.MessageId], ['Notification', first.MessageId], ['Notification', first.MessageId]]);

    failures = 10;
    const second = await sns.send(new PublishCommand({ TopicArn, Message: 'never' }));
    await until(7, 5000, 4);
    await clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 50));
    // the first attempt and numRetries (2) more, then nothing
    expect(posts.slice(4).map((p) => p.id)).toEqual([second.MessageId, second.MessageId, second.MessageId]);
  });
});
