/**
 * Stacks through @aws-sdk/client-cloudformation against a runtime in this process whose
 * CloudFormation runs on the stand-in template language (harness.ts): create (resources in
 * dependency order, outputs, exports), update (in place and by replacement), rollback of a
 * create and of an update with the failing resource's reason in the events, delete with
 * DeletionPolicy Retain, termination protection, the refusals AWS gives before anything is
 * created. The resources are read back through client-sqs and client-ssm.
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  GetStackPolicyCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  ListStacksCommand,
  SetStackPolicyCommand,
  UpdateStackCommand,
  UpdateTerminationProtectionCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackUpdateComplete,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueueTagsCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, ListTagsForResourceCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';
import { expectSdkError, sdkError } from '../../support/sdk-error.js';
import { registry, template } from './harness.js';

let cfn: CloudFormationClient;
let sqs: SQSClient;
let ssm: SSMClient;
withInProcessRuntime(registry(), (endpoint) => {
  cfn = new CloudFormationClient({ ...clientConfig(endpoint), maxAttempts: 1 });
  sqs = new SQSClient({ ...clientConfig(endpoint), maxAttempts: 1 });
  ssm = new SSMClient({ ...clientConfig(endpoint), maxAttempts: 1 });
});

const wait = { maxWaitTime: 20, minDelay: 1, maxDelay: 1 };

/** The stack once no operation runs on it any more (polled; the deployment runs in the background). */
async function settled(name: string): Promise<Stack> {
  for (;;) {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;
    if (!stack.StackStatus!.endsWith('_IN_PROGRESS')) return stack;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function events(name: string) {
  return (await cfn.send(new DescribeStackEventsCommand({ StackName: name }))).StackEvents!;
}

const appTemplate = (visibility: number, secondName: string) =>
  template(
    {
      Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: visibility, Tags: [{ Key: 'team', Value: 'a' }] } },
      Named: { Type: 'AWS::SQS::Queue', Properties: { QueueName: secondName } },
      Param: { Type: 'AWS::SSM::Parameter', Properties: { Name: { 'Fn::Join': ['-', ['/app', { Ref: 'AWS::StackName' }, 'queue']] }, Type: 'String', Value: { 'Fn::GetAtt': ['Queue', 'Arn'] } } },
      Kept: { Type: 'AWS::SSM::Parameter', DeletionPolicy: 'Retain', Properties: { Name: '/app/kept', Type: 'String', Value: { Ref: 'Named' } } },
      CDKMetadata: { Type: 'AWS::CDK::Metadata', Properties: { Analytics: 'v2:deflate64:xyz' } },
    },
    { Description: 'an app', Parameters: { Env: { Type: 'String', Default: 'dev' }, Secret: { Type: 'String', NoEcho: true, Default: 's3cr3t' } }, Outputs: { QueueUrl: { Value: { Ref: 'Queue' }, Description: 'the queue', Export: { Name: 'app-queue-url' } }, Env: { Value: { Ref: 'Env' } } } },
  );

describe('SQS resource types', () => {
  it('a FIFO queue named by CloudFormation keeps its .fifo suffix; a queue policy is set on its queues and removed with the stack', async () => {
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: '*' }] };
    const body = template({
      Fifo: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true, ContentBasedDeduplication: true } },
      Plain: { Type: 'AWS::SQS::Queue', Properties: { RedriveAllowPolicy: { redrivePermission: 'allowAll' } } },
      Policy: { Type: 'AWS::SQS::QueuePolicy', Properties: { Queues: [{ Ref: 'Plain' }], PolicyDocument: policy } },
    });
    await cfn.send(new CreateStackCommand({ StackName: 'queues', TemplateBody: body }));
    await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'queues' });
    const resources = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'queues' }))).StackResources!;
    const url = (id: string) => resources.find((r) => r.LogicalResourceId === id)!.PhysicalResourceId!;
    expect(url('Fifo')).toMatch(/\/queues-Fifo-[A-Z0-9]{12}\.fifo$/);
    expect((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url('Fifo'), AttributeNames: ['FifoQueue', 'ContentBasedDeduplication'] }))).Attributes).toEqual({ FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    const plain = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url('Plain'), AttributeNames: ['Policy', 'RedriveAllowPolicy'] }))).Attributes!;
    expect(JSON.parse(plain['Policy']!)).toEqual(policy);
    expect(JSON.parse(plain['RedriveAllowPolicy']!)).toEqual({ redrivePermission: 'allowAll' });
    expect(url('Policy')).toMatch(/^queues-Policy-[A-Z0-9]{12}$/);
    // the policy goes when its resource goes
    await cfn.send(new UpdateStackCommand({ StackName: 'queues', TemplateBody: template({ Fifo: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true, ContentBasedDeduplication: true } }, Plain: { Type: 'AWS::SQS::Queue', Properties: { RedriveAllowPolicy: { redrivePermission: 'allowAll' } } } }) }));
    await waitUntilStackUpdateComplete({ client: cfn, ...wait }, { StackName: 'queues' });
    expect((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url('Plain'), AttributeNames: ['Policy'] }))).Attributes?.['Policy']).toBeUndefined();
    await cfn.send(new DeleteStackCommand({ StackName: 'queues' }));
    await waitUntilStackDeleteComplete({ client: cfn, ...wait }, { StackName: 'queues' });
    expect((await sdkError(sqs.send(new GetQueueAttributesCommand({ QueueUrl: url('Fifo'), AttributeNames: ['All'] })))).name).toBe('QueueDoesNotExist');
  });
});

describe('events in pages, templates in stages', () => {
  it('DescribeStackEvents pages of 100, newest first, no event twice; GetTemplate Processed', async () => {
    const resources: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) resources[`P${i}`] = { Type: 'AWS::SSM::Parameter', Properties: { Name: `/paged/${i}`, Type: 'String', Value: String(i) } };
    const body = template(resources);
    await cfn.send(new CreateStackCommand({ StackName: 'paged', TemplateBody: body }));
    await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'paged' });
    const first = await cfn.send(new DescribeStackEventsCommand({ StackName: 'paged' }));
    expect(first.StackEvents).toHaveLength(100);
    expect(first.NextToken).toBeDefined();
    const second = await cfn.send(new DescribeStackEventsCommand({ StackName: 'paged', NextToken: first.NextToken }));
    expect(second.NextToken).toBeUndefined();
    const all = [...first.StackEvents!, ...second.StackEvents!];
    // 40 resources with three events each, and the stack's two
    expect(all).toHaveLength(122);
    expect(new Set(all.map((e) => e.EventId)).size).toBe(122);
    expect(all[0]).toMatchObject({ LogicalResourceId: 'paged', ResourceStatus: 'CREATE_COMPLETE' });
    expect(all.at(-1)).toMatchObject({ LogicalResourceId: 'paged', ResourceStatus: 'CREATE_IN_PROGRESS' });
    const times = all.map((e) => e.Timestamp!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(JSON.parse((await cfn.send(new GetTemplateCommand({ StackName: 'paged', TemplateStage: 'Processed' }))).TemplateBody!)).toEqual(JSON.parse(body));
  });
});

describe('replacement policies', () => {
  it('a replacement that keeps a custom name fails as AWS fails it, and the update rolls back', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'named', TemplateBody: template({ Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'keep-name' } } }) }));
    await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'named' });
    await cfn.send(new UpdateStackCommand({ StackName: 'named', TemplateBody: template({ Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'keep-name', FifoQueue: true } } }) }));
    expect((await settled('named')).StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    const failed = (await events('named')).find((e) => e.ResourceStatus === 'UPDATE_FAILED')!;
    expect(failed).toMatchObject({ LogicalResourceId: 'Q', ResourceStatusReason: 'CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename keep-name and update the stack again.' });
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'keep-name' }))).QueueUrl).toMatch(/\/keep-name$/);
  });

  it('UpdateReplacePolicy Retain keeps the old resource when it is replaced; RetainResources after DELETE_FAILED', async () => {
    const body = (name: string) => template({ Q: { Type: 'AWS::SQS::Queue', UpdateReplacePolicy: 'Retain', Properties: { QueueName: name } } });
    await cfn.send(new CreateStackCommand({ StackName: 'retain', TemplateBody: body('retain-1') }));
    await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'retain' });
    await cfn.send(new UpdateStackCommand({ StackName: 'retain', TemplateBody: body('retain-2') }));
    await waitUntilStackUpdateComplete({ client: cfn, ...wait }, { StackName: 'retain' });
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'retain-1' }))).QueueUrl).toMatch(/\/retain-1$/);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'retain-2' }))).QueueUrl).toMatch(/\/retain-2$/);
    const statuses = (await events('retain')).map((e) => `${e.LogicalResourceId}:${e.ResourceStatus}`);
    expect(statuses).toContain('Q:DELETE_SKIPPED');
    await expectSdkError(cfn.send(new DeleteStackCommand({ StackName: 'retain', RetainResources: ['Q'] })), 'ValidationError', /RetainResources can only be specified when the stack is in the DELETE_FAILED state/);
  });
});

describe('a stack created, updated and deleted', () => {
  it('creates its resources in dependency order, with outputs, exports, parameters and events', async () => {
    const { StackId } = await cfn.send(new CreateStackCommand({ StackName: 'app', TemplateBody: appTemplate(30, 'app-named-1'), Tags: [{ Key: 'owner', Value: 'me' }], Parameters: [{ ParameterKey: 'Env', ParameterValue: 'prod' }] }));
    expect(StackId).toMatch(/^arn:aws:cloudformation:us-east-1:\d{12}:stack\/app\/[0-9a-f-]{36}$/);
    await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'app' });
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks![0]!;
    expect(stack).toMatchObject({ StackId, StackName: 'app', StackStatus: 'CREATE_COMPLETE', Description: 'an app', DisableRollback: false, EnableTerminationProtection: false, Tags: [{ Key: 'owner', Value: 'me' }] });
    expect(stack.Parameters).toEqual(
      expect.arrayContaining([
        { ParameterKey: 'Env', ParameterValue: 'prod' },
        { ParameterKey: 'Secret', ParameterValue: '****' },
      ]),
    );
    const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: stack.Outputs!.find((o) => o.OutputKey === 'QueueUrl')!.OutputValue!.split('/').pop()! }))).QueueUrl!;
    expect(stack.Outputs).toEqual(expect.arrayContaining([{ OutputKey: 'QueueUrl', OutputValue: url, Description: 'the queue', ExportName: 'app-queue-url' }, { OutputKey: 'Env', OutputValue: 'prod' }]));
    // a queue the template does not name is named after the stack and its logical id
    expect(url).toMatch(/\/app-Queue-[A-Z0-9]{12}$/);
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'VisibilityTimeout'] }))).Attributes!;
    expect(arn['VisibilityTimeout']).toBe('30');
    // the stack's tags go on what it makes, under the template's own
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ owner: 'me', team: 'a' });
    expect((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/app-app-queue' }))).TagList).toEqual([{ Key: 'owner', Value: 'me' }]);
    // the parameter was created after the queue, from its ARN
    expect((await ssm.send(new GetParameterCommand({ Name: '/app-app-queue' }))).Parameter?.Value).toBe(arn['QueueArn']);
    const resources = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'app' }))).StackResources!;
    expect(resources.map((r) => [r.LogicalResourceId, r.ResourceStatus]).sort()).toEqual([['CDKMetadata', 'CREATE_COMPLETE'], ['Kept', 'CREATE_COMPLETE'], ['Named', 'CREATE_COMPLETE'], ['Param', 'CREATE_COMPLETE'], ['Queue', 'CREATE_COMPLETE']]);
    expect(resources.find((r) => r.LogicalResourceId === 'Queue')).toMatchObject({ PhysicalResourceId: url, ResourceType: 'AWS::SQS::Queue', StackName: 'app', StackId });
    const one = (await cfn.send(new DescribeStackResourceCommand({ StackName: 'app', LogicalResourceId: 'Param' }))).StackResourceDetail!;
    expect(one).toMatchObject({ PhysicalResourceId: '/app-app-queue', ResourceType: 'AWS::SSM::Parameter', ResourceStatus: 'CREATE_COMPLETE' });
    const summaries = (await cfn.send(new ListStackResourcesCommand({ StackName: 'app' }))).StackResourceSummaries!;
    expect(summaries.map((s) => s.LogicalResourceId)).toEqual(['CDKMetadata', 'Kept', 'Named', 'Param', 'Queue']);
    // events newest first: the stack's CREATE_COMPLETE, ..., its CREATE_IN_PROGRESS "User Initiated"
    const list = await events('app');
    expect(list[0]).toMatchObject({ LogicalResourceId: 'app', ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: 'CREATE_COMPLETE', PhysicalResourceId: StackId });
    expect(list.at(-1)).toMatchObject({ LogicalResourceId: 'app', ResourceStatus: 'CREATE_IN_PROGRESS', ResourceStatusReason: 'User Initiated' });
    const queueEvents = list.filter((e) => e.LogicalResourceId === 'Queue').reverse().map((e) => [e.ResourceStatus, e.ResourceStatusReason]);
    expect(queueEvents).toEqual([['CREATE_IN_PROGRESS', undefined], ['CREATE_IN_PROGRESS', 'Resource creation Initiated'], ['CREATE_COMPLETE', undefined]]);
    const order = list.map((e) => `${e.LogicalResourceId}:${e.ResourceStatus}`).reverse();
    expect(order.indexOf('Param:CREATE_IN_PROGRESS')).toBeGreaterThan(order.indexOf('Queue:CREATE_COMPLETE'));
    expect((await cfn.send(new GetTemplateCommand({ StackName: 'app' }))).TemplateBody).toBe(appTemplate(30, 'app-named-1'));
    const listed = (await cfn.send(new ListStacksCommand({ StackStatusFilter: ['CREATE_COMPLETE'] }))).StackSummaries!;
    expect(listed.find((s) => s.StackName === 'app')).toMatchObject({ StackId, StackStatus: 'CREATE_COMPLETE', TemplateDescription: 'an app' });
  });

  it('refuses a second stack of the same name, answers a retried request with its token, and "No updates are to be performed."', async () => {
    await expectSdkError(cfn.send(new CreateStackCommand({ StackName: 'app', TemplateBody: appTemplate(30, 'x') })), 'AlreadyExistsException', 'Stack [app] already exists');
    await expectSdkError(cfn.send(new UpdateStackCommand({ StackName: 'app', UsePreviousTemplate: true, Parameters: [{ ParameterKey: 'Env', UsePreviousValue: true }] })), 'ValidationError', 'No updates are to be performed.');
    const body = template({ P: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'v' } } });
    const first = await cfn.send(new CreateStackCommand({ StackName: 'tokened', TemplateBody: body, ClientRequestToken: 'tok-1' }));
    const again = await cfn.send(new CreateStackCommand({ StackName: 'tokened', TemplateBody: body, ClientRequestToken: 'tok-1' }));
    expect(again.StackId).toBe(first.StackId);
    await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'tokened' });
    const tokens = (await events('tokened')).map((e) => e.ClientRequestToken);
    expect(new Set(tokens)).toEqual(new Set(['tok-1']));
  });

  it('updates in place what may change and replaces what is createOnly (the old one deleted in the cleanup)', async () => {
    const before = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'app' }))).StackResources!;
    const queueUrl = before.find((r) => r.LogicalResourceId === 'Queue')!.PhysicalResourceId!;
    const oldNamed = before.find((r) => r.LogicalResourceId === 'Named')!.PhysicalResourceId!;
    await cfn.send(new UpdateStackCommand({ StackName: 'app', TemplateBody: appTemplate(45, 'app-named-2'), Parameters: [{ ParameterKey: 'Env', UsePreviousValue: true }] }));
    await waitUntilStackUpdateComplete({ client: cfn, ...wait }, { StackName: 'app' });
    const after = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'app' }))).StackResources!;
    expect(after.find((r) => r.LogicalResourceId === 'Queue')!.PhysicalResourceId).toBe(queueUrl);
    expect((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout'] }))).Attributes!['VisibilityTimeout']).toBe('45');
    const newNamed = after.find((r) => r.LogicalResourceId === 'Named')!.PhysicalResourceId!;
    expect(newNamed).toMatch(/\/app-named-2$/);
    expect((await sdkError(sqs.send(new GetQueueUrlCommand({ QueueName: 'app-named-1' })))).name).toBe('QueueDoesNotExist');
    // its dependant follows it
    expect((await ssm.send(new GetParameterCommand({ Name: '/app/kept' }))).Parameter?.Value).toBe(newNamed);
    const list = (await events('app')).map((e) => `${e.LogicalResourceId}:${e.ResourceStatus}:${e.ResourceStatusReason ?? ''}:${e.PhysicalResourceId}`).reverse();
    const since = list.findIndex((e) => e.startsWith('app:UPDATE_IN_PROGRESS'));
    const update = list.slice(since);
    expect(update).toContain(`Named:UPDATE_IN_PROGRESS:Requested update requires the creation of a new physical resource; hence creating one.:`);
    const cleanup = update.indexOf(update.find((e) => e.startsWith('app:UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'))!);
    expect(update.indexOf(`Named:DELETE_COMPLETE::${oldNamed}`)).toBeGreaterThan(cleanup);
    expect(update.at(-1)).toMatch(/^app:UPDATE_COMPLETE:/);
    expect(update.filter((e) => e.startsWith('CDKMetadata:'))).toEqual([]);
  });

  it('new stack tags reach every resource that takes tags, nothing replaced', async () => {
    const before = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'app' }))).StackResources!;
    const queueUrl = before.find((r) => r.LogicalResourceId === 'Queue')!.PhysicalResourceId!;
    await cfn.send(new UpdateStackCommand({ StackName: 'app', UsePreviousTemplate: true, Parameters: [{ ParameterKey: 'Env', UsePreviousValue: true }], Tags: [{ Key: 'owner', Value: 'you' }, { Key: 'cost', Value: '1' }] }));
    await waitUntilStackUpdateComplete({ client: cfn, ...wait }, { StackName: 'app' });
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: queueUrl }))).Tags).toEqual({ owner: 'you', cost: '1', team: 'a' });
    const tags = (await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/app-app-queue' }))).TagList!;
    expect(Object.fromEntries(tags.map((t) => [t.Key, t.Value]))).toEqual({ owner: 'you', cost: '1' });
    const after = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'app' }))).StackResources!;
    expect(after.map((r) => r.PhysicalResourceId).sort()).toEqual(before.map((r) => r.PhysicalResourceId).sort());
  });

  it('rolls a failed create back: the resources made are deleted, the reason is in the events and on the stack', async () => {
    const body = template({
      Good: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/rollback/good', Type: 'String', Value: 'v' } },
      Bad: { Type: 'AWS::SQS::Queue', DependsOn: 'Good', Properties: { MessageRetentionPeriod: 10 } },
    });
    await cfn.send(new CreateStackCommand({ StackName: 'broken', TemplateBody: body }));
    const stack = await settled('broken');
    expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(stack.StackStatusReason).toBe('The following resource(s) failed to create: [Bad]. Rollback requested by user.');
    const list = await events('broken');
    const failed = list.find((e) => e.LogicalResourceId === 'Bad' && e.ResourceStatus === 'CREATE_FAILED')!;
    expect(failed.ResourceStatusReason).toMatch(/^Resource handler returned message: "Invalid value for the parameter MessageRetentionPeriod\." \(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: InvalidRequest\)$/);
    expect(list.map((e) => `${e.LogicalResourceId}:${e.ResourceStatus}`).slice(0, 3)).toEqual(['broken:ROLLBACK_COMPLETE', 'Good:DELETE_COMPLETE', 'Good:DELETE_IN_PROGRESS']);
    expect((await sdkError(ssm.send(new GetParameterCommand({ Name: '/rollback/good' })))).name).toBe('ParameterNotFound');
    await expectSdkError(cfn.send(new UpdateStackCommand({ StackName: 'broken', TemplateBody: body })), 'ValidationError', `Stack:${stack.StackId} is in ROLLBACK_COMPLETE state and can not be updated.`);
  });

  it('rolls a failed update back: changed resources put back, new ones deleted, UPDATE_ROLLBACK_COMPLETE', async () => {
    const v1 = template({ P: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/upd/p', Type: 'String', Value: 'one' } } });
    await cfn.send(new CreateStackCommand({ StackName: 'upd', TemplateBody: v1 }));
    await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'upd' });
    const v2 = template({
      P: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/upd/p', Type: 'String', Value: 'two' } },
      Extra: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/upd/extra', Type: 'String', Value: 'x' } },
      Bad: { Type: 'AWS::SQS::Queue', DependsOn: ['P', 'Extra'], Properties: { DelaySeconds: 9999 } },
    });
    await cfn.send(new UpdateStackCommand({ StackName: 'upd', TemplateBody: v2 }));
    const stack = await settled('upd');
    expect(stack.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect((await ssm.send(new GetParameterCommand({ Name: '/upd/p' }))).Parameter?.Value).toBe('one');
    expect((await sdkError(ssm.send(new GetParameterCommand({ Name: '/upd/extra' })))).name).toBe('ParameterNotFound');
    const statuses = (await events('upd')).map((e) => `${e.LogicalResourceId}:${e.ResourceStatus}`);
    expect(statuses.slice(0, 1)).toEqual(['upd:UPDATE_ROLLBACK_COMPLETE']);
    expect(statuses).toContain('upd:UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
    expect(statuses).toContain('Bad:CREATE_FAILED');
    expect((await cfn.send(new GetTemplateCommand({ StackName: 'upd' }))).TemplateBody).toBe(v1);
    expect((await cfn.send(new ListStackResourcesCommand({ StackName: 'upd' }))).StackResourceSummaries!.map((r) => r.LogicalResourceId)).toEqual(['P']);
  });

  it('keeps termination-protected stacks, stores stack policies, deletes the rest and retains what DeletionPolicy says', async () => {
    const { StackId } = (await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks![0]!;
    await cfn.send(new UpdateTerminationProtectionCommand({ StackName: 'app', EnableTerminationProtection: true }));
    await expectSdkError(cfn.send(new DeleteStackCommand({ StackName: 'app' })), 'ValidationError', 'Stack [app] cannot be deleted while TerminationProtection is enabled');
    await cfn.send(new UpdateTerminationProtectionCommand({ StackName: 'app', EnableTerminationProtection: false }));
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: '*' }] });
    await cfn.send(new SetStackPolicyCommand({ StackName: 'app', StackPolicyBody: policy }));
    expect((await cfn.send(new GetStackPolicyCommand({ StackName: 'app' }))).StackPolicyBody).toBe(policy);
    await expectSdkError(cfn.send(new SetStackPolicyCommand({ StackName: 'app', StackPolicyBody: '{not json' })), 'ValidationError', 'Error validating stack policy: Invalid stack policy');
    await cfn.send(new DeleteStackCommand({ StackName: 'app' }));
    await waitUntilStackDeleteComplete({ client: cfn, ...wait }, { StackName: StackId });
    expect((await sdkError(sqs.send(new GetQueueUrlCommand({ QueueName: 'app-named-2' })))).name).toBe('QueueDoesNotExist');
    expect((await sdkError(ssm.send(new GetParameterCommand({ Name: '/app-app-queue' })))).name).toBe('ParameterNotFound');
    expect((await ssm.send(new GetParameterCommand({ Name: '/app/kept' }))).Parameter?.Name).toBe('/app/kept');
    const statuses = (await events(StackId!)).map((e) => `${e.LogicalResourceId}:${e.ResourceStatus}`);
    expect(statuses[0]).toBe('app:DELETE_COMPLETE');
    expect(statuses).toContain('Kept:DELETE_SKIPPED');
    // the reverse of creation: the parameter made from the queue's ARN goes before the queue
    const chronological = [...statuses].reverse();
    expect(chronological.indexOf('Param:DELETE_COMPLETE')).toBeLessThan(chronological.indexOf('Queue:DELETE_IN_PROGRESS'));
    // a deleted stack: describable by id, gone by name
    expect((await cfn.send(new DescribeStacksCommand({ StackName: StackId }))).Stacks![0]).toMatchObject({ StackStatus: 'DELETE_COMPLETE', DeletionTime: expect.any(Date) });
    await expectSdkError(cfn.send(new DescribeStacksCommand({ StackName: 'app' })), 'ValidationError', 'Stack with id app does not exist');
    // deleting what does not exist is no error, as on AWS
    await cfn.send(new DeleteStackCommand({ StackName: 'app' }));
  });
});
