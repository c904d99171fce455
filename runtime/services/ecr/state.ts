/**
 * Amazon Elastic Container Registry: the state the provider keeps per account and region, as plain data that the
 * runtime can reset, persist and export (runtime/state/store.ts): records keyed by user input
 * are null-prototype `record()`s (a name like `__proto__` is data), dates are epoch
 * milliseconds or Dates, binary is Uint8Array; no Map, class instance or function.
 */
import type { OperationContext, ProviderContext } from '../provider.js';
import { record } from '../../state/store.js';

/** One resource as stored: the shape the service's resources need. */
export interface StoredResource {
  name: string;
  arn: string;
  /** Epoch milliseconds. */
  created: number;
  /** Tags by key (runtime/aws/tags.ts). */
  tags: Record<string, string>;
}

/** Everything ecr keeps in one account and region. */
export interface EcrState {
  /** Resources by name. */
  resources: Record<string, StoredResource>;
}

/** The state of an account and region that has none yet. */
export function newState(): EcrState {
  return { resources: record() };
}

/**
 * Declares the state to the runtime (once, in createProvider) and returns what handlers use:
 * `of(ctx)` is the caller's account and region, `changed(ctx, name)` marks a resource as
 * written or deleted. A change without its mark is lost at restart, and tests (STATE_AUDIT=1)
 * fail the request that made it.
 */
export function declareState(context: ProviderContext) {
  const store = context.state.accountRegion<EcrState>('resources', newState);
  return {
    store,
    of: (ctx: OperationContext) => store.get(ctx.accountId, ctx.region),
    changed: (ctx: OperationContext, name: string) => store.changed(ctx.accountId, ctx.region, 'resources', name),
  };
}
