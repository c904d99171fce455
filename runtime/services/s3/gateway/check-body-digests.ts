/**
 * Content-MD5 and x-amz-checksum-* of S3 request documents (PutBucketTagging, DeleteObjects,
 * PutBucketCors...): checked here, where the body is still at hand, since the provider only
 * sees the parsed document. Streamed bodies (PutObject, UploadPart) are checked by the
 * provider as they are written, and trailing checksums by decodeAwsChunkedBody. An S3 gateway
 * step (index.ts), once the body is read.
 */
import { createHash } from 'node:crypto';
import { ServiceError } from '../../../aws/errors.js';
import type { OperationModel } from '../../../aws/models/service-model.js';
import type { RequestContext } from '../../../request-context.js';
import type { ServiceStep } from '../../service-gateway.js';

function checkContentMd5(ctx: RequestContext, claimed: string): void {
  const digest = Buffer.from(claimed, 'base64');
  if (digest.length !== 16 || digest.toString('base64') !== claimed.trim()) {
    throw new ServiceError('InvalidDigest', 'The Content-MD5 you specified was invalid.', { fields: { 'Content-MD5': claimed } });
  }
  const actual = createHash('md5').update(ctx.body).digest();
  if (!actual.equals(digest)) {
    throw new ServiceError('BadDigest', 'The Content-MD5 you specified did not match what we received.', {
      fields: { ExpectedDigest: claimed, CalculatedDigest: actual.toString('base64') },
    });
  }
}

/** Headers bound to input members: what they claim is the provider's (CompleteMultipartUpload's object checksum). */
function boundHeaders(op: OperationModel): Set<string> {
  const shape = op.input;
  const names = new Set<string>();
  if (!shape) return names;
  for (const [name, m] of op.service.members(shape)) if (m.location === 'header') names.add((m.locationName ?? name).toLowerCase());
  return names;
}

/** The x-amz-checksum-<algorithm> headers that claim the checksum of this request's body. */
function claimedChecksums(ctx: RequestContext): Array<[algorithm: string, value: string]> {
  const claimed: Array<[string, string]> = [];
  const bound = ctx.operation ? ctx.operation.plan('s3.bound-headers', boundHeaders) : new Set<string>();
  for (const [name, value] of Object.entries(ctx.headers)) {
    if (name.startsWith('x-amz-checksum-') && !bound.has(name) && name !== 'x-amz-checksum-type' && name !== 'x-amz-checksum-mode' && typeof value === 'string') {
      claimed.push([name.slice('x-amz-checksum-'.length), value]);
    }
  }
  return claimed;
}

export const checkBodyDigests: ServiceStep = (ctx) => {
  // a streamed payload (even one the server had read whole) is the provider's to check
  if (ctx.bodyStream || ctx.operation?.streamingInput !== undefined) return undefined;
  const md5 = ctx.header('content-md5');
  if (md5 !== undefined) checkContentMd5(ctx, md5);
  const claimed = claimedChecksums(ctx);
  if (claimed.length === 0) return undefined;
  // the checksum libraries load with the first checksummed document, not at start-up
  return import('../../../aws/checksums.js').then(async ({ checksum, isChecksumAlgorithm }) => {
    for (const [algorithm, value] of claimed) {
      if (!isChecksumAlgorithm(algorithm)) continue;
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) {
        throw new ServiceError('InvalidRequest', `Value for x-amz-checksum-${algorithm} header is invalid.`);
      }
      if ((await checksum(algorithm, ctx.body)) !== value) {
        throw new ServiceError('BadDigest', `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`);
      }
    }
  });
};
