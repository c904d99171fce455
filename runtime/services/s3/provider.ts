/**
 * S3: buckets, objects with versions, multipart uploads, bucket configurations.
 *
 * The provider is assembled from one module per area, each a function of the shared
 * S3Service (service.ts) returning its slice of the operation table:
 *   buckets.ts        CreateBucket, HeadBucket, DeleteBucket, ListBuckets, location, versioning
 *   objects.ts        PutObject, GetObject, HeadObject, DeleteObject, ...
 *   listing.ts        ListObjects, ListObjectsV2, ListObjectVersions (key-index.ts)
 * State lives in state.ts (plain data); bodies in files (blob-store.ts) under
 * `<volume>/tmp/s3/<pid>`, removed at shutdown since state is not persisted yet.
 *
 * LIMITATIONS: see the list at the end of this comment as areas are completed.
 */
import { join } from 'node:path';
import type { Provider, ProviderContext } from '../provider.js';
import type { S3Api } from './api.generated.js';
import { BlobStore } from './blob-store.js';
import { bucketOperations } from './buckets.js';
import { listingOperations } from './listing.js';
import { objectOperations } from './objects.js';
import type { S3Event, S3Service } from './service.js';
import { newState } from './state.js';

export function createS3Service(context: ProviderContext): S3Service {
  const parent = join(context.config.volumeDir, 'tmp', 's3');
  BlobStore.sweep(parent);
  return {
    state: newState(),
    blobs: BlobStore.open(join(parent, String(process.pid))),
    config: context.config,
    log: context.log,
    notify(_event: S3Event) {},
  };
}

export function createProvider(context: ProviderContext): Provider {
  const s3 = createS3Service(context);
  const operations = {
    ...bucketOperations(s3),
    ...objectOperations(s3),
    ...listingOperations(s3),
  } satisfies Partial<S3Api>;
  return {
    operations,
    stop() {
      s3.blobs.destroy();
    },
  };
}
