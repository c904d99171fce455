/**
 * The checks a filter policy passes before it is stored (Subscribe, SetSubscriptionAttributes):
 * a JSON object, in AWS's words (`<prefix>FilterPolicy: failed to parse JSON.`).
 *
 * Only the document's shape is checked so far: the per-operator rules AWS applies (operator
 * names and operands, the limits of 5 keys and 150 combinations, nesting by scope) are not.
 */
import { snsError } from './errors.js';

/** Checks a filter policy's text for a scope; `prefix` is the operation's message prefix. */
export function checkFilterPolicy(text: string, scope: string, prefix: string): void {
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw snsError('InvalidParameterException', `${prefix}FilterPolicy: failed to parse JSON.`);
  }
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    throw snsError('InvalidParameterException', `${prefix}FilterPolicy: Filter policy must be a JSON object`);
  }
  void scope;
}
