#!/usr/bin/env node
/**
 * Generates runtime/aws/models/botocore/: one compact model per AWS service, and MANIFEST.json.
 * Every other generator (service index, API types, error catalogs, coverage) and the runtime
 * read these files, so they are the one source of truth for routes, shapes, constraints and
 * errors.
 *
 * Why botocore's data. The models come from the `botocore` wheel on PyPI, pinned below by
 * version and sha256:
 * - it is official and current: AWS publishes it several times a week from the same Smithy
 *   models the SDKs are built from, with every constraint (min, max, pattern, enum), every
 *   error shape (code, HTTP status, fault, awsQueryError) and every protocol a service speaks;
 * - it is the JSON format the protocol codecs already read (the aws-sdk v2 models we used
 *   before were a frozen, minified copy of it), so no translation layer stands between AWS's
 *   model and ours;
 * - LocalStack generates its providers from it, so service names (botocore's directory
 *   names: what users write in SERVICES) and behaviour line up with the emulator we replace;
 * - PyPI is a registry every developer machine and CI here reaches, with content hashes;
 *   AWS's Smithy model repository (api-models-aws) is a git repository that is not.
 *
 * What is kept: for each service, the newest API version directory's service-2.json, minus
 * what the runtime never reads (documentation, examples, deprecation texts, Java boxing
 * hints). Each model is written as minified JSON, brotli-compressed (`<service>.json.br`: the
 * 455 services are 33 MB as JSON, under 4 MB compressed). MANIFEST.json lists per service its
 * API version, protocols, operation count and the sha256 of its JSON, so that a model update
 * is reviewable as a diff, and `--check` can compare content (brotli bytes may differ between
 * zlib versions; the JSON may not).
 *
 * The wheel is downloaded once into node_modules/.cache/botocore/ (its sha256 is verified on
 * every use) from PyPI's simple index, the way pip finds it.
 *
 * Usage: node scripts/generate-models.mjs [--check]
 *   --check  exits 1 when a committed model or the manifest differs from what would be generated (CI).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { root } from './lib.mjs';

/** The pinned source. Update all three together (the sha256 is PyPI's, of the wheel). */
export const BOTOCORE = {
  version: '1.44.18',
  wheel: 'botocore-1.44.18-py3-none-any.whl',
  sha256: '300bc45095e810c5d915cefacdd6ea9ef786fe566aa4e221bf0449b4e0e95076',
};

const INDEX_URL = 'https://pypi.org/simple/botocore/';
const OUT_DIR = join(root, 'runtime/aws/models/botocore');
const CACHE_DIR = join(root, 'node_modules/.cache/botocore');
const check = process.argv.includes('--check');

/** Keys the runtime never reads, at any depth. `deprecated` (a flag routing uses) stays. */
const DROPPED = new Set(['documentation', 'documentationUrl', 'examples', 'deprecatedMessage', 'deprecatedSince', 'box']);

function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The wheel's bytes: from the cache, else downloaded from PyPI; always hash-checked. */
async function wheelBytes() {
  const cached = join(CACHE_DIR, BOTOCORE.wheel);
  if (existsSync(cached)) {
    const bytes = readFileSync(cached);
    if (sha256(bytes) === BOTOCORE.sha256) return bytes;
    rmSync(cached);
  }
  const index = await fetch(INDEX_URL, { headers: { accept: 'text/html' } });
  if (!index.ok) throw new Error(`${INDEX_URL}: HTTP ${index.status}`);
  const html = await index.text();
  const href = new RegExp(`href="([^"#]*/${BOTOCORE.wheel.replace(/[.+]/g, '\\$&')})#sha256=([0-9a-f]{64})"`).exec(html);
  if (!href) throw new Error(`${BOTOCORE.wheel} is not listed at ${INDEX_URL}`);
  if (href[2] !== BOTOCORE.sha256) throw new Error(`PyPI lists ${BOTOCORE.wheel} with sha256 ${href[2]}, pinned ${BOTOCORE.sha256}`);
  const response = await fetch(new URL(href[1], INDEX_URL));
  if (!response.ok) throw new Error(`${href[1]}: HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  if (sha256(bytes) !== BOTOCORE.sha256) throw new Error(`${BOTOCORE.wheel}: sha256 ${sha256(bytes)}, pinned ${BOTOCORE.sha256}`);
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(cached, bytes);
  return bytes;
}

/** Objects whose keys are names (of shapes, operations, members), not traits. */
const NAMED = new Set(['shapes', 'operations', 'members']);

function strip(value, names = false) {
  if (Array.isArray(value)) return value.map((v) => strip(v));
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    // a member may be called `examples` or `documentation`: only traits go
    if (names) out[k] = strip(v);
    else if (!DROPPED.has(k)) out[k] = strip(v, NAMED.has(k));
  }
  return out;
}

/** Per service, the newest API version's service-2.json (gzipped or not) from the wheel. */
function serviceModels(files) {
  const newest = new Map();
  for (const path of Object.keys(files)) {
    const m = /^botocore\/data\/([^/]+)\/(\d{4}-\d{2}-\d{2})\/service-2\.json(\.gz)?$/.exec(path);
    if (!m) continue;
    const [, service, version] = m;
    const prev = newest.get(service);
    if (!prev || prev.version < version) newest.set(service, { version, path });
  }
  return [...newest.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, { version, path }]) => {
      const bytes = files[path];
      const raw = JSON.parse(Buffer.from(path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8'));
      return { service, version, model: strip(raw) };
    });
}

const wheel = await wheelBytes();
const files = unzipSync(new Uint8Array(wheel), { filter: (f) => f.name.startsWith('botocore/data/') && /\/service-2\.json(\.gz)?$/.test(f.name) });
const models = serviceModels(files);

const manifest = { generatedBy: 'scripts/generate-models.mjs, do not edit', source: { package: 'botocore', ...BOTOCORE }, services: {} };
let stale = [];
mkdirSync(OUT_DIR, { recursive: true });
const expected = new Set(['MANIFEST.json']);
for (const { service, version, model } of models) {
  const json = JSON.stringify(model);
  const md = model.metadata;
  if (md.apiVersion !== version) throw new Error(`${service}: directory ${version}, metadata apiVersion ${md.apiVersion}`);
  manifest.services[service] = {
    apiVersion: version,
    protocols: md.protocols ?? [md.protocol],
    operations: Object.keys(model.operations).length,
    sha256: sha256(json),
  };
  const file = join(OUT_DIR, `${service}.json.br`);
  expected.add(`${service}.json.br`);
  // unchanged content keeps its bytes (another zlib may compress the same JSON differently)
  const same = existsSync(file) && brotliDecompressSync(readFileSync(file)).toString('utf8') === json;
  if (check) {
    if (!same) stale.push(relative(root, file));
  } else if (!same) {
    writeFileSync(file, brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: json.length } }));
  }
}

// one service per line: a model update reads as a diff of the lines that changed
const lines = Object.entries(manifest.services).map(([name, s]) => `    ${JSON.stringify(name)}: ${JSON.stringify(s)}`);
const manifestText = `{\n  "generatedBy": ${JSON.stringify(manifest.generatedBy)},\n  "source": ${JSON.stringify(manifest.source)},\n  "services": {\n${lines.join(',\n')}\n  }\n}\n`;
const manifestFile = join(OUT_DIR, 'MANIFEST.json');
const extra = readdirSync(OUT_DIR).filter((f) => !expected.has(f));
if (check) {
  if (!existsSync(manifestFile) || readFileSync(manifestFile, 'utf8') !== manifestText) stale.push(relative(root, manifestFile));
  stale = [...stale, ...extra.map((f) => `${relative(root, join(OUT_DIR, f))} (not generated)`)];
  if (stale.length > 0) {
    console.error(`stale models (run npm run generate): ${stale.slice(0, 10).join(', ')}${stale.length > 10 ? `, and ${stale.length - 10} more` : ''}`);
    process.exit(1);
  }
  console.log(`models up to date (${models.length} services, botocore ${BOTOCORE.version})`);
} else {
  for (const f of extra) rmSync(join(OUT_DIR, f));
  writeFileSync(manifestFile, manifestText);
  console.log(`wrote ${models.length} models and MANIFEST.json to ${relative(root, OUT_DIR)} (botocore ${BOTOCORE.version})`);
}
