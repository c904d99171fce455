/**
 * Parameter Store's input rules beyond the model's constraints (which runtime/aws/validation.ts
 * checks before any handler runs): names, paths, labels, values and tiers, answered with the
 * codes and wording Parameter Store uses.
 */
import { ServiceError, validationException } from '../../aws/errors.js';
import { mergeTags as mergeTagLists, MAX_TAGS_PER_RESOURCE, type Tag } from '../../aws/tags.js';
import { ssmError } from './errors.js';

export const PARAMETER_TYPES = ['String', 'StringList', 'SecureString'] as const;
export const TIERS = ['Standard', 'Advanced', 'Intelligent-Tiering'] as const;
export const DATA_TYPES = ['text', 'aws:ec2:image', 'aws:ssm:integration'] as const;

export type ParameterType = (typeof PARAMETER_TYPES)[number];
/** The tier a version is stored in (Intelligent-Tiering resolves to one of these). */
export type StoredTier = 'Standard' | 'Advanced';

export const DEFAULT_KEY_ID = 'alias/aws/ssm';
export const MAX_VERSIONS = 100;
export const MAX_LABELS_PER_VERSION = 10;
export const MAX_HIERARCHY_LEVELS = 15;
export const STANDARD_VALUE_LIMIT = 4096;
export const ADVANCED_VALUE_LIMIT = 8192;
/** Coral's limits on PSParameterValue (not in the published model), checked before the tier limits. */
const MODEL_VALUE_LIMIT = 32768;

const NAME_CHARS = /^[a-zA-Z0-9_.\-/]+$/;
const LABEL_CHARS = /^[a-zA-Z0-9_.-]+$/;

const INVALID_NAME =
  'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by ' +
  'slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';
const RESERVED_PREFIX = 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).';
export const INVALID_PATH =
  'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/". ' +
  'It can\'t be prefixed with "aws" or "ssm" (case-insensitive). ' +
  'It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). ' +
  'Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". ' +
  'Valid example: /get/parameters2-/by1./path0_.';

export function validation(message: string): ServiceError {
  return ssmError('ValidationException', message);
}

/** AWS sends ParameterNotFound with an empty message (botocore prints "...operation: " and nothing). */
export function parameterNotFound(): ServiceError {
  return ssmError('ParameterNotFound', '');
}

export function versionNotFound(name: string, version: number | string): ServiceError {
  return ssmError('ParameterVersionNotFound', `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`);
}

export function invalidNextToken(): ServiceError {
  return ssmError('InvalidNextToken', "The specified token isn't valid.");
}

/** The levels of a name: `/a/b` has two, `a` one. */
export function segments(name: string): string[] {
  return (name.startsWith('/') ? name.slice(1) : name).split('/');
}

/** Structural rules every operation applies to a parameter name (without selector). */
export function nameError(name: string): ServiceError | undefined {
  if (name.includes('/') && !name.startsWith('/')) return validation('Parameter name must be a fully qualified name.');
  if (!NAME_CHARS.test(name) || segments(name).includes('')) return validation(INVALID_NAME);
  return undefined;
}

/**
 * Names starting with "aws" (any case, with or without the slash, `/aws/x` as `awsfoo`) are
 * AWS's own: writing or deleting one is refused as if IAM denied it, with the name shown
 * without its slash (seen from PutParameter and DeleteParameter).
 */
export function reservedNameError(name: string): ServiceError | undefined {
  const bare = name.startsWith('/') ? name.slice(1) : name;
  return bare.toLowerCase().startsWith('aws') ? ssmError('AccessDeniedException', `No access to reserved parameter name: ${bare}.`) : undefined;
}

/** What PutParameter additionally refuses: reserved prefixes and deep hierarchies. */
export function checkNameForPut(name: string): void {
  const error = nameError(name) ?? reservedNameError(name);
  if (error) throw error;
  const bare = name.startsWith('/') ? name.slice(1) : name;
  if (bare.toLowerCase().startsWith('ssm')) throw validation(bare.includes('/') ? INVALID_NAME : RESERVED_PREFIX);
  if (segments(name).length > MAX_HIERARCHY_LEVELS) {
    throw ssmError(
      'HierarchyLevelLimitExceededException',
      'A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names in the Amazon Web Services Systems Manager User Guide.',
    );
  }
}

/** A path as GetParametersByPath and the Path filter accept it: `/`, `/a`, `/a/b/`. */
export function isValidPath(path: string): boolean {
  if (!path.startsWith('/') || !NAME_CHARS.test(path)) return false;
  const inner = path.length > 1 && path.endsWith('/') ? path.slice(1, -1) : path.slice(1);
  return path === '/' || !inner.split('/').includes('');
}

/** Whether a label may be attached; the others come back in InvalidLabels. */
export function isValidLabel(label: string): boolean {
  const lower = label.toLowerCase();
  return LABEL_CHARS.test(label) && !/^\d/.test(label) && !lower.startsWith('aws') && !lower.startsWith('ssm');
}

export type { Tag } from '../../aws/tags.js';

export function tooManyTags(): ServiceError {
  return ssmError('TooManyTagsError', 'The Targets parameter includes too many tags. Remove one or more tags and try the command again.');
}

/** Tags merged in order, later keys replacing earlier ones; throws past 50 tags. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = mergeTagLists(existing, added);
  if (merged.length > MAX_TAGS_PER_RESOURCE) throw tooManyTags();
  return merged;
}

/**
 * The length limits AWS applies to PutParameter's Value although its model states none (the
 * value is sensitive: never echoed).
 */
export function checkValueLength(value: string): void {
  if (value.length < 1) throw validationException(["Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1"]);
  if (value.length > MODEL_VALUE_LIMIT) {
    throw validationException([`Value at 'value' failed to satisfy constraint: Member must have length less than or equal to ${MODEL_VALUE_LIMIT}`]);
  }
}

/**
 * The tier a new version is stored in. Intelligent-Tiering picks Advanced only when the
 * value or policies need it; an Advanced parameter never goes back to Standard.
 */
export function resolveTier(requested: string | undefined, previous: StoredTier | undefined, valueLength: number, hasPolicies: boolean): StoredTier {
  let tier: StoredTier;
  if (requested === 'Intelligent-Tiering') {
    tier = previous === 'Advanced' || valueLength > STANDARD_VALUE_LIMIT || hasPolicies ? 'Advanced' : 'Standard';
  } else {
    tier = (requested as StoredTier | undefined) ?? previous ?? 'Standard';
  }
  if (tier === 'Standard' && previous === 'Advanced') {
    throw validation(
      "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the " +
        'standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.',
    );
  }
  if (tier === 'Standard' && valueLength > STANDARD_VALUE_LIMIT) {
    throw validation(
      `Standard tier parameters support a maximum parameter value of ${STANDARD_VALUE_LIMIT} characters. To create a larger parameter value, ` +
        'upgrade the parameter to use the advanced-parameter tier. For more information, see ' +
        'https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html',
    );
  }
  if (valueLength > ADVANCED_VALUE_LIMIT) {
    throw validation(`Advanced tier parameters support a maximum parameter value of ${ADVANCED_VALUE_LIMIT} characters.`);
  }
  if (tier === 'Standard' && hasPolicies) {
    throw validation('Parameter policies are supported only for advanced-tier parameters. Use the advanced-parameter tier and try again.');
  }
  return tier;
}

/** Checks the value against AllowedPattern (a regular expression searched in the value). */
export function checkAllowedPattern(pattern: string | undefined, value: string): void {
  if (pattern === undefined || pattern === '') return;
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'u');
  } catch {
    throw ssmError('InvalidAllowedPatternException', "The request doesn't meet the regular expression requirement.");
  }
  if (!regex.test(value)) {
    throw ssmError('ParameterPatternMismatchException', `Parameter value, cannot be validated against allowedPattern: ${pattern}`);
  }
}

export function checkDataType(dataType: string): void {
  if (!(DATA_TYPES as readonly string[]).includes(dataType)) {
    throw validation(`The following data type is not supported: ${dataType} (Data type names are all lowercase.)`);
  }
}
