/**
 * `/aws/reference/secretsmanager/<secret-id>[:<version-id or staging label>]`: GetParameter and
 * GetParameters read a Secrets Manager secret through Parameter Store. The secret is read with
 * Secrets Manager's GetSecretValue through the in-process client, as the caller's account and
 * region, and answered the way AWS answers it (measured against AWS): a SecureString of
 * version 0 whose ARN is the secret's, with SourceResult holding the GetSecretValue answer
 * as JSON and no DataType; the malformed reference and the missing WithDecryption are refused
 * before any lookup; a secret that cannot be found is ParameterNotFound with the text AWS
 * sends (its `null` included where no selector was given: AWS's own quirk).
 *
 * LIMITATIONS: there is no Secrets Manager provider yet, so every reference is answered as
 * a secret that does not exist; the success path is written to GetSecretValue's model and
 * works once the provider exists. SourceResult's createdDate is ISO 8601 (AWS's exact date
 * format there is not known).
 */
import { ServiceError } from '../../aws/errors.js';
import type { ServiceClient } from '../client.js';
import type { OperationContext } from '../provider.js';
import { ssmError } from './errors.js';
import { validation } from './validation.js';

export const SECRETS_PREFIX = '/aws/reference/secretsmanager/';

const BAD_SELECTOR = 'Invalid parameter name. Please use correct syntax for referencing a version/label  <name>:<version/label>';
const NEEDS_DECRYPTION = 'WithDecryption flag must be True for retrieving a Secret Manager secret.';
/** Secrets Manager's version ids are UUIDs; any other selector is a staging label. */
const VERSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a GetParameter(s) name is a Secrets Manager reference. */
export function isSecretReference(text: string): boolean {
  return text.startsWith(SECRETS_PREFIX);
}

/** What GetSecretValue answers (the members read here). */
interface SecretValue {
  ARN?: string;
  Name?: string;
  VersionId?: string;
  SecretString?: string;
  SecretBinary?: Uint8Array | string;
  VersionStages?: string[];
  CreatedDate?: Date | number | string;
}

function dateOf(value: SecretValue['CreatedDate']): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value * 1000);
  return value === undefined ? new Date(0) : new Date(value);
}

function notFound(id: string, selector: string | undefined): ServiceError {
  // AWS prints the missing selector as `null` right after the name
  const name = `${SECRETS_PREFIX.slice(1)}${id}${selector === undefined ? 'null' : `:${selector}`}`;
  return ssmError('ParameterNotFound', `An error occurred (ParameterNotFound) when referencing Secrets Manager: Secret ${name} not found.`);
}

/**
 * The Parameter structure GetParameter answers for a reference; throws what AWS throws.
 * `client` is the runtime's in-process client (ProviderContext.client).
 */
export async function readSecretReference(client: ServiceClient, ctx: OperationContext, text: string, decrypt: boolean) {
  const rest = text.slice(SECRETS_PREFIX.length);
  const parts = rest.split(':');
  if (parts.length > 2 || parts.some((p) => p === '') || rest.startsWith('arn:')) throw validation(BAD_SELECTOR);
  if (!decrypt) throw validation(NEEDS_DECRYPTION);
  const [id, selector] = parts as [string, string | undefined];
  const input: Record<string, string> = { SecretId: id };
  if (selector !== undefined) input[VERSION_ID.test(selector) ? 'VersionId' : 'VersionStage'] = selector;

  let secret: SecretValue;
  try {
    secret = (await client.call('secretsmanager', 'GetSecretValue', input, { accountId: ctx.accountId, region: ctx.region, requestId: ctx.requestId })) as SecretValue;
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    // no Secrets Manager here (501): no secret can exist
    if (error.code === 'ResourceNotFoundException' || error.status === 501) throw notFound(id, selector);
    if (error.code === 'InvalidRequestException') throw validation('Invalid Request to Secrets Manager');
    throw error;
  }
  const created = dateOf(secret.CreatedDate);
  const source = {
    ARN: secret.ARN,
    name: secret.Name,
    versionId: secret.VersionId,
    secretString: secret.SecretString,
    versionStages: secret.VersionStages,
    createdDate: created.toISOString(),
  };
  return {
    Name: `${SECRETS_PREFIX}${id}`,
    Type: 'SecureString',
    Value: secret.SecretString,
    Version: 0,
    Selector: selector === undefined ? undefined : `:${selector}`,
    SourceResult: JSON.stringify(source),
    LastModifiedDate: created,
    ARN: secret.ARN,
  };
}
