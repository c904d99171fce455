/**
 * SQS's state across a restart: two runtime processes, one after the other, with
 * PERSISTENCE=1 and the same LOCALSTACK_VOLUME_DIR. Queues (one named `__proto__`), their
 * attributes and tags, and their messages (with attributes) written in the first are read
 * back from the second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateQueueCommand, GetQueueAttributesCommand, ListQueueTagsCommand, ListQueuesCommand, ReceiveMessageCommand, SQSClient, SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime } from '../../support/runtime.js';

const volume = mkdtempSync(join(tmpdir(), 'ls-sqs-persistence-'));
afterAll(() => rmSync(volume, { recursive: true, force: true }));

const env = { PERSISTENCE: '1', SERVICES: 'sqs', EAGER_SERVICE_LOADING: '1', LOCALSTACK_HOST: 'localhost.localstack.cloud:4566' };

describe('sqs with PERSISTENCE=1', () => {
  it('reads back queues, attributes, tags and messages after a restart', async () => {
    const first = await startRuntime({ env, volume });
    let urls: string[];
    try {
      const c = new SQSClient({ ...clientConfig(first.endpoint), maxAttempts: 1 });
      const q = (await c.send(new CreateQueueCommand({ QueueName: '__proto__', Attributes: { VisibilityTimeout: '7' }, tags: { toString: 't' } }))).QueueUrl!;
      const f = (await c.send(new CreateQueueCommand({ QueueName: 'p.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }))).QueueUrl!;
      await c.send(new SendMessageCommand({ QueueUrl: q, MessageBody: 'kept', MessageAttributes: { a: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) } } }));
      await c.send(new SendMessageCommand({ QueueUrl: f, MessageBody: 'fifo', MessageGroupId: 'g' }));
      urls = (await c.send(new ListQueuesCommand({}))).QueueUrls!;
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const second = await startRuntime({ env, volume });
    try {
      const c = new SQSClient({ ...clientConfig(second.endpoint), maxAttempts: 1 });
      expect((await c.send(new ListQueuesCommand({}))).QueueUrls).toEqual(urls);
      const q = urls.find((u) => u.endsWith('__proto__'))!;
      expect((await c.send(new GetQueueAttributesCommand({ QueueUrl: q, AttributeNames: ['VisibilityTimeout', 'ApproximateNumberOfMessages'] }))).Attributes).toEqual({
        VisibilityTimeout: '7', ApproximateNumberOfMessages: '1',
      });
      expect((await c.send(new ListQueueTagsCommand({ QueueUrl: q }))).Tags).toEqual({ toString: 't' });
      const [m] = (await c.send(new ReceiveMessageCommand({ QueueUrl: q, MessageAttributeNames: ['All'] }))).Messages!;
      expect([m!.Body, [...m!.MessageAttributes!.a!.BinaryValue!]]).toEqual(['kept', [1, 2, 3]]);
      const [fm] = (await c.send(new ReceiveMessageCommand({ QueueUrl: urls.find((u) => u.endsWith('p.fifo')), MessageSystemAttributeNames: ['All'] }))).Messages!;
      expect([fm!.Body, fm!.Attributes!.MessageGroupId, fm!.Attributes!.SequenceNumber]).toEqual(['fifo', 'g', '10000000000000000001']);
      expect(second.stderr()).not.toMatch(/ (WARN|ERROR) +--- \[state\] /);
      // a reset empties it, and a waiting long poll on a queue that is gone ends
      const waiting = c.send(new ReceiveMessageCommand({ QueueUrl: q, WaitTimeSeconds: 20 })).then(() => 'answered', (e: Error) => e.name);
      expect((await fetch(`${second.endpoint}/_localstack/state/reset`, { method: 'POST' })).status).toBe(200);
      expect((await c.send(new ListQueuesCommand({}))).QueueUrls).toBeUndefined();
      expect(await waiting).toMatch(/^(answered|QueueDoesNotExist)$/);
    } finally {
      await second.stop();
    }
  });
});
