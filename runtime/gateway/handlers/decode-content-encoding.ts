import { gunzipSync } from 'node:zlib';
import { ServiceError } from '../../aws/errors.js';
import type { Handler } from '../chain.js';
import { tooLarge } from './read-request-body.js';

/**
 * Decodes gzip request bodies (CloudWatch sends them above 10 KB) for every service but S3,
 * where Content-Encoding belongs to the object, and streamed payloads, where it belongs to the
 * payload. The decoded size is bounded too.
 */
export function decodeContentEncoding(limit: number): Handler {
  return (_chain, ctx) => {
    const encoding = ctx.header('content-encoding');
    if (!encoding || ctx.serviceName === 's3' || ctx.bodyStream || ctx.body.length === 0) return;
    if (encoding.trim().toLowerCase() !== 'gzip') return;
    try {
      ctx.body = gunzipSync(ctx.body, { maxOutputLength: limit });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limit);
      throw new ServiceError('SerializationException', 'The request body is not valid gzip');
    }
  };
}
