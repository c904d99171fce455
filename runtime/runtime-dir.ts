/**
 * The runtime's folder, for the files shipped beside its modules (the model patches) and
 * above them (package.json). Its code runs from runtime/ (the sources, in tests),
 * dist/runtime/ (the build, one file per module), or the start-up bundle: dist/runtime/main.js
 * and the chunks it shares with the providers in dist/runtime/chunks/ (scripts/build.mjs).
 */
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export const RUNTIME_DIR = basename(here) === 'chunks' ? dirname(here) : here;

/** A file of the runtime by its path under runtime/ (e.g. aws/models/patches.json). */
export function runtimeFile(path: string): string {
  return join(RUNTIME_DIR, path);
}
