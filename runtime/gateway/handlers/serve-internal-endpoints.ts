import { readBody } from './read-request-body.js';
import type { Handler } from '../chain.js';
import { serveInternal, type RuntimeControl } from '../../internal/endpoints.js';

/** Answers /_localstack/* (health, info, init) before any AWS handling. */
export function serveInternalEndpoints(runtime: RuntimeControl): Handler {
  const serve: Handler = async (chain, ctx, res) => {
    if (!ctx.request.readableEnded) ctx.body = await readBody(ctx.request, 64 * 1024);
    await serveInternal(ctx, res, runtime);
    chain.respond();
  };
  // synchronous for every other request: no promise on the AWS hot path
  return (chain, ctx, res) => (ctx.path.startsWith('/_localstack') ? serve(chain, ctx, res) : undefined);
}
