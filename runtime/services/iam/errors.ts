/** AWS Identity and Access Management's errors, by name, with AWS's status and fault (see runtime/aws/error-catalog.ts). */
import { errorsOf, QUERY_COMMON_ERRORS } from '../../aws/error-catalog.js';
import { IAM_ERRORS } from './errors.generated.js';

/** `iamError('SomeException', 'message')`: only codes the model declares compile. */
export const iamError = errorsOf({ ...QUERY_COMMON_ERRORS, ...IAM_ERRORS });
