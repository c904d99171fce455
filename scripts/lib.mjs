/**
 * What the code generators share: the paths, the generated service index, the model patches
 * (the same RFC 7386 merge the runtime applies), and writing or checking an output file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const sdkDir = dirname(require.resolve('aws-sdk/package.json'));
export const apisDir = join(sdkDir, 'apis');
export const sdkVersion = JSON.parse(readFileSync(join(sdkDir, 'package.json'), 'utf8')).version;

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

/** A model file, parsed and patched as the runtime loads it. */
export function loadModel(service, file) {
  const model = JSON.parse(readFileSync(join(apisDir, file.endsWith('.json') ? file : `${file}.min.json`), 'utf8'));
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
