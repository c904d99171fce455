/**
 * Nested stacks (AWS::CloudFormation::Stack) with their templates in S3: the child is a stack
 * of its own (ParentId, RootId, its events), its outputs read by the parent through
 * Fn::GetAtt Outputs.<key>, updated with the parent, deleted with it; a child that fails
 * fails the parent's resource with AWS's "Embedded stack" reason and is removed. On the
 * stand-in template language (harness.ts), in a runtime in this process.
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';
import { registry, template } from './harness.js';

let endpoint = '';
let cfn: CloudFormationClient;
let s3: S3Client;
let ssm: SSMClient;
withInProcessRuntime(registry(), (e) => {
  endpoint = e;
  cfn = new CloudFormationClient({ ...clientConfig(e), maxAttempts: 1 });
  s3 = new S3Client({ ...clientConfig(e), forcePathStyle: true, maxAttempts: 1 });
  ssm = new SSMClient({ ...clientConfig(e), maxAttempts: 1 });
});

const child = (suffix: string) =>
  template(
    { P: { Type: 'AWS::SSM::Parameter', Properties: { Name: { 'Fn::Join': ['', ['/nested/', { Ref: 'Label' }]] }, Type: 'String', Value: `child-${suffix}` } } },
    { Parameters: { Label: { Type: 'String' } }, Outputs: { ParamName: { Value: { Ref: 'P' } } } },
  );
const failing = template({ Bad: { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: 10000 } } });

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'cfn-templates' }));
  await s3.send(new PutObjectCommand({ Bucket: 'cfn-templates', Key: 'child-1.json', Body: child('1') }));
  await s3.send(new PutObjectCommand({ Bucket: 'cfn-templates', Key: 'child-2.json', Body: child('2') }));
  await s3.send(new PutObjectCommand({ Bucket: 'cfn-templates', Key: 'failing.json', Body: failing }));
});

const parent = (key: string, label: string) =>
  template(
    { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: `${endpoint}/cfn-templates/${key}`, Parameters: { Label: label } } } },
    { Outputs: { FromChild: { Value: { 'Fn::GetAtt': ['Child', 'Outputs.ParamName'] } } } },
  );

async function settled(name: string): Promise<Stack> {
  for (;;) {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;
    if (!stack.StackStatus!.endsWith('_IN_PROGRESS')) return stack;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('nested stacks', () => {
  it('creates, updates and deletes the child with its parent', async () => {
    const { StackId } = await cfn.send(new CreateStackCommand({ StackName: 'outer', TemplateBody: parent('child-1.json', 'one') }));
    expect(await settled('outer')).toMatchObject({ StackStatus: 'CREATE_COMPLETE', Outputs: [{ OutputKey: 'FromChild', OutputValue: '/nested/one' }] });
    const childId = (await cfn.send(new DescribeStackResourceCommand({ StackName: 'outer', LogicalResourceId: 'Child' }))).StackResourceDetail!.PhysicalResourceId!;
    expect(childId).toMatch(/^arn:aws:cloudformation:us-east-1:\d{12}:stack\/outer-Child-[A-Z0-9]{12}\//);
    expect((await cfn.send(new DescribeStacksCommand({ StackName: childId }))).Stacks![0]).toMatchObject({ StackStatus: 'CREATE_COMPLETE', ParentId: StackId, RootId: StackId, Outputs: [{ OutputKey: 'ParamName', OutputValue: '/nested/one' }] });
    expect((await ssm.send(new GetParameterCommand({ Name: '/nested/one' }))).Parameter?.Value).toBe('child-1');
    const childEvents = (await cfn.send(new DescribeStackEventsCommand({ StackName: childId }))).StackEvents!;
    expect(childEvents[0]).toMatchObject({ ResourceStatus: 'CREATE_COMPLETE', PhysicalResourceId: childId });

    await cfn.send(new UpdateStackCommand({ StackName: 'outer', TemplateBody: parent('child-2.json', 'two') }));
    expect(await settled('outer')).toMatchObject({ StackStatus: 'UPDATE_COMPLETE', Outputs: [{ OutputKey: 'FromChild', OutputValue: '/nested/two' }] });
    expect((await cfn.send(new DescribeStacksCommand({ StackName: childId }))).Stacks![0]!.StackStatus).toBe('UPDATE_COMPLETE');
    expect((await ssm.send(new GetParameterCommand({ Name: '/nested/two' }))).Parameter?.Value).toBe('child-2');
    expect((await sdkError(ssm.send(new GetParameterCommand({ Name: '/nested/one' })))).name).toBe('ParameterNotFound');

    await cfn.send(new DeleteStackCommand({ StackName: 'outer' }));
    expect((await settled(StackId!)).StackStatus).toBe('DELETE_COMPLETE');
    expect((await cfn.send(new DescribeStacksCommand({ StackName: childId }))).Stacks![0]!.StackStatus).toBe('DELETE_COMPLETE');
    expect((await sdkError(ssm.send(new GetParameterCommand({ Name: '/nested/two' })))).name).toBe('ParameterNotFound');
  });

  it('a child that fails fails its resource, and the parent rolls back', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'outer-failing', TemplateBody: template({ Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: `${endpoint}/cfn-templates/failing.json` } } }) }));
    expect((await settled('outer-failing')).StackStatus).toBe('ROLLBACK_COMPLETE');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'outer-failing' }))).StackEvents!;
    const failed = events.find((e) => e.LogicalResourceId === 'Child' && e.ResourceStatus === 'CREATE_FAILED')!;
    expect(failed.ResourceStatusReason).toMatch(/^Embedded stack arn:aws:cloudformation:us-east-1:\d{12}:stack\/outer-failing-Child-[A-Z0-9]{12}\/[0-9a-f-]{36} was not successfully created: The following resource\(s\) failed to create: \[Bad\]\. Rollback requested by user\.$/);
  });

  it('a TemplateURL naming nothing is refused with S3 error text', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'outer-missing', TemplateBody: template({ Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: `${endpoint}/cfn-templates/none.json` } } }) }));
    expect((await settled('outer-missing')).StackStatus).toBe('ROLLBACK_COMPLETE');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'outer-missing' }))).StackEvents!;
    expect(events.find((e) => e.ResourceStatus === 'CREATE_FAILED')?.ResourceStatusReason).toContain('S3 error: The specified key does not exist.');
  });
});
