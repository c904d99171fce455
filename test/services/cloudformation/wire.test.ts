/**
 * CloudFormation at the level of the wire: status, headers and the WHOLE document of
 * CreateStack, DescribeStacks, CreateChangeSet and DescribeChangeSet (test/support/wire.ts), in
 * XML and the JSON form, members in the model's order (the query codec's), the members AWS
 * answers present (empty lists as empty elements, RollbackConfiguration, DriftInformation; a
 * change set carries the stack's tags when it names none).
 * On the stand-in template language (harness.ts), in a runtime in this process.
 */
import { describe, expect, it } from 'vitest';
import { withInProcessRuntime } from '../../support/runtime.js';
import { expectAnswer, query, send } from '../../support/wire.js';
import { registry, template } from './harness.js';

let endpoint = '';
withInProcessRuntime(registry(), (e) => {
  endpoint = e;
});

const V = '2010-05-15';
const NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
const XML = { 'content-type': /^text\/xml/, 'x-amzn-requestid': /^[0-9a-f-]{36}$/ };
const META = '<ResponseMetadata><RequestId>{{uuid}}</RequestId></ResponseMetadata>';
const cfn = (action: string, params: Record<string, string> = {}, json = false) => query('cloudformation', action, V, params, { json });
const STACK_ID = '{{/arn:aws:cloudformation:us-east-1:000000000000:stack\\/wire\\/[0-9a-f-]{36}/}}';

const body = template(
  { P: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/wire/p', Type: 'String', Value: 'v' } } },
  { Description: 'wire', Parameters: { Env: { Type: 'String', Default: 'dev' } }, Outputs: { Out: { Value: { Ref: 'P' }, Description: 'the name', Export: { Name: 'wire-out' } } } },
);

async function complete(name: string): Promise<void> {
  for (;;) {
    const text = (await send(endpoint, cfn('DescribeStacks', { StackName: name }))).text;
    if (!/_IN_PROGRESS</.test(text)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('cloudformation on the wire', () => {
  it('CreateStack, then DescribeStacks: the whole documents, XML and JSON', async () => {
    await expectAnswer(endpoint, cfn('CreateStack', { StackName: 'wire', TemplateBody: body, 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'a' }), {
      status: 200,
      headers: XML,
      xml: `<CreateStackResponse xmlns="${NS}"><CreateStackResult><StackId>${STACK_ID}</StackId></CreateStackResult>${META}</CreateStackResponse>`,
    });
    await complete('wire');
    await expectAnswer(endpoint, cfn('DescribeStacks', { StackName: 'wire' }), {
      status: 200,
      headers: XML,
      xml: `<DescribeStacksResponse xmlns="${NS}"><DescribeStacksResult><Stacks><member>
        <StackId>${STACK_ID}</StackId><StackName>wire</StackName><Description>wire</Description>
        <Parameters><member><ParameterKey>Env</ParameterKey><ParameterValue>dev</ParameterValue></member></Parameters>
        <CreationTime>{{iso}}</CreationTime><RollbackConfiguration></RollbackConfiguration>
        <StackStatus>CREATE_COMPLETE</StackStatus><DisableRollback>false</DisableRollback><NotificationARNs></NotificationARNs>
        <Outputs><member><OutputKey>Out</OutputKey><OutputValue>/wire/p</OutputValue><Description>the name</Description><ExportName>wire-out</ExportName></member></Outputs>
        <Tags><member><Key>team</Key><Value>a</Value></member></Tags><EnableTerminationProtection>false</EnableTerminationProtection>
        <DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus></DriftInformation>
      </member></Stacks></DescribeStacksResult>${META}</DescribeStacksResponse>`,
    });
    await expectAnswer(endpoint, cfn('DescribeStacks', { StackName: 'wire' }, true), {
      status: 200,
      headers: { 'content-type': 'application/json' },
      json: {
        DescribeStacksResponse: {
          DescribeStacksResult: {
            Stacks: [
              {
                StackId: expect.stringMatching(/^arn:aws:cloudformation:us-east-1:000000000000:stack\/wire\//),
                StackName: 'wire',
                Description: 'wire',
                Parameters: [{ ParameterKey: 'Env', ParameterValue: 'dev' }],
                CreationTime: expect.any(Number),
                RollbackConfiguration: {},
                StackStatus: 'CREATE_COMPLETE',
                DisableRollback: false,
                NotificationARNs: [],
                Outputs: [{ OutputKey: 'Out', OutputValue: '/wire/p', Description: 'the name', ExportName: 'wire-out' }],
                Tags: [{ Key: 'team', Value: 'a' }],
                EnableTerminationProtection: false,
                DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
              },
            ],
          },
          ResponseMetadata: { RequestId: expect.any(String) },
        },
      },
    });
  });

  it('CreateChangeSet and DescribeChangeSet: the whole documents', async () => {
    const next = template({ P: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/wire/p', Type: 'String', Value: 'changed' } } }, { Parameters: { Env: { Type: 'String', Default: 'dev' } } });
    const CS_ID = '{{/arn:aws:cloudformation:us-east-1:000000000000:changeSet\\/next\\/[0-9a-f-]{36}/}}';
    await expectAnswer(endpoint, cfn('CreateChangeSet', { StackName: 'wire', ChangeSetName: 'next', TemplateBody: next }), {
      status: 200,
      headers: XML,
      xml: `<CreateChangeSetResponse xmlns="${NS}"><CreateChangeSetResult><Id>${CS_ID}</Id><StackId>${STACK_ID}</StackId></CreateChangeSetResult>${META}</CreateChangeSetResponse>`,
    });
    await expectAnswer(endpoint, cfn('DescribeChangeSet', { StackName: 'wire', ChangeSetName: 'next' }), {
      status: 200,
      headers: XML,
      xml: `<DescribeChangeSetResponse xmlns="${NS}"><DescribeChangeSetResult>
        <ChangeSetName>next</ChangeSetName><ChangeSetId>${CS_ID}</ChangeSetId><StackId>${STACK_ID}</StackId><StackName>wire</StackName>
        <Parameters><member><ParameterKey>Env</ParameterKey><ParameterValue>dev</ParameterValue></member></Parameters>
        <CreationTime>{{iso}}</CreationTime><ExecutionStatus>AVAILABLE</ExecutionStatus><Status>CREATE_COMPLETE</Status>
        <NotificationARNs></NotificationARNs><RollbackConfiguration></RollbackConfiguration>
        <Tags><member><Key>team</Key><Value>a</Value></member></Tags>
        <Changes><member><Type>Resource</Type><ResourceChange>
          <Action>Modify</Action><LogicalResourceId>P</LogicalResourceId><PhysicalResourceId>/wire/p</PhysicalResourceId>
          <ResourceType>AWS::SSM::Parameter</ResourceType><Replacement>False</Replacement><Scope><member>Properties</member></Scope>
          <Details><member><Target><Attribute>Properties</Attribute><Name>Value</Name><RequiresRecreation>Never</RequiresRecreation></Target>
            <Evaluation>Static</Evaluation><ChangeSource>DirectModification</ChangeSource></member></Details>
        </ResourceChange></member></Changes>
        <IncludeNestedStacks>false</IncludeNestedStacks>
      </DescribeChangeSetResult>${META}</DescribeChangeSetResponse>`,
    });
  });

  it('errors: a stack that does not exist (ValidationError), a change set that does not exist (ChangeSetNotFound, 404)', async () => {
    await expectAnswer(endpoint, cfn('DescribeStacks', { StackName: 'nope' }), {
      status: 400,
      headers: XML,
      xml: `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id nope does not exist</Message></Error><RequestId>{{uuid}}</RequestId></ErrorResponse>`,
    });
    await expectAnswer(endpoint, cfn('DescribeChangeSet', { StackName: 'wire', ChangeSetName: 'nope' }), {
      status: 404,
      headers: XML,
      xml: `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>ChangeSetNotFound</Code><Message>ChangeSet [nope] does not exist</Message></Error><RequestId>{{uuid}}</RequestId></ErrorResponse>`,
    });
  });

  it('an operation without a handler: 501 InternalFailure, the whole error document', async () => {
    const message = "API action 'ListTypes' for service 'cloudformation' is not yet implemented";
    await expectAnswer(endpoint, cfn('ListTypes'), { status: 501, headers: XML, xml: `<ErrorResponse xmlns="${NS}"><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>${message}</Message></Error><RequestId>{{uuid}}</RequestId></ErrorResponse>` });
    await expectAnswer(endpoint, cfn('ListTypes', {}, true), { status: 501, headers: { 'content-type': 'application/json' }, json: { Error: { Code: 'InternalFailure', Message: message, Type: 'Receiver' }, RequestId: expect.any(String) } });
  });
});
