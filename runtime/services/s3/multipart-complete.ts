/**
 * What CompleteMultipartUpload checks before it looks at a part: the list of parts as S3
 * checks it, and whether the request repeats a Complete already done (multipart.ts does the
 * rest).
 */
import type { CompleteMultipartUploadInput } from './api.generated.js';
import { invalidRequest, malformedXml, s3Error } from './errors.js';
import type { Bucket, StoredObject } from './state.js';

/** An ETag without its quotes. */
export const unquote = (etag: string) => etag.trim().replace(/^"(.*)"$/, '$1');

type ListedPart = NonNullable<NonNullable<CompleteMultipartUploadInput['MultipartUpload']>['Parts']>[number] & { PartNumber: number; ETag: string };

/**
 * The parts a Complete request lists, checked as a list first (as S3 does, before it looks
 * at any part): at least one, each with a number and an ETag, numbers strictly ascending
 * (gaps are fine, a repeated number is out of order).
 */
export function listedParts(input: CompleteMultipartUploadInput): ListedPart[] {
  const listed = input.MultipartUpload?.Parts ?? [];
  if (listed.length === 0) throw invalidRequest('You must specify at least one part');
  let previous = 0;
  for (const entry of listed) {
    if (entry.PartNumber === undefined || entry.ETag === undefined) throw malformedXml();
    if (entry.PartNumber <= previous) {
      throw s3Error('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', { fields: { UploadId: input.UploadId } });
    }
    previous = entry.PartNumber;
  }
  return listed as ListedPart[];
}

/**
 * The version a repeated CompleteMultipartUpload names: S3 answers a Complete of an upload it
 * already completed, with the same parts, as it answered the first (200, the same document).
 */
export function completedBefore(bucket: Bucket, input: CompleteMultipartUploadInput): StoredObject | undefined {
  const object = bucket.objects[input.Key]?.find((v) => v.uploadId === input.UploadId && !v.deleteMarker);
  if (!object?.parts) return undefined;
  let listed: ListedPart[];
  try {
    listed = listedParts(input);
  } catch {
    return undefined;
  }
  const same = listed.length === object.parts.length && listed.every((p, i) => p.PartNumber === object.parts![i]!.partNumber && unquote(p.ETag) === unquote(object.parts![i]!.etag));
  return same ? object : undefined;
}
