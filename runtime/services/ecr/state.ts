/**
 * Amazon Elastic Container Registry: the state the provider keeps per account and region, as
 * plain data that the runtime can reset, persist and export (runtime/state/store.ts):
 * repositories by name in a null-prototype `record()` (a name like `__proto__` is data), dates
 * as epoch milliseconds. The registry's own settings (its policy) sit beside them.
 */
import type { OperationContext, ProviderContext } from '../provider.js';
import { record } from '../../state/store.js';

/** One repository as stored. There are no images: the registry protocol is not served. */
export interface StoredRepository {
  name: string;
  arn: string;
  /** Epoch milliseconds. */
  created: number;
  imageTagMutability: string;
  /** The tags a *_WITH_EXCLUSION mutability exempts (`{ filterType: 'WILDCARD', filter }`). */
  exclusionFilters?: { filterType: string; filter: string }[];
  scanOnPush: boolean;
  encryptionType: string;
  kmsKey?: string;
  /** Tags by key (runtime/aws/tags.ts). */
  tags: Record<string, string>;
  /** The repository policy's text as given, when one is set. */
  policy?: string;
  /** The lifecycle policy's text as given, when one is set. */
  lifecyclePolicy?: string;
}

/** Everything ECR keeps in one account and region (one private registry). */
export interface EcrState {
  repositories: Record<string, StoredRepository>;
  /** The registry policy (PutRegistryPolicy is not emulated: it stays unset). */
  registryPolicy?: string;
}

/** The state of an account and region that has none yet. */
export function newState(): EcrState {
  return { repositories: record() };
}

/** What handlers use: the caller's registry and the mark of a changed repository. */
export interface EcrStateAccess {
  of(ctx: OperationContext): EcrState;
  /** The registry of an account and region if it has one, without making it (for listings). */
  peek(accountId: string, region: string): EcrState | undefined;
  changed(ctx: OperationContext, name: string): void;
}

/**
 * Declares the state to the runtime (once, in createProvider) and returns what handlers use:
 * `of(ctx)` is the caller's account and region, `changed(ctx, name)` marks a repository as
 * written or deleted. A change without its mark is lost at restart, and tests (STATE_AUDIT=1)
 * fail the request that made it.
 */
export function declareState(context: ProviderContext): EcrStateAccess {
  const store = context.state.accountRegion<EcrState>('registry', newState);
  return {
    of: (ctx) => store.get(ctx.accountId, ctx.region),
    peek: (accountId, region) => store.peek(accountId, region),
    changed: (ctx, name) => store.changed(ctx.accountId, ctx.region, 'repositories', name),
  };
}
