/**
 * AWS::S3::Bucket's configuration properties, each mapped from CloudFormation's shape to the
 * S3 API's (LifecycleConfiguration's `ExpirationInDays` to a rule's `Expiration.Days`, its
 * Prefix, TagFilters and size limits to one `Filter`; CorsRules' `MaxAge` to `MaxAgeSeconds`;
 * NotificationConfiguration's one `Event` per entry to `Events`; LoggingConfiguration,
 * AccelerateConfiguration, ObjectLockConfiguration), with the call that sets it and
 * the call that removes it when an update drops it. s3.ts applies them in this order.
 */
import type { OperationInput } from '../../apis.js';
import { bool, num } from './property-values.js';
import type { PropertyValue, ResourceContext } from './resource-type.js';

type Obj = { [key: string]: PropertyValue };
type Input<O extends string> = OperationInput<'s3', O>;

const obj = (v: PropertyValue | undefined): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {});
const list = (v: PropertyValue | undefined): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
const str = (v: PropertyValue | undefined): string | undefined => (v === undefined || v === null ? undefined : String(v));
const strs = (v: PropertyValue | undefined): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);
const dateOf = (v: PropertyValue | undefined): Date | undefined => (v === undefined || v === null ? undefined : new Date(String(v)));
/** An object without its undefined members (the S3 types take absent, not undefined). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function lifecycleFilter(rule: Obj): Obj {
  const tags = list(rule['TagFilters']).map((t) => ({ Key: String(t['Key']), Value: String(t['Value']) }));
  const parts: Obj = defined({ Prefix: str(rule['Prefix']), ObjectSizeGreaterThan: num(rule['ObjectSizeGreaterThan']), ObjectSizeLessThan: num(rule['ObjectSizeLessThan']) }) as Obj;
  const count = Object.keys(parts).length + tags.length;
  if (count === 0) return { Prefix: '' };
  if (count === 1) return tags.length ? { Tag: tags[0]! } : parts;
  return { And: { ...parts, ...(tags.length ? { Tags: tags } : {}) } };
}

function lifecycleRule(rule: Obj): object {
  const transitions = [...list(rule['Transitions']), ...(rule['Transition'] ? [obj(rule['Transition'])] : [])];
  const noncurrentTransitions = [...list(rule['NoncurrentVersionTransitions']), ...(rule['NoncurrentVersionTransition'] ? [obj(rule['NoncurrentVersionTransition'])] : [])];
  const noncurrent = obj(rule['NoncurrentVersionExpiration']);
  const expiration = defined({
    Days: num(rule['ExpirationInDays']),
    Date: dateOf(rule['ExpirationDate']),
    ExpiredObjectDeleteMarker: bool(rule['ExpiredObjectDeleteMarker']),
  });
  const noncurrentDays = num(noncurrent['NoncurrentDays']) ?? num(rule['NoncurrentVersionExpirationInDays']);
  const abort = rule['AbortIncompleteMultipartUpload'] ? { DaysAfterInitiation: num(obj(rule['AbortIncompleteMultipartUpload'])['DaysAfterInitiation']) } : undefined;
  return defined({
    ID: str(rule['Id']),
    Status: String(rule['Status']),
    Filter: lifecycleFilter(rule),
    Expiration: Object.keys(expiration).length ? expiration : undefined,
    NoncurrentVersionExpiration: noncurrentDays !== undefined ? defined({ NoncurrentDays: noncurrentDays, NewerNoncurrentVersions: num(noncurrent['NewerNoncurrentVersions']) }) : undefined,
    AbortIncompleteMultipartUpload: abort,
    Transitions: transitions.length ? transitions.map((t) => defined({ StorageClass: str(t['StorageClass']), Days: num(t['TransitionInDays']), Date: dateOf(t['TransitionDate']) })) : undefined,
    NoncurrentVersionTransitions: noncurrentTransitions.length
      ? noncurrentTransitions.map((t) => defined({ StorageClass: str(t['StorageClass']), NoncurrentDays: num(t['TransitionInDays']), NewerNoncurrentVersions: num(t['NewerNoncurrentVersions']) }))
      : undefined,
  });
}

function notificationFilter(entry: Obj): Obj | undefined {
  const rules = list(obj(obj(entry['Filter'])['S3Key'])['Rules']);
  return rules.length ? { Key: { FilterRules: rules.map((r) => ({ Name: String(r['Name']), Value: String(r['Value']) })) } } : undefined;
}

function notifications(config: Obj, list_: string, arnKey: string, cfnKey: string): Obj[] | undefined {
  const entries = list(config[list_]);
  return entries.length ? entries.map((e) => defined({ [arnKey]: String(e[cfnKey]), Events: [String(e['Event'])], Filter: notificationFilter(e) }) as Obj) : undefined;
}

/** One configuration property: how it is set, and how it is removed. */
export interface BucketConfiguration {
  readonly property: string;
  set(ctx: ResourceContext, bucket: string, value: Obj): Promise<unknown>;
  remove(ctx: ResourceContext, bucket: string): Promise<unknown>;
}

/** The configurations in the order they are applied (ownership before ACL-sensitive settings). */
export const BUCKET_CONFIGURATIONS: readonly BucketConfiguration[] = [
  {
    property: 'OwnershipControls',
    set: (ctx, Bucket, v) => ctx.call('s3', 'PutBucketOwnershipControls', { Bucket, OwnershipControls: { Rules: list(v['Rules']).map((r) => ({ ObjectOwnership: String(r['ObjectOwnership']) })) } }),
    remove: (ctx, Bucket) => ctx.call('s3', 'DeleteBucketOwnershipControls', { Bucket }),
  },
  {
    property: 'PublicAccessBlockConfiguration',
    set: (ctx, Bucket, v) =>
      ctx.call('s3', 'PutPublicAccessBlock', {
        Bucket,
        PublicAccessBlockConfiguration: defined({ BlockPublicAcls: bool(v['BlockPublicAcls']), IgnorePublicAcls: bool(v['IgnorePublicAcls']), BlockPublicPolicy: bool(v['BlockPublicPolicy']), RestrictPublicBuckets: bool(v['RestrictPublicBuckets']) }),
      }),
    remove: (ctx, Bucket) => ctx.call('s3', 'DeletePublicAccessBlock', { Bucket }),
  },
  {
    property: 'VersioningConfiguration',
    set: (ctx, Bucket, v) => ctx.call('s3', 'PutBucketVersioning', { Bucket, VersioningConfiguration: { Status: String(v['Status']) } }),
    // a versioned bucket cannot go back to unversioned: CloudFormation suspends it
    remove: (ctx, Bucket) => ctx.call('s3', 'PutBucketVersioning', { Bucket, VersioningConfiguration: { Status: 'Suspended' } }),
  },
  {
    property: 'BucketEncryption',
    set: (ctx, Bucket, v) =>
      ctx.call('s3', 'PutBucketEncryption', {
        Bucket,
        ServerSideEncryptionConfiguration: {
          Rules: list(v['ServerSideEncryptionConfiguration']).map((r) => {
            const d = obj(r['ServerSideEncryptionByDefault']);
            return defined({
              ApplyServerSideEncryptionByDefault: r['ServerSideEncryptionByDefault'] ? defined({ SSEAlgorithm: String(d['SSEAlgorithm']), KMSMasterKeyID: str(d['KMSMasterKeyID']) }) : undefined,
              BucketKeyEnabled: bool(r['BucketKeyEnabled']),
            });
          }),
        },
      }),
    remove: (ctx, Bucket) => ctx.call('s3', 'DeleteBucketEncryption', { Bucket }),
  },
  {
    property: 'LifecycleConfiguration',
    set: (ctx, Bucket, v) =>
      ctx.call('s3', 'PutBucketLifecycleConfiguration', {
        Bucket,
        LifecycleConfiguration: { Rules: list(v['Rules']).map(lifecycleRule) } as unknown as Input<'PutBucketLifecycleConfiguration'>['LifecycleConfiguration'],
        ...(v['TransitionDefaultMinimumObjectSize'] ? { TransitionDefaultMinimumObjectSize: String(v['TransitionDefaultMinimumObjectSize']) } : {}),
      }),
    remove: (ctx, Bucket) => ctx.call('s3', 'DeleteBucketLifecycle', { Bucket }),
  },
  {
    property: 'ObjectLockConfiguration',
    set: (ctx, Bucket, v) => {
      const retention = obj(obj(v['Rule'])['DefaultRetention']);
      return ctx.call('s3', 'PutObjectLockConfiguration', {
        Bucket,
        ObjectLockConfiguration: defined({
          ObjectLockEnabled: str(v['ObjectLockEnabled']),
          Rule: v['Rule'] ? { DefaultRetention: defined({ Mode: str(retention['Mode']), Days: num(retention['Days']), Years: num(retention['Years']) }) } : undefined,
        }),
      });
    },
    // object lock cannot be turned off: only the default retention goes
    remove: (ctx, Bucket) => ctx.call('s3', 'PutObjectLockConfiguration', { Bucket, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } }),
  },
  {
    property: 'LoggingConfiguration',
    set: (ctx, Bucket, v) =>
      ctx.call('s3', 'PutBucketLogging', {
        Bucket,
        // without DestinationBucketName, S3 logs into the bucket itself (CloudFormation's rule)
        BucketLoggingStatus: { LoggingEnabled: { TargetBucket: str(v['DestinationBucketName']) ?? Bucket, TargetPrefix: str(v['LogFilePrefix']) ?? '' } },
      }),
    remove: (ctx, Bucket) => ctx.call('s3', 'PutBucketLogging', { Bucket, BucketLoggingStatus: {} }),
  },
  {
    property: 'AccelerateConfiguration',
    set: (ctx, Bucket, v) => ctx.call('s3', 'PutBucketAccelerateConfiguration', { Bucket, AccelerateConfiguration: { Status: String(v['AccelerationStatus']) } }),
    remove: (ctx, Bucket) => ctx.call('s3', 'PutBucketAccelerateConfiguration', { Bucket, AccelerateConfiguration: { Status: 'Suspended' } }),
  },
  {
    property: 'CorsConfiguration',
    set: (ctx, Bucket, v) =>
      ctx.call('s3', 'PutBucketCors', {
        Bucket,
        CORSConfiguration: {
          CORSRules: list(v['CorsRules']).map((r) =>
            defined({ ID: str(r['Id']), AllowedHeaders: strs(r['AllowedHeaders']), AllowedMethods: strs(r['AllowedMethods']) ?? [], AllowedOrigins: strs(r['AllowedOrigins']) ?? [], ExposeHeaders: strs(r['ExposedHeaders']), MaxAgeSeconds: num(r['MaxAge']) }),
          ),
        },
      }),
    remove: (ctx, Bucket) => ctx.call('s3', 'DeleteBucketCors', { Bucket }),
  },
  {
    property: 'WebsiteConfiguration',
    set: (ctx, Bucket, v) => {
      const redirectAll = obj(v['RedirectAllRequestsTo']);
      return ctx.call('s3', 'PutBucketWebsite', {
        Bucket,
        WebsiteConfiguration: defined({
          IndexDocument: v['IndexDocument'] !== undefined ? { Suffix: String(v['IndexDocument']) } : undefined,
          ErrorDocument: v['ErrorDocument'] !== undefined ? { Key: String(v['ErrorDocument']) } : undefined,
          RedirectAllRequestsTo: v['RedirectAllRequestsTo'] ? defined({ HostName: String(redirectAll['HostName']), Protocol: str(redirectAll['Protocol']) }) : undefined,
          RoutingRules: v['RoutingRules']
            ? list(v['RoutingRules']).map((r) => {
                const redirect = obj(r['RedirectRule']);
                const condition = obj(r['RoutingRuleCondition']);
                return defined({
                  Redirect: defined({ HostName: str(redirect['HostName']), HttpRedirectCode: str(redirect['HttpRedirectCode']), Protocol: str(redirect['Protocol']), ReplaceKeyPrefixWith: str(redirect['ReplaceKeyPrefixWith']), ReplaceKeyWith: str(redirect['ReplaceKeyWith']) }),
                  Condition: r['RoutingRuleCondition'] ? defined({ HttpErrorCodeReturnedEquals: str(condition['HttpErrorCodeReturnedEquals']), KeyPrefixEquals: str(condition['KeyPrefixEquals']) }) : undefined,
                });
              })
            : undefined,
        }),
      });
    },
    remove: (ctx, Bucket) => ctx.call('s3', 'DeleteBucketWebsite', { Bucket }),
  },
  {
    property: 'NotificationConfiguration',
    set: (ctx, Bucket, v) =>
      ctx.call('s3', 'PutBucketNotificationConfiguration', {
        Bucket,
        NotificationConfiguration: defined({
          QueueConfigurations: notifications(v, 'QueueConfigurations', 'QueueArn', 'Queue'),
          TopicConfigurations: notifications(v, 'TopicConfigurations', 'TopicArn', 'Topic'),
          LambdaFunctionConfigurations: notifications(v, 'LambdaConfigurations', 'LambdaFunctionArn', 'Function'),
          EventBridgeConfiguration: bool(obj(v['EventBridgeConfiguration'])['EventBridgeEnabled']) ? {} : undefined,
        }) as unknown as Input<'PutBucketNotificationConfiguration'>['NotificationConfiguration'],
      }),
    remove: (ctx, Bucket) => ctx.call('s3', 'PutBucketNotificationConfiguration', { Bucket, NotificationConfiguration: {} }),
  },
];
