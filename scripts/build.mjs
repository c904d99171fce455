#!/usr/bin/env node
/**
 * Transpiles the TypeScript sources to dist/ with esbuild, one output file per input file,
 * so that the runtime starts from plain JavaScript (no loader in the start-up path) and
 * providers stay separate modules loaded on demand with import().
 * Type-checking is `npm run typecheck`; this only strips types (well under a second).
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['runtime', 'src', 'commands', 'bench'];

function collect(dir, files = [], ext = '.ts') {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return files;
  }
  for (const name of entries) {
    // dot folders are not sources (bench/.peers holds the peer emulators' virtualenvs)
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, files, ext);
    else if (name.endsWith(ext) && !name.endsWith('.d.ts') && !name.endsWith('.test.ts')) files.push(path);
  }
  return files;
}

const entryPoints = SOURCE_DIRS.flatMap((d) => collect(join(root, d)));
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  entryPoints,
  outdir: join(root, 'dist'),
  outbase: root,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});
// The runtime's entry point again, as one bundle: resolving and loading some 70 modules one
// by one was a quarter of the time from spawn to the first answered call. Providers and
// what only they use stay chunks of their own in dist/runtime/chunks/, loaded on demand;
// packages stay in node_modules. The per-file modules above remain for the benches and
// tools that import pieces of the runtime.
await build({
  entryPoints: [join(root, 'runtime', 'main.ts')],
  outdir: join(root, 'dist', 'runtime'),
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  packages: 'external',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});
// data files the sources read at run time: the AWS models (botocore/*.json.br, MANIFEST.json)
// and their patches
for (const file of SOURCE_DIRS.flatMap((d) => [...collect(join(root, d), [], '.json'), ...collect(join(root, d), [], '.json.br')])) {
  const target = join(root, 'dist', relative(root, file));
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(file, target);
}
if (process.argv.includes('--verbose')) {
  console.log(`built ${entryPoints.length} files: ${entryPoints.map((f) => relative(root, f)).join(', ')}`);
}

// The CLI's command manifest: without it oclif imports every command (and what each one
// imports) to run any one of them; with it, only the command asked for is loaded.
{
  const { Plugin } = await import('@oclif/core');
  const { writeFileSync } = await import('node:fs');
  const plugin = new Plugin({ root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true });
  await plugin.load();
  writeFileSync(join(root, 'oclif.manifest.json'), `${JSON.stringify(plugin.manifest)}\n`);
}
