/**
 * The bucket configurations that the browser-facing parts of S3 read: CORS (cors.ts) and
 * website (website.ts). Put/Get/Delete with S3's validation; stored as the request's
 * document, `bucket.config.cors` = PutBucketCorsInput['CORSConfiguration'] and
 * `bucket.config.website` = PutBucketWebsiteInput['WebsiteConfiguration'].
 *
 * LIMITATIONS: Content-MD5 of the configuration documents is not verified; the 64 KB size
 * limit of a CORS configuration is not enforced.
 */
import type { PutBucketCorsInput, PutBucketWebsiteInput, S3Api } from './api.generated.js';
import { invalidArgument, invalidRequest, malformedXml, s3Error } from './errors.js';
import type { S3Service } from './service.js';
import { getBucket, type Bucket } from './state.js';

export type CorsConfiguration = PutBucketCorsInput['CORSConfiguration'];
export type CorsRule = CorsConfiguration['CORSRules'][number];
export type WebsiteConfiguration = PutBucketWebsiteInput['WebsiteConfiguration'];

/** The methods a CORS rule may allow. */
export const CORS_METHODS = new Set(['GET', 'PUT', 'HEAD', 'POST', 'DELETE']);

export function corsConfiguration(bucket: Bucket): CorsConfiguration | undefined {
  return bucket.config.cors as CorsConfiguration | undefined;
}

export function websiteConfiguration(bucket: Bucket): WebsiteConfiguration | undefined {
  return bucket.config.website as WebsiteConfiguration | undefined;
}

const wildcards = (s: string) => s.split('*').length - 1;

function validateCors(config: CorsConfiguration | undefined): void {
  const rules = config?.CORSRules;
  if (!rules || rules.length === 0) throw malformedXml();
  for (const rule of rules) {
    if (!rule.AllowedMethods?.length || !rule.AllowedOrigins?.length) throw malformedXml();
    for (const m of rule.AllowedMethods) {
      if (!CORS_METHODS.has(m)) throw invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${m}`);
    }
    for (const o of rule.AllowedOrigins) if (wildcards(o) > 1) throw invalidRequest(`AllowedOrigin "${o}" can not have more than one wildcard.`);
    for (const h of rule.AllowedHeaders ?? []) if (wildcards(h) > 1) throw invalidRequest(`AllowedHeader "${h}" can not have more than one wildcard.`);
  }
}

const BAD_PROTOCOL = 'Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.';

function validateWebsite(config: WebsiteConfiguration | undefined): void {
  if (!config) throw malformedXml();
  const redirectAll = config.RedirectAllRequestsTo;
  if (redirectAll) {
    if (config.IndexDocument || config.ErrorDocument || config.RoutingRules) {
      throw invalidArgument('RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.', 'RedirectAllRequestsTo', 'not null');
    }
    if (!redirectAll.HostName) throw malformedXml();
    if (redirectAll.Protocol !== undefined && redirectAll.Protocol !== 'http' && redirectAll.Protocol !== 'https') throw invalidRequest(BAD_PROTOCOL);
    return;
  }
  if (!config.IndexDocument) {
    throw invalidArgument('A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty', 'IndexDocument', 'null');
  }
  const suffix = config.IndexDocument.Suffix;
  if (!suffix || suffix.includes('/')) throw invalidArgument('The IndexDocument Suffix is not well formed', 'IndexDocument', suffix || 'null');
  if (config.ErrorDocument && !config.ErrorDocument.Key) throw malformedXml();
  const rules = config.RoutingRules;
  if (rules) {
    if (rules.length === 0) throw malformedXml();
    if (rules.length > 50) throw invalidRequest('The number of routing rules must not exceed the allowed limit of 50 rules.');
    for (const rule of rules) {
      const redirect = rule.Redirect;
      if (!redirect) throw malformedXml();
      if (redirect.ReplaceKeyPrefixWith !== undefined && redirect.ReplaceKeyWith !== undefined) {
        throw invalidRequest('You can only define ReplaceKeyPrefix or ReplaceKey but not both.');
      }
      if (rule.Condition && rule.Condition.KeyPrefixEquals === undefined && rule.Condition.HttpErrorCodeReturnedEquals === undefined) {
        throw invalidRequest("Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn't be present.");
      }
      if (redirect.Protocol !== undefined && redirect.Protocol !== 'http' && redirect.Protocol !== 'https') throw invalidRequest(BAD_PROTOCOL);
      const code = redirect.HttpRedirectCode;
      if (code !== undefined && !/^3\d\d$/.test(code)) throw invalidRequest(`The provided HTTP redirect code (${code}) is not valid. Valid codes are 3XX except 300.`);
      const errorCode = rule.Condition?.HttpErrorCodeReturnedEquals;
      if (errorCode !== undefined && !/^[45]\d\d$/.test(errorCode)) {
        throw invalidRequest(`The provided HTTP error code (${errorCode}) is not valid. Valid codes are 4XX or 5XX.`);
      }
    }
  }
}

export function webConfigOperations(s3: S3Service) {
  const { state } = s3;
  return {
    PutBucketCors(ctx, input) {
      const bucket = getBucket(state, ctx, input.Bucket, input.ExpectedBucketOwner);
      validateCors(input.CORSConfiguration);
      bucket.config.cors = input.CORSConfiguration;
      return {};
    },

    GetBucketCors(ctx, input) {
      const bucket = getBucket(state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const config = corsConfiguration(bucket);
      if (!config) throw s3Error('NoSuchCORSConfiguration', 'The CORS configuration does not exist', { fields: { BucketName: bucket.name } });
      return { CORSRules: config.CORSRules };
    },

    DeleteBucketCors(ctx, input) {
      const bucket = getBucket(state, ctx, input.Bucket, input.ExpectedBucketOwner);
      delete bucket.config.cors;
      return {};
    },

    PutBucketWebsite(ctx, input) {
      const bucket = getBucket(state, ctx, input.Bucket, input.ExpectedBucketOwner);
      validateWebsite(input.WebsiteConfiguration);
      bucket.config.website = input.WebsiteConfiguration;
      return {};
    },

    GetBucketWebsite(ctx, input) {
      const bucket = getBucket(state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const config = websiteConfiguration(bucket);
      if (!config) throw s3Error('NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration', { fields: { BucketName: bucket.name } });
      return config;
    },

    DeleteBucketWebsite(ctx, input) {
      const bucket = getBucket(state, ctx, input.Bucket, input.ExpectedBucketOwner);
      delete bucket.config.website;
      return {};
    },
  } satisfies Partial<S3Api>;
}
