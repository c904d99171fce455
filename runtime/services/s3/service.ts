/**
 * What every part of the S3 provider shares: the state (declared to the runtime, see
 * state.ts), the marks that tell the runtime what changed, the body store, the key
 * indexes, the runtime's configuration, and the hook through which S3 announces events
 * (notifications). Each operation module (buckets.ts, objects.ts, listing.ts, multipart.ts,
 * bucket-config.ts) is a function of this, returning its slice of the operation table.
 *
 * `state` is read anew on every use (never kept in a variable across requests): a reset or
 * a load replaces the whole tree.
 */
import type { RuntimeConfig } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { BlobStore } from './blob-store.js';
import type { KeyIndexes } from './key-index.js';
import type { Notifier } from './notifier.js';
import type { S3State, StoredObject, Bucket } from './state.js';

/** An object event S3 would announce (s3:ObjectCreated:Put, s3:ObjectRemoved:Delete, ...). */
export interface S3Event {
  /** Without the `s3:` prefix: `ObjectCreated:Put`. */
  readonly name: string;
  readonly bucket: Bucket;
  readonly object: Pick<StoredObject, 'key' | 'size' | 'etag' | 'versionId'> & Partial<Pick<StoredObject, 'storageClass' | 'restore'>> & { sequencer?: string };
  readonly requestId: string;
  readonly accountId: string;
  readonly region: string;
  readonly sourceIp?: string;
}

export interface S3Service {
  /** The current state tree (a reset or a load replaces it: read it per request). */
  readonly state: S3State;
  /**
   * Marks a part of a bucket as changed or deleted, from the bucket down:
   * `changed(bucket)`, `changed(bucket, 'objects', key)`, `changed(bucket, 'config', 'cors')`
   * (the paths are listed in state.ts).
   */
  changed(bucket: Bucket, ...path: string[]): void;
  /** The sorted keys of each bucket (derived from the state, for listings). */
  readonly keys: KeyIndexes;
  readonly blobs: BlobStore;
  readonly config: RuntimeConfig;
  readonly log: Logger;
  /** Sends notifications: event deliveries, test events, destination checks (notifier.ts). */
  readonly notifications: Notifier;
  /** Announces an object event to the bucket's notification configuration (notifications.dispatch). */
  notify(event: S3Event): void;
}
