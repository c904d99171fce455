/**
 * The classic LocalStack demo through the real Terraform and AWS provider (from the mirror in
 * TFLOCAL_TEST_PLUGIN_DIR or /opt/tf-plugins), driven by bin/tflocal.js against the real
 * runtime: an S3 bucket, an SQS queue with a queue policy letting s3.amazonaws.com send from
 * that bucket, and an aws_s3_bucket_notification to the queue (ObjectCreated under a prefix);
 * beside it an SNS topic with a raw-delivery subscription to a second queue. Applied, then
 * checked with the SDKs: the s3:TestEvent arrives, an upload under the prefix arrives as
 * ObjectCreated:Put, one outside it sends nothing, a Publish reaches the second queue. A second
 * plan finds no changes (every attribute the provider reads back on refresh -- queue
 * attributes, policy, tags, the notification configuration, topic and subscription attributes
 * -- answers as AWS does), then destroy removes everything.
 * A missing Terraform fails the file under CI and skips it elsewhere.
 */
import { GetBucketNotificationConfigurationCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListTopicsCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DeleteMessageCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ListQueueTagsCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { haveTerraform, PLUGIN_DIR, terraformProject, type TerraformProject } from '../../support/terraform.js';
import { sdkError } from '../../support/sdk-error.js';

const MAIN_TF = `terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

resource "aws_s3_bucket" "uploads" {
  bucket        = "tf-uploads"
  force_destroy = true
}

resource "aws_sqs_queue" "events" {
  name                       = "tf-upload-events"
  visibility_timeout_seconds = 45
  message_retention_seconds  = 86400
  tags                       = { Team = "messaging" }
}

resource "aws_sqs_queue_policy" "events" {
  queue_url = aws_sqs_queue.events.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AllowS3"
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.events.arn
      Condition = { ArnEquals = { "aws:SourceArn" = aws_s3_bucket.uploads.arn } }
    }]
  })
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  queue {
    id            = "incoming"
    queue_arn     = aws_sqs_queue.events.arn
    events        = ["s3:ObjectCreated:*"]
    filter_prefix = "incoming/"
  }
  depends_on = [aws_sqs_queue_policy.events]
}

resource "aws_sns_topic" "alerts" {
  name         = "tf-alerts"
  display_name = "Alerts"
  tags         = { Team = "messaging" }
}

resource "aws_sqs_queue" "alerts" {
  name = "tf-alert-copies"
}

resource "aws_sqs_queue_policy" "alerts" {
  queue_url = aws_sqs_queue.alerts.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "sns.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.alerts.arn
      Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.alerts.arn } }
    }]
  })
}

resource "aws_sns_topic_subscription" "alerts" {
  topic_arn            = aws_sns_topic.alerts.arn
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.alerts.arn
  raw_message_delivery = true
}

output "queue_url" { value = aws_sqs_queue.events.id }
output "queue_arn" { value = aws_sqs_queue.events.arn }
output "topic_arn" { value = aws_sns_topic.alerts.arn }
`;

const RESOURCES = 8;

describe.skipIf(!haveTerraform && !process.env.CI)(`S3 notifications to SQS, and SNS to SQS, through the real terraform (mirror ${PLUGIN_DIR})`, { timeout: 300_000 }, () => {
  let rt: RuntimeProcess;
  let tf: TerraformProject | undefined;
  let s3: S3Client;
  let sqs: SQSClient;
  let sns: SNSClient;
  let queueUrl: string;
  let alertsUrl: string;

  /** Receives (long-polling up to `wait` seconds) and deletes what arrived. */
  async function receive(QueueUrl: string, wait: number): Promise<Message[]> {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: wait, MaxNumberOfMessages: 10 }));
    for (const m of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
    return Messages;
  }

  beforeAll(async () => {
    rt = await startRuntime({ env: { LOCALSTACK_HOST: 'localhost.localstack.cloud:4566' } });
    s3 = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true, maxAttempts: 1 });
    sqs = new SQSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
    sns = new SNSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
    tf = await terraformProject('tf-sqs-', rt.endpoint, MAIN_TF);
  });
  afterAll(async () => {
    s3?.destroy();
    sqs?.destroy();
    sns?.destroy();
    await rt?.stop();
    tf?.remove();
  });

  it('apply creates the bucket, the queues with their policies, the notification, the topic and its subscription', async () => {
    const apply = await tf!.run(['apply', '-auto-approve', '-input=false', '-no-color']);
    expect(apply.code, apply.out).toBe(0);
    expect(apply.out).toContain(`Apply complete! Resources: ${RESOURCES} added`);
    queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'tf-upload-events' }))).QueueUrl!;
    alertsUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'tf-alert-copies' }))).QueueUrl!;
    expect(apply.out).toContain(`queue_url = ${JSON.stringify(queueUrl)}`);
    expect(apply.out).toContain('queue_arn = "arn:aws:sqs:us-east-1:000000000000:tf-upload-events"');
    expect(apply.out).toContain('topic_arn = "arn:aws:sns:us-east-1:000000000000:tf-alerts"');
    const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));
    expect(Attributes).toMatchObject({ VisibilityTimeout: '45', MessageRetentionPeriod: '86400' });
    expect(JSON.parse(Attributes.Policy!)).toMatchObject({ Statement: [{ Principal: { Service: 's3.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:s3:::tf-uploads' } } }] });
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: queueUrl }))).Tags).toEqual({ Team: 'messaging' });
    const notification = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'tf-uploads' }));
    expect(notification.QueueConfigurations).toEqual([{
      Id: 'incoming', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:tf-upload-events', Events: ['s3:ObjectCreated:*'],
      Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'incoming/' }] } },
    }]);
  });

  it('the s3:TestEvent arrived when the notification was set', async () => {
    const [test, ...rest] = await receive(queueUrl, 10);
    expect(rest).toEqual([]);
    expect(JSON.parse(test!.Body!)).toMatchObject({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'tf-uploads' });
  });

  it('an upload under the prefix arrives as ObjectCreated:Put; one outside it sends nothing', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'tf-uploads', Key: 'elsewhere/skip.txt', Body: 'not me' }));
    const put = await s3.send(new PutObjectCommand({ Bucket: 'tf-uploads', Key: 'incoming/report.csv', Body: 'a,b\n1,2\n' }));
    const messages = await receive(queueUrl, 10);
    expect(messages).toHaveLength(1);
    const event = JSON.parse(messages[0]!.Body!) as { Records: Array<Record<string, any>> };
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventName: 'ObjectCreated:Put',
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'incoming',
        bucket: { name: 'tf-uploads', arn: 'arn:aws:s3:::tf-uploads' },
        object: { key: 'incoming/report.csv', size: 8, eTag: put.ETag!.replace(/"/g, '') },
      },
    });
    // the upload outside the prefix (sent first) left nothing behind either
    expect(await receive(queueUrl, 1)).toEqual([]);
  });

  it('a Publish to the topic reaches the second queue, raw', async () => {
    const { Topics = [] } = await sns.send(new ListTopicsCommand({}));
    expect(Topics.map((t) => t.TopicArn)).toContain('arn:aws:sns:us-east-1:000000000000:tf-alerts');
    await sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:tf-alerts', Message: 'disk almost full' }));
    const messages = await receive(alertsUrl, 10);
    expect(messages.map((m) => m.Body)).toEqual(['disk almost full']);
  });

  it('a second plan finds nothing to change (everything reads back as applied)', async () => {
    const plan = await tf!.run(['plan', '-detailed-exitcode', '-input=false', '-no-color']);
    // -detailed-exitcode: 0 no changes, 2 changes, 1 error
    expect(plan.code, plan.out).toBe(0);
    expect(plan.out).toContain('No changes.');
  });

  it('destroy removes everything; the queues and the bucket are gone', async () => {
    const destroy = await tf!.run(['destroy', '-auto-approve', '-input=false', '-no-color']);
    expect(destroy.code, destroy.out).toBe(0);
    expect(destroy.out).toContain(`Destroy complete! Resources: ${RESOURCES} destroyed`);
    for (const QueueName of ['tf-upload-events', 'tf-alert-copies']) {
      const gone = await sdkError(sqs.send(new GetQueueUrlCommand({ QueueName })));
      expect(gone.name).toBe('QueueDoesNotExist');
    }
    expect((await sdkError(s3.send(new HeadBucketCommand({ Bucket: 'tf-uploads' })))).status).toBe(404);
    const { Topics = [] } = await sns.send(new ListTopicsCommand({}));
    expect(Topics).toEqual([]);
  });
});
