/**
 * Filter policies, matched as SNS matches them (developer guide, "Amazon SNS message
 * filtering"): every key of the policy must match (AND), any of a key's conditions may
 * (OR), `$or` offers alternative sub-policies. Conditions: a string or number (exact; numbers
 * by value), null (MessageBody), `prefix`, `suffix`, `equals-ignore-case`, `wildcard` (`*` any
 * run of characters, `\*` and `\\` a literal star and backslash), `anything-but` (a value, a
 * list, or a prefix/suffix/wildcard), `numeric` (=, <, <=, >, >= and ranges), `exists`, `cidr`
 * (IPv4 and IPv6 networks; an address matches a network of its own family only).
 *
 * Scopes: MessageAttributes reads the message's attributes (String, Number, and String.Array
 * as the JSON array it holds; Binary never matches); MessageBody reads the message as JSON,
 * nested keys as nested objects, an array matching when any element does. A message whose
 * body is not JSON matches no MessageBody policy.
 */
import { BlockList, isIP } from 'node:net';
import type { MessageAttributeValue } from './api.generated.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
/** A value found for a key: absent, or the values it holds (an array's elements). */
type Found = { present: false } | { present: true; values: Json[] };

/** Whether a message passes a policy in a scope. */
export function filterPolicyMatches(policy: Record<string, unknown>, scope: string, message: string, attributes: Record<string, MessageAttributeValue>): boolean {
  if (scope === 'MessageBody') {
    let body: unknown;
    try {
      body = JSON.parse(message);
    } catch {
      return false;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
    return matchObject(policy, (key, at) => lookup(at as Record<string, Json>, key), body);
  }
  return matchObject(policy, (key) => attributeValue(Object.prototype.hasOwnProperty.call(attributes, key) ? attributes[key] : undefined), undefined);
}

function lookup(at: Record<string, Json> | undefined, key: string): Found {
  if (!at || typeof at !== 'object' || Array.isArray(at)) return { present: false };
  if (Object.prototype.hasOwnProperty.call(at, key)) {
    const v = at[key]!;
    return { present: true, values: Array.isArray(v) ? v : [v] };
  }
  // AWS reads a dotted key as a path too: {"a.b": [...]} matches {"a": {"b": ...}}
  const dot = key.indexOf('.');
  if (dot < 0) return { present: false };
  const head = lookup(at, key.slice(0, dot));
  if (!head.present) return head;
  const found = head.values.map((v) => lookup(v as Record<string, Json>, key.slice(dot + 1))).filter((f): f is { present: true; values: Json[] } => f.present);
  return found.length === 0 ? { present: false } : { present: true, values: found.flatMap((f) => f.values) };
}

function attributeValue(a: MessageAttributeValue | undefined): Found {
  if (!a) return { present: false };
  if (a.DataType.startsWith('Binary')) return { present: true, values: [] };
  if (a.DataType.startsWith('Number')) return { present: true, values: [Number(a.StringValue)] };
  if (a.DataType === 'String.Array') {
    try {
      const parsed = JSON.parse(a.StringValue ?? '') as Json;
      if (Array.isArray(parsed)) return { present: true, values: parsed };
    } catch {
      // not a JSON array: its text is the value
    }
  }
  return { present: true, values: [a.StringValue ?? ''] };
}

type Lookup = (key: string, at: unknown) => Found;

function matchObject(policy: Record<string, unknown>, find: Lookup, at: unknown): boolean {
  for (const [key, rule] of Object.entries(policy)) {
    if (key === '$or') {
      if (!(rule as Record<string, unknown>[]).some((alt) => matchObject(alt, find, at))) return false;
      continue;
    }
    const found = find(key, at);
    if (rule !== null && typeof rule === 'object' && !Array.isArray(rule)) {
      // nested key (MessageBody): the object below, or each object of an array below
      if (!found.present) return false;
      if (!found.values.some((v) => v !== null && typeof v === 'object' && !Array.isArray(v) && matchObject(rule as Record<string, unknown>, find, v))) return false;
      continue;
    }
    if (!(rule as unknown[]).some((condition) => matchCondition(condition, found))) return false;
  }
  return true;
}

function matchCondition(condition: unknown, found: Found): boolean {
  if (condition !== null && typeof condition === 'object') {
    const [op, operand] = Object.entries(condition)[0]!;
    if (op === 'exists') return operand === found.present;
    if (!found.present) return false;
    return found.values.some((v) => matchOperator(op, operand, v));
  }
  if (!found.present) return false;
  return found.values.some((v) => equal(condition, v));
}

function equal(condition: unknown, v: Json): boolean {
  if (condition === null) return v === null;
  // strings, numbers (by value) and booleans each match only their own kind
  return typeof v === typeof condition && v === condition;
}

function matchOperator(op: string, operand: unknown, v: Json): boolean {
  switch (op) {
    case 'prefix':
      return typeof v === 'string' && v.startsWith(operand as string);
    case 'suffix':
      return typeof v === 'string' && v.endsWith(operand as string);
    case 'equals-ignore-case':
      return typeof v === 'string' && v.toLowerCase() === (operand as string).toLowerCase();
    case 'wildcard':
      return typeof v === 'string' && wildcardRegExp(operand as string).test(v);
    case 'anything-but': {
      if (operand !== null && typeof operand === 'object' && !Array.isArray(operand)) {
        // {"prefix": "x"}, {"suffix": "x"}, {"wildcard": "x*"} or {"wildcard": ["x*", "*y"]}
        const [inner, value] = Object.entries(operand)[0]!;
        const values = Array.isArray(value) ? (value as unknown[]) : [value];
        return typeof v === 'string' && !values.some((x) => matchOperator(inner, x, v));
      }
      const excluded = Array.isArray(operand) ? operand : [operand];
      return !excluded.some((x) => equal(x, v));
    }
    case 'numeric':
      return typeof v === 'number' && numeric(operand as unknown[], v);
    case 'cidr':
      return typeof v === 'string' && inCidr(v, operand as string);
    default:
      return false;
  }
}

function numeric(terms: unknown[], v: number): boolean {
  for (let i = 0; i < terms.length; i += 2) {
    const n = Number(terms[i + 1]);
    switch (terms[i]) {
      case '=': if (!(v === n)) return false; break;
      case '<': if (!(v < n)) return false; break;
      case '<=': if (!(v <= n)) return false; break;
      case '>': if (!(v > n)) return false; break;
      case '>=': if (!(v >= n)) return false; break;
      default: return false;
    }
  }
  return true;
}

/** A wildcard pattern as an anchored expression: `*` any run, `\*` a star, `\\` a backslash. */
export function wildcardRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') source += '[\\s\\S]*';
    else if (c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) source += `\\${pattern[++i]!}`;
    else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** CIDR membership, IPv4 (`10.0.0.0/24`) or IPv6 (`2001:db8::/32`); an address of the other family never matches. */
export function inCidr(address: string, cidr: string): boolean {
  const slash = cidr.indexOf('/');
  const base = cidr.slice(0, slash);
  const bits = Number(cidr.slice(slash + 1));
  const family = isIP(base);
  if (slash < 0 || family === 0 || isIP(address) !== family || !Number.isInteger(bits)) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (bits < 0 || bits > (family === 4 ? 32 : 128)) return false;
  const list = new BlockList();
  list.addSubnet(base, bits, type);
  return list.check(address, type);
}
