/**
 * Instance profiles: a container for one role (AWS's quota), created, listed (also by role),
 * deleted only once empty. The role is kept by key, so the answer shows the role as it is now.
 */
import type { IamApi, InstanceProfile } from './api.generated.js';
import { addTags, date, find, iamArn, mustBeNew, newId, NOT_FOUND, page, pathOf, tagsOut, underPrefix, type Iam } from './common.js';
import { iamError } from './errors.js';
import { keyOf, type IamState, type StoredInstanceProfile, type StoredRole } from './state.js';
import { findRole, roleOut } from './roles.js';

/** An instance profile as the InstanceProfile shape answers it, its role as it is now. */
export function instanceProfileOut(state: IamState, profile: StoredInstanceProfile, withTags = true): InstanceProfile {
  return {
    Path: profile.path,
    InstanceProfileName: profile.name,
    InstanceProfileId: profile.id,
    Arn: profile.arn,
    CreateDate: date(profile.created),
    Roles: profile.roles
      .map((r) => state.roles[r])
      .filter((r): r is StoredRole => r !== undefined)
      .map((r) => roleOut(r, false)),
    Tags: withTags ? tagsOut(profile.tags) : undefined,
  };
}

/** An instance profile by name, NoSuchEntity in AWS's words otherwise. */
export function findInstanceProfile(state: IamState, name: string): StoredInstanceProfile {
  return find(state.instanceProfiles, name, NOT_FOUND.instanceProfile);
}

/** The instance profile operations. */
export function instanceProfileOperations(iam: Iam) {
  const { store } = iam;
  return {
    CreateInstanceProfile(ctx, input) {
      const state = store.of(ctx);
      mustBeNew(state.instanceProfiles, input.InstanceProfileName, `Instance Profile ${input.InstanceProfileName} already exists.`);
      const path = pathOf(input.Path);
      const profile: StoredInstanceProfile = {
        name: input.InstanceProfileName,
        path,
        id: newId('instanceProfile'),
        arn: iamArn(ctx, 'instance-profile', path, input.InstanceProfileName),
        created: iam.now(),
        tags: addTags({}, input.Tags),
        roles: [],
      };
      const key = keyOf(profile.name);
      state.instanceProfiles[key] = profile;
      store.changed(ctx, 'instanceProfiles', key);
      return { InstanceProfile: instanceProfileOut(state, profile) };
    },

    GetInstanceProfile(ctx, input) {
      const state = store.of(ctx);
      return { InstanceProfile: instanceProfileOut(state, findInstanceProfile(state, input.InstanceProfileName)) };
    },

    DeleteInstanceProfile(ctx, input) {
      const state = store.of(ctx);
      const profile = findInstanceProfile(state, input.InstanceProfileName);
      if (profile.roles.length > 0) throw iamError('DeleteConflictException', 'Cannot delete entity, must remove roles from instance profile first.');
      const key = keyOf(profile.name);
      delete state.instanceProfiles[key];
      store.changed(ctx, 'instanceProfiles', key);
      return {};
    },

    ListInstanceProfiles(ctx, input) {
      const state = store.of(ctx);
      const profiles = Object.keys(state.instanceProfiles)
        .map((k) => state.instanceProfiles[k]!)
        .filter((p) => underPrefix(p.path, input.PathPrefix));
      const listing = page(profiles, input, `ListInstanceProfiles:${input.PathPrefix ?? ''}`, (p) => keyOf(p.name));
      return { InstanceProfiles: listing.items.map((p) => instanceProfileOut(state, p, false)), IsTruncated: listing.IsTruncated, Marker: listing.Marker };
    },

    ListInstanceProfilesForRole(ctx, input) {
      const state = store.of(ctx);
      const role = findRole(state, input.RoleName);
      const key = keyOf(role.name);
      const profiles = Object.keys(state.instanceProfiles)
        .map((k) => state.instanceProfiles[k]!)
        .filter((p) => p.roles.includes(key));
      const listing = page(profiles, input, `ListInstanceProfilesForRole:${role.id}`, (p) => keyOf(p.name));
      return { InstanceProfiles: listing.items.map((p) => instanceProfileOut(state, p, false)), IsTruncated: listing.IsTruncated, Marker: listing.Marker };
    },

    AddRoleToInstanceProfile(ctx, input) {
      const state = store.of(ctx);
      const profile = findInstanceProfile(state, input.InstanceProfileName);
      const role = findRole(state, input.RoleName);
      // one role per profile (the same role again included)
      if (profile.roles.length >= 1) throw iamError('LimitExceededException', 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
      profile.roles.push(keyOf(role.name));
      store.changed(ctx, 'instanceProfiles', keyOf(profile.name));
      return {};
    },

    RemoveRoleFromInstanceProfile(ctx, input) {
      const state = store.of(ctx);
      const profile = findInstanceProfile(state, input.InstanceProfileName);
      const role = findRole(state, input.RoleName);
      const key = keyOf(role.name);
      if (!profile.roles.includes(key)) throw iamError('NoSuchEntityException', NOT_FOUND.role(input.RoleName));
      profile.roles = profile.roles.filter((r) => r !== key);
      store.changed(ctx, 'instanceProfiles', keyOf(profile.name));
      return {};
    },
  } satisfies Partial<IamApi>;
}
