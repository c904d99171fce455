/**
 * The body store on its own: small bodies are kept inline (in the state's blob references)
 * within a budget and spill to files beyond it, large ones always go to files, reads cross
 * inline and file pieces alike, and at start (or after a load) the files no object refers
 * to are removed while the referenced ones stay.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachStreamChecksums, checksum } from '../../../runtime/aws/checksums.js';
import { BlobStore, blobRef, SMALL_BODY } from '../../../runtime/services/s3/blob-store.js';
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

  it('hands small bodies back inline, in the reference the state keeps', async () => {
    const small = await put(Buffer.from('inline body'));
    expect(blobRef(small)).toEqual({ id: small.id, size: 11, data: Buffer.from('inline body') });
    const large = await put(Buffer.alloc(SMALL_BODY + 1, 'l'));
    expect(blobRef(large)).toEqual({ id: large.id, size: SMALL_BODY + 1 });
  });
});

describe('files nobody refers to', () => {
  const large = () => put(Buffer.alloc(SMALL_BODY + 1, 'f'));

  it('are removed when the store takes stock; referenced files and inline bytes stay', async () => {
    const kept = await large();
    const orphan = await large();
    const inline = await put(Buffer.alloc(3 * KiB, 'i'));
    // what a crash leaves behind besides orphaned bodies: stray entries of the folder
    writeFileSync(join(dir, 'stray'), 'x');
    mkdirSync(join(dir, 'zz'));
    // a new runtime on the same folder (persistence): nothing is removed before it knows the state
    store = BlobStore.open(dir, 10 * KiB);
    expect(existsSync(join(dir, orphan.id.slice(-2), orphan.id))).toBe(true);
    const removed = store.retain([blobRef(kept), blobRef(inline)]);
    expect(removed).toBe(3);
    expect(existsSync(join(dir, kept.id.slice(-2), kept.id))).toBe(true);
    expect(existsSync(join(dir, orphan.id.slice(-2), orphan.id))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0')));
    expect(store.memoryUsed).toBe(3 * KiB);
    expect((await text(store.read([kept], 0, kept.size - 1))).equals(Buffer.alloc(SMALL_BODY + 1, 'f'))).toBe(true);
  });

  it('written recently are spared when a state is loaded while uploads may run', async () => {
    const old = await large();
    const recent = await large();
    const oldPath = join(dir, old.id.slice(-2), old.id);
    utimesSync(oldPath, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    expect(store.retain([], Date.now() - 60_000)).toBe(1);
    expect(existsSync(oldPath)).toBe(false);
    expect(existsSync(join(dir, recent.id.slice(-2), recent.id))).toBe(true);
  });

  it('after a reset emptied the folder, bodies can be written again', async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    store.cleared();
    expect(store.memoryUsed).toBe(0);
    const body = await large();
    expect(files()).toBe(1);
    expect((await text(store.read([body], 0, 0))).toString()).toBe('f');
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
