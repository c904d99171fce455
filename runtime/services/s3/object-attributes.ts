/**
 * GetObjectAttributes (ETag, Checksum, ObjectParts of multipart objects, StorageClass,
 * ObjectSize, chosen by x-amz-object-attributes) and RestoreObject: an archived object
 * (GLACIER, DEEP_ARCHIVE) gets its x-amz-restore header, `ongoing-request="false",
 * expiry-date="..."`, at once (202 Accepted the first time, 200 OK when a restored copy
 * already exists, whose expiry is then moved).
 *
 * LIMITATIONS: a restore completes immediately (there is no ongoing-request="true" phase)
 * and the restored copy never expires; SELECT restores (RestoreRequest Type SELECT) are not
 * supported. Part checksums are listed only when the multipart upload stored them.
 */
import type { OperationContext } from '../provider.js';
import type { GetObjectAttributesOutput, S3Api } from './api.generated.js';
import { CHECKSUM_MEMBERS } from './checksums.js';
import { s3Error } from './errors.js';
import { ARCHIVE_CLASSES } from './objects.js';
import type { S3Service } from './service.js';
import { checkReadKey, customerKey } from './sse.js';
import { getBucket, readableVersion, type StoredObject } from './state.js';

const ATTRIBUTES = ['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize'];
const DAY = 24 * 3600 * 1000;

/** The expiry S3 gives a restored copy: midnight UTC after `days` days have passed. */
function expiryDate(days: number): string {
  const t = new Date(Date.now() + days * DAY);
  t.setUTCHours(0, 0, 0, 0);
  return new Date(t.getTime() + DAY).toUTCString();
}

export function objectAttributesOperations(s3: S3Service) {

  function partsOutput(object: StoredObject, input: { MaxParts?: number; PartNumberMarker?: number }): GetObjectAttributesOutput['ObjectParts'] {
    const parts = object.parts;
    if (!parts) return undefined;
    const max = input.MaxParts ?? 1000;
    const marker = input.PartNumberMarker ?? 0;
    const after = parts.filter((p) => p.partNumber > marker);
    const page = after.slice(0, max);
    const truncated = after.length > page.length;
    const member = object.checksum ? CHECKSUM_MEMBERS[object.checksum.algorithm] : undefined;
    return {
      TotalPartsCount: parts.length,
      PartNumberMarker: marker,
      NextPartNumberMarker: page.length > 0 ? page[page.length - 1]!.partNumber : marker,
      MaxParts: max,
      IsTruncated: truncated,
      Parts: page.map((p) => ({ PartNumber: p.partNumber, Size: p.size, ...(member && p.checksum !== undefined ? { [member]: p.checksum } : {}) })),
    };
  }

  return {
    GetObjectAttributes(ctx: OperationContext, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const wanted = input.ObjectAttributes.map((a) => a.trim());
      for (const a of wanted) {
        if (!ATTRIBUTES.includes(a)) throw s3Error('InvalidArgument', 'Invalid attribute name specified.', { fields: { ArgumentName: 'x-amz-object-attributes', ArgumentValue: a } });
      }
      if (input.MaxParts !== undefined && input.MaxParts < 0) throw s3Error('InvalidArgument', 'Argument max-parts must be an integer between 0 and 2147483647', { fields: { ArgumentName: 'max-parts', ArgumentValue: String(input.MaxParts) } });
      const object = readableVersion(bucket, input.Key, input.VersionId);
      checkReadKey(object, customerKey(ctx, 'x-amz-server-side-encryption-customer-'));
      const out: GetObjectAttributesOutput = {
        LastModified: new Date(object.lastModified),
        ...(bucket.versioning !== undefined ? { VersionId: object.versionId } : {}),
      };
      if (wanted.includes('ETag')) out.ETag = object.etag.replace(/"/g, '');
      if (wanted.includes('Checksum') && object.checksum) {
        out.Checksum = { [CHECKSUM_MEMBERS[object.checksum.algorithm]]: object.checksum.value, ChecksumType: object.checksum.type };
      }
      if (wanted.includes('ObjectParts')) {
        const parts = partsOutput(object, input);
        if (parts) out.ObjectParts = parts;
      }
      if (wanted.includes('StorageClass')) out.StorageClass = object.storageClass;
      if (wanted.includes('ObjectSize')) out.ObjectSize = object.size;
      return out;
    },

    RestoreObject(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const object = readableVersion(bucket, input.Key, input.VersionId);
      const request = input.RestoreRequest ?? {};
      if (request.Type === 'SELECT') throw s3Error('NotImplemented', 'A header you provided implies functionality that is not implemented');
      if (!ARCHIVE_CLASSES.includes(object.storageClass)) {
        throw s3Error('InvalidObjectState', "Restore is not allowed for the object's current storage class", { fields: { StorageClass: object.storageClass } });
      }
      const days = request.Days;
      if (days === undefined) throw s3Error('InvalidArgument', 'Days must be specified for a restore request', { fields: { ArgumentName: 'Days', ArgumentValue: 'null' } });
      if (!Number.isInteger(days) || days < 1) throw s3Error('InvalidArgument', 'Days must be a positive integer', { fields: { ArgumentName: 'Days', ArgumentValue: String(days) } });
      const first = object.restore === undefined;
      object.restore = `ongoing-request="false", expiry-date="${expiryDate(days)}"`;
      s3.changed(bucket, 'objects', object.key);
      if (first) {
        const event = { bucket, object, requestId: ctx.requestId, accountId: ctx.accountId, region: ctx.region };
        s3.notify({ name: 'ObjectRestore:Post', ...event });
        s3.notify({ name: 'ObjectRestore:Completed', ...event });
      }
      return { StatusCode: first ? 202 : 200 };
    },
  } satisfies Partial<S3Api>;
}
