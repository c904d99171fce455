import { s3HostId } from '../../aws/s3-host-id.js';
import type { ResponseHandler } from '../chain.js';

/** Request id headers on every AWS response (S3 names them its own way). */
export const addResponseHeaders: ResponseHandler = (_chain, ctx, res) => {
  if (!ctx.serviceName) return;
  if (ctx.serviceName === 's3') {
    res.headers['x-amz-request-id'] ??= ctx.requestId;
    res.headers['x-amz-id-2'] ??= s3HostId(ctx.requestId);
  } else {
    res.headers['x-amzn-requestid'] ??= ctx.requestId;
  }
};
