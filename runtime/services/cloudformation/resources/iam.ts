/**
 * IAM's resource types (IAM is global: the calls go to the stack's account). This file holds
 * AWS::IAM::Role, AWS::IAM::Policy and AWS::IAM::ManagedPolicy; iam-identities.ts the users,
 * groups, instance profiles, access keys and service-linked roles; iam-principals.ts what
 * roles, users and groups share (inline and managed policies, tags).
 *
 * - Role: Ref its name; GetAtt Arn, RoleId. A new role when RoleName or Path change; the trust
 *   policy, description, session duration, boundary, policies and tags change in place. Its
 *   policies are removed before it is deleted.
 * - Policy (an inline policy put on each of its Roles, Users and Groups): Ref a generated id
 *   (GetAtt Id).
 * - ManagedPolicy: Ref its ARN; GetAtt PolicyArn, PolicyId, DefaultVersionId, AttachmentCount,
 *   IsAttachable, PermissionsBoundaryUsageCount, CreateDate, UpdateDate. A new document is a
 *   new default version (the oldest other version deleted when five exist, as CloudFormation
 *   does); attachments follow Roles, Users and Groups; a new name, path or description is a new
 *   policy.
 */
import { bool, differs, ignoring, jsonText, num, tagList, tagsOf, type TagList } from './property-values.js';
import { callIam, deletePrincipal, syncInlinePolicies, syncManagedPolicies, syncTags, type InlinePolicy, type PrincipalKind } from './iam-principals.js';
import { accessKey, group, instanceProfile, serviceLinkedRole, user } from './iam-identities.js';
import type { PropertyValue, ResourceContext, ResourceState, ResourceType } from './resource-type.js';

/** AWS::IAM::Role's properties. */
export interface RoleProperties {
  RoleName?: string;
  AssumeRolePolicyDocument: PropertyValue;
  Path?: string;
  Description?: string;
  MaxSessionDuration?: number | string;
  PermissionsBoundary?: string;
  ManagedPolicyArns?: readonly string[];
  Policies?: readonly InlinePolicy[];
  Tags?: TagList;
}

function roleState(role: { RoleName: string; Arn: string; RoleId: string }): ResourceState {
  return { physicalId: role.RoleName, attributes: { Arn: role.Arn, RoleId: role.RoleId } };
}

/** AWS::IAM::Role. */
export const role: ResourceType<RoleProperties> = {
  type: 'AWS::IAM::Role',
  nameProperty: 'RoleName',
  required: ['AssumeRolePolicyDocument'],
  createOnly: ['RoleName', 'Path'],
  attributes: ['Arn', 'RoleId'],
  async create(ctx, props) {
    const name = props.RoleName ?? ctx.physicalName({ max: 64 });
    const tags = tagsOf(ctx.stackTags, props.Tags);
    const { Role } = await ctx.call('iam', 'CreateRole', {
      RoleName: name,
      AssumeRolePolicyDocument: jsonText(props.AssumeRolePolicyDocument)!,
      ...(props.Path !== undefined ? { Path: props.Path } : {}),
      ...(props.Description !== undefined ? { Description: props.Description } : {}),
      ...(num(props.MaxSessionDuration) !== undefined ? { MaxSessionDuration: num(props.MaxSessionDuration)! } : {}),
      ...(props.PermissionsBoundary !== undefined ? { PermissionsBoundary: props.PermissionsBoundary } : {}),
      ...(Object.keys(tags).length ? { Tags: tagList(tags) } : {}),
    });
    try {
      await syncInlinePolicies(ctx, 'Role', name, props.Policies);
      await syncManagedPolicies(ctx, 'Role', name, props.ManagedPolicyArns);
    } catch (error) {
      await deletePrincipal(ctx, 'Role', name);
      throw error;
    }
    return roleState(Role);
  },
  async update(ctx, current, props, previous) {
    const name = current.physicalId;
    if (differs(props.AssumeRolePolicyDocument, previous.AssumeRolePolicyDocument)) {
      await ctx.call('iam', 'UpdateAssumeRolePolicy', { RoleName: name, PolicyDocument: jsonText(props.AssumeRolePolicyDocument)! });
    }
    if (props.Description !== previous.Description || num(props.MaxSessionDuration) !== num(previous.MaxSessionDuration)) {
      await ctx.call('iam', 'UpdateRole', { RoleName: name, Description: props.Description ?? '', MaxSessionDuration: num(props.MaxSessionDuration) ?? 3600 });
    }
    if (props.PermissionsBoundary !== previous.PermissionsBoundary) {
      if (props.PermissionsBoundary !== undefined) await ctx.call('iam', 'PutRolePermissionsBoundary', { RoleName: name, PermissionsBoundary: props.PermissionsBoundary });
      else await ignoring(['NoSuchEntity'], () => ctx.call('iam', 'DeleteRolePermissionsBoundary', { RoleName: name }));
    }
    await syncInlinePolicies(ctx, 'Role', name, props.Policies, previous.Policies);
    await syncManagedPolicies(ctx, 'Role', name, props.ManagedPolicyArns, previous.ManagedPolicyArns);
    await syncTags(ctx, 'Role', { RoleName: name }, tagsOf(ctx.stackTags, props.Tags));
    return roleState((await ctx.call('iam', 'GetRole', { RoleName: name })).Role);
  },
  async delete(ctx, current) {
    await deletePrincipal(ctx, 'Role', current.physicalId);
  },
};

/** AWS::IAM::Policy's properties. */
export interface PolicyProperties {
  PolicyName: string;
  PolicyDocument: PropertyValue;
  Roles?: readonly string[];
  Users?: readonly string[];
  Groups?: readonly string[];
}

const HOLDERS: readonly [PrincipalKind, 'Roles' | 'Users' | 'Groups'][] = [
  ['Role', 'Roles'],
  ['User', 'Users'],
  ['Group', 'Groups'],
];

/** AWS::IAM::Policy. */
export const policy: ResourceType<PolicyProperties> = {
  type: 'AWS::IAM::Policy',
  required: ['PolicyName', 'PolicyDocument'],
  attributes: ['Id'],
  async create(ctx, props) {
    for (const [kind, key] of HOLDERS) for (const name of props[key] ?? []) await syncInlinePolicies(ctx, kind, name, [props]);
    const id = ctx.physicalName({ max: 128 });
    return { physicalId: id, attributes: { Id: id } };
  },
  async update(ctx, current, props, previous) {
    for (const [kind, key] of HOLDERS) {
      const now = new Set(props[key] ?? []);
      for (const name of previous[key] ?? []) {
        if (!now.has(name) || previous.PolicyName !== props.PolicyName) await syncInlinePolicies(ctx, kind, name, [], [previous]).catch((e) => (isGone(e) ? undefined : Promise.reject(e)));
      }
      for (const name of now) await syncInlinePolicies(ctx, kind, name, [props]);
    }
    return current;
  },
  async delete(ctx, _current, props) {
    for (const [kind, key] of HOLDERS) {
      for (const name of props[key] ?? []) await ignoring(['NoSuchEntity'], () => callIam(ctx, `Delete${kind}Policy`, { [`${kind}Name`]: name, PolicyName: props.PolicyName }));
    }
  },
};

function isGone(error: unknown): boolean {
  return (error as { code?: string })?.code === 'NoSuchEntity';
}

/** AWS::IAM::ManagedPolicy's properties. */
export interface ManagedPolicyProperties {
  ManagedPolicyName?: string;
  PolicyDocument: PropertyValue;
  Path?: string;
  Description?: string;
  Roles?: readonly string[];
  Users?: readonly string[];
  Groups?: readonly string[];
}

async function managedPolicyState(ctx: ResourceContext, arn: string): Promise<ResourceState> {
  const { Policy: p } = await ctx.call('iam', 'GetPolicy', { PolicyArn: arn });
  return {
    physicalId: arn,
    attributes: {
      PolicyArn: arn,
      PolicyId: p?.PolicyId ?? '',
      DefaultVersionId: p?.DefaultVersionId ?? '',
      AttachmentCount: p?.AttachmentCount ?? 0,
      PermissionsBoundaryUsageCount: p?.PermissionsBoundaryUsageCount ?? 0,
      IsAttachable: bool(p?.IsAttachable) ?? true,
      CreateDate: p?.CreateDate ? new Date(p.CreateDate).toISOString() : '',
      UpdateDate: p?.UpdateDate ? new Date(p.UpdateDate).toISOString() : '',
    },
  };
}

async function syncAttachments(ctx: ResourceContext, arn: string, props: ManagedPolicyProperties, previous: Partial<ManagedPolicyProperties> = {}): Promise<void> {
  for (const [kind, key] of HOLDERS) {
    const now = new Set(props[key] ?? []);
    const had = new Set(previous[key] ?? []);
    for (const name of had) if (!now.has(name)) await ignoring(['NoSuchEntity'], () => callIam(ctx, `Detach${kind}Policy`, { [`${kind}Name`]: name, PolicyArn: arn }));
    for (const name of now) if (!had.has(name)) await callIam(ctx, `Attach${kind}Policy`, { [`${kind}Name`]: name, PolicyArn: arn });
  }
}

/** AWS::IAM::ManagedPolicy. */
export const managedPolicy: ResourceType<ManagedPolicyProperties> = {
  type: 'AWS::IAM::ManagedPolicy',
  nameProperty: 'ManagedPolicyName',
  required: ['PolicyDocument'],
  createOnly: ['ManagedPolicyName', 'Path', 'Description'],
  attributes: ['PolicyArn', 'PolicyId', 'DefaultVersionId', 'AttachmentCount', 'IsAttachable', 'PermissionsBoundaryUsageCount', 'CreateDate', 'UpdateDate'],
  async create(ctx, props) {
    const { Policy: p } = await ctx.call('iam', 'CreatePolicy', {
      PolicyName: props.ManagedPolicyName ?? ctx.physicalName({ max: 128 }),
      PolicyDocument: jsonText(props.PolicyDocument)!,
      ...(props.Path !== undefined ? { Path: props.Path } : {}),
      ...(props.Description !== undefined ? { Description: props.Description } : {}),
    });
    const arn = p!.Arn!;
    try {
      await syncAttachments(ctx, arn, props);
    } catch (error) {
      await syncAttachments(ctx, arn, {} as ManagedPolicyProperties, props).catch(() => undefined);
      await ignoring(['NoSuchEntity'], () => ctx.call('iam', 'DeletePolicy', { PolicyArn: arn }));
      throw error;
    }
    return managedPolicyState(ctx, arn);
  },
  async update(ctx, current, props, previous) {
    const arn = current.physicalId;
    if (differs(props.PolicyDocument, previous.PolicyDocument)) {
      const versions = (await ctx.call('iam', 'ListPolicyVersions', { PolicyArn: arn })).Versions ?? [];
      if (versions.length >= 5) {
        // the oldest by number (v1, v2, ...): creation times tie within a second
        const number = (id: string | undefined) => Number(id?.slice(1) ?? 0);
        const oldest = versions.filter((v) => !v.IsDefaultVersion).sort((a, b) => number(a.VersionId) - number(b.VersionId))[0];
        if (oldest?.VersionId) await ctx.call('iam', 'DeletePolicyVersion', { PolicyArn: arn, VersionId: oldest.VersionId });
      }
      await ctx.call('iam', 'CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: jsonText(props.PolicyDocument)!, SetAsDefault: true });
    }
    await syncAttachments(ctx, arn, props, previous);
    return managedPolicyState(ctx, arn);
  },
  async delete(ctx, current, props) {
    const arn = current.physicalId;
    await ignoring(['NoSuchEntity'], async () => {
      await syncAttachments(ctx, arn, {} as ManagedPolicyProperties, props ?? {});
      for (const v of (await ctx.call('iam', 'ListPolicyVersions', { PolicyArn: arn })).Versions ?? []) {
        if (!v.IsDefaultVersion && v.VersionId) await ctx.call('iam', 'DeletePolicyVersion', { PolicyArn: arn, VersionId: v.VersionId });
      }
      await ctx.call('iam', 'DeletePolicy', { PolicyArn: arn });
    });
  },
};

/** This service's resource types, as resources/index.ts loads them. */
export const resourceTypes = [role, policy, managedPolicy, user, group, instanceProfile, accessKey, serviceLinkedRole];
