/**
 * The filters of the listing operations: ParameterFilters (DescribeParameters and
 * GetParametersByPath, each allowing different keys) and DescribeParameters' legacy Filters.
 * The model's constraints (key pattern, lengths, counts) have been checked before the handler
 * runs; Parameter Store's rules on keys, options and values are checked here, and what is left
 * is compiled into one function that picks the version a listing shows.
 */
import { ServiceError } from '../../aws/errors.js';
import { current, versionList, type StoredParameter, type StoredVersion } from './parameters.js';
import { INVALID_PATH, isValidPath, PARAMETER_TYPES, TIERS, validation } from './validation.js';
import { ssmError } from './errors.js';

export interface ParameterStringFilter {
  Key: string;
  Option?: string;
  Values?: string[];
}

export interface ParametersFilter {
  Key: string;
  Values: string[];
}

export type FilterMode = 'describe' | 'path';

/** The version of a parameter a listing shows, or undefined when the filters exclude it. */
export type Selection = (parameter: StoredParameter) => StoredVersion | undefined;

type Test = (parameter: StoredParameter, version: StoredVersion) => boolean;

const NOT_BY_PATH = new Set(['Name', 'Path', 'Tier', 'DataType']);
const COMMON_PREFIX =
  'Filters for common parameters can\'t be prefixed with "aws" or "ssm" (case-insensitive). ' +
  'When using global parameters, please specify within a global namespace.';

function invalidKey(key: string, mode: FilterMode): ServiceError {
  const valid = mode === 'describe' ? '[Path, Name, Type, KeyId, Tier]' : '[Type, KeyId]';
  return ssmError('InvalidFilterKey', `The following filter key is not valid: ${key}. Valid filter keys include: ${valid}.`);
}

function invalidValue(value: string, valid: readonly string[]): ServiceError {
  return ssmError('InvalidFilterValue', `The following filter value is not valid: ${value}. Valid values include: [${valid.join(', ')}]`);
}

function optionsFor(key: string, mode: FilterMode): string[] {
  if (key === 'Path') return ['Recursive', 'OneLevel'];
  if (key === 'Label') return ['Equals'];
  if (key === 'Name' && mode === 'describe') return ['BeginsWith', 'Equals', 'Contains'];
  return ['BeginsWith', 'Equals'];
}

function stripSlash(name: string): string {
  return name.startsWith('/') ? name.slice(1) : name;
}

function matches(option: string, actual: string | undefined, values: readonly string[]): boolean {
  if (actual === undefined) return false;
  switch (option) {
    case 'BeginsWith':
      return values.some((v) => actual.startsWith(v));
    case 'Contains':
      return values.some((v) => actual.includes(v));
    default:
      return values.includes(actual);
  }
}

/** The path a parameter sits in: `/a` for `/a/b`; `/` for both `/x` and `x`. */
export function parentPath(name: string): string {
  const bare = stripSlash(name);
  const slash = bare.lastIndexOf('/');
  return slash === -1 ? '/' : `/${bare.slice(0, slash)}`;
}

/** Whether a parameter is in `path` (directly, or anywhere below it when recursive). */
export function isUnderPath(name: string, path: string, recursive: boolean): boolean {
  const p = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (recursive) return p === '/' || name.startsWith(`${p}/`);
  return parentPath(name) === p;
}

function checkPathValues(values: readonly string[]): void {
  for (const value of values) {
    if (!isValidPath(value)) throw validation(INVALID_PATH);
    const lower = stripSlash(value).toLowerCase();
    if (lower.startsWith('aws') || lower.startsWith('ssm')) throw validation(COMMON_PREFIX);
  }
}

/** One filter's test; Label filters return undefined (they choose the version instead). */
function compileOne(filter: ParameterStringFilter, option: string, values: string[]): Test | undefined {
  const key = filter.Key;
  switch (key) {
    case 'Name': {
      const wanted = values.map(stripSlash);
      return (p) => matches(option, stripSlash(p.name), wanted);
    }
    case 'Path':
      checkPathValues(values);
      return (p) => values.some((path) => isUnderPath(p.name, path, option === 'Recursive'));
    case 'Type':
      if (option === 'Equals') for (const v of values) if (!(PARAMETER_TYPES as readonly string[]).includes(v)) throw invalidValue(v, PARAMETER_TYPES);
      return (_p, v) => matches(option, v.type, values);
    case 'Tier':
      if (option === 'Equals') for (const v of values) if (!(TIERS as readonly string[]).includes(v)) throw invalidValue(v, TIERS);
      return (_p, v) => matches(option, v.tier, values);
    case 'KeyId':
      return (_p, v) => matches(option, v.keyId, values);
    case 'DataType':
      return (_p, v) => matches(option, v.dataType, values);
    case 'Label':
      return undefined;
    default: {
      const tagKey = key.slice('tag:'.length);
      return (p) => {
        const tag = p.tags.find((t) => t.Key === tagKey);
        return tag !== undefined && (values.length === 0 || matches(option, tag.Value, values));
      };
    }
  }
}

/** Checks ParameterFilters for one operation and compiles them. */
export function compileParameterFilters(filters: readonly ParameterStringFilter[] | undefined, mode: FilterMode): Selection {
  const list = filters ?? [];
  const tests: Test[] = [];
  let labels: string[] | undefined;
  const seen = new Set<string>();
  for (const filter of list) {
    const key = filter.Key;
    if ((mode === 'describe' && key === 'Label') || (mode === 'path' && NOT_BY_PATH.has(key))) throw invalidKey(key, mode);
    if (seen.has(key)) {
      throw validation(`The following filter is duplicated in the request: ${key}. A request can contain only one occurrence of a specific filter.`);
    }
    seen.add(key);
    const values = filter.Values ?? [];
    if (!key.startsWith('tag:') && values.length === 0) {
      throw ssmError('InvalidFilterValue', `The following filter values are missing : null for filter key ${key}.`);
    }
    const valid = optionsFor(key, mode);
    const option = filter.Option ?? (key === 'Path' ? 'OneLevel' : 'Equals');
    if (!valid.includes(option)) {
      throw ssmError('InvalidFilterOption', `The following filter option is not valid: ${option}. Valid options include: [${valid.join(', ')}].`);
    }
    const test = compileOne(filter, option, values);
    if (test) tests.push(test);
    else labels = values;
  }
  return select(tests, labels);
}

/** Checks DescribeParameters' legacy Filters (Name begins with, Type, KeyId) and compiles them. */
export function compileLegacyFilters(filters: readonly ParametersFilter[]): Selection {
  const tests: Test[] = filters.map((f) => {
    switch (f.Key) {
      case 'Name': {
        const wanted = f.Values.map(stripSlash);
        return (p) => matches('BeginsWith', stripSlash(p.name), wanted);
      }
      case 'Type':
        return (_p, v) => f.Values.includes(v.type);
      default:
        return (_p, v) => v.keyId !== undefined && f.Values.includes(v.keyId);
    }
  });
  return select(tests, undefined);
}

function select(tests: readonly Test[], labels: readonly string[] | undefined): Selection {
  return (parameter) => {
    let version = current(parameter);
    if (labels) {
      // a Label filter shows the version carrying the label, not the current one
      const labelled = versionList(parameter).filter((v) => v.labels.some((l) => labels.includes(l)));
      if (labelled.length === 0) return undefined;
      version = labelled[labelled.length - 1]!;
    }
    return tests.every((test) => test(parameter, version)) ? version : undefined;
  };
}
