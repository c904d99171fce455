/**
 * Managed policies attached to users, groups and roles (Attach/Detach, ListAttached*Policies
 * with PathPrefix and pages) and the reverse view, ListEntitiesForPolicy. An entity keeps the
 * ARNs it attaches (`attached`); counts are derived from them (policies.ts `usage`).
 */
import type { AttachedPolicy, IamApi, PolicyGroup, PolicyRole, PolicyUser } from './api.generated.js';
import type { OperationContext } from '../provider.js';
import { find, NOT_FOUND, page, underPrefix, type Iam } from './common.js';
import { iamError } from './errors.js';
import { keyOf, type IamState, type StoredPrincipal } from './state.js';
import { resolvePolicy } from './policies.js';
import { isServiceLinked } from './roles.js';

interface Kind {
  readonly name: 'User' | 'Group' | 'Role';
  readonly collection: 'users' | 'groups' | 'roles';
  readonly notFound: (name: string) => string;
}

const KINDS: readonly Kind[] = [
  { name: 'User', collection: 'users', notFound: NOT_FOUND.user },
  { name: 'Group', collection: 'groups', notFound: NOT_FOUND.group },
  { name: 'Role', collection: 'roles', notFound: NOT_FOUND.role },
];

/** The most managed policies an entity attaches (AWS's default quota). */
const ATTACHED_QUOTA = 10;

/** An attached policy's name and path, from its ARN (`policy/<path><name>`). */
function attachedOf(arn: string): AttachedPolicy & { path: string } {
  const resource = arn.slice(arn.indexOf(':policy/') + ':policy'.length);
  const slash = resource.lastIndexOf('/');
  return { PolicyName: resource.slice(slash + 1), PolicyArn: arn, path: resource.slice(0, slash + 1) };
}

/** The policies an entity attaches, as ListAttached*Policies answers them. */
export function attachedPolicies(entity: StoredPrincipal): AttachedPolicy[] {
  return entity.attached.map((arn) => {
    const { PolicyName, PolicyArn } = attachedOf(arn);
    return { PolicyName, PolicyArn };
  });
}

/** Attach/Detach/ListAttached for users, groups and roles, and ListEntitiesForPolicy. */
export function attachmentOperations(iam: Iam): Partial<IamApi> {
  const { store } = iam;
  const operations: Record<string, (ctx: OperationContext, input: Record<string, string & number>) => unknown> = {};
  for (const kind of KINDS) {
    const entity = (state: IamState, input: Record<string, string>): StoredPrincipal => find(state[kind.collection], input[`${kind.name}Name`]!, kind.notFound);
    const guard = (target: StoredPrincipal) => {
      if (kind.name === 'Role' && isServiceLinked(target as never)) {
        throw iamError('UnmodifiableEntityException', `Cannot perform the operation on the protected role '${target.name}' - this role is only modifiable by AWS`);
      }
    };

    operations[`Attach${kind.name}Policy`] = (ctx, input) => {
      const target = entity(store.of(ctx), input);
      guard(target);
      const arn = input.PolicyArn;
      if (!resolvePolicy(iam, ctx, arn)) throw iamError('NoSuchEntityException', `Policy ${arn} does not exist or is not attachable.`);
      if (target.attached.includes(arn)) return {};
      if (target.attached.length >= ATTACHED_QUOTA) throw iamError('LimitExceededException', `Cannot exceed quota for PoliciesPer${kind.name}: ${ATTACHED_QUOTA}`);
      target.attached.push(arn);
      store.changed(ctx, kind.collection, keyOf(target.name));
      return {};
    };

    operations[`Detach${kind.name}Policy`] = (ctx, input) => {
      const target = entity(store.of(ctx), input);
      guard(target);
      const arn = input.PolicyArn;
      if (!target.attached.includes(arn)) throw iamError('NoSuchEntityException', `Policy ${arn} was not found.`);
      target.attached = target.attached.filter((a) => a !== arn);
      store.changed(ctx, kind.collection, keyOf(target.name));
      return {};
    };

    operations[`ListAttached${kind.name}Policies`] = (ctx, input) => {
      const target = entity(store.of(ctx), input);
      const policies = target.attached.map(attachedOf).filter((p) => underPrefix(p.path, input.PathPrefix));
      const listing = page(policies, input, `ListAttached${kind.name}Policies:${target.id}:${input.PathPrefix ?? ''}`, (p) => `${p.PolicyName!.toLowerCase()}\u0000${p.PolicyArn}`);
      return { AttachedPolicies: listing.items.map((p) => ({ PolicyName: p.PolicyName, PolicyArn: p.PolicyArn })), IsTruncated: listing.IsTruncated, Marker: listing.Marker };
    };
  }

  operations.ListEntitiesForPolicy = (ctx, input) => {
    const arn = input.PolicyArn;
    if (!resolvePolicy(iam, ctx, arn)) throw iamError('NoSuchEntityException', `Policy ${arn} was not found.`);
    const state = store.of(ctx);
    const usage: string = input.PolicyUsageFilter ?? 'PermissionsPolicy';
    const uses = (e: StoredPrincipal & { boundary?: string }) => (usage === 'PermissionsBoundary' ? e.boundary === arn : e.attached.includes(arn));
    const pick = <T extends StoredPrincipal>(records: Record<string, T>, type: string) =>
      input.EntityFilter && input.EntityFilter !== type
        ? []
        : Object.keys(records)
            .map((k) => records[k]!)
            .filter((e) => uses(e) && underPrefix(e.path, input.PathPrefix))
            .map((e) => ({ type, entity: e }));
    const all = [...pick(state.groups, 'Group'), ...pick(state.users, 'User'), ...pick(state.roles, 'Role')];
    const listing = page(all, input, `ListEntitiesForPolicy:${arn}:${input.EntityFilter ?? ''}:${usage}:${input.PathPrefix ?? ''}`, (e) => `${e.type}\u0000${keyOf(e.entity.name)}`);
    const of = (type: string) => listing.items.filter((e) => e.type === type).map((e) => e.entity);
    return {
      PolicyGroups: of('Group').map((g): PolicyGroup => ({ GroupName: g.name, GroupId: g.id })),
      PolicyUsers: of('User').map((u): PolicyUser => ({ UserName: u.name, UserId: u.id })),
      PolicyRoles: of('Role').map((r): PolicyRole => ({ RoleName: r.name, RoleId: r.id })),
      IsTruncated: listing.IsTruncated,
      Marker: listing.Marker,
    };
  };
  return operations as Partial<IamApi>;
}
