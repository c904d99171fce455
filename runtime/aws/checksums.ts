/**
 * The flexible checksums S3 clients send (x-amz-checksum-<algorithm>, base64 of the
 * big-endian digest): CRC32, CRC32C, CRC64NVME, SHA1, SHA256.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { Crc32c } from '@aws-crypto/crc32c';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';

export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** A checksum computed piece by piece (for streamed uploads). */
export interface Checksum {
  update(data: Uint8Array): void;
  /** The base64 digest as S3 writes it in x-amz-checksum-<algorithm>. */
  digest(): Promise<string>;
}

export function createChecksum(algorithm: ChecksumAlgorithm): Checksum {
  switch (algorithm) {
    case 'crc32': {
      let value = 0;
      return {
        update: (data) => void (value = crc32(data, value)),
        digest: async () => uint32(value).toString('base64'),
      };
    }
    case 'crc32c': {
      const c = new Crc32c();
      return { update: (data) => void c.update(data), digest: async () => uint32(c.digest()).toString('base64') };
    }
    case 'crc64nvme': {
      const c = new Crc64Nvme();
      return { update: (data) => c.update(data), digest: async () => Buffer.from(await c.digest()).toString('base64') };
    }
    case 'sha1':
    case 'sha256': {
      const h = createHash(algorithm);
      return { update: (data) => void h.update(data), digest: async () => h.digest('base64') };
    }
  }
}

/** The base64 checksum of `data` as S3 writes it in x-amz-checksum-<algorithm>. */
export function checksum(algorithm: ChecksumAlgorithm, data: Uint8Array): Promise<string> {
  const c = createChecksum(algorithm);
  c.update(data);
  return c.digest();
}

export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(name);
}

/**
 * Checksums a body stream computes of the bytes it yields (the aws-chunked decoder does, to
 * check the trailer), so that a reader does not compute them a second time. `values` is
 * complete once the stream has ended.
 */
export interface StreamChecksums {
  readonly algorithms: ReadonlySet<ChecksumAlgorithm>;
  readonly values: ReadonlyMap<ChecksumAlgorithm, string>;
}

const STREAM_CHECKSUMS = Symbol('checksums of the bytes this stream yields');

export function attachStreamChecksums(stream: object, checksums: StreamChecksums): void {
  (stream as { [STREAM_CHECKSUMS]?: StreamChecksums })[STREAM_CHECKSUMS] = checksums;
}

export function streamChecksums(stream: object): StreamChecksums | undefined {
  return (stream as { [STREAM_CHECKSUMS]?: StreamChecksums })[STREAM_CHECKSUMS];
}
