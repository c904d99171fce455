/**
 * The checks a filter policy passes before it is stored (Subscribe, SetSubscriptionAttributes),
 * in AWS's words (as LocalStack's snapshot tests against AWS record them), each after the
 * operation's prefix (`Invalid parameter: Attributes Reason: ` for Subscribe, `Invalid
 * parameter: ` for SetSubscriptionAttributes):
 *
 *   - a JSON object of at most 5 top-level keys, each an object (nested: MessageBody only) or
 *     a non-empty array of conditions; at most 150 combinations (values times nesting depth);
 *   - a condition is a string, number, boolean or null, or an object of one operator: prefix,
 *     suffix and equals-ignore-case take a string, anything-but a value, a list or a
 *     prefix/suffix/wildcard, exists a boolean, numeric an operator and number (or a >/>= to
 *     </<= range, bottom below top), cidr an IPv4 or IPv6 network, wildcard a pattern;
 *   - wildcards: no `**`, a backslash escapes only `*` and `\\` (positions counted as AWS's rule
 *     engine, Event Ruler, counts them: UTF-8 bytes into the quoted pattern), at most 3 `*` in a
 *     pattern, and the policy's wildcard complexity at most 100 (a pattern with one `*` weighs
 *     1, one with more 3 per `*`; a key weighs the sum of its patterns times their number).
 *
 * The CIDR and wildcard messages are Event Ruler's (the engine whose messages SNS answers,
 * "Malformed CIDR, one '/' required" among them); a policy over the wildcard limits is refused
 * with AWS's "Filter policy is too complex".
 */
import { isIP } from 'node:net';
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
  if (rules.reduce((sum, list) => sum + wildcardComplexity(list), 0) > 100) fail('FilterPolicy: Filter policy is too complex');
}

/** The wildcard patterns among a key's conditions (anything-but's too). */
function wildcards(list: unknown[]): string[] {
  const out: string[] = [];
  for (const rule of list) {
    if (rule === null || typeof rule !== 'object') continue;
    const r = rule as Record<string, unknown>;
    if (typeof r.wildcard === 'string') out.push(r.wildcard);
    const but = r['anything-but'] as Record<string, unknown> | undefined;
    if (but && typeof but === 'object' && !Array.isArray(but) && but.wildcard !== undefined) {
      for (const w of Array.isArray(but.wildcard) ? but.wildcard : [but.wildcard]) if (typeof w === 'string') out.push(w);
    }
  }
  return out;
}

/** A key's wildcard complexity: its patterns' weights summed, times how many there are. */
function wildcardComplexity(list: unknown[]): number {
  const patterns = wildcards(list);
  const weight = (p: string) => {
    const stars = p.replace(/\\[*\\]/g, '').split('*').length - 1;
    return stars <= 1 ? stars : 3 * stars;
  };
  return patterns.reduce((sum, p) => sum + weight(p), 0) * patterns.length;
}

/** Event Ruler's checks of a wildcard pattern; positions are UTF-8 bytes into the quoted pattern. */
function checkWildcard(value: unknown, fail: (reason: string) => never): void {
  if (typeof value !== 'string') fail('FilterPolicy: wildcard match pattern must be a string');
  const bytes = Buffer.from(value as string, 'utf8');
  let stars = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x2a) {
      if (bytes[i + 1] === 0x2a) fail(`FilterPolicy: Consecutive wildcard characters at pos ${i + 1}`);
      stars++;
    } else if (bytes[i] === 0x5c) {
      if (bytes[i + 1] !== 0x2a && bytes[i + 1] !== 0x5c) fail(`FilterPolicy: Invalid escape character at pos ${i + 1}`);
      i++;
    }
  }
  if (stars > 3) fail('FilterPolicy: Filter policy is too complex');
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
        for (const inner of Object.keys(value)) if (inner !== 'prefix' && inner !== 'suffix' && inner !== 'wildcard') fail(`FilterPolicy: Unsupported anything-but pattern: ${inner}`);
        const wildcard = (value as Record<string, unknown>).wildcard;
        if (wildcard !== undefined) return (Array.isArray(wildcard) ? wildcard : [wildcard]).forEach((w) => checkWildcard(w, fail));
      }
      return checkRule(value, fail);
    case 'wildcard':
      return checkWildcard(value, fail);
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
  if (parts.length !== 2 || parts[1] === '') fail("FilterPolicy: Malformed CIDR, one '/' required");
  const [address, mask] = parts as [string, string];
  // Java's Integer.parseInt: an optional sign, digits, within 32 bits
  const bits = /^[+-]?\d+$/.test(mask) ? Number(mask) : NaN;
  if (!Number.isInteger(bits) || bits > 2 ** 31 - 1 || bits < -(2 ** 31)) fail('FilterPolicy: Malformed CIDR, mask bits must be an integer');
  if (bits < 0) fail('FilterPolicy: Malformed CIDR, mask bits must not be negative');
  const looksV4 = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/.test(address);
  const looksV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/.test(address);
  if (!looksV4 && !looksV6) fail(`FilterPolicy: Nonstandard IP address: ${address}`);
  const family = isIP(address);
  if (family !== (looksV4 ? 4 : 6)) fail(`FilterPolicy: Invalid IP address: ${address}`);
  if (family === 4 && bits > 31) fail('FilterPolicy: IPv4 mask bits must be < 32');
  if (family === 6 && bits > 127) fail('FilterPolicy: IPv6 mask bits must be < 128');
}
