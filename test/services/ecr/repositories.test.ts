/**
 * ECR repositories through @aws-sdk/client-ecr against a real runtime process: create (names,
 * settings, tags, the URI as LocalStack writes it), describe (by name, paged), delete, the
 * scanning and mutability settings, the empty image listings, tags, authorization tokens, and
 * the errors AWS gives for each bad input, with the runtime serving afterwards.
 */
import {
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeImagesCommand,
  DescribeRegistryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  ListImagesCommand,
  ListReplicationBackfillsCommand,
  ListTagsForResourceCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  TagResourceCommand,
  UntagResourceCommand,
  paginateDescribeRepositories,
} from '@aws-sdk/client-ecr';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient, TagResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectSdkError, sdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let ecr: ECRClient;
const ACCOUNT = '000000000000';

beforeAll(async () => {
  // LocalStack's default LOCALSTACK_HOST, whatever port this runtime listens on
  rt = await startRuntime({ env: { LOCALSTACK_HOST: 'localhost.localstack.cloud:4566' } });
  // no retries: a 500 (a bug, or the state audit finding a change without its mark) fails the test
  ecr = new ECRClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

describe('ECR repositories', () => {
  it('creates a repository with its settings and tags; the URI is LocalStack’s', async () => {
    const { repository } = await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: 'team/app',
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'arn:aws:kms:us-east-1:000000000000:key/k1' },
        tags: [{ Key: 'team', Value: 'a' }],
      }),
    );
    expect(repository).toEqual({
      repositoryArn: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/team/app`,
      registryId: ACCOUNT,
      repositoryName: 'team/app',
      repositoryUri: `${ACCOUNT}.dkr.ecr.us-east-1.localhost.localstack.cloud:4566/team/app`,
      createdAt: expect.any(Date),
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'arn:aws:kms:us-east-1:000000000000:key/k1' },
    });
    const described = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['team/app'] }));
    expect(described.repositories).toEqual([repository]);
    const tags = await ecr.send(new ListTagsForResourceCommand({ resourceArn: repository!.repositoryArn! }));
    expect(tags.tags).toEqual([{ Key: 'team', Value: 'a' }]);
  });

  it('defaults: MUTABLE, no scan on push, AES256', async () => {
    const { repository } = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'plain' }));
    expect(repository).toMatchObject({ imageTagMutability: 'MUTABLE', imageScanningConfiguration: { scanOnPush: false }, encryptionConfiguration: { encryptionType: 'AES256' } });
    expect(repository!.encryptionConfiguration!.kmsKey).toBeUndefined();
  });

  it('refuses a name outside ECR’s pattern, a taken name, and reports an unknown repository as AWS words them', async () => {
    await expectSdkError(
      ecr.send(new CreateRepositoryCommand({ repositoryName: 'Upper_Case' })),
      'InvalidParameterException',
      "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*''",
    );
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'taken' }));
    await expectSdkError(ecr.send(new CreateRepositoryCommand({ repositoryName: 'taken' })), 'RepositoryAlreadyExistsException', `The repository with name 'taken' already exists in the registry with id '${ACCOUNT}'`);
    await expectSdkError(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['nope'] })), 'RepositoryNotFoundException', `The repository with name 'nope' does not exist in the registry with id '${ACCOUNT}'`);
    await expectSdkError(ecr.send(new DeleteRepositoryCommand({ repositoryName: 'nope' })), 'RepositoryNotFoundException', `The repository with name 'nope' does not exist in the registry with id '${ACCOUNT}'`);
    await expectSdkError(ecr.send(new CreateRepositoryCommand({ repositoryName: 'x' })), 'ValidationException', /Member must have length greater than or equal to 2/);
    await expectSdkError(ecr.send(new CreateRepositoryCommand({ repositoryName: 'bad-tag', tags: [{ Key: 'aws:x', Value: 'v' }] })), 'InvalidTagParameterException');
    expect((await fetch(`${rt.endpoint}/_localstack/health`)).status).toBe(200);
  });

  it('pages through repositories in name order', async () => {
    for (const n of ['page-c', 'page-a', 'page-b']) await ecr.send(new CreateRepositoryCommand({ repositoryName: n }));
    const names: string[] = [];
    const pages: number[] = [];
    for await (const page of paginateDescribeRepositories({ client: ecr, pageSize: 2 }, {})) {
      pages.push(page.repositories!.length);
      names.push(...page.repositories!.map((r) => r.repositoryName!));
    }
    expect(names.filter((n) => n.startsWith('page-'))).toEqual(['page-a', 'page-b', 'page-c']);
    expect(names).toEqual([...names].sort());
    expect(pages.every((n) => n <= 2)).toBe(true);
    expect(pages.length).toBeGreaterThan(1);
    await expectSdkError(ecr.send(new DescribeRepositoriesCommand({ nextToken: 'garbage' })), 'InvalidParameterException');
  });

  it('deletes a repository (with or without force: there are no images); it is gone afterwards', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'doomed' }));
    const { repository } = await ecr.send(new DeleteRepositoryCommand({ repositoryName: 'doomed', force: true }));
    expect(repository!.repositoryName).toBe('doomed');
    await expectSdkError(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['doomed'] })), 'RepositoryNotFoundException');
  });

  it('changes the scanning configuration and tag mutability', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'settings' }));
    expect(await ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: 'settings', imageScanningConfiguration: { scanOnPush: true } }))).toMatchObject({ registryId: ACCOUNT, repositoryName: 'settings', imageScanningConfiguration: { scanOnPush: true } });
    expect(await ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'settings', imageTagMutability: 'IMMUTABLE' }))).toMatchObject({ registryId: ACCOUNT, repositoryName: 'settings', imageTagMutability: 'IMMUTABLE' });
    const [r] = (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['settings'] }))).repositories!;
    expect(r).toMatchObject({ imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } });
    await expectSdkError(ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'settings', imageTagMutability: 'SOMETIMES' as 'MUTABLE' })), 'ValidationException');
    const filters = [{ filterType: 'WILDCARD' as const, filter: 'latest' }];
    expect(await ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'settings', imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: filters }))).toMatchObject({ imageTagMutabilityExclusionFilters: filters });
    expect((await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['settings'] }))).repositories![0]).toMatchObject({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: filters });
    await expectSdkError(
      ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'settings', imageTagMutability: 'MUTABLE_WITH_EXCLUSION' })),
      'InvalidParameterException',
      "Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'must be provided when imageTagMutability is MUTABLE_WITH_EXCLUSION'",
    );
    await expectSdkError(ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'none-such', imageTagMutability: 'MUTABLE' })), 'RepositoryNotFoundException');
  });

  it('lists no images in an existing repository; an unknown one is RepositoryNotFoundException', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'empty' }));
    expect((await ecr.send(new DescribeImagesCommand({ repositoryName: 'empty' }))).imageDetails).toEqual([]);
    expect((await ecr.send(new ListImagesCommand({ repositoryName: 'empty' }))).imageIds).toEqual([]);
    await expectSdkError(ecr.send(new ListImagesCommand({ repositoryName: 'none-such' })), 'RepositoryNotFoundException');
    await expectSdkError(ecr.send(new DescribeImagesCommand({ repositoryName: 'none-such' })), 'RepositoryNotFoundException');
  });
});

describe('ECR tags', () => {
  it('tags, lists and untags a repository; refuses a bad ARN and an unknown repository', async () => {
    const { repository } = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'tagged' }));
    const resourceArn = repository!.repositoryArn!;
    await ecr.send(new TagResourceCommand({ resourceArn, tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await ecr.send(new TagResourceCommand({ resourceArn, tags: [{ Key: 'a', Value: '3' }] }));
    expect((await ecr.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toEqual([{ Key: 'a', Value: '3' }, { Key: 'b', Value: '2' }]);
    await ecr.send(new UntagResourceCommand({ resourceArn, tagKeys: ['a'] }));
    expect((await ecr.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toEqual([{ Key: 'b', Value: '2' }]);
    await expectSdkError(ecr.send(new ListTagsForResourceCommand({ resourceArn: 'not-an-arn' })), 'InvalidParameterException', "Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'");
    await expectSdkError(ecr.send(new TagResourceCommand({ resourceArn: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/ghost`, tags: [] })), 'RepositoryNotFoundException', `The repository with name 'ghost' does not exist in the registry with id '${ACCOUNT}'`);
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await expectSdkError(ecr.send(new TagResourceCommand({ resourceArn, tags: many })), 'TooManyTagsException');
  });

  it('the Resource Groups Tagging API lists and tags repositories (ecr:repository)', async () => {
    const { repository } = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'by-tagging-api', tags: [{ Key: 'via', Value: 'ecr' }] }));
    const resourceArn = repository!.repositoryArn!;
    const tagging = new ResourceGroupsTaggingAPIClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
    const listed = await tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['ecr:repository'], TagFilters: [{ Key: 'via' }] }));
    expect(listed.ResourceTagMappingList).toEqual([{ ResourceARN: resourceArn, Tags: [{ Key: 'via', Value: 'ecr' }] }]);
    expect((await tagging.send(new TagResourcesCommand({ ResourceARNList: [resourceArn], Tags: { more: 'x' } }))).FailedResourcesMap).toEqual({});
    expect((await ecr.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toEqual([{ Key: 'via', Value: 'ecr' }, { Key: 'more', Value: 'x' }]);
  });
});

describe('ECR registry', () => {
  it('GetAuthorizationToken answers a base64 AWS:<password> token valid 12 hours and the proxy endpoint', async () => {
    const before = Date.now();
    const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
    expect(authorizationData).toHaveLength(1);
    const [data] = authorizationData!;
    const decoded = Buffer.from(data!.authorizationToken!, 'base64').toString('utf8');
    expect(decoded).toMatch(/^AWS:.{20,}$/);
    expect(data!.proxyEndpoint).toBe(`http://${ACCOUNT}.dkr.ecr.us-east-1.localhost.localstack.cloud:4566`);
    const hours = (data!.expiresAt!.getTime() - before) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThan(12.1);
  });

  it('DescribeRegistry names the account’s registry without replication rules', async () => {
    expect(await ecr.send(new DescribeRegistryCommand({}))).toMatchObject({ registryId: ACCOUNT, replicationConfiguration: { rules: [] } });
  });

  it('an operation without a handler answers 501 InternalFailure naming it; the runtime keeps serving', async () => {
    const e = await sdkError(ecr.send(new ListReplicationBackfillsCommand({})));
    expect(e).toMatchObject({ name: 'InternalFailure', message: "API action 'ListReplicationBackfills' for service 'ecr' is not yet implemented", status: 501 });
    expect((await fetch(`${rt.endpoint}/_localstack/health`)).status).toBe(200);
  });
});
