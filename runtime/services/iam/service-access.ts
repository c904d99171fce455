/**
 * ListPoliciesGrantingServiceAccess: for each service namespace asked about, the
 * identity-based policies of a user (its groups' included), group or role that allow some
 * action of that service: an Allow statement whose Action names the service (wildcards as
 * IAM reads them: `*`, `s3:*`, `s*:Get*`), or whose NotAction leaves some of the service's
 * actions (it does not exclude `svc:*` or `*`). Inline policies are named with the entity
 * they belong to (EntityType, EntityName), managed ones by ARN, as AWS answers.
 */
import { parseArn } from '../../aws/arns.js';
import { parsePolicy, type PolicyStatement } from '../../aws/policies.js';
import type { IamApi, PolicyGrantingServiceAccess } from './api.generated.js';
import type { Iam } from './common.js';
import { iamError } from './errors.js';
import { principalPolicies, type AppliedPolicy } from './principals.js';

/** Whether an action pattern's service part (before `:`) matches a namespace, with `*` and `?`. */
function namesService(pattern: string, namespace: string): boolean {
  if (pattern === '*') return true;
  const service = pattern.split(':')[0]!.toLowerCase();
  const regex = new RegExp(`^${service.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return regex.test(namespace.toLowerCase());
}

function grants(statement: PolicyStatement, namespace: string): boolean {
  if (statement.effect !== 'Allow') return false;
  if (statement.action) return statement.action.some((a) => namesService(a, namespace));
  // NotAction allows everything it does not name: the service unless all of it is named
  return !(statement.notAction ?? []).some((a) => a === '*' || a.toLowerCase() === `${namespace.toLowerCase()}:*`);
}

function entry(policy: AppliedPolicy): PolicyGrantingServiceAccess {
  if (policy.type === 'managed') return { PolicyName: policy.id.slice(policy.id.lastIndexOf('/') + 1), PolicyType: 'MANAGED', PolicyArn: policy.id };
  const resource = parseArn(policy.from)?.resource ?? '';
  return { PolicyName: policy.id, PolicyType: 'INLINE', EntityType: resource.slice(0, resource.indexOf('/')).toUpperCase(), EntityName: resource.slice(resource.lastIndexOf('/') + 1) };
}

/** ListPoliciesGrantingServiceAccess. */
export function serviceAccessOperations(iam: Iam) {
  return {
    ListPoliciesGrantingServiceAccess(ctx, input) {
      const principal = principalPolicies(iam, ctx, input.Arn);
      if (!principal) throw iamError('NoSuchEntityException', `The entity ${input.Arn} cannot be found.`);
      const parsed = principal.policies.map((p) => ({ policy: p, statements: parsePolicy(p.document, 'identity').statements }));
      return {
        PoliciesGrantingServiceAccess: input.ServiceNamespaces.map((namespace) => ({
          ServiceNamespace: namespace,
          Policies: parsed.filter((p) => p.statements.some((s) => grants(s, namespace))).map((p) => entry(p.policy)),
        })),
        IsTruncated: false,
      };
    },
  } satisfies Partial<IamApi>;
}
