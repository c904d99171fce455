/**
 * Managed policies: the account's own (customer managed, with up to five versions and a
 * default one) and AWS's (aws-managed.ts, read-only, the same everywhere). Both are named by
 * ARN; `resolvePolicy` finds either, `documentOf` reads the default version's document (what
 * the policy simulator evaluates). AttachmentCount and PermissionsBoundaryUsageCount are
 * counted from the account's users, groups and roles (`usage`), so they can never drift
 * from the attachments themselves, for AWS's policies as for the account's.
 */
import { parsePolicy } from '../../aws/policies.js';
import { parseArn, partitionOf } from '../../aws/arns.js';
import type { IamApi, Policy } from './api.generated.js';
import { checkManagedPolicySize, date, encodeDocument, iamArn, newId, page, pathOf, tagsOut, addTags, underPrefix, type Iam } from './common.js';
import { iamError } from './errors.js';
import type { OperationContext } from '../provider.js';
import { awsPolicyArn, type AwsManagedPolicy } from './aws-managed.js';
import { keyOf, type IamState, type StoredPolicy } from './state.js';

/** A managed policy found by ARN: AWS's or the account's. */
export type ResolvedPolicy = { readonly aws: AwsManagedPolicy; readonly local?: undefined; readonly arn: string } | { readonly aws?: undefined; readonly local: StoredPolicy; readonly arn: string };

/** The account's policy an ARN names, or undefined. */
export function localPolicy(state: IamState, ctx: OperationContext, arn: string): StoredPolicy | undefined {
  const parts = parseArn(arn);
  if (!parts || parts.service !== 'iam' || parts.accountId !== ctx.accountId || !parts.resource.startsWith('policy/')) return undefined;
  const name = parts.resource.slice(parts.resource.lastIndexOf('/') + 1);
  const policy = state.policies[keyOf(name)];
  return policy && policy.arn === arn ? policy : undefined;
}

/** The managed policy an ARN names (AWS's or the account's), or undefined. */
export function resolvePolicy(iam: Iam, ctx: OperationContext, arn: string): ResolvedPolicy | undefined {
  const aws = iam.aws.get(arn);
  if (aws) return { aws, arn };
  const local = localPolicy(iam.store.of(ctx), ctx, arn);
  return local ? { local, arn } : undefined;
}

/** The default version's document of a managed policy (as written), or undefined when there is no such policy. */
export function documentOf(iam: Iam, ctx: OperationContext, arn: string): string | undefined {
  const policy = resolvePolicy(iam, ctx, arn);
  if (!policy) return undefined;
  return policy.aws ? policy.aws.Document : policy.local.versions[policy.local.defaultVersion]!.document;
}

/** How many users, groups and roles of the account attach each policy, and use it as a boundary. */
export function usage(state: IamState): { attachments: Map<string, number>; boundaries: Map<string, number> } {
  const attachments = new Map<string, number>();
  const boundaries = new Map<string, number>();
  const bump = (map: Map<string, number>, arn: string) => map.set(arn, (map.get(arn) ?? 0) + 1);
  for (const collection of [state.users, state.groups, state.roles]) {
    for (const key of Object.keys(collection)) {
      const entity = collection[key]!;
      for (const arn of entity.attached) bump(attachments, arn);
      const boundary = (entity as { boundary?: string }).boundary;
      if (boundary) bump(boundaries, boundary);
    }
  }
  return { attachments, boundaries };
}

/** NoSuchEntity for a policy ARN that names nothing (GetPolicy and the like). */
export function policyNotFound(arn: string): Error {
  return iamError('NoSuchEntityException', `Policy ${arn} was not found.`);
}

function versionNotFound(arn: string, version: string): Error {
  return iamError('NoSuchEntityException', `Policy ${arn} version ${version} does not exist or is not attachable.`);
}

/** The caller as AWS names it in AccessDenied (the account's root user). */
function callerArn(ctx: OperationContext): string {
  return iamArn(ctx, 'root', '', '');
}

/** The account's policy for an operation that changes it: AWS's own are not the caller's to change. */
function ownPolicy(iam: Iam, ctx: OperationContext, arn: string, action: string): StoredPolicy {
  if (iam.aws.get(arn)) throw iamError('AccessDenied', `User: ${callerArn(ctx)} is not authorized to perform: iam:${action} on resource: policy ${arn}`);
  const policy = localPolicy(iam.store.of(ctx), ctx, arn);
  if (!policy) throw policyNotFound(arn);
  return policy;
}

/** A managed policy as the Policy shape answers it. */
export function policyOut(policy: ResolvedPolicy, counts: ReturnType<typeof usage>, detail: boolean): Policy {
  const partition = parseArn(policy.arn)?.partition ?? 'aws';
  if (policy.aws) {
    const p = policy.aws;
    return {
      PolicyName: p.PolicyName,
      PolicyId: p.id,
      Arn: awsPolicyArn(p, partition),
      Path: p.Path,
      DefaultVersionId: p.DefaultVersionId,
      AttachmentCount: counts.attachments.get(policy.arn) ?? 0,
      PermissionsBoundaryUsageCount: counts.boundaries.get(policy.arn) ?? 0,
      IsAttachable: true,
      CreateDate: new Date(p.CreateDate),
      UpdateDate: new Date(p.UpdateDate),
    };
  }
  const p = policy.local;
  return {
    PolicyName: p.name,
    PolicyId: p.id,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersion,
    AttachmentCount: counts.attachments.get(p.arn) ?? 0,
    PermissionsBoundaryUsageCount: counts.boundaries.get(p.arn) ?? 0,
    IsAttachable: true,
    Description: detail ? p.description : undefined,
    CreateDate: date(p.created),
    UpdateDate: date(p.updated),
    Tags: detail ? tagsOut(p.tags) : undefined,
  };
}

/** Versions in version order (v1, v2, ..., v10). */
export function versionIds(policy: StoredPolicy): string[] {
  return Object.keys(policy.versions).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

/** The managed policy and policy version operations. */
export function policyOperations(iam: Iam) {
  const { store } = iam;
  return {
    CreatePolicy(ctx, input) {
      const state = store.of(ctx);
      const key = keyOf(input.PolicyName);
      if (state.policies[key]) throw iamError('EntityAlreadyExistsException', `A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`);
      parsePolicy(input.PolicyDocument, 'identity');
      checkManagedPolicySize(input.PolicyDocument);
      const tags = addTags({}, input.Tags);
      const now = iam.now();
      const path = pathOf(input.Path);
      const policy: StoredPolicy = {
        name: input.PolicyName,
        path,
        id: newId('policy'),
        arn: iamArn(ctx, 'policy', path, input.PolicyName),
        created: now,
        updated: now,
        tags,
        description: input.Description,
        defaultVersion: 'v1',
        nextVersion: 2,
        versions: { v1: { document: input.PolicyDocument, created: now } },
      };
      state.policies[key] = policy;
      store.changed(ctx, 'policies', key);
      return { Policy: policyOut({ local: policy, arn: policy.arn }, usage(state), true) };
    },

    GetPolicy(ctx, input) {
      const policy = resolvePolicy(iam, ctx, input.PolicyArn);
      if (!policy) throw policyNotFound(input.PolicyArn);
      return { Policy: policyOut(policy, usage(store.of(ctx)), true) };
    },

    DeletePolicy(ctx, input) {
      const policy = ownPolicy(iam, ctx, input.PolicyArn, 'DeletePolicy');
      const state = store.of(ctx);
      const counts = usage(state);
      if ((counts.attachments.get(policy.arn) ?? 0) > 0 || (counts.boundaries.get(policy.arn) ?? 0) > 0) {
        throw iamError('DeleteConflictException', 'Cannot delete a policy attached to entities.');
      }
      if (Object.keys(policy.versions).length > 1) {
        throw iamError('DeleteConflictException', "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
      }
      const key = keyOf(policy.name);
      delete state.policies[key];
      store.changed(ctx, 'policies', key);
      return {};
    },

    ListPolicies(ctx, input) {
      const state = store.of(ctx);
      const counts = usage(state);
      const scope = input.Scope ?? 'All';
      const candidates: ResolvedPolicy[] = [];
      const partition = partitionOf(ctx.region);
      if (scope !== 'Local') for (const aws of iam.aws.all()) candidates.push({ aws, arn: awsPolicyArn(aws, partition) });
      if (scope !== 'AWS') for (const key of Object.keys(state.policies)) candidates.push({ local: state.policies[key]!, arn: state.policies[key]!.arn });
      const selected = candidates.filter((p) => {
        const path = p.aws ? p.aws.Path : p.local.path;
        if (!underPrefix(path, input.PathPrefix)) return false;
        // OnlyAttached: attached as a permissions policy, or (PolicyUsageFilter) used as a boundary
        const used = input.PolicyUsageFilter === 'PermissionsBoundary' ? counts.boundaries : input.PolicyUsageFilter === 'PermissionsPolicy' ? counts.attachments : undefined;
        if (input.OnlyAttached && ((used ?? counts.attachments).get(p.arn) ?? 0) + (used ? 0 : (counts.boundaries.get(p.arn) ?? 0)) === 0) return false;
        return true;
      });
      const name = (p: ResolvedPolicy) => `${(p.aws ? p.aws.PolicyName : p.local.name).toLowerCase()}\u0000${p.arn}`;
      const listing = page(selected, input, `ListPolicies:${scope}:${input.PathPrefix ?? ''}:${input.OnlyAttached ?? false}:${input.PolicyUsageFilter ?? ''}`, name);
      return { Policies: listing.items.map((p) => policyOut(p, counts, false)), IsTruncated: listing.IsTruncated, Marker: listing.Marker };
    },

    CreatePolicyVersion(ctx, input) {
      const policy = ownPolicy(iam, ctx, input.PolicyArn, 'CreatePolicyVersion');
      parsePolicy(input.PolicyDocument, 'identity');
      checkManagedPolicySize(input.PolicyDocument);
      if (Object.keys(policy.versions).length >= 5) {
        throw iamError('LimitExceededException', 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.');
      }
      const now = iam.now();
      const id = `v${policy.nextVersion}`;
      policy.nextVersion++;
      policy.versions[id] = { document: input.PolicyDocument, created: now };
      if (input.SetAsDefault) {
        policy.defaultVersion = id;
        policy.updated = now;
      }
      store.changed(ctx, 'policies', keyOf(policy.name));
      return { PolicyVersion: { VersionId: id, IsDefaultVersion: policy.defaultVersion === id, CreateDate: date(now) } };
    },

    GetPolicyVersion(ctx, input) {
      const policy = resolvePolicy(iam, ctx, input.PolicyArn);
      if (policy?.aws) {
        if (input.VersionId !== policy.aws.DefaultVersionId) throw versionNotFound(input.PolicyArn, input.VersionId);
        return { PolicyVersion: { Document: encodeDocument(policy.aws.Document), VersionId: policy.aws.DefaultVersionId, IsDefaultVersion: true, CreateDate: new Date(policy.aws.UpdateDate) } };
      }
      const version = policy?.local.versions[input.VersionId];
      if (!policy || !version) throw versionNotFound(input.PolicyArn, input.VersionId);
      return { PolicyVersion: { Document: encodeDocument(version.document), VersionId: input.VersionId, IsDefaultVersion: policy.local.defaultVersion === input.VersionId, CreateDate: date(version.created) } };
    },

    ListPolicyVersions(ctx, input) {
      const policy = resolvePolicy(iam, ctx, input.PolicyArn);
      if (!policy) throw policyNotFound(input.PolicyArn);
      if (policy.aws) {
        return { Versions: [{ VersionId: policy.aws.DefaultVersionId, IsDefaultVersion: true, CreateDate: new Date(policy.aws.UpdateDate) }], IsTruncated: false };
      }
      const local = policy.local;
      // newest first, as AWS lists them
      const ids = versionIds(local).reverse();
      const listing = page(ids, input, `ListPolicyVersions:${local.arn}`, (id) => String(1e6 - Number(id.slice(1))).padStart(7, '0'));
      return {
        Versions: listing.items.map((id) => ({ VersionId: id, IsDefaultVersion: id === local.defaultVersion, CreateDate: date(local.versions[id]!.created) })),
        IsTruncated: listing.IsTruncated,
        Marker: listing.Marker,
      };
    },

    DeletePolicyVersion(ctx, input) {
      const policy = ownPolicy(iam, ctx, input.PolicyArn, 'DeletePolicyVersion');
      if (!policy.versions[input.VersionId]) throw versionNotFound(input.PolicyArn, input.VersionId);
      if (policy.defaultVersion === input.VersionId) throw iamError('DeleteConflictException', 'Cannot delete the default version of a policy.');
      delete policy.versions[input.VersionId];
      store.changed(ctx, 'policies', keyOf(policy.name));
      return {};
    },

    SetDefaultPolicyVersion(ctx, input) {
      const policy = ownPolicy(iam, ctx, input.PolicyArn, 'SetDefaultPolicyVersion');
      if (!policy.versions[input.VersionId]) throw versionNotFound(input.PolicyArn, input.VersionId);
      policy.defaultVersion = input.VersionId;
      policy.updated = iam.now();
      store.changed(ctx, 'policies', keyOf(policy.name));
      return {};
    },
  } satisfies Partial<IamApi>;
}
