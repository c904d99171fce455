import { readBody } from './read-request-body.js';
import type { Handler } from '../chain.js';
import { serveInternal, type RuntimeControl } from '../../internal/endpoints.js';

/** Answers /_localstack/* (health, info, init) before any AWS handling. */
export function serveInternalEndpoints(runtime: RuntimeControl): Handler {
  return async (chain, ctx, res) => {
    if (!ctx.path.startsWith('/_localstack')) return;
    ctx.body = await readBody(ctx.request, 64 * 1024);
    await serveInternal(ctx, res, runtime);
    chain.respond();
  };
}
