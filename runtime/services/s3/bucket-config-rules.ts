/**
 * The rules S3 checks bucket configuration documents against (bucket-config.ts stores them):
 * policies, CORS, lifecycle, website and default encryption, with S3's error codes and
 * messages; also the public-policy test of GetBucketPolicyStatus.
 */
import { errorsOf } from '../../aws/error-catalog.js';
import { malformedXml, s3Error } from './errors.js';
import { parseArn } from '../../aws/arns.js';
import { randomToken } from '../../aws/ids.js';
import type { CorsConfiguration, EncryptionConfiguration, LifecycleConfiguration, ReplicationConfiguration, WebsiteConfiguration } from './bucket-config.js';
import type { Bucket } from './state.js';

/**
 * Codes S3 answers configuration documents with that the general catalog (errors.ts) does not
 * list. CrossLocationLoggingProhibitted is spelt as S3 spells it.
 */
export const configError = errorsOf({
  CrossLocationLoggingProhibitted: { code: 'CrossLocationLoggingProhibitted', status: 403, sender: true },
  IdMismatch: { code: 'IdMismatch', status: 400, sender: true },
  InvalidS3DestinationBucket: { code: 'InvalidS3DestinationBucket', status: 400, sender: true },
});

export function invalidArgument(message: string, name?: string, value?: string) {
  return s3Error('InvalidArgument', message, name !== undefined ? { fields: { ArgumentName: name, ArgumentValue: value ?? '' } } : undefined);
}

export function invalidRequest(message: string) {
  return s3Error('InvalidRequest', message);
}

export function oneOf(value: string | undefined, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value)) throw malformedXml();
}


// ---- policy

interface PolicyStatement {
  Effect?: unknown;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

function malformedPolicy(message: string) {
  return s3Error('MalformedPolicy', message);
}

/** The statements of a policy document, checked as S3 checks them. */
export function policyStatements(text: string): PolicyStatement[] {
  let doc: unknown;
  if (text.trimStart()[0] !== '{') throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  const policy = doc as { Version?: unknown; Statement?: unknown };
  if (policy.Version !== undefined && policy.Version !== '2012-10-17' && policy.Version !== '2008-10-17') {
    throw malformedPolicy('The policy must contain a valid version string');
  }
  if (policy.Statement === undefined) throw malformedPolicy('Missing required field Statement');
  const statements = (Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement]) as PolicyStatement[];
  if (statements.length === 0) throw malformedPolicy('Could not parse the policy: Statement is empty!');
  for (const s of statements) {
    if (typeof s !== 'object' || s === null) throw malformedPolicy('Statement is not well formed');
    if (s.Effect === undefined) throw malformedPolicy('Missing required field Effect');
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformedPolicy(`Invalid effect: ${String(s.Effect)}`);
    if (s.Principal === undefined && s.NotPrincipal === undefined) throw malformedPolicy('Missing required field Principal');
    if (s.Action === undefined && s.NotAction === undefined) throw malformedPolicy('Missing required field Action');
    if (s.Resource === undefined && s.NotResource === undefined) throw malformedPolicy('Missing required field Resource');
  }
  return statements;
}

function grantsEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const aws = (principal as { AWS?: unknown }).AWS;
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

/** Whether a policy makes its bucket public: it allows everyone, unconditionally. */
export function policyIsPublic(text: string): boolean {
  let statements: PolicyStatement[];
  try {
    statements = policyStatements(text);
  } catch {
    return false;
  }
  return statements.some((s) => s.Effect === 'Allow' && grantsEveryone(s.Principal) && (s.Condition === undefined || (typeof s.Condition === 'object' && s.Condition !== null && Object.keys(s.Condition).length === 0)));
}

// ---- CORS

const CORS_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];

export function validateCors(config: CorsConfiguration): CorsConfiguration {
  const rules = config.CORSRules ?? [];
  if (rules.length === 0) throw malformedXml();
  if (rules.length > 100) throw s3Error('MaxMessageLengthExceeded', 'Your request was too big.');
  for (const rule of rules) {
    if (rule.AllowedMethods.length === 0 || rule.AllowedOrigins.length === 0) throw malformedXml();
    for (const m of rule.AllowedMethods) {
      if (!CORS_METHODS.includes(m)) throw invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${m}`);
    }
    for (const o of rule.AllowedOrigins) {
      if (o.split('*').length > 2) throw invalidRequest(`AllowedOrigin "${o}" can not have more than one wildcard.`);
    }
    for (const h of rule.AllowedHeaders ?? []) {
      if (h.split('*').length > 2) throw invalidRequest(`AllowedHeader "${h}" can not have more than one wildcard.`);
    }
    if (rule.ID !== undefined && rule.ID.length > 255) throw invalidArgument('ID length should not exceed allowed limit of 255', 'ID', rule.ID);
  }
  return { CORSRules: rules };
}

// ---- lifecycle

const STORAGE_CLASSES = ['GLACIER', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'DEEP_ARCHIVE', 'GLACIER_IR'];
export const MIN_OBJECT_SIZES = ['varies_by_storage_class', 'all_storage_classes_128K'];

function isMidnight(d: Date | undefined): boolean {
  return d === undefined || (d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0);
}

export function validateLifecycle(config: LifecycleConfiguration | undefined): LifecycleConfiguration {
  const rules = config?.Rules ?? [];
  if (rules.length === 0) throw malformedXml();
  if (rules.length > 1000) throw invalidRequest('Lifecycle configuration cannot have more than 1000 rules');
  const ids = new Set<string>();
  for (const rule of rules) {
    if (rule.ID !== undefined) {
      if (rule.ID.length > 255) throw invalidArgument('ID length should not exceed allowed limit of 255', 'ID', rule.ID);
      if (ids.has(rule.ID)) throw invalidArgument('Rule ID must be unique. Found same ID for more than one rule', 'ID', rule.ID);
      ids.add(rule.ID);
    }
    oneOf(rule.Status, ['Enabled', 'Disabled']);
    // exactly one of Filter (with at most one predicate: And combines several) and the legacy Prefix
    if ((rule.Filter === undefined) === (rule.Prefix === undefined)) throw malformedXml();
    const f = rule.Filter;
    if (f) {
      const given = [f.Prefix, f.Tag, f.And, f.ObjectSizeGreaterThan, f.ObjectSizeLessThan].filter((x) => x !== undefined).length;
      if (given > 1) throw malformedXml();
      const keys = (f.And?.Tags ?? []).map((t) => t.Key);
      if (new Set(keys).size !== keys.length) throw invalidRequest('Duplicate Tag Keys are not allowed.');
    }
    const hasTags = f?.Tag !== undefined || (f?.And?.Tags?.length ?? 0) > 0;
    const actions = [rule.Expiration, rule.Transitions?.length ? rule.Transitions : undefined, rule.NoncurrentVersionExpiration, rule.NoncurrentVersionTransitions?.length ? rule.NoncurrentVersionTransitions : undefined, rule.AbortIncompleteMultipartUpload];
    if (actions.every((a) => a === undefined)) throw invalidRequest('At least one action needs to be specified in a rule');
    const e = rule.Expiration;
    if (e) {
      const given = [e.Days, e.Date, e.ExpiredObjectDeleteMarker].filter((x) => x !== undefined).length;
      if (given === 0) throw malformedXml();
      // Days, Date and ExpiredObjectDeleteMarker exclude each other: MalformedXML, as recorded from AWS
      if (given > 1) throw malformedXml();
      if (e.Days !== undefined && e.Days <= 0) throw invalidArgument("'Days' in Expiration action must be a positive integer", 'Days', String(e.Days));
      if (!isMidnight(e.Date)) throw invalidArgument("'Date' must be at midnight GMT", 'Date', e.Date?.toISOString());
      if (e.ExpiredObjectDeleteMarker === true && hasTags) throw invalidRequest('ExpiredObjectDeleteMarker cannot be specified with Tags.');
    }
    for (const t of rule.Transitions ?? []) {
      if ((t.Days === undefined) === (t.Date === undefined)) throw malformedXml();
      if (t.Days !== undefined && t.Days < 0) throw invalidArgument("'Days' in Transition action must be a nonnegative integer", 'Days', String(t.Days));
      if (!isMidnight(t.Date)) throw invalidArgument("'Date' must be at midnight GMT", 'Date', t.Date?.toISOString());
      if (t.StorageClass === undefined || !STORAGE_CLASSES.includes(t.StorageClass)) throw malformedXml();
    }
    for (const t of rule.NoncurrentVersionTransitions ?? []) {
      if (t.NoncurrentDays !== undefined && t.NoncurrentDays < 0) throw invalidArgument("'NoncurrentDays' in NoncurrentVersionTransition action must be a nonnegative integer", 'NoncurrentDays', String(t.NoncurrentDays));
      if (t.StorageClass === undefined || !STORAGE_CLASSES.includes(t.StorageClass)) throw malformedXml();
    }
    const nve = rule.NoncurrentVersionExpiration;
    if (nve && nve.NoncurrentDays === undefined && nve.NewerNoncurrentVersions === undefined) throw malformedXml();
    if (nve?.NoncurrentDays !== undefined && nve.NoncurrentDays <= 0) {
      throw invalidArgument("'NoncurrentDays' in NoncurrentVersionExpiration action must be a positive integer", 'NoncurrentDays', String(nve.NoncurrentDays));
    }
    const abort = rule.AbortIncompleteMultipartUpload;
    if (abort) {
      if (abort.DaysAfterInitiation === undefined) throw malformedXml();
      if (abort.DaysAfterInitiation <= 0) throw invalidArgument("'DaysAfterInitiation' in AbortIncompleteMultipartUpload action must be a positive integer", 'DaysAfterInitiation', String(abort.DaysAfterInitiation));
      if (hasTags) throw invalidRequest('AbortIncompleteMultipartUpload cannot be specified with Tags.');
    }
  }
  // a rule without an ID gets one, as S3 gives it (x-amz-expiration names it)
  return { Rules: rules.map((r) => (r.ID === undefined ? { ...r, ID: randomToken(36) } : r)) };
}

// ---- website

export function validateWebsite(config: WebsiteConfiguration): WebsiteConfiguration {
  const redirectAll = config.RedirectAllRequestsTo;
  if (redirectAll) {
    if (config.IndexDocument || config.ErrorDocument || config.RoutingRules) {
      throw invalidArgument('RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.', 'RedirectAllRequestsTo', 'not empty');
    }
    if (redirectAll.Protocol !== undefined && redirectAll.Protocol !== 'http' && redirectAll.Protocol !== 'https') {
      throw invalidRequest('Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.');
    }
    return config;
  }
  if (!config.IndexDocument) throw invalidArgument('A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty', 'IndexDocument', 'null');
  const suffix = config.IndexDocument.Suffix;
  if (suffix === '' || suffix.includes('/')) throw invalidArgument('The IndexDocument Suffix is not well formed', 'IndexDocument', suffix);
  if (config.ErrorDocument && config.ErrorDocument.Key === '') throw invalidArgument('The ErrorDocument Key is not well formed', 'ErrorDocument', '');
  for (const rule of config.RoutingRules ?? []) {
    const r = rule.Redirect;
    if (r.ReplaceKeyWith !== undefined && r.ReplaceKeyPrefixWith !== undefined) throw invalidRequest('You can only define ReplaceKeyPrefix or ReplaceKey but not both.');
    if (r.Protocol !== undefined && r.Protocol !== 'http' && r.Protocol !== 'https') {
      throw invalidRequest('Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.');
    }
    if (r.HttpRedirectCode !== undefined && (!/^3\d\d$/.test(r.HttpRedirectCode) || r.HttpRedirectCode === '300')) {
      throw invalidRequest(`The provided HTTP redirect code (${r.HttpRedirectCode}) is not valid. Valid codes are 3XX except 300.`);
    }
    const c = rule.Condition;
    if (c && c.HttpErrorCodeReturnedEquals === undefined && c.KeyPrefixEquals === undefined) {
      throw invalidRequest('Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn\'t be present.');
    }
    if (c?.HttpErrorCodeReturnedEquals !== undefined && !/^[45]\d\d$/.test(c.HttpErrorCodeReturnedEquals)) {
      throw invalidArgument('The provided HTTP error code is not valid. Valid codes are 4XX or 5XX.', 'HttpErrorCodeReturnedEquals', c.HttpErrorCodeReturnedEquals);
    }
  }
  return config;
}

// ---- encryption

const SSE_ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];

export function validateEncryption(config: EncryptionConfiguration): EncryptionConfiguration {
  if (config.Rules.length !== 1) throw malformedXml();
  for (const rule of config.Rules) {
    const by = rule.ApplyServerSideEncryptionByDefault;
    if (!by) continue;
    oneOf(by.SSEAlgorithm, SSE_ALGORITHMS);
    if (by.KMSMasterKeyID !== undefined && by.SSEAlgorithm === 'AES256') {
      throw invalidArgument('a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', 'ApplyServerSideEncryptionByDefault', undefined);
    }
  }
  return config;
}


// ---- logging

/**
 * The target of bucket logging: it must exist (InvalidTargetBucketForLogging), have the same
 * owner, and be in the same region (CrossLocationLoggingProhibitted, 403, naming the source's
 * location too unless the source is in us-east-1, as recorded from AWS).
 */
export function checkLoggingTarget(bucket: Bucket, targetName: string, target: Bucket | undefined): void {
  if (!target) {
    throw s3Error('InvalidTargetBucketForLogging', 'The target bucket for logging does not exist', { fields: { TargetBucket: targetName } });
  }
  if (target.accountId !== bucket.accountId) {
    throw s3Error('InvalidTargetBucketForLogging', 'The owner for the bucket to be logged and the target bucket must be the same.', { fields: { TargetBucket: targetName } });
  }
  if (target.region !== bucket.region) {
    // S3 names the source's location too, unless the source is in us-east-1
    throw configError('CrossLocationLoggingProhibitted', 'Cross S3 location logging not allowed. ', {
      fields: { ...(bucket.region !== 'us-east-1' ? { SourceBucketLocation: bucket.region } : {}), TargetBucketLocation: target.region },
    });
  }
}

// ---- replication

/**
 * A replication configuration, checked as S3 checks it: the source's versioning first, then
 * each rule (status, unique ids and priorities, Filter or Prefix, the destination's ARN and
 * versioning; a destination that does not exist is answered as one without versioning).
 */
export function validateReplication(bucket: Bucket, config: ReplicationConfiguration, bucketNamed: (name: string) => Bucket | undefined): ReplicationConfiguration {
  if (bucket.versioning !== 'Enabled') throw invalidRequest("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
  if (config.Rules.length === 0 || config.Rules.length > 1000) throw malformedXml();
  const ids = new Set<string>();
  const priorities = new Set<number>();
  for (const rule of config.Rules) {
    oneOf(rule.Status, ['Enabled', 'Disabled']);
    if (rule.ID !== undefined) {
      if (ids.has(rule.ID)) throw invalidArgument('Rule Id must be unique', 'ID', rule.ID);
      ids.add(rule.ID);
    }
    if (rule.Filter !== undefined && rule.Prefix !== undefined) throw malformedXml();
    if (rule.Filter !== undefined) {
      if (rule.Priority !== undefined && priorities.has(rule.Priority)) throw invalidRequest('Found two rules with same priority and destination');
      if (rule.Priority !== undefined) priorities.add(rule.Priority);
      if (rule.DeleteMarkerReplication === undefined) throw invalidRequest('DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema.');
    }
    const dest = rule.Destination.Bucket;
    const arn = parseArn(dest);
    if (arn?.service !== 's3' || arn.region !== '' || arn.accountId !== '' || !/^[a-z0-9.-]+$/.test(arn.resource)) throw invalidArgument('Invalid bucket ARN.', 'Bucket', dest);
    const name = arn.resource;
    // a destination that does not exist is answered as one without versioning (as recorded from AWS)
    if (bucketNamed(name)?.versioning !== 'Enabled') throw invalidRequest('Destination bucket must have versioning enabled.');
  }
  return config;
}
