/**
 * Loads service models on demand, applies the patches, and caches them. The models are
 * botocore's, generated into runtime/aws/models/botocore/<service>.json.br (see
 * scripts/generate-models.mjs): brotli-compressed JSON, ~5 ms to inflate even EC2's, once.
 * Start-up reads only the generated index; a model file is read the first time a request
 * for that service arrives.
 */
import { readFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import { runtimeFile } from '../../runtime-dir.js';
import { applyModelPatch } from './patches.js';
import { SERVICE_INDEX } from './service-index.generated.js';
import { ServiceModel } from './service-model.js';
import type { RawModel, ServiceIndexEntry } from './types.js';

const byName = new Map<string, ServiceIndexEntry>(SERVICE_INDEX.map((s) => [s.name, s]));
const loaded = new Map<string, ServiceModel>();

/** All services the models describe. */
export function allServiceNames(): string[] {
  return [...byName.keys()];
}

/** The folder of the generated models (and their MANIFEST.json). */
export function modelsDir(): string {
  return runtimeFile('aws/models/botocore');
}

/** The JSON text of a service's generated model (unpatched); throws ENOENT for an unknown one. */
export function readModelText(name: string, dir = modelsDir()): string {
  return brotliDecompressSync(readFileSync(`${dir}/${name}.json.br`)).toString('utf8');
}

/** The loaded (and patched) model of a service; throws for an unknown name. */
export function loadServiceModel(name: string): ServiceModel {
  let model = loaded.get(name);
  if (model) return model;
  const entry = byName.get(name);
  if (!entry) throw new Error(`unknown service: ${name}`);
  const raw = JSON.parse(readModelText(name)) as RawModel;
  applyModelPatch(name, raw);
  model = new ServiceModel(entry, raw);
  loaded.set(name, model);
  return model;
}
