/**
 * Change sets through @aws-sdk/client-cloudformation (the flow of the CDK and `aws
 * cloudformation deploy`), on the stand-in template language (harness.ts): a CREATE change
 * set makes a REVIEW_IN_PROGRESS stack, executing it creates the stack; an UPDATE change set
 * lists Add / Modify (Replacement True, False, Conditional) / Remove; one without changes is
 * FAILED with AWS's reason; list, delete, and the errors for what does not exist.
 */
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListChangeSetsCommand,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
  waitUntilStackUpdateComplete,
} from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';
import { expectSdkError } from '../../support/sdk-error.js';
import { registry, template } from './harness.js';

let cfn: CloudFormationClient;
let ssm: SSMClient;
withInProcessRuntime(registry(), (endpoint) => {
  cfn = new CloudFormationClient({ ...clientConfig(endpoint), maxAttempts: 1 });
  ssm = new SSMClient({ ...clientConfig(endpoint), maxAttempts: 1 });
});

const wait = { maxWaitTime: 20, minDelay: 1, maxDelay: 1 };

const v1 = template({
  Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'cs-queue-1', VisibilityTimeout: 30 } },
  Param: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/cs/url', Type: 'String', Value: { Ref: 'Queue' } } },
  Note: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/cs/note', Type: 'String', Value: 'note' } },
  Mirror: { Type: 'AWS::SSM::Parameter', Properties: { Name: { 'Fn::Join': ['', ['/cs/mirror-', { 'Fn::GetAtt': ['Queue', 'QueueName'] }]] }, Type: 'String', Value: 'm' } },
});

describe('change sets', () => {
  it('CREATE: the stack waits in REVIEW_IN_PROGRESS, every resource is an Add, executing creates it', async () => {
    const { Id, StackId } = await cfn.send(new CreateChangeSetCommand({ StackName: 'cs', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: v1, Description: 'the first' }));
    expect(Id).toMatch(/^arn:aws:cloudformation:us-east-1:\d{12}:changeSet\/first\/[0-9a-f-]{36}$/);
    await waitUntilChangeSetCreateComplete({ client: cfn, ...wait }, { ChangeSetName: Id });
    expect((await cfn.send(new DescribeStacksCommand({ StackName: 'cs' }))).Stacks![0]).toMatchObject({ StackId, StackStatus: 'REVIEW_IN_PROGRESS' });
    const described = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'first', StackName: 'cs' }));
    expect(described).toMatchObject({ ChangeSetName: 'first', ChangeSetId: Id, StackId, StackName: 'cs', Description: 'the first', Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE' });
    expect(described.Changes).toHaveLength(4);
    expect(described.Changes).toEqual(expect.arrayContaining(['Queue', 'Param', 'Note', 'Mirror'].map((id) => ({ Type: 'Resource', ResourceChange: { Action: 'Add', LogicalResourceId: id, ResourceType: id === 'Queue' ? 'AWS::SQS::Queue' : 'AWS::SSM::Parameter', Scope: [], Details: [] } }))));
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
    await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'cs' });
    expect((await cfn.send(new DescribeStacksCommand({ StackName: 'cs' }))).Stacks![0]).toMatchObject({ StackStatus: 'CREATE_COMPLETE', ChangeSetId: Id });
    expect((await ssm.send(new GetParameterCommand({ Name: '/cs/url' }))).Parameter?.Value).toMatch(/\/cs-queue-1$/);
    expect((await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }))).ExecutionStatus).toBe('EXECUTE_COMPLETE');
  });

  it('UPDATE: Modify with Replacement True / False / Conditional, Remove, Add; executing updates the stack', async () => {
    const v2 = template({
      Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'cs-queue-2', VisibilityTimeout: 30 } },
      Param: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/cs/url', Type: 'String', Value: { Ref: 'Queue' } } },
      Fresh: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/cs/fresh', Type: 'String', Value: 'new', Description: 'fresh' } },
    Mirror: { Type: 'AWS::SSM::Parameter', Properties: { Name: { 'Fn::Join': ['', ['/cs/mirror-', { 'Fn::GetAtt': ['Queue', 'QueueName'] }]] }, Type: 'String', Value: 'm' } },
    });
    const { Id } = await cfn.send(new CreateChangeSetCommand({ StackName: 'cs', ChangeSetName: 'second', TemplateBody: v2 }));
    await waitUntilChangeSetCreateComplete({ client: cfn, ...wait }, { ChangeSetName: Id });
    const { Changes } = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }));
    const byId = Object.fromEntries(Changes!.map((c) => [c.ResourceChange!.LogicalResourceId, c.ResourceChange]));
    expect(byId['Queue']).toEqual({
      PolicyAction: 'ReplaceAndDelete',
      Action: 'Modify',
      LogicalResourceId: 'Queue',
      PhysicalResourceId: expect.stringMatching(/\/cs-queue-1$/),
      ResourceType: 'AWS::SQS::Queue',
      Replacement: 'True',
      Scope: ['Properties'],
      Details: [{ Target: { Attribute: 'Properties', Name: 'QueueName', RequiresRecreation: 'Always' }, Evaluation: 'Static', ChangeSource: 'DirectModification' }],
    });
    // the parameter's value is the queue's URL, unknown until the new queue exists
    expect(byId['Param']).toMatchObject({ Action: 'Modify', Replacement: 'False', Scope: ['Properties'], Details: [{ Target: { Attribute: 'Properties', Name: 'Value', RequiresRecreation: 'Never' }, Evaluation: 'Dynamic', ChangeSource: 'ResourceReference', CausingEntity: 'Queue' }] });
    // a createOnly property that depends on a replaced resource: replaced only if its value changes
    expect(byId['Mirror']).toMatchObject({ Action: 'Modify', Replacement: 'Conditional', PolicyAction: 'ReplaceAndDelete', Details: [{ Target: { Attribute: 'Properties', Name: 'Name', RequiresRecreation: 'Conditionally' }, Evaluation: 'Dynamic', ChangeSource: 'ResourceReference', CausingEntity: 'Queue.QueueName' }] });
    expect(byId['Note']).toMatchObject({ Action: 'Remove', PolicyAction: 'Delete', ResourceType: 'AWS::SSM::Parameter', PhysicalResourceId: '/cs/note' });
    expect(byId['Fresh']).toMatchObject({ Action: 'Add', ResourceType: 'AWS::SSM::Parameter' });
    // with IncludePropertyValues, the properties before and after; what depends on a new queue is known after apply
    const withValues = (await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id, IncludePropertyValues: true }))).Changes!;
    const valuesOf = Object.fromEntries(withValues.map((c) => [c.ResourceChange!.LogicalResourceId, c.ResourceChange]));
    expect(JSON.parse(valuesOf['Queue']!.BeforeContext!)).toEqual({ Properties: { QueueName: 'cs-queue-1', VisibilityTimeout: 30 } });
    expect(JSON.parse(valuesOf['Queue']!.AfterContext!)).toEqual({ Properties: { QueueName: 'cs-queue-2', VisibilityTimeout: 30 } });
    expect(JSON.parse(valuesOf['Param']!.AfterContext!)).toEqual({ Properties: { Name: '/cs/url', Type: 'String', Value: '{{changeSet:KNOWN_AFTER_APPLY}}' } });
    expect(JSON.parse(valuesOf['Fresh']!.AfterContext!)).toEqual({ Properties: { Name: '/cs/fresh', Type: 'String', Value: 'new', Description: 'fresh' } });
    expect(valuesOf['Note']!.AfterContext).toBeUndefined();
    expect(JSON.parse(valuesOf['Note']!.BeforeContext!)).toEqual({ Properties: { Name: '/cs/note', Type: 'String', Value: 'note' } });
    const summaries = (await cfn.send(new ListChangeSetsCommand({ StackName: 'cs' }))).Summaries!;
    expect(summaries.map((s) => [s.ChangeSetName, s.Status, s.ExecutionStatus])).toEqual([['first', 'CREATE_COMPLETE', 'EXECUTE_COMPLETE'], ['second', 'CREATE_COMPLETE', 'AVAILABLE']]);
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: 'second', StackName: 'cs' }));
    await waitUntilStackUpdateComplete({ client: cfn, ...wait }, { StackName: 'cs' });
    expect((await ssm.send(new GetParameterCommand({ Name: '/cs/url' }))).Parameter?.Value).toMatch(/\/cs-queue-2$/);
    expect((await ssm.send(new GetParameterCommand({ Name: '/cs/fresh' }))).Parameter?.Value).toBe('new');
    expect((await ssm.send(new GetParameterCommand({ Name: '/cs/mirror-cs-queue-2' }))).Parameter?.Value).toBe('m');
    expect((await cfn.send(new GetTemplateCommand({ StackName: 'cs' }))).TemplateBody).toBe(v2);
    // executing removed the stack's other change sets
    expect((await cfn.send(new ListChangeSetsCommand({ StackName: 'cs' }))).Summaries!.map((s) => s.ChangeSetName)).toEqual(['second']);
  });

  it('a change set without changes is FAILED with the reason the CDK and the CLI read; it cannot be executed; it can be deleted', async () => {
    const body = (await cfn.send(new GetTemplateCommand({ StackName: 'cs' }))).TemplateBody!;
    const { Id } = await cfn.send(new CreateChangeSetCommand({ StackName: 'cs', ChangeSetName: 'empty', TemplateBody: body }));
    const described = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }));
    expect(described).toMatchObject({ Status: 'FAILED', ExecutionStatus: 'UNAVAILABLE', StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set.", Changes: [] });
    await expectSdkError(cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id })), 'InvalidChangeSetStatusException', `ChangeSet [${Id}] cannot be executed in its current execution status of [UNAVAILABLE]`);
    await expectSdkError(cfn.send(new CreateChangeSetCommand({ StackName: 'cs', ChangeSetName: 'empty', TemplateBody: body })), 'AlreadyExistsException', 'ChangeSet [empty] already exists');
    await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: 'empty', StackName: 'cs' }));
    await expectSdkError(cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id })), 'ChangeSetNotFoundException', `ChangeSet [${Id}] does not exist`, 404);
  });

  it('answers what does not exist as AWS does', async () => {
    await expectSdkError(cfn.send(new CreateChangeSetCommand({ StackName: 'nope', ChangeSetName: 'x', TemplateBody: v1 })), 'ValidationError', 'Stack [nope] does not exist');
    await expectSdkError(cfn.send(new CreateChangeSetCommand({ StackName: 'cs', ChangeSetName: 'x', ChangeSetType: 'CREATE', TemplateBody: v1 })), 'ValidationError', 'Stack [cs] already exists and cannot be created again with the changeSet [x].');
    await expectSdkError(cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'x', StackName: 'cs' })), 'ChangeSetNotFoundException', 'ChangeSet [x] does not exist', 404);
    await expectSdkError(cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'x' })), 'ValidationError', 'StackName must be specified if ChangeSetName is not specified as an ARN.');
  });
});
