/**
 * Reading zip archives that come from outside (a state import; later Lambda code): yauzl
 * with promises, and the checks every such reader needs. An entry may never leave the
 * folder it is extracted into: absolute names, `..` segments, backslashes, drive letters and
 * symbolic links are refused, and an entry's declared size is enforced while it streams
 * (yauzl's validateEntrySizes), so a lying header cannot fill the disk unnoticed.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

/** An archive that cannot be used; its message is the whole story (one line). */
export class ArchiveError extends Error {}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Whether a zip entry is a symbolic link (made on Unix: the mode is in the high 16 bits). */
export function isSymlink(entry: Entry): boolean {
  return ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK;
}

/** Whether an entry is a folder (its name ends with `/`). */
export function isFolder(entry: Entry): boolean {
  return entry.fileName.endsWith('/');
}

/**
 * The segments of a relative entry name, or an ArchiveError: no absolute or drive-letter
 * names, no backslashes, no empty, `.` or `..` segments.
 */
export function safeSegments(name: string): string[] {
  const trimmed = name.endsWith('/') ? name.slice(0, -1) : name;
  if (trimmed === '' || trimmed.startsWith('/') || /^[A-Za-z]:/.test(trimmed) || trimmed.includes('\\') || trimmed.includes('\0')) {
    throw new ArchiveError(`the archive holds an entry with an unsafe name: ${JSON.stringify(name)}`);
  }
  const segments = trimmed.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) throw new ArchiveError(`the archive holds an entry with an unsafe name: ${JSON.stringify(name)}`);
  return segments;
}

/** `root/relative`, refusing anything that resolves outside `root`. */
export function inside(root: string, segments: readonly string[]): string {
  const base = resolve(root);
  const path = resolve(join(base, ...segments));
  if (!path.startsWith(base + sep)) throw new ArchiveError(`the archive holds an entry that leaves its folder: ${segments.join('/')}`);
  return path;
}

/** An open archive: its entries' metadata, and each entry's bytes on demand. */
export class ZipReader {
  private constructor(
    private readonly zip: ZipFile,
    readonly entries: readonly Entry[],
  ) {}

  /** Opens a zip file and reads its central directory (not its contents). */
  static async open(path: string): Promise<ZipReader> {
    const zip = await new Promise<ZipFile>((done, fail) =>
      yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: true, validateEntrySizes: true }, (error, z) => (error ? fail(error) : done(z))),
    ).catch((error: Error) => {
      throw new ArchiveError(`not a zip archive (${error.message})`);
    });
    const entries = await new Promise<Entry[]>((done, fail) => {
      const list: Entry[] = [];
      zip.on('entry', (entry: Entry) => {
        list.push(entry);
        zip.readEntry();
      });
      zip.once('end', () => done(list));
      zip.once('error', (error: Error) => fail(new ArchiveError(`the archive is damaged (${error.message})`)));
      zip.readEntry();
    });
    return new ZipReader(zip, entries);
  }

  /** An entry's contents as a stream. */
  stream(entry: Entry): Promise<Readable> {
    return new Promise((done, fail) => this.zip.openReadStream(entry, (error, stream) => (error ? fail(new ArchiveError(`${entry.fileName}: ${error.message}`)) : done(stream))));
  }

  /** An entry's contents in memory (for small entries; the caller knows which). */
  async read(entry: Entry): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.stream(entry)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Streams an entry into a file (its folders made). */
  async extract(entry: Entry, path: string): Promise<void> {
    mkdirSync(dirname(path), { recursive: true });
    try {
      await pipeline(await this.stream(entry), createWriteStream(path));
    } catch (error) {
      if (error instanceof ArchiveError) throw error;
      throw new ArchiveError(`${entry.fileName}: ${(error as Error).message}`);
    }
  }

  close(): void {
    this.zip.close();
  }
}
