/**
 * S3's tagged resources for the Resource Groups Tagging API (Provider.taggedResources):
 * buckets and their bucket tagging (`s3:bucket`, `arn:<partition>:s3:::<name>`), listed in
 * the region the bucket is in, changed with the rules of PutBucketTagging (InvalidTag, at
 * most 50 tags). Object tags are not resources of the tagging API, as in AWS.
 */
import { parseArn, partitionOf } from '../../aws/arns.js';
import { mergeTags, removeTagKeys, tagListOf, tagMapOf } from '../../aws/tags.js';
import type { OperationContext, TaggedResource, TaggedResources } from '../provider.js';
import { bucketTags } from './bucket-config.js';
import { noSuchBucket } from './errors.js';
import type { S3Service } from './service.js';
import { getBucket, type Bucket, type Tag } from './state.js';
import { validateTags } from './tagging.js';

function bucketArn(bucket: Bucket): string {
  return `arn:${partitionOf(bucket.region)}:s3:::${bucket.name}`;
}

export function s3TaggedResources(s3: S3Service): TaggedResources {
  /** The caller's bucket an ARN names (a bucket ARN has no region, no account, no key). */
  function bucketOf(ctx: OperationContext, arn: string): Bucket {
    const parsed = parseArn(arn);
    const name = parsed?.resource ?? '';
    if (!parsed || parsed.region !== '' || parsed.accountId !== '' || name.includes('/')) throw noSuchBucket(name || arn);
    return getBucket(s3.state, ctx, name, ctx.accountId);
  }

  function setTags(bucket: Bucket, tags: Tag[]): void {
    if (tags.length === 0) delete bucket.config.tagging;
    else bucket.config.tagging = { TagSet: validateTags(tags, 'bucket') };
    s3.changed(bucket, 'config', 'tagging');
  }

  return {
    *list(accountId, region): Iterable<TaggedResource> {
      for (const bucket of Object.values(s3.state.buckets)) {
        if (bucket.accountId !== accountId || bucket.region !== region) continue;
        const tags = bucketTags(bucket);
        if (tags.length > 0) yield { arn: bucketArn(bucket), type: 'bucket', tags: tagMapOf(tags) };
      }
    },
    tag(ctx, arn, tags) {
      const bucket = bucketOf(ctx, arn);
      setTags(bucket, mergeTags(bucketTags(bucket), tagListOf(tags)));
    },
    untag(ctx, arn, keys) {
      const bucket = bucketOf(ctx, arn);
      setTags(bucket, removeTagKeys(bucketTags(bucket), keys));
    },
  };
}
