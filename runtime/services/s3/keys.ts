/**
 * Names: bucket name rules, key limits, and the order S3 lists keys in (by UTF-8 bytes,
 * which is not JavaScript's UTF-16 order once characters outside the BMP are involved).
 */
import type { ServiceError } from '../../aws/errors.js';
import { s3Error } from './errors.js';

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** Whether S3 accepts `name` for a new bucket (general purpose buckets' naming rules). */
export function isValidBucketName(name: string): boolean {
  if (!BUCKET_NAME.test(name)) return false;
  if (name.includes('..') || name.includes('.-') || name.includes('-.')) return false;
  if (IP_ADDRESS.test(name)) return false;
  if (RESERVED_PREFIXES.some((p) => name.startsWith(p))) return false;
  if (RESERVED_SUFFIXES.some((s) => name.endsWith(s))) return false;
  return true;
}

export function invalidBucketName(name: string): ServiceError {
  return s3Error('InvalidBucketName', 'The specified bucket is not valid.', { fields: { BucketName: name } });
}

/** S3's key length limit, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/** KeyTooLongError for keys over 1,024 UTF-8 bytes. */
export function checkKey(key: string): void {
  if (key.length > MAX_KEY_BYTES / 3 && Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw s3Error('KeyTooLongError', 'Your key is too long', { fields: { MaxSizeAllowed: MAX_KEY_BYTES, Size: Buffer.byteLength(key) } });
  }
}

/**
 * Compares two keys by their UTF-8 bytes. UTF-16 order agrees except where a surrogate pair
 * (U+10000 and up) meets U+E000-U+FFFF, so that case alone is compared by code point.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      const cx = a.codePointAt(i)!;
      const cy = b.codePointAt(i)!;
      return cx < cy ? -1 : 1;
    }
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
