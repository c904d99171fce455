/**
 * What a principal's permissions are made of, gathered from IAM's state: the accessor the
 * policy simulator (SimulatePrincipalPolicy) and, later, enforcement read, so that neither
 * walks the state itself. For a user: its inline and attached policies, then each of its
 * groups' (in the order the user joined them); for a group or a role: its own; and the
 * permissions boundary of a user or role. Documents are the text as written (the default
 * version of a managed policy); parse them with runtime/aws/policies.ts parsePolicy(text,
 * 'identity'). Trust policies are a role's `trustPolicy` (parsePolicy(text, 'trust')).
 */
import { parseArn } from '../../aws/arns.js';
import type { OperationContext } from '../provider.js';
import type { Iam } from './common.js';
import { documentOf } from './policies.js';
import { keyOf, type IamState, type StoredGroup, type StoredPrincipal, type StoredRole, type StoredUser } from './state.js';

/** One identity-based policy that applies to a principal. */
export interface AppliedPolicy {
  readonly type: 'inline' | 'managed';
  /** The policy's name (inline) or its ARN (managed). */
  readonly id: string;
  /** The ARN of the user, group or role the policy comes with. */
  readonly from: string;
  readonly document: string;
}

/** Everything that decides what a user, group or role may do. */
export interface PrincipalPolicies {
  readonly kind: 'user' | 'group' | 'role';
  readonly arn: string;
  readonly policies: readonly AppliedPolicy[];
  /** The permissions boundary (users and roles): its ARN and default document. */
  readonly boundary?: { readonly arn: string; readonly document: string };
  /** A role's trust policy, as written. */
  readonly trustPolicy?: string;
}

function own(iam: Iam, ctx: OperationContext, entity: StoredPrincipal): AppliedPolicy[] {
  const inline = Object.keys(entity.inlinePolicies).map((name): AppliedPolicy => ({ type: 'inline', id: name, from: entity.arn, document: entity.inlinePolicies[name]! }));
  const managed = entity.attached.flatMap((arn): AppliedPolicy[] => {
    const document = documentOf(iam, ctx, arn);
    return document === undefined ? [] : [{ type: 'managed', id: arn, from: entity.arn, document }];
  });
  return [...inline, ...managed];
}

function boundaryOf(iam: Iam, ctx: OperationContext, entity: StoredUser | StoredRole): PrincipalPolicies['boundary'] {
  if (!entity.boundary) return undefined;
  const document = documentOf(iam, ctx, entity.boundary);
  return document === undefined ? undefined : { arn: entity.boundary, document };
}

/** The policies of a user by name (its groups' included), or undefined when there is no such user. */
export function userPolicies(iam: Iam, ctx: OperationContext, name: string): PrincipalPolicies | undefined {
  const state = iam.store.of(ctx);
  const user = state.users[keyOf(name)];
  if (!user) return undefined;
  const groups = user.groups.map((g) => state.groups[g]).filter((g): g is StoredGroup => g !== undefined);
  return { kind: 'user', arn: user.arn, policies: [...own(iam, ctx, user), ...groups.flatMap((g) => own(iam, ctx, g))], boundary: boundaryOf(iam, ctx, user) };
}

/** The policies of a group by name, or undefined. */
export function groupPolicies(iam: Iam, ctx: OperationContext, name: string): PrincipalPolicies | undefined {
  const group = iam.store.of(ctx).groups[keyOf(name)];
  return group && { kind: 'group', arn: group.arn, policies: own(iam, ctx, group) };
}

/** The policies of a role by name (with its boundary and trust policy), or undefined. */
export function rolePolicies(iam: Iam, ctx: OperationContext, name: string): PrincipalPolicies | undefined {
  const role = iam.store.of(ctx).roles[keyOf(name)];
  return role && { kind: 'role', arn: role.arn, policies: own(iam, ctx, role), boundary: boundaryOf(iam, ctx, role), trustPolicy: role.trustPolicy };
}

/**
 * The policies of the user, group or role an ARN names in the caller's account (what
 * SimulatePrincipalPolicy's PolicySourceArn names), or undefined when it names none. The
 * ARN must be the entity's own (its path included), as AWS requires.
 */
export function principalPolicies(iam: Iam, ctx: OperationContext, arn: string): PrincipalPolicies | undefined {
  const parts = parseArn(arn);
  if (!parts || parts.service !== 'iam' || parts.accountId !== ctx.accountId) return undefined;
  const slash = parts.resource.indexOf('/');
  const type = parts.resource.slice(0, slash);
  const name = parts.resource.slice(parts.resource.lastIndexOf('/') + 1);
  const found = type === 'user' ? userPolicies(iam, ctx, name) : type === 'group' ? groupPolicies(iam, ctx, name) : type === 'role' ? rolePolicies(iam, ctx, name) : undefined;
  return found && found.arn === arn ? found : undefined;
}

/** The user whose IAM access key signed a request (for enforcement: who the caller is), or undefined. */
export function userOfAccessKey(state: IamState, accessKeyId: string): StoredUser | undefined {
  const key = state.accessKeys[accessKeyId];
  return key && key.status === 'Active' ? state.users[key.userKey] : undefined;
}
