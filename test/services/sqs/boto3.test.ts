/**
 * SQS through boto3 (json), as Python users drive it: create, send with attributes, receive
 * with the deprecated AttributeNames naming system attributes (which AWS accepts), delete.
 * A missing boto3 fails the test (npm test installs it).
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime({ env: { STATE_AUDIT: '1', LOCALSTACK_HOST: 'localhost.localstack.cloud:4566' } });
});
afterAll(async () => {
  await rt?.stop();
});

const SCRIPT = `
import json, os, boto3
sqs = boto3.client('sqs', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
url = sqs.create_queue(QueueName='py', Attributes={'VisibilityTimeout': '9'})['QueueUrl']
sent = sqs.send_message(QueueUrl=url, MessageBody='from python', MessageAttributes={'k': {'DataType': 'String', 'StringValue': 'v'}, 'b': {'DataType': 'Binary', 'BinaryValue': b'\\x00\\x01'}})
got = sqs.receive_message(QueueUrl=url, AttributeNames=['SentTimestamp', 'ApproximateReceiveCount'], MessageAttributeNames=['All'])['Messages'][0]
sqs.delete_message(QueueUrl=url, ReceiptHandle=got['ReceiptHandle'])
try:
    sqs.get_queue_url(QueueName='missing')
    error = None
except sqs.exceptions.QueueDoesNotExist as e:
    error = e.response['Error']['Code']
print(json.dumps({'url': url, 'sent': sent['MD5OfMessageAttributes'], 'md5': got['MD5OfMessageAttributes'], 'body': got['Body'],
  'attributes': sorted(got['Attributes']), 'binary': list(got['MessageAttributes']['b']['BinaryValue']), 'error': error,
  'left': sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'])['Attributes']}))
`;

describe('SQS through boto3', () => {
  it('create, send, receive with system attribute names, delete, a modelled error', async () => {
    const out = await new Promise<string>((resolve, reject) =>
      execFile('python3', ['-c', SCRIPT], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ENDPOINT: rt.endpoint, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' }, timeout: 60_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    const result = JSON.parse(out) as Record<string, unknown>;
    expect(result).toEqual({
      url: 'http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/py',
      sent: result.md5, md5: expect.stringMatching(/^[0-9a-f]{32}$/), body: 'from python',
      attributes: ['ApproximateReceiveCount', 'SentTimestamp'], binary: [0, 1], error: 'AWS.SimpleQueueService.NonExistentQueue',
      left: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' },
    });
  });
});
