/**
 * S3: buckets, objects with versions, multipart uploads, bucket configurations.
 *
 * The provider is assembled from one module per area, each a function of the shared
 * S3Service (service.ts) returning its slice of the operation table:
 *   buckets.ts        CreateBucket, HeadBucket, DeleteBucket, ListBuckets, location, versioning
 *   objects.ts        PutObject, GetObject, HeadObject, DeleteObject, Put/GetObjectAcl
 *   copy.ts, delete-objects.ts, object-attributes.ts (GetObjectAttributes, RestoreObject),
 *   object-lock.ts, tagging.ts (object tags); sse.ts: encryption of new objects
 *   cors.ts           bucket CORS for browser requests, and the raw-HTTP hooks (intercept,
 *                     claimsCors) that answer preflights and website requests (website.ts)
 *   bucket-config.ts  bucket subresources (policy, CORS, lifecycle, website, tagging, ACL, ...)
 *   notifications.ts  notification configuration and event delivery (the notify hook)
 *   lifecycle.ts      lifecycle expiration every S3_LIFECYCLE_INTERVAL seconds (off by default)
 *   post-object.ts    PostObject (browser uploads: HTML forms with a policy)
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
import { bucketConfigOperations } from './bucket-config.js';
import { bucketOperations } from './buckets.js';
import { requestHooks } from './cors.js';
import { multipartOperations } from './multipart.js';
import { startLifecycle } from './lifecycle.js';
import { dispatchNotifications } from './notifications.js';
import { listingOperations } from './listing.js';
import { objectOperations } from './objects.js';
import { copyOperations } from './copy.js';
import { deleteObjectsOperations } from './delete-objects.js';
import { objectAttributesOperations } from './object-attributes.js';
import { objectLockOperations } from './object-lock.js';
import { taggingOperations } from './tagging.js';
import { postObjectOperations } from './post-object.js';
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
    notify(event: S3Event) {
      dispatchNotifications(context.log, event);
    },
  };
}

export function createProvider(context: ProviderContext): Provider {
  const s3 = createS3Service(context);
  const operations = {
    ...bucketOperations(s3),
    ...objectOperations(s3),
    ...copyOperations(s3),
    ...deleteObjectsOperations(s3),
    ...objectAttributesOperations(s3),
    ...objectLockOperations(s3),
    ...taggingOperations(s3),
    ...multipartOperations(s3),
    ...bucketConfigOperations(s3),
    ...postObjectOperations(s3),
    ...listingOperations(s3),
  } satisfies Partial<S3Api>;
  const stopLifecycle = startLifecycle(s3);
  return {
    operations,
    ...requestHooks(s3), // bucket CORS and website hosting, before operation routing (cors.ts)
    stop() {
      stopLifecycle();
      s3.blobs.destroy();
    },
  };
}
