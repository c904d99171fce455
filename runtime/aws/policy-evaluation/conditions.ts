/**
 * A statement's Condition block evaluated against a request context, as the IAM user guide
 * documents the operators ("IAM JSON policy elements: Condition operators") and the set
 * qualifiers ("Set operators for multivalued context keys").
 *
 * Each operator is a test of one context value against the policy's values (true when any
 * policy value matches); the negated operators (StringNotEquals, NotIpAddress, ArnNotLike...)
 * are the negation of their positive twin. Then:
 *
 *   no qualifier     the key's values (one, for a single-valued key): true when any matches
 *                    (negated: when none does)
 *   ForAnyValue:     true when at least one context value passes the operator
 *   ForAllValues:    true when every context value passes it (and when there are none)
 *
 * A key missing from the request: `...IfExists` is true; ForAllValues is true; ForAnyValue
 * is false; a negated operator is true, any other false ("If the key that you specify in a
 * policy condition is not present in the request context, the values do not match and the
 * condition is false. If the policy condition requires that the key is not matched, such as
 * StringNotLike or ArnNotLike, and the right key is not present, the condition is true.").
 * Null tests presence: `"Null": {"k": "true"}` holds when the key is absent.
 */
import { BlockList, isIP } from 'node:net';
import type { ConditionOperator, PolicyCondition } from '../policies.js';
import { contextValues, type RequestContext } from './context-keys.js';
import { arnMatches, wildcardMatch, type MatchOptions } from './matching.js';

const NEGATED: Partial<Record<ConditionOperator, ConditionOperator>> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
  NotIpAddress: 'IpAddress',
};

/** A number as IAM reads one (integers and decimals), or undefined. */
function numberOf(text: string): number | undefined {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text.trim()) ? Number(text) : undefined;
}

/** A date: ISO 8601 (`2020-01-01`, `2020-01-01T00:00:00Z`) or epoch seconds; epoch milliseconds out. */
export function dateOf(text: string): number | undefined {
  const value = text.trim();
  if (/^-?\d+$/.test(value)) return Number(value) * 1000;
  const parsed = Date.parse(value.toUpperCase());
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** Whether an address (v4 or v6) is in a CIDR block or equal to a bare address. */
export function ipInRange(address: string, range: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const [base, bits] = range.trim().split('/');
  if (isIP(base!) !== family) return false;
  const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) return false;
  const list = new BlockList();
  const type = family === 4 ? 'ipv4' : 'ipv6';
  list.addSubnet(base!, prefix, type);
  return list.check(address, type);
}

function binaryEqual(a: string, b: string): boolean {
  return Buffer.from(a, 'base64').equals(Buffer.from(b, 'base64'));
}

function compare(a: number | undefined, b: number | undefined, test: (x: number, y: number) => boolean): boolean {
  return a !== undefined && b !== undefined && test(a, b);
}

type Test = (contextValue: string, policyValue: string, options: MatchOptions) => boolean;

/** The positive operators' one-value tests. */
const TESTS: Readonly<Partial<Record<ConditionOperator, Test>>> = {
  StringEquals: (c, p, o) => wildcardMatch(p, c, { ...o, literal: true }),
  StringEqualsIgnoreCase: (c, p, o) => wildcardMatch(p, c, { ...o, literal: true, ignoreCase: true }),
  StringLike: (c, p, o) => wildcardMatch(p, c, o),
  NumericEquals: (c, p) => compare(numberOf(c), numberOf(p), (x, y) => x === y),
  NumericLessThan: (c, p) => compare(numberOf(c), numberOf(p), (x, y) => x < y),
  NumericLessThanEquals: (c, p) => compare(numberOf(c), numberOf(p), (x, y) => x <= y),
  NumericGreaterThan: (c, p) => compare(numberOf(c), numberOf(p), (x, y) => x > y),
  NumericGreaterThanEquals: (c, p) => compare(numberOf(c), numberOf(p), (x, y) => x >= y),
  DateEquals: (c, p) => compare(dateOf(c), dateOf(p), (x, y) => x === y),
  DateLessThan: (c, p) => compare(dateOf(c), dateOf(p), (x, y) => x < y),
  DateLessThanEquals: (c, p) => compare(dateOf(c), dateOf(p), (x, y) => x <= y),
  DateGreaterThan: (c, p) => compare(dateOf(c), dateOf(p), (x, y) => x > y),
  DateGreaterThanEquals: (c, p) => compare(dateOf(c), dateOf(p), (x, y) => x >= y),
  Bool: (c, p) => c.toLowerCase() === p.toLowerCase(),
  BinaryEquals: (c, p) => binaryEqual(c, p),
  IpAddress: (c, p) => ipInRange(c, p),
  ArnEquals: (c, p, o) => arnMatches(p, c, o),
  ArnLike: (c, p, o) => arnMatches(p, c, o),
};

/** Policy variables are read in the values of the string and ARN operators only. */
function readsVariables(operator: ConditionOperator): boolean {
  return operator.startsWith('String') || operator.startsWith('Arn');
}

/**
 * Whether one condition holds for the request. `variables` says whether the document reads
 * policy variables (language version 2012-10-17).
 */
export function conditionHolds(condition: PolicyCondition, context: RequestContext, variables: boolean): boolean {
  const present = contextValues(context, condition.key);
  if (condition.operator === 'Null') {
    const absent = present === undefined || present.length === 0;
    return condition.values.some((v) => (v.toLowerCase() === 'true') === absent);
  }
  if (present === undefined || present.length === 0) {
    if (condition.ifExists || condition.qualifier === 'ForAllValues') return true;
    if (condition.qualifier === 'ForAnyValue') return false;
    return NEGATED[condition.operator] !== undefined;
  }
  const positive = NEGATED[condition.operator] ?? condition.operator;
  const negated = positive !== condition.operator;
  const test = TESTS[positive]!;
  const options: MatchOptions = { variables: variables && readsVariables(positive), lookup: (key) => contextValues(context, key) };
  const passes = (value: string) => condition.values.some((p) => test(value, p, options)) !== negated;
  if (condition.qualifier === 'ForAllValues') return present.every(passes);
  if (condition.qualifier === 'ForAnyValue') return present.some(passes);
  const matched = present.some((value) => condition.values.some((p) => test(value, p, options)));
  return matched !== negated;
}

/** Whether every condition of a statement holds (a statement without conditions: true). */
export function conditionsHold(conditions: readonly PolicyCondition[], context: RequestContext, variables: boolean): boolean {
  return conditions.every((c) => conditionHolds(c, context, variables));
}
