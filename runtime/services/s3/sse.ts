/**
 * Server-side encryption as S3 reports it: which encryption a new object gets (SSE-S3,
 * SSE-KMS, DSSE-KMS or SSE-C, from the request's headers, else the bucket's default
 * encryption configuration, else SSE-S3 as S3 does since 2023), and the checks S3 makes on
 * customer-provided keys (SSE-C) when an object is written and read.
 *
 * LIMITATIONS: bodies are not actually encrypted; the encryption is recorded and echoed.
 * KMS keys are not checked against a KMS service (any key id is accepted and reported as
 * an ARN). The SSE-C key itself is never stored, only its MD5, which is what S3 compares.
 */
import { createHash } from 'node:crypto';
import type { OperationContext } from '../provider.js';
import { s3Error } from './errors.js';
import type { Bucket, ServerSideEncryption, StoredObject } from './state.js';

const ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];

/** The request members that choose an object's encryption. */
export interface SseInput {
  ServerSideEncryption?: string;
  SSEKMSKeyId?: string;
  SSEKMSEncryptionContext?: string;
  BucketKeyEnabled?: boolean;
  SSECustomerAlgorithm?: string;
}

/** What bucket-config.ts stores at bucket.config.encryption (PutBucketEncryption's configuration). */
interface EncryptionConfiguration {
  Rules?: Array<{ ApplyServerSideEncryptionByDefault?: { SSEAlgorithm?: string; KMSMasterKeyID?: string }; BucketKeyEnabled?: boolean }>;
}

/** The ARN S3 reports for a KMS key named by id, alias or ARN. */
export function kmsKeyArn(keyId: string, ctx: Pick<OperationContext, 'region' | 'accountId'>): string {
  if (keyId.startsWith('arn:')) return keyId;
  if (keyId.startsWith('alias/')) return `arn:aws:kms:${ctx.region}:${ctx.accountId}:${keyId}`;
  return `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/${keyId}`;
}

/** The id of the account's AWS managed key aws/s3 in a region (stable, shaped like a key id). */
function managedKeyId(ctx: Pick<OperationContext, 'region' | 'accountId'>): string {
  const h = createHash('sha256').update(`aws/s3:${ctx.accountId}:${ctx.region}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function header(ctx: OperationContext, name: string): string | undefined {
  const v = ctx.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The customer-provided key of a request (`prefix` is `x-amz-server-side-encryption-customer-`
 * or `x-amz-copy-source-server-side-encryption-customer-`): undefined when none is given,
 * else its algorithm and key MD5 once S3's checks pass.
 */
export function customerKey(ctx: OperationContext, prefix: string): { algorithm: string; keyMd5: string } | undefined {
  const algorithm = header(ctx, `${prefix}algorithm`);
  const key = header(ctx, `${prefix}key`);
  const md5 = header(ctx, `${prefix}key-md5`);
  if (algorithm === undefined && key === undefined && md5 === undefined) return undefined;
  const argument = (message: string, name: string, value = 'null') => s3Error('InvalidArgument', message, { fields: { ArgumentName: name, ArgumentValue: value } });
  if (algorithm === undefined) throw argument('Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.', `${prefix}algorithm`);
  if (algorithm !== 'AES256') throw s3Error('InvalidEncryptionAlgorithmError', 'The Encryption request you specified is not valid. Supported value: AES256.', { fields: { ArgumentName: `${prefix}algorithm`, ArgumentValue: algorithm } });
  if (key === undefined) throw argument('Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.', `${prefix}key`);
  const bytes = Buffer.from(key, 'base64');
  if (bytes.length !== 32 || bytes.toString('base64') !== key.trim()) throw argument('The secret key was invalid for the specified algorithm.', `${prefix}key`);
  const computed = createHash('md5').update(bytes).digest('base64');
  if (md5 === undefined) throw argument('Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.', `${prefix}key-md5`);
  if (md5 !== computed) throw argument('The calculated MD5 hash of the key did not match the hash that was provided.', `${prefix}key-md5`);
  return { algorithm, keyMd5: computed };
}

/** The encryption of a new object: the request's, else the bucket default, else SSE-S3. */
export function objectEncryption(ctx: OperationContext, bucket: Bucket, input: SseInput, customer: { algorithm: string; keyMd5: string } | undefined): ServerSideEncryption {
  const requested = input.ServerSideEncryption;
  if (requested !== undefined && !ALGORITHMS.includes(requested)) {
    throw s3Error('InvalidArgument', 'The encryption method specified is not supported', { fields: { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: requested } });
  }
  if (customer) {
    if (requested !== undefined) throw s3Error('InvalidArgument', 'Server Side Encryption with Customer provided key is incompatible with the encryption method specified', { fields: { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: requested } });
    return { customerAlgorithm: customer.algorithm, customerKeyMd5: customer.keyMd5 };
  }
  if (input.SSEKMSKeyId !== undefined && requested !== 'aws:kms' && requested !== 'aws:kms:dsse') {
    throw s3Error('InvalidArgument', 'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms', { fields: { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: 'null' } });
  }
  const rule = (bucket.config.encryption as EncryptionConfiguration | undefined)?.Rules?.[0];
  const byDefault = rule?.ApplyServerSideEncryptionByDefault;
  const algorithm = requested ?? byDefault?.SSEAlgorithm ?? 'AES256';
  if (algorithm === 'AES256') return { algorithm };
  const keyId = input.SSEKMSKeyId ?? (requested === undefined || requested === byDefault?.SSEAlgorithm ? byDefault?.KMSMasterKeyID : undefined) ?? managedKeyId(ctx);
  const bucketKey = input.BucketKeyEnabled ?? (requested === undefined ? rule?.BucketKeyEnabled : undefined);
  return {
    algorithm,
    kmsKeyId: kmsKeyArn(keyId, ctx),
    ...(bucketKey !== undefined ? { bucketKeyEnabled: bucketKey } : {}),
    ...(input.SSEKMSEncryptionContext !== undefined ? { kmsContext: input.SSEKMSEncryptionContext } : {}),
  };
}

/** The output members that report an object's encryption (PutObject, CopyObject, ...). */
export function sseOutput(sse: ServerSideEncryption | undefined) {
  if (!sse) return {};
  return {
    ...(sse.algorithm !== undefined ? { ServerSideEncryption: sse.algorithm } : {}),
    ...(sse.kmsKeyId !== undefined ? { SSEKMSKeyId: sse.kmsKeyId } : {}),
    ...(sse.bucketKeyEnabled !== undefined ? { BucketKeyEnabled: sse.bucketKeyEnabled } : {}),
    ...(sse.kmsContext !== undefined ? { SSEKMSEncryptionContext: sse.kmsContext } : {}),
    ...(sse.customerAlgorithm !== undefined ? { SSECustomerAlgorithm: sse.customerAlgorithm, SSECustomerKeyMD5: sse.customerKeyMd5 } : {}),
  };
}

/**
 * Reading an object (GET, HEAD, copy source, attributes): an SSE-C object needs its key
 * (400 InvalidRequest without, 403 AccessDenied with another), others must not be given one.
 */
export function checkReadKey(object: StoredObject, given: { algorithm: string; keyMd5: string } | undefined): void {
  const stored = object.sse?.customerKeyMd5;
  if (stored === undefined) {
    if (given) throw s3Error('InvalidRequest', 'The encryption parameters are not applicable to this object.');
    return;
  }
  if (!given) throw s3Error('InvalidRequest', 'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.');
  if (given.keyMd5 !== stored) throw s3Error('AccessDenied', 'Access Denied');
}
