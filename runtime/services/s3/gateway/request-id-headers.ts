import { s3HostId } from '../../../aws/s3-host-id.js';
import type { ServiceResponseStep } from '../../service-gateway.js';

/**
 * S3 names its request ids its own way: x-amz-request-id, and the extended id x-amz-id-2
 * (the same values as RequestId and HostId in its error documents), and every answer says
 * `Server: AmazonS3`. An S3 gateway step (index.ts) on every response; the gateway's generic
 * x-amzn-RequestId is then left out.
 */
export const addRequestIdHeaders: ServiceResponseStep = (ctx, res) => {
  res.headers['x-amz-request-id'] ??= ctx.requestId;
  res.headers['x-amz-id-2'] ??= s3HostId(ctx.requestId);
  res.headers.server = 'AmazonS3';
};
