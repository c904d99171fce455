/** Amazon Elastic Container Registry's errors, by name, with AWS's status and fault (see runtime/aws/error-catalog.ts). */
import { errorsOf, JSON_COMMON_ERRORS } from '../../aws/error-catalog.js';
import { ECR_ERRORS } from './errors.generated.js';

/** `ecrError('SomeException', 'message')`: only codes the model declares compile. */
export const ecrError = errorsOf({ ...JSON_COMMON_ERRORS, ...ECR_ERRORS });
