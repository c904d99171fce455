/**
 * The two-stack CDK app of cdk.e2e.test.ts: Producer's topic, used by Consumer, which the CDK
 * turns into an export of Producer and an Fn::ImportValue in Consumer (deployed in that order by
 * `cdk deploy --all`, destroyed in the reverse order by `cdk destroy --all`).
 */
import * as cdk from 'aws-cdk-lib';

const app = new cdk.App();
const producer = new cdk.Stack(app, 'Producer');
const topic = new cdk.aws_sns.Topic(producer, 'Topic');
const consumer = new cdk.Stack(app, 'Consumer');
new cdk.aws_ssm.StringParameter(consumer, 'TopicArn', { parameterName: '/cdk-e2e/producer-topic', stringValue: topic.topicArn });
