/**
 * S3 uploads in the `aws-chunked` encoding: the framing is removed, a trailing checksum is
 * verified (BadDigest when it does not match) and then handed on as the header it stands
 * for (and the input member bound to that header), and `aws-chunked` leaves
 * Content-Encoding (S3 never stores it).
 *
 * A body in memory is decoded at once. A streamed body (ctx.bodyStream) is decoded as it
 * flows: the checksums named by `x-amz-trailer` are computed on the way, and the stream fails
 * with BadDigest instead of ending when the trailer disagrees, so the provider reading it
 * never commits a corrupt upload.
 */
import { AwsChunkedDecoder, decodeAwsChunked } from '../../aws/aws-chunked.js';
import { ServiceError } from '../../aws/errors.js';
import type { ChecksumAlgorithm } from '../../aws/checksums.js';
import type { Handler } from '../chain.js';
import type { RequestContext } from '../../request-context.js';

function isAwsChunked(encoding: string | undefined, sha256: string | undefined): boolean {
  if (encoding?.split(',').some((e) => e.trim().toLowerCase() === 'aws-chunked')) return true;
  return sha256 !== undefined && sha256.startsWith('STREAMING-');
}

function badDigest(algorithm: string): ServiceError {
  return new ServiceError('BadDigest', `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`);
}

/** Trailers become headers, and input members bound to those headers (ChecksumCRC32...). */
function applyTrailers(ctx: RequestContext, trailers: Record<string, string>): void {
  for (const [name, value] of Object.entries(trailers)) ctx.headers[name] = value;
  const input = ctx.input;
  const shape = ctx.operation?.input;
  if (!input || !shape) return;
  for (const [member, m] of ctx.operation!.service.members(shape)) {
    const header = m.location === 'header' ? (m.locationName ?? member).toLowerCase() : undefined;
    if (header !== undefined && trailers[header] !== undefined) input[member] = trailers[header];
  }
}

function checksumClaims(trailers: Record<string, string>): Array<[algorithm: string, value: string]> {
  const claimed: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(trailers)) {
    const algorithm = /^x-amz-checksum-(.+)$/.exec(name)?.[1];
    if (algorithm) claimed.push([algorithm, value]);
  }
  return claimed;
}

export const decodeAwsChunkedBody: Handler = (_chain, ctx) => {
  const encoding = ctx.header('content-encoding');
  if (!isAwsChunked(encoding, ctx.header('x-amz-content-sha256'))) return undefined;
  const declared = ctx.header('x-amz-decoded-content-length');
  const decodedLength = declared === undefined ? undefined : Number(declared);
  const rest = encoding
    ?.split(',')
    .map((e) => e.trim())
    .filter((e) => e && e.toLowerCase() !== 'aws-chunked');
  if (rest && rest.length > 0) ctx.headers['content-encoding'] = rest.join(',');
  else delete ctx.headers['content-encoding'];

  if (ctx.bodyStream) {
    if (decodedLength !== undefined) ctx.headers['content-length'] = String(decodedLength);
    else delete ctx.headers['content-length'];
    const announced = (ctx.header('x-amz-trailer') ?? '')
      .split(',')
      .map((t) => /^x-amz-checksum-(.+)$/.exec(t.trim().toLowerCase())?.[1])
      .filter((a): a is string => a !== undefined);
    const source = ctx.bodyStream;
    const open = (hooks: ConstructorParameters<typeof AwsChunkedDecoder>[1]) => {
      const decoder = new AwsChunkedDecoder(decodedLength, hooks);
      // a client that goes away fails the source (IncompleteBody, readRequestBody) and so the
      // decoded stream too, so its reader never hangs
      source.once('error', (error) => decoder.destroy(error));
      ctx.bodyStream = source.pipe(decoder);
      return decoder;
    };
    if (announced.length === 0) {
      open({ end: (trailers) => applyTrailers(ctx, trailers) });
      return undefined;
    }
    // the checksum libraries load with the first checksummed upload, not at start-up
    return import('../../aws/checksums.js').then(({ attachStreamChecksums, createChecksum, isChecksumAlgorithm }) => {
      const running = new Map(announced.filter(isChecksumAlgorithm).map((a) => [a, createChecksum(a)] as const));
      const computed = new Map<ChecksumAlgorithm, string>();
      const decoder = open({
        data: (data) => {
          for (const c of running.values()) c.update(data);
        },
        end: async (trailers) => {
          for (const [algorithm, c] of running) computed.set(algorithm, await c.digest());
          for (const [algorithm, value] of checksumClaims(trailers)) {
            const actual = computed.get(algorithm as ChecksumAlgorithm);
            if (actual !== undefined && actual !== value) throw badDigest(algorithm);
          }
          applyTrailers(ctx, trailers);
        },
      });
      // the provider storing the body takes these instead of computing them again
      attachStreamChecksums(decoder, { algorithms: new Set(running.keys()), values: computed });
    });
  }

  const { data, trailers } = decodeAwsChunked(ctx.body, decodedLength);
  ctx.body = data;
  ctx.headers['content-length'] = String(data.length);
  applyTrailers(ctx, trailers);
  const claimed = checksumClaims(trailers);
  if (claimed.length === 0) return undefined;
  return import('../../aws/checksums.js').then(async ({ checksum, isChecksumAlgorithm }) => {
    for (const [algorithm, value] of claimed) {
      if (isChecksumAlgorithm(algorithm) && (await checksum(algorithm, data)) !== value) throw badDigest(algorithm);
    }
  });
};
