/**
 * Signature V4 (and S3's V2) arithmetic for the few places the emulator checks a signature
 * itself: S3 presigned URLs and POST policies when S3_SKIP_SIGNATURE_VALIDATION=0.
 *
 * The emulator knows no secret keys (it never issued most of the keys it sees), so every
 * access key is taken to have LocalStack's test secret, `test`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The secret every access key is checked against (LocalStack's TEST_AWS_SECRET_ACCESS_KEY). */
export const TEST_SECRET_ACCESS_KEY = 'test';

/** The SigV4 signing key of a scope: HMAC chain over date, region, service. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

export function hmacHex(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** S3's SigV2: base64 HMAC-SHA1 of the string to sign. */
export function signV2(secret: string, text: string): string {
  return createHmac('sha1', secret).update(text, 'utf8').digest('base64');
}

/** Compares two signatures in constant time (different lengths are simply unequal). */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ is %XX (upper case). */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Decodes %XX escapes only (`+` stays `+`); undefined when an escape is malformed. */
export function percentDecode(text: string): string | undefined {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Bytes of a text as S3 shows them in SignatureDoesNotMatch (`41 57 53 34 ...`). */
export function hexBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex').replace(/(..)(?!$)/g, '$1 ');
}
