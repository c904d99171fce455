/**
 * Loads service models on demand from the aws-sdk package, applies the patches, and caches
 * them. Start-up reads only the generated index; a model file is read the first time a
 * request for that service arrives.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { applyModelPatch } from './patches.js';
import { SERVICE_INDEX } from './service-index.generated.js';
import { ServiceModel } from './service-model.js';
import type { RawModel, ServiceIndexEntry } from './types.js';

const apisDir = join(dirname(createRequire(import.meta.url).resolve('aws-sdk/package.json')), 'apis');

const byName = new Map<string, ServiceIndexEntry>(SERVICE_INDEX.map((s) => [s.name, s]));
const loaded = new Map<string, ServiceModel>();

/** All services the models describe. */
export function allServiceNames(): string[] {
  return [...byName.keys()];
}

/**
 * The text of `<dir>/<file>.min.json`, or of its brotli-compressed `.min.json.br`, which is how
 * the Docker image keeps the models (1.2 MB instead of 19 MB; ~5 ms to inflate one, once).
 */
export function readModelText(dir: string, file: string): string {
  const plain = join(dir, `${file}.min.json`);
  try {
    return readFileSync(plain, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return brotliDecompressSync(readFileSync(`${plain}.br`)).toString('utf8');
  }
}

/** The loaded (and patched) model of a service; throws for an unknown name. */
export function loadServiceModel(name: string): ServiceModel {
  let model = loaded.get(name);
  if (model) return model;
  const entry = byName.get(name);
  if (!entry) throw new Error(`unknown service: ${name}`);
  const raw = JSON.parse(readModelText(apisDir, entry.model)) as RawModel;
  applyModelPatch(name, raw);
  model = new ServiceModel(entry, raw);
  loaded.set(name, model);
  return model;
}
