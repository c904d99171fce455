/**
 * The classic demo end to end in one runtime process: an S3 bucket notifies a real SQS queue
 * (S3's notifier delivers through the in-process client and the delivery queue); the
 * s3:TestEvent arrives when the configuration is set, then the ObjectCreated event of an upload.
 */
import { PutBucketNotificationConfigurationCommand, CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';

let rt: RuntimeProcess;
let sqs: SQSClient;
let s3: S3Client;
beforeAll(async () => {
  rt = await startRuntime({ env: { STATE_AUDIT: '1' } });
  sqs = new SQSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
  s3 = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true, maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

async function next(QueueUrl: string): Promise<Record<string, any>> {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 }));
  expect(Messages).toHaveLength(1);
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle }));
  return JSON.parse(Messages![0]!.Body!) as Record<string, any>;
}

describe('S3 event notifications into a real SQS queue', () => {
  it('delivers the s3:TestEvent, then ObjectCreated:Put for an upload', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'uploads' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'demo-bucket' }));
    await s3.send(new PutBucketNotificationConfigurationCommand({
      Bucket: 'demo-bucket',
      NotificationConfiguration: { QueueConfigurations: [{ QueueArn: 'arn:aws:sqs:us-east-1:000000000000:uploads', Events: ['s3:ObjectCreated:*'] }] },
    }));
    expect(await next(QueueUrl!)).toMatchObject({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'demo-bucket' });
    await s3.send(new PutObjectCommand({ Bucket: 'demo-bucket', Key: 'a.txt', Body: 'hello' }));
    const event = await next(QueueUrl!);
    expect(event.Records[0]).toMatchObject({ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'demo-bucket' }, object: { key: 'a.txt', size: 5 } } });
  });
});
