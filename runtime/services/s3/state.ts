/**
 * S3's state: buckets (global by name, as in AWS: one namespace across accounts and
 * regions), their objects with every version, multipart uploads in progress, and the bucket
 * configurations (subresources). Plain data only, declared to the runtime as one global
 * store (provider.ts), so that reset, persistence and export reach all of it
 * (runtime/state/store.ts). Records keyed by user input (bucket names, keys, upload ids,
 * part numbers, configuration ids) have no prototype: `__proto__` is a key like any other.
 *
 * What changes is marked at the granularity the journal writes (S3Service.changed):
 *   ['buckets', name]                          a bucket created or deleted
 *   ['buckets', name, 'objects', key]          a key's version list (a PutObject, a tag, an ACL)
 *   ['buckets', name, 'uploads', id(, 'parts', n)]   a multipart upload, or one of its parts
 *   ['buckets', name, 'config', sub(, id)]     a configuration (by id for analytics & co)
 *   ['buckets', name, field]                   versioning, mfaDelete, objectLockEnabled, acl
 * never a whole bucket for one object: a bucket may hold 100,000 of them.
 *
 * Object bodies: small ones are kept inline (BlobRef.data, journaled with the version list,
 * so an acknowledged PutObject survives kill -9 without a file write); others are files
 * of the asset folder (blob-store.ts), referenced by id.
 *
 * Versions of a key are kept newest first. An unversioned bucket, or a suspended one, keeps
 * at most one version whose id is `null` per key, as S3 does.
 */
import { randomToken } from '../../aws/ids.js';
import type { ChecksumAlgorithm } from '../../aws/checksums.js';
import { record } from '../../state/store.js';
import type { OperationContext } from '../provider.js';
import { noSuchBucket, noSuchKey, noSuchVersion, s3Error } from './errors.js';
import type { S3Service } from './service.js';

/** (Part of) an object's body: bytes kept inline, or a file of the blob store. */
export interface BlobRef {
  readonly id: string;
  readonly size: number;
  /** The bytes of a small body, kept in the state itself; absent: the file `id`. */
  readonly data?: Buffer;
}

/** A checksum S3 keeps with an object (x-amz-checksum-<algorithm>, x-amz-checksum-type). */
export interface StoredChecksum {
  algorithm: ChecksumAlgorithm;
  /** base64, with `-N` for a composite checksum of N parts. */
  value: string;
  type: 'FULL_OBJECT' | 'COMPOSITE';
}

/** What a multipart object remembers of its parts (GetObject PartNumber, GetObjectAttributes). */
export interface StoredPart {
  partNumber: number;
  size: number;
  etag: string;
  checksum?: string;
}

export interface Grant {
  grantee: { type: 'CanonicalUser' | 'Group' | 'AmazonCustomerByEmail'; id?: string; uri?: string; email?: string; displayName?: string };
  permission: string;
}

export interface Acl {
  owner: string;
  grants: Grant[];
}

export interface Tag {
  Key: string;
  Value: string;
}

export interface ServerSideEncryption {
  algorithm?: string;
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
  kmsContext?: string;
  customerAlgorithm?: string;
  customerKeyMd5?: string;
}

/** One version of a key: an object, or a delete marker. */
export interface StoredObject {
  key: string;
  /** `null` for the null version. */
  versionId: string;
  deleteMarker?: boolean;
  /** ISO 8601 with milliseconds. */
  lastModified: string;
  /** The owning account. */
  owner: string;
  size: number;
  /** Quoted, as in the ETag header: `"<md5 hex>"` or `"<hex>-N"` for multipart objects. */
  etag: string;
  blobs: BlobRef[];
  parts?: StoredPart[];
  /** Content-Type, Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires. */
  system: Record<string, string>;
  /** User metadata (x-amz-meta-*), lower-case names. */
  metadata: Record<string, string>;
  storageClass: string;
  checksum?: StoredChecksum;
  sse?: ServerSideEncryption;
  websiteRedirectLocation?: string;
  tags: Tag[];
  acl?: Acl;
  lock?: { mode?: string; retainUntil?: string; legalHold?: string };
  /** The x-amz-restore header of a restored archived object. */
  restore?: string;
  /** The multipart upload it was completed from (a repeated Complete answers again: multipart.ts). */
  uploadId?: string;
}

export interface Upload {
  uploadId: string;
  key: string;
  initiated: string;
  owner: string;
  /** The object's attributes, given at CreateMultipartUpload. */
  object: Omit<StoredObject, 'versionId' | 'lastModified' | 'size' | 'etag' | 'blobs' | 'parts'>;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
  parts: Record<string, StoredPart & { blob: BlobRef; lastModified: string }>;
}

export interface Bucket {
  name: string;
  accountId: string;
  region: string;
  /** ISO 8601. */
  created: string;
  versioning?: 'Enabled' | 'Suspended';
  mfaDelete?: 'Enabled' | 'Disabled';
  objectLockEnabled: boolean;
  /** Versions by key, newest first. */
  objects: Record<string, StoredObject[]>;
  uploads: Record<string, Upload>;
  /**
   * Subresource configurations as the provider stores them (cors, lifecycle, website,
   * policy, encryption, tagging, ...); see bucket-config.ts.
   */
  config: Record<string, unknown>;
  acl: Acl;
}

export interface S3State {
  /** Every bucket of every account, by name. */
  buckets: Record<string, Bucket>;
}

export function newState(): S3State {
  return { buckets: record<Bucket>() };
}

/** ISO 8601 with milliseconds, as S3 writes timestamps. */
export function now(): string {
  return new Date().toISOString();
}

/** A version id as S3 makes them: 32 URL-safe characters, never starting with `-` or `_`. */
export function newVersionId(): string {
  return randomToken(24);
}

/** The canonical user id S3 shows for an account (64 hex characters, stable per account). */
export function canonicalId(accountId: string): string {
  return Buffer.from(accountId.padStart(32, '0').slice(-32)).toString('hex');
}

export function privateAcl(accountId: string): Acl {
  return { owner: accountId, grants: [{ grantee: { type: 'CanonicalUser', id: canonicalId(accountId) }, permission: 'FULL_CONTROL' }] };
}

/**
 * The bucket a request names, or NoSuchBucket. ExpectedBucketOwner that is not the owner
 * gives AccessDenied, as S3 does.
 */
export function getBucket(state: S3State, ctx: OperationContext, name: string, expectedOwner?: string): Bucket {
  const bucket = state.buckets[name];
  if (!bucket) throw noSuchBucket(name);
  if (expectedOwner !== undefined && expectedOwner !== bucket.accountId) throw s3Error('AccessDenied', 'Access Denied');
  void ctx;
  return bucket;
}

/** The newest version of a key (it may be a delete marker), or undefined. */
export function latestVersion(bucket: Bucket, key: string): StoredObject | undefined {
  return bucket.objects[key]?.[0];
}

/**
 * InvalidArgument for a version id S3 could not have given: not of its form, or any id but
 * `null` in a bucket that has never been versioned. (One that could exist but does not is
 * NoSuchVersion, or nothing to do for a DELETE.)
 */
export function checkVersionId(bucket: Bucket, versionId: string): void {
  if (versionId === 'null') return;
  if (bucket.versioning === undefined || !/^[A-Za-z0-9._-]{1,1024}$/.test(versionId)) {
    throw s3Error('InvalidArgument', 'Invalid version id specified', { fields: { ArgumentName: 'versionId', ArgumentValue: versionId } });
  }
}

/**
 * The object a GET/HEAD/COPY addresses: the given version (NoSuchVersion, or 400 for a
 * malformed id), else the latest, which must not be a delete marker (NoSuchKey).
 */
export function readableVersion(bucket: Bucket, key: string, versionId?: string): StoredObject {
  if (versionId !== undefined) {
    const found = bucket.objects[key]?.find((v) => v.versionId === versionId);
    if (!found) {
      checkVersionId(bucket, versionId);
      throw noSuchVersion(key, versionId);
    }
    if (found.deleteMarker) throw s3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', { fields: { Method: 'GET', ResourceType: 'DeleteMarker' }, headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': found.versionId, allow: 'DELETE', 'last-modified': new Date(found.lastModified).toUTCString() } });
    return found;
  }
  const latest = latestVersion(bucket, key);
  if (!latest) throw noSuchKey(key);
  if (latest.deleteMarker) {
    throw s3Error('NoSuchKey', 'The specified key does not exist.', { fields: { Key: key }, headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': latest.versionId } });
  }
  return latest;
}

/**
 * Keys appear and disappear only here and in removeVersion, which keep the bucket's sorted
 * key index (key-index.ts) up to date: code that adds or removes a key of `bucket.objects`
 * another way leaves listings wrong.
 *
 * Makes `object` the newest version of its key, with the version id the bucket's versioning
 * gives it. Returns the versions it replaced (the old null version), whose bodies the caller
 * deletes once the new version is visible.
 */
export function commitVersion(s3: Pick<S3Service, 'changed' | 'keys'>, bucket: Bucket, object: StoredObject): StoredObject[] {
  let versions = bucket.objects[object.key];
  if (!versions) {
    versions = bucket.objects[object.key] = [];
    s3.keys.added(bucket, object.key);
  }
  s3.changed(bucket, 'objects', object.key);
  let replaced: StoredObject[] = [];
  if (bucket.versioning === 'Enabled') {
    object.versionId = newVersionId();
  } else {
    object.versionId = 'null';
    replaced = versions.filter((v) => v.versionId === 'null');
    if (replaced.length > 0) {
      const kept = versions.filter((v) => v.versionId !== 'null');
      versions.length = 0;
      versions.push(...kept);
    }
  }
  versions.unshift(object);
  return replaced;
}

/** Removes one version of a key; the key disappears with its last version. */
export function removeVersion(s3: Pick<S3Service, 'changed' | 'keys'>, bucket: Bucket, key: string, versionId: string): StoredObject | undefined {
  const versions = bucket.objects[key];
  if (!versions) return undefined;
  const i = versions.findIndex((v) => v.versionId === versionId);
  if (i === -1) return undefined;
  const [removed] = versions.splice(i, 1);
  if (versions.length === 0) {
    delete bucket.objects[key];
    s3.keys.removed(bucket, key);
  }
  s3.changed(bucket, 'objects', key);
  return removed;
}

/** Every object body of a bucket (for deleting them all). */
export function* bucketBlobs(bucket: Bucket): Iterable<BlobRef> {
  for (const versions of Object.values(bucket.objects)) for (const v of versions) yield* v.blobs;
  for (const upload of Object.values(bucket.uploads)) for (const part of Object.values(upload.parts)) yield part.blob;
}

/** Every body the state refers to, of every bucket (what the blob store must keep). */
export function* stateBlobs(state: S3State): Iterable<BlobRef> {
  for (const bucket of Object.values(state.buckets)) yield* bucketBlobs(bucket);
}
