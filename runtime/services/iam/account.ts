/**
 * The account's settings and views: its alias (one, as AWS allows), password policy, the
 * summary of what it holds against AWS's quotas (GetAccountSummary), and the whole picture
 * of users, groups, roles and the policies in use (GetAccountAuthorizationDetails).
 */
import type { GroupDetail, IamApi, ManagedPolicyDetail, PolicyDetail, RoleDetail, UserDetail } from './api.generated.js';
import type { OperationContext } from '../provider.js';
import { partitionOf } from '../../aws/arns.js';
import { date, encodeDocument, page, tagsOut, type Iam } from './common.js';
import { iamError } from './errors.js';
import type { IamState, StoredPrincipal } from './state.js';
import { usage, versionIds } from './policies.js';
import { attachedPolicies } from './attachments.js';
import { instanceProfileOut } from './instance-profiles.js';
import { awsPolicyArn } from './aws-managed.js';

/** AWS's default quotas, as GetAccountSummary reports them. */
const QUOTAS = {
  UsersQuota: 5000,
  GroupsQuota: 300,
  ServerCertificatesQuota: 20,
  UserPolicySizeQuota: 2048,
  GroupPolicySizeQuota: 5120,
  GroupsPerUserQuota: 10,
  SigningCertificatesPerUserQuota: 2,
  AccessKeysPerUserQuota: 2,
  AttachedPoliciesPerGroupQuota: 10,
  AttachedPoliciesPerRoleQuota: 10,
  AttachedPoliciesPerUserQuota: 10,
  PoliciesQuota: 1500,
  PolicySizeQuota: 6144,
  PolicyVersionsInUseQuota: 10000,
  VersionsPerPolicyQuota: 5,
  RolesQuota: 1000,
  RolePolicySizeQuota: 10240,
  InstanceProfilesQuota: 1000,
  AssumeRolePolicySizeQuota: 2048,
} as const;

/** The password policy members and AWS's defaults for the ones a caller leaves out. */
const PASSWORD_DEFAULTS = {
  MinimumPasswordLength: 6,
  RequireSymbols: false,
  RequireNumbers: false,
  RequireUppercaseCharacters: false,
  RequireLowercaseCharacters: false,
  AllowUsersToChangePassword: false,
  HardExpiry: false,
} as const;

function inline(entity: StoredPrincipal): PolicyDetail[] {
  return Object.keys(entity.inlinePolicies).map((name) => ({ PolicyName: name, PolicyDocument: encodeDocument(entity.inlinePolicies[name]!) }));
}

const FILTERS = ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const;

/** The account operations: alias, password policy, STS preferences, summary, authorization details. */
export function accountOperations(iam: Iam) {
  const { store } = iam;

  function details(ctx: OperationContext, state: IamState, filter: readonly string[]) {
    const counts = usage(state);
    const items: { order: string; detail: { user?: UserDetail; group?: GroupDetail; role?: RoleDetail; policy?: ManagedPolicyDetail } }[] = [];
    const add = (type: number, key: string, detail: (typeof items)[number]['detail']) => items.push({ order: `${type}\u0000${key}`, detail });
    if (filter.includes('User')) {
      for (const key of Object.keys(state.users)) {
        const u = state.users[key]!;
        add(0, key, {
          user: {
            Path: u.path, UserName: u.name, UserId: u.id, Arn: u.arn, CreateDate: date(u.created),
            UserPolicyList: inline(u),
            GroupList: u.groups.map((g) => state.groups[g]?.name).filter((n): n is string => n !== undefined),
            AttachedManagedPolicies: attachedPolicies(u),
            PermissionsBoundary: u.boundary ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: u.boundary } : undefined,
            Tags: tagsOut(u.tags),
          },
        });
      }
    }
    if (filter.includes('Group')) {
      for (const key of Object.keys(state.groups)) {
        const g = state.groups[key]!;
        add(1, key, { group: { Path: g.path, GroupName: g.name, GroupId: g.id, Arn: g.arn, CreateDate: date(g.created), GroupPolicyList: inline(g), AttachedManagedPolicies: attachedPolicies(g) } });
      }
    }
    if (filter.includes('Role')) {
      for (const key of Object.keys(state.roles)) {
        const r = state.roles[key]!;
        add(2, key, {
          role: {
            Path: r.path, RoleName: r.name, RoleId: r.id, Arn: r.arn, CreateDate: date(r.created),
            AssumeRolePolicyDocument: encodeDocument(r.trustPolicy),
            InstanceProfileList: Object.keys(state.instanceProfiles).map((k) => state.instanceProfiles[k]!).filter((p) => p.roles.includes(key)).map((p) => instanceProfileOut(state, p, false)),
            RolePolicyList: inline(r),
            AttachedManagedPolicies: attachedPolicies(r),
            PermissionsBoundary: r.boundary ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: r.boundary } : undefined,
            Tags: tagsOut(r.tags),
            RoleLastUsed: r.lastUsed ? { LastUsedDate: date(r.lastUsed.date), Region: r.lastUsed.region } : {},
          },
        });
      }
    }
    if (filter.includes('LocalManagedPolicy')) {
      for (const key of Object.keys(state.policies)) {
        const p = state.policies[key]!;
        add(3, key, {
          policy: {
            PolicyName: p.name, PolicyId: p.id, Arn: p.arn, Path: p.path, DefaultVersionId: p.defaultVersion,
            AttachmentCount: counts.attachments.get(p.arn) ?? 0, PermissionsBoundaryUsageCount: counts.boundaries.get(p.arn) ?? 0, IsAttachable: true,
            Description: p.description, CreateDate: date(p.created), UpdateDate: date(p.updated),
            PolicyVersionList: versionIds(p).map((v) => ({ Document: encodeDocument(p.versions[v]!.document), VersionId: v, IsDefaultVersion: v === p.defaultVersion, CreateDate: date(p.versions[v]!.created) })),
          },
        });
      }
    }
    if (filter.includes('AWSManagedPolicy')) {
      // AWS lists the AWS managed policies the account uses
      for (const p of iam.aws.all()) {
        const arn = awsPolicyArn(p, partitionOf(ctx.region));
        const attachments = counts.attachments.get(arn) ?? 0;
        const boundaries = counts.boundaries.get(arn) ?? 0;
        if (attachments + boundaries === 0) continue;
        add(4, p.PolicyName.toLowerCase(), {
          policy: {
            PolicyName: p.PolicyName, PolicyId: p.id, Arn: arn, Path: p.Path, DefaultVersionId: p.DefaultVersionId,
            AttachmentCount: attachments, PermissionsBoundaryUsageCount: boundaries, IsAttachable: true,
            CreateDate: new Date(p.CreateDate), UpdateDate: new Date(p.UpdateDate),
            PolicyVersionList: [{ Document: encodeDocument(p.Document), VersionId: p.DefaultVersionId, IsDefaultVersion: true, CreateDate: new Date(p.UpdateDate) }],
          },
        });
      }
    }
    return items;
  }

  return {
    CreateAccountAlias(ctx, input) {
      const state = store.of(ctx);
      // one alias per account: a new one replaces it
      state.account.aliases = [input.AccountAlias];
      store.changedAccount(ctx);
      return {};
    },

    DeleteAccountAlias(ctx, input) {
      const state = store.of(ctx);
      if (!state.account.aliases.includes(input.AccountAlias)) throw iamError('NoSuchEntityException', `The account alias ${input.AccountAlias} cannot be found.`);
      state.account.aliases = state.account.aliases.filter((a) => a !== input.AccountAlias);
      store.changedAccount(ctx);
      return {};
    },

    ListAccountAliases(ctx) {
      return { AccountAliases: [...store.of(ctx).account.aliases], IsTruncated: false };
    },

    UpdateAccountPasswordPolicy(ctx, input) {
      const state = store.of(ctx);
      const policy: Record<string, number | boolean> = { ...PASSWORD_DEFAULTS };
      for (const [k, v] of Object.entries(input)) if (v !== undefined) policy[k] = v as number | boolean;
      state.account.passwordPolicy = policy;
      store.changedAccount(ctx);
      return {};
    },

    GetAccountPasswordPolicy(ctx) {
      const policy = store.of(ctx).account.passwordPolicy;
      if (!policy) throw iamError('NoSuchEntityException', `The Password Policy with domain name ${ctx.accountId} cannot be found.`);
      const out = { ...policy, ExpirePasswords: typeof policy['MaxPasswordAge'] === 'number' && policy['MaxPasswordAge'] > 0 };
      return { PasswordPolicy: out };
    },

    DeleteAccountPasswordPolicy(ctx) {
      const state = store.of(ctx);
      if (!state.account.passwordPolicy) throw iamError('NoSuchEntityException', `The account policy with name PasswordPolicy cannot be found.`);
      delete state.account.passwordPolicy;
      store.changedAccount(ctx);
      return {};
    },

    SetSecurityTokenServicePreferences(ctx, input) {
      store.of(ctx).account.globalEndpointTokenVersion = input.GlobalEndpointTokenVersion;
      store.changedAccount(ctx);
      return {};
    },

    GetAccountSummary(ctx) {
      const state = store.of(ctx);
      const count = (r: Record<string, unknown>) => Object.keys(r).length;
      const mfa = Object.values(state.mfaDevices);
      const policies = Object.values(state.policies);
      const summary: Record<string, number> = {
        ...QUOTAS,
        GlobalEndpointTokenVersion: state.account.globalEndpointTokenVersion === 'v2Token' ? 2 : 1,
        Users: count(state.users),
        Groups: count(state.groups),
        Roles: count(state.roles),
        Policies: policies.length,
        PolicyVersionsInUse: policies.reduce((n, p) => n + count(p.versions), 0),
        InstanceProfiles: count(state.instanceProfiles),
        ServerCertificates: count(state.serverCertificates),
        Providers: count(state.oidcProviders) + count(state.samlProviders),
        MFADevices: mfa.length,
        MFADevicesInUse: mfa.filter((d) => d.userKey !== undefined).length,
        AccountMFAEnabled: 0,
        AccountAccessKeysPresent: 0,
        AccountSigningCertificatesPresent: 0,
      };
      return { SummaryMap: summary };
    },

    GetAccountAuthorizationDetails(ctx, input) {
      const state = store.of(ctx);
      const filter = input.Filter && input.Filter.length > 0 ? input.Filter : FILTERS;
      const listing = page(details(ctx, state, filter), input, `GetAccountAuthorizationDetails:${[...filter].sort().join(',')}`, (i) => i.order);
      const pick = <K extends 'user' | 'group' | 'role' | 'policy'>(k: K) => listing.items.map((i) => i.detail[k]).filter((d): d is NonNullable<(typeof listing.items)[number]['detail'][K]> => d !== undefined);
      return { UserDetailList: pick('user'), GroupDetailList: pick('group'), RoleDetailList: pick('role'), Policies: pick('policy'), IsTruncated: listing.IsTruncated, Marker: listing.Marker };
    },
  } satisfies Partial<IamApi>;
}
