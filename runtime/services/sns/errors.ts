/** Amazon Simple Notification Service's errors, by name, with AWS's status and fault (see runtime/aws/error-catalog.ts). */
import { errorsOf, QUERY_COMMON_ERRORS } from '../../aws/error-catalog.js';
import { SNS_ERRORS } from './errors.generated.js';

/** `snsError('SomeException', 'message')`: only codes the model declares compile. */
export const snsError = errorsOf({ ...QUERY_COMMON_ERRORS, ...SNS_ERRORS });
