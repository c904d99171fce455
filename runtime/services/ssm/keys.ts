/**
 * PutParameter's KeyId for SecureString parameters, checked as Parameter Store checks it: the
 * key is looked up in KMS, and a failed lookup comes back as InvalidKeyId carrying KMS's own
 * message (`Alias arn:...:alias/x is not found. (Service: AWSKMS; ...)`). KeyId may be a key
 * id, a key ARN, an alias name (`alias/x`) or an alias ARN.
 *
 * LIMITATIONS: there is no KMS here yet, so only the AWS managed key `alias/aws/ssm` (the
 * default) is known: every other alias is "not found", as AWS answers for an alias that does
 * not exist. Well-formed key ids and key ARNs are accepted unchecked (a key created elsewhere
 * cannot be looked up), text that is none of the four forms is refused as KMS refuses it.
 */
import { randomUUID } from 'node:crypto';
import { formatArn, parseArn } from '../../aws/arns.js';
import type { ServiceError } from '../../aws/errors.js';
import type { OperationContext } from '../provider.js';
import { ssmError } from './errors.js';
import { DEFAULT_KEY_ID } from './validation.js';

const KEY_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
/** The aliases every account has without creating them (AWS managed keys). */
const MANAGED_ALIASES: readonly string[] = Object.freeze([DEFAULT_KEY_ID]);

/** How a KMS failure reads once Parameter Store has wrapped it (the request id is KMS's). */
function kmsNotFound(text: string): ServiceError {
  return ssmError('InvalidKeyId', `${text} (Service: AWSKMS; Status Code: 400; Error Code: NotFoundException; Request ID: ${randomUUID()}; Proxy: null)`);
}

/** Throws InvalidKeyId unless `keyId` names a key this runtime can vouch for (see above). */
export function checkKeyId(ctx: OperationContext, keyId: string): void {
  const arn = parseArn(keyId);
  if (arn) {
    if (arn.service !== 'kms') throw kmsNotFound(`Invalid arn ${keyId}`);
    if (arn.resource.startsWith('key/') && KEY_ID.test(arn.resource.slice(4))) return;
    if (arn.resource.startsWith('alias/')) {
      if (arn.region === ctx.region && arn.accountId === ctx.accountId && MANAGED_ALIASES.includes(arn.resource)) return;
      throw kmsNotFound(`Alias ${keyId} is not found.`);
    }
    throw kmsNotFound(`Invalid arn ${keyId}`);
  }
  if (keyId.startsWith('alias/')) {
    if (MANAGED_ALIASES.includes(keyId)) return;
    throw kmsNotFound(`Alias ${formatArn({ service: 'kms', region: ctx.region, accountId: ctx.accountId, resource: keyId })} is not found.`);
  }
  if (KEY_ID.test(keyId)) return;
  throw kmsNotFound(`Invalid keyId ${keyId}`);
}
