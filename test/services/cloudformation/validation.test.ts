/**
 * What CloudFormation refuses, and exports between stacks, through @aws-sdk/client-cloudformation
 * on the stand-in template language (harness.ts): unknown resource types, missing capabilities,
 * GetAtt of an attribute a type lacks, a required property missing (the resource fails, the
 * stack rolls back); ValidateTemplate and GetTemplateSummary; exports listed, imported, an
 * export in use protecting its stack, a duplicate export name rolling its stack back.
 */
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  GetTemplateSummaryCommand,
  ListExportsCommand,
  ListImportsCommand,
  ListStacksCommand,
  UpdateStackCommand,
  ValidateTemplateCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';
import { expectSdkError } from '../../support/sdk-error.js';
import { registry, template } from './harness.js';

let cfn: CloudFormationClient;
withInProcessRuntime(registry(), (endpoint) => {
  cfn = new CloudFormationClient({ ...clientConfig(endpoint), maxAttempts: 1 });
});

const wait = { maxWaitTime: 20, minDelay: 1, maxDelay: 1 };
const param = (name: string, value: unknown = 'v') => ({ Type: 'AWS::SSM::Parameter', Properties: { Name: name, Type: 'String', Value: value } });

async function settled(name: string): Promise<Stack> {
  for (;;) {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;
    if (!stack.StackStatus!.endsWith('_IN_PROGRESS')) return stack;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function noStack(name: string) {
  const names = (await cfn.send(new ListStacksCommand({}))).StackSummaries!.map((s) => s.StackName);
  expect(names).not.toContain(name);
}

describe('refused before anything is created', () => {
  it('unknown resource types, named as AWS names them', async () => {
    const body = template({ A: { Type: 'AWS::Foo::Bar' }, B: { Type: 'AWS::Foo::Baz' }, C: param('/v/c') });
    await expectSdkError(cfn.send(new CreateStackCommand({ StackName: 'unknown', TemplateBody: body })), 'ValidationError', 'Template format error: Unrecognized resource types: [AWS::Foo::Bar, AWS::Foo::Baz]');
    await expectSdkError(cfn.send(new ValidateTemplateCommand({ TemplateBody: body })), 'ValidationError', 'Template format error: Unrecognized resource types: [AWS::Foo::Bar, AWS::Foo::Baz]');
    await noStack('unknown');
  });

  it('IAM resources without the capability they need', async () => {
    const unnamed = template({ Role: { Type: 'AWS::IAM::Role', Properties: {} } });
    const named = template({ Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'r' } } });
    await expectSdkError(cfn.send(new CreateStackCommand({ StackName: 'caps', TemplateBody: unnamed })), 'InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_IAM]');
    await expectSdkError(cfn.send(new CreateStackCommand({ StackName: 'caps', TemplateBody: named, Capabilities: ['CAPABILITY_IAM'] })), 'InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_NAMED_IAM]');
    await noStack('caps');
    await cfn.send(new CreateStackCommand({ StackName: 'caps', TemplateBody: named, Capabilities: ['CAPABILITY_NAMED_IAM'] }));
    await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'caps' });
    const validated = await cfn.send(new ValidateTemplateCommand({ TemplateBody: named }));
    expect(validated).toMatchObject({ Capabilities: ['CAPABILITY_NAMED_IAM'], CapabilitiesReason: 'The following resource(s) require capabilities: [AWS::IAM::Role]', Parameters: [], DeclaredTransforms: [] });
  });

  it('a template with a transform: CreateStack needs CAPABILITY_AUTO_EXPAND, a change set does not', async () => {
    const body = template({ P: param('/v/transformed') }, { Transform: 'AWS::Serverless-2016-10-31' });
    await expectSdkError(cfn.send(new CreateStackCommand({ StackName: 'expand', TemplateBody: body })), 'InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_AUTO_EXPAND]');
    await noStack('expand');
    const { Id } = await cfn.send(new CreateChangeSetCommand({ StackName: 'expand', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: body }));
    expect(Id).toMatch(/:changeSet\/c\//);
  });

  it('Fn::GetAtt of an attribute the type does not have; malformed templates; parameters without values', async () => {
    const body = template({ Q: { Type: 'AWS::SQS::Queue' }, P: param('/v/p', { 'Fn::GetAtt': ['Q', 'Nope'] }) });
    await expectSdkError(cfn.send(new CreateStackCommand({ StackName: 'getatt', TemplateBody: body })), 'ValidationError', 'Template error: resource Q does not support attribute type Nope in Fn::GetAtt');
    await expectSdkError(cfn.send(new CreateStackCommand({ StackName: 'getatt', TemplateBody: '{not json' })), 'ValidationError', 'Template format error: JSON not well-formed.');
    const needs = template({ P: param('/v/p', { Ref: 'Env' }) }, { Parameters: { Env: { Type: 'String' } } });
    await expectSdkError(cfn.send(new CreateStackCommand({ StackName: 'getatt', TemplateBody: needs })), 'ValidationError', 'Parameters: [Env] must have values');
    await noStack('getatt');
  });
});

describe('failures while deploying', () => {
  it('a required property missing fails its resource with AWS message, and the stack rolls back', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'required', TemplateBody: template({ P: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String' } } }) }));
    expect((await settled('required')).StackStatus).toBe('ROLLBACK_COMPLETE');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'required' }))).StackEvents!;
    expect(events.find((e) => e.ResourceStatus === 'CREATE_FAILED')).toMatchObject({ LogicalResourceId: 'P', ResourceStatusReason: 'Properties validation failed for resource P with message: #: required key [Value] not found' });
  });

  it('OnFailure DO_NOTHING leaves CREATE_FAILED with what was created', async () => {
    const body = template({ Good: param('/keep/good'), Bad: { Type: 'AWS::SQS::Queue', DependsOn: 'Good', Properties: { DelaySeconds: 10000 } } });
    await cfn.send(new CreateStackCommand({ StackName: 'nothing', TemplateBody: body, OnFailure: 'DO_NOTHING' }));
    const stack = await settled('nothing');
    expect(stack).toMatchObject({ StackStatus: 'CREATE_FAILED', StackStatusReason: 'The following resource(s) failed to create: [Bad]. ' });
  });

  it('a stack rolled back can be neither updated nor changed by a change set: only deleted', async () => {
    const body = template({ Bad: { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: 10000 } } });
    await cfn.send(new CreateStackCommand({ StackName: 'rolled', TemplateBody: body }));
    const stack = await settled('rolled');
    const message = `Stack:${stack.StackId} is in ROLLBACK_COMPLETE state and can not be updated.`;
    await expectSdkError(cfn.send(new UpdateStackCommand({ StackName: 'rolled', TemplateBody: body })), 'ValidationError', message);
    await expectSdkError(cfn.send(new CreateChangeSetCommand({ StackName: 'rolled', ChangeSetName: 'c', TemplateBody: body })), 'ValidationError', message);
  });
});

describe('exports and imports', () => {
  it('lists exports, records imports, protects an export in use, refuses a duplicate name', async () => {
    const producer = template({ P: param('/exp/p', 'shared-value') }, { Outputs: { Out: { Value: { 'Fn::GetAtt': ['P', 'Value'] }, Export: { Name: 'shared' } } } });
    await cfn.send(new CreateStackCommand({ StackName: 'producer', TemplateBody: producer }));
    await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'producer' });
    const producerId = (await cfn.send(new DescribeStacksCommand({ StackName: 'producer' }))).Stacks![0]!.StackId;
    expect((await cfn.send(new ListExportsCommand({}))).Exports).toEqual([{ ExportingStackId: producerId, Name: 'shared', Value: 'shared-value' }]);
    await expectSdkError(cfn.send(new ListImportsCommand({ ExportName: 'shared' })), 'ValidationError', "Export 'shared' is not imported by any stack.");

    await cfn.send(new CreateStackCommand({ StackName: 'consumer', TemplateBody: template({ C: param('/exp/c', { 'Fn::ImportValue': 'shared' }) }) }));
    await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'consumer' });
    expect((await cfn.send(new ListImportsCommand({ ExportName: 'shared' }))).Imports).toEqual(['consumer']);

    // the producer stays as it was; its events say why
    await cfn.send(new DeleteStackCommand({ StackName: 'producer' }));
    const stack = await settled('producer');
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    const latest = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'producer' }))).StackEvents![0]!;
    expect(latest).toMatchObject({ LogicalResourceId: 'producer', ResourceStatus: 'CREATE_COMPLETE', ResourceStatusReason: 'Export shared cannot be deleted as it is in use by consumer' });

    await cfn.send(new CreateStackCommand({ StackName: 'duplicate', TemplateBody: template({ D: param('/exp/d') }, { Outputs: { Out: { Value: 'x', Export: { Name: 'shared' } } } }) }));
    expect(await settled('duplicate')).toMatchObject({ StackStatus: 'ROLLBACK_COMPLETE', StackStatusReason: 'Export with name shared is already exported by stack producer' });

    await expectSdkError(cfn.send(new CreateStackCommand({ StackName: 'missing', TemplateBody: template({ M: param('/exp/m', { 'Fn::ImportValue': 'nope' }) }) })), 'ValidationError', 'No export named nope found.');
    await noStack('missing');

    await cfn.send(new DeleteStackCommand({ StackName: 'consumer' }));
    await waitUntilStackDeleteComplete({ client: cfn, ...wait }, { StackName: 'consumer' });
    await cfn.send(new DeleteStackCommand({ StackName: 'producer' }));
    await waitUntilStackDeleteComplete({ client: cfn, ...wait }, { StackName: 'producer' });
    expect((await cfn.send(new ListExportsCommand({}))).Exports).toEqual([]);
  });
});

describe('template summaries', () => {
  it('GetTemplateSummary: parameters, resource types, version, capabilities', async () => {
    const body = template({ Q: { Type: 'AWS::SQS::Queue' }, P: param('/s/p', { Ref: 'Env' }) }, { Description: 'summary', Parameters: { Env: { Type: 'String', Default: 'dev', AllowedValues: ['dev', 'prod'], Description: 'where' }, Key: { Type: 'String', NoEcho: true } } });
    expect(await cfn.send(new GetTemplateSummaryCommand({ TemplateBody: body }))).toMatchObject({
      Parameters: [
        { ParameterKey: 'Env', DefaultValue: 'dev', ParameterType: 'String', NoEcho: false, Description: 'where', ParameterConstraints: { AllowedValues: ['dev', 'prod'] } },
        { ParameterKey: 'Key', ParameterType: 'String', NoEcho: true, ParameterConstraints: {} },
      ],
      Description: 'summary',
      ResourceTypes: ['AWS::SQS::Queue', 'AWS::SSM::Parameter'],
      Version: '2010-09-09',
      DeclaredTransforms: [],
    });
    await expectSdkError(cfn.send(new GetTemplateSummaryCommand({ StackName: 'nope' })), 'ValidationError', 'Stack with id nope does not exist');
  });
});
