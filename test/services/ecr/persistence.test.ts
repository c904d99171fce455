/**
 * ECR's state across a restart: two runtime processes, one after the other, with
 * PERSISTENCE=1 and the same LOCALSTACK_VOLUME_DIR; what the first made (a repository with its
 * settings, tags, repository policy and lifecycle policy; a deleted one) reads the same from
 * the second.
 */
import {
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetLifecyclePolicyCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  PutLifecyclePolicyCommand,
  SetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime } from '../../support/runtime.js';
import { expectSdkError } from '../../support/sdk-error.js';

const volume = mkdtempSync(join(tmpdir(), 'ls-ecr-persistence-'));
afterAll(() => rmSync(volume, { recursive: true, force: true }));

const env = { PERSISTENCE: '1', SERVICES: 'ecr', EAGER_SERVICE_LOADING: '1' };
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' }] });
const LIFECYCLE = JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } }] });

describe('ecr with PERSISTENCE=1', () => {
  it('reads back the repositories, tags and policies a stopped runtime saved', async () => {
    const first = await startRuntime({ env, volume });
    let before;
    try {
      const ecr = new ECRClient({ ...clientConfig(first.endpoint), maxAttempts: 1 });
      await ecr.send(new CreateRepositoryCommand({ repositoryName: 'kept/app', imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true }, tags: [{ Key: 'k', Value: 'v' }] }));
      await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'kept/app', policyText: POLICY }));
      await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'kept/app', lifecyclePolicyText: LIFECYCLE }));
      await ecr.send(new CreateRepositoryCommand({ repositoryName: 'gone' }));
      await ecr.send(new DeleteRepositoryCommand({ repositoryName: 'gone' }));
      before = (await ecr.send(new DescribeRepositoriesCommand({}))).repositories;
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const second = await startRuntime({ env, volume });
    try {
      const ecr = new ECRClient({ ...clientConfig(second.endpoint), maxAttempts: 1 });
      const after = (await ecr.send(new DescribeRepositoriesCommand({}))).repositories!;
      expect(after.map(({ repositoryUri: _, ...r }) => r)).toEqual(before!.map(({ repositoryUri: _, ...r }) => r));
      expect(after.map((r) => r.repositoryName)).toEqual(['kept/app']);
      expect((await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'kept/app' }))).policyText).toBe(POLICY);
      expect((await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'kept/app' }))).lifecyclePolicyText).toBe(LIFECYCLE);
      expect((await ecr.send(new ListTagsForResourceCommand({ resourceArn: after[0]!.repositoryArn! }))).tags).toEqual([{ Key: 'k', Value: 'v' }]);
      await expectSdkError(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['gone'] })), 'RepositoryNotFoundException');
      expect(second.stderr()).not.toMatch(/ (WARN|ERROR) +--- \[state\] /);
    } finally {
      await second.stop();
    }
  });
});
