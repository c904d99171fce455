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
 *   bucket-config.ts  bucket subresources (policy, CORS, lifecycle, website, tagging, ACL, ...);
 *                     bucket-config-by-id.ts: analytics, metrics, inventory, intelligent tiering
 *   notifications.ts  notification configuration; notifier.ts sends events through the
 *                     runtime's delivery queue (the notify hook) and checks destinations
 *   lifecycle.ts      lifecycle expiration every S3_LIFECYCLE_INTERVAL seconds (off by
 *                     default), on the provider's scheduler
 *   post-object.ts    PostObject (browser uploads: HTML forms with a policy)
 *   select/           SelectObjectContent: S3 Select's SQL (a peggy grammar) over CSV and
 *                     JSON, plain, GZIP or BZIP2, answered as an event stream
 *   cors.ts           bucket CORS for browser requests, and the raw-HTTP hooks (intercept,
 *                     claimsCors) that answer preflights and website requests (website.ts)
 * Virtual-host addressing, presigned URLs and request digests are S3's gateway steps
 * (gateway/, declared with S3's registry entry and run in the gateway's per-service slots).
 * State lives in state.ts (plain data), declared to the runtime as the global store
 * `buckets`, each change marked; bodies in blob-store.ts: small ones inline in the state,
 * the others files of the asset folder `objects` (temporary, or with persistence stable
 * under the volume). At start and whenever the runtime loads a state, files no object or
 * upload refers to are removed; a reset empties the folder (the runtime does) and the
 * provider forgets what it derived (key indexes, the inline byte count).
 *
 * LIMITATIONS (each module's header has the details): nothing is encrypted (SSE is recorded
 * and echoed); ACLs, bucket policies, public access blocks and IAM are stored, not evaluated;
 * signatures are checked only for SigV4 presigned URLs and only with
 * S3_SKIP_SIGNATURE_VALIDATION=0; replication, logging,
 * acceleration, inventory, analytics and lifecycle transitions are stored but never act;
 * notifications reach only services that have a provider (others are dropped with a
 * warning); restores complete at once; SelectObjectContent reads CSV and JSON, not Parquet
 * (select/operation.ts). Not implemented (501):
 * WriteGetObjectResponse, GetObjectTorrent, and the S3 Express operations (CreateSession,
 * ListDirectoryBuckets). The legacy GetBucketNotification / PutBucketNotification routes are
 * served by their successors, as are the legacy lifecycle ones.
 */
import type { Provider, ProviderContext } from '../provider.js';
import type { S3Api } from './api.generated.js';
import { BlobStore } from './blob-store.js';
import { bucketConfigOperations } from './bucket-config.js';
import { configurationsByIdOperations } from './bucket-config-by-id.js';
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
import { s3TaggedResources } from './tagged-resources.js';
import { postObjectOperations } from './post-object.js';
import { selectOperations } from './select/operation.js';
import { KeyIndexes } from './key-index.js';
import type { S3Event, S3Service } from './service.js';
import { newState, stateBlobs, type S3State } from './state.js';

export function createS3Service(context: ProviderContext): S3Service {
  const store = context.state.global<S3State>('buckets', newState);
  const objects = context.state.assets('objects');
  const notifications = createNotifier(context);
  return {
    get state() {
      return store.get();
    },
    changed(bucket, ...path) {
      store.changed('buckets', bucket.name, ...path);
    },
    keys: new KeyIndexes(),
    blobs: BlobStore.open(objects.path),
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
    ...configurationsByIdOperations(s3),
    ...postObjectOperations(s3),
    ...listingOperations(s3),
    ...selectOperations(s3),
  } satisfies Partial<S3Api>;
  const lifecycle = startLifecycle(s3, context.scheduler);
  /** Takes stock of the bodies a state refers to; the rest of the folder goes. */
  const retainBodies = (spareSince?: number) => {
    const removed = s3.blobs.retain(stateBlobs(s3.state), spareSince);
    if (removed > 0) s3.log.debug(`S3: removed ${removed} body files no object refers to`);
  };
  return {
    operations,
    ...requestHooks(s3), // bucket CORS and website hosting, before operation routing (cors.ts)
    taggedResources: s3TaggedResources(s3), // for the Resource Groups Tagging API
    start() {
      retainBodies();
    },
    stateChanged(event) {
      s3.keys.clear();
      if (event === 'reset') s3.blobs.cleared();
      // uploads may be in flight while a state is loaded: their recent files stay
      else retainBodies(Date.now() - 60_000);
    },
    stop() {
      lifecycle?.cancel();
    },
  };
}
