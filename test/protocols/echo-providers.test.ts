/**
 * The protocol codecs against real clients, through providers that echo what they were
 * given: what the AWS CLI / SDK sent must arrive parsed exactly, and what the provider
 * returns must reach the client decoded exactly. (ec2 and rest-json have no provider yet,
 * so test-only providers stand in; the runtime and the socket are real.)
 */
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetQueueUrlCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ServiceError } from '../../runtime/aws/errors.js';
import { describe, expect, it } from 'vitest';
import type { ProviderRegistry } from '../../runtime/services/registry.js';
import { aws } from '../support/aws-cli.js';
import { clientConfig, withInProcessRuntime } from '../support/runtime.js';
import { sdkError } from '../support/sdk-error.js';

const seen: Record<string, unknown> = {};

const registry: ProviderRegistry = {
  sqs: {
    load: async () => ({
      createProvider: () => ({
        operations: {
          ListQueues(ctx, input) {
            seen.ListQueues = input;
            return { QueueUrls: [`http://sqs.${ctx.region}.localhost.localstack.cloud:4566/${ctx.accountId}/q1`] };
          },
          SendMessage(_ctx, input) {
            seen.SendMessage = input;
            return { MessageId: 'm1', MD5OfMessageBody: 'd1' };
          },
          ReceiveMessage(_ctx, input) {
            seen.ReceiveMessage = input;
            return { Messages: [{ MessageId: 'm1', Body: 'hi', Attributes: { SenderId: 's1' }, MessageAttributes: { a: { DataType: 'String', StringValue: 'v' } } }] };
          },
          GetQueueUrl(_ctx, input) {
            throw new ServiceError('QueueDoesNotExist', `The specified queue ${input.QueueName} does not exist.`, {
              queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
            });
          },
        },
      }),
    }),
  },
  ec2: {
    load: async () => ({
      createProvider: () => ({
        operations: {
          RunInstances(_ctx, input) {
            seen.RunInstances = input;
            return { ReservationId: 'r-1', Instances: [] };
          },
          DescribeVpcs(_ctx, input) {
            seen.DescribeVpcs = input;
            return {
              Vpcs: (input.VpcIds ?? ['vpc-default']).map((id: string, i: number) => ({
                VpcId: id,
                CidrBlock: `10.${i}.0.0/16`,
                IsDefault: i === 0,
                Tags: [{ Key: 'Name', Value: `net <${i}> & "more"` }],
              })),
            };
          },
        },
      }),
    }),
  },
  lambda: {
    // the function name has a space on purpose (URI encoding), which Lambda's pattern refuses:
    // this echo wants to see what arrived, unvalidated
    validation: false,
    load: async () => ({
      createProvider: () => ({
        operations: {
          GetFunction(ctx, input) {
            seen.GetFunction = { input, region: ctx.region, account: ctx.accountId };
            return {
              Configuration: { FunctionName: input.FunctionName, Runtime: 'nodejs20.x', MemorySize: 128, LastModified: '2026-01-01T00:00:00.000+0000' },
              Tags: { team: 'a' },
            };
          },
          ListFunctions(_ctx, input) {
            ((seen.ListFunctions ??= []) as unknown[]).push(input);
            return input.Marker ? { Functions: [{ FunctionName: 'f2', Timeout: 9 }] } : { Functions: [{ FunctionName: 'f1', Timeout: 3 }], NextMarker: 'page 2/2' };
          },
          InvokeWithResponseStream(_ctx, input) {
            seen.InvokeWithResponseStream = input;
            return {
              StatusCode: 200,
              ExecutedVersion: '$LATEST',
              EventStream: [
                { PayloadChunk: { Payload: Buffer.from('hello ') } },
                { PayloadChunk: { Payload: Buffer.from([0, 1, 2, 255]) } },
                { InvokeComplete: { LogResult: 'bG9ncw==', ErrorCode: '', ErrorDetails: '' } },
              ],
            };
          },
          Invoke(_ctx, input) {
            seen.Invoke = { ...input, Payload: Buffer.from(input.Payload as Buffer).toString('utf8') };
            // a header value Node refuses to send, as a buggy provider might return
            if (input.FunctionName === 'bad-header') return { StatusCode: 200, ExecutedVersion: 'a\nb' };
            return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: Buffer.from('{"ok":true}') };
          },
        },
      }),
    }),
  },
};

let endpoint: string;
withInProcessRuntime(registry, (url) => (endpoint = url));

describe('ec2 protocol', () => {
  it('the AWS CLI: lists as Name.N, filters, <item> lists back, escaped text', async () => {
    const r = await aws(endpoint, ['ec2', 'describe-vpcs', '--vpc-ids', 'vpc-1', 'vpc-2', '--filters', 'Name=cidr,Values=10.0.0.0/16,10.1.0.0/16']);
    expect(r.code, r.stderr).toBe(0);
    expect(seen.DescribeVpcs).toEqual({
      VpcIds: ['vpc-1', 'vpc-2'],
      Filters: [{ Name: 'cidr', Values: ['10.0.0.0/16', '10.1.0.0/16'] }],
    });
    expect(r.json.Vpcs).toEqual([
      { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16', IsDefault: true, Tags: [{ Key: 'Name', Value: 'net <0> & "more"' }] },
      { VpcId: 'vpc-2', CidrBlock: '10.1.0.0/16', IsDefault: false, Tags: [{ Key: 'Name', Value: 'net <1> & "more"' }] },
    ]);
  });

  it('@aws-sdk/client-ec2 decodes the same response', async () => {
    const r = await new EC2Client(clientConfig(endpoint)).send(new DescribeVpcsCommand({ VpcIds: ['vpc-9'], DryRun: false }));
    expect(seen.DescribeVpcs).toEqual({ VpcIds: ['vpc-9'], DryRun: false });
    expect(r.Vpcs?.[0]).toMatchObject({ VpcId: 'vpc-9', IsDefault: true });
  });
});

describe('idempotency tokens', () => {
  const run = (extra: string) =>
    fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: `Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MinCount=1&MaxCount=1${extra}`,
    });

  it('a token the client sent arrives as sent', async () => {
    expect((await run('&ClientToken=mine')).status).toBe(200);
    expect(seen.RunInstances).toMatchObject({ ClientToken: 'mine' });
  });

  it('a token the client left out is filled in with a fresh UUID', async () => {
    expect((await run('')).status).toBe(200);
    const first = (seen.RunInstances as { ClientToken: string }).ClientToken;
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await run('');
    expect((seen.RunInstances as { ClientToken: string }).ClientToken).not.toBe(first);
  });
});

describe('rest-json protocol', () => {
  it('URI labels and query strings in, JSON body out', async () => {
    const r = await aws(endpoint, ['lambda', 'get-function', '--function-name', 'my fn:1', '--qualifier', 'prod'], { AWS_DEFAULT_REGION: 'eu-west-1' });
    expect(r.code, r.stderr).toBe(0);
    expect(seen.GetFunction).toEqual({ input: { FunctionName: 'my fn:1', Qualifier: 'prod' }, region: 'eu-west-1', account: '000000000000' });
    expect(r.json).toEqual({
      Configuration: { FunctionName: 'my fn:1', Runtime: 'nodejs20.x', MemorySize: 128, LastModified: '2026-01-01T00:00:00.000+0000' },
      Tags: { team: 'a' },
    });
  });

  it('typed query parameters, pagination markers', async () => {
    const r = await aws(endpoint, ['lambda', 'list-functions', '--page-size', '5', '--function-version', 'ALL']);
    expect(r.code, r.stderr).toBe(0);
    expect(seen.ListFunctions).toEqual([
      { MaxItems: 5, FunctionVersion: 'ALL' },
      { MaxItems: 5, FunctionVersion: 'ALL', Marker: 'page 2/2' },
    ]);
    expect(r.json.Functions).toEqual([
      { FunctionName: 'f1', Timeout: 3 },
      { FunctionName: 'f2', Timeout: 9 },
    ]);
  });

  it('a raw payload in, header-bound members and a raw payload out', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const out = join(mkdtempSync(join(tmpdir(), 'invoke-')), 'out.json');
    const r = await aws(endpoint, ['lambda', 'invoke', '--function-name', 'f1', '--invocation-type', 'RequestResponse', '--payload', '{"a":1}', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(seen.Invoke).toMatchObject({ FunctionName: 'f1', InvocationType: 'RequestResponse', Payload: '{"a":1}' });
    expect(r.json).toEqual({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    expect(readFileSync(out, 'utf8')).toBe('{"ok":true}');
  });
});

describe('event streams', () => {
  it('@aws-sdk/client-lambda reads InvokeWithResponseStream events, framed with their CRCs', async () => {
    const { LambdaClient, InvokeWithResponseStreamCommand } = await import('@aws-sdk/client-lambda');
    const lambda = new LambdaClient(clientConfig(endpoint));
    const r = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'streamer', Payload: Buffer.from('{}') }));
    expect(r.StatusCode).toBe(200);
    expect(r.ExecutedVersion).toBe('$LATEST');
    const events: unknown[] = [];
    for await (const event of r.EventStream!) {
      events.push(event.PayloadChunk ? { chunk: Buffer.from(event.PayloadChunk.Payload!).toString('hex') } : event);
    }
    expect(events).toEqual([
      { chunk: Buffer.from('hello ').toString('hex') },
      { chunk: '000102ff' },
      { InvokeComplete: { LogResult: 'bG9ncw==', ErrorCode: '', ErrorDetails: '' } },
    ]);
  });
});

describe('a response Node cannot write', () => {
  it('answers a bare 500 and the server stays up', async () => {
    const invoke = (name: string) =>
      fetch(`${endpoint}/2015-03-31/functions/${name}/invocations`, {
        method: 'POST',
        headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0' },
        body: '{}',
      });
    expect((await invoke('bad-header')).status).toBe(500);
    expect((await invoke('f1')).status).toBe(200);
  });
});

describe('json protocol with awsQueryCompatible (SQS)', () => {
  it('SDK v3 speaks JSON 1.0 and reads the query error code from x-amzn-query-error', async () => {
    const sqs = new SQSClient(clientConfig(endpoint, '123456789012'));
    const list = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'q', MaxResults: 10 }));
    expect(seen.ListQueues).toEqual({ QueueNamePrefix: 'q', MaxResults: 10 });
    expect(list.QueueUrls).toEqual(['http://sqs.us-east-1.localhost.localstack.cloud:4566/123456789012/q1']);
    const e = await sdkError(sqs.send(new GetQueueUrlCommand({ QueueName: 'missing' })));
    expect(e).toEqual({
      name: 'QueueDoesNotExist',
      code: 'AWS.SimpleQueueService.NonExistentQueue',
      message: 'The specified queue missing does not exist.',
      status: 400,
      attempts: 1,
    });
  });

  it('the AWS CLI sees the query error code', async () => {
    const r = await aws(endpoint, ['sqs', 'get-queue-url', '--queue-name', 'missing']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('AWS.SimpleQueueService.NonExistentQueue');
  });

  // the names of SQS's query API (patches.json), as clients of before the json switch send them
  it('query requests name attributes, tags and entries the query way, and answers have a result', async () => {
    const query = (body: string) =>
      fetch(`${endpoint}/123456789012/q1`, {
        method: 'POST',
        headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0', 'content-type': 'application/x-www-form-urlencoded' },
        body: `Version=2012-11-05&QueueUrl=http://x/123456789012/q1&${body}`,
      });
    const sent = await query('Action=SendMessage&MessageBody=hi&MessageAttribute.1.Name=a&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=v');
    expect(seen.SendMessage).toEqual({ QueueUrl: 'http://x/123456789012/q1', MessageBody: 'hi', MessageAttributes: { a: { DataType: 'String', StringValue: 'v' } } });
    expect(await sent.text()).toContain('<SendMessageResult><MD5OfMessageBody>d1</MD5OfMessageBody><MessageId>m1</MessageId></SendMessageResult>');
    const received = await query('Action=ReceiveMessage&AttributeName.1=All&MessageAttributeName.1=a');
    expect(seen.ReceiveMessage).toEqual({ QueueUrl: 'http://x/123456789012/q1', AttributeNames: ['All'], MessageAttributeNames: ['a'] });
    expect(await received.text()).toContain(
      '<ReceiveMessageResult><Message><MessageId>m1</MessageId><Body>hi</Body><Attribute><Name>SenderId</Name><Value>s1</Value></Attribute>' +
        '<MessageAttribute><Name>a</Name><Value><StringValue>v</StringValue><DataType>String</DataType></Value></MessageAttribute></Message></ReceiveMessageResult>',
    );
  });
});
