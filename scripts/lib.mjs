/**
 * What the code generators share: the paths, the generated botocore models (see
 * generate-models.mjs) with the model patches applied (the same RFC 7386 merge the runtime
 * applies), the generated service index, and writing or checking an output file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const modelsDir = join(root, 'runtime/aws/models/botocore');

/** MANIFEST.json of the generated models: { source: { version, ... }, services: { name: { apiVersion, ... } } }. */
export function loadManifest() {
  return JSON.parse(readFileSync(join(modelsDir, 'MANIFEST.json'), 'utf8'));
}

/** The model patches, by service: { why, patch }. */
export const PATCHES = JSON.parse(readFileSync(join(root, 'runtime/aws/models/patches.json'), 'utf8'));

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
export function mergePatch(target, patch) {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else if (typeof value === 'object' && !Array.isArray(value) && typeof target[key] === 'object' && target[key] !== null && !Array.isArray(target[key])) mergePatch(target[key], value);
    else target[key] = value;
  }
}

/** A service's generated model, unpatched. */
export function loadRawModel(service) {
  return JSON.parse(brotliDecompressSync(readFileSync(join(modelsDir, `${service}.json.br`))).toString('utf8'));
}

/** A service's model, parsed and patched as the runtime loads it. */
export function loadModel(service) {
  const model = loadRawModel(service);
  if (PATCHES[service]) mergePatch(model, PATCHES[service].patch);
  return model;
}

/** The generated service index, by service name. */
export function loadIndex() {
  const text = readFileSync(join(root, 'runtime/aws/models/service-index.generated.ts'), 'utf8');
  return new Map(
    text
      .split('\n')
      .filter((l) => l.trim().startsWith('{"name"'))
      .map((l) => JSON.parse(l.trim().replace(/,$/, '')))
      .map((e) => [e.name, e]),
  );
}

/** Writes `file`, or with --check compares it and returns false when it is stale. */
export function writeOrCheck(file, text) {
  const name = relative(root, file);
  if (process.argv.includes('--check')) {
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
      console.error(`${name} is stale: run npm run generate`);
      return false;
    }
    return true;
  }
  writeFileSync(file, text);
  console.log(`wrote ${name}`);
  return true;
}
