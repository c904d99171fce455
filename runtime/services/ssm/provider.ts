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
 * enforced. Only ResourceType Parameter, Document, MaintenanceWindow and PatchBaseline can be
 * tagged (ops-tagging.ts). Parameter Store's throughput limits
 * (TooManyUpdates, ThrottlingException) and the account-wide parameter quota
 * (ParameterLimitExceeded) are not emulated. AllowedPattern is evaluated with JavaScript
 * regular expressions, which differ from Java's in rare constructs.
 *
 * Beyond Parameter Store (documents.ts, document-content.ts, maintenance-windows.ts,
 * patch-baselines.ts, commands.ts, associations.ts, ops-tagging.ts; state in ops-state.ts)
 * LIMITATIONS: nothing runs. SendCommand records the command (Pending in its answer, Success at
 * every later read, empty output, response code 0); instance ids are not checked against EC2 or
 * managed nodes (any id the model accepts is an instance, as in LocalStack) and Targets reach
 * instances only through the InstanceIds key; Parameters are checked against the names the
 * document declares (InvalidParameters) but not against their allowedValues or patterns. Maintenance windows never execute (no NextExecutionTime, no executions)
 * and associations never apply (their overview says Success once created). Only four AWS-owned
 * documents exist (AWS-RunShellScript, AWS-RunPowerShellScript, AWS-RunPatchBaseline,
 * AWS-ApplyPatchBaseline), with abbreviated content, so their hashes are not AWS's; documents
 * shared by other accounts are not visible (Owner Private/Public list nothing). Document
 * attachments, reviews and UpdateDocumentMetadata are not emulated; GetDocument's JSON<->YAML
 * conversion re-serialises (comments and key styles are not kept). The predefined patch
 * baselines are one per operating system per region (us-east-1's ids in regions the table
 * lacks) with empty approval rules; nothing is ever patched. Account quotas (documents,
 * windows, baselines, associations) are not enforced, only 1000 versions per document and
 * 64 KB of content. Some messages are LocalStack's or moto's wording where AWS's was not
 * found: InvalidDocument, the reserved document name, the schedule and cutoff
 * ValidationExceptions, DoesNotExistException for targets, tasks and baselines,
 * ResourceInUseException and InvalidCommandId.
 */
import type { Provider, ProviderContext } from '../provider.js';
import type { SsmApi } from './api.generated.js';
import { parameterOperations } from './parameter-operations.js';
import { newState, type SsmState } from './parameters.js';
import { ssmTaggedResources } from './tagged-resources.js';
import { associationOperations } from './associations.js';
import { commandOperations } from './commands.js';
import { documentOperations } from './documents.js';
import { maintenanceWindowOperations } from './maintenance-windows.js';
import { declareOps } from './ops-state.js';
import { opsTaggedResources, opsTagging } from './ops-tagging.js';
import { patchBaselineOperations } from './patch-baselines.js';

export function createProvider(context: ProviderContext): Provider {
  const parameters = context.state.accountRegion<SsmState>('parameters', newState);
  const parameterTable = parameterOperations(context, parameters);
  const ops = declareOps(context);
  const operations = {
    ...parameterTable,
    ...documentOperations(ops),
    ...maintenanceWindowOperations(ops),
    ...patchBaselineOperations(ops),
    ...commandOperations(ops),
    ...associationOperations(ops),
    // tags of documents, windows and baselines; every other ResourceType goes to Parameter Store's
    ...opsTagging(ops, parameterTable),
  } satisfies Partial<SsmApi>;
  return { operations, taggedResources: opsTaggedResources(ops, ssmTaggedResources(parameters)) };
}
