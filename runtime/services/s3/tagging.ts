/**
 * Object tags: the x-amz-tagging header of PutObject / CopyObject (URL query form,
 * `k1=v1&k2=v2`), the tag-set rules S3 checks (InvalidTag, at most 10 per object, 50 per
 * bucket: bucket-config.ts uses them too), and
 * PutObjectTagging / GetObjectTagging / DeleteObjectTagging on a version or the latest.
 */
import { findTagViolation } from '../../aws/tags.js';
import type { OperationContext } from '../provider.js';
import type { S3Api } from './api.generated.js';
import { malformedXml, s3Error } from './errors.js';
import type { S3Service } from './service.js';
import { getBucket, latestVersion, readableVersion, type Bucket, type StoredObject, type Tag } from './state.js';

export const MAX_OBJECT_TAGS = 10;

/** What differs between the tags of an object and of a bucket: the limit and two messages. */
const TAG_RULES = {
  object: { max: MAX_OBJECT_TAGS, tooMany: () => s3Error('BadRequest', `Object tags cannot be greater than ${MAX_OBJECT_TAGS}`), system: 'Your TagKey cannot be prefixed with aws:' },
  bucket: { max: 50, tooMany: () => s3Error('InvalidTag', 'Bucket tag count cannot be greater than 50'), system: 'System tags cannot be added/updated by requester' },
} as const;

/** Checks a tag set of an object or a bucket as S3 does, returning it; InvalidTag or BadRequest otherwise. */
export function validateTags(tags: Tag[], of: keyof typeof TAG_RULES = 'object'): Tag[] {
  const rules = TAG_RULES[of];
  if (tags.length <= rules.max && tags.some((t) => typeof t.Key !== 'string' || typeof t.Value !== 'string')) throw malformedXml();
  const violation = findTagViolation(tags, { max: rules.max });
  switch (violation?.rule) {
    case undefined:
      return tags;
    case 'too-many':
      throw rules.tooMany();
    case 'duplicate-key':
      throw s3Error('InvalidTag', 'Cannot provide multiple Tags with the same key', { fields: { TagKey: violation.key } });
    case 'reserved-prefix':
      throw s3Error('InvalidTag', rules.system, { fields: { TagKey: violation.key } });
    case 'key':
      throw s3Error('InvalidTag', 'The TagKey you have provided is invalid', { fields: { TagKey: violation.key } });
    case 'value':
      throw s3Error('InvalidTag', 'The TagValue you have provided is invalid', { fields: { TagKey: violation.key, TagValue: violation.value } });
  }
}

/** The tags of an x-amz-tagging header (`k1=v1&k2=v2`, URL-encoded). */
export function tagsFromHeader(header: string | undefined): Tag[] {
  if (header === undefined || header === '') return [];
  const tags: Tag[] = [];
  for (const part of header.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        throw s3Error('InvalidArgument', 'The header x-amz-tagging shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.', { fields: { ArgumentName: 'x-amz-tagging', ArgumentValue: header } });
      }
    };
    tags.push(eq === -1 ? { Key: decode(part), Value: '' } : { Key: decode(part.slice(0, eq)), Value: decode(part.slice(eq + 1)) });
  }
  return validateTags(tags);
}

/** The x-amz-tagging header of CreateMultipartUpload as tags (URL query form), checked as S3 checks them there. */
export function uploadTagsFromHeader(header: string | undefined): Tag[] {
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

/**
 * The version a tagging/ACL/lock request on an object addresses. A delete marker has no
 * subresources: naming one by version id is MethodNotAllowed (405) with the request's method,
 * as is a write (PUT, DELETE) when the latest version is one; a read of the latest then is
 * NoSuchKey (GetObjectAcl), except where S3 answers 405 to it too (GetObjectTagging:
 * `latestMarker: 'not-allowed'`). As the answers recorded from AWS show.
 */
export function addressedVersion(
  bucket: Bucket,
  key: string,
  versionId: string | undefined,
  method: 'GET' | 'PUT' | 'DELETE' = 'GET',
  latestMarker: 'missing' | 'not-allowed' = method === 'GET' ? 'missing' : 'not-allowed',
): StoredObject {
  const target = versionId !== undefined ? bucket.objects[key]?.find((v) => v.versionId === versionId) : latestVersion(bucket, key);
  if (target?.deleteMarker && (versionId !== undefined || latestMarker === 'not-allowed')) throw deleteMarkerNotAllowed(method, target);
  return readableVersion(bucket, key, versionId);
}

/** S3's 405 for a request on a delete marker: Method and ResourceType, and the marker's headers. */
export function deleteMarkerNotAllowed(method: string, marker: StoredObject) {
  return s3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', {
    fields: { Method: method, ResourceType: 'DeleteMarker' },
    headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': marker.versionId, allow: 'DELETE' },
  });
}

function versionOutput(bucket: Bucket, object: StoredObject): { VersionId?: string } {
  return bucket.versioning !== undefined ? { VersionId: object.versionId } : {};
}

export function taggingOperations(s3: S3Service) {
  const announce = (name: string, ctx: OperationContext, bucket: Bucket, object: StoredObject) =>
    s3.notify({ name, bucket, object, requestId: ctx.requestId, accountId: ctx.accountId, region: ctx.region });

  return {
    PutObjectTagging(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const object = addressedVersion(bucket, input.Key, input.VersionId, 'PUT');
      const tagSet = input.Tagging?.TagSet;
      if (!Array.isArray(tagSet)) throw malformedXml();
      object.tags = validateTags(tagSet.map((t) => ({ Key: t.Key, Value: t.Value ?? '' })));
      s3.changed(bucket, 'objects', object.key);
      announce('ObjectTagging:Put', ctx, bucket, object);
      return versionOutput(bucket, object);
    },

    GetObjectTagging(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const object = addressedVersion(bucket, input.Key, input.VersionId, 'GET', 'not-allowed');
      return { ...versionOutput(bucket, object), TagSet: object.tags.map((t) => ({ Key: t.Key, Value: t.Value })) };
    },

    DeleteObjectTagging(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const object = addressedVersion(bucket, input.Key, input.VersionId, 'DELETE');
      object.tags = [];
      s3.changed(bucket, 'objects', object.key);
      announce('ObjectTagging:Delete', ctx, bucket, object);
      return versionOutput(bucket, object);
    },
  } satisfies Partial<S3Api>;
}
