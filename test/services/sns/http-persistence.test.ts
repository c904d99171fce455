/**
 * A retry of an http delivery survives a restart with PERSISTENCE=1: the first runtime process
 * fails to POST a Notification (the endpoint run by the test answers 500), arms the retry its
 * delivery policy asks for, and stops before it is due; the second, started on the same volume,
 * picks the POST up from the state and delivers it (the same MessageId and body) once the
 * endpoint answers again. SNS picks its pending POSTs up when it starts: at boot with
 * EAGER_SERVICE_LOADING=1 (the second runtime here), else on its first request (the third:
 * one ListTopics). Real processes over real sockets; the wait is the policy's delay.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfirmSubscriptionCommand, CreateTopicCommand, ListTopicsCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime } from '../../support/runtime.js';

const volume = mkdtempSync(join(tmpdir(), 'ls-sns-http-persistence-'));
const env = { PERSISTENCE: '1', SERVICES: 'sns', LS_LOG: 'debug' };
const client = (endpoint: string) => new SNSClient({ ...clientConfig(endpoint), maxAttempts: 1 });

const posts: { type: string; id: string; body: string }[] = [];
let failing = false;
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const type = String(req.headers['x-amz-sns-message-type']);
      posts.push({ type, id: String(req.headers['x-amz-sns-message-id']), body });
      res.statusCode = type === 'Notification' && failing ? 500 : 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/persisted`;
});
afterAll(() => {
  server?.close();
  rmSync(volume, { recursive: true, force: true });
});

async function until(what: () => boolean, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; !what(); ) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs a runtime that publishes a message the endpoint refuses, and stops it with the retry pending. */
async function leavePendingRetry(topic: string): Promise<string> {
  const first = await startRuntime({ env, volume });
  try {
    const sns = client(first.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: topic }));
    const DeliveryPolicy = JSON.stringify({ healthyRetryPolicy: { numRetries: 3, minDelayTarget: 3, maxDelayTarget: 3 } });
    const before = posts.length;
    failing = false;
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: url, Attributes: { DeliveryPolicy } }));
    await until(() => posts.length === before + 1);
    await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: (JSON.parse(posts[before]!.body) as { Token: string }).Token }));
    failing = true;
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: `keep ${topic}` }));
    await first.waitForStderr(`Notification ${MessageId!} to ${url} failed (status 500); retry 1 of 3`);
    return MessageId!;
  } finally {
    expect(await first.stop()).toBe(0);
  }
}

describe('http retries with PERSISTENCE=1', () => {
  it.each([
    ['at boot with EAGER_SERVICE_LOADING=1', { EAGER_SERVICE_LOADING: '1' }, false],
    ['on its first request otherwise', {}, true],
  ] as const)('a retry pending at shutdown is made by the next runtime: %s', async (_how, more, poke) => {
    const messageId = await leavePendingRetry(poke ? 'lazy' : 'eager');
    const before = posts.length;
    failing = false;
    const second = await startRuntime({ env: { ...env, ...more }, volume });
    try {
      if (poke) await client(second.endpoint).send(new ListTopicsCommand({}));
      await until(() => posts.slice(before).some((p) => p.id === messageId));
      const resent = posts.slice(before).find((p) => p.id === messageId)!;
      expect(resent.type).toBe('Notification');
      expect(JSON.parse(resent.body)).toMatchObject({ Type: 'Notification', MessageId: messageId, Message: `keep ${poke ? 'lazy' : 'eager'}` });
      expect(second.stderr()).not.toMatch(/ (WARN|ERROR) +--- \[state\] /);
    } finally {
      await second.stop();
    }
  });
});
