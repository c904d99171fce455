/**
 * Access keys of IAM users: at most two per user, Active or Inactive. A key id is `AKIA` and
 * 16 characters that encode the account that created it, with the check that marks it as
 * this emulator's (runtime/aws/credentials.ts accessKeyForAccount), as AWS's own keys encode
 * their account: a request signed with the key acts in that account, and STS
 * GetCallerIdentity finds its user here (GetAccessKeyLastUsed through the in-process client).
 */
import { randomBytes } from 'node:crypto';
import type { AccessKeyMetadata, IamApi } from './api.generated.js';
import { accessKeyForAccount } from '../../aws/credentials.js';
import { date, page, type Iam } from './common.js';
import { iamError } from './errors.js';
import type { IamState, StoredAccessKey } from './state.js';
import { keyOf } from './state.js';
import { aboutRoot, callerUser, userOrCaller } from './users.js';
import { globalArnFor } from '../../aws/arns.js';

/** The most access keys a user may have (AWS's quota). */
const KEYS_PER_USER = 2;

function keyNotFound(id: string): Error {
  return iamError('NoSuchEntityException', `The Access Key with id ${id} cannot be found.`);
}

/** A user's key by id (NoSuchEntity when it is not that user's). */
function keyOfUser(state: IamState, userKey: string, id: string): StoredAccessKey {
  const key = state.accessKeys[id];
  if (!key || key.userKey !== userKey) throw keyNotFound(id);
  return key;
}

/** The access key operations (CreateAccessKey ... GetAccessKeyLastUsed). */
export function accessKeyOperations(iam: Iam) {
  const { store } = iam;
  return {
    CreateAccessKey(ctx, input) {
      const state = store.of(ctx);
      const user = userOrCaller(state, ctx, input.UserName);
      const userKey = keyOf(user.name);
      const count = Object.values(state.accessKeys).filter((k) => k.userKey === userKey).length;
      if (count >= KEYS_PER_USER) throw iamError('LimitExceededException', `Cannot exceed quota for AccessKeysPerUser: ${KEYS_PER_USER}`);
      const id = accessKeyForAccount(ctx.accountId, 'AKIA', randomBytes(5));
      const key: StoredAccessKey = { userKey, secret: randomBytes(30).toString('base64'), status: 'Active', created: iam.now() };
      state.accessKeys[id] = key;
      store.changed(ctx, 'accessKeys', id);
      return { AccessKey: { UserName: user.name, AccessKeyId: id, Status: key.status, SecretAccessKey: key.secret, CreateDate: date(key.created) } };
    },

    UpdateAccessKey(ctx, input) {
      const state = store.of(ctx);
      const user = userOrCaller(state, ctx, input.UserName);
      const key = keyOfUser(state, keyOf(user.name), input.AccessKeyId);
      key.status = input.Status as StoredAccessKey['status'];
      store.changed(ctx, 'accessKeys', input.AccessKeyId);
      return {};
    },

    DeleteAccessKey(ctx, input) {
      const state = store.of(ctx);
      const user = userOrCaller(state, ctx, input.UserName);
      keyOfUser(state, keyOf(user.name), input.AccessKeyId);
      delete state.accessKeys[input.AccessKeyId];
      store.changed(ctx, 'accessKeys', input.AccessKeyId);
      return {};
    },

    ListAccessKeys(ctx, input) {
      const state = store.of(ctx);
      if (aboutRoot(state, ctx, input.UserName)) return { AccessKeyMetadata: [], IsTruncated: false };
      const user = userOrCaller(state, ctx, input.UserName);
      const userKey = keyOf(user.name);
      const ids = Object.keys(state.accessKeys).filter((id) => state.accessKeys[id]!.userKey === userKey);
      const listing = page(ids, input, `ListAccessKeys:${user.id}`, (id) => id);
      const metadata = listing.items.map((id): AccessKeyMetadata => {
        const key = state.accessKeys[id]!;
        return { UserName: user.name, AccessKeyId: id, Status: key.status, CreateDate: date(key.created) };
      });
      return { AccessKeyMetadata: metadata, IsTruncated: listing.IsTruncated, Marker: listing.Marker };
    },

    GetAccessKeyLastUsed(ctx, input) {
      const state = store.of(ctx);
      const key = state.accessKeys[input.AccessKeyId];
      // a key that is not the account's is no resource the caller may read: AWS denies it
      if (!key) throw iamError('AccessDenied', `User: ${callerUser(state, ctx)?.arn ?? globalArnFor(ctx, 'iam', 'root')} is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key ${input.AccessKeyId}`);
      const user = state.users[key.userKey];
      return {
        UserName: user?.name,
        AccessKeyLastUsed: key.lastUsed ? { LastUsedDate: date(key.lastUsed.date), ServiceName: key.lastUsed.service, Region: key.lastUsed.region } : { ServiceName: 'N/A', Region: 'N/A' },
      };
    },
  } satisfies Partial<IamApi>;
}
