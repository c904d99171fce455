/**
 * The listings of multipart uploads: ListParts and ListMultipartUploads (multipart.ts has
 * the rest). As S3 answers them: NextPartNumberMarker always (0 before any part), the
 * Initiator with its DisplayName and the Owner without one (as recorded from AWS since S3
 * stopped returning owners' display names), NextKeyMarker / NextUploadIdMarker naming the
 * last upload (or common prefix) listed, truncated or not, and empty when nothing is.
 */
import type { S3Api } from './api.generated.js';
import { CHECKSUM_MEMBERS } from './checksums.js';
import { invalidArgument, noSuchUpload } from './errors.js';
import { compareKeys } from './keys.js';
import type { S3Service } from './service.js';
import { canonicalId, getBucket, type Bucket, type Upload } from './state.js';

/** S3's `?encoding-type=url` encoding of a key or prefix. */
function urlEncode(value: string): string {
  return encodeURIComponent(value).replace(/%2F/g, '/');
}

/** The upload an UploadId names, for that key: NoSuchUpload otherwise. */
export function findUpload(bucket: Bucket, key: string, uploadId: string): Upload {
  const upload = bucket.uploads[uploadId];
  if (!upload || upload.key !== key) throw noSuchUpload(uploadId);
  return upload;
}

/** The checksum output members of a part, when the upload names an algorithm. */
export function partChecksumOutput(upload: Upload, part: { checksum?: string }): Record<string, string> {
  if (!upload.checksumAlgorithm || part.checksum === undefined) return {};
  return { [CHECKSUM_MEMBERS[upload.checksumAlgorithm]]: part.checksum };
}

/** The Initiator of an upload: S3 still names it (the Owner it no longer does). */
function initiator(id: string) {
  return { ID: id, DisplayName: 'webfile' };
}

export function multipartListingOperations(s3: S3Service) {
  return {
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
      const id = canonicalId(upload.owner);
      return {
        Bucket: bucket.name,
        Key: upload.key,
        UploadId: upload.uploadId,
        PartNumberMarker: marker,
        NextPartNumberMarker: page.length > 0 ? page[page.length - 1]!.partNumber : 0,
        MaxParts: max,
        IsTruncated: truncated,
        Parts: page.map((p) => ({ PartNumber: p.partNumber, LastModified: new Date(p.lastModified), ETag: p.etag, Size: p.size, ...partChecksumOutput(upload, p) })),
        Initiator: initiator(id),
        Owner: { ID: id },
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
      let last: { key: string; uploadId?: string } | undefined;
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
        if (common !== undefined) {
          prefixes.push(common);
          last = { key: common };
        } else {
          uploads.push(u);
          last = { key: u.key, uploadId: u.uploadId };
        }
      }

      return {
        Bucket: bucket.name,
        KeyMarker: enc(keyMarker ?? ''),
        UploadIdMarker: uploadIdMarker ?? '',
        NextKeyMarker: last ? enc(last.key) : '',
        NextUploadIdMarker: last?.uploadId ?? '',
        ...(input.Prefix !== undefined ? { Prefix: enc(input.Prefix) } : {}),
        ...(delimiter !== undefined ? { Delimiter: enc(delimiter) } : {}),
        MaxUploads: max,
        IsTruncated: truncated,
        Uploads: uploads.map((u) => ({
          UploadId: u.uploadId,
          Key: enc(u.key),
          Initiated: new Date(u.initiated),
          StorageClass: u.object.storageClass,
          Owner: { ID: canonicalId(u.owner) },
          Initiator: initiator(canonicalId(u.owner)),
          ...(u.checksumAlgorithm ? { ChecksumAlgorithm: u.checksumAlgorithm.toUpperCase() } : {}),
        })),
        CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })),
        ...(input.EncodingType !== undefined ? { EncodingType: input.EncodingType } : {}),
      };
    },
  } satisfies Partial<S3Api>;
}
