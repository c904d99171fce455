/**
 * Multipart uploads: CreateMultipartUpload, UploadPart, UploadPartCopy,
 * CompleteMultipartUpload, AbortMultipartUpload, ListParts, ListMultipartUploads.
 *
 * Each part streams to a blob file of its own (blob-store.ts), hashed on the way (MD5 for the
 * part's ETag, and the upload's checksum algorithm). Completing an upload copies nothing: the
 * object's body becomes the list of its parts' blobs (StoredObject.blobs), and the object
 * remembers its parts (StoredObject.parts) for GetObject?partNumber= and GetObjectAttributes.
 * Completion is O(parts): the multipart ETag is the MD5 of the parts' binary MD5s + `-N`, a
 * COMPOSITE checksum the checksum of the parts' binary checksums + `-N`, and a FULL_OBJECT CRC
 * is combined from the parts' CRCs (crcCombine below: GF(2) arithmetic, no re-reading).
 *
 * An upload created without a checksum algorithm gets S3's default, a FULL_OBJECT CRC64NVME
 * of the whole object, computed the same way (its parts do not report it).
 *
 * Complete checks the list of parts before any part (multipart-complete.ts); a Complete
 * repeated with the same parts is answered as the first was (the object remembers its
 * upload id), as S3 answers it; ListParts or Abort of a completed upload is NoSuchUpload.
 *
 * LIMITATIONS: UploadPartCopy always streams the source range through a new blob (no reflink
 * or blob sharing), which is correct but costs a copy. SSE-C keys are not checked between
 * CreateMultipartUpload and UploadPart (nothing is encrypted). Object lock settings are
 * stored, not enforced. No lifecycle AbortIncompleteMultipartUpload (AbortDate / AbortRuleId)
 * yet. Parts of an upload created without an algorithm do not report S3's default CRC64NVME in
 * ListParts. GetObject?partNumber= numbers the completed object's parts by position (1..N),
 * as objects.ts locate() does.
 */
import { randomToken } from '../../aws/ids.js';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createChecksum, type ChecksumAlgorithm } from '../../aws/checksums.js';
import type { CompleteMultipartUploadInput, S3Api } from './api.generated.js';
import { aclFromRequest } from './acl.js';
import { CHECKSUM_MEMBERS, checksumOutput, contentMd5, requestedAlgorithm, verifyUpload, type ChecksumMembers } from './checksums.js';
import { checkWriteConditions } from './conditions.js';
import { invalidArgument, invalidRequest, noSuchUpload, s3Error } from './errors.js';
import { checkKey } from './keys.js';
import { checkChecksumHeaders, entityTooLarge, systemHeaders } from './objects.js';
import { crcCombine } from './multipart-crc.js';
import { expirationOutput } from './lifecycle.js';
import { uploadTagsFromHeader } from './tagging.js';
import { completedBefore, listedParts, unquote } from './multipart-complete.js';
import { checkCopyConditions, parseCopyRange, parseCopySource } from './multipart-copy-source.js';
import { findUpload, multipartListingOperations, partChecksumOutput } from './multipart-listing.js';
import { blobRef, type WrittenBlob } from './blob-store.js';
import { record } from '../../state/store.js';
import type { S3Service } from './service.js';
import { commitVersion, getBucket, latestVersion, now, readableVersion, type Bucket, type StoredChecksum, type StoredObject, type StoredPart, type Upload } from './state.js';

/** Limits S3 documents for multipart uploads. */
export const MAX_PART_SIZE = 5 * 1024 ** 3;
export const MIN_PART_SIZE = 5 * 1024 ** 2;
export const MAX_PARTS = 10_000;
export const MAX_OBJECT_SIZE = 5 * 1024 ** 4;

const STORAGE_CLASSES = new Set(['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'OUTPOSTS', 'GLACIER_IR', 'SNOW', 'EXPRESS_ONEZONE']);
const CRC_ALGORITHMS = new Set<ChecksumAlgorithm>(['crc32', 'crc32c', 'crc64nvme']);

type UploadPartRecord = Upload['parts'][string];


function newUploadId(): string {
  return randomToken(48);
}

function partNumberError(n: unknown) {
  return invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', String(n));
}

/** The algorithm an upload's parts are hashed with: its own, or S3's default CRC64NVME. */
function partAlgorithm(upload: Upload): ChecksumAlgorithm {
  return upload.checksumAlgorithm ?? 'crc64nvme';
}

function sseOutput(upload: { object: { sse?: StoredObject['sse'] } }) {
  const sse = upload.object.sse ?? {};
  return {
    ...(sse.algorithm !== undefined ? { ServerSideEncryption: sse.algorithm } : {}),
    ...(sse.kmsKeyId !== undefined ? { SSEKMSKeyId: sse.kmsKeyId } : {}),
    ...(sse.bucketKeyEnabled !== undefined ? { BucketKeyEnabled: sse.bucketKeyEnabled } : {}),
    ...(sse.customerAlgorithm !== undefined ? { SSECustomerAlgorithm: sse.customerAlgorithm, SSECustomerKeyMD5: sse.customerKeyMd5 } : {}),
  };
}


export function multipartOperations(s3: S3Service) {
  const { blobs } = s3;

  /** The bucket is still there and the upload still in progress (after an await). */
  function stillOpen(bucket: Bucket, upload: Upload): boolean {
    return s3.state.buckets[bucket.name] === bucket && bucket.uploads[upload.uploadId] === upload;
  }

  /** Stores a part written to `written`, replacing one of the same number. */
  function storePart(bucket: Bucket, upload: Upload, partNumber: number, written: WrittenBlob): UploadPartRecord {
    if (!stillOpen(bucket, upload)) {
      blobs.remove([written]);
      throw noSuchUpload(upload.uploadId);
    }
    const part: UploadPartRecord = {
      partNumber,
      size: written.size,
      etag: `"${written.md5.toString('hex')}"`,
      checksum: written.checksums[partAlgorithm(upload)],
      blob: blobRef(written),
      lastModified: now(),
    };
    const previous = upload.parts[partNumber];
    upload.parts[partNumber] = part;
    s3.changed(bucket, 'uploads', upload.uploadId, 'parts', String(partNumber));
    if (previous) blobs.remove([previous.blob]);
    return part;
  }

  /** The answer of CompleteMultipartUpload for the version it made. */
  function completeOutput(bucket: Bucket, object: StoredObject) {
    return {
      Location: `http://${bucket.name}.s3.${s3.config.localstackHost}/${object.key.split('/').map(encodeURIComponent).join('/')}`,
      Bucket: bucket.name,
      Key: object.key,
      ETag: object.etag,
      ...checksumOutput(object.checksum),
      ...sseOutput({ object }),
      ...(bucket.versioning !== undefined ? { VersionId: object.versionId } : {}),
      ...expirationOutput(bucket, object),
    };
  }

  function checkPartNumber(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > MAX_PARTS) throw partNumberError(n);
  }

  /** Parts of a Complete request, checked against the upload: the parts the object consists of. */
  function completedParts(upload: Upload, input: CompleteMultipartUploadInput): UploadPartRecord[] {
    const listed = listedParts(input);
    const algorithm = upload.checksumAlgorithm;
    const out: UploadPartRecord[] = [];
    for (const entry of listed) {
      const n = entry.PartNumber;
      const part = upload.parts[n];
      const invalidPart = () =>
        s3Error('InvalidPart', "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.", {
          fields: { UploadId: upload.uploadId, PartNumber: n, ETag: unquote(entry.ETag) },
        });
      if (!part || unquote(part.etag) !== unquote(entry.ETag)) throw invalidPart();
      // checksums named in the request must be the part's
      for (const [a, member] of Object.entries(CHECKSUM_MEMBERS) as Array<[ChecksumAlgorithm, keyof typeof entry]>) {
        const claimed = entry[member] as string | undefined;
        if (claimed === undefined) continue;
        if (a !== partAlgorithm(upload)) throw invalidPart();
        if (claimed !== part.checksum) throw s3Error('BadDigest', `The ${a} you specified for part ${n} did not match what we received.`);
      }
      if (algorithm && upload.checksumType === 'COMPOSITE' && entry[CHECKSUM_MEMBERS[algorithm]] === undefined) {
        throw invalidRequest(`The upload was created using a ${algorithm} checksum. The complete request must include the checksum for each part. It was missing for part ${n} in the request.`);
      }
      out.push(part);
    }
    for (let i = 0; i < out.length - 1; i++) {
      const part = out[i]!;
      if (part.size < MIN_PART_SIZE) {
        throw s3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', {
          fields: { ProposedSize: part.size, MinSizeAllowed: MIN_PART_SIZE, PartNumber: part.partNumber, ETag: unquote(part.etag) },
        });
      }
    }
    return out;
  }

  /** The object's checksum, from its parts' (no bytes are read). */
  async function objectChecksum(upload: Upload, parts: readonly UploadPartRecord[]): Promise<StoredChecksum | undefined> {
    const algorithm = partAlgorithm(upload);
    const type = upload.checksumType ?? 'FULL_OBJECT';
    if (parts.some((p) => p.checksum === undefined)) return undefined;
    if (type === 'FULL_OBJECT') {
      return { algorithm, type, value: crcCombine(algorithm, parts.map((p) => ({ checksum: p.checksum!, size: p.size }))) };
    }
    const c = createChecksum(algorithm);
    for (const p of parts) c.update(Buffer.from(p.checksum!, 'base64'));
    return { algorithm, type, value: `${await c.digest()}-${parts.length}` };
  }

  return {
    CreateMultipartUpload(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      checkKey(input.Key);
      const named = input.ChecksumAlgorithm?.toLowerCase();
      const algorithm = named === undefined ? undefined : requestedAlgorithm(ctx, { ChecksumAlgorithm: named });
      let type = input.ChecksumType as Upload['checksumType'] | undefined;
      if (type !== undefined) {
        if (type !== 'COMPOSITE' && type !== 'FULL_OBJECT') throw invalidRequest('Value for x-amz-checksum-type header is invalid.');
        if (!algorithm) throw invalidRequest('The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.');
        if (type === 'FULL_OBJECT' && !CRC_ALGORITHMS.has(algorithm)) throw invalidRequest(`The FULL_OBJECT checksum type cannot be used with the ${algorithm} checksum algorithm.`);
        if (type === 'COMPOSITE' && algorithm === 'crc64nvme') throw invalidRequest('The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.');
      } else if (algorithm) {
        type = algorithm === 'crc64nvme' ? 'FULL_OBJECT' : 'COMPOSITE';
      }
      const storageClass = input.StorageClass ?? 'STANDARD';
      if (!STORAGE_CLASSES.has(storageClass)) throw s3Error('InvalidStorageClass', 'The storage class you specified is not valid', { fields: { StorageClassRequested: storageClass } });
      const lockRequested = input.ObjectLockMode !== undefined || input.ObjectLockRetainUntilDate !== undefined || input.ObjectLockLegalHoldStatus !== undefined;
      if (lockRequested && !bucket.objectLockEnabled) throw invalidRequest('Bucket is missing Object Lock Configuration');
      if ((input.ObjectLockMode === undefined) !== (input.ObjectLockRetainUntilDate === undefined)) {
        throw invalidArgument('x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied', 'x-amz-object-lock-mode', input.ObjectLockMode);
      }
      if (input.ObjectLockMode !== undefined && input.ObjectLockMode !== 'GOVERNANCE' && input.ObjectLockMode !== 'COMPLIANCE') {
        throw invalidArgument('Unknown wormMode directive.', 'x-amz-object-lock-mode', input.ObjectLockMode);
      }
      if (input.ObjectLockLegalHoldStatus !== undefined && input.ObjectLockLegalHoldStatus !== 'ON' && input.ObjectLockLegalHoldStatus !== 'OFF') {
        throw invalidArgument('Legal Hold must be either of ON or OFF', 'x-amz-object-lock-legal-hold', input.ObjectLockLegalHoldStatus);
      }
      const acl = aclFromRequest(ctx.accountId, input);
      const tags = uploadTagsFromHeader(input.Tagging);
      const lock = lockRequested
        ? {
            ...(input.ObjectLockMode !== undefined ? { mode: input.ObjectLockMode } : {}),
            ...(input.ObjectLockRetainUntilDate !== undefined ? { retainUntil: input.ObjectLockRetainUntilDate.toISOString() } : {}),
            ...(input.ObjectLockLegalHoldStatus !== undefined ? { legalHold: input.ObjectLockLegalHoldStatus } : {}),
          }
        : undefined;
      const upload: Upload = {
        uploadId: newUploadId(),
        key: input.Key,
        initiated: now(),
        owner: ctx.accountId,
        object: {
          key: input.Key,
          owner: ctx.accountId,
          system: systemHeaders(input, ctx.headers),
          metadata: input.Metadata ?? record(),
          storageClass,
          sse: {
            algorithm: input.SSECustomerAlgorithm !== undefined ? undefined : (input.ServerSideEncryption ?? 'AES256'),
            ...(input.SSEKMSKeyId !== undefined ? { kmsKeyId: input.SSEKMSKeyId } : {}),
            ...(input.BucketKeyEnabled !== undefined ? { bucketKeyEnabled: input.BucketKeyEnabled } : {}),
            ...(input.SSEKMSEncryptionContext !== undefined ? { kmsContext: input.SSEKMSEncryptionContext } : {}),
            ...(input.SSECustomerAlgorithm !== undefined ? { customerAlgorithm: input.SSECustomerAlgorithm, customerKeyMd5: input.SSECustomerKeyMD5 ?? '' } : {}),
          },
          ...(input.WebsiteRedirectLocation !== undefined ? { websiteRedirectLocation: input.WebsiteRedirectLocation } : {}),
          tags,
          ...(acl ? { acl } : {}),
          ...(lock ? { lock } : {}),
        },
        ...(algorithm ? { checksumAlgorithm: algorithm } : {}),
        ...(type ? { checksumType: type } : {}),
        parts: record(),
      };
      if (upload.object.sse!.algorithm === undefined) delete upload.object.sse!.algorithm;
      bucket.uploads[upload.uploadId] = upload;
      s3.changed(bucket, 'uploads', upload.uploadId);
      return {
        Bucket: bucket.name,
        Key: input.Key,
        UploadId: upload.uploadId,
        ...sseOutput(upload),
        ...(upload.object.sse?.kmsContext !== undefined ? { SSEKMSEncryptionContext: upload.object.sse.kmsContext } : {}),
        ...(algorithm ? { ChecksumAlgorithm: algorithm.toUpperCase(), ChecksumType: type } : {}),
      };
    },

    async UploadPart(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const upload = findUpload(bucket, input.Key, input.UploadId);
      checkPartNumber(input.PartNumber);
      const declared = Number(ctx.headers['x-amz-decoded-content-length'] ?? ctx.headers['content-length'] ?? NaN);
      if (declared > MAX_PART_SIZE) throw entityTooLarge(declared, MAX_PART_SIZE);
      const md5 = contentMd5(input.ContentMD5);
      checkChecksumHeaders(input);
      const claimed = requestedAlgorithm(ctx, input);
      // an upload created with an algorithm takes parts with that checksum only; one created
      // without takes any (SDKs send CRC32 by default) and keeps S3's default CRC64NVME
      if (upload.checksumAlgorithm && claimed !== upload.checksumAlgorithm) {
        throw invalidRequest(`Checksum Type mismatch occurred, expected checksum Type: ${upload.checksumAlgorithm}, actual checksum Type: ${claimed ?? 'null'}`);
      }
      const algorithms = [partAlgorithm(upload), ...(claimed ? [claimed] : [])];
      const body = input.Body instanceof Readable ? input.Body : Readable.from(input.Body ? [Buffer.from(input.Body as Uint8Array)] : []);
      const written = await blobs.write(body, {
        algorithms,
        limit: MAX_PART_SIZE,
        tooLarge: (n) => entityTooLarge(n, MAX_PART_SIZE),
        expectedSize: Number.isFinite(declared) ? declared : undefined,
      });
      try {
        verifyUpload(input, md5, written);
      } catch (error) {
        blobs.remove([written]);
        throw error;
      }
      const part = storePart(bucket, upload, input.PartNumber, written);
      const sums: Record<string, string> = partChecksumOutput(upload, part);
      if (claimed && !upload.checksumAlgorithm) sums[CHECKSUM_MEMBERS[claimed]] = written.checksums[claimed]!;
      return { ETag: part.etag, ...sums, ...sseOutput(upload) };
    },

    async UploadPartCopy(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const upload = findUpload(bucket, input.Key, input.UploadId);
      checkPartNumber(input.PartNumber);
      const from = parseCopySource(input.CopySource);
      const sourceBucket = getBucket(s3.state, ctx, from.bucket, input.ExpectedSourceBucketOwner);
      const source = readableVersion(sourceBucket, from.key, from.versionId);
      checkCopyConditions(source, input);
      const range = parseCopyRange(input.CopySourceRange, source.size);
      const start = range?.start ?? 0;
      const end = range?.end ?? source.size - 1;
      const length = end - start + 1;
      if (length > MAX_PART_SIZE) {
        throw range
          ? entityTooLarge(length, MAX_PART_SIZE)
          : invalidRequest(`The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_PART_SIZE}`);
      }
      const body = length <= 0 ? Readable.from([]) : blobs.read(source.blobs, start, end);
      const written = await blobs.write(Buffer.isBuffer(body) ? Readable.from([body]) : body, {
        algorithms: [partAlgorithm(upload)],
        limit: MAX_PART_SIZE,
        tooLarge: (n) => entityTooLarge(n, MAX_PART_SIZE),
        expectedSize: Math.max(0, length),
      });
      const part = storePart(bucket, upload, input.PartNumber, written);
      return {
        CopyPartResult: { ETag: part.etag, LastModified: new Date(part.lastModified), ...partChecksumOutput(upload, part) },
        ...(sourceBucket.versioning !== undefined ? { CopySourceVersionId: source.versionId } : {}),
        ...sseOutput(upload),
      };
    },

    async CompleteMultipartUpload(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      if (!bucket.uploads[input.UploadId]) {
        const done = completedBefore(bucket, input);
        if (done) return completeOutput(bucket, done);
      }
      const upload = findUpload(bucket, input.Key, input.UploadId);
      const parts = completedParts(upload, input);
      const size = parts.reduce((n, p) => n + p.size, 0);
      if (size > MAX_OBJECT_SIZE) throw entityTooLarge(size, MAX_OBJECT_SIZE);
      if (input.MpuObjectSize !== undefined && input.MpuObjectSize !== size) {
        throw invalidRequest(`The provided 'x-amz-mp-object-size' header value ${input.MpuObjectSize} does not match what was computed: ${size}`);
      }
      if (input.ChecksumType !== undefined && input.ChecksumType !== (upload.checksumType ?? 'FULL_OBJECT')) {
        throw invalidRequest(`The upload was created using the ${upload.checksumType ?? 'FULL_OBJECT'} checksum mode. The complete request must use the same checksum mode.`);
      }
      checkWriteConditions(latestVersion(bucket, input.Key), input, input.Key);
      const md5s = Buffer.concat(parts.map((p) => Buffer.from(unquote(p.etag), 'hex')));
      const etag = `"${createHash('md5').update(md5s).digest('hex')}-${parts.length}"`;
      const checksum = await objectChecksum(upload, parts);
      // a checksum of the whole object the client claims must be the object's
      for (const [a, member] of Object.entries(CHECKSUM_MEMBERS) as Array<[ChecksumAlgorithm, keyof ChecksumMembers]>) {
        const claimed = (input as ChecksumMembers)[member];
        if (claimed === undefined) continue;
        if (!checksum || checksum.algorithm !== a || claimed !== checksum.value) {
          // named by the upload's algorithm, in lower case, whichever the request gave (as recorded from AWS)
          throw s3Error('BadDigest', `The ${checksum?.algorithm ?? a} you specified did not match the calculated checksum.`);
        }
      }
      // the upload may have been completed or aborted, the bucket deleted, or the key written meanwhile
      if (!stillOpen(bucket, upload)) throw noSuchUpload(upload.uploadId);
      checkWriteConditions(latestVersion(bucket, input.Key), input, input.Key);
      const object: StoredObject = {
        ...upload.object,
        versionId: 'null',
        lastModified: now(),
        size,
        etag,
        blobs: parts.map((p) => p.blob),
        parts: parts.map((p): StoredPart => ({ partNumber: p.partNumber, size: p.size, etag: p.etag, ...(p.checksum !== undefined ? { checksum: p.checksum } : {}) })),
        ...(checksum ? { checksum } : {}),
        uploadId: upload.uploadId,
      };
      const used = new Set(parts.map((p) => p.blob.id));
      delete bucket.uploads[upload.uploadId];
      s3.changed(bucket, 'uploads', upload.uploadId);
      blobs.remove(Object.values(upload.parts).flatMap((p) => (used.has(p.blob.id) ? [] : [p.blob])));
      const replaced = commitVersion(s3, bucket, object);
      blobs.remove(replaced.flatMap((v) => v.blobs));
      s3.notify({ name: 'ObjectCreated:CompleteMultipartUpload', bucket, object, requestId: ctx.requestId, accountId: ctx.accountId, region: ctx.region });
      return completeOutput(bucket, object);
    },

    AbortMultipartUpload(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const upload = findUpload(bucket, input.Key, input.UploadId);
      delete bucket.uploads[upload.uploadId];
      s3.changed(bucket, 'uploads', upload.uploadId);
      blobs.remove(Object.values(upload.parts).map((p) => p.blob));
      return {};
    },

    ...multipartListingOperations(s3),
  } satisfies Partial<S3Api>;
}
