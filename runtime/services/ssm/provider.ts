/**
 * SSM. Parameter Store: parameters with versions, labels, tags, selectors, hierarchy
 * listings and descriptions, per account and region; its handlers are in
 * parameter-operations.ts.
 *
 * The rules live next to what they govern: validation.ts (names, values, tiers, labels,
 * tags), names.ts (`/x` and `x`), put-parameter.ts (PutParameter), keys.ts (KeyId),
 * policies.ts (parameter policies), filters.ts (ParameterFilters and legacy Filters),
 * parameters.ts (stored shape, selectors, response shapes), public-parameters.ts
 * (`/aws/service/...`), secret-references.ts (`/aws/reference/secretsmanager/...`).
 *
 * LIMITATIONS: SecureString values are not encrypted with KMS: KeyId is checked as far as
 * keys.ts can without KMS, and reading without WithDecryption returns a stable opaque stand-in
 * in a ciphertext's form (base64, `AQICAH...`), not a real ciphertext. Parameter policies are checked and
 * returned but never act (nothing expires, no notifications; PolicyStatus stays Pending).
 * Public parameters are a selection (public-parameters.ts); Secrets Manager references
 * answer "not found" until a Secrets Manager provider exists (secret-references.ts). Shared
 * parameters of other accounts (ARNs of another account or region) are reported as not
 * found. DescribeParameters' Shared flag is ignored. aws:ec2:image values are not checked against EC2 and aws:ssm:integration values
 * are not checked at all. LastModifiedUser is always the account root
 * (arn:aws:iam::ACCOUNT:root), because callers' identities are not tracked. IAM is not
 * enforced. Only ResourceType=Parameter can be tagged. Parameter Store's throughput limits
 * (TooManyUpdates, ThrottlingException) and the account-wide parameter quota
 * (ParameterLimitExceeded) are not emulated. AllowedPattern is evaluated with JavaScript
 * regular expressions, which differ from Java's in rare constructs.
 */
import type { Provider, ProviderContext } from '../provider.js';
import type { SsmApi } from './api.generated.js';
import { parameterOperations } from './parameter-operations.js';

export function createProvider(context: ProviderContext): Provider {
  const operations = {
    ...parameterOperations(context),
  } satisfies Partial<SsmApi>;
  return { operations };
}
