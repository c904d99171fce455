/**
 * Object Lock: the bucket's configuration (Put/GetObjectLockConfiguration), a version's
 * retention and legal hold (Put/GetObjectRetention, Put/GetObjectLegalHold), the
 * x-amz-object-lock-* headers of PutObject / CopyObject with the bucket's default retention
 * for new objects, and the protection itself: a locked version cannot be deleted (S3 answers
 * AccessDenied), GOVERNANCE gives way to x-amz-bypass-governance-retention, COMPLIANCE
 * cannot be shortened nor turned into GOVERNANCE, and a legal hold stops every deletion.
 *
 * bucket.objectLockEnabled and bucket.config.objectLock ({ ObjectLockEnabled, Rule? }, the
 * shape of ObjectLockConfiguration) are set by CreateBucket (buckets.ts) and here.
 *
 * LIMITATIONS: the s3:BypassGovernanceRetention permission is not checked (no IAM): the
 * header alone bypasses GOVERNANCE. Object Lock tokens (x-amz-bucket-object-lock-token) are
 * ignored.
 */
import type { OperationContext } from '../provider.js';
import type { PutObjectLockConfigurationInput, S3Api } from './api.generated.js';
import { malformedXml, s3Error } from './errors.js';
import type { S3Service } from './service.js';
import { getBucket, type Bucket, type StoredObject } from './state.js';
import { addressedVersion } from './tagging.js';

type LockConfiguration = NonNullable<PutObjectLockConfigurationInput['ObjectLockConfiguration']>;
const MODES = ['GOVERNANCE', 'COMPLIANCE'];
const DAY = 24 * 3600 * 1000;

export function missingLockConfiguration() {
  return s3Error('InvalidRequest', 'Bucket is missing Object Lock Configuration');
}

export function lockedError() {
  return s3Error('AccessDenied', 'Access Denied because object protected by object lock.');
}

/** Whether a version may be deleted (or its retention shortened) now; AccessDenied if not. */
export function checkUnlocked(object: StoredObject, bypassGovernance: boolean | undefined): void {
  const lock = object.lock;
  if (!lock) return;
  if (lock.legalHold === 'ON') throw lockedError();
  if (lock.mode !== undefined && lock.retainUntil !== undefined && Date.parse(lock.retainUntil) > Date.now()) {
    if (lock.mode === 'COMPLIANCE' || bypassGovernance !== true) throw lockedError();
  }
}

function retainUntilArgument(message: string) {
  return s3Error('InvalidArgument', message, { fields: { ArgumentName: 'x-amz-object-lock-retain-until-date', ArgumentValue: 'null' } });
}

/**
 * The lock of a new object: the x-amz-object-lock-* headers of the request, else the
 * bucket's default retention. Errors as S3 gives them for a bucket without Object Lock and
 * for incomplete or invalid headers.
 */
export function newObjectLock(bucket: Bucket, input: { ObjectLockMode?: string; ObjectLockRetainUntilDate?: Date; ObjectLockLegalHoldStatus?: string }): StoredObject['lock'] {
  const { ObjectLockMode: mode, ObjectLockRetainUntilDate: until, ObjectLockLegalHoldStatus: hold } = input;
  const explicit = mode !== undefined || until !== undefined || hold !== undefined;
  if (!bucket.objectLockEnabled) {
    if (explicit) throw missingLockConfiguration();
    return undefined;
  }
  const lock: NonNullable<StoredObject['lock']> = {};
  if (mode !== undefined || until !== undefined) {
    if (mode === undefined || until === undefined) throw s3Error('InvalidArgument', 'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied', { fields: { ArgumentName: 'x-amz-object-lock-retain-until-date', ArgumentValue: 'null' } });
    if (!MODES.includes(mode)) throw s3Error('InvalidArgument', 'Unknown wormMode directive.', { fields: { ArgumentName: 'x-amz-object-lock-mode', ArgumentValue: mode } });
    if (until.getTime() <= Date.now()) throw retainUntilArgument('The retain until date must be in the future!');
    lock.mode = mode;
    lock.retainUntil = until.toISOString();
  } else {
    const rule = (bucket.config.objectLock as LockConfiguration | undefined)?.Rule?.DefaultRetention;
    if (rule?.Mode !== undefined) {
      lock.mode = rule.Mode;
      const days = rule.Days ?? (rule.Years ?? 0) * 365;
      lock.retainUntil = new Date(Date.now() + days * DAY).toISOString();
    }
  }
  if (hold !== undefined) {
    if (hold !== 'ON' && hold !== 'OFF') throw s3Error('InvalidArgument', "Legal Hold must be either of 'ON' or 'OFF'", { fields: { ArgumentName: 'x-amz-object-lock-legal-hold', ArgumentValue: hold } });
    lock.legalHold = hold;
  }
  return Object.keys(lock).length > 0 ? lock : undefined;
}

function lockedBucket(state: S3Service['state'], ctx: OperationContext, name: string, owner?: string): Bucket {
  const bucket = getBucket(state, ctx, name, owner);
  if (!bucket.objectLockEnabled) throw missingLockConfiguration();
  return bucket;
}

export function objectLockOperations(s3: S3Service) {

  return {
    PutObjectLockConfiguration(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const config = input.ObjectLockConfiguration;
      if (!config || config.ObjectLockEnabled !== 'Enabled') throw malformedXml();
      const retention = config.Rule?.DefaultRetention;
      if (config.Rule !== undefined) {
        if (!retention || retention.Mode === undefined || !MODES.includes(retention.Mode)) throw malformedXml();
        if ((retention.Days === undefined) === (retention.Years === undefined)) throw malformedXml();
        const n = retention.Days ?? retention.Years!;
        if (!Number.isInteger(n) || n <= 0) throw s3Error('InvalidArgument', 'Default retention period must be a positive integer value.', { fields: { ArgumentName: retention.Days !== undefined ? 'Days' : 'Years', ArgumentValue: String(n) } });
      }
      if (!bucket.objectLockEnabled && bucket.versioning !== 'Enabled') {
        throw s3Error('InvalidBucketState', "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
      }
      bucket.objectLockEnabled = true;
      bucket.config.objectLock = {
        ObjectLockEnabled: 'Enabled',
        ...(retention ? { Rule: { DefaultRetention: { Mode: retention.Mode, ...(retention.Days !== undefined ? { Days: retention.Days } : { Years: retention.Years }) } } } : {}),
      };
      s3.changed(bucket, 'objectLockEnabled');
      s3.changed(bucket, 'config', 'objectLock');
      return {};
    },

    GetObjectLockConfiguration(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const config = bucket.config.objectLock as LockConfiguration | undefined;
      if (!bucket.objectLockEnabled || !config) {
        throw s3Error('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', { fields: { BucketName: bucket.name } });
      }
      return { ObjectLockConfiguration: config };
    },

    PutObjectRetention(ctx, input) {
      const bucket = lockedBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const object = addressedVersion(bucket, input.Key, input.VersionId, 'PUT');
      const mode = input.Retention?.Mode;
      const until = input.Retention?.RetainUntilDate;
      if ((mode === undefined) !== (until === undefined)) throw malformedXml();
      if (mode !== undefined && !MODES.includes(mode)) throw malformedXml();
      if (until !== undefined && until.getTime() <= Date.now()) throw retainUntilArgument('The retain until date must be in the future!');
      const current = object.lock ?? {};
      const active = current.mode !== undefined && current.retainUntil !== undefined && Date.parse(current.retainUntil) > Date.now();
      if (active) {
        const shortened = until === undefined || until.getTime() < Date.parse(current.retainUntil!);
        const weakened = mode !== current.mode;
        if (current.mode === 'COMPLIANCE' && (shortened || weakened)) throw lockedError();
        if (current.mode === 'GOVERNANCE' && (shortened || weakened) && input.BypassGovernanceRetention !== true) throw lockedError();
      }
      const lock = { ...current };
      if (mode !== undefined) {
        lock.mode = mode;
        lock.retainUntil = until!.toISOString();
      } else {
        delete lock.mode;
        delete lock.retainUntil;
      }
      object.lock = Object.keys(lock).length > 0 ? lock : undefined;
      s3.changed(bucket, 'objects', object.key);
      return {};
    },

    GetObjectRetention(ctx, input) {
      const bucket = lockedBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const object = addressedVersion(bucket, input.Key, input.VersionId);
      if (object.lock?.mode === undefined) throw s3Error('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration');
      return { Retention: { Mode: object.lock.mode, RetainUntilDate: new Date(object.lock.retainUntil!) } };
    },

    PutObjectLegalHold(ctx, input) {
      const bucket = lockedBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const object = addressedVersion(bucket, input.Key, input.VersionId, 'PUT');
      const status = input.LegalHold?.Status;
      if (status !== 'ON' && status !== 'OFF') throw malformedXml();
      object.lock = { ...object.lock, legalHold: status };
      s3.changed(bucket, 'objects', object.key);
      return {};
    },

    GetObjectLegalHold(ctx, input) {
      const bucket = lockedBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const object = addressedVersion(bucket, input.Key, input.VersionId);
      if (object.lock?.legalHold === undefined) throw s3Error('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration');
      return { LegalHold: { Status: object.lock.legalHold } };
    },
  } satisfies Partial<S3Api>;
}
