/**
 * Content-MD5 of S3 request documents (PutBucketTagging, DeleteObjects, PutBucketCors...):
 * checked here, where the body is still at hand, since the provider only sees the parsed
 * document. Streamed bodies (PutObject, UploadPart) are checked by the provider as they are
 * written.
 */
import { createHash } from 'node:crypto';
import { ServiceError } from '../../aws/errors.js';
import type { Handler } from '../chain.js';

export const checkS3ContentMd5: Handler = (_chain, ctx) => {
  if (ctx.serviceName !== 's3' || ctx.bodyStream) return;
  const claimed = ctx.header('content-md5');
  if (claimed === undefined) return;
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
};
