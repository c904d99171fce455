/** STS's errors, by name, with AWS's status, fault and query code (see runtime/aws/error-catalog.ts). */
import { errorsOf, QUERY_COMMON_ERRORS } from '../../aws/error-catalog.js';
import { STS_ERRORS } from './errors.generated.js';

export const stsError = errorsOf({ ...QUERY_COMMON_ERRORS, ...STS_ERRORS });
