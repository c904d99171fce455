/**
 * S3's errors, by code, with AWS's status. The model declares only a handful of them
 * (errors.generated.ts); the rest are the codes S3 documents in its error-code list, which
 * every client turns into an exception of that name.
 *
 * Every S3 error reaches the client as a bare `<Error>` document (runtime/aws/protocols/
 * rest-xml.ts); the `fields` of an error (BucketName, Key, Condition...) are written next to
 * Code and Message, as S3 does.
 */
import { errorsOf, type ErrorCatalog } from '../../aws/error-catalog.js';
import type { ServiceError } from '../../aws/errors.js';
import { S3_ERRORS } from './errors.generated.js';

const e = (status: number) => ({ status, sender: status < 500 });

/** S3's documented error codes beyond those its model declares. */
const S3_DOCUMENTED_ERRORS = {
  AccessDenied: { code: 'AccessDenied', ...e(403) },
  AccessForbidden: { code: 'AccessForbidden', ...e(403) },
  AccessControlListNotSupported: { code: 'AccessControlListNotSupported', ...e(400) },
  AuthorizationQueryParametersError: { code: 'AuthorizationQueryParametersError', ...e(400) },
  BadDigest: { code: 'BadDigest', ...e(400) },
  BadRequest: { code: 'BadRequest', ...e(400) },
  BucketAlreadyExists: { code: 'BucketAlreadyExists', ...e(409) },
  BucketAlreadyOwnedByYou: { code: 'BucketAlreadyOwnedByYou', ...e(409) },
  BucketNotEmpty: { code: 'BucketNotEmpty', ...e(409) },
  CORSResponse: { code: 'CORSResponse', ...e(403) },
  EntityTooLarge: { code: 'EntityTooLarge', ...e(400) },
  EntityTooSmall: { code: 'EntityTooSmall', ...e(400) },
  IllegalLocationConstraintException: { code: 'IllegalLocationConstraintException', ...e(400) },
  IllegalVersioningConfigurationException: { code: 'IllegalVersioningConfigurationException', ...e(400) },
  IncompleteBody: { code: 'IncompleteBody', ...e(400) },
  InternalError: { code: 'InternalError', ...e(500) },
  InvalidArgument: { code: 'InvalidArgument', ...e(400) },
  InvalidBucketAclWithObjectOwnership: { code: 'InvalidBucketAclWithObjectOwnership', ...e(400) },
  InvalidBucketName: { code: 'InvalidBucketName', ...e(400) },
  InvalidBucketState: { code: 'InvalidBucketState', ...e(409) },
  InvalidDigest: { code: 'InvalidDigest', ...e(400) },
  InvalidEncryptionAlgorithmError: { code: 'InvalidEncryptionAlgorithmError', ...e(400) },
  InvalidLocationConstraint: { code: 'InvalidLocationConstraint', ...e(400) },
  InvalidObjectState: { code: 'InvalidObjectState', ...e(403) },
  InvalidPart: { code: 'InvalidPart', ...e(400) },
  InvalidPartNumber: { code: 'InvalidPartNumber', ...e(416) },
  InvalidPartOrder: { code: 'InvalidPartOrder', ...e(400) },
  InvalidPolicyDocument: { code: 'InvalidPolicyDocument', ...e(400) },
  InvalidRange: { code: 'InvalidRange', ...e(416) },
  InvalidRequest: { code: 'InvalidRequest', ...e(400) },
  InvalidStorageClass: { code: 'InvalidStorageClass', ...e(400) },
  InvalidTag: { code: 'InvalidTag', ...e(400) },
  InvalidTargetBucketForLogging: { code: 'InvalidTargetBucketForLogging', ...e(400) },
  InvalidToken: { code: 'InvalidToken', ...e(400) },
  KeyTooLongError: { code: 'KeyTooLongError', ...e(400) },
  MalformedACLError: { code: 'MalformedACLError', ...e(400) },
  MalformedPOSTRequest: { code: 'MalformedPOSTRequest', ...e(400) },
  MalformedPolicy: { code: 'MalformedPolicy', ...e(400) },
  MalformedXML: { code: 'MalformedXML', ...e(400) },
  MaxMessageLengthExceeded: { code: 'MaxMessageLengthExceeded', ...e(400) },
  MetadataTooLarge: { code: 'MetadataTooLarge', ...e(400) },
  MethodNotAllowed: { code: 'MethodNotAllowed', ...e(405) },
  MissingContentLength: { code: 'MissingContentLength', ...e(411) },
  MissingSecurityHeader: { code: 'MissingSecurityHeader', ...e(400) },
  NoSuchBucket: { code: 'NoSuchBucket', ...e(404) },
  NoSuchBucketPolicy: { code: 'NoSuchBucketPolicy', ...e(404) },
  NoSuchCORSConfiguration: { code: 'NoSuchCORSConfiguration', ...e(404) },
  NoSuchKey: { code: 'NoSuchKey', ...e(404) },
  NoSuchLifecycleConfiguration: { code: 'NoSuchLifecycleConfiguration', ...e(404) },
  NoSuchObjectLockConfiguration: { code: 'NoSuchObjectLockConfiguration', ...e(404) },
  NoSuchConfiguration: { code: 'NoSuchConfiguration', ...e(404) },
  NoSuchPublicAccessBlockConfiguration: { code: 'NoSuchPublicAccessBlockConfiguration', ...e(404) },
  NoSuchTagSet: { code: 'NoSuchTagSet', ...e(404) },
  NoSuchUpload: { code: 'NoSuchUpload', ...e(404) },
  NoSuchVersion: { code: 'NoSuchVersion', ...e(404) },
  NoSuchWebsiteConfiguration: { code: 'NoSuchWebsiteConfiguration', ...e(404) },
  NotImplemented: { code: 'NotImplemented', ...e(501) },
  NotModified: { code: 'NotModified', ...e(304) },
  ObjectLockConfigurationNotFoundError: { code: 'ObjectLockConfigurationNotFoundError', ...e(404) },
  OwnershipControlsNotFoundError: { code: 'OwnershipControlsNotFoundError', ...e(404) },
  PreconditionFailed: { code: 'PreconditionFailed', ...e(412) },
  ReplicationConfigurationNotFoundError: { code: 'ReplicationConfigurationNotFoundError', ...e(404) },
  RequestTimeTooSkewed: { code: 'RequestTimeTooSkewed', ...e(403) },
  ServerSideEncryptionConfigurationNotFoundError: { code: 'ServerSideEncryptionConfigurationNotFoundError', ...e(404) },
  SignatureDoesNotMatch: { code: 'SignatureDoesNotMatch', ...e(403) },
  TooManyBuckets: { code: 'TooManyBuckets', ...e(400) },
  TooManyConfigurations: { code: 'TooManyConfigurations', ...e(400) },
  UnexpectedContent: { code: 'UnexpectedContent', ...e(400) },
  UnresolvableGrantByEmailAddress: { code: 'UnresolvableGrantByEmailAddress', ...e(400) },
  ObjectAlreadyInActiveTierError: { code: 'ObjectAlreadyInActiveTierError', ...e(403) },
  RestoreAlreadyInProgress: { code: 'RestoreAlreadyInProgress', ...e(409) },
  ConditionalRequestConflict: { code: 'ConditionalRequestConflict', ...e(409) },
} as const satisfies ErrorCatalog;

export const s3Error = errorsOf({ ...S3_ERRORS, ...S3_DOCUMENTED_ERRORS });

export type S3ErrorName = Parameters<typeof s3Error>[0];

export function noSuchBucket(bucket: string): ServiceError {
  return s3Error('NoSuchBucket', 'The specified bucket does not exist', { fields: { BucketName: bucket } });
}

export function noSuchKey(key: string): ServiceError {
  return s3Error('NoSuchKey', 'The specified key does not exist.', { fields: { Key: key } });
}

export function noSuchVersion(key: string, versionId: string): ServiceError {
  return s3Error('NoSuchVersion', 'The specified version does not exist.', { fields: { Key: key, VersionId: versionId } });
}

export function noSuchUpload(uploadId: string): ServiceError {
  return s3Error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', {
    fields: { UploadId: uploadId },
  });
}

export function malformedXml(): ServiceError {
  return s3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
}

export function invalidArgument(message: string, name: string, value: string | undefined): ServiceError {
  return s3Error('InvalidArgument', message, { fields: { ArgumentName: name, ArgumentValue: value ?? '' } });
}

export function invalidRequest(message: string): ServiceError {
  return s3Error('InvalidRequest', message);
}

export function preconditionFailed(condition: string): ServiceError {
  return s3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { fields: { Condition: condition } });
}
