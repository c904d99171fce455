/**
 * AWS::ECR::Repository through stacks (client-cloudformation, a real runtime process), read
 * back through client-ecr: settings, lifecycle and repository policies, tags, Ref and GetAtt,
 * in-place updates, a generated lower-case name, a refused lifecycle policy that fails and rolls
 * back the stack with ECR's reason, and deletion.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeRepositoriesCommand, ECRClient, GetLifecyclePolicyCommand, GetRepositoryPolicyCommand, ListTagsForResourceCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../../support/runtime.js';
import { sdkError } from '../../../support/sdk-error.js';
import { createStack, deleteStack, failingStack, updateStack } from './stack.js';

let rt: RuntimeProcess;
let cfn: CloudFormationClient;
let ecr: ECRClient;

beforeAll(async () => {
  rt = await startRuntime({ env: { LOCALSTACK_HOST: 'localhost.localstack.cloud:4566' } });
  cfn = new CloudFormationClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
  ecr = new ECRClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

const LIFECYCLE = JSON.stringify({ rules: [{ rulePriority: 1, description: 'untagged', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, action: { type: 'expire' } }] });
const POLICY = { Version: '2012-10-17', Statement: [{ Sid: 'pull', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: ['ecr:BatchGetImage'] }] };

function template(mutability: string, scan: boolean, withPolicies: boolean) {
  return {
    Resources: {
      Repo: {
        Type: 'AWS::ECR::Repository',
        Properties: {
          RepositoryName: 'cfn/repo',
          ImageTagMutability: mutability,
          ImageScanningConfiguration: { ScanOnPush: scan },
          EmptyOnDelete: true,
          Tags: [{ Key: 'scan', Value: String(scan) }],
          ...(withPolicies ? { LifecyclePolicy: { LifecyclePolicyText: LIFECYCLE }, RepositoryPolicyText: POLICY } : {}),
        },
      },
      Generated: { Type: 'AWS::ECR::Repository' },
    },
    Outputs: {
      Ref: { Value: { Ref: 'Repo' } },
      Arn: { Value: { 'Fn::GetAtt': ['Repo', 'Arn'] } },
      Uri: { Value: { 'Fn::GetAtt': ['Repo', 'RepositoryUri'] } },
      Generated: { Value: { Ref: 'Generated' } },
    },
  };
}

describe('AWS::ECR::Repository', () => {
  it('creates repositories with their settings and policies; Ref and GetAtt as documented', async () => {
    const out = await createStack(cfn, 'Ecr-Stack', template('IMMUTABLE', true, true));
    expect(out).toMatchObject({ Ref: 'cfn/repo', Arn: 'arn:aws:ecr:us-east-1:000000000000:repository/cfn/repo', Uri: '000000000000.dkr.ecr.us-east-1.localhost.localstack.cloud:4566/cfn/repo' });
    expect(out['Generated']).toMatch(/^ecr-stack-generated-[a-z0-9]{12}$/);
    const [repo] = (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['cfn/repo'] }))).repositories!;
    expect(repo).toMatchObject({ imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } });
    expect((await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'cfn/repo' }))).lifecyclePolicyText).toBe(LIFECYCLE);
    expect(JSON.parse((await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'cfn/repo' }))).policyText!)).toEqual(POLICY);
    expect((await ecr.send(new ListTagsForResourceCommand({ resourceArn: out['Arn'] }))).tags).toEqual([{ Key: 'scan', Value: 'true' }]);
  });

  it('updates settings in place and removes the policies the template drops', async () => {
    await updateStack(cfn, 'Ecr-Stack', template('MUTABLE', false, false));
    const [repo] = (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['cfn/repo'] }))).repositories!;
    expect(repo).toMatchObject({ imageTagMutability: 'MUTABLE', imageScanningConfiguration: { scanOnPush: false } });
    expect(await sdkError(ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'cfn/repo' })))).toMatchObject({ name: 'LifecyclePolicyNotFoundException' });
    expect(await sdkError(ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'cfn/repo' })))).toMatchObject({ name: 'RepositoryPolicyNotFoundException' });
    expect((await ecr.send(new ListTagsForResourceCommand({ resourceArn: repo!.repositoryArn! }))).tags).toEqual([{ Key: 'scan', Value: 'false' }]);
  });

  it('deleting the stack removes the repositories', async () => {
    await deleteStack(cfn, 'Ecr-Stack');
    expect((await ecr.send(new DescribeRepositoriesCommand({}))).repositories).toEqual([]);
  });

  it('a refused lifecycle policy fails the stack with ECR’s reason and leaves no repository', async () => {
    const bad = { Resources: { Repo: { Type: 'AWS::ECR::Repository', Properties: { RepositoryName: 'cfn/bad', LifecyclePolicy: { LifecyclePolicyText: JSON.stringify({ rules: [], padding: 'x'.repeat(100) }) } } } } };
    const { stack, reasons } = await failingStack(cfn, 'ecr-bad', bad);
    expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(reasons.join('\n')).toMatch(/Repo: Resource handler returned message: "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: /);
    expect(await sdkError(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['cfn/bad'] })))).toMatchObject({ name: 'RepositoryNotFoundException' });
  });
});
