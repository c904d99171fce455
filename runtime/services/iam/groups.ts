/**
 * IAM groups and their members. Membership is kept on the user (`groups`: group keys, in the
 * order the user joined), so a user's permissions are read from the user alone plus its
 * groups; GetGroup lists a group's members by scanning the account's users.
 */
import { record } from '../../state/store.js';
import type { Group, IamApi } from './api.generated.js';
import { date, find, iamArn, mustBeNew, newId, NOT_FOUND, page, pathOf, underPrefix, type Iam } from './common.js';
import { iamError } from './errors.js';
import { keyOf, type IamState, type StoredGroup } from './state.js';
import { userOut } from './users.js';

/** A group as the Group shape answers it. */
export function groupOut(group: StoredGroup): Group {
  return { Path: group.path, GroupName: group.name, GroupId: group.id, Arn: group.arn, CreateDate: date(group.created) };
}

/** The members of a group, by user key. */
export function membersOf(state: IamState, groupKey: string) {
  return Object.keys(state.users)
    .map((k) => state.users[k]!)
    .filter((u) => u.groups.includes(groupKey));
}

/** The most groups a user may be in (AWS's quota). */
const GROUPS_PER_USER = 10;

/** The group and membership operations. */
export function groupOperations(iam: Iam) {
  const { store } = iam;
  return {
    CreateGroup(ctx, input) {
      const state = store.of(ctx);
      mustBeNew(state.groups, input.GroupName, `Group with name ${input.GroupName} already exists.`);
      const path = pathOf(input.Path);
      const group: StoredGroup = { name: input.GroupName, path, id: newId('group'), arn: iamArn(ctx, 'group', path, input.GroupName), created: iam.now(), inlinePolicies: record(), attached: [] };
      const key = keyOf(input.GroupName);
      state.groups[key] = group;
      store.changed(ctx, 'groups', key);
      return { Group: groupOut(group) };
    },

    GetGroup(ctx, input) {
      const state = store.of(ctx);
      const group = find(state.groups, input.GroupName, NOT_FOUND.group);
      const listing = page(membersOf(state, keyOf(group.name)), input, `GetGroup:${group.id}`, (u) => keyOf(u.name));
      return { Group: groupOut(group), Users: listing.items.map((u) => userOut(u, false)), IsTruncated: listing.IsTruncated, Marker: listing.Marker };
    },

    UpdateGroup(ctx, input) {
      const state = store.of(ctx);
      const group = find(state.groups, input.GroupName, NOT_FOUND.group);
      const oldKey = keyOf(group.name);
      const name = input.NewGroupName ?? group.name;
      const newKey = keyOf(name);
      if (newKey !== oldKey) mustBeNew(state.groups, name, `Group with name ${name} already exists.`);
      group.name = name;
      group.path = input.NewPath ?? group.path;
      group.arn = iamArn(ctx, 'group', group.path, name);
      if (newKey !== oldKey) {
        for (const user of membersOf(state, oldKey)) {
          user.groups = user.groups.map((g) => (g === oldKey ? newKey : g));
          store.changed(ctx, 'users', keyOf(user.name));
        }
        delete state.groups[oldKey];
        state.groups[newKey] = group;
        store.changed(ctx, 'groups', oldKey);
      }
      store.changed(ctx, 'groups', newKey);
      return {};
    },

    DeleteGroup(ctx, input) {
      const state = store.of(ctx);
      const group = find(state.groups, input.GroupName, NOT_FOUND.group);
      const key = keyOf(group.name);
      if (membersOf(state, key).length > 0) throw iamError('DeleteConflictException', 'Cannot delete entity, must remove users from group first.');
      if (Object.keys(group.inlinePolicies).length > 0) throw iamError('DeleteConflictException', 'Cannot delete entity, must delete policies first.');
      if (group.attached.length > 0) throw iamError('DeleteConflictException', 'Cannot delete entity, must detach all policies first.');
      delete state.groups[key];
      store.changed(ctx, 'groups', key);
      return {};
    },

    ListGroups(ctx, input) {
      const state = store.of(ctx);
      const groups = Object.keys(state.groups)
        .map((k) => state.groups[k]!)
        .filter((g) => underPrefix(g.path, input.PathPrefix));
      const listing = page(groups, input, `ListGroups:${input.PathPrefix ?? ''}`, (g) => keyOf(g.name));
      return { Groups: listing.items.map(groupOut), IsTruncated: listing.IsTruncated, Marker: listing.Marker };
    },

    AddUserToGroup(ctx, input) {
      const state = store.of(ctx);
      const group = find(state.groups, input.GroupName, NOT_FOUND.group);
      const user = find(state.users, input.UserName, NOT_FOUND.user);
      const groupKey = keyOf(group.name);
      if (user.groups.includes(groupKey)) return {};
      if (user.groups.length >= GROUPS_PER_USER) throw iamError('LimitExceededException', `Cannot exceed quota for GroupsPerUser: ${GROUPS_PER_USER}`);
      user.groups.push(groupKey);
      store.changed(ctx, 'users', keyOf(user.name));
      return {};
    },

    RemoveUserFromGroup(ctx, input) {
      const state = store.of(ctx);
      const group = find(state.groups, input.GroupName, NOT_FOUND.group);
      const user = find(state.users, input.UserName, NOT_FOUND.user);
      const groupKey = keyOf(group.name);
      if (!user.groups.includes(groupKey)) throw iamError('NoSuchEntityException', NOT_FOUND.user(input.UserName));
      user.groups = user.groups.filter((g) => g !== groupKey);
      store.changed(ctx, 'users', keyOf(user.name));
      return {};
    },

    ListGroupsForUser(ctx, input) {
      const state = store.of(ctx);
      const user = find(state.users, input.UserName, NOT_FOUND.user);
      const groups = user.groups.map((g) => state.groups[g]).filter((g): g is StoredGroup => g !== undefined);
      const listing = page(groups, input, `ListGroupsForUser:${user.id}`, (g) => keyOf(g.name));
      return { Groups: listing.items.map(groupOut), IsTruncated: listing.IsTruncated, Marker: listing.Marker };
    },
  } satisfies Partial<IamApi>;
}
