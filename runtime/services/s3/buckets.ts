/**
 * Buckets: create, head, delete, list, location, versioning. Bucket names are one namespace
 * across accounts and regions: another account's name is BucketAlreadyExists, one's own is
 * BucketAlreadyOwnedByYou (except in us-east-1, where S3 answers 200 for it, as it always has).
 */
import { decodePageToken, encodePageToken } from '../../aws/pagination.js';
import type { OperationContext } from '../provider.js';
import type { S3Api } from './api.generated.js';
import { malformedXml, s3Error } from './errors.js';
import { invalidBucketName, isValidBucketName } from './keys.js';
import type { S3Service } from './service.js';
import { bucketBlobs, canonicalId, getBucket, now, privateAcl, type Bucket } from './state.js';
import { aclFromRequest, checkAclWithOwnership } from './acl.js';
import { record } from '../../state/store.js';

const US_EAST_1 = 'us-east-1';

/** The region a new bucket goes to, or S3's error for a constraint that does not fit the endpoint. */
function bucketRegion(ctx: OperationContext, constraint: string | undefined): string {
  if (ctx.region === US_EAST_1) {
    if (constraint === US_EAST_1) throw s3Error('InvalidLocationConstraint', 'The specified location-constraint is not valid', { fields: { LocationConstraint: constraint } });
    return constraint || US_EAST_1;
  }
  if (!constraint) throw s3Error('IllegalLocationConstraintException', 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.');
  if (constraint !== ctx.region) throw s3Error('IllegalLocationConstraintException', `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`);
  return constraint;
}

const OBJECT_OWNERSHIP = ['BucketOwnerPreferred', 'ObjectWriter', 'BucketOwnerEnforced'];

/** Opaque ListBuckets continuation token (runtime/aws/pagination.ts): the last name listed. */
function encodeToken(name: string): string {
  return encodePageToken('ListBuckets', name);
}

export function bucketOperations(s3: S3Service) {

  return {
    CreateBucket(ctx, input) {
      const name = input.Bucket;
      if (!isValidBucketName(name)) throw invalidBucketName(name);
      const region = bucketRegion(ctx, input.CreateBucketConfiguration?.LocationConstraint);
      const ownership = input.ObjectOwnership ?? 'BucketOwnerEnforced';
      if (!OBJECT_OWNERSHIP.includes(ownership)) throw s3Error('InvalidArgument', 'Invalid x-amz-object-ownership header', { fields: { ArgumentName: 'x-amz-object-ownership', ArgumentValue: ownership } });
      const existing = s3.state.buckets[name];
      if (existing) {
        if (existing.accountId !== ctx.accountId) {
          throw s3Error('BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', { fields: { BucketName: name } });
        }
        if (ctx.region !== US_EAST_1 || existing.region !== US_EAST_1) {
          throw s3Error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', { fields: { BucketName: name } });
        }
        return { Location: `/${name}` };
      }
      const acl = aclFromRequest(ctx.accountId, input) ?? privateAcl(ctx.accountId);
      checkAclWithOwnership(ownership, acl, 'create-bucket');
      const bucket: Bucket = {
        name,
        accountId: ctx.accountId,
        region,
        created: now(),
        objectLockEnabled: input.ObjectLockEnabledForBucket === true,
        objects: record(),
        uploads: record(),
        config: { ownershipControls: { Rules: [{ ObjectOwnership: ownership }] } },
        acl,
      };
      if (bucket.objectLockEnabled) {
        bucket.versioning = 'Enabled';
        bucket.config.objectLock = { ObjectLockEnabled: 'Enabled' };
      }
      s3.state.buckets[name] = bucket;
      s3.changed(bucket);
      return { Location: region === US_EAST_1 ? `/${name}` : `http://${name}.s3.${s3.config.localstackHost}/` };
    },

    HeadBucket(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      return { BucketRegion: bucket.region, AccessPointAlias: false };
    },

    DeleteBucket(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      if (Object.keys(bucket.objects).length > 0) {
        throw s3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty', { fields: { BucketName: bucket.name } });
      }
      s3.blobs.remove(bucketBlobs(bucket));
      delete s3.state.buckets[bucket.name];
      s3.changed(bucket);
      return {};
    },

    ListBuckets(ctx, input) {
      const max = input.MaxBuckets;
      if (max !== undefined && (max < 1 || max > 10_000)) {
        throw s3Error('InvalidArgument', 'Argument max-buckets must be an integer between 1 and 10000', { fields: { ArgumentName: 'max-buckets', ArgumentValue: String(max) } });
      }
      let after: string | undefined;
      if (input.ContinuationToken !== undefined) {
        const cursor = decodePageToken('ListBuckets', input.ContinuationToken);
        after = typeof cursor === 'string' ? cursor : undefined;
        if (!after) throw s3Error('InvalidArgument', 'The continuation token provided is incorrect', { fields: { ArgumentName: 'continuation-token', ArgumentValue: input.ContinuationToken } });
      }
      const prefix = input.Prefix ?? '';
      const mine = Object.values(s3.state.buckets)
        .filter((b) => b.accountId === ctx.accountId && b.name.startsWith(prefix) && (!input.BucketRegion || b.region === input.BucketRegion))
        .filter((b) => after === undefined || b.name > after)
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const page = max === undefined ? mine : mine.slice(0, max);
      const truncated = max !== undefined && mine.length > max;
      return {
        Buckets: page.map((b) => ({ Name: b.name, CreationDate: new Date(b.created), BucketRegion: b.region })),
        Owner: { DisplayName: 'webfile', ID: canonicalId(ctx.accountId) },
        ...(truncated ? { ContinuationToken: encodeToken(page[page.length - 1]!.name) } : {}),
        ...(input.Prefix !== undefined ? { Prefix: input.Prefix } : {}),
      };
    },

    GetBucketLocation(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      return { LocationConstraint: bucket.region === US_EAST_1 ? '' : bucket.region };
    },

    PutBucketVersioning(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const { Status, MFADelete } = input.VersioningConfiguration ?? {};
      if (Status !== undefined && Status !== 'Enabled' && Status !== 'Suspended') throw malformedXml();
      if (MFADelete !== undefined && MFADelete !== 'Enabled' && MFADelete !== 'Disabled') throw malformedXml();
      if (MFADelete === 'Enabled' && !input.MFA) {
        throw s3Error('InvalidRequest', 'DevPay and Mfa are mutually exclusive authorization methods.');
      }
      if (bucket.objectLockEnabled && Status === 'Suspended') {
        throw s3Error('InvalidBucketState', 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.');
      }
      if (Status !== undefined) {
        bucket.versioning = Status;
        s3.changed(bucket, 'versioning');
      }
      if (MFADelete !== undefined) {
        bucket.mfaDelete = MFADelete;
        s3.changed(bucket, 'mfaDelete');
      }
      return {};
    },

    GetBucketVersioning(ctx, input) {
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      return {
        ...(bucket.versioning ? { Status: bucket.versioning } : {}),
        ...(bucket.mfaDelete ? { MFADelete: bucket.mfaDelete } : {}),
      };
    },
  } satisfies Partial<S3Api>;
}
