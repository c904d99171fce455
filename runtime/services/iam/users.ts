/**
 * IAM users: create, read, rename or move, delete (refused while anything still hangs on the
 * user, in the order AWS checks), list by path prefix. A request signed with a user's access
 * key acts as that user: `callerUser` finds it, so GetUser and ListAccessKeys without a
 * UserName answer for the caller, as AWS's do.
 */
import { record } from '../../state/store.js';
import type { IamApi, User } from './api.generated.js';
import type { OperationContext } from '../provider.js';
import { date, find, iamArn, mustBeNew, newId, NOT_FOUND, page, pathOf, tagsOut, addTags, underPrefix, type Iam } from './common.js';
import { iamError } from './errors.js';
import { keyOf, type IamState, type StoredUser } from './state.js';
import { resolvePolicy } from './policies.js';
import { globalArnFor } from '../../aws/arns.js';
import { isIssuedAccessKey } from '../../aws/credentials.js';

/** The user as the User shape answers it (`detail`: with tags and boundary, as GetUser). */
export function userOut(user: StoredUser, detail = true): User {
  return {
    Path: user.path,
    UserName: user.name,
    UserId: user.id,
    Arn: user.arn,
    CreateDate: date(user.created),
    PermissionsBoundary: detail && user.boundary ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: user.boundary } : undefined,
    Tags: detail ? tagsOut(user.tags) : undefined,
  };
}

/** The user whose access key signed the request, or undefined (the root user, a role session). */
export function callerUser(state: IamState, ctx: OperationContext): StoredUser | undefined {
  const key = ctx.accessKeyId ? state.accessKeys[ctx.accessKeyId] : undefined;
  return key ? state.users[key.userKey] : undefined;
}

/**
 * Whether an operation with an optional UserName, called without one, is about the account's
 * root user: the caller signed with no IAM user's key and no temporary credentials (those
 * are a role's or a federated user's, which AWS refuses). The root user has no access keys,
 * MFA devices or certificates here, so listings of its credentials are empty.
 */
export function aboutRoot(state: IamState, ctx: OperationContext, userName: string | undefined): boolean {
  return userName === undefined && !callerUser(state, ctx) && !(ctx.accessKeyId?.startsWith('ASIA') && isIssuedAccessKey(ctx.accessKeyId));
}

/**
 * The user an operation with an optional UserName is about: the named one, or the caller.
 * AWS refuses the omission for callers that are no IAM user.
 */
export function userOrCaller(state: IamState, ctx: OperationContext, userName: string | undefined): StoredUser {
  if (userName !== undefined) return find(state.users, userName, NOT_FOUND.user);
  const caller = callerUser(state, ctx);
  if (!caller) throw iamError('ValidationError', 'Must specify userName when calling with non-User credentials');
  return caller;
}

/**
 * A permissions boundary must be a managed policy that exists (AWS's or the account's).
 * Returns the ARN.
 */
export function checkBoundary(iam: Iam, ctx: OperationContext, arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  if (!resolvePolicy(iam, ctx, arn)) throw iamError('NoSuchEntityException', `Scope ARN: ${arn} does not exist or is not attachable.`);
  return arn;
}

/** The user and user permissions boundary operations. */
export function userOperations(iam: Iam) {
  const { store } = iam;
  return {
    CreateUser(ctx, input) {
      const state = store.of(ctx);
      mustBeNew(state.users, input.UserName, `User with name ${input.UserName} already exists.`);
      const path = pathOf(input.Path);
      const user: StoredUser = {
        name: input.UserName,
        path,
        id: newId('user'),
        arn: iamArn(ctx, 'user', path, input.UserName),
        created: iam.now(),
        tags: addTags({}, input.Tags),
        inlinePolicies: record(),
        attached: [],
        groups: [],
        boundary: checkBoundary(iam, ctx, input.PermissionsBoundary),
      };
      if (user.boundary === undefined) delete user.boundary;
      const key = keyOf(input.UserName);
      state.users[key] = user;
      store.changed(ctx, 'users', key);
      return { User: userOut(user) };
    },

    GetUser(ctx, input) {
      const state = store.of(ctx);
      if (input.UserName === undefined && !callerUser(state, ctx)) {
        // the root user: AWS names it by the account id, with no name or path
        return { User: { UserId: ctx.accountId, Arn: globalArnFor(ctx, 'iam', 'root'), CreateDate: date(0) } as User };
      }
      return { User: userOut(userOrCaller(state, ctx, input.UserName)) };
    },

    UpdateUser(ctx, input) {
      const state = store.of(ctx);
      const user = find(state.users, input.UserName, NOT_FOUND.user);
      const oldKey = keyOf(user.name);
      const name = input.NewUserName ?? user.name;
      const newKey = keyOf(name);
      if (newKey !== oldKey) mustBeNew(state.users, name, `User with name ${name} already exists.`);
      user.name = name;
      user.path = input.NewPath ?? user.path;
      user.arn = iamArn(ctx, 'user', user.path, name);
      if (newKey !== oldKey) {
        delete state.users[oldKey];
        state.users[newKey] = user;
        // what refers to the user by key follows it
        for (const id of Object.keys(state.accessKeys)) {
          if (state.accessKeys[id]!.userKey === oldKey) {
            state.accessKeys[id]!.userKey = newKey;
            store.changed(ctx, 'accessKeys', id);
          }
        }
        for (const collection of ['sshKeys', 'signingCertificates', 'serviceCredentials'] as const) {
          const records = state[collection] as Record<string, { userKey: string }>;
          for (const id of Object.keys(records)) {
            if (records[id]!.userKey === oldKey) {
              records[id]!.userKey = newKey;
              store.changed(ctx, collection, id);
            }
          }
        }
        for (const serial of Object.keys(state.mfaDevices)) {
          if (state.mfaDevices[serial]!.userKey === oldKey) {
            state.mfaDevices[serial]!.userKey = newKey;
            store.changed(ctx, 'mfaDevices', serial);
          }
        }
        store.changed(ctx, 'users', oldKey);
      }
      store.changed(ctx, 'users', newKey);
      return {};
    },

    DeleteUser(ctx, input) {
      const state = store.of(ctx);
      const user = find(state.users, input.UserName, NOT_FOUND.user);
      const key = keyOf(user.name);
      const conflict = (what: string) => iamError('DeleteConflictException', `Cannot delete entity, must ${what} first.`);
      if (user.login) throw conflict('delete login profile');
      if (Object.values(state.accessKeys).some((k) => k.userKey === key)) throw conflict('delete access keys');
      if (Object.values(state.mfaDevices).some((d) => d.userKey === key)) throw conflict('delete MFA device');
      if (Object.values(state.signingCertificates).some((c) => c.userKey === key)) throw conflict('delete signing certificates');
      if (Object.values(state.sshKeys).some((k) => k.userKey === key)) throw conflict('delete SSH public keys');
      if (Object.values(state.serviceCredentials).some((c) => c.userKey === key)) throw conflict('delete service specific credentials');
      if (Object.keys(user.inlinePolicies).length > 0) throw conflict('delete policies');
      if (user.attached.length > 0) throw conflict('detach all policies');
      if (user.groups.length > 0) throw conflict('remove user from all groups');
      delete state.users[key];
      store.changed(ctx, 'users', key);
      return {};
    },

    ListUsers(ctx, input) {
      const state = store.of(ctx);
      const users = Object.keys(state.users)
        .map((k) => state.users[k]!)
        .filter((u) => underPrefix(u.path, input.PathPrefix));
      const listing = page(users, input, `ListUsers:${input.PathPrefix ?? ''}`, (u) => keyOf(u.name));
      return { Users: listing.items.map((u) => userOut(u, false)), IsTruncated: listing.IsTruncated, Marker: listing.Marker };
    },

    PutUserPermissionsBoundary(ctx, input) {
      const state = store.of(ctx);
      const user = find(state.users, input.UserName, NOT_FOUND.user);
      user.boundary = checkBoundary(iam, ctx, input.PermissionsBoundary);
      store.changed(ctx, 'users', keyOf(user.name));
      return {};
    },

    DeleteUserPermissionsBoundary(ctx, input) {
      const state = store.of(ctx);
      const user = find(state.users, input.UserName, NOT_FOUND.user);
      delete user.boundary;
      store.changed(ctx, 'users', keyOf(user.name));
      return {};
    },
  } satisfies Partial<IamApi>;
}
