/** AWS CloudFormation's errors, by name, with AWS's status and fault (see runtime/aws/error-catalog.ts). */
import { errorsOf, QUERY_COMMON_ERRORS } from '../../aws/error-catalog.js';
import { CLOUDFORMATION_ERRORS } from './errors.generated.js';

/** `cloudformationError('SomeException', 'message')`: only codes the model declares compile. */
export const cloudformationError = errorsOf({ ...QUERY_COMMON_ERRORS, ...CLOUDFORMATION_ERRORS });
