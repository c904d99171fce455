#!/usr/bin/env node
/**
 * Generates runtime/services/<service>/api.generated.ts for every service that has a provider
 * directory: one TypeScript interface per operation input and output, and an `<Service>Api`
 * interface that the provider's operation table is checked against (`satisfies`), so the
 * compiler catches an output member with the wrong name or type.
 *
 * The aws-sdk v2 models inline most shapes and give shared ones synthetic names (`S1c`), so
 * nested types are written inline; shared shapes that refer to themselves become named
 * aliases. Timestamps are `Date`, blobs `Uint8Array`.
 *
 * Usage: node scripts/generate-service-types.mjs [--check]
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sdkDir = dirname(require.resolve('aws-sdk/package.json'));
const sdkVersion = JSON.parse(readFileSync(join(sdkDir, 'package.json'), 'utf8')).version;
const indexText = readFileSync(join(root, 'runtime/aws/models/service-index.generated.ts'), 'utf8');
const index = new Map(
  indexText
    .split('\n')
    .filter((l) => l.trim().startsWith('{"name"'))
    .map((l) => JSON.parse(l.trim().replace(/,$/, '')))
    .map((e) => [e.name, e]),
);
const PATCHES = JSON.parse(readFileSync(join(root, 'runtime/aws/models/patches.json'), 'utf8'));

function mergePatch(target, patch) {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else if (typeof value === 'object' && !Array.isArray(value) && typeof target[key] === 'object' && target[key] !== null && !Array.isArray(target[key])) mergePatch(target[key], value);
    else target[key] = value;
  }
}

function pascal(name) {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

function generate(serviceName) {
  const entry = index.get(serviceName);
  if (!entry) throw new Error(`no model for ${serviceName}`);
  const model = JSON.parse(readFileSync(join(sdkDir, 'apis', `${entry.model}.min.json`), 'utf8'));
  if (PATCHES[serviceName]) mergePatch(model, PATCHES[serviceName].patch);
  const aliases = new Map(); // shared shape id -> alias name, for recursive shapes
  const aliasBodies = [];

  /** Shared shapes that (directly or not) contain themselves. */
  const recursive = new Set();
  const visiting = new Set();
  function scan(ref, stack) {
    const shape = ref.shape ? model.shapes[ref.shape] : ref;
    if (ref.shape) {
      if (stack.includes(ref.shape)) {
        recursive.add(ref.shape);
        return;
      }
      if (visiting.has(ref.shape)) return;
      visiting.add(ref.shape);
      stack = [...stack, ref.shape];
    }
    for (const m of Object.values(shape.members ?? {})) scan(m, stack);
    if (shape.member) scan(shape.member, stack);
    if (shape.value) scan(shape.value, stack);
    if (ref.shape) visiting.delete(ref.shape);
  }
  for (const op of Object.values(model.operations)) {
    if (op.input) scan(op.input, []);
    if (op.output) scan(op.output, []);
  }

  function typeOf(ref, indent) {
    if (ref.shape && recursive.has(ref.shape)) {
      if (!aliases.has(ref.shape)) {
        const name = `Shape${ref.shape}`;
        aliases.set(ref.shape, name);
        aliasBodies.push(`export type ${name} = ${render(model.shapes[ref.shape], '')};`);
      }
      return aliases.get(ref.shape);
    }
    return render(ref.shape ? { ...model.shapes[ref.shape], ...ref, shape: undefined } : ref, indent);
  }

  function render(shape, indent) {
    const type = shape.type ?? (shape.members ? 'structure' : 'string');
    switch (type) {
      case 'structure': {
        if (shape.document) return 'unknown';
        const required = new Set(shape.required ?? []);
        const lines = Object.entries(shape.members ?? {}).map(
          ([name, m]) => `${indent}  ${/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name)}${required.has(name) ? '' : '?'}: ${typeOf(m, `${indent}  `)};`,
        );
        return lines.length ? `{\n${lines.join('\n')}\n${indent}}` : 'Record<string, never>';
      }
      case 'list':
        return `Array<${typeOf(shape.member ?? {}, indent)}>`;
      case 'map':
        return `Record<string, ${typeOf(shape.value ?? {}, indent)}>`;
      case 'boolean':
        return 'boolean';
      case 'integer':
      case 'long':
      case 'float':
      case 'double':
      case 'short':
      case 'byte':
      case 'bigdecimal':
      case 'biginteger':
        return 'number';
      case 'timestamp':
        return 'Date';
      case 'blob':
        return shape.streaming ? 'Uint8Array | NodeJS.ReadableStream' : 'Uint8Array';
      default:
        return 'string';
    }
  }

  const api = pascal(serviceName);
  const parts = [];
  const methods = [];
  for (const [opName, op] of Object.entries(model.operations).sort(([a], [b]) => a.localeCompare(b))) {
    const input = op.input ? typeOf(op.input, '') : 'Record<string, never>';
    const output = op.output ? typeOf(op.output, '') : 'Record<string, never>';
    parts.push(`export type ${opName}Input = ${input};\n\nexport type ${opName}Output = ${output};`);
    methods.push(`  ${opName}(context: OperationContext, input: ${opName}Input): ${opName}Output | Promise<${opName}Output>;`);
  }
  return `// generated by scripts/generate-service-types.mjs from aws-sdk@${sdkVersion} (${entry.model}), do not edit
import type { OperationContext } from '../provider.js';

${aliasBodies.join('\n\n')}${aliasBodies.length ? '\n\n' : ''}${parts.join('\n\n')}

/** Every operation of ${serviceName}; a provider implements a subset (missing ones answer 501). */
export interface ${api}Api {
${methods.join('\n')}
}
`;
}

const servicesDir = join(root, 'runtime/services');
let stale = false;
for (const name of readdirSync(servicesDir).sort()) {
  if (!existsSync(join(servicesDir, name, 'provider.ts'))) continue;
  const file = join(servicesDir, name, 'api.generated.ts');
  const text = generate(name);
  if (process.argv.includes('--check')) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (current !== text) {
      console.error(`runtime/services/${name}/api.generated.ts is stale: run npm run generate`);
      stale = true;
    }
  } else {
    writeFileSync(file, text);
    console.log(`wrote runtime/services/${name}/api.generated.ts`);
  }
}
if (stale) process.exit(1);
