/**
 * Deleting objects: one key (DeleteObject, objects.ts) or up to 1,000 at once
 * (DeleteObjects), both through deleteKey(). Without a version id, an unversioned bucket
 * loses the key and a versioned one gets a delete marker; with one, that version goes,
 * unless Object Lock protects it (object-lock.ts), which DeleteObjects reports per key.
 *
 * LIMITATIONS: the Content-MD5 / checksum of a DeleteObjects body is required as S3 does,
 * but its value is not verified against the body (the gateway parses the body before the
 * handler sees it). MFA delete is not enforced.
 */
import type { ServiceError } from '../../aws/errors.js';
import type { OperationContext } from '../provider.js';
import type { DeleteObjectsOutput, S3Api } from './api.generated.js';
import { malformedXml, s3Error } from './errors.js';
import { checkUnlocked } from './object-lock.js';
import type { S3Service } from './service.js';
import { commitVersion, getBucket, now, removeVersion, type Bucket, type StoredObject, checkVersionId } from './state.js';

export interface DeleteResult {
  /** The version removed or the delete marker created, if any. */
  versionId?: string;
  /** Whether the version removed, or the version created, is a delete marker. */
  deleteMarker?: boolean;
}

/** Deletes a key or one of its versions, with Object Lock enforced. */
/**
 * x-amz-bypass-governance-retention (true or false) on a bucket without Object Lock is
 * InvalidArgument naming the header, as S3 answers DeleteObject and DeleteObjects.
 */
export function checkBypassGovernance(bucket: Bucket, bypass: boolean | undefined): void {
  if (bypass !== undefined && !bucket.objectLockEnabled) {
    throw s3Error('InvalidArgument', 'x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.', { fields: { ArgumentName: 'x-amz-bypass-governance-retention' } });
  }
}

export function deleteKey(s3: S3Service, ctx: OperationContext, bucket: Bucket, key: string, versionId: string | undefined, bypassGovernance: boolean | undefined): DeleteResult {
  const announce = (name: string, object: StoredObject) => s3.notify({ name, bucket, object, requestId: ctx.requestId, accountId: ctx.accountId, region: ctx.region });
  if (versionId !== undefined) {
    const target = bucket.objects[key]?.find((v) => v.versionId === versionId);
    if (!target) {
      checkVersionId(bucket, versionId);
      return { versionId };
    }
    checkUnlocked(target, bypassGovernance);
    removeVersion(s3, bucket, key, versionId);
    s3.blobs.remove(target.blobs);
    // removing a version, a delete marker too, by its id deletes it for good: ObjectRemoved:Delete
    announce('ObjectRemoved:Delete', target);
    return { versionId, ...(target.deleteMarker ? { deleteMarker: true } : {}) };
  }
  if (bucket.versioning === undefined) {
    const removed = removeVersion(s3, bucket, key, 'null');
    if (removed) {
      s3.blobs.remove(removed.blobs);
      announce('ObjectRemoved:Delete', removed);
    }
    return {};
  }
  const nullVersion = bucket.objects[key]?.find((v) => v.versionId === 'null');
  // a suspended bucket replaces the null version with the marker: a locked one stays
  if (bucket.versioning === 'Suspended' && nullVersion) checkUnlocked(nullVersion, bypassGovernance);
  const marker: StoredObject = { key, versionId: 'null', deleteMarker: true, lastModified: now(), owner: ctx.accountId, size: 0, etag: '', blobs: [], system: {}, metadata: {}, storageClass: 'STANDARD', tags: [] };
  const replaced = commitVersion(s3, bucket, marker);
  s3.blobs.remove(replaced.flatMap((v) => v.blobs));
  announce('ObjectRemoved:DeleteMarkerCreated', marker);
  return { versionId: marker.versionId, deleteMarker: true };
}

const MAX_KEYS = 1000;

function header(ctx: OperationContext, name: string): boolean {
  return ctx.headers[name] !== undefined;
}

export function deleteObjectsOperations(s3: S3Service) {
  return {
    DeleteObjects(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      checkBypassGovernance(bucket, input.BypassGovernanceRetention);
      const hasChecksum = header(ctx, 'content-md5') || Object.keys(ctx.headers).some((h) => h.startsWith('x-amz-checksum-')) || header(ctx, 'x-amz-sdk-checksum-algorithm') || header(ctx, 'x-amz-trailer');
      if (!hasChecksum) throw s3Error('InvalidRequest', 'Missing required header for this request: Content-MD5');
      const entries = input.Delete?.Objects;
      if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_KEYS) throw malformedXml();
      const quiet = input.Delete.Quiet === true;
      const deleted: NonNullable<DeleteObjectsOutput['Deleted']> = [];
      const errors: NonNullable<DeleteObjectsOutput['Errors']> = [];
      for (const entry of entries) {
        const key = entry.Key;
        if (typeof key !== 'string') throw malformedXml();
        try {
          const r = deleteKey(s3, ctx, bucket, key, entry.VersionId, input.BypassGovernanceRetention);
          if (quiet) continue;
          if (entry.VersionId !== undefined) {
            deleted.push({ Key: key, VersionId: entry.VersionId, ...(r.deleteMarker ? { DeleteMarker: true, DeleteMarkerVersionId: entry.VersionId } : {}) });
          } else if (r.deleteMarker) {
            deleted.push({ Key: key, DeleteMarker: true, DeleteMarkerVersionId: r.versionId });
          } else {
            deleted.push({ Key: key });
          }
        } catch (error) {
          const e = error as ServiceError;
          if (typeof e.code !== 'string') throw error;
          errors.push({ Key: key, ...(entry.VersionId !== undefined ? { VersionId: entry.VersionId } : {}), Code: e.code, Message: e.message });
        }
      }
      return { ...(deleted.length > 0 ? { Deleted: deleted } : {}), ...(errors.length > 0 ? { Errors: errors } : {}) };
    },
  } satisfies Partial<S3Api>;
}
