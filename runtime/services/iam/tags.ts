/**
 * Tags on every taggable IAM entity: users, roles, customer managed policies, instance
 * profiles, OIDC and SAML providers, server certificates and virtual MFA devices. The three
 * operations (Tag*, Untag*, List*Tags) differ only in how the entity is named, so one table
 * is built per kind over a `locate` function. Limits as common.ts checkTags.
 */
import type { IamApi } from './api.generated.js';
import type { OperationContext } from '../provider.js';
import type { Tag, TagMap } from '../../aws/tags.js';
import { tagListOf } from '../../aws/tags.js';
import { addTags, find, NOT_FOUND, page, type Iam } from './common.js';
import { iamError } from './errors.js';
import { keyOf, type Collection, type IamState } from './state.js';
import { findRole } from './roles.js';
import { localPolicy, policyNotFound } from './policies.js';
import { findInstanceProfile } from './instance-profiles.js';
import { findOidc, findSaml } from './providers.js';
import { findCertificate } from './certificates.js';
import { findMfaDevice } from './mfa.js';

interface Located {
  readonly entity: { tags: TagMap };
  readonly collection: Collection;
  readonly key: string;
}

interface Kind {
  /** The word in the operations' names: TagUser, UntagUser, ListUserTags. */
  readonly name: string;
  /** The input member that names the entity. */
  readonly member: string;
  readonly locate: (state: IamState, ctx: OperationContext, id: string) => Located;
}

const KINDS: readonly Kind[] = [
  {
    name: 'User',
    member: 'UserName',
    locate: (s, _c, id) => {
      const user = find(s.users, id, NOT_FOUND.user);
      return { entity: user, collection: 'users', key: keyOf(user.name) };
    },
  },
  {
    name: 'Role',
    member: 'RoleName',
    locate: (s, _c, id) => {
      const role = findRole(s, id);
      return { entity: role, collection: 'roles', key: keyOf(role.name) };
    },
  },
  {
    name: 'Policy',
    member: 'PolicyArn',
    locate: (s, c, id) => {
      const policy = localPolicy(s, c, id);
      if (!policy) throw policyNotFound(id);
      return { entity: policy, collection: 'policies', key: keyOf(policy.name) };
    },
  },
  {
    name: 'InstanceProfile',
    member: 'InstanceProfileName',
    locate: (s, _c, id) => {
      const profile = findInstanceProfile(s, id);
      return { entity: profile, collection: 'instanceProfiles', key: keyOf(profile.name) };
    },
  },
  { name: 'OpenIDConnectProvider', member: 'OpenIDConnectProviderArn', locate: (s, _c, id) => ({ entity: findOidc(s, id), collection: 'oidcProviders', key: id }) },
  { name: 'SAMLProvider', member: 'SAMLProviderArn', locate: (s, _c, id) => ({ entity: findSaml(s, id), collection: 'samlProviders', key: id }) },
  {
    name: 'ServerCertificate',
    member: 'ServerCertificateName',
    locate: (s, _c, id) => {
      const cert = findCertificate(s, id);
      return { entity: cert, collection: 'serverCertificates', key: keyOf(cert.name) };
    },
  },
  { name: 'MFADevice', member: 'SerialNumber', locate: (s, _c, id) => ({ entity: findMfaDevice(s, id), collection: 'mfaDevices', key: id }) },
];

/** Tag*, Untag* and List*Tags for every taggable kind of entity. */
export function tagOperations(iam: Iam): Partial<IamApi> {
  const { store } = iam;
  const operations: Record<string, (ctx: OperationContext, input: Record<string, unknown>) => unknown> = {};
  for (const kind of KINDS) {
    const locate = (ctx: OperationContext, input: Record<string, unknown>) => kind.locate(store.of(ctx), ctx, input[kind.member] as string);

    operations[`Tag${kind.name}`] = (ctx, input) => {
      const { entity, collection, key } = locate(ctx, input);
      entity.tags = addTags(entity.tags, input.Tags as Tag[]);
      store.changed(ctx, collection, key);
      return {};
    };

    operations[`Untag${kind.name}`] = (ctx, input) => {
      const { entity, collection, key } = locate(ctx, input);
      const keys = input.TagKeys as string[];
      if (keys.some((k) => k.toLowerCase().startsWith('aws:'))) throw iamError('InvalidInputException', "User-defined tags cannot start with 'aws:'.");
      for (const k of keys) delete entity.tags[k];
      store.changed(ctx, collection, key);
      return {};
    };

    operations[`List${kind.name}Tags`] = (ctx, input) => {
      const { entity } = locate(ctx, input);
      const listing = page(tagListOf(entity.tags), input as { Marker?: string; MaxItems?: number }, `List${kind.name}Tags:${input[kind.member] as string}`, (t) => t.Key);
      return { Tags: listing.items, IsTruncated: listing.IsTruncated, Marker: listing.Marker };
    };
  }
  return operations as Partial<IamApi>;
}
