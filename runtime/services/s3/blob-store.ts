/**
 * Object bodies: one file per body (or per part of a multipart object), named by a random
 * id, in the S3 provider's asset folder (runtime/state: a temporary folder, or with
 * persistence a stable one under the volume). Keys never become paths, so no key (`../`,
 * absolute, NUL, 1 KiB long) can reach outside this folder.
 *
 * A body is written to a file nobody refers to yet; only when it is complete and verified
 * does the provider commit the metadata that points at it (state.ts), so a reader never
 * sees half an object, and a crash leaves at worst an unreferenced file, which `retain`
 * removes at the next start (or load). Replaced bodies are deleted after the commit; a
 * reader that already opened one keeps reading it (POSIX).
 *
 * Small bodies (up to SMALL_BODY bytes) are not files at all while a bounded total
 * (MEMORY_BUDGET) allows: their bytes go into the state itself (BlobRef.data), where the
 * runtime journals them with the object's version list, so that an acknowledged small PUT
 * survives a crash without a file write. Creating and unlinking a file costs far more than
 * the request itself on many disks (280 us and 900 us measured for a 4 KiB file on this
 * project's CI machine, against ~50 us of work per request), which capped small PUTs well
 * below what LocalStack does. Larger bodies always stream to files, so no large body is ever
 * held whole in memory, and memory stays bounded however many objects there are.
 */
import { randomBytes, createHash, type Hash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, mkdirSync, openSync, readSync, rmSync, readdirSync, statSync } from 'node:fs';
import { copyFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createChecksum, streamChecksums, type Checksum, type ChecksumAlgorithm, type StreamChecksums } from '../../aws/checksums.js';
import type { BlobRef } from './state.js';

/** Bodies up to this size are buffered, kept in memory while the budget allows, and read in one call. */
export const SMALL_BODY = 64 * 1024;

/** Bytes a file write may queue before the upload is paused (per upload). */
const WRITE_BUFFER = 1024 * 1024;
/** Bytes read from a file at a time for a download (fewer, larger reads and socket writes). */
const READ_CHUNK = 512 * 1024;

/** The most bytes of small bodies kept in memory at once. */
export const MEMORY_BUDGET = 64 * 1024 * 1024;

export interface WrittenBlob extends BlobRef {
  /** MD5 of the body. */
  readonly md5: Buffer;
  /** base64 checksums of the algorithms asked for. */
  readonly checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

export interface WriteOptions {
  /** Checksums to compute on the way (besides MD5). */
  readonly algorithms?: readonly ChecksumAlgorithm[];
  /** More bytes than this fail the write with `tooLarge()`. */
  readonly limit: number;
  readonly tooLarge: (size: number) => Error;
  /** The size the client announced (Content-Length), if any: a small one is buffered. */
  readonly expectedSize?: number;
}

/** Hashes and counts what flows through. */
class Digester {
  size = 0;
  private readonly md5: Hash = createHash('md5');
  private readonly sums: Array<[ChecksumAlgorithm, Checksum]>;

  constructor(
    algorithms: readonly ChecksumAlgorithm[],
    private readonly options: WriteOptions,
    /** What the source computes itself (known once it has ended). */
    private readonly given?: StreamChecksums,
  ) {
    this.sums = [...new Set(algorithms)].filter((a) => !given?.algorithms.has(a)).map((a) => [a, createChecksum(a)]);
  }

  update(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.options.limit) throw this.options.tooLarge(this.size);
    this.md5.update(chunk);
    for (const [, c] of this.sums) c.update(chunk);
  }

  async finish(id: string): Promise<WrittenBlob> {
    const checksums: Partial<Record<ChecksumAlgorithm, string>> = {};
    for (const [a, c] of this.sums) checksums[a] = await c.digest();
    for (const [a, value] of this.given?.values ?? []) checksums[a] = value;
    return { id, size: this.size, md5: this.md5.digest(), checksums };
  }
}

/** The reference a state keeps of a written blob (without its digests). */
export function blobRef(written: BlobRef): BlobRef {
  return written.data ? { id: written.id, size: written.size, data: written.data } : { id: written.id, size: written.size };
}

/** The 256 folders files are spread over (by the last two hex digits of their id). */
const FOLDERS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export class BlobStore {
  /** Bytes of the bodies kept inline in the state (see recount). */
  private memoryBytes = 0;
  /** Ids are this store's random prefix and a counter: unique, and cheap to make. */
  private readonly prefix = randomBytes(6).toString('hex');
  private counter = 0;

  private constructor(
    readonly root: string,
    private readonly memoryBudget = MEMORY_BUDGET,
  ) {}

  /**
   * The store of `folder`: what is there stays (a persisted state refers to it) until
   * `retain` says which files the state still refers to.
   */
  static open(folder: string, memoryBudget = MEMORY_BUDGET): BlobStore {
    const store = new BlobStore(folder, memoryBudget);
    store.prepare();
    return store;
  }

  /** Makes the folders files go to (again, after a reset emptied the asset folder). */
  private prepare(): void {
    for (const name of FOLDERS) mkdirSync(join(this.root, name), { recursive: true });
  }

  /** Bytes of small bodies kept inline now. */
  get memoryUsed(): number {
    return this.memoryBytes;
  }

  /**
   * Takes stock of a state just started with, restored or imported: the inline bytes it
   * holds count against the budget, and every file of the folder it does not refer to is
   * removed (a body written when the runtime stopped or crashed before its object was
   * committed, or one a restored state no longer has). Returns the number of files removed.
   *
   * `spareSince` (epoch ms), for a state loaded while requests run: files written since
   * then are kept, as they may be uploads in flight that are about to be committed (an
   * orphan among them goes at the next start).
   */
  retain(blobs: Iterable<BlobRef>, spareSince = Infinity): number {
    const files = new Set<string>();
    let inline = 0;
    for (const blob of blobs) {
      if (blob.data) inline += blob.size;
      else files.add(blob.id);
    }
    this.memoryBytes = inline;
    this.prepare();
    let removed = 0;
    for (const entry of readdirSync(this.root, { withFileTypes: true })) {
      if (!entry.isDirectory() || !FOLDERS.includes(entry.name)) {
        rmSync(join(this.root, entry.name), { recursive: true, force: true });
        removed++;
        continue;
      }
      for (const name of readdirSync(join(this.root, entry.name))) {
        if (files.has(name) && name.endsWith(entry.name)) continue;
        const path = join(this.root, entry.name, name);
        if (spareSince !== Infinity && (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0) >= spareSince) continue;
        rmSync(path, { recursive: true, force: true });
        removed++;
      }
    }
    return removed;
  }

  /** The state was emptied (the runtime emptied the folder too): nothing is kept inline. */
  cleared(): void {
    this.memoryBytes = 0;
    this.prepare();
  }

  /** Files spread over 256 folders by the counter's last two hex digits. */
  private path(id: string): string {
    return join(this.root, id.slice(-2), id);
  }

  private newId(): string {
    return `${this.prefix}-${(this.counter++).toString(16).padStart(8, '0')}`;
  }

  /** A small body to keep inline if the budget allows (a copy of its own, not a pooled slice). */
  private keep(chunks: readonly Buffer[], size: number): Buffer | undefined {
    if (this.memoryBytes + size > this.memoryBudget) return undefined;
    const body = Buffer.allocUnsafeSlow(size);
    let at = 0;
    for (const c of chunks) at += c.copy(body, at);
    this.memoryBytes += size;
    return body;
  }

  /**
   * Writes a body to a new file, computing MD5 and the checksums asked for. The file is not
   * referenced by anything until the caller commits it; on failure it is removed.
   */
  async write(source: Readable, options: WriteOptions): Promise<WrittenBlob> {
    const id = this.newId();
    const path = this.path(id);
    const digest = new Digester(options.algorithms ?? [], options, streamChecksums(source));
    if (options.expectedSize !== undefined && options.expectedSize <= SMALL_BODY) {
      const chunks: Buffer[] = [];
      for await (const chunk of source) {
        const b = chunk as Buffer;
        digest.update(b);
        chunks.push(b);
      }
      const data = this.keep(chunks, digest.size);
      if (!data) await writeFile(path, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
      const written = await digest.finish(id);
      return data ? { ...written, data } : written;
    }
    const tap = new Transform({
      transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
        try {
          digest.update(chunk);
          done(null, chunk);
        } catch (error) {
          done(error as Error);
        }
      },
    });
    try {
      // a deep write buffer: the chunks that arrive while one write is under way go out
      // together in one writev, which is several times faster than a write per socket read
      await pipeline(source, tap, createWriteStream(path, { highWaterMark: WRITE_BUFFER }));
    } catch (error) {
      await unlink(path).catch(() => undefined);
      throw error;
    }
    return digest.finish(id);
  }

  /** A copy of a blob under a new id (a reflink where the file system can). */
  async copy(blob: BlobRef): Promise<BlobRef> {
    const id = this.newId();
    if (blob.data) {
      // inline bytes are never changed in place: the copy shares them (counted twice, as
      // remove() will uncount each)
      this.memoryBytes += blob.size;
      return { id, size: blob.size, data: blob.data };
    }
    await copyFile(this.path(blob.id), this.path(id));
    return { id, size: blob.size };
  }

  /**
   * The bytes [start, end] (inclusive) of a body made of `blobs`. The files are opened now,
   * so that a body replaced or deleted a moment later is still read whole. Small ranges come
   * back as a Buffer, larger ones as a stream.
   */
  read(blobs: readonly BlobRef[], start: number, end: number): Buffer | Readable {
    const pieces: Piece[] = [];
    let offset = 0;
    try {
      for (const blob of blobs) {
        const first = offset;
        const last = offset + blob.size - 1;
        offset += blob.size;
        if (last < start || first > end || blob.size === 0) continue;
        const from = Math.max(start, first) - first;
        const to = Math.min(end, last) - first;
        const held = blob.data;
        // inline bytes are never changed in place: a later replacement is a new Buffer
        pieces.push(held ? { buf: held.subarray(from, to + 1), start: from, end: to } : { fd: openSync(this.path(blob.id), 'r'), start: from, end: to });
      }
    } catch (error) {
      closePieces(pieces, 0);
      throw error;
    }
    if (pieces.length === 1 && pieces[0]!.buf) return pieces[0]!.buf;
    const length = end - start + 1;
    if (length <= SMALL_BODY) {
      const out = Buffer.allocUnsafe(Math.max(0, length));
      let at = 0;
      try {
        for (const p of pieces) {
          if (p.buf) {
            at += p.buf.copy(out, at);
            continue;
          }
          const n = p.end - p.start + 1;
          let read = 0;
          while (read < n) {
            const got = readSync(p.fd!, out, at + read, n - read, p.start + read);
            if (got === 0) break;
            read += got;
          }
          at += read;
        }
      } finally {
        closePieces(pieces, 0);
      }
      return at === out.length ? out : out.subarray(0, at);
    }
    if (pieces.length === 1) {
      const p = pieces[0]!;
      return createReadStream('', { fd: p.fd!, start: p.start, end: p.end, autoClose: true, highWaterMark: READ_CHUNK });
    }
    return Readable.from(concatPieces(pieces), { objectMode: false });
  }

  /** Deletes bodies that nothing refers to any more (errors are of no interest to anyone). */
  remove(blobs: Iterable<BlobRef>): void {
    for (const blob of blobs) {
      if (blob.data) this.memoryBytes = Math.max(0, this.memoryBytes - blob.size);
      else void unlink(this.path(blob.id)).catch(() => undefined);
    }
  }
}

/** Part of a body to read: a file opened at read time, or a slice of a body in memory. */
interface Piece {
  fd?: number;
  buf?: Buffer;
  start: number;
  end: number;
}

function closePieces(pieces: readonly Piece[], from: number): void {
  for (let j = from; j < pieces.length; j++) if (pieces[j]!.fd !== undefined) closeSync(pieces[j]!.fd!);
}

async function* concatPieces(pieces: readonly Piece[]): AsyncGenerator<Buffer> {
  let i = 0;
  try {
    for (; i < pieces.length; i++) {
      const p = pieces[i]!;
      if (p.buf) {
        yield p.buf;
        continue;
      }
      const stream = createReadStream('', { fd: p.fd!, start: p.start, end: p.end, autoClose: true, highWaterMark: READ_CHUNK });
      for await (const chunk of stream) yield chunk as Buffer;
    }
  } finally {
    // a client that left early: close what was never streamed
    closePieces(pieces, i + 1);
  }
}
