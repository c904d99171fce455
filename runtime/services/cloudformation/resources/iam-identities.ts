/**
 * IAM's identity resource types (iam.ts lists them with the roles and policies):
 *
 * - AWS::IAM::User: Ref its name; GetAtt Arn. Groups, ManagedPolicyArns, Policies, LoginProfile
 *   ({ Password, PasswordResetRequired }), PermissionsBoundary and Tags change in place; a new
 *   UserName or Path is a new user.
 * - AWS::IAM::Group: Ref its name; GetAtt Arn. ManagedPolicyArns and Policies in place.
 * - AWS::IAM::InstanceProfile: Ref its name; GetAtt Arn. Roles (one, as IAM allows) in place.
 * - AWS::IAM::AccessKey: Ref the access key id; GetAtt SecretAccessKey. Status in place; a new
 *   UserName or Serial is a new key.
 * - AWS::IAM::ServiceLinkedRole: Ref the role's name; GetAtt RoleName. Description in place.
 */
import { bool, ignoring, tagList, tagsOf, type TagList } from './property-values.js';
import { deletePrincipal, syncInlinePolicies, syncManagedPolicies, syncTags, type InlinePolicy } from './iam-principals.js';
import type { ResourceContext, ResourceType } from './resource-type.js';

/** AWS::IAM::User's properties. */
export interface UserProperties {
  UserName?: string;
  Path?: string;
  Groups?: readonly string[];
  ManagedPolicyArns?: readonly string[];
  Policies?: readonly InlinePolicy[];
  LoginProfile?: { Password: string; PasswordResetRequired?: boolean | string };
  PermissionsBoundary?: string;
  Tags?: TagList;
}

async function syncGroups(ctx: ResourceContext, user: string, next: readonly string[] = [], previous: readonly string[] = []): Promise<void> {
  for (const g of previous) if (!next.includes(g)) await ignoring(['NoSuchEntity'], () => ctx.call('iam', 'RemoveUserFromGroup', { UserName: user, GroupName: g }));
  for (const g of next) if (!previous.includes(g)) await ctx.call('iam', 'AddUserToGroup', { UserName: user, GroupName: g });
}

/** AWS::IAM::User. */
export const user: ResourceType<UserProperties> = {
  type: 'AWS::IAM::User',
  nameProperty: 'UserName',
  createOnly: ['UserName', 'Path'],
  attributes: ['Arn'],
  async create(ctx, props) {
    const name = props.UserName ?? ctx.physicalName({ max: 64 });
    const tags = tagsOf(ctx.stackTags, props.Tags);
    const { User } = await ctx.call('iam', 'CreateUser', {
      UserName: name,
      ...(props.Path !== undefined ? { Path: props.Path } : {}),
      ...(props.PermissionsBoundary !== undefined ? { PermissionsBoundary: props.PermissionsBoundary } : {}),
      ...(Object.keys(tags).length ? { Tags: tagList(tags) } : {}),
    });
    try {
      if (props.LoginProfile) await ctx.call('iam', 'CreateLoginProfile', { UserName: name, Password: props.LoginProfile.Password, PasswordResetRequired: bool(props.LoginProfile.PasswordResetRequired) ?? false });
      await syncGroups(ctx, name, props.Groups);
      await syncInlinePolicies(ctx, 'User', name, props.Policies);
      await syncManagedPolicies(ctx, 'User', name, props.ManagedPolicyArns);
    } catch (error) {
      await removeUser(ctx, name, props);
      throw error;
    }
    return { physicalId: name, attributes: { Arn: User!.Arn } };
  },
  async update(ctx, current, props, previous) {
    const name = current.physicalId;
    if (JSON.stringify(props.LoginProfile) !== JSON.stringify(previous.LoginProfile)) {
      const reset = bool(props.LoginProfile?.PasswordResetRequired) ?? false;
      if (!props.LoginProfile) await ignoring(['NoSuchEntity'], () => ctx.call('iam', 'DeleteLoginProfile', { UserName: name }));
      else if (!previous.LoginProfile) await ctx.call('iam', 'CreateLoginProfile', { UserName: name, Password: props.LoginProfile.Password, PasswordResetRequired: reset });
      else await ctx.call('iam', 'UpdateLoginProfile', { UserName: name, Password: props.LoginProfile.Password, PasswordResetRequired: reset });
    }
    if (props.PermissionsBoundary !== previous.PermissionsBoundary) {
      if (props.PermissionsBoundary !== undefined) await ctx.call('iam', 'PutUserPermissionsBoundary', { UserName: name, PermissionsBoundary: props.PermissionsBoundary });
      else await ignoring(['NoSuchEntity'], () => ctx.call('iam', 'DeleteUserPermissionsBoundary', { UserName: name }));
    }
    await syncGroups(ctx, name, props.Groups, previous.Groups);
    await syncInlinePolicies(ctx, 'User', name, props.Policies, previous.Policies);
    await syncManagedPolicies(ctx, 'User', name, props.ManagedPolicyArns, previous.ManagedPolicyArns);
    await syncTags(ctx, 'User', { UserName: name }, tagsOf(ctx.stackTags, props.Tags));
    return current;
  },
  async delete(ctx, current, props) {
    await removeUser(ctx, current.physicalId, props);
  },
};

/** A user goes once its login profile and group memberships are gone (IAM refuses otherwise: DeleteConflict). */
async function removeUser(ctx: ResourceContext, name: string, props: UserProperties | undefined): Promise<void> {
  await ignoring(['NoSuchEntity'], () => ctx.call('iam', 'DeleteLoginProfile', { UserName: name }));
  await syncGroups(ctx, name, [], props?.Groups ?? []);
  await ignoring(['NoSuchEntity'], () => ctx.call('iam', 'DeleteUserPermissionsBoundary', { UserName: name }));
  await deletePrincipal(ctx, 'User', name);
}

/** AWS::IAM::Group's properties. */
export interface GroupProperties {
  GroupName?: string;
  Path?: string;
  ManagedPolicyArns?: readonly string[];
  Policies?: readonly InlinePolicy[];
}

/** AWS::IAM::Group. */
export const group: ResourceType<GroupProperties> = {
  type: 'AWS::IAM::Group',
  nameProperty: 'GroupName',
  createOnly: ['GroupName', 'Path'],
  attributes: ['Arn'],
  async create(ctx, props) {
    const name = props.GroupName ?? ctx.physicalName({ max: 128 });
    const { Group } = await ctx.call('iam', 'CreateGroup', { GroupName: name, ...(props.Path !== undefined ? { Path: props.Path } : {}) });
    try {
      await syncInlinePolicies(ctx, 'Group', name, props.Policies);
      await syncManagedPolicies(ctx, 'Group', name, props.ManagedPolicyArns);
    } catch (error) {
      await deletePrincipal(ctx, 'Group', name);
      throw error;
    }
    return { physicalId: name, attributes: { Arn: Group.Arn } };
  },
  async update(ctx, current, props, previous) {
    await syncInlinePolicies(ctx, 'Group', current.physicalId, props.Policies, previous.Policies);
    await syncManagedPolicies(ctx, 'Group', current.physicalId, props.ManagedPolicyArns, previous.ManagedPolicyArns);
    return current;
  },
  async delete(ctx, current) {
    await deletePrincipal(ctx, 'Group', current.physicalId);
  },
};

/** AWS::IAM::InstanceProfile's properties. */
export interface InstanceProfileProperties {
  InstanceProfileName?: string;
  Path?: string;
  Roles: readonly string[];
}

/** AWS::IAM::InstanceProfile. */
export const instanceProfile: ResourceType<InstanceProfileProperties> = {
  type: 'AWS::IAM::InstanceProfile',
  nameProperty: 'InstanceProfileName',
  required: ['Roles'],
  createOnly: ['InstanceProfileName', 'Path'],
  attributes: ['Arn'],
  async create(ctx, props) {
    const name = props.InstanceProfileName ?? ctx.physicalName({ max: 128 });
    const { InstanceProfile } = await ctx.call('iam', 'CreateInstanceProfile', { InstanceProfileName: name, ...(props.Path !== undefined ? { Path: props.Path } : {}) });
    try {
      for (const r of props.Roles) await ctx.call('iam', 'AddRoleToInstanceProfile', { InstanceProfileName: name, RoleName: r });
    } catch (error) {
      await ignoring(['NoSuchEntity'], () => ctx.call('iam', 'DeleteInstanceProfile', { InstanceProfileName: name }));
      throw error;
    }
    return { physicalId: name, attributes: { Arn: InstanceProfile.Arn } };
  },
  async update(ctx, current, props, previous) {
    const name = current.physicalId;
    for (const r of previous.Roles ?? []) if (!props.Roles.includes(r)) await ignoring(['NoSuchEntity'], () => ctx.call('iam', 'RemoveRoleFromInstanceProfile', { InstanceProfileName: name, RoleName: r }));
    for (const r of props.Roles) if (!(previous.Roles ?? []).includes(r)) await ctx.call('iam', 'AddRoleToInstanceProfile', { InstanceProfileName: name, RoleName: r });
    return current;
  },
  async delete(ctx, current) {
    const name = current.physicalId;
    await ignoring(['NoSuchEntity'], async () => {
      const { InstanceProfile } = await ctx.call('iam', 'GetInstanceProfile', { InstanceProfileName: name });
      for (const r of InstanceProfile.Roles ?? []) await ignoring(['NoSuchEntity'], () => ctx.call('iam', 'RemoveRoleFromInstanceProfile', { InstanceProfileName: name, RoleName: r.RoleName }));
      await ctx.call('iam', 'DeleteInstanceProfile', { InstanceProfileName: name });
    });
  },
};

/** AWS::IAM::AccessKey's properties. */
export interface AccessKeyProperties {
  UserName: string;
  Serial?: number | string;
  Status?: string;
}

/** AWS::IAM::AccessKey. */
export const accessKey: ResourceType<AccessKeyProperties> = {
  type: 'AWS::IAM::AccessKey',
  required: ['UserName'],
  createOnly: ['UserName', 'Serial'],
  attributes: ['SecretAccessKey'],
  async create(ctx, props) {
    const { AccessKey } = await ctx.call('iam', 'CreateAccessKey', { UserName: props.UserName });
    if (props.Status === 'Inactive') await ctx.call('iam', 'UpdateAccessKey', { UserName: props.UserName, AccessKeyId: AccessKey.AccessKeyId, Status: 'Inactive' });
    return { physicalId: AccessKey.AccessKeyId, attributes: { SecretAccessKey: AccessKey.SecretAccessKey } };
  },
  async update(ctx, current, props) {
    await ctx.call('iam', 'UpdateAccessKey', { UserName: props.UserName, AccessKeyId: current.physicalId, Status: props.Status ?? 'Active' });
    return current;
  },
  async delete(ctx, current, props) {
    await ignoring(['NoSuchEntity'], () => ctx.call('iam', 'DeleteAccessKey', { UserName: props.UserName, AccessKeyId: current.physicalId }));
  },
};

/** AWS::IAM::ServiceLinkedRole's properties. */
export interface ServiceLinkedRoleProperties {
  AWSServiceName: string;
  CustomSuffix?: string;
  Description?: string;
}

/** AWS::IAM::ServiceLinkedRole. */
export const serviceLinkedRole: ResourceType<ServiceLinkedRoleProperties> = {
  type: 'AWS::IAM::ServiceLinkedRole',
  required: ['AWSServiceName'],
  createOnly: ['AWSServiceName', 'CustomSuffix'],
  attributes: ['RoleName'],
  async create(ctx, props) {
    const { Role } = await ctx.call('iam', 'CreateServiceLinkedRole', {
      AWSServiceName: props.AWSServiceName,
      ...(props.CustomSuffix !== undefined ? { CustomSuffix: props.CustomSuffix } : {}),
      ...(props.Description !== undefined ? { Description: props.Description } : {}),
    });
    return { physicalId: Role!.RoleName, attributes: { RoleName: Role!.RoleName } };
  },
  async update(ctx, current, props) {
    await ctx.call('iam', 'UpdateRoleDescription', { RoleName: current.physicalId, Description: props.Description ?? '' });
    return current;
  },
  async delete(ctx, current) {
    await ignoring(['NoSuchEntity'], () => ctx.call('iam', 'DeleteServiceLinkedRole', { RoleName: current.physicalId }));
  },
};
