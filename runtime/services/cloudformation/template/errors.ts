/**
 * The template language's errors: every one a ValidationError (400, Sender), as CloudFormation
 * answers a template it refuses, with AWS's own wording. The messages used in more than one
 * module are built here, so that each has one spelling.
 */
import { ServiceError } from '../../../aws/errors.js';

/** A ValidationError as CloudFormation answers it (`Template format error: ...`, `Parameters: [...] must have values`). */
export function templateError(message: string): ServiceError {
  return new ServiceError('ValidationError', message, { status: 400 });
}

/** Where a reference was found: the template's block, as AWS names it in its messages. */
export type TemplateBlock = 'Resources' | 'Outputs';

/** A Ref, GetAtt, Sub variable or DependsOn naming nothing the block may refer to. */
export function unresolvedDependencies(names: readonly string[], block: TemplateBlock = 'Resources'): ServiceError {
  return templateError(`Template format error: Unresolved resource dependencies [${names.join(', ')}] in the ${block} block of the template`);
}

/** A Condition (of a resource, an output or Fn::If) naming no condition of the template. */
export function unresolvedCondition(name: string, where: string): ServiceError {
  return templateError(`Template error: unresolved condition dependency ${name} in ${where}`);
}
