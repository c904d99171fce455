#!/usr/bin/env node
/**
 * Run in the image's dependency stage before `npm ci`: writes the package.json that `npm ci`
 * needs from the lock file's own record of the root package (its `packages[""]` entry: name,
 * version and dependency ranges). The dependency layer is then keyed on package-lock.json
 * alone, so editing package.json for anything else (a script, the oclif config, the
 * description) does not reinstall every dependency. The real package.json is copied in later.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const root = lock.packages?.[''];
if (!root) throw new Error('package-lock.json has no root package entry (lockfileVersion 2 or later is needed)');
const manifest = { name: root.name, version: root.version };
for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
  if (root[field]) manifest[field] = root[field];
}
writeFileSync('package.json', `${JSON.stringify(manifest, null, 2)}\n`);
