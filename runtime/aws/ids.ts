/**
 * Random identifiers, in the shapes AWS uses, for every provider: nothing else in the
 * runtime makes ids of its own.
 */
import { randomBytes, randomUUID } from 'node:crypto';

/**
 * `bytes` random bytes as URL-safe text that never starts with `-` or `_`: command lines take
 * `--upload-id -G4N...` for an option (the AWS CLI then fails), and AWS's own ids start with
 * a letter or digit. (S3 version and upload ids, opaque handles.)
 */
export function randomToken(bytes: number): string {
  const id = randomBytes(bytes).toString('base64url');
  return /^[-_]/.test(id) ? `${id.charCodeAt(0) === 45 ? 'G' : 'Q'}${id.slice(1)}` : id;
}

const BASE32_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Upper-case letters and digits 2-7, as the ids after IAM prefixes (AROA..., AIDA..., AKIA...). */
export function randomUpperId(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += BASE32_UPPER[b & 31];
  return out;
}

/** Lower-case hex of `bytes` random bytes (request ids, message ids in some services). */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** A random (v4) UUID. */
export function uuid(): string {
  return randomUUID();
}
