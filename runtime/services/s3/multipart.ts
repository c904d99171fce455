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
import { checkWriteConditions, etagMatches } from './conditions.js';
import { invalidArgument, invalidRequest, malformedXml, noSuchUpload, preconditionFailed, s3Error } from './errors.js';
import { checkKey, compareKeys } from './keys.js';
import { entityTooLarge, systemHeaders } from './objects.js';
import { blobRef, type WrittenBlob } from './blob-store.js';
import { record } from '../../state/store.js';
import type { S3Service } from './service.js';
import { canonicalId, commitVersion, getBucket, latestVersion, now, readableVersion, type Bucket, type StoredChecksum, type StoredObject, type StoredPart, type Tag, type Upload } from './state.js';

/** Limits S3 documents for multipart uploads. */
export const MAX_PART_SIZE = 5 * 1024 ** 3;
export const MIN_PART_SIZE = 5 * 1024 ** 2;
export const MAX_PARTS = 10_000;
export const MAX_OBJECT_SIZE = 5 * 1024 ** 4;

const STORAGE_CLASSES = new Set(['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'OUTPOSTS', 'GLACIER_IR', 'SNOW', 'EXPRESS_ONEZONE']);
const CRC_ALGORITHMS = new Set<ChecksumAlgorithm>(['crc32', 'crc32c', 'crc64nvme']);

// ---------------------------------------------------------------------------------------
// CRC combination: crc(A ‖ B) from crc(A), crc(B) and |B|, for the reflected CRCs S3 uses
// (initial value and final xor all ones). Polynomials are reflected; x^0 is the top bit.
// ---------------------------------------------------------------------------------------

const CRC_POLYNOMIALS: Partial<Record<ChecksumAlgorithm, { poly: bigint; width: number }>> = {
  crc32: { poly: 0xedb88320n, width: 32 },
  crc32c: { poly: 0x82f63b78n, width: 32 },
  crc64nvme: { poly: 0x9a6c9329ac4bc9b5n, width: 64 },
};

/** a(x)·b(x) mod p(x). */
function multModP(a: bigint, b: bigint, poly: bigint, width: number): bigint {
  let m = 1n << BigInt(width - 1);
  let p = 0n;
  while (m !== 0n && a !== 0n) {
    if (a & m) {
      p ^= b;
      a ^= m;
    }
    m >>= 1n;
    b = b & 1n ? (b >> 1n) ^ poly : b >> 1n;
  }
  return p;
}

/** x^(8·bytes) mod p(x): the operator that shifts a CRC over `bytes` zero bytes. */
function shiftOperator(bytes: number, poly: bigint, width: number): bigint {
  let p = 1n << BigInt(width - 1);
  let square = 1n << BigInt(width - 9); // x^8
  for (let n = BigInt(bytes); n > 0n; n >>= 1n) {
    if (n & 1n) p = multModP(square, p, poly, width);
    square = multModP(square, square, poly, width);
  }
  return p;
}

/** The CRC of the concatenation of pieces, from each piece's base64 CRC and size. */
export function crcCombine(algorithm: ChecksumAlgorithm, pieces: ReadonlyArray<{ checksum: string; size: number }>): string {
  const { poly, width } = CRC_POLYNOMIALS[algorithm]!;
  let crc: bigint | undefined;
  for (const piece of pieces) {
    const value = BigInt(`0x${Buffer.from(piece.checksum, 'base64').toString('hex') || '0'}`);
    crc = crc === undefined ? value : multModP(shiftOperator(piece.size, poly, width), crc, poly, width) ^ value;
  }
  return Buffer.from((crc ?? 0n).toString(16).padStart(width / 4, '0'), 'hex').toString('base64');
}

// ---------------------------------------------------------------------------------------

type UploadPartRecord = Upload['parts'][string];

const unquote = (etag: string) => etag.trim().replace(/^"(.*)"$/, '$1');

function newUploadId(): string {
  return randomToken(48);
}

/** The x-amz-tagging header of CreateMultipartUpload as tags (URL query form). */
function parseTagging(header: string | undefined): Tag[] {
  if (header === undefined || header === '') return [];
  const tags: Tag[] = [];
  const seen = new Set<string>();
  for (const [Key, Value] of new URLSearchParams(header)) {
    if (seen.has(Key)) throw s3Error('InvalidTag', 'Cannot provide multiple Tags with the same key', { fields: { TagKey: Key } });
    if (Key.length === 0 || Key.length > 128) throw s3Error('InvalidTag', 'The TagKey you have provided is invalid', { fields: { TagKey: Key } });
    if (Value.length > 256) throw s3Error('InvalidTag', 'The TagValue you have provided is invalid', { fields: { TagKey: Key, TagValue: Value } });
    seen.add(Key);
    tags.push({ Key, Value });
  }
  if (tags.length > 10) throw s3Error('InvalidTag', 'Object tags cannot be greater than 10');
  return tags;
}

function partNumberError(n: unknown) {
  return invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', String(n));
}

/** The upload an UploadId names, for that key: NoSuchUpload otherwise. */
function findUpload(bucket: Bucket, key: string, uploadId: string): Upload {
  const upload = bucket.uploads[uploadId];
  if (!upload || upload.key !== key) throw noSuchUpload(uploadId);
  return upload;
}

/** The algorithm an upload's parts are hashed with: its own, or S3's default CRC64NVME. */
function partAlgorithm(upload: Upload): ChecksumAlgorithm {
  return upload.checksumAlgorithm ?? 'crc64nvme';
}

/** The checksum output members of a part, when the upload names an algorithm. */
function partChecksumOutput(upload: Upload, part: { checksum?: string }): Record<string, string> {
  if (!upload.checksumAlgorithm || part.checksum === undefined) return {};
  return { [CHECKSUM_MEMBERS[upload.checksumAlgorithm]]: part.checksum };
}

function sseOutput(upload: Upload) {
  const sse = upload.object.sse ?? {};
  return {
    ...(sse.algorithm !== undefined ? { ServerSideEncryption: sse.algorithm } : {}),
    ...(sse.kmsKeyId !== undefined ? { SSEKMSKeyId: sse.kmsKeyId } : {}),
    ...(sse.bucketKeyEnabled !== undefined ? { BucketKeyEnabled: sse.bucketKeyEnabled } : {}),
    ...(sse.customerAlgorithm !== undefined ? { SSECustomerAlgorithm: sse.customerAlgorithm, SSECustomerKeyMD5: sse.customerKeyMd5 } : {}),
  };
}

/** `bucket/key[?versionId=...]` of x-amz-copy-source, URL-decoded. */
function parseCopySource(source: string): { bucket: string; key: string; versionId?: string } {
  let path = source;
  let versionId: string | undefined;
  const q = source.indexOf('?');
  if (q !== -1) {
    path = source.slice(0, q);
    const params = new URLSearchParams(source.slice(q + 1));
    versionId = params.get('versionId') ?? undefined;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    decoded = '';
  }
  if (decoded.startsWith('/')) decoded = decoded.slice(1);
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) {
    throw invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 'x-amz-copy-source', source);
  }
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), ...(versionId !== undefined ? { versionId } : {}) };
}

/** x-amz-copy-source-range `bytes=first-last` against a source of `size` bytes. */
function parseCopyRange(range: string | undefined, size: number): { start: number; end: number } | undefined {
  if (range === undefined) return undefined;
  const m = /^bytes=(\d+)-(\d+)$/.exec(range.trim());
  if (!m) {
    throw invalidArgument('The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy', 'x-amz-copy-source-range', range);
  }
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start > end || end >= size) throw invalidArgument(`Range specified is not valid for source object of size: ${size}`, 'x-amz-copy-source-range', range);
  return { start, end };
}

/** The x-amz-copy-source-if-* conditions: every failure is 412, as S3 answers copies. */
function checkCopyConditions(source: StoredObject, c: { CopySourceIfMatch?: string; CopySourceIfNoneMatch?: string; CopySourceIfModifiedSince?: Date; CopySourceIfUnmodifiedSince?: Date }): void {
  const modified = Math.floor(new Date(source.lastModified).getTime() / 1000);
  const secs = (d: Date) => Math.floor(d.getTime() / 1000);
  if (c.CopySourceIfMatch !== undefined) {
    if (!etagMatches(c.CopySourceIfMatch, source.etag)) throw preconditionFailed('x-amz-copy-source-If-Match');
  } else if (c.CopySourceIfUnmodifiedSince !== undefined && modified > secs(c.CopySourceIfUnmodifiedSince)) {
    throw preconditionFailed('x-amz-copy-source-If-Unmodified-Since');
  }
  if (c.CopySourceIfNoneMatch !== undefined) {
    if (etagMatches(c.CopySourceIfNoneMatch, source.etag)) throw preconditionFailed('x-amz-copy-source-If-None-Match');
  } else if (c.CopySourceIfModifiedSince !== undefined && modified <= secs(c.CopySourceIfModifiedSince)) {
    throw preconditionFailed('x-amz-copy-source-If-Modified-Since');
  }
}

/** S3's `?encoding-type=url` encoding of a key or prefix. */
function urlEncode(value: string): string {
  return encodeURIComponent(value).replace(/%2F/g, '/');
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

  function checkPartNumber(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > MAX_PARTS) throw partNumberError(n);
  }

  /** Parts of a Complete request, checked against the upload: the parts the object consists of. */
  function completedParts(upload: Upload, input: CompleteMultipartUploadInput): UploadPartRecord[] {
    const listed = input.MultipartUpload?.Parts;
    if (!listed || listed.length === 0) throw malformedXml();
    const algorithm = upload.checksumAlgorithm;
    const out: UploadPartRecord[] = [];
    let previous = 0;
    for (const entry of listed) {
      const n = entry.PartNumber;
      if (n === undefined || entry.ETag === undefined) throw malformedXml();
      if (n <= previous) {
        throw s3Error('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', { fields: { UploadId: upload.uploadId } });
      }
      previous = n;
      const part = upload.parts[n];
      const invalidPart = () =>
        s3Error('InvalidPart', "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.", {
          fields: { UploadId: upload.uploadId, PartNumber: n, ETag: entry.ETag ?? '' },
        });
      if (!part || unquote(part.etag) !== unquote(entry.ETag)) throw invalidPart();
      // checksums named in the request must be the part's
      for (const [a, member] of Object.entries(CHECKSUM_MEMBERS) as Array<[ChecksumAlgorithm, keyof typeof entry]>) {
        const claimed = entry[member] as string | undefined;
        if (claimed === undefined) continue;
        if (a !== partAlgorithm(upload) || claimed !== part.checksum) throw invalidPart();
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
      const tags = parseTagging(input.Tagging);
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
          throw s3Error('BadDigest', `The ${a.toUpperCase()} you specified did not match the calculated checksum.`);
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
      };
      const used = new Set(parts.map((p) => p.blob.id));
      delete bucket.uploads[upload.uploadId];
      s3.changed(bucket, 'uploads', upload.uploadId);
      blobs.remove(Object.values(upload.parts).flatMap((p) => (used.has(p.blob.id) ? [] : [p.blob])));
      const replaced = commitVersion(s3, bucket, object);
      blobs.remove(replaced.flatMap((v) => v.blobs));
      s3.notify({ name: 'ObjectCreated:CompleteMultipartUpload', bucket, object, requestId: ctx.requestId, accountId: ctx.accountId, region: ctx.region });
      const location = `http://${bucket.name}.s3.${s3.config.localstackHost}/${input.Key.split('/').map(encodeURIComponent).join('/')}`;
      return {
        Location: location,
        Bucket: bucket.name,
        Key: input.Key,
        ETag: etag,
        ...checksumOutput(checksum),
        ...sseOutput(upload),
        ...(bucket.versioning !== undefined ? { VersionId: object.versionId } : {}),
      };
    },

    AbortMultipartUpload(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const upload = findUpload(bucket, input.Key, input.UploadId);
      delete bucket.uploads[upload.uploadId];
      s3.changed(bucket, 'uploads', upload.uploadId);
      blobs.remove(Object.values(upload.parts).map((p) => p.blob));
      return {};
    },

    ListParts(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const upload = findUpload(bucket, input.Key, input.UploadId);
      const max = input.MaxParts ?? 1000;
      if (!Number.isInteger(max) || max < 0) throw invalidArgument('Argument max-parts must be an integer between 0 and 2147483647', 'max-parts', String(input.MaxParts));
      const marker = input.PartNumberMarker ?? 0;
      if (!Number.isInteger(marker) || marker < 0) throw invalidArgument('Argument part-number-marker must be an integer between 0 and 2147483647', 'part-number-marker', String(input.PartNumberMarker));
      const all = Object.values(upload.parts)
        .filter((p) => p.partNumber > marker)
        .sort((a, b) => a.partNumber - b.partNumber);
      const page = all.slice(0, Math.min(max, 1000));
      const truncated = all.length > page.length;
      const owner = { ID: canonicalId(upload.owner), DisplayName: 'webfile' };
      return {
        Bucket: bucket.name,
        Key: upload.key,
        UploadId: upload.uploadId,
        PartNumberMarker: marker,
        ...(page.length > 0 ? { NextPartNumberMarker: page[page.length - 1]!.partNumber } : {}),
        MaxParts: max,
        IsTruncated: truncated,
        Parts: page.map((p) => ({ PartNumber: p.partNumber, LastModified: new Date(p.lastModified), ETag: p.etag, Size: p.size, ...partChecksumOutput(upload, p) })),
        Initiator: owner,
        Owner: owner,
        StorageClass: upload.object.storageClass,
        ...(upload.checksumAlgorithm ? { ChecksumAlgorithm: upload.checksumAlgorithm.toUpperCase(), ChecksumType: upload.checksumType } : {}),
      };
    },

    ListMultipartUploads(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const max = input.MaxUploads ?? 1000;
      if (!Number.isInteger(max) || max < 0) throw invalidArgument('Argument max-uploads must be an integer between 0 and 2147483647', 'max-uploads', String(input.MaxUploads));
      if (input.EncodingType !== undefined && input.EncodingType !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', input.EncodingType);
      const prefix = input.Prefix ?? '';
      const delimiter = input.Delimiter || undefined;
      const keyMarker = input.KeyMarker || undefined;
      const uploadIdMarker = keyMarker !== undefined ? input.UploadIdMarker || undefined : undefined;
      const sorted = Object.values(bucket.uploads)
        .filter((u) => u.key.startsWith(prefix))
        .sort((a, b) => compareKeys(a.key, b.key) || (a.initiated < b.initiated ? -1 : a.initiated > b.initiated ? 1 : 0));
      // after the key marker; with an upload id marker, after that upload of the marker's key
      let from = 0;
      if (keyMarker !== undefined) {
        const at = uploadIdMarker === undefined ? -1 : sorted.findIndex((u) => u.key === keyMarker && u.uploadId === uploadIdMarker);
        from = at !== -1 ? at + 1 : sorted.findIndex((u) => compareKeys(u.key, keyMarker) > 0);
        if (from === -1) from = sorted.length;
      }
      // a marker that is a common prefix (a previous page's NextKeyMarker) skips that prefix
      const skipPrefix = delimiter !== undefined && keyMarker?.endsWith(delimiter) ? keyMarker : undefined;
      const enc = input.EncodingType === 'url' ? urlEncode : (s: string) => s;
      const uploads: Upload[] = [];
      const prefixes: string[] = [];
      let truncated = false;
      for (let i = from; i < sorted.length; i++) {
        const u = sorted[i]!;
        if (skipPrefix !== undefined && u.key.startsWith(skipPrefix)) continue;
        let common: string | undefined;
        if (delimiter !== undefined) {
          const at = u.key.indexOf(delimiter, prefix.length);
          if (at !== -1) common = u.key.slice(0, at + delimiter.length);
        }
        if (common !== undefined && prefixes[prefixes.length - 1] === common) continue;
        if (uploads.length + prefixes.length >= max) {
          truncated = true;
          break;
        }
        if (common !== undefined) prefixes.push(common);
        else uploads.push(u);
      }
      const owner = (id: string) => ({ ID: canonicalId(id), DisplayName: 'webfile' });
      return {
        Bucket: bucket.name,
        KeyMarker: enc(keyMarker ?? ''),
        UploadIdMarker: uploadIdMarker ?? '',
        // always there, as S3 answers: the last upload shown (common prefixes do not count), else empty
        NextKeyMarker: enc(uploads[uploads.length - 1]?.key ?? ''),
        NextUploadIdMarker: uploads[uploads.length - 1]?.uploadId ?? '',
        ...(input.Prefix !== undefined ? { Prefix: enc(input.Prefix) } : {}),
        ...(delimiter !== undefined ? { Delimiter: enc(delimiter) } : {}),
        MaxUploads: max,
        IsTruncated: truncated,
        Uploads: uploads.map((u) => ({
          UploadId: u.uploadId,
          Key: enc(u.key),
          Initiated: new Date(u.initiated),
          StorageClass: u.object.storageClass,
          Owner: owner(u.owner),
          Initiator: owner(u.owner),
          ...(u.checksumAlgorithm ? { ChecksumAlgorithm: u.checksumAlgorithm.toUpperCase() } : {}),
        })),
        CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })),
        ...(input.EncodingType !== undefined ? { EncodingType: input.EncodingType } : {}),
      };
    },
  } satisfies Partial<S3Api>;
}
