/** The version and edition the runtime reports (health, info, banner). */
import { readFileSync } from 'node:fs';
import { runtimeFile } from './runtime-dir.js';

function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      return (JSON.parse(readFileSync(runtimeFile(rel), 'utf8')) as { version: string }).version;
    } catch {
      // try the next candidate (runtime/ in sources, dist/runtime/ when built)
    }
  }
  return '0.0.0';
}

export const VERSION = readVersion();
export const EDITION = 'community';
