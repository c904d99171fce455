/**
 * S3's resource types: AWS::S3::Bucket and AWS::S3::BucketPolicy.
 *
 * A bucket's Ref is its name; GetAtt reads Arn, DomainName, RegionalDomainName,
 * DualStackDomainName and WebsiteURL in the forms CloudFormation documents
 * (`<name>.s3.<region>.amazonaws.com`, `http://<name>.s3-website-us-east-1.amazonaws.com`:
 * the dash form in the regions that have it). A new bucket when BucketName or
 * ObjectLockEnabled change; every configuration (s3-configurations.ts) is set, replaced or
 * removed in place; the properties not emulated here (replication, metrics, inventory, analytics,
 * intelligent tiering, ...) are logged as not applied. Deleting a bucket that still holds objects fails as in AWS ("The bucket you
 * tried to delete is not empty"): the template's DeletionPolicy decides whether it is kept.
 *
 * A bucket policy's Ref is its bucket's name (the resource schema's primary identifier).
 */
import { partitionOf } from '../../../aws/arns.js';
import type { BucketConfiguration } from './s3-configurations.js';
import { BUCKET_CONFIGURATIONS } from './s3-configurations.js';
import { bool, differs, ignoring, jsonText, tagList, tagsOf, type TagList } from './property-values.js';
import type { PropertyValue, ResourceContext, ResourceState, ResourceType } from './resource-type.js';

/** AWS::S3::Bucket's properties (the configurations as the template writes them). */
export interface BucketProperties {
  BucketName?: string;
  AccessControl?: string;
  ObjectLockEnabled?: boolean | string;
  VersioningConfiguration?: PropertyValue;
  BucketEncryption?: PropertyValue;
  PublicAccessBlockConfiguration?: PropertyValue;
  OwnershipControls?: PropertyValue;
  LifecycleConfiguration?: PropertyValue;
  CorsConfiguration?: PropertyValue;
  WebsiteConfiguration?: PropertyValue;
  NotificationConfiguration?: PropertyValue;
  LoggingConfiguration?: PropertyValue;
  AccelerateConfiguration?: PropertyValue;
  ObjectLockConfiguration?: PropertyValue;
  Tags?: TagList;
}

/** The properties a bucket applies; any other (ReplicationConfiguration, MetricsConfigurations, ...) is logged as not applied. */
const APPLIED = new Set(['BucketName', 'AccessControl', 'ObjectLockEnabled', 'Tags', ...BUCKET_CONFIGURATIONS.map((c) => c.property)]);

function warnNotApplied(ctx: ResourceContext, props: BucketProperties): void {
  const ignored = Object.keys(props).filter((k) => !APPLIED.has(k));
  if (ignored.length) ctx.log.warn(`AWS::S3::Bucket ${ctx.logicalId}: not applied (not emulated by this resource type): ${ignored.join(', ')}`);
}

/** Regions whose website endpoint is `s3-website-<region>` rather than `s3-website.<region>`. */
const DASH_WEBSITE_REGIONS = new Set(['us-east-1', 'us-west-1', 'us-west-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'eu-west-1', 'sa-east-1', 'us-gov-west-1']);

/** CloudFormation's canned ACL names to S3's. */
const CANNED_ACLS: Readonly<Record<string, string>> = {
  Private: 'private',
  PublicRead: 'public-read',
  PublicReadWrite: 'public-read-write',
  AuthenticatedRead: 'authenticated-read',
  LogDeliveryWrite: 'log-delivery-write',
  BucketOwnerRead: 'bucket-owner-read',
  BucketOwnerFullControl: 'bucket-owner-full-control',
  AwsExecRead: 'aws-exec-read',
};

function bucketState(ctx: ResourceContext, name: string): ResourceState {
  const suffix = partitionOf(ctx.region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  const website = DASH_WEBSITE_REGIONS.has(ctx.region) ? `s3-website-${ctx.region}` : `s3-website.${ctx.region}`;
  return {
    physicalId: name,
    attributes: {
      Arn: `arn:${ctx.partition}:s3:::${name}`,
      DomainName: `${name}.s3.${suffix}`,
      RegionalDomainName: `${name}.s3.${ctx.region}.${suffix}`,
      DualStackDomainName: `${name}.s3.dualstack.${ctx.region}.${suffix}`,
      WebsiteURL: `http://${name}.${website}.${suffix}`,
    },
  };
}

function valueOf(props: BucketProperties, configuration: BucketConfiguration): { [key: string]: PropertyValue } | undefined {
  const value = props[configuration.property as keyof BucketProperties] as PropertyValue | undefined;
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

async function setAcl(ctx: ResourceContext, bucket: string, acl: string | undefined): Promise<void> {
  await ctx.call('s3', 'PutBucketAcl', { Bucket: bucket, ACL: acl === undefined ? 'private' : (CANNED_ACLS[acl] ?? acl) });
}

async function setTags(ctx: ResourceContext, bucket: string, tags: Record<string, string>): Promise<void> {
  if (Object.keys(tags).length) await ctx.call('s3', 'PutBucketTagging', { Bucket: bucket, Tagging: { TagSet: tagList(tags) } });
  else await ctx.call('s3', 'DeleteBucketTagging', { Bucket: bucket });
}

/** AWS::S3::Bucket. */
export const bucket: ResourceType<BucketProperties> = {
  type: 'AWS::S3::Bucket',
  nameProperty: 'BucketName',
  createOnly: ['BucketName', 'ObjectLockEnabled'],
  attributes: ['Arn', 'DomainName', 'RegionalDomainName', 'DualStackDomainName', 'WebsiteURL'],
  async create(ctx, props) {
    warnNotApplied(ctx, props);
    const name = props.BucketName ?? ctx.physicalName({ max: 63, lowerCase: true });
    await ctx.call('s3', 'CreateBucket', {
      Bucket: name,
      ...(ctx.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: ctx.region } }),
      ...(bool(props.ObjectLockEnabled) ? { ObjectLockEnabledForBucket: true } : {}),
    });
    try {
      for (const configuration of BUCKET_CONFIGURATIONS) {
        const value = valueOf(props, configuration);
        if (value) await configuration.set(ctx, name, value);
        if (configuration.property === 'OwnershipControls' && props.AccessControl !== undefined) await setAcl(ctx, name, props.AccessControl);
      }
      const tags = tagsOf(ctx.stackTags, props.Tags);
      if (Object.keys(tags).length) await setTags(ctx, name, tags);
    } catch (error) {
      // the handler leaves nothing behind when a configuration is refused, as AWS's does
      await ignoring(['NoSuchBucket'], () => ctx.call('s3', 'DeleteBucket', { Bucket: name }));
      throw error;
    }
    return bucketState(ctx, name);
  },
  async update(ctx, current, props, previous) {
    const name = current.physicalId;
    warnNotApplied(ctx, props);
    for (const configuration of BUCKET_CONFIGURATIONS) {
      const next = valueOf(props, configuration);
      const before = valueOf(previous, configuration);
      if (differs(next, before)) {
        if (next) await configuration.set(ctx, name, next);
        else await configuration.remove(ctx, name);
      }
      if (configuration.property === 'OwnershipControls' && props.AccessControl !== previous.AccessControl) await setAcl(ctx, name, props.AccessControl);
    }
    const tags = tagsOf(ctx.stackTags, props.Tags);
    const old = (await ctx.call('s3', 'GetBucketTagging', { Bucket: name }).catch(() => ({ TagSet: [] }))).TagSet ?? [];
    if (differs(tagList(tags), old.map((t) => ({ Key: t.Key, Value: t.Value })))) await setTags(ctx, name, tags);
    return bucketState(ctx, name);
  },
  async delete(ctx, current) {
    await ignoring(['NoSuchBucket'], () => ctx.call('s3', 'DeleteBucket', { Bucket: current.physicalId }));
  },
};

/** AWS::S3::BucketPolicy's properties. */
export interface BucketPolicyProperties {
  Bucket: string;
  PolicyDocument: PropertyValue;
}

/** AWS::S3::BucketPolicy. */
export const bucketPolicy: ResourceType<BucketPolicyProperties> = {
  type: 'AWS::S3::BucketPolicy',
  required: ['Bucket', 'PolicyDocument'],
  createOnly: ['Bucket'],
  async create(ctx, props) {
    await ctx.call('s3', 'PutBucketPolicy', { Bucket: props.Bucket, Policy: jsonText(props.PolicyDocument)! });
    return { physicalId: props.Bucket, attributes: {} };
  },
  async update(ctx, current, props) {
    await ctx.call('s3', 'PutBucketPolicy', { Bucket: props.Bucket, Policy: jsonText(props.PolicyDocument)! });
    return current;
  },
  async delete(ctx, current) {
    await ignoring(['NoSuchBucket', 'NoSuchBucketPolicy'], () => ctx.call('s3', 'DeleteBucketPolicy', { Bucket: current.physicalId }));
  },
};

/** This service's resource types, as resources/index.ts loads them. */
export const resourceTypes = [bucket, bucketPolicy];
