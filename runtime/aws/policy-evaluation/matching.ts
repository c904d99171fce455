/**
 * Wildcard matching as IAM does it, with policy variables.
 *
 * A pattern (an Action, a Resource, a StringLike or ArnLike value) is read once into parts:
 * literal text, `*` (any run of characters, `/` and `:` included), `?` (any one character)
 * and `${key}` policy variables. Variables are replaced by the request's value for the key
 * (`${aws:username}`, `${aws:PrincipalTag/team}`, with an optional default:
 * `${aws:username, 'anonymous'}`), and the value is matched literally: a `*` in a user name
 * is a star, not a wildcard. `${*}`, `${?}` and `${$}` are the literal characters. A variable
 * whose key the request lacks (and has no default) makes the pattern match nothing: the
 * statement does not apply, and the simulator lists the key in MissingContextValues.
 *
 * Variables are read only in documents of language version 2012-10-17; in 2008-10-17
 * documents `${...}` is plain text (IAM user guide, "IAM policy elements: Variables and tags").
 *
 * Case: action names compare without regard to case; ARNs and string conditions with it
 * (IAM user guide, "IAM JSON policy elements: Action" and "Resource").
 */

/** A value of the request context for a key, or undefined when the request has none. */
export type VariableLookup = (key: string) => readonly string[] | undefined;

type Part = { literal: string } | { wildcard: '*' | '?' } | { variable: string; fallback?: string };

const ESCAPES: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };

/** A pattern's parts; `variables` false reads `${...}` as text. */
export function patternParts(pattern: string, variables: boolean): Part[] {
  const parts: Part[] = [];
  let text = '';
  const flush = () => {
    if (text) parts.push({ literal: text });
    text = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (variables && c === '$' && pattern[i + 1] === '{') {
      const end = pattern.indexOf('}', i + 2);
      if (end !== -1) {
        const inner = pattern.slice(i + 2, end);
        i = end;
        if (ESCAPES[inner] !== undefined) {
          text += ESCAPES[inner];
          continue;
        }
        flush();
        const m = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/.exec(inner);
        parts.push(m ? { variable: m[1]!, ...(m[2] !== undefined ? { fallback: m[2] } : {}) } : { literal: `\${${inner}}` });
        continue;
      }
    }
    if (c === '*' || c === '?') {
      flush();
      parts.push({ wildcard: c });
    } else text += c;
  }
  flush();
  return parts;
}

/** The policy variables a pattern names (for GetContextKeysFor*Policy and MissingContextValues). */
export function variablesOf(pattern: string): string[] {
  return patternParts(pattern, true).flatMap((p) => ('variable' in p ? [p.variable] : []));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Options of one match. */
export interface MatchOptions {
  /** Compare without regard to case (actions, StringEqualsIgnoreCase). */
  readonly ignoreCase?: boolean;
  /** Read `${...}` as variables (documents of version 2012-10-17). */
  readonly variables?: boolean;
  /** The request's values, for variables. */
  readonly lookup?: VariableLookup;
  /** Treat `*` and `?` as text (StringEquals with variables). */
  readonly literal?: boolean;
}

/** The regular expression of a pattern, or undefined when a variable has no value. */
export function patternRegExp(pattern: string, options: MatchOptions = {}): RegExp | undefined {
  let source = '';
  for (const part of patternParts(pattern, options.variables ?? false)) {
    if ('literal' in part) source += escapeRegExp(part.literal);
    else if ('wildcard' in part) source += options.literal ? escapeRegExp(part.wildcard) : part.wildcard === '*' ? '.*' : '.';
    else {
      const values = options.lookup?.(part.variable);
      const value = values && values.length > 0 ? values[0]! : part.fallback;
      if (value === undefined) return undefined;
      source += escapeRegExp(value);
    }
  }
  return new RegExp(`^${source}$`, options.ignoreCase ? 'is' : 's');
}

/** Whether `value` matches the wildcard pattern. */
export function wildcardMatch(pattern: string, value: string, options: MatchOptions = {}): boolean {
  if (pattern === '*' && !options.literal) return true;
  return patternRegExp(pattern, options)?.test(value) ?? false;
}

/** Whether an action (`s3:GetObject`) matches an Action pattern (`s3:Get*`, `*`): without regard to case. */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatch(pattern, action, { ignoreCase: true });
}

/**
 * Whether an ARN matches an ARN pattern as ArnLike and the Resource element do: the six
 * colon-separated parts one by one (the last keeps its colons), each with its wildcards.
 * A pattern with fewer parts (`arn:aws:*`) is matched as a whole string.
 */
export function arnMatches(pattern: string, arn: string, options: MatchOptions = {}): boolean {
  if (pattern === '*') return true;
  const p = splitArn(pattern);
  const a = splitArn(arn);
  if (!p || !a) return wildcardMatch(pattern, arn, options);
  return p.every((part, i) => wildcardMatch(part, a[i]!, options));
}

function splitArn(text: string): string[] | undefined {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}
