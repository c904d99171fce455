/** AWS Resource Groups Tagging API's errors, by name, with AWS's status and fault (see runtime/aws/error-catalog.ts). */
import { errorsOf, JSON_COMMON_ERRORS } from '../../aws/error-catalog.js';
import { RESOURCEGROUPSTAGGINGAPI_ERRORS } from './errors.generated.js';

/** `resourcegroupstaggingapiError('SomeException', 'message')`: only codes the model declares compile. */
export const resourcegroupstaggingapiError = errorsOf({ ...JSON_COMMON_ERRORS, ...RESOURCEGROUPSTAGGINGAPI_ERRORS });
