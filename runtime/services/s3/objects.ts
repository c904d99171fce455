/**
 * Objects: PutObject, GetObject, HeadObject, DeleteObject (and the rest of the object
 * operations as they are added). Bodies stream to and from files (blob-store.ts); metadata
 * is committed to the state only once a body is complete and verified.
 */
import { Readable } from 'node:stream';
import type { OperationContext } from '../provider.js';
import type { GetObjectInput, GetObjectOutput, HeadObjectInput, S3Api } from './api.generated.js';
import { aclFromRequest } from './acl.js';
import { checkReadConditions, checkWriteConditions } from './conditions.js';
import { checksumOutput, contentMd5, requestedAlgorithm, verifyUpload } from './checksums.js';
import { s3Error } from './errors.js';
import { checkKey } from './keys.js';
import type { S3Service } from './service.js';
import { checkVersionId, commitVersion, getBucket, latestVersion, now, readableVersion, removeVersion, type Bucket, type StoredObject } from './state.js';

/** S3's limit for a single PUT: 5 GiB. */
export const MAX_PUT_SIZE = 5 * 1024 ** 3;

export function entityTooLarge(size: number, max = MAX_PUT_SIZE) {
  return s3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { fields: { ProposedSize: size, MaxSizeAllowed: max } });
}

/** The system headers S3 stores with an object, from a PutObject-like input. */
export function systemHeaders(input: { ContentType?: string; CacheControl?: string; ContentDisposition?: string; ContentEncoding?: string; ContentLanguage?: string; Expires?: Date }, headers: OperationContext['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  out.ContentType = input.ContentType ?? 'binary/octet-stream';
  if (input.CacheControl !== undefined) out.CacheControl = input.CacheControl;
  if (input.ContentDisposition !== undefined) out.ContentDisposition = input.ContentDisposition;
  if (input.ContentEncoding !== undefined && input.ContentEncoding !== '') out.ContentEncoding = input.ContentEncoding;
  if (input.ContentLanguage !== undefined) out.ContentLanguage = input.ContentLanguage;
  // kept as sent: S3 returns Expires verbatim
  const expires = headers.expires;
  if (typeof expires === 'string') out.Expires = expires;
  return out;
}

/** Whether a bucket reports version ids (it has had versioning turned on). */
function reportsVersions(bucket: Bucket): boolean {
  return bucket.versioning !== undefined;
}

/** A byte range of an object: [start, end] inclusive, or undefined for the whole object. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // S3 ignores what it cannot read (several ranges, other units): the whole object
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) throw invalidRange(header, size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return undefined;
  }
  if (start >= size) throw invalidRange(header, size);
  return { start, end };
}

function invalidRange(range: string, size: number) {
  return s3Error('InvalidRange', 'The requested range is not satisfiable', {
    fields: { RangeRequested: range, ActualObjectSize: size },
    headers: { 'content-range': `bytes */${size}` },
  });
}

/** The headers of an object that GET and HEAD share. */
export function objectOutput(object: StoredObject, bucket: Bucket) {
  const s = object.system;
  const sse = object.sse ?? {};
  return {
    AcceptRanges: 'bytes',
    LastModified: new Date(object.lastModified),
    ContentLength: object.size,
    ETag: object.etag,
    ...(reportsVersions(bucket) ? { VersionId: object.versionId } : {}),
    ...(s.CacheControl !== undefined ? { CacheControl: s.CacheControl } : {}),
    ...(s.ContentDisposition !== undefined ? { ContentDisposition: s.ContentDisposition } : {}),
    ...(s.ContentEncoding !== undefined ? { ContentEncoding: s.ContentEncoding } : {}),
    ...(s.ContentLanguage !== undefined ? { ContentLanguage: s.ContentLanguage } : {}),
    ContentType: s.ContentType ?? 'binary/octet-stream',
    ...(s.Expires !== undefined && !Number.isNaN(Date.parse(s.Expires)) ? { Expires: new Date(s.Expires) } : {}),
    ...(object.websiteRedirectLocation !== undefined ? { WebsiteRedirectLocation: object.websiteRedirectLocation } : {}),
    ...(sse.algorithm !== undefined ? { ServerSideEncryption: sse.algorithm } : {}),
    ...(sse.kmsKeyId !== undefined ? { SSEKMSKeyId: sse.kmsKeyId } : {}),
    ...(sse.bucketKeyEnabled !== undefined ? { BucketKeyEnabled: sse.bucketKeyEnabled } : {}),
    ...(sse.customerAlgorithm !== undefined ? { SSECustomerAlgorithm: sse.customerAlgorithm, SSECustomerKeyMD5: sse.customerKeyMd5 } : {}),
    Metadata: object.metadata,
    ...(object.storageClass !== 'STANDARD' ? { StorageClass: object.storageClass } : {}),
    ...(object.parts ? {} : {}),
    ...(object.lock?.mode !== undefined ? { ObjectLockMode: object.lock.mode } : {}),
    ...(object.lock?.retainUntil !== undefined ? { ObjectLockRetainUntilDate: new Date(object.lock.retainUntil) } : {}),
    ...(object.lock?.legalHold !== undefined ? { ObjectLockLegalHoldStatus: object.lock.legalHold } : {}),
    ...(object.restore !== undefined ? { Restore: object.restore } : {}),
  };
}

export function objectOperations(s3: S3Service) {
  const { state, blobs } = s3;

  /** GET and HEAD: the version, its conditions, and the byte range to send. */
  function locate(ctx: OperationContext, input: GetObjectInput | HeadObjectInput) {
    const bucket = getBucket(state, ctx, input.Bucket, input.ExpectedBucketOwner);
    const object = readableVersion(bucket, input.Key, input.VersionId);
    checkReadConditions(object, input);
    let range = parseRange(input.Range, object.size);
    let partsCount: number | undefined;
    if (input.PartNumber !== undefined) {
      if (input.Range !== undefined) throw s3Error('InvalidRequest', 'Cannot specify both Range header and partNumber query parameter');
      const parts = object.parts;
      const n = input.PartNumber;
      if (!parts) {
        if (n !== 1) throw s3Error('InvalidPartNumber', 'The requested partnumber is not satisfiable', { fields: { PartNumberRequested: n, ActualPartCount: 1 } });
      } else {
        if (n < 1 || n > parts.length) throw s3Error('InvalidPartNumber', 'The requested partnumber is not satisfiable', { fields: { PartNumberRequested: n, ActualPartCount: parts.length } });
        let start = 0;
        for (let i = 0; i < n - 1; i++) start += parts[i]!.size;
        range = { start, end: start + parts[n - 1]!.size - 1 };
        partsCount = parts.length;
      }
    }
    const out: GetObjectOutput & { StatusCode?: number } = { ...objectOutput(object, bucket) };
    if (partsCount !== undefined) out.PartsCount = partsCount;
    if (range) {
      out.StatusCode = 206;
      out.ContentLength = range.end - range.start + 1;
      out.ContentRange = `bytes ${range.start}-${range.end}/${object.size}`;
    } else if (input.ChecksumMode === 'ENABLED') {
      Object.assign(out, checksumOutput(object.checksum));
    }
    const tags = object.tags.length;
    if (tags > 0) out.TagCount = tags;
    return { bucket, object, range, out };
  }

  return {
    async PutObject(ctx, input) {
      const bucket = getBucket(state, ctx, input.Bucket, input.ExpectedBucketOwner);
      checkKey(input.Key);
      const declared = Number(ctx.headers['content-length'] ?? NaN);
      if (declared > MAX_PUT_SIZE) throw entityTooLarge(declared);
      const md5 = contentMd5(input.ContentMD5);
      checkWriteConditions(latestVersion(bucket, input.Key), input, input.Key);
      const acl = aclFromRequest(ctx.accountId, input);
      const algorithm = requestedAlgorithm(ctx, input) ?? 'crc64nvme';
      const body = input.Body instanceof Readable ? input.Body : Readable.from(input.Body ? [Buffer.from(input.Body as Uint8Array)] : []);
      const written = await blobs.write(body, {
        algorithms: [algorithm],
        limit: MAX_PUT_SIZE,
        tooLarge: (n) => entityTooLarge(n),
        expectedSize: Number.isFinite(declared) ? declared : undefined,
      });
      try {
        verifyUpload(input, md5, written);
        // the key may have been written while the body was uploading
        checkWriteConditions(latestVersion(bucket, input.Key), input, input.Key);
      } catch (error) {
        blobs.remove([written]);
        throw error;
      }
      const object: StoredObject = {
        key: input.Key,
        versionId: 'null',
        lastModified: now(),
        owner: ctx.accountId,
        size: written.size,
        etag: `"${written.md5.toString('hex')}"`,
        blobs: [{ id: written.id, size: written.size }],
        system: systemHeaders(input, ctx.headers),
        metadata: input.Metadata ?? {},
        storageClass: input.StorageClass ?? 'STANDARD',
        checksum: { algorithm, value: written.checksums[algorithm]!, type: 'FULL_OBJECT' },
        sse: { algorithm: input.ServerSideEncryption ?? 'AES256', ...(input.SSEKMSKeyId !== undefined ? { kmsKeyId: input.SSEKMSKeyId } : {}) },
        ...(input.WebsiteRedirectLocation !== undefined ? { websiteRedirectLocation: input.WebsiteRedirectLocation } : {}),
        tags: [],
        ...(acl ? { acl } : {}),
      };
      // the bucket may have been deleted while the body was uploading
      if (state.buckets[bucket.name] !== bucket) {
        blobs.remove(object.blobs);
        throw s3Error('NoSuchBucket', 'The specified bucket does not exist', { fields: { BucketName: bucket.name } });
      }
      const replaced = commitVersion(bucket, object);
      blobs.remove(replaced.flatMap((v) => v.blobs));
      s3.notify({ name: 'ObjectCreated:Put', bucket, object, requestId: ctx.requestId, accountId: ctx.accountId, region: ctx.region });
      return {
        ETag: object.etag,
        ...checksumOutput(object.checksum),
        ServerSideEncryption: object.sse!.algorithm,
        ...(reportsVersions(bucket) ? { VersionId: object.versionId } : {}),
      };
    },

    GetObject(ctx, input) {
      const { object, range, out } = locate(ctx, input);
      const start = range?.start ?? 0;
      const end = range?.end ?? object.size - 1;
      out.Body = object.size === 0 ? Buffer.alloc(0) : blobs.read(object.blobs, start, end);
      if (input.ResponseCacheControl !== undefined) out.CacheControl = input.ResponseCacheControl;
      if (input.ResponseContentDisposition !== undefined) out.ContentDisposition = input.ResponseContentDisposition;
      if (input.ResponseContentEncoding !== undefined) out.ContentEncoding = input.ResponseContentEncoding;
      if (input.ResponseContentLanguage !== undefined) out.ContentLanguage = input.ResponseContentLanguage;
      if (input.ResponseContentType !== undefined) out.ContentType = input.ResponseContentType;
      if (input.ResponseExpires !== undefined) out.Expires = input.ResponseExpires;
      return out;
    },

    HeadObject(ctx, input) {
      return locate(ctx, input).out;
    },

    DeleteObject(ctx, input) {
      const bucket = getBucket(state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const key = input.Key;
      if (input.IfMatch !== undefined) {
        const current = latestVersion(bucket, key);
        if (!current || current.deleteMarker) throw s3Error('NoSuchKey', 'The specified key does not exist.', { fields: { Key: key } });
        checkWriteConditions(current, { IfMatch: input.IfMatch }, key);
      }
      if (input.VersionId !== undefined) {
        const removed = removeVersion(bucket, key, input.VersionId);
        if (!removed) {
          checkVersionId(bucket, input.VersionId);
          return {};
        }
        blobs.remove(removed.blobs);
        s3.notify({ name: removed.deleteMarker ? 'ObjectRemoved:DeleteMarkerCreated' : 'ObjectRemoved:Delete', bucket, object: removed, requestId: ctx.requestId, accountId: ctx.accountId, region: ctx.region });
        return { VersionId: removed.versionId, ...(removed.deleteMarker ? { DeleteMarker: true } : {}) };
      }
      if (bucket.versioning === undefined) {
        const removed = removeVersion(bucket, key, 'null');
        if (removed) {
          blobs.remove(removed.blobs);
          s3.notify({ name: 'ObjectRemoved:Delete', bucket, object: removed, requestId: ctx.requestId, accountId: ctx.accountId, region: ctx.region });
        }
        return {};
      }
      const marker: StoredObject = { key, versionId: 'null', deleteMarker: true, lastModified: now(), owner: ctx.accountId, size: 0, etag: '', blobs: [], system: {}, metadata: {}, storageClass: 'STANDARD', tags: [] };
      const replaced = commitVersion(bucket, marker);
      blobs.remove(replaced.flatMap((v) => v.blobs));
      s3.notify({ name: 'ObjectRemoved:DeleteMarkerCreated', bucket, object: marker, requestId: ctx.requestId, accountId: ctx.accountId, region: ctx.region });
      return { DeleteMarker: true, VersionId: marker.versionId };
    },
  } satisfies Partial<S3Api>;
}
