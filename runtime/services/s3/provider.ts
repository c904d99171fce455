/**
 * S3: buckets, objects with versions, multipart uploads, bucket configurations.
 *
 * The provider is assembled from one module per area, each a function of the shared
 * S3Service (service.ts) returning its slice of the operation table:
 *   buckets.ts        CreateBucket, HeadBucket, DeleteBucket, ListBuckets, location, versioning
 *   objects.ts        PutObject, GetObject, HeadObject, DeleteObject, Put/GetObjectAcl
 *   copy.ts, delete-objects.ts, object-attributes.ts (GetObjectAttributes, RestoreObject),
 *   object-lock.ts, tagging.ts (object tags); sse.ts: encryption of new objects
 *   listing.ts        ListObjects, ListObjectsV2, ListObjectVersions (over key-index.ts)
 *   multipart.ts      multipart uploads, UploadPartCopy, full-object and composite checksums
 *   bucket-config.ts  bucket subresources (policy, CORS, lifecycle, website, tagging, ACL, ...)
 *   notifications.ts  notification configuration; notifier.ts sends events through the
 *                     runtime's delivery queue (the notify hook) and checks destinations
 *   lifecycle.ts      lifecycle expiration every S3_LIFECYCLE_INTERVAL seconds (off by
 *                     default), on the provider's scheduler
 *   post-object.ts    PostObject (browser uploads: HTML forms with a policy)
 *   cors.ts           bucket CORS for browser requests, and the raw-HTTP hooks (intercept,
 *                     claimsCors) that answer preflights and website requests (website.ts)
 * Virtual-host addressing and presigned URLs are gateway steps
 * (runtime/gateway/handlers/rewrite-s3-virtual-host.ts, check-s3-presigned.ts).
 * State lives in state.ts (plain data); bodies in blob-store.ts: files under
 * `<volume>/tmp/s3/<pid>-<random>` (small ones in memory within a budget), removed at shutdown since
 * state is not persisted yet.
 *
 * LIMITATIONS (each module's header has the details): state and bodies do not survive a
 * restart; nothing is encrypted (SSE is recorded and echoed); ACLs, bucket policies, public
 * access blocks and IAM are stored, not evaluated; signatures are checked only for SigV4
 * presigned URLs and only with S3_SKIP_SIGNATURE_VALIDATION=0; replication, logging,
 * acceleration, inventory, analytics and lifecycle transitions are stored but never act;
 * notifications reach only services that have a provider (others are dropped with a
 * warning); restores complete at once. Not implemented (501): SelectObjectContent,
 * WriteGetObjectResponse, GetObjectTorrent, and the S3 Express operations (CreateSession,
 * ListDirectoryBuckets). The legacy GetBucketNotification / PutBucketNotification routes are
 * served by their successors, as are the legacy lifecycle ones.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Provider, ProviderContext } from '../provider.js';
import type { S3Api } from './api.generated.js';
import { BlobStore } from './blob-store.js';
import { bucketConfigOperations } from './bucket-config.js';
import { bucketOperations } from './buckets.js';
import { requestHooks } from './cors.js';
import { multipartOperations } from './multipart.js';
import { startLifecycle } from './lifecycle.js';
import { createNotifier } from './notifier.js';
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
  const notifications = createNotifier(context);
  return {
    state: newState(),
    // one folder per provider instance: tests run several runtimes in one process
    blobs: BlobStore.open(join(parent, `${process.pid}-${randomBytes(4).toString('hex')}`)),
    config: context.config,
    log: context.log,
    notifications,
    notify(event: S3Event) {
      notifications.dispatch(event);
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
  const lifecycle = startLifecycle(s3, context.scheduler);
  return {
    operations,
    ...requestHooks(s3), // bucket CORS and website hosting, before operation routing (cors.ts)
    stop() {
      lifecycle?.cancel();
      s3.blobs.destroy();
    },
  };
}
