/**
 * IAM's policy simulator: SimulateCustomPolicy and SimulatePrincipalPolicy run the policy
 * evaluation engine (runtime/aws/policy-evaluation/) over the given documents or a principal's
 * own; GetContextKeysForCustomPolicy and GetContextKeysForPrincipalPolicy list the context
 * keys those documents read (their condition keys and policy variables, in document order).
 *
 * A principal's policies come from principals.ts (a user's own and its groups', a group's, a
 * role's; the permissions boundary of a user or role). MatchedStatements name them as AWS
 * does: a managed policy by its name, an inline one `<user|group|role>_<entity>_<policy>`
 * (as seen in AWS's answers), policies passed as text `PolicyInputList.N` /
 * `PermissionsBoundaryPolicyInputList.N`, the resource policy `ResourcePolicy`. A boundary
 * passed as text replaces the entity's own, as the API reference says; PolicyExclusionList
 * leaves policies out by type, ARN or inline name.
 *
 * ResourcePolicy is read with the resource-policy grammar, or as a trust policy (no
 * Resource) to simulate sts:AssumeRole. The caller is CallerArn, else (SimulatePrincipalPolicy)
 * the simulated user; a resource policy needs one (InvalidInput otherwise). The resource's
 * account is the ARN's own, else ResourceOwner's, else the caller's; when it differs from the
 * caller's, both the identity side and the resource policy must allow.
 *
 * Results are paged over the actions (MaxItems, default 100; Marker).
 *
 * LIMITATIONS: ResourceHandlingOption (EC2 scenarios) is accepted and not used; context keys
 * are only what ContextEntries gives (aws:username, aws:PrincipalTag/... are not filled in
 * from the simulated principal); the wording of the InvalidInput refusals is ours;
 * EvalDecisionDetails of a cross-account simulation names its two sides "IAM Policy" and
 * "Resource Policy" (AWS's names for them are not on record); with several ResourceArns the
 * top-level EvalResourceName is `*`.
 */
import { paginate } from '../../aws/pagination.js';
import { contextKeysOf, evaluate, requestContext, type EvaluatedPolicy, type PolicySet } from '../../aws/policy-evaluation/evaluate.js';
import type { OperationContext } from '../provider.js';
import type { EvaluationResult, IamApi, PolicyIdentifier, SimulateCustomPolicyInput, SimulatePolicyResponse } from './api.generated.js';
import type { Iam } from './common.js';
import { iamError } from './errors.js';
import { principalPolicies, type AppliedPolicy } from './principals.js';
import { accountOf, contextOf, evaluationResult, inputPolicies, missingContext, resourcePolicy, simulatedPolicy } from './simulate-input.js';

type SimulationInput = Omit<SimulateCustomPolicyInput, 'PolicyInputList'>;

/** The last part of an ARN's resource (`user/path/name` → `name`). */
function nameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** SourcePolicyId of a principal's policy, as AWS writes it. */
function appliedId(policy: AppliedPolicy): string {
  if (policy.type === 'managed') return nameOf(policy.id);
  const kind = /:(user|group|role)\//.exec(policy.from)?.[1] ?? 'user';
  return `${kind}_${nameOf(policy.from)}_${policy.id}`;
}

/**
 * Whether PolicyExclusionList leaves a policy out: by type (`inline`, `aws-managed`,
 * `user-managed`), by ARN, or an inline policy by name and entity.
 */
function excluded(policy: AppliedPolicy, exclusions: readonly PolicyIdentifier[] | undefined): boolean {
  const awsManaged = policy.type === 'managed' && policy.id.split(':')[4] === 'aws';
  return (exclusions ?? []).some((e) => {
    if (e.PolicyType === 'inline' && policy.type === 'inline') return true;
    if (e.PolicyType === 'aws-managed' && awsManaged) return true;
    if (e.PolicyType === 'user-managed' && policy.type === 'managed' && !awsManaged) return true;
    if (policy.type === 'managed') return e.PolicyArn === policy.id;
    const inline = e.InlinePolicyIdentifier;
    return inline !== undefined && inline.PolicyName === policy.id && nameOf(policy.from) === inline.AttachmentName && policy.from.includes(`:${inline.AttachmentType.toLowerCase()}/`);
  });
}

/** Whether PolicyExclusionList leaves the permissions boundary out. */
function boundaryExcluded(exclusions: readonly PolicyIdentifier[] | undefined, arn: string): boolean {
  return (exclusions ?? []).some((e) => e.PolicyType === 'permission-boundary' || e.PolicyArn === arn);
}

function simulate(ctx: OperationContext, policies: PolicySet, input: SimulationInput, callerArn: string | undefined): SimulatePolicyResponse {
  const entries = contextOf(input.ContextEntries);
  const context = requestContext(entries);
  if (policies.resource && callerArn === undefined) {
    throw iamError('InvalidInputException', 'CallerArn is required when a ResourcePolicy is simulated.');
  }
  const caller = { ...(callerArn ? { arn: callerArn } : {}), account: accountOf(callerArn) ?? ctx.accountId };
  const owner = accountOf(input.ResourceOwner);
  const all: EvaluatedPolicy[] = [...policies.identity, ...(policies.boundary ?? []), ...(policies.resource ? [policies.resource] : []), ...(policies.organizations ?? []).flat()];
  const missing = missingContext(all, entries);
  const named = input.ResourceArns !== undefined && input.ResourceArns.length > 0 && !(input.ResourceArns.length === 1 && input.ResourceArns[0] === '*');
  const resources = input.ResourceArns?.length ? input.ResourceArns : ['*'];
  const results: EvaluationResult[] = input.ActionNames.map((action) => {
    const perResource = resources.map((resource) => ({
      resource,
      evaluation: evaluate(policies, { action, resource, context, caller, resourceAccount: accountOf(resource) ?? owner ?? caller.account }),
    }));
    return evaluationResult(action, perResource, missing, named);
  });
  const indexed = results.map((result, i) => ({ result, key: String(i).padStart(8, '0') }));
  const { page, nextToken } = paginate(indexed, {
    scope: 'iam-simulate',
    key: (item) => item.key,
    nextToken: input.Marker,
    max: input.MaxItems ?? 100,
    invalidToken: () => iamError('InvalidInputException', 'Invalid Marker.'),
  });
  return { EvaluationResults: page.map((p) => p.result), IsTruncated: nextToken !== undefined, ...(nextToken ? { Marker: nextToken } : {}) };
}

function organizationsOf(input: SimulateCustomPolicyInput): EvaluatedPolicy[][] | undefined {
  const levels = input.OrderedOrganizationPolicyInputList;
  if (!levels?.length) return undefined;
  return levels.map((level, i) => inputPolicies(level.ServiceControlPolicyInputList, `OrderedOrganizationPolicyInputList.${i + 1}.ServiceControlPolicyInputList`));
}

/** The principal's policies, or NoSuchEntity. */
function principalOf(iam: Iam, ctx: OperationContext, arn: string) {
  const principal = principalPolicies(iam, ctx, arn);
  if (!principal) throw iamError('NoSuchEntityException', `The entity ${arn} cannot be found.`);
  return principal;
}

/** The simulator's operations (SimulateCustomPolicy, SimulatePrincipalPolicy, GetContextKeysFor*Policy). */
export function simulateOperations(iam: Iam) {
  return {
    SimulateCustomPolicy(ctx, input) {
      const policies: PolicySet = {
        identity: inputPolicies(input.PolicyInputList, 'PolicyInputList'),
        ...(input.PermissionsBoundaryPolicyInputList?.length ? { boundary: inputPolicies(input.PermissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList') } : {}),
        ...(input.ResourcePolicy !== undefined ? { resource: resourcePolicy(input.ResourcePolicy) } : {}),
        ...(organizationsOf(input) ? { organizations: organizationsOf(input) } : {}),
      };
      return simulate(ctx, policies, input, input.CallerArn);
    },

    SimulatePrincipalPolicy(ctx, input) {
      const principal = principalOf(iam, ctx, input.PolicySourceArn);
      const own = principal.policies.filter((p) => !excluded(p, input.PolicyExclusionList)).map((p) => simulatedPolicy(appliedId(p), p.document));
      const boundary = input.PermissionsBoundaryPolicyInputList?.length
        ? inputPolicies(input.PermissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList')
        : principal.boundary && !boundaryExcluded(input.PolicyExclusionList, principal.boundary.arn)
          ? [simulatedPolicy(nameOf(principal.boundary.arn), principal.boundary.document)]
          : undefined;
      const policies: PolicySet = {
        identity: [...own, ...inputPolicies(input.PolicyInputList, 'PolicyInputList')],
        ...(boundary ? { boundary } : {}),
        ...(input.ResourcePolicy !== undefined ? { resource: resourcePolicy(input.ResourcePolicy) } : {}),
      };
      return simulate(ctx, policies, input, input.CallerArn ?? (principal.kind === 'user' ? principal.arn : undefined));
    },

    GetContextKeysForCustomPolicy(_ctx, input) {
      return { ContextKeyNames: contextKeysOf(inputPolicies(input.PolicyInputList, 'PolicyInputList').map((p) => p.document)) };
    },

    GetContextKeysForPrincipalPolicy(ctx, input) {
      const principal = principalOf(iam, ctx, input.PolicySourceArn);
      const documents = [...principal.policies.map((p) => simulatedPolicy(p.id, p.document)), ...inputPolicies(input.PolicyInputList, 'PolicyInputList')];
      return { ContextKeyNames: contextKeysOf(documents.map((p) => p.document)) };
    },
  } satisfies Partial<IamApi>;
}
