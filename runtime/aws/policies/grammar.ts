/**
 * What both policy grammars share: the JSON value types, the statement elements, string-or-list
 * values, principals and Condition blocks, read into the typed form of ../policies.ts. Each
 * reader returns undefined for a value of the wrong shape; the grammar that called it decides
 * which message that is (identity: "Syntax errors in policy.", trust: its own).
 */
import type { ConditionOperator, PolicyCondition, PolicyPrincipal } from '../policies.js';

/** The condition operators IAM knows, without the `ForAnyValue:`/`ForAllValues:` qualifier and `IfExists`. */
export const CONDITION_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
] as const;


/** A refusal, with AWS's message; parsePolicy turns it into the service's error. */
export class PolicyDocumentError extends Error {}

/** Throws a refusal with AWS's message. */
export function fail(message: string): never {
  throw new PolicyDocumentError(message);
}

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [name: string]: Json;
}

/** The statement elements of the policy grammar. */
export const STATEMENT_ELEMENTS: ReadonlySet<string> = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);

/** The document elements of the policy grammar. */
export const DOCUMENT_ELEMENTS: ReadonlySet<string> = new Set(['Version', 'Id', 'Statement']);

export const VERSIONS: ReadonlySet<string> = new Set(['2012-10-17', '2008-10-17']);

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether an object has a member (own: JSON.parse makes `__proto__` an own member too). */
export function has(object: JsonObject, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, name);
}

/** The parsed JSON, or undefined when the text is not JSON. */
export function parseJson(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/** A string or a list of strings, as a list; undefined for any other shape. */
export function stringList(value: Json | undefined): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return [...(value as string[])];
  return undefined;
}

/** The statements of a Statement element: an object is a list of one; undefined for another shape. */
export function statementList(value: Json | undefined): Json[] | undefined {
  if (isObject(value)) return [value];
  if (Array.isArray(value)) return value;
  return undefined;
}

const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;
type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

/**
 * A Principal or NotPrincipal value: `"*"`, or an object of principal types (AWS, Service,
 * Federated, CanonicalUser) to a name or a non-empty list of names. Undefined otherwise.
 */
export function readPrincipal(value: Json | undefined): PolicyPrincipal | undefined {
  if (value === '*') return '*';
  if (!isObject(value)) return undefined;
  const names = Object.keys(value);
  if (names.length === 0) return undefined;
  const principal: Partial<Record<PrincipalType, string[]>> = {};
  for (const name of names) {
    if (!(PRINCIPAL_TYPES as readonly string[]).includes(name)) return undefined;
    const values = stringList(value[name]);
    if (!values || values.length === 0) return undefined;
    principal[name as PrincipalType] = values;
  }
  return principal;
}

const OPERATORS: ReadonlySet<string> = new Set(CONDITION_OPERATORS);

/** An operator's parts: `ForAnyValue:StringLikeIfExists` is StringLike, qualified, if-exists. */
export function readOperator(text: string): Pick<PolicyCondition, 'operator' | 'qualifier' | 'ifExists'> | undefined {
  let rest = text;
  let qualifier: PolicyCondition['qualifier'];
  // one qualifier and one IfExists at most, each stripped once (as IAM's parser does)
  for (const q of ['ForAnyValue', 'ForAllValues'] as const) {
    if (rest.startsWith(`${q}:`)) {
      qualifier = q;
      rest = rest.slice(q.length + 1);
      break;
    }
  }
  const ifExists = rest.endsWith('IfExists');
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  if (!OPERATORS.has(rest)) return undefined;
  return { operator: rest as ConditionOperator, qualifier, ifExists };
}

/** A condition value: a string, a number or a boolean (the latter two as their JSON text). */
function conditionValue(value: Json): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  return undefined;
}

/**
 * A Condition element: an object of operators, each an object of condition keys to a value or
 * a list of values. An operator IAM does not know is allowed only with an empty block (and
 * then tests nothing). Undefined for any other shape.
 */
export function readConditions(value: Json | undefined): PolicyCondition[] | undefined {
  if (!isObject(value)) return undefined;
  const conditions: PolicyCondition[] = [];
  for (const text of Object.keys(value)) {
    const block = value[text]!;
    if (!isObject(block)) return undefined;
    const operator = readOperator(text);
    const keys = Object.keys(block);
    if (!operator) {
      if (keys.length > 0) return undefined;
      continue;
    }
    for (const key of keys) {
      const raw = block[key]!;
      const values = (Array.isArray(raw) ? raw : [raw]).map(conditionValue);
      if (values.some((v) => v === undefined)) return undefined;
      conditions.push({ text, ...operator, key, values: values as string[] });
    }
  }
  return conditions;
}

/** The typed Action/NotAction (or Resource/NotResource, Principal/NotPrincipal) pair of a checked statement. */
export function pair<T>(statement: JsonObject, name: string, read: (value: Json | undefined) => T | undefined): { plain?: T; not?: T } {
  const out: { plain?: T; not?: T } = {};
  if (has(statement, name)) out.plain = read(statement[name]);
  if (has(statement, `Not${name}`)) out.not = read(statement[`Not${name}`]);
  return out;
}
