/**
 * Amazon Elastic Container Registry's errors, by name, with AWS's status and fault (see
 * runtime/aws/error-catalog.ts), and the messages ECR gives for its common refusals.
 */
import { errorsOf, JSON_COMMON_ERRORS } from '../../aws/error-catalog.js';
import { ECR_ERRORS } from './errors.generated.js';

/** `ecrError('SomeException', 'message')`: only codes the model declares compile. */
export const ecrError = errorsOf({ ...JSON_COMMON_ERRORS, ...ECR_ERRORS });

/** RepositoryNotFoundException as AWS words it. */
export const repositoryNotFound = (name: string, registryId: string) => ecrError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${registryId}'`);

/** InvalidParameterException for a member that fails ECR's own check: `Invalid parameter at 'member' failed to satisfy constraint: 'reason'`. */
export const invalidParameter = (member: string, reason: string) => ecrError('InvalidParameterException', `Invalid parameter at '${member}' failed to satisfy constraint: '${reason}'`);
