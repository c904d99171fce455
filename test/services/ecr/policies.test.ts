/**
 * ECR's policies through @aws-sdk/client-ecr against a real runtime process: a repository's
 * policy (a resource policy without Resource, checked by runtime/aws/policies.ts), its
 * lifecycle policy (ECR's schema and rules), the registry policy nobody set, and AWS's errors.
 */
import {
  CreateRepositoryCommand,
  DeleteLifecyclePolicyCommand,
  DeleteRepositoryPolicyCommand,
  ECRClient,
  GetLifecyclePolicyCommand,
  GetRegistryPolicyCommand,
  GetRepositoryPolicyCommand,
  PutLifecyclePolicyCommand,
  SetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectSdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let ecr: ECRClient;
const ACCOUNT = '000000000000';

beforeAll(async () => {
  rt = await startRuntime();
  ecr = new ECRClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'pol' }));
});
afterAll(async () => {
  await rt?.stop();
});

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'pull', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }],
});

const rule = (priority: number, selection: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ rulePriority: priority, description: 'a rule of the test', selection, action: { type: 'expire' }, ...extra });
const lifecycle = (...rules: unknown[]) => JSON.stringify({ rules });
const VALID = lifecycle(rule(1, { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 10 }), rule(2, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }));

describe('ECR repository policies', () => {
  it('sets, reads and deletes a repository policy; afterwards it is not found', async () => {
    expect(await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'pol', policyText: POLICY }))).toMatchObject({ registryId: ACCOUNT, repositoryName: 'pol', policyText: POLICY });
    expect(await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'pol' }))).toMatchObject({ registryId: ACCOUNT, repositoryName: 'pol', policyText: POLICY });
    expect(await ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: 'pol' }))).toMatchObject({ policyText: POLICY });
    const notFound = `Repository policy does not exist for the repository with name 'pol' in the registry with id '${ACCOUNT}'`;
    await expectSdkError(ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'pol' })), 'RepositoryPolicyNotFoundException', notFound);
    await expectSdkError(ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: 'pol' })), 'RepositoryPolicyNotFoundException', notFound);
  });

  it.each([
    ['not JSON', '{"Version":'],
    ['no Principal', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecr:*' }] })],
    ['a bad Effect', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Principal: '*', Action: 'ecr:*' }] })],
  ])('refuses a policy with %s as InvalidParameterException', async (_, policyText) => {
    await expectSdkError(ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'pol', policyText })), 'InvalidParameterException', "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'");
  });

  it('a policy on an unknown repository is RepositoryNotFoundException', async () => {
    await expectSdkError(ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'ghost', policyText: POLICY })), 'RepositoryNotFoundException', `The repository with name 'ghost' does not exist in the registry with id '${ACCOUNT}'`);
  });
});

describe('ECR lifecycle policies', () => {
  it('puts, reads and deletes a lifecycle policy; afterwards it is not found', async () => {
    expect(await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'pol', lifecyclePolicyText: VALID }))).toMatchObject({ registryId: ACCOUNT, repositoryName: 'pol', lifecyclePolicyText: VALID });
    expect(await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'pol' }))).toMatchObject({ lifecyclePolicyText: VALID });
    expect(await ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: 'pol' }))).toMatchObject({ lifecyclePolicyText: VALID });
    const notFound = `Lifecycle policy does not exist for the repository with name 'pol' in the registry with id '${ACCOUNT}'`;
    await expectSdkError(ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'pol' })), 'LifecyclePolicyNotFoundException', notFound);
    await expectSdkError(ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: 'pol' })), 'LifecyclePolicyNotFoundException', notFound);
  });

  const pad = (text: string) => text + ' '.repeat(Math.max(0, 100 - text.length));
  it.each([
    ['text that is not JSON', pad('{"rules": ['), 'Could not map policyString into LifecyclePolicy.'],
    ['no rules', pad(JSON.stringify({ other: [] })), 'object has missing required properties (["rules"])'],
    ['a rule without action', lifecycle({ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 } }), 'object has missing required properties (["action"])'],
    ['an unknown rule property', lifecycle(rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }, { when: 'now' })), 'object instance has properties which are not allowed by the schema: (["when"])'],
    ['a bad tagStatus', lifecycle(rule(1, { tagStatus: 'sometimes', countType: 'imageCountMoreThan', countNumber: 1 })), 'instance value ("sometimes") not found in enum (possible values: ["tagged","untagged","any"])'],
    ['countNumber 0', lifecycle(rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 0 })), 'numeric instance is lower than the required minimum (minimum: 1, found: 0)'],
    ['tagged without prefixes', lifecycle(rule(1, { tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 1 })), 'Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.'],
    ['an any rule before another', lifecycle(rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }), rule(2, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 })), 'Rule for tagStatus=ANY must have the lowest priority per storage class'],
  ])('refuses %s with ECR’s reason', async (_, lifecyclePolicyText, reason) => {
    await expectSdkError(
      ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'pol', lifecyclePolicyText })),
      'InvalidParameterException',
      `Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ${reason}'`,
    );
  });
});

describe('ECR registry policy', () => {
  it('is not found while nobody set one', async () => {
    await expectSdkError(ecr.send(new GetRegistryPolicyCommand({})), 'RegistryPolicyNotFoundException', `Registry policy does not exist in the registry with id '${ACCOUNT}'`);
  });
});
