/**
 * The bucket configurations S3 keeps by id: analytics, metrics, inventory and intelligent
 * tiering (Put / Get / Delete / List each), stored at `bucket.config.<kind>` as records
 * `{ [Id]: configuration }` without a prototype (ids are the user's: `__proto__` is an id like
 * any other), at most 1,000 of each kind per bucket, listed 100 to a page in id order.
 *
 * LIMITATIONS: stored and returned only; nothing is analysed, measured or inventoried.
 */
import { decodePageToken, encodePageToken } from '../../aws/pagination.js';
import { record } from '../../state/store.js';
import type { OperationContext } from '../provider.js';
import type {
  PutBucketAnalyticsConfigurationInput,
  PutBucketIntelligentTieringConfigurationInput,
  PutBucketInventoryConfigurationInput,
  PutBucketMetricsConfigurationInput,
  S3Api,
} from './api.generated.js';
import { configError, invalidArgument, oneOf } from './bucket-config-rules.js';
import { malformedXml, s3Error } from './errors.js';
import type { S3Service } from './service.js';
import { getBucket, type Bucket } from './state.js';

type Analytics = PutBucketAnalyticsConfigurationInput['AnalyticsConfiguration'];
type Metrics = PutBucketMetricsConfigurationInput['MetricsConfiguration'];
type Inventory = PutBucketInventoryConfigurationInput['InventoryConfiguration'];
type IntelligentTiering = PutBucketIntelligentTieringConfigurationInput['IntelligentTieringConfiguration'];

const PAGE = 100;
const MAX_PER_KIND = 1000;
const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** The optional fields an inventory report may list (the model's InventoryOptionalField). */
const INVENTORY_FIELDS = [
  'Size', 'LastModifiedDate', 'StorageClass', 'ETag', 'IsMultipartUploaded', 'ReplicationStatus', 'EncryptionStatus', 'ObjectLockRetainUntilDate', 'ObjectLockMode',
  'ObjectLockLegalHoldStatus', 'ObjectLockEventHoldStatus', 'ObjectLockEventHoldDuration', 'IntelligentTieringAccessTier', 'BucketKeyStatus', 'ChecksumAlgorithm',
  'ObjectAccessControlList', 'ObjectOwner', 'LifecycleExpirationDate', 'IntelligentTieringReferenceDate',
];

const NO_CONFIGURATIONS: Readonly<Record<string, never>> = Object.freeze(record<never>());

/** A bucket's configurations of one kind by id (read only: none is created by reading). */
function byId<T>(bucket: Bucket, kind: string): Readonly<Record<string, T>> {
  return (bucket.config[kind] as Record<string, T> | undefined) ?? NO_CONFIGURATIONS;
}

/**
 * The Id of the request and of the document. A mismatch is IdMismatch for inventory, as
 * recorded from AWS; for the other kinds it stays InvalidArgument (no recording says otherwise).
 */
function checkId(id: string, bodyId: string, kind?: 'inventory'): void {
  if (!ID_PATTERN.test(id)) throw invalidArgument('Invalid Id', 'id', id);
  if (bodyId === id) return;
  if (kind === 'inventory') throw configError('IdMismatch', 'Document ID does not match the specified configuration ID.');
  throw invalidArgument('Document ID does not match the specified configuration ID.', 'id', id);
}

function noSuchConfiguration() {
  return s3Error('NoSuchConfiguration', 'The specified configuration does not exist.');
}

/** A page of a bucket's configurations of one kind, by id (tokens: runtime/aws/pagination.ts). */
function page<T>(kind: string, records: Readonly<Record<string, T>>, token: string | undefined) {
  let after = '';
  if (token !== undefined) {
    const cursor = decodePageToken(kind, token);
    if (typeof cursor !== 'string') throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
    after = cursor;
  }
  const ids = Object.keys(records).filter((id) => id > after).sort();
  const shown = ids.slice(0, PAGE);
  const truncated = ids.length > PAGE;
  return {
    items: shown.map((id) => records[id]!),
    out: {
      IsTruncated: truncated,
      ...(token !== undefined ? { ContinuationToken: token } : {}),
      ...(truncated ? { NextContinuationToken: encodePageToken(kind, shown[shown.length - 1]!) } : {}),
    },
  };
}

export function configurationsByIdOperations(s3: S3Service) {
  const bucketOf = (ctx: OperationContext, input: { Bucket: string; ExpectedBucketOwner?: string }) => getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);

  /** Sets a configuration of a kind (checked and validated by the caller), and marks it changed. */
  function put(bucket: Bucket, kind: string, id: string, value: unknown): void {
    const records = (bucket.config[kind] ??= record()) as Record<string, unknown>;
    if (!Object.hasOwn(records, id) && Object.keys(records).length >= MAX_PER_KIND) {
      throw s3Error('TooManyConfigurations', 'You are attempting to create a new configuration but have already reached the 1,000-configuration limit.');
    }
    records[id] = value;
    s3.changed(bucket, 'config', kind, id);
  }

  function get<T>(bucket: Bucket, kind: string, id: string): T {
    const records = byId<T>(bucket, kind);
    if (!Object.hasOwn(records, id)) throw noSuchConfiguration();
    return records[id]!;
  }

  /** Deletes a configuration of a kind, or NoSuchConfiguration. */
  function remove(bucket: Bucket, kind: string, id: string): Record<string, never> {
    const records = bucket.config[kind] as Record<string, unknown> | undefined;
    if (!records || !Object.hasOwn(records, id)) throw noSuchConfiguration();
    delete records[id];
    s3.changed(bucket, 'config', kind, id);
    return {};
  }

  return {
    // ---- analytics
    PutBucketAnalyticsConfiguration(ctx, input) {
      const bucket = bucketOf(ctx, input);
      const c = input.AnalyticsConfiguration;
      checkId(input.Id, c.Id);
      const exp = c.StorageClassAnalysis.DataExport;
      if (exp) {
        oneOf(exp.OutputSchemaVersion, ['V_1']);
        oneOf(exp.Destination.S3BucketDestination.Format, ['CSV']);
      }
      put(bucket, 'analytics', input.Id, c);
      return {};
    },
    GetBucketAnalyticsConfiguration(ctx, input) {
      return { AnalyticsConfiguration: get<Analytics>(bucketOf(ctx, input), 'analytics', input.Id) };
    },
    DeleteBucketAnalyticsConfiguration(ctx, input) {
      return remove(bucketOf(ctx, input), 'analytics', input.Id);
    },
    ListBucketAnalyticsConfigurations(ctx, input) {
      const { items, out } = page('analytics', byId<Analytics>(bucketOf(ctx, input), 'analytics'), input.ContinuationToken);
      return { ...out, ...(items.length ? { AnalyticsConfigurationList: items } : {}) };
    },

    // ---- metrics
    PutBucketMetricsConfiguration(ctx, input) {
      const bucket = bucketOf(ctx, input);
      const c = input.MetricsConfiguration;
      checkId(input.Id, c.Id);
      put(bucket, 'metrics', input.Id, c);
      return {};
    },
    GetBucketMetricsConfiguration(ctx, input) {
      return { MetricsConfiguration: get<Metrics>(bucketOf(ctx, input), 'metrics', input.Id) };
    },
    DeleteBucketMetricsConfiguration(ctx, input) {
      return remove(bucketOf(ctx, input), 'metrics', input.Id);
    },
    ListBucketMetricsConfigurations(ctx, input) {
      const { items, out } = page('metrics', byId<Metrics>(bucketOf(ctx, input), 'metrics'), input.ContinuationToken);
      return { ...out, ...(items.length ? { MetricsConfigurationList: items } : {}) };
    },

    // ---- inventory
    PutBucketInventoryConfiguration(ctx, input) {
      const bucket = bucketOf(ctx, input);
      const c = input.InventoryConfiguration;
      // as S3 checks it: the document's form, then its Id, then the destination
      oneOf(c.Destination.S3BucketDestination.Format, ['CSV', 'ORC', 'Parquet']);
      oneOf(c.Schedule.Frequency, ['Daily', 'Weekly']);
      oneOf(c.IncludedObjectVersions, ['All', 'Current']);
      for (const field of c.OptionalFields ?? []) oneOf(field, INVENTORY_FIELDS);
      checkId(input.Id, c.Id, 'inventory');
      if (!/^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(c.Destination.S3BucketDestination.Bucket)) {
        throw configError('InvalidS3DestinationBucket', 'Invalid bucket ARN.');
      }
      put(bucket, 'inventory', input.Id, c);
      return {};
    },
    GetBucketInventoryConfiguration(ctx, input) {
      return { InventoryConfiguration: get<Inventory>(bucketOf(ctx, input), 'inventory', input.Id) };
    },
    DeleteBucketInventoryConfiguration(ctx, input) {
      return remove(bucketOf(ctx, input), 'inventory', input.Id);
    },
    ListBucketInventoryConfigurations(ctx, input) {
      const { items, out } = page('inventory', byId<Inventory>(bucketOf(ctx, input), 'inventory'), input.ContinuationToken);
      return { ...out, ...(items.length ? { InventoryConfigurationList: items } : {}) };
    },

    // ---- intelligent tiering
    PutBucketIntelligentTieringConfiguration(ctx, input) {
      const bucket = bucketOf(ctx, input);
      const c = input.IntelligentTieringConfiguration;
      checkId(input.Id, c.Id);
      oneOf(c.Status, ['Enabled', 'Disabled']);
      if (c.Tierings.length === 0) throw malformedXml();
      for (const t of c.Tierings) {
        oneOf(t.AccessTier, ['ARCHIVE_ACCESS', 'DEEP_ARCHIVE_ACCESS']);
        const [min, max] = t.AccessTier === 'ARCHIVE_ACCESS' ? [90, 730] : [180, 730];
        if (t.Days < min || t.Days > max) throw invalidArgument(`Days for ${t.AccessTier} must be between ${min} and ${max}`, 'Days', String(t.Days));
      }
      put(bucket, 'intelligentTiering', input.Id, c);
      return {};
    },
    GetBucketIntelligentTieringConfiguration(ctx, input) {
      return { IntelligentTieringConfiguration: get<IntelligentTiering>(bucketOf(ctx, input), 'intelligentTiering', input.Id) };
    },
    DeleteBucketIntelligentTieringConfiguration(ctx, input) {
      return remove(bucketOf(ctx, input), 'intelligentTiering', input.Id);
    },
    ListBucketIntelligentTieringConfigurations(ctx, input) {
      const { items, out } = page('intelligentTiering', byId<IntelligentTiering>(bucketOf(ctx, input), 'intelligentTiering'), input.ContinuationToken);
      return { ...out, ...(items.length ? { IntelligentTieringConfigurationList: items } : {}) };
    },
  } satisfies Partial<S3Api>;
}
