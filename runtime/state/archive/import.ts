/**
 * Imports an archive written by export.ts (POST /_localstack/state/import, `localstack state
 * import FILE`): the state of each service in it replaces that service's state here;
 * services the archive does not name keep theirs.
 *
 *   1. the upload streams into a temporary file (never whole in memory)
 *   2. everything is checked before anything changes: the manifest (an archive of a newer
 *      format is refused), every entry's name (nothing may leave its folder, no links),
 *      each service's snapshot (checksums, end record), that each service exists here
 *   3. asset files stream into a staging folder
 *   4. per service, synchronously: stores and asset folders emptied, snapshot applied,
 *      staged files moved in; then the provider is told (`stateChanged('loaded')`)
 */
import { copyFileSync, createWriteStream, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Entry } from 'yauzl';
import { STATE_FORMAT_VERSION } from '../codec.js';
import { logger } from '../../logger.js';
import { unframe } from '../persistence/framing.js';
import { applySnapshot, checkSnapshot, StateFileError } from '../persistence/records.js';
import type { ServiceManager } from '../../services/manager.js';
import { ARCHIVE_FORMAT_VERSION, ARCHIVE_KIND, type Manifest } from './export.js';
import { ArchiveError, inside, isFolder, isSymlink, safeSegments, ZipReader } from './zip-reader.js';

const log = logger('state');
const NAME = /^[a-z0-9][a-z0-9-]*$/;

interface ServicePart {
  name: string;
  body: readonly string[];
  /** Asset files: folder name, path inside it, entry. */
  files: { folder: string; rel: string[]; entry: Entry }[];
}

function checkManifest(text: Buffer): Manifest {
  let m: Manifest;
  try {
    m = JSON.parse(text.toString('utf8')) as Manifest;
  } catch {
    throw new ArchiveError('the archive has no readable manifest.json');
  }
  if (m?.kind !== ARCHIVE_KIND || typeof m.format !== 'number' || typeof m.services !== 'object' || m.services === null) {
    throw new ArchiveError('manifest.json is not the manifest of a localstack-ts state export');
  }
  if (m.format > ARCHIVE_FORMAT_VERSION || (m.codec ?? 0) > STATE_FORMAT_VERSION) {
    throw new ArchiveError(
      `the archive was exported by a newer version (localstack-ts ${String(m.runtime)}, archive format ${m.format}, state format ${m.codec}); this runtime reads up to ${ARCHIVE_FORMAT_VERSION} and ${STATE_FORMAT_VERSION}: upgrade to import it`,
    );
  }
  return m;
}

/** Reads and checks the whole archive; returns what each service gets. */
async function readArchive(zip: ZipReader, services: ServiceManager): Promise<ServicePart[]> {
  const manifestEntry = zip.entries.find((e) => e.fileName === 'manifest.json');
  if (!manifestEntry) throw new ArchiveError('the archive has no manifest.json: not a state export');
  const manifest = checkManifest(await zip.read(manifestEntry));
  const parts = new Map<string, ServicePart>();
  for (const name of Object.keys(manifest.services)) {
    if (!NAME.test(name)) throw new ArchiveError(`the archive names a service ${JSON.stringify(name)}, which is not a service name`);
    if (!services.hasState(name)) throw new ArchiveError(`the archive holds state of '${name}', which this runtime has no provider for`);
    parts.set(name, { name, body: [], files: [] });
  }
  const stateEntries = new Map<string, Entry>();
  for (const entry of zip.entries) {
    if (isSymlink(entry)) throw new ArchiveError(`the archive holds a symbolic link (${entry.fileName}): refused`);
    const segments = safeSegments(entry.fileName);
    if (isFolder(entry) || entry.fileName === 'manifest.json') continue;
    const part = segments[0] === 'services' ? parts.get(segments[1] ?? '') : undefined;
    if (!part) throw new ArchiveError(`the archive holds ${entry.fileName}, which belongs to no service of its manifest`);
    if (segments.length === 3 && segments[2] === 'state') stateEntries.set(part.name, entry);
    else if (segments.length >= 5 && segments[2] === 'assets' && NAME.test(segments[3]!)) part.files.push({ folder: segments[3]!, rel: segments.slice(4), entry });
    else throw new ArchiveError(`the archive holds ${entry.fileName}, which is neither a service's state nor one of its asset files`);
  }
  for (const part of parts.values()) {
    const entry = stateEntries.get(part.name);
    if (!entry) throw new ArchiveError(`the archive has no state for '${part.name}'`);
    const what = `the archive's state of ${part.name}`;
    const framed = unframe(await zip.read(entry));
    try {
      if (framed.droppedBytes > 0) throw new StateFileError(`${what} is damaged at byte ${framed.validBytes} (${framed.problem})`, 'corrupt');
      const { header, body } = checkSnapshot(framed.records, what);
      if (header.service !== part.name) throw new StateFileError(`${what} holds the state of '${header.service}'`, 'corrupt');
      part.body = body;
    } catch (error) {
      if (error instanceof StateFileError) throw new ArchiveError(error.message);
      throw error;
    }
  }
  return [...parts.values()];
}

function move(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  try {
    renameSync(from, to);
  } catch {
    copyFileSync(from, to); // another file system
  }
}

/** Imports an archive from a stream; returns the services whose state it replaced. Throws ArchiveError for a bad archive. */
export async function importState(services: ServiceManager, upload: Readable, tempParent: string): Promise<string[]> {
  mkdirSync(tempParent, { recursive: true });
  const temp = mkdtempSync(join(tempParent, 'import-'));
  let zip: ZipReader | undefined;
  try {
    const file = join(temp, 'archive.zip');
    await pipeline(upload, createWriteStream(file));
    zip = await ZipReader.open(file);
    const parts = await readArchive(zip, services);
    const staged = join(temp, 'assets');
    for (const part of parts) {
      for (const f of part.files) await zip.extract(f.entry, inside(staged, [part.name, f.folder, ...f.rel]));
    }
    for (const part of parts) if (services.has(part.name)) await services.get(part.name);
    for (const part of parts) {
      const declared = new Set(services.state.of(part.name)?.assetFolders().map((f) => f.name) ?? []);
      const foreign = part.files.find((f) => !declared.has(f.folder));
      if (foreign) throw new ArchiveError(`the archive holds files of ${part.name}'s asset folder '${foreign.folder}', which ${part.name} does not have here`);
    }
    for (const part of parts) {
      await services.replaceState(part.name, (state) => {
        const unknown = applySnapshot(state, part.body, `the archive's state of ${part.name}`);
        if (unknown.size > 0) log.warn(`import: ${part.name}: the archive has stores this version does not declare (${[...unknown].join(', ')}): skipped`);
        const folders = new Map(state.assetFolders().map((f) => [f.name, f.path]));
        for (const f of part.files) move(inside(staged, [part.name, f.folder, ...f.rel]), inside(folders.get(f.folder)!, f.rel));
      });
    }
    return parts.map((p) => p.name);
  } finally {
    zip?.close();
    rmSync(temp, { recursive: true, force: true });
  }
}
