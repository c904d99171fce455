import { readBody } from './read-request-body.js';
import type { Handler } from '../chain.js';
import { serveInternal, type RuntimeControl } from '../../internal/endpoints.js';
import { MOTO_RESET, streamsBody } from '../../internal/state-endpoints.js';

/** Answers /_localstack/* (health, info, init, state) and /moto-api/* before any AWS handling. */
export function serveInternalEndpoints(runtime: RuntimeControl): Handler {
  const serve: Handler = async (chain, ctx, res) => {
    // a state import streams its (large) body to a file itself
    if (!ctx.request.readableEnded && !streamsBody(ctx.path)) ctx.body = await readBody(ctx.request, 64 * 1024);
    await serveInternal(ctx, res, runtime);
    chain.respond();
  };
  // synchronous for every other request: no promise on the AWS hot path
  // moto's reset only as moto's server takes it (POST, exact path): /moto-api/... is also the
  // path-style address of an S3 bucket named moto-api
  return (chain, ctx, res) => (ctx.path.startsWith('/_localstack') || (ctx.path === MOTO_RESET && ctx.method === 'POST') ? serve(chain, ctx, res) : undefined);
}
