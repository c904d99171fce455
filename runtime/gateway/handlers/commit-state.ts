import type { ServiceManager } from '../../services/manager.js';
import type { Handler } from '../chain.js';

/**
 * Commits the state changes the operation made before its response goes out: with
 * PERSISTENCE's ON_REQUEST strategy they are journaled here, so an acknowledged write
 * survives a crash; with STATE_AUDIT the state is checked against what would be restored.
 * Nothing to do (one check) when neither is on.
 */
export function commitState(services: ServiceManager): Handler {
  const state = services.state;
  // a promise when the journal write is grouped with other requests': the answer waits for it
  return (_chain, ctx) => (state.recording ? state.flush(ctx.serviceName) : undefined);
}
