import { gunzipSync } from 'node:zlib';
import { ServiceError } from '../../aws/errors.js';
import type { Handler } from '../chain.js';
import { tooLarge } from './read-request-body.js';

/**
 * Decodes gzip request bodies (CloudWatch sends them above 10 KB), except for a service whose
 * Content-Encoding belongs to the payload it stores (S3's objects: `keepsEncoding`, declared
 * with the service's gateway steps) and for streamed payloads, where it belongs to the
 * payload. The decoded size is bounded too.
 */
export function decodeContentEncoding(limit: number, keepsEncoding: (service: string | undefined) => boolean): Handler {
  return (_chain, ctx) => {
    const encoding = ctx.header('content-encoding');
    if (!encoding || ctx.bodyStream || ctx.body.length === 0 || keepsEncoding(ctx.serviceName)) return;
    if (encoding.trim().toLowerCase() !== 'gzip') return;
    try {
      ctx.body = gunzipSync(ctx.body, { maxOutputLength: limit });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limit);
      throw new ServiceError('SerializationException', 'The request body is not valid gzip');
    }
  };
}
