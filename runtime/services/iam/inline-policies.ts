/**
 * Inline policies of users, groups and roles: Put (create or replace), Get (the document
 * URL-encoded, as AWS answers it), Delete, List (names, paged). The three entity kinds differ
 * only in names, so one table of operations is built per kind.
 */
import type { IamApi } from './api.generated.js';
import type { OperationContext } from '../provider.js';
import { parsePolicy } from '../../aws/policies.js';
import { encodeDocument, find, NOT_FOUND, page, policySize, type Iam } from './common.js';
import { iamError } from './errors.js';
import { keyOf, type IamState, type StoredPrincipal } from './state.js';
import { isServiceLinked } from './roles.js';

interface Kind {
  /** `User`, `Group`, `Role`: the operations' names and members. */
  readonly name: 'User' | 'Group' | 'Role';
  readonly collection: 'users' | 'groups' | 'roles';
  readonly notFound: (name: string) => string;
}

const KINDS: readonly Kind[] = [
  { name: 'User', collection: 'users', notFound: NOT_FOUND.user },
  { name: 'Group', collection: 'groups', notFound: NOT_FOUND.group },
  { name: 'Role', collection: 'roles', notFound: NOT_FOUND.role },
];

/** The most characters of inline policies per entity (AWS's quotas: 2048 user, 5120 group, 10240 role, whitespace not counted). */
const SIZE_QUOTA = { User: 2048, Group: 5120, Role: 10240 } as const;

/** Put/Get/Delete/List*Policy for users, groups and roles. */
export function inlinePolicyOperations(iam: Iam): Partial<IamApi> {
  const { store } = iam;
  const operations: Record<string, (ctx: OperationContext, input: Record<string, string>) => unknown> = {};
  for (const kind of KINDS) {
    const entity = (state: IamState, input: Record<string, string>): StoredPrincipal => find(state[kind.collection], input[`${kind.name}Name`]!, kind.notFound);
    const missing = (name: string) => iamError('NoSuchEntityException', `The ${kind.name.toLowerCase()} policy with name ${name} cannot be found.`);

    operations[`Put${kind.name}Policy`] = (ctx, input) => {
      const target = entity(store.of(ctx), input);
      if (kind.name === 'Role' && isServiceLinked(target as never)) {
        throw iamError('UnmodifiableEntityException', `Cannot perform the operation on the protected role '${target.name}' - this role is only modifiable by AWS`);
      }
      parsePolicy(input.PolicyDocument!, 'identity');
      const others = Object.keys(target.inlinePolicies).filter((n) => n !== input.PolicyName);
      const size = [...others.map((n) => target.inlinePolicies[n]!), input.PolicyDocument!].reduce((n, doc) => n + policySize(doc), 0);
      if (size > SIZE_QUOTA[kind.name]) {
        throw iamError('LimitExceededException', `Maximum policy size of ${SIZE_QUOTA[kind.name]} bytes exceeded for ${kind.name.toLowerCase()} ${target.name}`);
      }
      target.inlinePolicies[input.PolicyName!] = input.PolicyDocument!;
      store.changed(ctx, kind.collection, keyOf(target.name));
      return {};
    };

    operations[`Get${kind.name}Policy`] = (ctx, input) => {
      const target = entity(store.of(ctx), input);
      const document = Object.prototype.hasOwnProperty.call(target.inlinePolicies, input.PolicyName!) ? target.inlinePolicies[input.PolicyName!] : undefined;
      if (document === undefined) throw missing(input.PolicyName!);
      return { [`${kind.name}Name`]: target.name, PolicyName: input.PolicyName, PolicyDocument: encodeDocument(document) };
    };

    operations[`Delete${kind.name}Policy`] = (ctx, input) => {
      const target = entity(store.of(ctx), input);
      if (!Object.prototype.hasOwnProperty.call(target.inlinePolicies, input.PolicyName!)) throw missing(input.PolicyName!);
      delete target.inlinePolicies[input.PolicyName!];
      store.changed(ctx, kind.collection, keyOf(target.name));
      return {};
    };

    operations[`List${kind.name}Policies`] = (ctx, input) => {
      const target = entity(store.of(ctx), input);
      const listing = page(Object.keys(target.inlinePolicies), input as { Marker?: string; MaxItems?: number }, `List${kind.name}Policies:${target.id}`, (n) => n);
      return { PolicyNames: listing.items, IsTruncated: listing.IsTruncated, Marker: listing.Marker };
    };
  }
  return operations as Partial<IamApi>;
}
