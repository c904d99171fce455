/**
 * Which checksums an upload asks for, and checking the ones the client claimed against the
 * ones computed while the body was written. Also Content-MD5.
 *
 * An upload without any checksum gets a CRC64NVME one, as S3 has given every new object
 * since December 2024.
 */
import { isChecksumAlgorithm, type ChecksumAlgorithm } from '../../aws/checksums.js';
import type { OperationContext } from '../provider.js';
import { s3Error } from './errors.js';
import type { StoredChecksum } from './state.js';
import type { WrittenBlob } from './blob-store.js';

/** Input members carrying a checksum, by algorithm. */
export const CHECKSUM_MEMBERS = {
  crc32: 'ChecksumCRC32',
  crc32c: 'ChecksumCRC32C',
  crc64nvme: 'ChecksumCRC64NVME',
  sha1: 'ChecksumSHA1',
  sha256: 'ChecksumSHA256',
} as const satisfies Record<ChecksumAlgorithm, string>;

export type ChecksumMembers = Partial<Record<(typeof CHECKSUM_MEMBERS)[ChecksumAlgorithm], string>> & { ChecksumAlgorithm?: string };

/** The algorithm an upload names (x-amz-sdk-checksum-algorithm, a checksum header, or x-amz-trailer). */
export function requestedAlgorithm(ctx: OperationContext, input: ChecksumMembers): ChecksumAlgorithm | undefined {
  const named = input.ChecksumAlgorithm?.toLowerCase();
  if (named !== undefined) {
    if (!isChecksumAlgorithm(named)) {
      throw s3Error('InvalidRequest', 'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]');
    }
    return named;
  }
  for (const [algorithm, member] of Object.entries(CHECKSUM_MEMBERS)) if (input[member] !== undefined) return algorithm as ChecksumAlgorithm;
  const trailer = /x-amz-checksum-([a-z0-9]+)/.exec(String(ctx.headers['x-amz-trailer'] ?? '').toLowerCase())?.[1];
  return trailer && isChecksumAlgorithm(trailer) ? trailer : undefined;
}

/** Content-MD5 as 16 bytes, or InvalidDigest. */
export function contentMd5(value: string | undefined): Buffer | undefined {
  if (value === undefined) return undefined;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== 16 || bytes.toString('base64') !== value.trim()) {
    throw s3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.', { fields: { 'Content-MD5': value } });
  }
  return bytes;
}

/**
 * Checks what the client claimed about the body it sent (Content-MD5, x-amz-checksum-*)
 * against what was written. Run once the body has been read, so that checksums sent as
 * trailers are in `input` too.
 */
export function verifyUpload(input: ChecksumMembers & { ContentMD5?: string }, md5: Buffer | undefined, written: WrittenBlob): void {
  if (md5 && !md5.equals(written.md5)) {
    throw s3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.', {
      fields: { ExpectedDigest: md5.toString('base64'), CalculatedDigest: written.md5.toString('base64') },
    });
  }
  for (const [algorithm, member] of Object.entries(CHECKSUM_MEMBERS) as Array<[ChecksumAlgorithm, keyof ChecksumMembers]>) {
    const claimed = input[member];
    if (claimed === undefined) continue;
    const computed = written.checksums[algorithm];
    if (computed !== undefined && computed !== claimed) {
      throw s3Error('BadDigest', `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`);
    }
  }
}

/** The output members of a stored checksum (ChecksumCRC32: ..., ChecksumType: FULL_OBJECT). */
export function checksumOutput(checksum: StoredChecksum | undefined): Record<string, string> {
  if (!checksum) return {};
  return { [CHECKSUM_MEMBERS[checksum.algorithm]]: checksum.value, ChecksumType: checksum.type };
}
