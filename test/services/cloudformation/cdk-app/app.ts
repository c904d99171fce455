/**
 * The CDK app of cdk.e2e.test.ts, typechecked with the repository and copied by the test into a
 * folder of its own, where the CDK CLI runs it (cdk.json: esbuild strips the types, node runs
 * it). One stack: a versioned bucket, a file asset (uploaded to the bootstrap's bucket by the
 * CLI; its location lands in an SSM parameter), an SQS queue subscribed to an SNS topic, an IAM
 * role with an AWS managed policy, an inline policy of its own and a separate AWS::IAM::Policy,
 * and a plain SSM parameter. QUEUE_NAME names the queue, so that a second deploy renames it.
 */
import { resolve } from 'node:path';
import * as cdk from 'aws-cdk-lib';

const { aws_iam: iam, aws_s3: s3, aws_s3_assets: assets, aws_sns: sns, aws_sns_subscriptions: subs, aws_sqs: sqs, aws_ssm: ssm } = cdk;

const app = new cdk.App();
const stack = new cdk.Stack(app, 'CdkE2e', { description: 'cdklocal end-to-end' });

// DESTROY: `cdk destroy` removes it (the CDK's default keeps buckets)
const bucket = new s3.Bucket(stack, 'Bucket', { versioned: true, removalPolicy: cdk.RemovalPolicy.DESTROY });
const asset = new assets.Asset(stack, 'File', { path: resolve('asset.txt') });

const topic = new sns.Topic(stack, 'Topic', { displayName: 'cdk e2e' });
const queue = new sqs.Queue(stack, 'Queue', { queueName: process.env.QUEUE_NAME ?? 'cdk-e2e-queue', visibilityTimeout: cdk.Duration.seconds(45) });
topic.addSubscription(new subs.SqsSubscription(queue));

const role = new iam.Role(stack, 'Role', {
  assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
  inlinePolicies: {
    ReadBucket: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] })] }),
  },
});
// the role's DefaultPolicy: an AWS::IAM::Policy naming the role
queue.grantSendMessages(role);

new ssm.StringParameter(stack, 'AssetLocation', { parameterName: '/cdk-e2e/asset', stringValue: `${asset.s3BucketName}/${asset.s3ObjectKey}` });
new ssm.StringParameter(stack, 'Setting', { parameterName: '/cdk-e2e/setting', stringValue: 'on', description: 'a plain parameter' });

new cdk.CfnOutput(stack, 'BucketName', { value: bucket.bucketName });
new cdk.CfnOutput(stack, 'TopicArn', { value: topic.topicArn });
new cdk.CfnOutput(stack, 'QueueUrl', { value: queue.queueUrl });
new cdk.CfnOutput(stack, 'QueueArn', { value: queue.queueArn });
new cdk.CfnOutput(stack, 'RoleName', { value: role.roleName });
