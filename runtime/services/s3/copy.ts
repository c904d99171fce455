/**
 * CopyObject: a new object from a stored one (or one of its versions, `?versionId=`),
 * file to file through blobs.copy, never through memory. Metadata and tags are copied or
 * replaced (x-amz-metadata-directive, x-amz-tagging-directive); storage class, website
 * redirect, ACL, encryption and Object Lock are the request's (S3 does not copy them). The
 * x-amz-copy-source-if-* conditions combine as RFC 7232 and S3 say (if-match true makes
 * if-unmodified-since moot; if-none-match false fails even when if-modified-since holds) and
 * answer 412; a copy onto itself must name something to change (an ACL alone is not that).
 * CopyObjectResult carries the copy's checksum and its ChecksumType, as S3 answers today
 * (recorded in 2026: FULL_OBJECT beside ChecksumCRC32 / ChecksumCRC64NVME).
 *
 * LIMITATIONS: the ETag of the copy is the source's (for a multipart source S3 computes a
 * new single-part ETag); its parts are kept, so GetObjectAttributes still lists them.
 */
import type { OperationContext } from '../provider.js';
import type { CopyObjectInput, S3Api } from './api.generated.js';
import { aclFromRequest } from './acl.js';
import { CHECKSUM_MEMBERS, requestedAlgorithm } from './checksums.js';
import { etagMatches } from './conditions.js';
import { preconditionFailed, s3Error } from './errors.js';
import { checkKey } from './keys.js';
import { decodeMetadataValue, mapMetadata } from './metadata-encoding.js';
import { newObjectLock } from './object-lock.js';
import { ARCHIVE_CLASSES, MAX_PUT_SIZE, checkMetadata, commitUpload, storageClass, systemHeaders } from './objects.js';
import type { S3Service } from './service.js';
import { record } from '../../state/store.js';
import { checkReadKey, customerKey, objectEncryption, sseOutput } from './sse.js';
import { getBucket, now, readableVersion, type BlobRef, type StoredChecksum, type StoredObject } from './state.js';
import { tagsFromHeader } from './tagging.js';
import { createChecksum } from '../../aws/checksums.js';
import { Readable } from 'node:stream';

/** The bucket, key and version of an x-amz-copy-source header (`bucket/key?versionId=id`, URL-encoded). */
export function parseCopySource(header: string): { bucket: string; key: string; versionId?: string } {
  // S3 names the header as the argument's value too, not what was sent
  const invalid = () => s3Error('InvalidArgument', 'Invalid copy source object key', { fields: { ArgumentName: 'x-amz-copy-source', ArgumentValue: 'x-amz-copy-source' } });
  let path = header;
  let versionId: string | undefined;
  const q = path.indexOf('?');
  if (q !== -1) {
    const params = new URLSearchParams(path.slice(q + 1));
    path = path.slice(0, q);
    const v = params.get('versionId');
    if (v !== null) {
      if (v === '') throw s3Error('InvalidArgument', 'Version id cannot be the empty string', { fields: { ArgumentName: 'versionId', ArgumentValue: '' } });
      versionId = v;
    }
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw invalid();
  }
  if (decoded.startsWith('/')) decoded = decoded.slice(1);
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw invalid();
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), ...(versionId !== undefined ? { versionId } : {}) };
}

function seconds(d: Date | string): number {
  return Math.floor(new Date(d).getTime() / 1000);
}

/** The x-amz-copy-source-if-* conditions: every failure is 412, as S3 answers a copy. */
export function checkCopyConditions(source: StoredObject, c: Pick<CopyObjectInput, 'CopySourceIfMatch' | 'CopySourceIfNoneMatch' | 'CopySourceIfModifiedSince' | 'CopySourceIfUnmodifiedSince'>): void {
  const modified = seconds(source.lastModified);
  if (c.CopySourceIfMatch !== undefined) {
    if (!etagMatches(c.CopySourceIfMatch, source.etag)) throw preconditionFailed('x-amz-copy-source-If-Match');
  } else if (c.CopySourceIfUnmodifiedSince !== undefined && modified > seconds(c.CopySourceIfUnmodifiedSince)) {
    throw preconditionFailed('x-amz-copy-source-If-Unmodified-Since');
  }
  if (c.CopySourceIfNoneMatch !== undefined) {
    if (etagMatches(c.CopySourceIfNoneMatch, source.etag)) throw preconditionFailed('x-amz-copy-source-If-None-Match');
  } else if (c.CopySourceIfModifiedSince !== undefined && modified <= seconds(c.CopySourceIfModifiedSince)) {
    throw preconditionFailed('x-amz-copy-source-If-Modified-Since');
  }
}

function directive(value: string | undefined, name: string): 'COPY' | 'REPLACE' {
  if (value === undefined || value === 'COPY') return 'COPY';
  if (value === 'REPLACE') return 'REPLACE';
  throw s3Error('InvalidArgument', `Unknown ${name} directive.`, { fields: { ArgumentName: `x-amz-${name}-directive`, ArgumentValue: value } });
}

export function copyOperations(s3: S3Service) {
  const { blobs } = s3;

  /** A checksum of the copied body in another algorithm, read back from its files. */
  async function recompute(refs: readonly BlobRef[], size: number, algorithm: StoredChecksum['algorithm']): Promise<StoredChecksum> {
    const sum = createChecksum(algorithm);
    if (size > 0) {
      const body = blobs.read(refs, 0, size - 1);
      if (body instanceof Readable) for await (const chunk of body) sum.update(chunk as Buffer);
      else sum.update(body);
    }
    return { algorithm, value: await sum.digest(), type: 'FULL_OBJECT' };
  }

  return {
    async CopyObject(ctx: OperationContext, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      checkKey(input.Key);
      const from = parseCopySource(input.CopySource);
      const sourceBucket = getBucket(s3.state, ctx, from.bucket, input.ExpectedSourceBucketOwner);
      let source: StoredObject;
      try {
        source = readableVersion(sourceBucket, from.key, from.versionId);
      } catch (error) {
        if ((error as { code?: string }).code === 'MethodNotAllowed') throw s3Error('InvalidRequest', 'The source of a copy request may not specifically refer to a delete marker by version id.');
        throw error;
      }
      checkReadKey(source, customerKey(ctx, 'x-amz-copy-source-server-side-encryption-customer-'));
      checkCopyConditions(source, input);
      if (source.size > MAX_PUT_SIZE) throw s3Error('InvalidRequest', `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_PUT_SIZE}`);
      if (ARCHIVE_CLASSES.includes(source.storageClass) && !source.restore) {
        throw s3Error('InvalidObjectState', "Operation is not valid for the source object's storage class", { fields: { StorageClass: source.storageClass } });
      }
      const metadataDirective = directive(input.MetadataDirective, 'metadata');
      const taggingDirective = directive(input.TaggingDirective, 'tagging');
      const klass = storageClass(input.StorageClass);
      const customer = customerKey(ctx, 'x-amz-server-side-encryption-customer-');
      const selfCopy = sourceBucket === bucket && from.key === input.Key && bucket.objects[from.key]?.[0] === source;
      if (selfCopy) {
        // S3 looks at what the request names, not at whether it differs from the source: a
        // storage class or redirect equal to the source's is a change. A bucket with an
        // encryption configuration of its own, a source encrypted other than by S3's default
        // (SSE-KMS), or a restored one, may be copied onto itself as it is.
        const changes =
          metadataDirective === 'REPLACE' ||
          input.StorageClass !== undefined ||
          input.WebsiteRedirectLocation !== undefined ||
          input.ServerSideEncryption !== undefined ||
          input.SSEKMSKeyId !== undefined ||
          customer !== undefined ||
          bucket.config.encryption !== undefined ||
          (source.sse?.algorithm !== undefined && source.sse.algorithm !== 'AES256') ||
          source.restore !== undefined;
        if (!changes) {
          throw s3Error('InvalidRequest', "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }
      }
      const metadata = metadataDirective === 'REPLACE' ? checkMetadata(input.Metadata && mapMetadata(input.Metadata, decodeMetadataValue)) : Object.assign(record<string>(), source.metadata);
      const system = metadataDirective === 'REPLACE' ? systemHeaders(input, ctx.headers) : { ...source.system };
      const tags = taggingDirective === 'REPLACE' ? tagsFromHeader(input.Tagging) : source.tags.map((t) => ({ ...t }));
      const sse = objectEncryption(ctx, bucket, input, customer);
      const lock = newObjectLock(bucket, input);
      const acl = aclFromRequest(ctx.accountId, input);
      const algorithm = requestedAlgorithm(ctx, input);

      const copied: BlobRef[] = [];
      try {
        for (const blob of source.blobs) copied.push(await blobs.copy(blob));
      } catch (error) {
        blobs.remove(copied);
        // the source was deleted while it was being copied
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw s3Error('NoSuchKey', 'The specified key does not exist.', { fields: { Key: from.key } });
        throw error;
      }
      let checksum = source.checksum ? { ...source.checksum } : undefined;
      if (algorithm !== undefined && algorithm !== checksum?.algorithm) checksum = await recompute(copied, source.size, algorithm);

      const object: StoredObject = {
        key: input.Key,
        versionId: 'null',
        lastModified: now(),
        owner: ctx.accountId,
        size: source.size,
        etag: source.etag,
        blobs: copied,
        ...(source.parts ? { parts: source.parts.map((p) => ({ ...p })) } : {}),
        system,
        metadata,
        storageClass: klass,
        ...(checksum ? { checksum } : {}),
        sse,
        ...(input.WebsiteRedirectLocation !== undefined ? { websiteRedirectLocation: input.WebsiteRedirectLocation } : {}),
        tags,
        ...(acl ? { acl } : {}),
        ...(lock ? { lock } : {}),
      };
      commitUpload(s3, ctx, bucket, object, 'ObjectCreated:Copy');
      return {
        CopyObjectResult: {
          ETag: object.etag,
          // at whole seconds, as S3 keeps an object's time
          LastModified: new Date(seconds(object.lastModified) * 1000),
          ...(checksum ? { [CHECKSUM_MEMBERS[checksum.algorithm]]: checksum.value, ChecksumType: checksum.type } : {}),
        },
        ...(sourceBucket.versioning !== undefined ? { CopySourceVersionId: source.versionId } : {}),
        ...(bucket.versioning !== undefined ? { VersionId: object.versionId } : {}),
        ...sseOutput(sse),
      };
    },
  } satisfies Partial<S3Api>;
}
