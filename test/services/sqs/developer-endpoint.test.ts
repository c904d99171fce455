/**
 * LocalStack's developer endpoint /_aws/sqs/messages against a runtime process: a look into a
 * queue that changes nothing (a real ReceiveMessage afterwards still gets every message, with
 * ApproximateReceiveCount 1), by queue URL (query string, form, json) or by region/account/name,
 * in XML, in JSON on Accept: application/json, and through @aws-sdk/client-sqs pointed at the
 * endpoint (whose MD5 checks pass); ShowInvisible and ShowDelayed; FIFO groups held back; the
 * errors LocalStack answers, the runtime serving afterwards.
 */
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';
import { expectAnswer } from '../../support/wire.js';

let rt: RuntimeProcess;
let sqs: SQSClient;
let peek: SQSClient;

beforeAll(async () => {
  rt = await startRuntime();
  sqs = new SQSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
  peek = new SQSClient({ ...clientConfig(`${rt.endpoint}/_aws/sqs/messages`), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

async function queueWith(name: string, bodies: string[], attributes: Record<string, string> = {}): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  for (const body of bodies) {
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, ...(name.endsWith('.fifo') ? { MessageGroupId: body.slice(0, 1), MessageDeduplicationId: body } : {}) }));
  }
  return QueueUrl!;
}

async function getJson(path: string): Promise<{ status: number; body: any }> {
  const res = await request(`${rt.endpoint}${path}`, { headers: { accept: 'application/json' } });
  return { status: res.statusCode, body: await res.body.json() };
}

describe('/_aws/sqs/messages', () => {
  it('lists the visible messages in XML, changing nothing', async () => {
    const QueueUrl = await queueWith('peek-xml', ['first']);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'second', MessageAttributes: { color: { DataType: 'String', StringValue: 'red' } } }));
    await expectAnswer(rt.endpoint, { method: 'GET', path: `/_aws/sqs/messages?QueueUrl=${encodeURIComponent(QueueUrl)}` }, {
      status: 200,
      headers: { 'content-type': /^text\/xml/ },
      xml: `<ReceiveMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><ReceiveMessageResult>
        <Message><MessageId>{{uuid}}</MessageId><ReceiptHandle>SQS/BACKDOOR/ACCESS</ReceiptHandle><MD5OfBody>8b04d5e3775d298e78455efc5ca404d5</MD5OfBody><Body>first</Body>
          <Attribute><Name>SenderId</Name><Value>{{*}}</Value></Attribute><Attribute><Name>ApproximateReceiveCount</Name><Value>0</Value></Attribute><Attribute><Name>SentTimestamp</Name><Value>{{/\\d{13}/}}</Value></Attribute></Message>
        <Message><MessageId>{{uuid}}</MessageId><ReceiptHandle>SQS/BACKDOOR/ACCESS</ReceiptHandle><MD5OfBody>a9f0e61a137d86aa9db53465e0801612</MD5OfBody><Body>second</Body>
          <Attribute><Name>SenderId</Name><Value>{{*}}</Value></Attribute><Attribute><Name>ApproximateReceiveCount</Name><Value>0</Value></Attribute><Attribute><Name>SentTimestamp</Name><Value>{{/\\d{13}/}}</Value></Attribute>
          <MD5OfMessageAttributes>{{/[0-9a-f]{32}/}}</MD5OfMessageAttributes><MessageAttribute><Name>color</Name><Value><StringValue>red</StringValue><DataType>String</DataType></Value></MessageAttribute></Message>
      </ReceiveMessageResult><ResponseMetadata><RequestId>{{request-id}}</RequestId></ResponseMetadata></ReceiveMessageResponse>`,
    });
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    expect(Messages?.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([['first', '1'], ['second', '1']]);
  });

  it('answers JSON on Accept: application/json, and by /<region>/<account>/<name>', async () => {
    await queueWith('peek-json', ['a', 'b']);
    const byPath = await getJson('/_aws/sqs/messages/us-east-1/000000000000/peek-json');
    expect(byPath.status).toBe(200);
    expect(byPath.body.ReceiveMessageResponse.ReceiveMessageResult.Messages.map((m: any) => m.Body)).toEqual(['a', 'b']);
    const legacyUrl = encodeURIComponent('http://localhost:4566/000000000000/peek-json');
    const byUrl = await getJson(`/_aws/sqs/messages?QueueUrl=${legacyUrl}`);
    expect(byUrl.body.ReceiveMessageResponse.ReceiveMessageResult).toEqual(byPath.body.ReceiveMessageResponse.ReceiveMessageResult);
  });

  it('takes a form POST, and an SDK pointed at it peeks (its MD5 checks pass)', async () => {
    const QueueUrl = await queueWith('peek-sdk', ['x', 'y', 'z']);
    const form = await request(`${rt.endpoint}/_aws/sqs/messages`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `Action=ReceiveMessage&QueueUrl=${encodeURIComponent(QueueUrl)}` });
    expect(form.statusCode).toBe(200);
    expect((await form.body.text()).match(/<Body>[xyz]<\/Body>/g)).toHaveLength(3);
    const first = await peek.send(new ReceiveMessageCommand({ QueueUrl }));
    const again = await peek.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(first.Messages?.map((m) => m.Body)).toEqual(['x', 'y', 'z']);
    expect(again.Messages?.map((m) => m.MessageId)).toEqual(first.Messages?.map((m) => m.MessageId));
    expect(first.Messages?.[0]?.ReceiptHandle).toBe('SQS/BACKDOOR/ACCESS');
  });

  it('ShowInvisible adds messages in flight, ShowDelayed delayed ones, each flagged', async () => {
    const QueueUrl = await queueWith('peek-flags', ['taken', 'waiting']);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'delayed', DelaySeconds: 900 }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(Messages?.[0]?.Body).toBe('taken'); // in flight now; 'waiting' is visible
    const base = '/_aws/sqs/messages/us-east-1/000000000000/peek-flags';
    const list = async (query: string) => ((await getJson(`${base}${query}`)).body.ReceiveMessageResponse.ReceiveMessageResult?.Messages ?? []) as any[];
    const flags = (m: any) => Object.fromEntries(Object.entries(m.Attributes as Record<string, string>).filter(([name]) => name.startsWith('Is')));
    expect((await list('')).map((m) => m.Body)).toEqual(['waiting']);
    expect((await list('?ShowInvisible=true')).map((m) => [m.Body, flags(m)])).toEqual([['taken', { IsVisible: 'false' }], ['waiting', { IsVisible: 'true' }]]);
    expect((await list('?ShowInvisible=1&ShowDelayed=true')).map((m) => [m.Body, flags(m)])).toEqual([
      ['taken', { IsVisible: 'false', IsDelayed: 'false' }], ['waiting', { IsVisible: 'true', IsDelayed: 'false' }], ['delayed', { IsVisible: 'false', IsDelayed: 'true' }],
    ]);
  });

  it('FIFO: messages behind their group\'s message in flight are not visible', async () => {
    const QueueUrl = await queueWith('peek.fifo', ['a1', 'a2', 'b1'], { FifoQueue: 'true' });
    await sqs.send(new ReceiveMessageCommand({ QueueUrl })); // a1 in flight: a2 waits behind it
    const visible = await peek.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(visible.Messages?.map((m) => [m.Body, m.Attributes?.MessageGroupId])).toEqual([['b1', 'b']]);
    const all = (await getJson('/_aws/sqs/messages/us-east-1/000000000000/peek.fifo?ShowInvisible=true')).body.ReceiveMessageResponse.ReceiveMessageResult.Messages as any[];
    expect(all.map((m) => m.Body)).toEqual(['a1', 'a2', 'b1']);
  });

  it('answers LocalStack\'s errors, and the runtime keeps serving', async () => {
    await expectAnswer(rt.endpoint, { method: 'GET', path: '/_aws/sqs/messages' }, {
      status: 400,
      xml: '<ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist.</Message></Error><RequestId>{{request-id}}</RequestId></ErrorResponse>',
    });
    expect(await sdkError(peek.send(new ReceiveMessageCommand({ QueueUrl: `${rt.endpoint}/000000000000/nope` })))).toMatchObject({ name: 'QueueDoesNotExist', status: 400 });
    expect(await sdkError(peek.send(new ReceiveMessageCommand({ QueueUrl: 'not a url' })))).toMatchObject({ name: 'InvalidAddress', status: 404 });
    expect(await sdkError(peek.send(new SendMessageCommand({ QueueUrl: `${rt.endpoint}/000000000000/peek-xml`, MessageBody: 'm' })))).toMatchObject({ name: 'InvalidRequest', message: 'This endpoint only accepts ReceiveMessage calls' });
    expect((await request(`${rt.endpoint}/_aws/sqs/other`)).statusCode).toBe(404);
    expect((await request(`${rt.endpoint}/_aws/no-such-service/x`)).statusCode).toBe(404);
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${rt.endpoint}/000000000000/peek-sdk`, MaxNumberOfMessages: 10 }));
    expect(Messages).toHaveLength(3);
  });
});
