/**
 * IAM's state: one per account, shared by every region (IAM is global, as in AWS), as plain
 * data the runtime can reset, persist and export (runtime/state/store.ts).
 *
 * IAM names are unique per account without regard to case ("you cannot create resources
 * named both MyResource and myresource"), and found the same way: each collection is keyed
 * by the lower-cased name (`keyOf`), and the record keeps the name as written. Customer
 * managed policies are keyed the same way (a policy name is unique in the account, whatever
 * its path). Documents are kept as the text the caller sent (AWS answers them URL-encoded).
 *
 * What a principal's permissions are made of (for the policy simulator), per entity:
 * `inlinePolicies` (name → document), `attached` (policy ARNs, AWS's or the account's:
 * documentOf in policies.ts reads either), `boundary` (a policy ARN), and for a user its
 * `groups` (group keys), whose groups carry inline and attached policies of their own.
 */
import type { OperationContext, ProviderContext } from '../provider.js';
import { record } from '../../state/store.js';
import type { TagMap } from '../../aws/tags.js';

/** What users, groups, roles, policies and instance profiles share. */
export interface StoredEntity {
  name: string;
  /** `/` or `/a/b/`. */
  path: string;
  /** AIDA..., AGPA..., AROA..., ANPA..., AIPA... (21 characters). */
  id: string;
  arn: string;
  /** Epoch milliseconds. */
  created: number;
}

/** What users, groups and roles carry as permissions. */
export interface StoredPrincipal extends StoredEntity {
  /** Inline policies by name, as written. */
  inlinePolicies: Record<string, string>;
  /** Managed policy ARNs, in attachment order. */
  attached: string[];
}

/** An IAM user. */
export interface StoredUser extends StoredPrincipal {
  tags: TagMap;
  /** Group keys (lower-cased names), in the order the user joined them. */
  groups: string[];
  boundary?: string;
  login?: { created: number; passwordResetRequired: boolean };
}

/** An IAM group (its members are kept on the users). */
export type StoredGroup = StoredPrincipal;

/** An IAM role. */
export interface StoredRole extends StoredPrincipal {
  tags: TagMap;
  trustPolicy: string;
  description?: string;
  maxSessionDuration: number;
  boundary?: string;
  /** Epoch milliseconds and region of the last use (an AssumeRole). */
  lastUsed?: { date: number; region: string };
}

/** One version of a customer managed policy. */
export interface StoredPolicyVersion {
  document: string;
  created: number;
}

/** A customer managed policy. */
export interface StoredPolicy extends StoredEntity {
  tags: TagMap;
  description?: string;
  defaultVersion: string;
  /** The next version number (versions are never renumbered: v1, v2, v4 after deleting v3). */
  nextVersion: number;
  versions: Record<string, StoredPolicyVersion>;
  updated: number;
}

/** An instance profile. */
export interface StoredInstanceProfile extends StoredEntity {
  tags: TagMap;
  /** Role keys (at most one, as AWS allows). */
  roles: string[];
}

/** An access key of a user, by its id in IamState.accessKeys. */
export interface StoredAccessKey {
  userKey: string;
  secret: string;
  status: 'Active' | 'Inactive';
  created: number;
  lastUsed?: { date: number; service: string; region: string };
}

/** An OpenID Connect identity provider. */
export interface StoredOidcProvider {
  arn: string;
  url: string;
  clientIds: string[];
  thumbprints: string[];
  created: number;
  tags: TagMap;
}

/** A SAML identity provider. */
export interface StoredSamlProvider {
  arn: string;
  name: string;
  metadata: string;
  created: number;
  validUntil: number;
  tags: TagMap;
}

/** A server certificate (its private key is not kept). */
export interface StoredServerCertificate extends StoredEntity {
  tags: TagMap;
  body: string;
  chain?: string;
  expiration: number;
}

/** A virtual MFA device. */
export interface StoredMfaDevice {
  serial: string;
  seed: string;
  created: number;
  tags: TagMap;
  /** The user key and enable date once enabled. */
  userKey?: string;
  enabled?: number;
}

/** An SSH public key of a user (for CodeCommit). */
export interface StoredSshKey {
  userKey: string;
  body: string;
  fingerprint: string;
  status: 'Active' | 'Inactive';
  uploaded: number;
}

/** An X.509 signing certificate of a user. */
export interface StoredSigningCertificate {
  userKey: string;
  body: string;
  status: 'Active' | 'Inactive';
  uploaded: number;
}

/** A service-specific credential (CodeCommit, Keyspaces, Bedrock). */
export interface StoredServiceCredential {
  userKey: string;
  service: string;
  userName: string;
  password: string;
  status: 'Active' | 'Inactive';
  created: number;
  expires?: number;
}

/** A service-linked role's deletion task. */
export interface StoredServiceLinkedRoleDeletion {
  status: 'SUCCEEDED' | 'IN_PROGRESS' | 'FAILED' | 'NOT_STARTED';
}

/** Everything IAM keeps in one account. */
export interface IamState {
  users: Record<string, StoredUser>;
  groups: Record<string, StoredGroup>;
  roles: Record<string, StoredRole>;
  /** Customer managed policies by key. */
  policies: Record<string, StoredPolicy>;
  instanceProfiles: Record<string, StoredInstanceProfile>;
  /** By access key id. */
  accessKeys: Record<string, StoredAccessKey>;
  /** By ARN. */
  oidcProviders: Record<string, StoredOidcProvider>;
  /** By ARN. */
  samlProviders: Record<string, StoredSamlProvider>;
  serverCertificates: Record<string, StoredServerCertificate>;
  /** Virtual MFA devices by serial number (an ARN). */
  mfaDevices: Record<string, StoredMfaDevice>;
  /** By SSH public key id (APKA...). */
  sshKeys: Record<string, StoredSshKey>;
  /** By certificate id. */
  signingCertificates: Record<string, StoredSigningCertificate>;
  /** By credential id (ACCA...). */
  serviceCredentials: Record<string, StoredServiceCredential>;
  /** Deletion tasks of service-linked roles by task id. */
  deletionTasks: Record<string, StoredServiceLinkedRoleDeletion>;
  account: {
    aliases: string[];
    passwordPolicy?: Record<string, number | boolean>;
    /** SetSecurityTokenServicePreferences: `v1Token` (the default) or `v2Token`. */
    globalEndpointTokenVersion?: string;
    /** The last credential report (GenerateCredentialReport): CSV text and when it was made. */
    credentialReport?: { csv: string; generated: number };
  };
}

/** The state of an account that has none yet. */
export function newState(): IamState {
  return {
    users: record(),
    groups: record(),
    roles: record(),
    policies: record(),
    instanceProfiles: record(),
    accessKeys: record(),
    oidcProviders: record(),
    samlProviders: record(),
    serverCertificates: record(),
    mfaDevices: record(),
    sshKeys: record(),
    signingCertificates: record(),
    serviceCredentials: record(),
    deletionTasks: record(),
    account: { aliases: [] },
  };
}

/** The key of a name in its collection: IAM names are unique without regard to case. */
export function keyOf(name: string): string {
  return name.toLowerCase();
}

/** A collection of IamState (what `changed` marks under). */
export type Collection = Exclude<keyof IamState, 'account'>;

/**
 * Declares the state to the runtime (once, in createProvider) and returns what handlers use:
 * `of(ctx)` is the caller's account, `changed(ctx, collection, key)` marks one record as
 * written or deleted, `changedAccount(ctx)` the account settings. A change without its mark is
 * lost at restart, and tests (STATE_AUDIT=1) fail the request that made it.
 */
export function declareState(context: ProviderContext) {
  const store = context.state.account<IamState>('iam', newState);
  return {
    store,
    of: (ctx: OperationContext) => store.get(ctx.accountId),
    changed: (ctx: OperationContext, collection: Collection, key: string) => store.changed(ctx.accountId, collection, key),
    changedAccount: (ctx: OperationContext) => store.changed(ctx.accountId, 'account'),
  };
}

/** What every part of the provider receives. */
export type IamStore = ReturnType<typeof declareState>;
