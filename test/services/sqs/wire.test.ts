/**
 * SQS at the level of the wire: status, headers and the WHOLE document of each answer
 * (test/support/wire.ts), in both protocols SQS speaks: json (current SDKs) and query (the
 * AWS CLI v1, older SDKs), the query one also in its JSON form (Accept: application/json).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectAnswer, jsonRpc, query } from '../../support/wire.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime({ env: { STATE_AUDIT: '1', LOCALSTACK_HOST: 'localhost.localstack.cloud:4566' } });
});
afterAll(async () => {
  await rt?.stop();
});

const NS = 'http://queue.amazonaws.com/doc/2012-11-05/';
const V = '2012-11-05';
const URL_W = 'http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/w';
const JSON_HEADERS = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': /^[0-9a-f-]{36}$/ };
const json = (op: string, input: unknown) => jsonRpc('sqs', `AmazonSQS.${op}`, input, { version: '1.0' });

describe('SQS on the wire, json', () => {
  it('CreateQueue, SendMessage, ReceiveMessage, GetQueueAttributes, DeleteMessage: whole documents', async () => {
    await expectAnswer(rt.endpoint, json('CreateQueue', { QueueName: 'w' }), { status: 200, headers: JSON_HEADERS, json: { QueueUrl: URL_W } });
    await expectAnswer(rt.endpoint, json('SendMessage', { QueueUrl: URL_W, MessageBody: 'hi' }), {
      status: 200, headers: JSON_HEADERS, json: { MessageId: expect.stringMatching(/^[0-9a-f-]{36}$/), MD5OfMessageBody: '49f68a5c8493ec2c0bf489821c21fc3b' },
    });
    const received = await expectAnswer(rt.endpoint, json('ReceiveMessage', { QueueUrl: URL_W, MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'] }), {
      status: 200, headers: JSON_HEADERS,
      json: { Messages: [{ MessageId: expect.any(String), ReceiptHandle: expect.any(String), MD5OfBody: '49f68a5c8493ec2c0bf489821c21fc3b', Body: 'hi', Attributes: { ApproximateReceiveCount: '1', SentTimestamp: expect.stringMatching(/^\d{13}$/) } }] },
    });
    await expectAnswer(rt.endpoint, json('GetQueueAttributes', { QueueUrl: URL_W, AttributeNames: ['ApproximateNumberOfMessagesNotVisible', 'VisibilityTimeout'] }), {
      status: 200, headers: JSON_HEADERS, json: { Attributes: { ApproximateNumberOfMessagesNotVisible: '1', VisibilityTimeout: '30' } },
    });
    const handle = (JSON.parse(received.text) as { Messages: [{ ReceiptHandle: string }] }).Messages[0].ReceiptHandle;
    await expectAnswer(rt.endpoint, json('DeleteMessage', { QueueUrl: URL_W, ReceiptHandle: handle }), { status: 200, headers: JSON_HEADERS, json: {} });
    await expectAnswer(rt.endpoint, json('ReceiveMessage', { QueueUrl: URL_W }), { status: 200, headers: JSON_HEADERS, json: {} });
  });

  it('MD5OfMessageAttributes as AWS computes it (known vectors: aws-sdk-go-v2 checks, the docs example)', async () => {
    await expectAnswer(rt.endpoint, json('SendMessage', {
      QueueUrl: URL_W, MessageBody: 'x',
      MessageAttributes: { ordinal: { DataType: 'Number', StringValue: '1' }, category: { DataType: 'String', StringValue: 'test' } },
    }), { status: 200, headers: JSON_HEADERS, json: { MessageId: expect.any(String), MD5OfMessageBody: '9dd4e461268c8034f5c8564e155c67a6', MD5OfMessageAttributes: 'd21ae90c49061e927f57df5f5d72be1f' } });
    await expectAnswer(rt.endpoint, json('SendMessage', { QueueUrl: URL_W, MessageBody: 'x', MessageAttributes: { SellerName: { DataType: 'String', StringValue: 'Example Store' } } }), {
      status: 200, headers: JSON_HEADERS, json: { MessageId: expect.any(String), MD5OfMessageBody: '9dd4e461268c8034f5c8564e155c67a6', MD5OfMessageAttributes: 'cd28f3b68aeee4b2eac9c66f2f694b58' },
    });
  });

  it('errors: the shape id in __type and the query code in x-amzn-query-error, as the SQS developer guide shows', async () => {
    await expectAnswer(rt.endpoint, json('GetQueueUrl', { QueueName: 'nope' }), {
      status: 400, headers: { ...JSON_HEADERS, 'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender' },
      json: { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' },
    });
    await expectAnswer(rt.endpoint, json('DeleteMessage', { QueueUrl: URL_W, ReceiptHandle: 'garbage' }), {
      status: 404, headers: { ...JSON_HEADERS, 'x-amzn-query-error': 'ReceiptHandleIsInvalid;Sender' },
      json: { __type: 'com.amazonaws.sqs#ReceiptHandleIsInvalid', message: 'The input receipt handle "garbage" is not a valid receipt handle.' },
    });
    // the query heritage's InvalidParameterValue: its json shape name in __type (botocore's QueryErrorCode of AWS's answers)
    await expectAnswer(rt.endpoint, json('ReceiveMessage', { QueueUrl: URL_W, MaxNumberOfMessages: 11 }), {
      status: 400, headers: { ...JSON_HEADERS, 'x-amzn-query-error': 'InvalidParameterValue;Sender' },
      json: { __type: 'com.amazonaws.sqs#InvalidParameterValueException', message: 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.' },
    });
    expect((await fetch(`${rt.endpoint}/_localstack/health`)).status).toBe(200);
  });
});

describe('SQS on the wire, query (XML and its JSON form)', () => {
  it('CreateQueue, SendMessage, GetQueueAttributes, ListQueues: whole documents', async () => {
    await expectAnswer(rt.endpoint, query('sqs', 'CreateQueue', V, { QueueName: 'wq' }), {
      status: 200, headers: { 'content-type': 'text/xml' },
      xml: `<CreateQueueResponse xmlns="${NS}"><CreateQueueResult><QueueUrl>http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/wq</QueueUrl></CreateQueueResult>
        <ResponseMetadata><RequestId>{{uuid}}</RequestId></ResponseMetadata></CreateQueueResponse>`,
    });
    await expectAnswer(rt.endpoint, query('sqs', 'CreateQueue', V, { QueueName: 'wq' }, { json: true }), {
      status: 200, headers: { 'content-type': 'application/json' },
      json: { CreateQueueResponse: { CreateQueueResult: { QueueUrl: 'http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/wq' }, ResponseMetadata: { RequestId: expect.any(String) } } },
    });
    await expectAnswer(rt.endpoint, query('sqs', 'SendMessage', V, {
      QueueUrl: 'http://localhost:4566/000000000000/wq', MessageBody: 'hi',
      'MessageAttribute.1.Name': 'a', 'MessageAttribute.1.Value.DataType': 'String', 'MessageAttribute.1.Value.StringValue': 'b',
    }), {
      status: 200, headers: { 'content-type': 'text/xml' },
      xml: `<SendMessageResponse xmlns="${NS}"><SendMessageResult><MD5OfMessageBody>49f68a5c8493ec2c0bf489821c21fc3b</MD5OfMessageBody>
        <MD5OfMessageAttributes>{{/^[0-9a-f]{32}$/}}</MD5OfMessageAttributes><MessageId>{{uuid}}</MessageId></SendMessageResult>
        <ResponseMetadata><RequestId>{{uuid}}</RequestId></ResponseMetadata></SendMessageResponse>`,
    });
    await expectAnswer(rt.endpoint, query('sqs', 'GetQueueAttributes', V, { QueueUrl: 'http://localhost:4566/000000000000/wq', 'AttributeName.1': 'ApproximateNumberOfMessages', 'AttributeName.2': 'DelaySeconds' }), {
      status: 200, headers: { 'content-type': 'text/xml' },
      xml: `<GetQueueAttributesResponse xmlns="${NS}"><GetQueueAttributesResult>
        <Attribute><Name>ApproximateNumberOfMessages</Name><Value>1</Value></Attribute><Attribute><Name>DelaySeconds</Name><Value>0</Value></Attribute>
        </GetQueueAttributesResult><ResponseMetadata><RequestId>{{uuid}}</RequestId></ResponseMetadata></GetQueueAttributesResponse>`,
    });
    await expectAnswer(rt.endpoint, query('sqs', 'ListQueues', V, { QueueNamePrefix: 'wq' }), {
      status: 200, headers: { 'content-type': 'text/xml' },
      xml: `<ListQueuesResponse xmlns="${NS}"><ListQueuesResult><QueueUrl>http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/wq</QueueUrl></ListQueuesResult>
        <ResponseMetadata><RequestId>{{uuid}}</RequestId></ResponseMetadata></ListQueuesResponse>`,
    });
  });

  it('SendMessageBatch: flattened result and error entries, in XML and JSON; a batch-level error', async () => {
    const params = {
      QueueUrl: 'http://localhost:4566/000000000000/wq',
      'SendMessageBatchRequestEntry.1.Id': 'a', 'SendMessageBatchRequestEntry.1.MessageBody': 'hi',
      'SendMessageBatchRequestEntry.2.Id': 'b', 'SendMessageBatchRequestEntry.2.MessageBody': '\u0001',
    };
    const invalid = 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF';
    await expectAnswer(rt.endpoint, query('sqs', 'SendMessageBatch', V, params), {
      status: 200, headers: { 'content-type': 'text/xml' },
      xml: `<SendMessageBatchResponse xmlns="${NS}"><SendMessageBatchResult>
        <SendMessageBatchResultEntry><Id>a</Id><MessageId>{{uuid}}</MessageId><MD5OfMessageBody>49f68a5c8493ec2c0bf489821c21fc3b</MD5OfMessageBody></SendMessageBatchResultEntry>
        <BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault><Code>InvalidMessageContents</Code><Message>${invalid}</Message></BatchResultErrorEntry>
        </SendMessageBatchResult><ResponseMetadata><RequestId>{{uuid}}</RequestId></ResponseMetadata></SendMessageBatchResponse>`,
    });
    await expectAnswer(rt.endpoint, query('sqs', 'SendMessageBatch', V, params, { json: true }), {
      status: 200, headers: { 'content-type': 'application/json' },
      json: { SendMessageBatchResponse: { SendMessageBatchResult: {
        Successful: [{ Id: 'a', MessageId: expect.any(String), MD5OfMessageBody: '49f68a5c8493ec2c0bf489821c21fc3b' }],
        Failed: [{ Id: 'b', SenderFault: true, Code: 'InvalidMessageContents', Message: invalid }],
      }, ResponseMetadata: { RequestId: expect.any(String) } } },
    });
    await expectAnswer(rt.endpoint, query('sqs', 'SendMessageBatch', V, { ...params, 'SendMessageBatchRequestEntry.2.Id': 'a' }), {
      status: 400, headers: { 'content-type': 'text/xml' },
      xml: `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>AWS.SimpleQueueService.BatchEntryIdsNotDistinct</Code><Message>Id a repeated.</Message></Error>
        <RequestId>{{uuid}}</RequestId></ErrorResponse>`,
    });
    await expectAnswer(rt.endpoint, json('SendMessageBatch', { QueueUrl: URL_W, Entries: [{ Id: 'a', MessageBody: 'hi' }, { Id: 'b', MessageBody: '\u0001' }] }), {
      status: 200, headers: JSON_HEADERS,
      json: { Successful: [{ Id: 'a', MessageId: expect.any(String), MD5OfMessageBody: '49f68a5c8493ec2c0bf489821c21fc3b' }], Failed: [{ Id: 'b', SenderFault: true, Code: 'InvalidMessageContents', Message: invalid }] },
    });
  });

  it('errors: the query code (AWS.SimpleQueueService.*), in XML and JSON', async () => {
    await expectAnswer(rt.endpoint, query('sqs', 'GetQueueUrl', V, { QueueName: 'nope' }), {
      status: 400, headers: { 'content-type': 'text/xml' },
      xml: `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist.</Message></Error>
        <RequestId>{{uuid}}</RequestId></ErrorResponse>`,
    });
    await expectAnswer(rt.endpoint, query('sqs', 'GetQueueUrl', V, { QueueName: 'nope' }, { json: true }), {
      status: 400, headers: { 'content-type': 'application/json' },
      json: { Error: { Code: 'AWS.SimpleQueueService.NonExistentQueue', Message: 'The specified queue does not exist.', Type: 'Sender' }, RequestId: expect.any(String) },
    });
  });
});
