/**
 * The checks a filter policy passes before it is stored (Subscribe, SetSubscriptionAttributes),
 * in AWS's words (as LocalStack's snapshot tests against AWS record them), each after the
 * operation's prefix (`Invalid parameter: Attributes Reason: ` for Subscribe, `Invalid
 * parameter: ` for SetSubscriptionAttributes):
 *
 *   - a JSON object of at most 5 top-level keys, each an object (nested: MessageBody only) or
 *     a non-empty array of conditions; at most 150 combinations (values times nesting depth);
 *   - a condition is a string, number, boolean or null, or an object of one operator: prefix,
 *     suffix and equals-ignore-case take a string, anything-but a value, a list or a prefix,
 *     exists a boolean, numeric an operator and number (or a >/>= to </<= range, bottom below
 *     top), cidr an IP network.
 */
import { snsError } from './errors.js';

/** Checks a filter policy's text for a scope; `prefix` is the operation's message prefix. */
export function checkFilterPolicy(text: string, scope: string, prefix: string): void {
  const fail = (reason: string): never => {
    throw snsError('InvalidParameterException', `${prefix}${reason}`);
  };
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    return fail('FilterPolicy: failed to parse JSON.');
  }
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) return fail('FilterPolicy: Filter policy must be a JSON object');
  if (Object.keys(policy).length > 5) fail('FilterPolicy: Filter policy can not have more than 5 keys');
  const rules: unknown[][] = [];

  function walk(node: Record<string, unknown>, depth: number, combinations: number): number {
    for (const [key, value] of Object.entries(node)) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        combinations = walk(value as Record<string, unknown>, depth + 1, combinations);
      } else if (Array.isArray(value)) {
        if (value.length === 0) fail('FilterPolicy: Empty arrays are not allowed');
        if (key === '$or') {
          let sum = 0;
          for (const alternative of value) {
            if (alternative === null || typeof alternative !== 'object' || Array.isArray(alternative)) fail(`FilterPolicy: "${key}" must be an object or an array`);
            sum += walk(alternative as Record<string, unknown>, depth, combinations);
          }
          combinations = sum;
        } else {
          rules.push(value);
          combinations *= value.length * depth;
        }
      } else {
        fail(`FilterPolicy: "${key}" must be an object or an array`);
      }
    }
    if (scope === 'MessageAttributes' && depth > 1) fail('Filter policy scope MessageAttributes does not support nested filter policy');
    return combinations;
  }

  if (walk(policy as Record<string, unknown>, 1, 1) > 150) fail('FilterPolicy: Filter policy is too complex');
  for (const list of rules) for (const rule of list) checkRule(rule, fail);
}

function checkRule(rule: unknown, fail: (reason: string) => never): void {
  if (rule === null || typeof rule === 'string' || typeof rule === 'boolean' || typeof rule === 'number') return;
  if (Array.isArray(rule) || typeof rule !== 'object') fail('FilterPolicy: Match value must be String, number, true, false, or null');
  const entries = Object.entries(rule as Record<string, unknown>);
  if (entries.length !== 1) fail('FilterPolicy: Only one key allowed in match expression');
  const [operator, value] = entries[0]!;
  switch (operator) {
    case 'equals-ignore-case':
    case 'prefix':
    case 'suffix':
      if (typeof value !== 'string') fail(`FilterPolicy: ${operator} match pattern must be a string`);
      return;
    case 'anything-but':
      if (Array.isArray(value)) return value.forEach((v) => checkRule(v, fail));
      if (value !== null && typeof value === 'object') {
        for (const inner of Object.keys(value)) if (inner !== 'prefix' && inner !== 'suffix') fail(`FilterPolicy: Unsupported anything-but pattern: ${inner}`);
      }
      return checkRule(value, fail);
    case 'exists':
      if (typeof value !== 'boolean') fail('FilterPolicy: exists match pattern must be either true or false.');
      return;
    case 'numeric':
      return checkNumeric(value, fail);
    case 'cidr':
      return checkCidr(value, fail);
    default:
      fail(`FilterPolicy: Unrecognized match type ${operator}`);
  }
}

function checkNumeric(value: unknown, fail: (reason: string) => never): void {
  if (!Array.isArray(value) || value.length === 0) fail('FilterPolicy: Invalid member in numeric match: ]');
  const terms = [...(value as unknown[])];
  const op = terms.shift();
  if (typeof op !== 'string') fail(`FilterPolicy: Invalid member in numeric match: ${String(op)}`);
  if (!['<', '<=', '=', '>', '>='].includes(op as string)) fail(`FilterPolicy: Unrecognized numeric range operator: ${String(op)}`);
  const bottom = terms.shift();
  if (typeof bottom !== 'number') fail(`FilterPolicy: Value of ${op === '=' ? 'equals' : String(op)} must be numeric`);
  if (terms.length === 0) return;
  if (op !== '>' && op !== '>=') fail('FilterPolicy: Too many elements in numeric expression');
  const op2 = terms.shift();
  if (typeof op2 !== 'string') fail(`FilterPolicy: Bad value in numeric range: ${String(op2)}`);
  if (op2 !== '<' && op2 !== '<=') fail(`FilterPolicy: Bad numeric range operator: ${String(op2)}`);
  const top = terms.shift();
  if (typeof top !== 'number') fail(`FilterPolicy: Value of ${String(op2)} must be numeric`);
  if ((top as number) <= (bottom as number)) fail('FilterPolicy: Bottom must be less than top');
  if (terms.length > 0) fail('FilterPolicy: Too many terms in numeric range expression');
}

function checkCidr(value: unknown, fail: (reason: string) => never): void {
  // AWS answers a cidr that is not a string with the prefix operator's message
  if (typeof value !== 'string') fail('FilterPolicy: prefix match pattern must be a string');
  const parts = (value as string).split('/');
  if (parts.length !== 2) fail("FilterPolicy: Malformed CIDR, one '/' required");
  const [address, mask] = parts as [string, string];
  if (!/^\d+$/.test(mask)) fail('FilterPolicy: Malformed CIDR, mask bits must be an integer');
  const octets = address.split('.');
  const v4 = octets.length === 4 && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255) && Number(mask) <= 32;
  const v6 = address.includes(':') && /^[0-9a-fA-F:]+$/.test(address) && Number(mask) <= 128;
  if (!v4 && !v6) fail(`FilterPolicy: Nonstandard IP address: ${address}`);
}
