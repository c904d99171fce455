/**
 * What IAM's resource types share for the three kinds of principal that hold policies (roles,
 * users, groups): the template's inline `Policies` and `ManagedPolicyArns` made true of an
 * entity (put, replaced, deleted; attached, detached), everything removed before the entity is
 * deleted (IAM refuses to delete an entity that still has policies: DeleteConflict), and the
 * tags of the taggable ones. The operations differ only by the kind's name
 * (`PutRolePolicy { RoleName }`, `PutUserPolicy { UserName }`, ...).
 */
import { differs, ignoring, jsonText, tagList } from './property-values.js';
import type { PropertyValue, ResourceContext } from './resource-type.js';

/** A principal kind of IAM. */
export type PrincipalKind = 'Role' | 'User' | 'Group';

/** An inline policy as the template writes it. */
export interface InlinePolicy {
  PolicyName: string;
  PolicyDocument: PropertyValue;
}

/** Calls an IAM operation whose name depends on the kind (`Put${kind}Policy`): typed by the caller's shape. */
export function callIam<T = unknown>(ctx: ResourceContext, operation: string, input: object): Promise<T> {
  return (ctx.call as unknown as (service: string, op: string, input: object) => Promise<T>)('iam', operation, input);
}

const nameKey = (kind: PrincipalKind) => `${kind}Name`;

/** Makes the entity's inline policies the template's (`previous` is what the stack set before). */
export async function syncInlinePolicies(ctx: ResourceContext, kind: PrincipalKind, name: string, next: readonly InlinePolicy[] | undefined, previous: readonly InlinePolicy[] | undefined = []): Promise<void> {
  const wanted = new Map((next ?? []).map((p) => [p.PolicyName, p]));
  for (const old of previous ?? []) {
    if (!wanted.has(old.PolicyName)) await ignoring(['NoSuchEntity'], () => callIam(ctx, `Delete${kind}Policy`, { [nameKey(kind)]: name, PolicyName: old.PolicyName }));
  }
  const before = new Map((previous ?? []).map((p) => [p.PolicyName, p]));
  for (const policy of wanted.values()) {
    if (differs(policy.PolicyDocument, before.get(policy.PolicyName)?.PolicyDocument) || !before.has(policy.PolicyName)) {
      await callIam(ctx, `Put${kind}Policy`, { [nameKey(kind)]: name, PolicyName: policy.PolicyName, PolicyDocument: jsonText(policy.PolicyDocument) });
    }
  }
}

/** Makes the entity's attached managed policies the template's. */
export async function syncManagedPolicies(ctx: ResourceContext, kind: PrincipalKind, name: string, next: readonly string[] | undefined, previous: readonly string[] | undefined = []): Promise<void> {
  const wanted = new Set(next ?? []);
  for (const arn of previous ?? []) if (!wanted.has(arn)) await ignoring(['NoSuchEntity'], () => callIam(ctx, `Detach${kind}Policy`, { [nameKey(kind)]: name, PolicyArn: arn }));
  const had = new Set(previous ?? []);
  for (const arn of wanted) if (!had.has(arn)) await callIam(ctx, `Attach${kind}Policy`, { [nameKey(kind)]: name, PolicyArn: arn });
}

/** Removes every inline and attached policy of the entity (so that IAM lets it be deleted). */
export async function removeAllPolicies(ctx: ResourceContext, kind: PrincipalKind, name: string): Promise<void> {
  const key = { [nameKey(kind)]: name };
  const inline = await callIam<{ PolicyNames?: string[] }>(ctx, `List${kind}Policies`, key);
  for (const policyName of inline.PolicyNames ?? []) await ignoring(['NoSuchEntity'], () => callIam(ctx, `Delete${kind}Policy`, { ...key, PolicyName: policyName }));
  const attached = await callIam<{ AttachedPolicies?: { PolicyArn?: string }[] }>(ctx, `ListAttached${kind}Policies`, key);
  for (const p of attached.AttachedPolicies ?? []) await ignoring(['NoSuchEntity'], () => callIam(ctx, `Detach${kind}Policy`, { ...key, PolicyArn: p.PolicyArn }));
}

/** Makes a role's or user's tags `tags` (with `Tag${kind}` / `Untag${kind}`). */
export async function syncTags(ctx: ResourceContext, kind: 'Role' | 'User' | 'Policy' | 'InstanceProfile', key: Record<string, string>, tags: Record<string, string>): Promise<void> {
  const old = (await callIam<{ Tags?: { Key: string; Value: string }[] }>(ctx, `List${kind}Tags`, key)).Tags ?? [];
  const removed = old.filter((t) => !(t.Key in tags)).map((t) => t.Key);
  if (removed.length) await callIam(ctx, `Untag${kind}`, { ...key, TagKeys: removed });
  const added = tagList(tags).filter((t) => !old.some((o) => o.Key === t.Key && o.Value === t.Value));
  if (added.length) await callIam(ctx, `Tag${kind}`, { ...key, Tags: added });
}

/** Removes a role's, user's or group's policies, then the entity; one already gone is deleted. */
export async function deletePrincipal(ctx: ResourceContext, kind: PrincipalKind, name: string): Promise<void> {
  await ignoring(['NoSuchEntity'], async () => {
    await removeAllPolicies(ctx, kind, name);
    if (kind === 'Role') await ignoring(['NoSuchEntity'], () => ctx.call('iam', 'DeleteRolePermissionsBoundary', { RoleName: name }));
    await callIam(ctx, `Delete${kind}`, { [`${kind}Name`]: name });
  });
}
