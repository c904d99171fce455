/**
 * Amazon Elastic Container Registry (`ecr`, json): the control plane of private repositories.
 *
 * The provider assembles handlers kept by concern: repositories.ts (create, describe, delete,
 * scanning configuration, tag mutability, the empty image listings), policies.ts (repository,
 * lifecycle and registry policies; lifecycle-policy.ts checks a lifecycle policy's JSON),
 * tags.ts (tagging, and the repositories' offer to the Resource Groups Tagging API), registry.ts (GetAuthorizationToken, DescribeRegistry). state.ts holds what
 * the service keeps; errors.ts its errors. See docs/adding-a-service.md.
 *
 * LIMITATIONS: no image is ever pushed or pulled: the registry protocol (Docker Registry HTTP
 * API v2 / OCI distribution at the repository URI) is not served, so repositories stay empty,
 * DescribeImages and ListImages answer empty lists, DeleteRepository never meets
 * RepositoryNotEmptyException, and lifecycle policies are validated and stored but never expire
 * anything. Repository policies are validated and stored, not enforced. KMS encryption without
 * a key records the `alias/aws/ecr` ARN where AWS records its managed key's ARN. The registry
 * policy, replication, pull-through cache, creation templates, scanning findings and every
 * image operation answer 501 naming the operation (docs/coverage/ecr.md).
 */
import type { Provider, ProviderContext } from '../provider.js';
import type { EcrApi } from './api.generated.js';
import { policyOperations } from './policies.js';
import { registryOperations } from './registry.js';
import { repositoryOperations } from './repositories.js';
import { declareState } from './state.js';
import { ecrTaggedResources, tagOperations } from './tags.js';

/** ECR's provider: its handlers and its offer to the Tagging API. */
export function createProvider(context: ProviderContext): Provider {
  const state = declareState(context);
  const operations = {
    ...repositoryOperations(context, state),
    ...policyOperations(state),
    ...tagOperations(state),
    ...registryOperations(context),
  } satisfies Partial<EcrApi>;
  return { operations, taggedResources: ecrTaggedResources(state) };
}
