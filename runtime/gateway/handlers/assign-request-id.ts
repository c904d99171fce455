import { randomUUID } from 'node:crypto';
import type { Handler } from '../chain.js';

/** Gives every request a unique id (returned as x-amzn-RequestId and in error bodies). */
export const assignRequestId: Handler = (_chain, ctx) => {
  ctx.requestId = randomUUID();
};
