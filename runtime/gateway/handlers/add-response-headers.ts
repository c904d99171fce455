import type { ResponseHandler } from '../chain.js';

/**
 * The request id header on every AWS response: x-amzn-RequestId, unless the service named
 * its request id its own way in its response steps (S3: x-amz-request-id).
 */
export const addResponseHeaders: ResponseHandler = (_chain, ctx, res) => {
  if (!ctx.serviceName || res.headers['x-amz-request-id'] !== undefined) return;
  res.headers['x-amzn-requestid'] ??= ctx.requestId;
};
