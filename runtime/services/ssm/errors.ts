/** SSM's errors, by name, with AWS's status and fault (see runtime/aws/error-catalog.ts). */
import { errorsOf, JSON_COMMON_ERRORS } from '../../aws/error-catalog.js';
import { SSM_ERRORS } from './errors.generated.js';

export const ssmError = errorsOf({ ...JSON_COMMON_ERRORS, ...SSM_ERRORS });
