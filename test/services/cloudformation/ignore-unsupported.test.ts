/**
 * CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES=1: a resource of a type nothing here emulates is
 * skipped with a warning instead of failing the stack (as LocalStack does); the rest deploys,
 * a Ref to the skipped resource answers its placeholder id, deleting the stack skips it again.
 * On the stand-in template language (harness.ts), in a runtime in this process.
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackResourcesCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
} from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';
import { registry, template } from './harness.js';

let cfn: CloudFormationClient;
let ssm: SSMClient;
withInProcessRuntime(
  registry(),
  (endpoint) => {
    cfn = new CloudFormationClient({ ...clientConfig(endpoint), maxAttempts: 1 });
    ssm = new SSMClient({ ...clientConfig(endpoint), maxAttempts: 1 });
  },
  { env: { CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES: '1' } },
);

const wait = { maxWaitTime: 20, minDelay: 1, maxDelay: 1 };

describe('CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES=1', () => {
  it('skips what it cannot deploy and deploys the rest', async () => {
    const body = template({
      Thing: { Type: 'AWS::Foo::Bar', Properties: { Size: 1 } },
      P: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/ignore/p', Type: 'String', Value: { Ref: 'Thing' } } },
    });
    await cfn.send(new CreateStackCommand({ StackName: 'ignore', TemplateBody: body }));
    await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'ignore' });
    const resources = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'ignore' }))).StackResources!;
    const thing = resources.find((r) => r.LogicalResourceId === 'Thing')!;
    expect(thing).toMatchObject({ ResourceType: 'AWS::Foo::Bar', ResourceStatus: 'CREATE_COMPLETE', ResourceStatusReason: 'Resource type AWS::Foo::Bar is not supported and was skipped' });
    expect((await ssm.send(new GetParameterCommand({ Name: '/ignore/p' }))).Parameter?.Value).toBe(thing.PhysicalResourceId);
    await cfn.send(new DeleteStackCommand({ StackName: 'ignore' }));
    await waitUntilStackDeleteComplete({ client: cfn, ...wait }, { StackName: 'ignore' });
  });
});
