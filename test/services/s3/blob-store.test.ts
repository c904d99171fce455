/**
 * The body store on its own: small bodies live in memory within a budget and spill to files
 * beyond it, large ones always go to files, and reads cross memory and file pieces alike.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachStreamChecksums, checksum } from '../../../runtime/aws/checksums.js';
import { BlobStore, SMALL_BODY } from '../../../runtime/services/s3/blob-store.js';
import { randomToken } from '../../../runtime/aws/ids.js';

let dir: string;
let store: BlobStore;
const KiB = 1024;

function files(): number {
  return readdirSync(dir).reduce((n, sub) => n + readdirSync(join(dir, sub)).length, 0);
}

async function put(body: Buffer) {
  return store.write(Readable.from([body]), { limit: 1 << 30, tooLarge: () => new Error('too large'), expectedSize: body.length });
}

async function text(r: Buffer | Readable): Promise<Buffer> {
  if (Buffer.isBuffer(r)) return r;
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'blobs-')), 'store');
  store = BlobStore.open(dir, 10 * KiB);
});
afterEach(() => {
  store.destroy();
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

describe('BlobStore', () => {
  it('keeps small bodies in memory until the budget is spent, then writes files', async () => {
    const a = await put(Buffer.alloc(4 * KiB, 'a'));
    const b = await put(Buffer.alloc(4 * KiB, 'b'));
    expect(store.memoryUsed).toBe(8 * KiB);
    expect(files()).toBe(0);
    const c = await put(Buffer.alloc(4 * KiB, 'c'));
    expect(store.memoryUsed).toBe(8 * KiB);
    expect(files()).toBe(1);
    for (const [blob, ch] of [[a, 'a'], [b, 'b'], [c, 'c']] as const) {
      expect((await text(store.read([blob], 0, blob.size - 1))).equals(Buffer.alloc(4 * KiB, ch))).toBe(true);
    }
    store.remove([a, c]);
    expect(store.memoryUsed).toBe(4 * KiB);
    await new Promise((r) => setTimeout(r, 50));
    expect(files()).toBe(0);
  });

  it('writes bodies above SMALL_BODY to files whatever the budget', async () => {
    store.destroy();
    store = BlobStore.open(dir, 1 << 30);
    const big = await put(Buffer.alloc(SMALL_BODY + 1, 'x'));
    expect(store.memoryUsed).toBe(0);
    expect(files()).toBe(1);
    expect((await text(store.read([big], SMALL_BODY - 1, SMALL_BODY))).toString()).toBe('xx');
  });

  it('reads a range across pieces in memory and in files, and keeps reading a removed body', async () => {
    const first = await put(Buffer.from('0123456789'));
    const second = await store.write(Readable.from([Buffer.alloc(SMALL_BODY + 10, 'z')]), { limit: 1 << 30, tooLarge: () => new Error('x') });
    const third = await put(Buffer.from('abcdef'));
    const all = [first, second, third];
    const total = all.reduce((n, b) => n + b.size, 0);
    const got = await text(store.read(all, 5, total - 3));
    expect(got.subarray(0, 5).toString()).toBe('56789');
    expect(got.subarray(got.length - 4).toString()).toBe('abcd');
    expect(got.length).toBe(total - 3 - 5 + 1);
    // opened before removal: still read whole
    const pending = store.read([second], 0, second.size - 1);
    store.remove(all);
    expect((await text(pending)).length).toBe(second.size);
    expect(store.memoryUsed).toBe(0);
  });

  it('copies bodies from memory and from files', async () => {
    const small = await put(Buffer.from('small body'));
    const copy = await store.copy(small);
    store.remove([small]);
    expect((await text(store.read([copy], 0, copy.size - 1))).toString()).toBe('small body');
    expect(existsSync(dir)).toBe(true);
  });
});

describe('checksums the source computed', () => {
  async function write(source: Readable, size: number) {
    return store.write(source, { algorithms: ['crc32', 'sha256'], limit: 1 << 30, tooLarge: () => new Error('too large'), expectedSize: size });
  }

  for (const size of [100, 200 * KiB]) {
    it(`are taken from the stream, not computed again (${size} bytes)`, async () => {
      const body = Buffer.alloc(size, 1);
      const source = Readable.from([body]);
      const values = new Map<'crc32', string>();
      attachStreamChecksums(source, { algorithms: new Set(['crc32']), values });
      source.once('end', () => values.set('crc32', 'from-the-stream'));
      const written = await write(source, size);
      // the value the stream reported, which no computation would give
      expect(written.checksums.crc32).toBe('from-the-stream');
      // what the stream does not compute is computed here
      expect(written.checksums.sha256).toBe(await checksum('sha256', body));
    });
  }

  it('are computed here for a plain stream', async () => {
    const body = Buffer.from('plain body');
    const written = await write(Readable.from([body]), body.length);
    expect(written.checksums.crc32).toBe(await checksum('crc32', body));
  });
});

describe('ids S3 hands out', () => {
  it('never start with - or _, which command lines would take for an option', () => {
    const ids = Array.from({ length: 4000 }, () => randomToken(24));
    expect(ids.every((id) => /^[A-Za-z0-9]/.test(id) && /^[A-Za-z0-9_-]{32}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
