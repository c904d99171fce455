/**
 * Bucket configurations (subresources): policy, CORS, lifecycle, website, default
 * encryption, ownership controls, public access block, logging, accelerate, request
 * payment, tagging, ACL, replication, notifications (notifications.ts); the analytics /
 * metrics / inventory / intelligent-tiering configurations kept by id are in
 * bucket-config-by-id.ts.
 *
 * Storage contract (other modules read it): each configuration is kept at
 * `bucket.config.<name>` as the Put operation's document member, as the generated type
 * gives it (cors = { CORSRules }, website = WebsiteConfiguration, ...); the policy as the
 * string given; the configurations by id as records `{ [Id]: configuration }`. The typed
 * getters at the top of this file are how the rest of the provider reads them.
 *
 * Validation follows S3: its error codes and messages for the checks listed with each
 * operation; a document that does not fit the schema is MalformedXML.
 *
 * LIMITATIONS: configurations are stored and returned; S3 acts on few of them here.
 * Policies and ACLs are not evaluated (no access control), public access block settings
 * are enforced only at PutBucketPolicy / PutBucketAcl (BlockPublicPolicy, BlockPublicAcls),
 * nothing replicates, logs, accelerates, analyses or inventories. Lifecycle expiration runs
 * only when S3_LIFECYCLE_INTERVAL is set (lifecycle.ts), and transitions never do. GetBucketPolicyStatus treats
 * a policy as public when it allows a `*` principal without any Condition (S3 also accepts
 * some conditions as non-public). New buckets have no public access block configuration,
 * as LocalStack's have (AWS gives new buckets one blocking everything since April 2023).
 */
import { randomToken } from '../../aws/ids.js';
import type { OperationContext } from '../provider.js';
import type {
  PutBucketCorsInput,
  PutBucketEncryptionInput,
  PutBucketLifecycleConfigurationInput,
  PutBucketLoggingInput,
  PutBucketOwnershipControlsInput,
  PutBucketReplicationInput,
  PutBucketTaggingInput,
  PutBucketWebsiteInput,
  PutPublicAccessBlockInput,
  S3Api,
} from './api.generated.js';
import { aclFromPolicy, aclFromRequest, aclOutput, checkAclWithOwnership, grantsOthers, isPublicAcl } from './acl.js';
import {
  checkLoggingTarget,
  invalidRequest,
  MIN_OBJECT_SIZES,
  oneOf,
  policyIsPublic,
  policyStatements,
  validateCors,
  validateEncryption,
  validateLifecycle,
  validateReplication,
  validateWebsite,
} from './bucket-config-rules.js';
import { malformedXml, s3Error } from './errors.js';
import { notificationConfig, validateNotificationConfiguration } from './notifications.js';
import type { S3Service } from './service.js';
import { getBucket, type Bucket } from './state.js';
import { validateTags } from './tagging.js';

export type CorsConfiguration = PutBucketCorsInput['CORSConfiguration'];
export type CorsRule = CorsConfiguration['CORSRules'][number];
export type WebsiteConfiguration = PutBucketWebsiteInput['WebsiteConfiguration'];
export type EncryptionConfiguration = PutBucketEncryptionInput['ServerSideEncryptionConfiguration'];
export type LifecycleConfiguration = NonNullable<PutBucketLifecycleConfigurationInput['LifecycleConfiguration']>;
export type LifecycleRule = LifecycleConfiguration['Rules'][number];
export type Tagging = PutBucketTaggingInput['Tagging'];
export type PublicAccessBlock = PutPublicAccessBlockInput['PublicAccessBlockConfiguration'];
export type OwnershipControls = PutBucketOwnershipControlsInput['OwnershipControls'];
export type LoggingStatus = PutBucketLoggingInput['BucketLoggingStatus'];
export type ReplicationConfiguration = PutBucketReplicationInput['ReplicationConfiguration'];

// ---------------------------------------------------------------------------------------
// Getters for the rest of the provider

/** The bucket's CORS rules, or undefined when it has no CORS configuration. */
export function corsRules(bucket: Bucket): CorsRule[] | undefined {
  return (bucket.config.cors as CorsConfiguration | undefined)?.CORSRules;
}

/** The bucket's website configuration, or undefined when it is not a website. */
export function websiteConfig(bucket: Bucket): WebsiteConfiguration | undefined {
  return bucket.config.website as WebsiteConfiguration | undefined;
}

/** The bucket policy (the JSON text as it was put), or undefined. */
export function bucketPolicy(bucket: Bucket): string | undefined {
  return bucket.config.policy as string | undefined;
}

/** The bucket's lifecycle configuration, or undefined. */
export function lifecycleConfig(bucket: Bucket): LifecycleConfiguration | undefined {
  return bucket.config.lifecycle as LifecycleConfiguration | undefined;
}

/** S3's default encryption for buckets without one of their own (SSE-S3, since January 2023). */
export const DEFAULT_ENCRYPTION: EncryptionConfiguration = { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] };

/** The bucket's default encryption: its own, else S3's AES256 default. */
export function encryptionConfig(bucket: Bucket): EncryptionConfiguration {
  return (bucket.config.encryption as EncryptionConfiguration | undefined) ?? DEFAULT_ENCRYPTION;
}

/** The default encryption rule new objects get: algorithm, KMS key, bucket key. */
export function defaultEncryption(bucket: Bucket): { algorithm: string; kmsKeyId?: string; bucketKeyEnabled?: boolean } {
  const rule = encryptionConfig(bucket).Rules[0];
  const by = rule?.ApplyServerSideEncryptionByDefault;
  return {
    algorithm: by?.SSEAlgorithm ?? 'AES256',
    ...(by?.KMSMasterKeyID !== undefined ? { kmsKeyId: by.KMSMasterKeyID } : {}),
    ...(rule?.BucketKeyEnabled !== undefined ? { bucketKeyEnabled: rule.BucketKeyEnabled } : {}),
  };
}

/** The bucket's object ownership setting (BucketOwnerEnforced when none is set, as for new buckets). */
export function objectOwnership(bucket: Bucket): string | undefined {
  return (bucket.config.ownershipControls as OwnershipControls | undefined)?.Rules[0]?.ObjectOwnership;
}

/** The bucket's tags ([] when it has none). */
export function bucketTags(bucket: Bucket): Array<{ Key: string; Value: string }> {
  return (bucket.config.tagging as Tagging | undefined)?.TagSet ?? [];
}

/** The bucket's public access block configuration, or undefined. */
export function publicAccessBlock(bucket: Bucket): PublicAccessBlock | undefined {
  return bucket.config.publicAccessBlock as PublicAccessBlock | undefined;
}

export { notificationConfig };

const notFound = (code: Parameters<typeof s3Error>[0], message: string, bucket: Bucket) => s3Error(code, message, { fields: { BucketName: bucket.name } });

// ---------------------------------------------------------------------------------------

export function bucketConfigOperations(s3: S3Service) {
  const bucketOf = (ctx: OperationContext, input: { Bucket: string; ExpectedBucketOwner?: string }) => getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);

  /** Put / Get / Delete of a configuration kept whole at `bucket.config[name]`. */
  function stored<T>(ctx: OperationContext, input: { Bucket: string; ExpectedBucketOwner?: string }, name: string, missing: (bucket: Bucket) => Error): T {
    const bucket = bucketOf(ctx, input);
    const value = bucket.config[name];
    if (value === undefined) throw missing(bucket);
    return value as T;
  }
  function remove(ctx: OperationContext, input: { Bucket: string; ExpectedBucketOwner?: string }, name: string) {
    setConfig(bucketOf(ctx, input), name, undefined);
    return {};
  }

  /** Sets (undefined: deletes) the configuration `name` of a bucket, and marks it changed. */
  function setConfig(bucket: Bucket, name: string, value: unknown): void {
    if (value === undefined) delete bucket.config[name];
    else bucket.config[name] = value;
    s3.changed(bucket, 'config', name);
  }

  function lifecycleGet(ctx: OperationContext, input: { Bucket: string; ExpectedBucketOwner?: string }) {
    const bucket = bucketOf(ctx, input);
    const config = lifecycleConfig(bucket);
    if (!config) throw notFound('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', bucket);
    return { bucket, config };
  }

  return {
    // ---- policy
    PutBucketPolicy(ctx, input) {
      const bucket = bucketOf(ctx, input);
      policyStatements(input.Policy);
      if (publicAccessBlock(bucket)?.BlockPublicPolicy === true && policyIsPublic(input.Policy)) throw s3Error('AccessDenied', 'Access Denied');
      setConfig(bucket, 'policy', input.Policy);
      return {};
    },
    GetBucketPolicy(ctx, input) {
      const bucket = bucketOf(ctx, input);
      const policy = bucketPolicy(bucket);
      if (policy === undefined) throw notFound('NoSuchBucketPolicy', 'The bucket policy does not exist', bucket);
      return { Policy: policy };
    },
    DeleteBucketPolicy: (ctx, input) => remove(ctx, input, 'policy'),
    GetBucketPolicyStatus(ctx, input) {
      const bucket = bucketOf(ctx, input);
      const policy = bucketPolicy(bucket);
      if (policy === undefined) throw notFound('NoSuchBucketPolicy', 'The bucket policy does not exist', bucket);
      return { PolicyStatus: { IsPublic: policyIsPublic(policy) } };
    },

    // ---- CORS
    PutBucketCors(ctx, input) {
      const bucket = bucketOf(ctx, input);
      setConfig(bucket, 'cors', validateCors(input.CORSConfiguration));
      return {};
    },
    GetBucketCors(ctx, input) {
      const bucket = bucketOf(ctx, input);
      const rules = corsRules(bucket);
      if (!rules) throw notFound('NoSuchCORSConfiguration', 'The CORS configuration does not exist', bucket);
      return { CORSRules: rules };
    },
    DeleteBucketCors: (ctx, input) => remove(ctx, input, 'cors'),

    // ---- lifecycle (the legacy PutBucketLifecycle / GetBucketLifecycle requests are routed to the current operations)
    PutBucketLifecycleConfiguration(ctx, input) {
      const bucket = bucketOf(ctx, input);
      const size = input.TransitionDefaultMinimumObjectSize ?? 'all_storage_classes_128K';
      if (!MIN_OBJECT_SIZES.includes(size)) throw invalidRequest(`Invalid TransitionDefaultMinimumObjectSize found: ${size}`);
      setConfig(bucket, 'lifecycle', validateLifecycle(input.LifecycleConfiguration));
      setConfig(bucket, 'lifecycleMinimumObjectSize', size);
      return { TransitionDefaultMinimumObjectSize: size };
    },
    GetBucketLifecycleConfiguration(ctx, input) {
      const { bucket, config } = lifecycleGet(ctx, input);
      return { Rules: config.Rules, TransitionDefaultMinimumObjectSize: (bucket.config.lifecycleMinimumObjectSize as string | undefined) ?? 'all_storage_classes_128K' };
    },
    PutBucketLifecycle(ctx, input) {
      const bucket = bucketOf(ctx, input);
      const rules = (input.LifecycleConfiguration?.Rules ?? []).map((r) => {
        const { Transition, NoncurrentVersionTransition, ...rest } = r;
        return { ...rest, ...(Transition ? { Transitions: [Transition] } : {}), ...(NoncurrentVersionTransition ? { NoncurrentVersionTransitions: [NoncurrentVersionTransition] } : {}) };
      });
      setConfig(bucket, 'lifecycle', validateLifecycle({ Rules: rules }));
      return {};
    },
    GetBucketLifecycle(ctx, input) {
      const { config } = lifecycleGet(ctx, input);
      return {
        Rules: config.Rules.map((r) => {
          const { Transitions, NoncurrentVersionTransitions, Filter, Prefix, ...rest } = r;
          return { ...rest, Prefix: Prefix ?? Filter?.Prefix ?? '', ...(Transitions?.[0] ? { Transition: Transitions[0] } : {}), ...(NoncurrentVersionTransitions?.[0] ? { NoncurrentVersionTransition: NoncurrentVersionTransitions[0] } : {}) };
        }),
      };
    },
    DeleteBucketLifecycle(ctx, input) {
      const bucket = bucketOf(ctx, input);
      setConfig(bucket, 'lifecycle', undefined);
      setConfig(bucket, 'lifecycleMinimumObjectSize', undefined);
      return {};
    },

    // ---- website
    PutBucketWebsite(ctx, input) {
      const bucket = bucketOf(ctx, input);
      setConfig(bucket, 'website', validateWebsite(input.WebsiteConfiguration));
      return {};
    },
    GetBucketWebsite(ctx, input) {
      return stored<WebsiteConfiguration>(ctx, input, 'website', (b) =>
        s3Error('NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration', { fields: { BucketName: b.name } }));
    },
    DeleteBucketWebsite: (ctx, input) => remove(ctx, input, 'website'),

    // ---- default encryption
    PutBucketEncryption(ctx, input) {
      const bucket = bucketOf(ctx, input);
      setConfig(bucket, 'encryption', validateEncryption(input.ServerSideEncryptionConfiguration));
      return {};
    },
    GetBucketEncryption(ctx, input) {
      return { ServerSideEncryptionConfiguration: encryptionConfig(bucketOf(ctx, input)) };
    },
    DeleteBucketEncryption: (ctx, input) => remove(ctx, input, 'encryption'),

    // ---- ownership controls
    PutBucketOwnershipControls(ctx, input) {
      const bucket = bucketOf(ctx, input);
      const rules = input.OwnershipControls.Rules;
      if (rules.length !== 1) throw malformedXml();
      oneOf(rules[0]!.ObjectOwnership, ['BucketOwnerPreferred', 'ObjectWriter', 'BucketOwnerEnforced']);
      if (rules[0]!.ObjectOwnership === 'BucketOwnerEnforced' && grantsOthers(bucket.acl)) {
        throw s3Error('InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
      }
      setConfig(bucket, 'ownershipControls', { Rules: [{ ObjectOwnership: rules[0]!.ObjectOwnership }] });
      return {};
    },
    GetBucketOwnershipControls(ctx, input) {
      const controls = stored<OwnershipControls>(ctx, input, 'ownershipControls', (b) =>
        notFound('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', b));
      return { OwnershipControls: controls };
    },
    DeleteBucketOwnershipControls: (ctx, input) => remove(ctx, input, 'ownershipControls'),

    // ---- public access block
    PutPublicAccessBlock(ctx, input) {
      const bucket = bucketOf(ctx, input);
      const c = input.PublicAccessBlockConfiguration;
      if (c.BlockPublicAcls === undefined && c.IgnorePublicAcls === undefined && c.BlockPublicPolicy === undefined && c.RestrictPublicBuckets === undefined) {
        throw invalidRequest('Must specify at least one configuration.');
      }
      setConfig(bucket, 'publicAccessBlock', {
        BlockPublicAcls: c.BlockPublicAcls ?? false,
        IgnorePublicAcls: c.IgnorePublicAcls ?? false,
        BlockPublicPolicy: c.BlockPublicPolicy ?? false,
        RestrictPublicBuckets: c.RestrictPublicBuckets ?? false,
      } satisfies PublicAccessBlock);
      return {};
    },
    GetPublicAccessBlock(ctx, input) {
      const config = stored<PublicAccessBlock>(ctx, input, 'publicAccessBlock', (b) =>
        notFound('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', b));
      return { PublicAccessBlockConfiguration: config };
    },
    DeletePublicAccessBlock: (ctx, input) => remove(ctx, input, 'publicAccessBlock'),

    // ---- logging
    PutBucketLogging(ctx, input) {
      const bucket = bucketOf(ctx, input);
      const enabled = input.BucketLoggingStatus.LoggingEnabled;
      if (!enabled) {
        setConfig(bucket, 'logging', undefined);
        return {};
      }
      checkLoggingTarget(bucket, enabled.TargetBucket, s3.state.buckets[enabled.TargetBucket]);
      const partition = enabled.TargetObjectKeyFormat?.PartitionedPrefix?.PartitionDateSource;
      oneOf(partition, ['EventTime', 'DeliveryTime']);
      setConfig(bucket, 'logging', { LoggingEnabled: { ...enabled, TargetPrefix: enabled.TargetPrefix ?? '' } } satisfies LoggingStatus);
      return {};
    },
    GetBucketLogging(ctx, input) {
      const logging = bucketOf(ctx, input).config.logging as LoggingStatus | undefined;
      return logging?.LoggingEnabled ? { LoggingEnabled: logging.LoggingEnabled } : {};
    },

    // ---- accelerate
    PutBucketAccelerateConfiguration(ctx, input) {
      const bucket = bucketOf(ctx, input);
      const status = input.AccelerateConfiguration.Status;
      if (status === undefined) throw malformedXml();
      oneOf(status, ['Enabled', 'Suspended']);
      if (bucket.name.includes('.')) throw invalidRequest('S3 Transfer Acceleration is not supported for buckets with periods (.) in their names');
      setConfig(bucket, 'accelerate', { Status: status });
      return {};
    },
    GetBucketAccelerateConfiguration(ctx, input) {
      const accelerate = bucketOf(ctx, input).config.accelerate as { Status?: string } | undefined;
      return accelerate?.Status ? { Status: accelerate.Status } : {};
    },

    // ---- request payment
    PutBucketRequestPayment(ctx, input) {
      const bucket = bucketOf(ctx, input);
      const payer = input.RequestPaymentConfiguration.Payer;
      oneOf(payer, ['Requester', 'BucketOwner']);
      setConfig(bucket, 'requestPayment', { Payer: payer });
      return {};
    },
    GetBucketRequestPayment(ctx, input) {
      const payment = bucketOf(ctx, input).config.requestPayment as { Payer: string } | undefined;
      return { Payer: payment?.Payer ?? 'BucketOwner' };
    },

    // ---- tagging
    PutBucketTagging(ctx, input) {
      const bucket = bucketOf(ctx, input);
      // an empty <Value/> is a tag with an empty value
      const tagging = { TagSet: validateTags(input.Tagging.TagSet.map(({ Key, Value }) => ({ Key, Value: Value ?? '' })), 'bucket') };
      if (tagging.TagSet.length === 0) setConfig(bucket, 'tagging', undefined);
      else setConfig(bucket, 'tagging', tagging);
      return {};
    },
    GetBucketTagging(ctx, input) {
      const bucket = bucketOf(ctx, input);
      const tags = bucketTags(bucket);
      if (tags.length === 0) throw notFound('NoSuchTagSet', 'The TagSet does not exist', bucket);
      return { TagSet: tags };
    },
    DeleteBucketTagging: (ctx, input) => remove(ctx, input, 'tagging'),

    // ---- ACL
    PutBucketAcl(ctx, input) {
      const bucket = bucketOf(ctx, input);
      const fromHeaders = aclFromRequest(bucket.accountId, input);
      const doc = input.AccessControlPolicy;
      if (fromHeaders && doc) throw s3Error('UnexpectedContent', 'This request does not support content');
      if (!fromHeaders && !doc) throw s3Error('MissingSecurityHeader', 'Your request was missing a required header', { fields: { MissingHeaderName: 'x-amz-acl' } });
      const acl = fromHeaders ?? aclFromPolicy(doc!, bucket.accountId);
      checkAclWithOwnership(objectOwnership(bucket), acl, 'acl');
      if (publicAccessBlock(bucket)?.BlockPublicAcls === true && isPublicAcl(acl)) throw s3Error('AccessDenied', 'Access Denied');
      bucket.acl = acl;
      s3.changed(bucket, 'acl');
      return {};
    },
    GetBucketAcl(ctx, input) {
      return aclOutput(bucketOf(ctx, input).acl);
    },

    // ---- replication
    PutBucketReplication(ctx, input) {
      const bucket = bucketOf(ctx, input);
      const config = validateReplication(bucket, input.ReplicationConfiguration, (name) => s3.state.buckets[name]);
      // a rule without an ID gets one, as S3 gives it
      setConfig(bucket, 'replication', { ...config, Rules: config.Rules.map((r) => ({ ...r, ID: r.ID ?? randomToken(36) })) });
      return {};
    },
    GetBucketReplication(ctx, input) {
      const config = stored<ReplicationConfiguration>(ctx, input, 'replication', (b) =>
        notFound('ReplicationConfigurationNotFoundError', 'The replication configuration was not found', b));
      return { ReplicationConfiguration: config };
    },
    DeleteBucketReplication: (ctx, input) => remove(ctx, input, 'replication'),

    // ---- notifications
    async PutBucketNotificationConfiguration(ctx, input) {
      const bucket = bucketOf(ctx, input);
      const config = validateNotificationConfiguration(input.NotificationConfiguration, bucket.region);
      if (input.SkipDestinationValidation !== true) await s3.notifications.checkDestinations(config, bucket);
      const empty = !config.QueueConfigurations && !config.TopicConfigurations && !config.LambdaFunctionConfigurations && !config.EventBridgeConfiguration;
      if (empty) setConfig(bucket, 'notification', undefined);
      else setConfig(bucket, 'notification', config);
      s3.notifications.sendTestEvents(bucket, config, ctx.requestId);
      return {};
    },
    GetBucketNotificationConfiguration(ctx, input) {
      return notificationConfig(bucketOf(ctx, input)) ?? {};
    },
  } satisfies Partial<S3Api>;
}
