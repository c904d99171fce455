/**
 * How the SAM transform fails: each problem a {@link SamError} carrying SAM's own message
 * ("Resource with id [X] is invalid. ..."), gathered over the whole template and reported as
 * CloudFormation reports a failed transform: one ValidationError, "Transform
 * AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification
 * document. Number of errors found: N. <each message>".
 */
import { templateError } from '../errors.js';
import type { ServiceError } from '../../../../aws/errors.js';

/** The transform's name, as templates declare it. */
export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** One problem SAM finds in a template, in SAM's words. */
export class SamError extends Error {}

/** A problem with one resource ("Resource with id [X] is invalid. ..."). */
export function resourceError(logicalId: string, message: string): SamError {
  return new SamError(`Resource with id [${logicalId}] is invalid. ${message}`);
}

/** The ValidationError CloudFormation answers for the problems found. */
export function transformFailed(errors: readonly SamError[]): ServiceError {
  const messages = [...new Set(errors.map((e) => e.message))];
  return templateError(`Transform ${SAM_TRANSFORM} failed with: Invalid Serverless Application Specification document. Number of errors found: ${messages.length}. ${messages.join(' ')}`);
}
