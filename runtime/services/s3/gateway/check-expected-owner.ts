import { ServiceError } from '../../../aws/errors.js';
import type { ServiceStep } from '../../service-gateway.js';

/** The headers that name the account a request expects to own its bucket (and its copy source's). */
const OWNER_HEADERS = ['x-amz-expected-bucket-owner', 'x-amz-source-expected-bucket-owner'];

/**
 * An expected bucket owner that is not an account id (12 digits) is refused before anything
 * else, whatever the operation and whether or not the bucket exists, as S3 does:
 * InvalidBucketOwnerAWSAccountID (400), the value quoted in the message and no other member.
 * One that is an account id but not the owner's is the provider's (AccessDenied, state.ts).
 * An S3 gateway step (index.ts), before dispatch.
 */
export const checkExpectedOwner: ServiceStep = (ctx) => {
  for (const name of OWNER_HEADERS) {
    const value = ctx.header(name);
    if (value !== undefined && !/^\d{12}$/.test(value)) {
      throw new ServiceError('InvalidBucketOwnerAWSAccountID', `The value of the expected bucket owner parameter must be an AWS Account ID... [${value}]`);
    }
  }
};
