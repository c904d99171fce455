/**
 * The whole state as one zip archive (GET /_localstack/state/export, `localstack state
 * export FILE`), to import into another runtime (import.ts):
 *
 *   manifest.json                          {"kind","format","codec","runtime","createdAt","services":{...}}
 *   services/<service>/state               the service's stores: a snapshot (persistence/records.ts)
 *   services/<service>/assets/<name>/...   the files of its asset folders (S3 bodies)
 *
 * The state is taken at one point: every store is encoded at once, and every asset file is
 * hard-linked into a temporary folder (copied where links are not possible), so that the
 * archive streams out afterwards, file by file, while the runtime goes on serving and
 * changing the originals. Nothing is held whole in memory but the encoded stores.
 */
import { copyFileSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import yazl from 'yazl';
import { STATE_FORMAT_VERSION } from '../codec.js';
import { frameBuffer } from '../persistence/framing.js';
import { snapshotRecords } from '../persistence/records.js';
import type { ServiceManager } from '../../services/manager.js';
import { VERSION } from '../../version.js';

/** Bumped when the archive's layout changes; an importer refuses a newer one. */
export const ARCHIVE_FORMAT_VERSION = 1;
export const ARCHIVE_KIND = 'localstack-ts state';

/** What manifest.json says. */
export interface Manifest {
  readonly kind: string;
  readonly format: number;
  readonly codec: number;
  readonly runtime: string;
  readonly createdAt: string;
  readonly services: Record<string, { stores: string[]; assets: string[]; files: number }>;
}

/** Every regular file under a folder, as paths relative to it (symbolic links are never followed). */
function filesUnder(root: string, prefix = ''): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(join(root, prefix));
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const stat = lstatSync(join(root, rel));
    if (stat.isDirectory()) out.push(...filesUnder(root, rel));
    else if (stat.isFile()) out.push(rel);
  }
  return out;
}

function freeze(source: string, target: string): void {
  mkdirSync(dirname(target), { recursive: true });
  try {
    linkSync(source, target);
  } catch {
    copyFileSync(source, target); // another file system, or links not allowed
  }
}

/**
 * The archive of the named services' state (default: every running service, and every
 * service with saved state that starts with it), as a stream. `tempParent` holds the frozen
 * asset files until the stream ends.
 */
export async function exportState(services: ServiceManager, names: readonly string[], tempParent: string): Promise<{ stream: Readable; services: string[] }> {
  // services with saved state are started, so that what is exported is what they serve; one
  // that cannot start (disabled by SERVICES, failed) has nothing to export
  for (const name of names) {
    if (!services.has(name)) continue; // the runtime's own state (deliveries): nothing to start
    try {
      await services.get(name);
    } catch {
      // reported by the health endpoint
    }
  }
  const state = services.state;
  state.flush();
  mkdirSync(tempParent, { recursive: true });
  const frozen = mkdtempSync(join(tempParent, 'export-'));
  const zip = new yazl.ZipFile();
  const manifest: Manifest = { kind: ARCHIVE_KIND, format: ARCHIVE_FORMAT_VERSION, codec: STATE_FORMAT_VERSION, runtime: VERSION, createdAt: new Date().toISOString(), services: {} };
  const entries: (() => void)[] = [];
  try {
    // from here to the end of the loop, synchronously: one point in time
    for (const name of names) {
      const declared = state.of(name);
      if (!declared) continue;
      const records = [...snapshotRecords(declared, 0)].map(frameBuffer);
      entries.push(() => zip.addReadStream(Readable.from(records, { objectMode: false }), `services/${name}/state`));
      let files = 0;
      for (const folder of declared.assetFolders()) {
        for (const rel of filesUnder(folder.path)) {
          const copy = join(frozen, name, folder.name, rel);
          freeze(join(folder.path, rel), copy);
          entries.push(() => zip.addFile(copy, `services/${name}/assets/${folder.name}/${rel}`));
          files++;
        }
      }
      manifest.services[name] = { stores: declared.stores().map((s) => s.name), assets: declared.assetFolders().map((f) => f.name), files };
    }
  } catch (error) {
    rmSync(frozen, { recursive: true, force: true });
    throw error;
  }
  zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), 'manifest.json');
  for (const add of entries) add();
  zip.end();
  const out = zip.outputStream as Readable;
  let cleaned = false;
  const clean = () => {
    if (cleaned) return;
    cleaned = true;
    rmSync(frozen, { recursive: true, force: true });
  };
  out.once('end', clean);
  out.once('close', clean);
  out.once('error', clean);
  return { stream: out, services: Object.keys(manifest.services) };
}
