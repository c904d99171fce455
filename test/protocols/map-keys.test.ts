/**
 * Map keys are the client's data, whatever they spell: a message attribute or tag named
 * `__proto__` (or `constructor`) goes in and comes out like any other, in the json and query
 * protocols, through SQS's stored messages and tags (the runtime audits its state: an object
 * with a foreign prototype there would fail every later request), with the MD5 AWS computes
 * over the attributes. The SDKs for JavaScript drop such keys themselves, so the requests are
 * written by hand (test/support/wire.ts).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../support/runtime.js';
import { jsonRpc, query, send } from '../support/wire.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime({ env: { STATE_AUDIT: '1' } });
});
afterAll(async () => {
  await rt?.stop();
});

const sqs = (op: string, input: unknown) => jsonRpc('sqs', `AmazonSQS.${op}`, input, { version: '1.0' });

/** MD5OfMessageAttributes as the SQS developer guide defines it, for string attributes. */
function md5OfStringAttributes(attributes: Record<string, string>): string {
  const hash = createHash('md5');
  const prefixed = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    prefixed(name);
    prefixed('String');
    hash.update(Buffer.from([1]));
    prefixed(attributes[name]!);
  }
  return hash.digest('hex');
}

describe('map keys named like Object.prototype members', () => {
  it('SQS json: message attributes __proto__ and constructor are sent, stored and received, with their MD5', async () => {
    const created = JSON.parse((await send(rt.endpoint, sqs('CreateQueue', { QueueName: 'keys' }))).text) as { QueueUrl: string };
    const body = `{"QueueUrl":${JSON.stringify(created.QueueUrl)},"MessageBody":"m","MessageAttributes":{"__proto__":{"DataType":"String","StringValue":"p"},"constructor":{"DataType":"String","StringValue":"c"}}}`;
    const request = sqs('SendMessage', {});
    const sent = await send(rt.endpoint, { ...request, body });
    expect(sent.status, sent.text).toBe(200);
    const md5 = md5OfStringAttributes({ ['__proto__']: 'p', constructor: 'c' });
    expect(JSON.parse(sent.text).MD5OfMessageAttributes).toBe(md5);

    const received = await send(rt.endpoint, sqs('ReceiveMessage', { QueueUrl: created.QueueUrl, MessageAttributeNames: ['All'] }));
    expect(received.status, received.text).toBe(200);
    const [message] = (JSON.parse(received.text) as { Messages: Array<{ MessageAttributes: Record<string, unknown>; MD5OfMessageAttributes: string }> }).Messages;
    expect(Object.keys(message!.MessageAttributes).sort()).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(message!.MessageAttributes, '__proto__')?.value).toEqual({ DataType: 'String', StringValue: 'p' });
    expect(message!.MD5OfMessageAttributes).toBe(md5);
  });

  it('SQS query: a tag named __proto__ is kept and listed; the server keeps serving', async () => {
    const created = await send(rt.endpoint, query('sqs', 'CreateQueue', '2012-11-05', { QueueName: 'tagged' }, { json: true }));
    const QueueUrl = (JSON.parse(created.text) as { CreateQueueResponse: { CreateQueueResult: { QueueUrl: string } } }).CreateQueueResponse.CreateQueueResult.QueueUrl;
    const tagged = await send(rt.endpoint, query('sqs', 'TagQueue', '2012-11-05', { QueueUrl, 'Tag.1.Key': '__proto__', 'Tag.1.Value': 'v', 'Tag.2.Key': 'team', 'Tag.2.Value': 'a' }));
    expect(tagged.status, tagged.text).toBe(200);
    const listed = await send(rt.endpoint, sqs('ListQueueTags', { QueueUrl }));
    expect(listed.status, listed.text).toBe(200);
    const tags = (JSON.parse(listed.text) as { Tags: Record<string, string> }).Tags;
    expect(Object.keys(tags).sort()).toEqual(['__proto__', 'team']);
    expect(Object.getOwnPropertyDescriptor(tags, '__proto__')?.value).toBe('v');
    expect((await send(rt.endpoint, sqs('ListQueues', {}))).status).toBe(200);
  });
});
