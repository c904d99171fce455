/**
 * The messaging scenarios (issue #15), as cycles (cycles.ts): each needs an answer before its
 * next request.
 *
 * - `sqs SendMessage + ReceiveMessage + DeleteMessage`: SQS's json protocol, as current SDKs
 *   send it (`application/x-amz-json-1.0`, `x-amzn-query-mode: true`). One queue per
 *   connection, so that a receive always finds the message its own cycle sent (with one shared
 *   queue, 32 workers would take each other's messages and some receives would come back
 *   empty, which measures the race, not the service). Every request counts, each with its own
 *   latency, as the other rows count theirs.
 * - `sns Publish fanned out to 10 queues`: per connection, a topic and 10 queues, each
 *   subscribed (the default envelope delivery, not raw: what a subscription gets unless told
 *   otherwise, and the larger work: the Notification document, signed). A cycle publishes one
 *   message and long-polls the last subscribed queue until that message (its MessageId in the
 *   envelope) is there, then deletes it; the row counts cycles, with their end-to-end latency.
 *   The other nine queues keep their copies (nothing reads them): deleting them would measure
 *   27 more requests per cycle.
 *
 * Queue URLs are the ones each target answered (their forms differ); queue ARNs come from
 * GetQueueAttributes (accounts differ: moto's is 123456789012). Against the bare baseline the
 * same requests are sent and its fixed answers taken as they come (baseline-server.ts answers
 * json-protocol requests with a small ReceiveMessage-shaped document).
 */
import type { Caller, Cycle, CycleScenario } from './cycles.js';
import { sign, type SignedRequest } from './signing.js';

const SQS_JSON = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-mode': 'true' };
const FORM = 'application/x-www-form-urlencoded; charset=utf-8';
const BODY = 'bench message: '.padEnd(100, 'x');
const FAN_OUT = 10;

const sqsRequest = (operation: string, input: unknown): SignedRequest => ({ method: 'POST', path: '/', headers: { ...SQS_JSON, 'x-amz-target': `AmazonSQS.${operation}` }, body: JSON.stringify(input) });
const snsRequest = (params: Record<string, string>): SignedRequest => ({ method: 'POST', path: '/', headers: { 'content-type': FORM }, body: new URLSearchParams({ ...params, Version: '2010-03-31' }).toString() });

interface ReceivedMessage {
  ReceiptHandle: string;
  Body?: string;
}

function messages(text: string): ReceivedMessage[] {
  return (JSON.parse(text) as { Messages?: ReceivedMessage[] }).Messages ?? [];
}

/** The one element `name` of a query-protocol answer. */
function xmlValue(text: string, name: string): string {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(text);
  if (!m) throw new Error(`no ${name} in ${text.slice(0, 200)}`);
  return m[1]!;
}

/** Creates a queue (or finds it) and answers its URL and ARN as the target gives them. */
async function queue(c: Caller, name: string): Promise<{ url: string; arn: string }> {
  if (c.bare) return { url: `http://${c.host}/000000000000/${name}`, arn: `arn:aws:sqs:us-east-1:000000000000:${name}` };
  const url = (JSON.parse(await c.call('sqs', sqsRequest('CreateQueue', { QueueName: name }))) as { QueueUrl: string }).QueueUrl;
  const attributes = JSON.parse(await c.call('sqs', sqsRequest('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['QueueArn'] }))) as { Attributes: { QueueArn: string } };
  return { url, arn: attributes.Attributes.QueueArn };
}

const deleteMessage = (c: Caller, url: string, m: ReceivedMessage) => c.call('sqs', sqsRequest('DeleteMessage', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));

export const MESSAGING_SCENARIOS: readonly CycleScenario[] = [
  {
    kind: 'cycle',
    name: 'sqs SendMessage + ReceiveMessage + DeleteMessage',
    services: ['sqs'],
    per: 'request',
    async worker(c, index): Promise<Cycle> {
      const { url } = await queue(c, `bench-sqs-${index}`);
      const send = await sign('sqs', c.host, sqsRequest('SendMessage', { QueueUrl: url, MessageBody: BODY }));
      const receive = await sign('sqs', c.host, sqsRequest('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 1, WaitTimeSeconds: 0 }));
      // only when a receive found nothing (it should not: the message was sent before it)
      const wait = await sign('sqs', c.host, sqsRequest('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }));
      return async (caller) => {
        await caller.send(send);
        let got = messages(await caller.send(receive));
        for (let i = 0; got.length === 0 && i < 3; i++) got = messages(await caller.send(wait));
        if (got.length === 0) throw new Error(`${url}: the message sent was not received`);
        await deleteMessage(caller, url, got[0]!);
      };
    },
  },
  {
    kind: 'cycle',
    name: `sns Publish fanned out to ${FAN_OUT} queues`,
    services: ['sns', 'sqs'],
    per: 'cycle',
    unit: 'messages/s (p50/p99 ms to the last queue)',
    async worker(c, index): Promise<Cycle> {
      const name = `bench-fanout-${index}`;
      const topicArn = c.bare ? `arn:aws:sns:us-east-1:000000000000:${name}` : xmlValue(await c.call('sns', snsRequest({ Action: 'CreateTopic', Name: name })), 'TopicArn');
      let last = { url: '', arn: '' };
      for (let q = 0; q < FAN_OUT; q++) {
        last = await queue(c, `${name}-q${q}`);
        if (!c.bare) await c.call('sns', snsRequest({ Action: 'Subscribe', TopicArn: topicArn, Protocol: 'sqs', Endpoint: last.arn }));
      }
      const publish = await sign('sns', c.host, snsRequest({ Action: 'Publish', TopicArn: topicArn, Message: BODY }));
      const receive = await sign('sqs', c.host, sqsRequest('ReceiveMessage', { QueueUrl: last.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }));
      return async (caller) => {
        const published = await caller.send(publish);
        const id = caller.bare ? '' : xmlValue(published, 'MessageId');
        const deadline = performance.now() + 10_000;
        for (;;) {
          if (performance.now() > deadline) throw new Error(`${last.url}: message ${id} not delivered within 10 s`);
          let found = false;
          for (const m of messages(await caller.send(receive))) {
            // anything else there (a copy a failed cycle left) is deleted on the way
            await deleteMessage(caller, last.url, m);
            if (caller.bare || m.Body?.includes(id)) found = true;
          }
          if (found) return;
        }
      };
    },
  },
];
