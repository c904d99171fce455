/**
 * CRC combination for multipart uploads: crc(A ‖ B) from crc(A), crc(B) and |B|, for the
 * reflected CRCs S3 uses (initial value and final xor all ones), so that a FULL_OBJECT
 * checksum of a completed upload is computed from its parts' checksums without re-reading a
 * byte. Polynomials are reflected; x^0 is the top bit.
 */
import type { ChecksumAlgorithm } from '../../aws/checksums.js';

const CRC_POLYNOMIALS: Partial<Record<ChecksumAlgorithm, { poly: bigint; width: number }>> = {
  crc32: { poly: 0xedb88320n, width: 32 },
  crc32c: { poly: 0x82f63b78n, width: 32 },
  crc64nvme: { poly: 0x9a6c9329ac4bc9b5n, width: 64 },
};

/** a(x)·b(x) mod p(x). */
function multModP(a: bigint, b: bigint, poly: bigint, width: number): bigint {
  let m = 1n << BigInt(width - 1);
  let p = 0n;
  while (m !== 0n && a !== 0n) {
    if (a & m) {
      p ^= b;
      a ^= m;
    }
    m >>= 1n;
    b = b & 1n ? (b >> 1n) ^ poly : b >> 1n;
  }
  return p;
}

/** x^(8·bytes) mod p(x): the operator that shifts a CRC over `bytes` zero bytes. */
function shiftOperator(bytes: number, poly: bigint, width: number): bigint {
  let p = 1n << BigInt(width - 1);
  let square = 1n << BigInt(width - 9); // x^8
  for (let n = BigInt(bytes); n > 0n; n >>= 1n) {
    if (n & 1n) p = multModP(square, p, poly, width);
    square = multModP(square, square, poly, width);
  }
  return p;
}

/** The CRC of the concatenation of pieces, from each piece's base64 CRC and size. */
export function crcCombine(algorithm: ChecksumAlgorithm, pieces: ReadonlyArray<{ checksum: string; size: number }>): string {
  const { poly, width } = CRC_POLYNOMIALS[algorithm]!;
  let crc: bigint | undefined;
  for (const piece of pieces) {
    const value = BigInt(`0x${Buffer.from(piece.checksum, 'base64').toString('hex') || '0'}`);
    crc = crc === undefined ? value : multModP(shiftOperator(piece.size, poly, width), crc, poly, width) ^ value;
  }
  return Buffer.from((crc ?? 0n).toString(16).padStart(width / 4, '0'), 'hex').toString('base64');
}
