/**
 * The request context a policy is evaluated against, and the context keys a policy reads.
 *
 * Condition key names compare without regard to case (`aws:SourceIp` is `AWS:sourceip`), so
 * the context is keyed by the lower-cased name; each key holds its values (a single-valued key
 * holds one) and, when the caller said so, its type (`string`, `numericList`, ...: the
 * simulator's ContextKeyType). The keys IAM itself fills in for a real request
 * (aws:username, aws:PrincipalArn, aws:CurrentTime, ...) are the caller's to supply here,
 * as the policy simulator requires them in ContextEntries.
 */
import type { PolicyDocument } from '../policies.js';
import { variablesOf } from './matching.js';

/** The simulator's context key types (ContextKeyTypeEnum). */
export const CONTEXT_KEY_TYPES = ['string', 'stringList', 'numeric', 'numericList', 'boolean', 'booleanList', 'ip', 'ipList', 'binary', 'binaryList', 'date', 'dateList'] as const;

export type ContextKeyType = (typeof CONTEXT_KEY_TYPES)[number];

/** One key's values in a request. */
export interface ContextValue {
  /** The key as written by the caller. */
  readonly key: string;
  readonly values: readonly string[];
  readonly type?: ContextKeyType;
}

/** A request's context: values by lower-cased key. */
export type RequestContext = ReadonlyMap<string, ContextValue>;

/** A request context from entries; a later entry for the same key (any case) replaces an earlier one. */
export function requestContext(entries: readonly ContextValue[] = []): RequestContext {
  const context = new Map<string, ContextValue>();
  for (const entry of entries) context.set(entry.key.toLowerCase(), entry);
  return context;
}

/** The values of a key (any case), or undefined when the request has none. */
export function contextValues(context: RequestContext, key: string): readonly string[] | undefined {
  return context.get(key.toLowerCase())?.values;
}

/**
 * The context keys a document reads, in document order, each once (the first spelling kept):
 * the policy variables of its Resource/NotResource and condition values, and its condition
 * keys, statement by statement (GetContextKeysForCustomPolicy answers
 * `["aws:username", "aws:CurrentTime"]` for a Resource ending `${aws:username}` and a
 * Condition on aws:CurrentTime: the IAM API reference's example).
 */
export function contextKeysOf(documents: readonly PolicyDocument[]): string[] {
  const seen = new Map<string, string>();
  const add = (key: string) => {
    if (!seen.has(key.toLowerCase())) seen.set(key.toLowerCase(), key);
  };
  for (const document of documents) {
    const variables = document.version === '2012-10-17';
    for (const statement of document.statements) {
      if (variables) for (const resource of statement.resource ?? statement.notResource ?? []) variablesOf(resource).forEach(add);
      for (const condition of statement.conditions) {
        add(condition.key);
        if (variables) for (const value of condition.values) variablesOf(value).forEach(add);
      }
    }
  }
  return [...seen.values()];
}
