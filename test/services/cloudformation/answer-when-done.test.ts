/**
 * CreateStack, UpdateStack, DeleteStack and ExecuteChangeSet answer once the deployment they
 * started is done (within begin.ts's ANSWER_WITHIN_MS), so that a client's first poll finds it
 * complete: the CDK CLI polls ~20 ms after ExecuteChangeSet, then every 5 s. A deployment that
 * waits on something (a custom resource's answer) is answered IN_PROGRESS, as AWS answers,
 * and completes later. On the stand-in template language (harness.ts), in a runtime in this
 * process, where a stack of parameters deploys in a few milliseconds, far within the bound.
 */
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  UpdateStackCommand,
  waitUntilChangeSetCreateComplete,
} from '@aws-sdk/client-cloudformation';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';
import { registry, template } from './harness.js';

let cfn: CloudFormationClient;
let sns: SNSClient;
withInProcessRuntime(registry(), (endpoint) => {
  cfn = new CloudFormationClient({ ...clientConfig(endpoint), maxAttempts: 1 });
  sns = new SNSClient({ ...clientConfig(endpoint), maxAttempts: 1 });
});

const params = (value: string) => template({ P: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/answer/p', Type: 'String', Value: value } } });
const status = async (name: string) => (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!.StackStatus;

describe('operations that start a deployment', () => {
  it('answer once it is done: the first DescribeStacks finds it complete', async () => {
    const { StackId } = await cfn.send(new CreateStackCommand({ StackName: 'answer', TemplateBody: params('one') }));
    expect(await status('answer')).toBe('CREATE_COMPLETE');
    await cfn.send(new UpdateStackCommand({ StackName: 'answer', TemplateBody: params('two') }));
    expect(await status('answer')).toBe('UPDATE_COMPLETE');
    await cfn.send(new DeleteStackCommand({ StackName: 'answer' }));
    expect(await status(StackId!)).toBe('DELETE_COMPLETE');

    const { Id } = await cfn.send(new CreateChangeSetCommand({ StackName: 'answer-cs', ChangeSetName: 'cs', ChangeSetType: 'CREATE', TemplateBody: params('three') }));
    await waitUntilChangeSetCreateComplete({ client: cfn, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { ChangeSetName: Id! });
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id! }));
    expect(await status('answer-cs')).toBe('CREATE_COMPLETE');
  });

  it('answer IN_PROGRESS when the deployment waits on a custom resource nobody answers', async () => {
    // a topic with no subscriber: the request goes nowhere, the resource waits for its answer
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'nobody-answers' }))).TopicArn!;
    await cfn.send(new CreateStackCommand({ StackName: 'waits', TemplateBody: template({ Thing: { Type: 'Custom::Thing', Properties: { ServiceToken: topicArn } } }) }));
    expect(await status('waits')).toBe('CREATE_IN_PROGRESS');
  });
});
