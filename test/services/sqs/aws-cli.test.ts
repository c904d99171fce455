/**
 * SQS through the real AWS CLI, in both protocols: json (what the CLI from PyPI speaks now)
 * and query (the CLI given SQS's last query model through AWS_DATA_PATH, as older CLIs and
 * SDKs speak it). The CLI checks MD5OfMessageBody itself (botocore).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../../support/aws-cli.js';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { SQS_QUERY_MODEL } from '../../conformance/botocore.js';

let rt: RuntimeProcess;
const models = mkdtempSync(join(tmpdir(), 'ls-sqs-cli-'));
beforeAll(async () => {
  mkdirSync(join(models, 'sqs', '2012-11-05'), { recursive: true });
  copyFileSync(SQS_QUERY_MODEL, join(models, 'sqs', '2012-11-05', 'service-2.json'));
  rt = await startRuntime({ env: { STATE_AUDIT: '1', LOCALSTACK_HOST: 'localhost.localstack.cloud:4566' } });
});
afterAll(async () => {
  await rt?.stop();
  rmSync(models, { recursive: true, force: true });
});

describe.each([
  ['json', {}],
  ['query', { AWS_DATA_PATH: models }],
])('SQS through the AWS CLI (%s)', (protocol, env: Record<string, string>) => {
  it('create-queue, send-message with attributes, receive-message, delete-message; errors with their codes', async () => {
    const name = `cli-${protocol}`;
    const created = await aws(rt.endpoint, ['sqs', 'create-queue', '--queue-name', name, '--attributes', 'VisibilityTimeout=5'], env);
    expect(created.json, created.stderr).toEqual({ QueueUrl: `http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/${name}` });
    const url = `http://localhost:4566/000000000000/${name}`;
    const sent = await aws(rt.endpoint, ['sqs', 'send-message', '--queue-url', url, '--message-body', 'hello', '--message-attributes', '{"k":{"DataType":"String","StringValue":"v"}}'], env);
    expect(sent.json, sent.stderr).toMatchObject({ MD5OfMessageBody: '5d41402abc4b2a76b9719d911017c592', MD5OfMessageAttributes: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const received = await aws(rt.endpoint, ['sqs', 'receive-message', '--queue-url', url, '--attribute-names', 'All', '--message-attribute-names', 'All'], env);
    const [m] = received.json.Messages;
    expect(m).toMatchObject({ Body: 'hello', MessageId: sent.json.MessageId, MD5OfMessageAttributes: sent.json.MD5OfMessageAttributes, MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } });
    expect(m.Attributes).toMatchObject({ ApproximateReceiveCount: '1', SenderId: '000000000000' });
    const deleted = await aws(rt.endpoint, ['sqs', 'delete-message', '--queue-url', url, '--receipt-handle', m.ReceiptHandle], env);
    expect(deleted.code, deleted.stderr).toBe(0);
    const attributes = await aws(rt.endpoint, ['sqs', 'get-queue-attributes', '--queue-url', url, '--attribute-names', 'VisibilityTimeout', 'ApproximateNumberOfMessages'], env);
    expect(attributes.json).toEqual({ Attributes: { ApproximateNumberOfMessages: '0', VisibilityTimeout: '5' } });
    const missing = await aws(rt.endpoint, ['sqs', 'get-queue-url', '--queue-name', 'nope'], env);
    expect(missing.code).not.toBe(0);
    // botocore reports the query code in both protocols (json answers carry it in x-amzn-query-error)
    expect(missing.stderr).toContain('(AWS.SimpleQueueService.NonExistentQueue)');
    expect(missing.stderr).toContain('The specified queue does not exist.');
  });
});
