/**
 * What the gateway learns from a request's credentials: the access key id and the SigV4
 * credential scope (date, region, signing name), from the Authorization header or from a
 * presigned URL; and the account an access key id stands for.
 *
 * Signatures are not verified (as in LocalStack): the emulator trusts the caller.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { DEFAULT_ACCOUNT_ID } from '../request-context.js';

export interface CredentialScope {
  accessKeyId: string;
  region?: string;
  service?: string;
}

const SIGV4 = /^AWS4-(?:HMAC-SHA256|ECDSA-P256-SHA256)\s+Credential=([^,\s]+)/;

/**
 * Clients sign request after request with the same scope: parsed scopes are kept (a bounded
 * cache, emptied when full) and shared, so they must never be mutated.
 */
const scopes = new Map<string, Readonly<CredentialScope> | undefined>();
const MAX_CACHED_SCOPES = 1024;

function splitCredential(credential: string): Readonly<CredentialScope> | undefined {
  if (scopes.has(credential)) return scopes.get(credential);
  const parts = credential.split('/');
  let scope: CredentialScope | undefined;
  if (parts.length === 5) scope = { accessKeyId: parts[0]!, region: parts[2], service: parts[3] };
  // SigV4a scopes have no region: AK/date/service/aws4_request
  else if (parts.length === 4) scope = { accessKeyId: parts[0]!, service: parts[2] };
  if (scopes.size >= MAX_CACHED_SCOPES) scopes.clear();
  scopes.set(credential, scope && Object.freeze(scope));
  return scope;
}

/** The credential scope of a request, or undefined for an unsigned one. */
export function parseCredentialScope(headers: IncomingHttpHeaders, query: () => URLSearchParams, rawQuery: string): Readonly<CredentialScope> | undefined {
  const auth = headers.authorization;
  if (auth) {
    const m = SIGV4.exec(auth);
    if (m) return splitCredential(m[1]!);
    // SigV2 (`AWS AKID:signature`), still used by old S3 clients
    if (auth.startsWith('AWS ')) {
      const colon = auth.indexOf(':');
      return { accessKeyId: auth.slice(4, colon === -1 ? undefined : colon).trim() };
    }
  }
  if (rawQuery.includes('X-Amz-Credential=')) {
    const credential = query().get('X-Amz-Credential');
    if (credential) return splitCredential(credential);
  }
  if (rawQuery.includes('AWSAccessKeyId=')) {
    const key = query().get('AWSAccessKeyId');
    if (key) return { accessKeyId: key };
  }
  return undefined;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of text) {
    const i = BASE32.indexOf(c);
    if (i === -1) break;
    value = ((value << 5) | i) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = ((value << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * The 2-byte check that marks an `ASIA` key as issued by this emulator's STS, or an `AKIA`
 * key as created by its IAM (the last two of its ten bytes): AWS's own keys (real
 * credentials a user has in the environment) fail it and stay in the default account.
 */
function issuedCheck(bytes: Buffer): Buffer {
  return createHash('sha256').update('localstack-ts/sts').update(bytes.subarray(0, 8)).digest().subarray(0, 2);
}

/** Whether a prefix marks keys that carry the check (AWS's own prefixes: ours must be told apart). */
function checked(prefix: string): boolean {
  return prefix === 'ASIA' || prefix === 'AKIA';
}

/**
 * Whether an access key id was made here: an `ASIA` key this emulator's STS issued or an
 * `AKIA` key its IAM created for a user (the check of its last two bytes holds). Cheap: no
 * state is read. STS asks IAM who a key belongs to only for the `AKIA` keys this says yes to.
 */
export function isIssuedAccessKey(accessKeyId: string): boolean {
  if (accessKeyId.length < 20 || !checked(accessKeyId.slice(0, 4))) return false;
  const bytes = base32Decode(accessKeyId.slice(4, 20));
  return bytes.length === 10 && issuedCheck(bytes).equals(bytes.subarray(8, 10));
}

/**
 * The account an access key id stands for, by LocalStack's rules: a 12-digit key is that
 * account; an `LSIA`/`LKIA` key, an `ASIA` key this emulator's STS issued or an `AKIA` key
 * its IAM created encodes its account the way AWS keys do; real `AKIA`/`ASIA` keys and
 * anything else map to the default account.
 */
export function accountIdFromAccessKey(accessKeyId: string | undefined): string {
  if (!accessKeyId) return DEFAULT_ACCOUNT_ID;
  if (/^\d{12}$/.test(accessKeyId)) return accessKeyId;
  const prefix = accessKeyId.slice(0, 4);
  if (accessKeyId.length >= 20 && (prefix === 'LSIA' || prefix === 'LKIA' || checked(prefix))) {
    const bytes = base32Decode(accessKeyId.slice(4, 20));
    if (bytes.length >= 6 && (!checked(prefix) || (bytes.length === 10 && issuedCheck(bytes).equals(bytes.subarray(8, 10))))) {
      const z = bytes.readUIntBE(0, 6);
      const account = Math.floor(z / 128) % 2 ** 40;
      return String(account).padStart(12, '0');
    }
  }
  return DEFAULT_ACCOUNT_ID;
}

/**
 * An access key id that encodes `accountId` (the inverse of {@link accountIdFromAccessKey}):
 * 4-letter prefix + 16 base32 characters, 6 bytes of which carry the account. `ASIA` keys
 * (AWS's prefix for temporary credentials, our STS's) and `AKIA` keys (long-term ones, our
 * IAM's) carry 3 random bytes and the check that marks them as ours; `LSIA`/`LKIA` keys 5
 * random bytes.
 */
export function accessKeyForAccount(accountId: string, prefix: 'LSIA' | 'LKIA' | 'ASIA' | 'AKIA', random: Buffer): string {
  const bytes = Buffer.alloc(10);
  const z = Number(accountId) * 128 + (random[0]! & 0x7f);
  bytes.writeUIntBE(z, 0, 6);
  random.copy(bytes, 6, 1, checked(prefix) ? 3 : 5);
  if (checked(prefix)) issuedCheck(bytes).copy(bytes, 8);
  return prefix + base32Encode(bytes).slice(0, 16);
}
