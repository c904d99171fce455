/**
 * Objects: PutObject, GetObject, HeadObject, DeleteObject, PutObjectAcl, GetObjectAcl.
 * Bodies stream to and from files (blob-store.ts); metadata is committed to the state only
 * once a body is complete and verified (Content-MD5, x-amz-checksum-*), so a failed upload
 * leaves nothing behind. What a new object carries besides its body (user metadata, system
 * headers, storage class, tags, ACL, encryption, lock) is checked before the body is read.
 * Encryption: sse.ts; tags: tagging.ts; Object Lock: object-lock.ts; deletion:
 * delete-objects.ts; copies: copy.ts; attributes and restores: object-attributes.ts.
 *
 * LIMITATIONS: ACLs are stored and returned, not enforced, and are accepted whatever the
 * bucket's object ownership (S3 refuses them with BucketOwnerEnforced). Archived objects
 * (GLACIER, DEEP_ARCHIVE) are readable as soon as RestoreObject is called.
 */
import { Readable } from 'node:stream';
import type { OperationContext } from '../provider.js';
import type { GetObjectInput, GetObjectOutput, HeadObjectInput, S3Api } from './api.generated.js';
import { aclFromPolicy, aclFromRequest, aclOutput } from './acl.js';
import { checkReadConditions, checkWriteConditions } from './conditions.js';
import { CHECKSUM_MEMBERS, checksumOutput, contentMd5, requestedAlgorithm, verifyUpload, type ChecksumMembers } from './checksums.js';
import { deleteKey } from './delete-objects.js';
import { s3Error } from './errors.js';
import { checkKey } from './keys.js';
import { expirationOutput } from './lifecycle.js';
import { newObjectLock } from './object-lock.js';
import type { S3Service } from './service.js';
import { checkReadKey, customerKey, objectEncryption, sseOutput } from './sse.js';
import { addressedVersion, tagsFromHeader } from './tagging.js';
import { blobRef } from './blob-store.js';
import { record } from '../../state/store.js';
import { commitVersion, getBucket, latestVersion, now, privateAcl, readableVersion, type Bucket, type StoredObject } from './state.js';
import type { ChecksumAlgorithm } from '../../aws/checksums.js';

/** S3's limit for a single PUT: 5 GiB. */
export const MAX_PUT_SIZE = 5 * 1024 ** 3;

export function entityTooLarge(size: number, max = MAX_PUT_SIZE) {
  return s3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { fields: { ProposedSize: size, MaxSizeAllowed: max } });
}

/** The system headers S3 stores with an object, from a PutObject-like input. */
export function systemHeaders(input: { ContentType?: string; CacheControl?: string; ContentDisposition?: string; ContentEncoding?: string; ContentLanguage?: string; Expires?: string }, headers: OperationContext['headers']): Record<string, string> {
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

/** S3's limit on user metadata: the UTF-8 bytes of every name and value, 2 KB. */
export const MAX_METADATA_BYTES = 2048;

/** MetadataTooLarge when x-amz-meta-* names and values add up to more than 2 KB. */
export function checkMetadata(metadata: Record<string, string> | undefined): Record<string, string> {
  if (!metadata) return record();
  let size = 0;
  for (const [k, v] of Object.entries(metadata)) size += Buffer.byteLength(k) + Buffer.byteLength(v);
  if (size > MAX_METADATA_BYTES) {
    throw s3Error('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size', { fields: { Size: size, MaxSizeAllowed: MAX_METADATA_BYTES } });
  }
  return metadata;
}

export const STORAGE_CLASSES = ['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'OUTPOSTS', 'GLACIER_IR', 'SNOW', 'EXPRESS_ONEZONE'];
/** Storage classes whose objects must be restored before they can be read. */
export const ARCHIVE_CLASSES = ['GLACIER', 'DEEP_ARCHIVE'];

/** The storage class a write asks for (STANDARD by default), or InvalidStorageClass. */
export function storageClass(requested: string | undefined): string {
  if (requested === undefined) return 'STANDARD';
  if (!STORAGE_CLASSES.includes(requested)) throw s3Error('InvalidStorageClass', 'The storage class you specified is not valid', { fields: { StorageClassRequested: requested } });
  return requested;
}

const CHECKSUM_BYTES: Record<ChecksumAlgorithm, number> = { crc32: 4, crc32c: 4, crc64nvme: 8, sha1: 20, sha256: 32 };

/** A claimed checksum that cannot be one (wrong length, not base64): InvalidRequest, before the body is read. */
export function checkChecksumHeaders(input: ChecksumMembers): void {
  for (const [algorithm, member] of Object.entries(CHECKSUM_MEMBERS) as Array<[ChecksumAlgorithm, keyof ChecksumMembers]>) {
    const v = input[member];
    if (v === undefined) continue;
    const bytes = Buffer.from(v, 'base64');
    if (bytes.length !== CHECKSUM_BYTES[algorithm] || bytes.toString('base64') !== v) {
      throw s3Error('InvalidRequest', `Value for x-amz-checksum-${algorithm} header is invalid.`);
    }
  }
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
    // the model (botocore's) types Expires as the header's text: S3 returns it as it was sent
    ...(s.Expires !== undefined ? { Expires: s.Expires } : {}),
    ...(object.websiteRedirectLocation !== undefined ? { WebsiteRedirectLocation: object.websiteRedirectLocation } : {}),
    ...(sse.algorithm !== undefined ? { ServerSideEncryption: sse.algorithm } : {}),
    ...(sse.kmsKeyId !== undefined ? { SSEKMSKeyId: sse.kmsKeyId } : {}),
    ...(sse.bucketKeyEnabled !== undefined ? { BucketKeyEnabled: sse.bucketKeyEnabled } : {}),
    ...(sse.customerAlgorithm !== undefined ? { SSECustomerAlgorithm: sse.customerAlgorithm, SSECustomerKeyMD5: sse.customerKeyMd5 } : {}),
    Metadata: object.metadata,
    ...(object.storageClass !== 'STANDARD' ? { StorageClass: object.storageClass } : {}),
    ...(object.lock?.mode !== undefined ? { ObjectLockMode: object.lock.mode } : {}),
    ...(object.lock?.retainUntil !== undefined ? { ObjectLockRetainUntilDate: new Date(object.lock.retainUntil) } : {}),
    ...(object.lock?.legalHold !== undefined ? { ObjectLockLegalHoldStatus: object.lock.legalHold } : {}),
    ...(object.restore !== undefined ? { Restore: object.restore } : {}),
    ...expirationOutput(bucket, object),
  };
}

/**
 * Makes a written and verified object the newest version of its key (PutObject, PostObject,
 * CopyObject):
 * NoSuchBucket (and its body removed) when the bucket went away while the body was uploading;
 * otherwise the bodies it replaced are removed and the event announced.
 */
export function commitUpload(s3: S3Service, ctx: OperationContext, bucket: Bucket, object: StoredObject, event: string): void {
  if (s3.state.buckets[bucket.name] !== bucket) {
    s3.blobs.remove(object.blobs);
    throw s3Error('NoSuchBucket', 'The specified bucket does not exist', { fields: { BucketName: bucket.name } });
  }
  const replaced = commitVersion(s3, bucket, object);
  s3.blobs.remove(replaced.flatMap((v) => v.blobs));
  s3.notify({ name: event, bucket, object, requestId: ctx.requestId, accountId: ctx.accountId, region: ctx.region });
}

export function objectOperations(s3: S3Service) {
  const { blobs } = s3;

  /** GET and HEAD: the version, its conditions, and the byte range to send. */
  function locate(ctx: OperationContext, input: GetObjectInput | HeadObjectInput, read: boolean) {
    const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
    const object = readableVersion(bucket, input.Key, input.VersionId);
    checkReadKey(object, customerKey(ctx, 'x-amz-server-side-encryption-customer-'));
    checkReadConditions(object, input);
    if (read && ARCHIVE_CLASSES.includes(object.storageClass) && !object.restore) {
      throw s3Error('InvalidObjectState', "The operation is not valid for the object's storage class", { fields: { StorageClass: object.storageClass } });
    }
    let range = parseRange(input.Range, object.size);
    let partsCount: number | undefined;
    let partChecksum: string | undefined;
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
        // a part of a COMPOSITE object has a checksum of its own, which S3 returns
        if (object.checksum?.type === 'COMPOSITE') partChecksum = parts[n - 1]!.checksum;
      }
    }
    const out: GetObjectOutput & { StatusCode?: number } = { ...objectOutput(object, bucket) };
    if (partsCount !== undefined) out.PartsCount = partsCount;
    if (range) {
      out.StatusCode = 206;
      out.ContentLength = range.end - range.start + 1;
      out.ContentRange = `bytes ${range.start}-${range.end}/${object.size}`;
      if (input.ChecksumMode === 'ENABLED' && partChecksum !== undefined && object.checksum) {
        out[CHECKSUM_MEMBERS[object.checksum.algorithm]] = partChecksum;
        out.ChecksumType = 'COMPOSITE';
      }
    } else if (input.ChecksumMode === 'ENABLED') {
      Object.assign(out, checksumOutput(object.checksum));
    }
    const tags = object.tags.length;
    if (tags > 0) out.TagCount = tags;
    return { bucket, object, range, out };
  }

  return {
    async PutObject(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      checkKey(input.Key);
      const declared = Number(ctx.headers['content-length'] ?? NaN);
      if (declared > MAX_PUT_SIZE) throw entityTooLarge(declared);
      const md5 = contentMd5(input.ContentMD5);
      checkChecksumHeaders(input);
      const metadata = checkMetadata(input.Metadata);
      const klass = storageClass(input.StorageClass);
      const tags = tagsFromHeader(input.Tagging);
      const sse = objectEncryption(ctx, bucket, input, customerKey(ctx, 'x-amz-server-side-encryption-customer-'));
      const lock = newObjectLock(bucket, input);
      if ((input.ObjectLockMode !== undefined || input.ObjectLockRetainUntilDate !== undefined || input.ObjectLockLegalHoldStatus !== undefined) && md5 === undefined && requestedAlgorithm(ctx, input) === undefined) {
        throw s3Error('InvalidRequest', 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters');
      }
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
        blobs: [blobRef(written)],
        system: systemHeaders(input, ctx.headers),
        metadata,
        storageClass: klass,
        checksum: { algorithm, value: written.checksums[algorithm]!, type: 'FULL_OBJECT' },
        sse,
        ...(input.WebsiteRedirectLocation !== undefined ? { websiteRedirectLocation: input.WebsiteRedirectLocation } : {}),
        tags,
        ...(acl ? { acl } : {}),
        ...(lock ? { lock } : {}),
      };
      commitUpload(s3, ctx, bucket, object, 'ObjectCreated:Put');
      return {
        ...expirationOutput(bucket, object),
        ETag: object.etag,
        ...checksumOutput(object.checksum),
        ...sseOutput(object.sse),
        ...(reportsVersions(bucket) ? { VersionId: object.versionId } : {}),
      };
    },

    GetObject(ctx, input) {
      const { object, range, out } = locate(ctx, input, true);
      const start = range?.start ?? 0;
      const end = range?.end ?? object.size - 1;
      out.Body = object.size === 0 ? Buffer.alloc(0) : blobs.read(object.blobs, start, end);
      if (input.ResponseCacheControl !== undefined) out.CacheControl = input.ResponseCacheControl;
      if (input.ResponseContentDisposition !== undefined) out.ContentDisposition = input.ResponseContentDisposition;
      if (input.ResponseContentEncoding !== undefined) out.ContentEncoding = input.ResponseContentEncoding;
      if (input.ResponseContentLanguage !== undefined) out.ContentLanguage = input.ResponseContentLanguage;
      if (input.ResponseContentType !== undefined) out.ContentType = input.ResponseContentType;
      if (input.ResponseExpires !== undefined) out.Expires = input.ResponseExpires.toUTCString();
      return out;
    },

    HeadObject(ctx, input) {
      return locate(ctx, input, false).out;
    },

    DeleteObject(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const key = input.Key;
      if (input.IfMatch !== undefined) {
        const current = latestVersion(bucket, key);
        if (!current || current.deleteMarker) throw s3Error('NoSuchKey', 'The specified key does not exist.', { fields: { Key: key } });
        checkWriteConditions(current, { IfMatch: input.IfMatch }, key);
      }
      const r = deleteKey(s3, ctx, bucket, key, input.VersionId, input.BypassGovernanceRetention);
      return { ...(r.versionId !== undefined ? { VersionId: r.versionId } : {}), ...(r.deleteMarker ? { DeleteMarker: true } : {}) };
    },

    PutObjectAcl(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const object = addressedVersion(bucket, input.Key, input.VersionId, 'PUT');
      contentMd5(input.ContentMD5);
      const fromHeaders = aclFromRequest(ctx.accountId, input);
      const policy = input.AccessControlPolicy;
      if (fromHeaders && policy) throw s3Error('UnexpectedContent', 'This request does not support content');
      const acl = fromHeaders ?? (policy ? aclFromPolicy(policy, object.owner) : undefined);
      if (!acl) throw s3Error('MissingSecurityHeader', 'Your request was missing a required header', { fields: { MissingHeaderName: 'x-amz-acl' } });
      object.acl = acl;
      s3.changed(bucket, 'objects', object.key);
      s3.notify({ name: 'ObjectAcl:Put', bucket, object, requestId: ctx.requestId, accountId: ctx.accountId, region: ctx.region });
      return {};
    },

    GetObjectAcl(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const object = addressedVersion(bucket, input.Key, input.VersionId);
      return aclOutput(object.acl ?? privateAcl(object.owner));
    },
  } satisfies Partial<S3Api>;
}
