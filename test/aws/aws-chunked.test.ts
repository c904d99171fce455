import { describe, expect, it } from 'vitest';
import { decodeAwsChunked } from '../../runtime/aws/aws-chunked.js';
import { checksum } from '../../runtime/aws/checksums.js';

const sig = ';chunk-signature=' + 'a'.repeat(64);

describe('aws-chunked decoding', () => {
  it('unsigned chunks with a trailing checksum (SDK v3)', () => {
    const body = Buffer.from('5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n');
    expect(decodeAwsChunked(body, 11)).toEqual({ data: Buffer.from('hello world'), trailers: { 'x-amz-checksum-crc32': 'DUoRhQ==' } });
  });

  it('signed chunks (SigV4 streaming)', () => {
    const body = Buffer.from(`3${sig}\r\nabc\r\n0${sig}\r\n\r\n`);
    expect(decodeAwsChunked(body, 3).data.toString()).toBe('abc');
  });

  it('binary data with CRLF inside a chunk', () => {
    const data = Buffer.from([0x0d, 0x0a, 0x00, 0xff, 0x0d, 0x0a]);
    const body = Buffer.concat([Buffer.from('6\r\n'), data, Buffer.from('\r\n0\r\n\r\n')]);
    expect(decodeAwsChunked(body, 6).data).toEqual(data);
  });

  it('refuses truncated bodies, bad sizes, missing CRLF and wrong decoded lengths', () => {
    expect(() => decodeAwsChunked(Buffer.from('5\r\nhel'), 5)).toThrow(expect.objectContaining({ code: 'IncompleteBody' }));
    expect(() => decodeAwsChunked(Buffer.from('zz\r\nhello\r\n0\r\n\r\n'))).toThrow(expect.objectContaining({ code: 'InvalidRequest' }));
    expect(() => decodeAwsChunked(Buffer.from('5\r\nhelloXX0\r\n\r\n'))).toThrow(expect.objectContaining({ code: 'InvalidRequest' }));
    expect(() => decodeAwsChunked(Buffer.from('5\r\nhello\r\n0\r\n\r\n'), 4)).toThrow(expect.objectContaining({ code: 'InvalidRequest' }));
    expect(() => decodeAwsChunked(Buffer.from('5\r\nhello\r\n0\r\n\r\n'), 6)).toThrow(expect.objectContaining({ code: 'IncompleteBody' }));
    expect(() => decodeAwsChunked(Buffer.from('ffffffffffffffff\r\nx'))).toThrow(expect.objectContaining({ code: 'IncompleteBody' }));
  });
});

describe('flexible checksums', () => {
  it('match the values S3 documents for "hello world"', async () => {
    const data = Buffer.from('hello world');
    expect(await checksum('crc32', data)).toBe('DUoRhQ==');
    expect(await checksum('crc32c', data)).toBe('yZRlqg==');
    expect(await checksum('sha1', data)).toBe('Kq5sNclPz7QV2+lfQIuc6R7oRu0=');
    expect(await checksum('sha256', data)).toBe('uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=');
    expect(await checksum('crc64nvme', data)).toMatch(/^[A-Za-z0-9+/]{11}=$/);
  });
});
