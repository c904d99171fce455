/**
 * ECR's policies: a repository's policy (SetRepositoryPolicy, GetRepositoryPolicy,
 * DeleteRepositoryPolicy), its lifecycle policy (PutLifecyclePolicy, GetLifecyclePolicy,
 * DeleteLifecyclePolicy) and the registry policy (GetRegistryPolicy; nothing sets it).
 *
 * A repository policy is a resource policy (runtime/aws/policies.ts, 'resource' grammar): a
 * Principal in each statement. ECR's statements name no Resource (the repository is implied),
 * so a statement without Resource or NotResource is read as applying to the repository.
 * Whatever the grammar refuses is ECR's InvalidParameterException "Invalid repository policy
 * provided". Policies are stored, not enforced.
 */
import { parsePolicy } from '../../aws/policies.js';
import type { EcrApi } from './api.generated.js';
import { ecrError, invalidParameter } from './errors.js';
import { checkLifecyclePolicy } from './lifecycle-policy.js';
import { repositoryOf } from './repositories.js';
import type { EcrStateAccess } from './state.js';

/** Checks a repository policy's text as ECR does; throws its InvalidParameterException. */
export function checkRepositoryPolicy(text: string, repositoryArn: string): void {
  const refused = () => invalidParameter('PolicyText', 'Invalid repository policy provided');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw refused();
  }
  if (document !== null && typeof document === 'object' && !Array.isArray(document)) {
    const doc = document as Record<string, unknown>;
    const statements = Array.isArray(doc['Statement']) ? doc['Statement'] : [doc['Statement']];
    for (const s of statements) {
      if (s !== null && typeof s === 'object' && !('Resource' in s) && !('NotResource' in s)) (s as Record<string, unknown>)['Resource'] = repositoryArn;
    }
  }
  parsePolicy(JSON.stringify(document), 'resource', refused);
}

/** The repository, lifecycle and registry policy handlers. */
export function policyOperations(state: EcrStateAccess) {
  return {
    SetRepositoryPolicy(ctx, input) {
      const repository = repositoryOf(state, ctx, input.repositoryName, input.registryId);
      checkRepositoryPolicy(input.policyText, repository.arn);
      repository.policy = input.policyText;
      state.changed(ctx, repository.name);
      return { registryId: ctx.accountId, repositoryName: repository.name, policyText: repository.policy };
    },
    GetRepositoryPolicy(ctx, input) {
      const repository = repositoryOf(state, ctx, input.repositoryName, input.registryId);
      if (repository.policy === undefined) throw repositoryPolicyNotFound(repository.name, ctx.accountId);
      return { registryId: ctx.accountId, repositoryName: repository.name, policyText: repository.policy };
    },
    DeleteRepositoryPolicy(ctx, input) {
      const repository = repositoryOf(state, ctx, input.repositoryName, input.registryId);
      const policyText = repository.policy;
      if (policyText === undefined) throw repositoryPolicyNotFound(repository.name, ctx.accountId);
      delete repository.policy;
      state.changed(ctx, repository.name);
      return { registryId: ctx.accountId, repositoryName: repository.name, policyText };
    },
    PutLifecyclePolicy(ctx, input) {
      const repository = repositoryOf(state, ctx, input.repositoryName, input.registryId);
      checkLifecyclePolicy(input.lifecyclePolicyText);
      repository.lifecyclePolicy = input.lifecyclePolicyText;
      state.changed(ctx, repository.name);
      return { registryId: ctx.accountId, repositoryName: repository.name, lifecyclePolicyText: repository.lifecyclePolicy };
    },
    GetLifecyclePolicy(ctx, input) {
      const repository = repositoryOf(state, ctx, input.repositoryName, input.registryId);
      if (repository.lifecyclePolicy === undefined) throw lifecyclePolicyNotFound(repository.name, ctx.accountId);
      return { registryId: ctx.accountId, repositoryName: repository.name, lifecyclePolicyText: repository.lifecyclePolicy };
    },
    DeleteLifecyclePolicy(ctx, input) {
      const repository = repositoryOf(state, ctx, input.repositoryName, input.registryId);
      const lifecyclePolicyText = repository.lifecyclePolicy;
      if (lifecyclePolicyText === undefined) throw lifecyclePolicyNotFound(repository.name, ctx.accountId);
      delete repository.lifecyclePolicy;
      state.changed(ctx, repository.name);
      return { registryId: ctx.accountId, repositoryName: repository.name, lifecyclePolicyText };
    },
    GetRegistryPolicy(ctx) {
      const policyText = state.of(ctx).registryPolicy;
      if (policyText === undefined) throw ecrError('RegistryPolicyNotFoundException', `Registry policy does not exist in the registry with id '${ctx.accountId}'`);
      return { registryId: ctx.accountId, policyText };
    },
  } satisfies Partial<EcrApi>;
}

function repositoryPolicyNotFound(name: string, registryId: string) {
  return ecrError('RepositoryPolicyNotFoundException', `Repository policy does not exist for the repository with name '${name}' in the registry with id '${registryId}'`);
}

function lifecyclePolicyNotFound(name: string, registryId: string) {
  return ecrError('LifecyclePolicyNotFoundException', `Lifecycle policy does not exist for the repository with name '${name}' in the registry with id '${registryId}'`);
}
