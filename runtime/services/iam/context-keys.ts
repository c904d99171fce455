/**
 * GetContextKeysForCustomPolicy / GetContextKeysForPrincipalPolicy: the condition keys the
 * given policies test (the context a simulation needs), each once (keys compare without
 * regard to case, the first spelling kept), in the order the documents name them. For a
 * principal: the policies of the user (its groups' included), group or role, then the
 * documents given. Documents are parsed as IAM parses identity policies: a malformed one is
 * MalformedPolicyDocument.
 */
import { parsePolicy } from '../../aws/policies.js';
import type { IamApi } from './api.generated.js';
import type { Iam } from './common.js';
import { iamError } from './errors.js';
import { principalPolicies } from './principals.js';

function contextKeys(documents: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const text of documents) {
    for (const statement of parsePolicy(text, 'identity').statements) {
      for (const condition of statement.conditions) if (!seen.has(condition.key.toLowerCase())) seen.set(condition.key.toLowerCase(), condition.key);
    }
  }
  return [...seen.values()];
}

/** GetContextKeysForCustomPolicy and GetContextKeysForPrincipalPolicy. */
export function contextKeyOperations(iam: Iam) {
  return {
    GetContextKeysForCustomPolicy(_ctx, input) {
      return { ContextKeyNames: contextKeys(input.PolicyInputList) };
    },

    GetContextKeysForPrincipalPolicy(ctx, input) {
      const principal = principalPolicies(iam, ctx, input.PolicySourceArn);
      if (!principal) throw iamError('NoSuchEntityException', `The entity ${input.PolicySourceArn} cannot be found.`);
      return { ContextKeyNames: contextKeys([...principal.policies.map((p) => p.document), ...(input.PolicyInputList ?? [])]) };
    },
  } satisfies Partial<IamApi>;
}
