#!/usr/bin/env node
/**
 * Run in the image's dependency stage, after `npm ci --omit=dev`: keeps of aws-sdk v2 only
 * what the runtime reads (package.json, to be resolved, and apis/<service>.min.json, read by
 * runtime/aws/models/loader.ts, which also reads them brotli-compressed: they are stored
 * as .min.json.br, 19 MB -> 1.2 MB), and removes the packages that only aws-sdk's code needed
 * (xml2js, jmespath, ...), found by walking the lock file with Node's resolution from the
 * root's dependencies without entering aws-sdk. Type declarations, source maps and docs go too.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const DATA_ONLY = 'aws-sdk';
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const packages = lock.packages;

/** Where `name` resolves from the package installed at `from` ('' is the root). */
function resolve(from, name) {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (packages[candidate] && existsSync(candidate)) return candidate;
    if (!dir) return undefined;
    dir = dir.slice(0, dir.lastIndexOf('node_modules/')).replace(/\/$/, '');
  }
}

const needed = new Set();
const queue = [''];
while (queue.length) {
  const path = queue.pop();
  const meta = packages[path];
  if (path.endsWith(`node_modules/${DATA_ONLY}`)) continue; // data, not code
  const peers = Object.keys(meta.peerDependencies ?? {}).filter((n) => !meta.peerDependenciesMeta?.[n]?.optional);
  for (const name of [...Object.keys(meta.dependencies ?? {}), ...Object.keys(meta.optionalDependencies ?? {}), ...peers]) {
    const target = resolve(path, name);
    if (target && !needed.has(target)) {
      needed.add(target);
      queue.push(target);
    }
  }
}

let removed = 0;
for (const path of Object.keys(packages)) {
  if (!path || needed.has(path) || !existsSync(path)) continue;
  if ([...needed].some((n) => n.startsWith(`${path}/`))) continue; // holds a needed package
  rmSync(path, { recursive: true, force: true });
  removed++;
}

const sdk = `node_modules/${DATA_ONLY}`;
for (const entry of readdirSync(sdk)) if (!['apis', 'package.json', 'LICENSE.txt', 'NOTICE.txt'].includes(entry)) rmSync(join(sdk, entry), { recursive: true, force: true });
for (const entry of readdirSync(join(sdk, 'apis'))) {
  const path = join(sdk, 'apis', entry);
  if (entry.endsWith('.min.json')) writeFileSync(`${path}.br`, brotliCompressSync(readFileSync(path), { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }));
  rmSync(path);
}

function sweep(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sweep(path);
    else if (entry.isSymbolicLink() && !existsSync(path)) rmSync(path); // .bin links of removed packages
    else if (/\.(d\.[cm]?ts|map|md|markdown)$/i.test(entry.name) && !/^(license|licence|notice)/i.test(entry.name)) rmSync(path);
  }
}
sweep('node_modules');
console.log(`prune-dependencies: removed ${removed} packages only ${DATA_ONLY} needed; kept ${needed.size}`);
