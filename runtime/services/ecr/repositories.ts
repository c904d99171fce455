/**
 * ECR repositories: CreateRepository, DescribeRepositories, DeleteRepository,
 * PutImageScanningConfiguration, PutImageTagMutability, and DescribeImages / ListImages, which
 * answer empty lists (images are not emulated). A repository's URI is LocalStack's:
 * `<account>.dkr.ecr.<region>.<LOCALSTACK_HOST>/<name>`
 * (`000000000000.dkr.ecr.us-east-1.localhost.localstack.cloud:4566/app`).
 *
 * The name pattern is checked here rather than by the model's validation (patches.json drops
 * it), because ECR answers it as InvalidParameterException quoting the expression, not as the
 * front end's ValidationException.
 */
import { arnFor } from '../../aws/arns.js';
import { paginate } from '../../aws/pagination.js';
import { record } from '../../state/store.js';
import type { OperationContext, ProviderContext } from '../provider.js';
import type { EcrApi, ImageTagMutabilityExclusionFilter, Repository } from './api.generated.js';
import { ecrError, invalidParameter, repositoryNotFound } from './errors.js';
import type { EcrStateAccess, StoredRepository } from './state.js';
import { checkTags } from './tags.js';

/** The expression AWS quotes (and applies) for a repository name. */
export const REPOSITORY_NAME_PATTERN = '[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*';
const REPOSITORY_NAME = new RegExp(`^(?:${REPOSITORY_NAME_PATTERN})$`);

/** The repository `name` of the caller's registry, or RepositoryNotFoundException. */
export function repositoryOf(state: EcrStateAccess, ctx: OperationContext, name: string, registryId?: string): StoredRepository {
  const repository = registryId === undefined || registryId === ctx.accountId ? state.of(ctx).repositories[name] : undefined;
  if (!repository) throw repositoryNotFound(name, registryId ?? ctx.accountId);
  return repository;
}

/** How a repository reads in ECR's answers. */
export function repositoryView(config: ProviderContext['config'], ctx: OperationContext, r: StoredRepository): Repository {
  return {
    repositoryArn: r.arn,
    registryId: ctx.accountId,
    repositoryName: r.name,
    repositoryUri: `${ctx.accountId}.dkr.ecr.${ctx.region}.${config.localstackHost}/${r.name}`,
    createdAt: new Date(r.created),
    imageTagMutability: r.imageTagMutability,
    ...(r.exclusionFilters?.length ? { imageTagMutabilityExclusionFilters: r.exclusionFilters } : {}),
    imageScanningConfiguration: { scanOnPush: r.scanOnPush },
    encryptionConfiguration: { encryptionType: r.encryptionType, ...(r.kmsKey !== undefined ? { kmsKey: r.kmsKey } : {}) },
  };
}

/** The KMS key ECR records for KMS encryption without a key: the account's AWS managed key for ECR. */
function defaultKmsKey(ctx: OperationContext): string {
  return arnFor(ctx, 'kms', 'alias/aws/ecr');
}

/** The exclusion filters a *_WITH_EXCLUSION mutability needs (and only it takes), as stored. */
function checkExclusionFilters(mutability: string, filters: readonly ImageTagMutabilityExclusionFilter[] | undefined): { filterType: string; filter: string }[] | undefined {
  const withExclusion = mutability.endsWith('_WITH_EXCLUSION');
  if (withExclusion && !filters?.length) {
    throw invalidParameter('imageTagMutabilityExclusionFilters', `must be provided when imageTagMutability is ${mutability}`);
  }
  if (!withExclusion && filters?.length) {
    throw invalidParameter('imageTagMutabilityExclusionFilters', `can only be provided when imageTagMutability is IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION`);
  }
  return withExclusion ? filters!.map((f) => ({ filterType: f.filterType, filter: f.filter })) : undefined;
}

/** The repository handlers. */
export function repositoryOperations(context: ProviderContext, state: EcrStateAccess) {
  const view = (ctx: OperationContext, r: StoredRepository) => repositoryView(context.config, ctx, r);
  return {
    CreateRepository(ctx, input) {
      const name = input.repositoryName;
      if (!REPOSITORY_NAME.test(name)) throw invalidParameter('repositoryName', `must satisfy regular expression '${REPOSITORY_NAME_PATTERN}'`);
      if (input.registryId !== undefined && input.registryId !== ctx.accountId) {
        throw ecrError('InvalidParameterException', `Invalid parameter at 'registryId' failed to satisfy constraint: 'must be the caller's account id'`);
      }
      const repositories = state.of(ctx).repositories;
      if (repositories[name]) throw ecrError('RepositoryAlreadyExistsException', `The repository with name '${name}' already exists in the registry with id '${ctx.accountId}'`);
      const tags = checkTags(input.tags ?? []);
      const mutability = input.imageTagMutability ?? 'MUTABLE';
      const exclusionFilters = checkExclusionFilters(mutability, input.imageTagMutabilityExclusionFilters);
      const encryption = input.encryptionConfiguration ?? { encryptionType: 'AES256' };
      if (encryption.encryptionType === 'AES256' && encryption.kmsKey !== undefined) {
        throw ecrError('InvalidParameterException', "Invalid parameter at 'encryptionConfiguration' failed to satisfy constraint: 'kmsKey can only be specified when encryptionType is KMS'");
      }
      const repository: StoredRepository = {
        name,
        arn: arnFor(ctx, 'ecr', `repository/${name}`),
        created: context.clock.now(),
        imageTagMutability: mutability,
        ...(exclusionFilters ? { exclusionFilters } : {}),
        scanOnPush: input.imageScanningConfiguration?.scanOnPush ?? false,
        encryptionType: encryption.encryptionType,
        ...(encryption.encryptionType === 'AES256' ? {} : { kmsKey: encryption.kmsKey ?? defaultKmsKey(ctx) }),
        tags: tags ?? record(),
      };
      repositories[name] = repository;
      state.changed(ctx, name);
      return { repository: view(ctx, repository) };
    },
    DescribeRepositories(ctx, input) {
      if (input.repositoryNames !== undefined && input.maxResults !== undefined) {
        throw ecrError('InvalidParameterException', "Invalid parameter at 'maxResults' failed to satisfy constraint: 'maxResults cannot be specified when repositoryNames is specified'");
      }
      if (input.repositoryNames) {
        return { repositories: input.repositoryNames.map((name) => view(ctx, repositoryOf(state, ctx, name, input.registryId))) };
      }
      if (input.registryId !== undefined && input.registryId !== ctx.accountId) return { repositories: [] };
      const all = Object.values(state.of(ctx).repositories).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const { page, nextToken } = paginate(all, {
        scope: 'ecr.DescribeRepositories',
        key: (r) => r.name,
        nextToken: input.nextToken,
        max: input.maxResults ?? 1000,
        invalidToken: () => ecrError('InvalidParameterException', "Invalid parameter at 'nextToken' failed to satisfy constraint: 'Invalid pagination token'"),
      });
      return { repositories: page.map((r) => view(ctx, r)), ...(nextToken ? { nextToken } : {}) };
    },
    DeleteRepository(ctx, input) {
      const repository = repositoryOf(state, ctx, input.repositoryName, input.registryId);
      // a repository holds no image here, so `force` changes nothing: RepositoryNotEmptyException never applies
      delete state.of(ctx).repositories[repository.name];
      state.changed(ctx, repository.name);
      return { repository: view(ctx, repository) };
    },
    PutImageScanningConfiguration(ctx, input) {
      const repository = repositoryOf(state, ctx, input.repositoryName, input.registryId);
      repository.scanOnPush = input.imageScanningConfiguration.scanOnPush ?? false;
      state.changed(ctx, repository.name);
      return { registryId: ctx.accountId, repositoryName: repository.name, imageScanningConfiguration: { scanOnPush: repository.scanOnPush } };
    },
    PutImageTagMutability(ctx, input) {
      const repository = repositoryOf(state, ctx, input.repositoryName, input.registryId);
      const exclusionFilters = checkExclusionFilters(input.imageTagMutability, input.imageTagMutabilityExclusionFilters);
      repository.imageTagMutability = input.imageTagMutability;
      if (exclusionFilters) repository.exclusionFilters = exclusionFilters;
      else delete repository.exclusionFilters;
      state.changed(ctx, repository.name);
      return {
        registryId: ctx.accountId,
        repositoryName: repository.name,
        imageTagMutability: repository.imageTagMutability,
        ...(exclusionFilters ? { imageTagMutabilityExclusionFilters: exclusionFilters } : {}),
      };
    },
    DescribeImages(ctx, input) {
      repositoryOf(state, ctx, input.repositoryName, input.registryId);
      return { imageDetails: [] };
    },
    ListImages(ctx, input) {
      repositoryOf(state, ctx, input.repositoryName, input.registryId);
      return { imageIds: [] };
    },
  } satisfies Partial<EcrApi>;
}
