/**
 * ECR at the level of the wire: status, headers and the WHOLE document of each answer
 * (test/support/wire.ts), as AWS documents it (json 1.1, `AmazonEC2ContainerRegistry_V20150921`
 * targets, dates as epoch seconds). SDKs are lenient; snapshot tests and Terraform are not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectAnswer, jsonRpc, send } from '../../support/wire.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime({ env: { LOCALSTACK_HOST: 'localhost.localstack.cloud:4566' } });
});
afterAll(async () => {
  await rt?.stop();
});

const ecr = (operation: string, input: unknown) => jsonRpc('ecr', `AmazonEC2ContainerRegistry_V20150921.${operation}`, input, { version: '1.1' });
const HEADERS = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': /^[0-9a-f-]{36}$/ };
const REPOSITORY = {
  repositoryArn: 'arn:aws:ecr:us-east-1:000000000000:repository/wire',
  registryId: '000000000000',
  repositoryName: 'wire',
  repositoryUri: '000000000000.dkr.ecr.us-east-1.localhost.localstack.cloud:4566/wire',
  createdAt: expect.any(Number),
  imageTagMutability: 'MUTABLE',
  imageScanningConfiguration: { scanOnPush: false },
  encryptionConfiguration: { encryptionType: 'AES256' },
};

describe('ecr on the wire', () => {
  it('CreateRepository and DescribeRepositories: the whole documents', async () => {
    await expectAnswer(rt.endpoint, ecr('CreateRepository', { repositoryName: 'wire' }), { status: 200, headers: HEADERS, json: { repository: REPOSITORY } });
    await expectAnswer(rt.endpoint, ecr('DescribeRepositories', { repositoryNames: ['wire'] }), { status: 200, headers: HEADERS, json: { repositories: [REPOSITORY] } });
    const created = JSON.parse((await send(rt.endpoint, ecr('DescribeRepositories', {}))).text) as { repositories: { createdAt: number }[] };
    // epoch seconds, as json protocols write timestamps
    expect(Math.abs(created.repositories[0]!.createdAt - Date.now() / 1000)).toBeLessThan(3600);
  });

  it('errors: the whole error documents', async () => {
    await expectAnswer(rt.endpoint, ecr('DescribeRepositories', { repositoryNames: ['ghost'] }), {
      status: 400,
      headers: HEADERS,
      json: { __type: 'RepositoryNotFoundException', message: "The repository with name 'ghost' does not exist in the registry with id '000000000000'" },
    });
    await expectAnswer(rt.endpoint, ecr('GetLifecyclePolicy', { repositoryName: 'wire' }), {
      status: 400,
      headers: HEADERS,
      json: { __type: 'LifecyclePolicyNotFoundException', message: "Lifecycle policy does not exist for the repository with name 'wire' in the registry with id '000000000000'" },
    });
  });

  it('an operation without a handler: 501 InternalFailure, the whole error document', async () => {
    const message = "API action 'ListReplicationBackfills' for service 'ecr' is not yet implemented";
    await expectAnswer(rt.endpoint, ecr('ListReplicationBackfills', {}), { status: 501, headers: HEADERS, json: { __type: 'InternalFailure', message } });
    expect((await fetch(`${rt.endpoint}/_localstack/health`)).status).toBe(200);
  });
});
