/**
 * Amazon Simple Queue Service's errors, by name, with AWS's status and fault (see
 * runtime/aws/error-catalog.ts). SQS answers InvalidParameterValue and MissingParameter in
 * both protocols (its query heritage), so those two join the json front end's common errors:
 * by those codes in query answers and in json's x-amzn-query-error header, and by the shape
 * names InvalidParameterValueException and MissingRequiredParameterException in json's
 * `__type` (as botocore reports AWS's json answers: QueryErrorCode).
 */
import { errorsOf, JSON_COMMON_ERRORS, QUERY_COMMON_ERRORS } from '../../aws/error-catalog.js';
import { SQS_ERRORS } from './errors.generated.js';

/** `sqsError('SomeException', 'message')`: only codes the model declares compile. */
export const sqsError = errorsOf({
  ...JSON_COMMON_ERRORS,
  ...SQS_ERRORS,
  InvalidParameterValue: { ...QUERY_COMMON_ERRORS.InvalidParameterValue, code: 'InvalidParameterValueException', queryCode: QUERY_COMMON_ERRORS.InvalidParameterValue.code },
  MissingParameter: { ...QUERY_COMMON_ERRORS.MissingParameter, code: 'MissingRequiredParameterException', queryCode: QUERY_COMMON_ERRORS.MissingParameter.code },
});

/** AWS's answer for a queue that is not there (by name or by URL). */
export function queueDoesNotExist() {
  return sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
}
