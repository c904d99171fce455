/**
 * S3 uploads in the `aws-chunked` encoding: the body is decoded, a trailing checksum is
 * verified (BadDigest when it does not match) and then handed on as the header it stands for,
 * and `aws-chunked` leaves Content-Encoding (S3 never stores it).
 *
 * LIMITATION: the body is decoded in memory like every body today; streaming uploads
 * without buffering come with the streaming work of the protocol layer.
 */
import { decodeAwsChunked } from '../../aws/aws-chunked.js';
import { ServiceError } from '../../aws/errors.js';
import type { Handler } from '../chain.js';

function isAwsChunked(encoding: string | undefined, sha256: string | undefined): boolean {
  if (encoding?.split(',').some((e) => e.trim().toLowerCase() === 'aws-chunked')) return true;
  return sha256 !== undefined && sha256.startsWith('STREAMING-');
}

export const decodeAwsChunkedBody: Handler = (_chain, ctx) => {
  const encoding = ctx.header('content-encoding');
  if (!isAwsChunked(encoding, ctx.header('x-amz-content-sha256'))) return undefined;
  const declared = ctx.header('x-amz-decoded-content-length');
  const { data, trailers } = decodeAwsChunked(ctx.body, declared === undefined ? undefined : Number(declared));
  ctx.body = data;
  const rest = encoding
    ?.split(',')
    .map((e) => e.trim())
    .filter((e) => e && e.toLowerCase() !== 'aws-chunked');
  if (rest && rest.length > 0) ctx.headers['content-encoding'] = rest.join(',');
  else delete ctx.headers['content-encoding'];
  ctx.headers['content-length'] = String(data.length);
  const claimed: Array<[algorithm: string, value: string]> = [];
  for (const [name, value] of Object.entries(trailers)) {
    ctx.headers[name] = value;
    const algorithm = /^x-amz-checksum-(.+)$/.exec(name)?.[1];
    if (algorithm) claimed.push([algorithm, value]);
  }
  if (claimed.length === 0) return undefined;
  // the checksum libraries load with the first trailing checksum, not at start-up
  return import('../../aws/checksums.js').then(async ({ checksum, isChecksumAlgorithm }) => {
    for (const [algorithm, value] of claimed) {
      if (!isChecksumAlgorithm(algorithm)) continue;
      if ((await checksum(algorithm, data)) !== value) {
        throw new ServiceError('BadDigest', `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`);
      }
    }
  });
};
