#!/usr/bin/env node
/**
 * Generates runtime/services/<service>/api.generated.ts for every service that has a provider
 * directory, from the service's botocore model (runtime/aws/models/botocore/, patches.json
 * applied): one interface per structure the operations use, named as the model names it
 * (`AssumeRoleRequest`, `Credentials`), `<Operation>Input` / `<Operation>Output` aliases of
 * each operation's input and output, and an `<Service>Api` interface that the provider's
 * operation table is checked against (`satisfies`), so the compiler catches an output member
 * with the wrong name or type.
 *
 * Scalars are written as TypeScript's (enums stay `string`: providers store what clients
 * send); timestamps are `Date`, blobs `Uint8Array`. A structure whose name would shadow a
 * global type or an alias (S3's `Object` and `Error`, Kinesis's `Record`) gets `Shape` appended.
 *
 * Usage: node scripts/generate-service-types.mjs [--check]
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadIndex, loadManifest, loadModel, root, writeOrCheck } from './lib.mjs';

const index = loadIndex();
const version = loadManifest().source.version;

/** Names a generated type may not take: globals the file uses, and what it imports. */
const RESERVED = new Set(['Array', 'Boolean', 'Buffer', 'Date', 'Error', 'Function', 'Map', 'NodeJS', 'Number', 'Object', 'OperationContext', 'Partial', 'Promise', 'Readonly', 'Record', 'Set', 'String', 'Symbol', 'Uint8Array', 'Required', 'Pick', 'Omit']);

function pascal(name) {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function generate(serviceName) {
  const entry = index.get(serviceName);
  if (!entry) throw new Error(`no model for ${serviceName}`);
  const model = loadModel(serviceName);
  const operations = Object.entries(model.operations).sort(([a], [b]) => a.localeCompare(b));
  const api = `${pascal(serviceName)}Api`;

  // the aliases each operation gets, and which shape (if any) each one stands for
  const aliases = new Map();
  for (const [opName, op] of operations) {
    aliases.set(`${opName}Input`, op.input?.shape);
    aliases.set(`${opName}Output`, op.output?.shape);
  }
  const typeNames = new Map(); // shape name -> TypeScript name
  const typeName = (shape) => {
    let name = typeNames.get(shape);
    if (name) return name;
    name = pascal(shape);
    const alias = aliases.has(name) && aliases.get(name) !== shape;
    if (RESERVED.has(name) || alias || name === api || !IDENTIFIER.test(name)) name = `${name}Shape`;
    typeNames.set(shape, name);
    return name;
  };

  const emitted = new Map(); // TypeScript name -> declaration
  const queue = [];
  const named = (shape) => {
    const name = typeName(shape);
    if (!emitted.has(name)) {
      emitted.set(name, undefined);
      queue.push(shape);
    }
    return name;
  };

  function typeOf(ref, indent) {
    const { shape, ...traits } = ref;
    const target = shape === undefined ? undefined : model.shapes[shape];
    if (shape !== undefined && !target) throw new Error(`${serviceName}: unknown shape ${shape}`);
    // a member-level `type` (a patch retyping a member) makes the member a shape of its own
    if (target && traits.type === undefined && (target.type ?? 'structure') === 'structure' && !target.document) return named(shape);
    return render({ ...target, ...traits }, indent);
  }

  function render(shape, indent) {
    const type = shape.type ?? (shape.members ? 'structure' : 'string');
    switch (type) {
      case 'structure': {
        if (shape.document) return 'unknown';
        const required = new Set(shape.required ?? []);
        const lines = Object.entries(shape.members ?? {}).map(
          ([name, m]) => `${indent}  ${IDENTIFIER.test(name) ? name : JSON.stringify(name)}${required.has(name) ? '' : '?'}: ${typeOf(m, `${indent}  `)};`,
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

  const parts = [];
  const methods = [];
  for (const [opName, op] of operations) {
    const side = (ref, suffix) => {
      const alias = `${opName}${suffix}`;
      if (!ref) return `export type ${alias} = Record<string, never>;`;
      const type = typeOf(ref, '');
      return type === alias ? undefined : `export type ${alias} = ${type};`;
    };
    parts.push([side(op.input, 'Input'), side(op.output, 'Output')].filter(Boolean).join('\n'));
    methods.push(`  ${opName}(context: OperationContext, input: ${opName}Input): ${opName}Output | Promise<${opName}Output>;`);
  }
  while (queue.length > 0) {
    const shape = queue.shift();
    const body = render(model.shapes[shape], '');
    emitted.set(typeName(shape), body.startsWith('{') ? `export interface ${typeName(shape)} ${body}` : `export type ${typeName(shape)} = ${body};`);
  }
  const declarations = [...emitted.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, d]) => d);
  return `// generated by scripts/generate-service-types.mjs from botocore ${version} (${serviceName} ${entry.apiVersion}), do not edit
import type { OperationContext } from '../provider.js';

${declarations.join('\n\n')}

${parts.join('\n\n')}

/** Every operation of ${serviceName}; a provider implements a subset (missing ones answer 501). */
export interface ${api} {
${methods.join('\n')}
}
`;
}

const servicesDir = join(root, 'runtime/services');
let fresh = true;
for (const name of readdirSync(servicesDir).sort()) {
  if (!existsSync(join(servicesDir, name, 'provider.ts'))) continue;
  fresh = writeOrCheck(join(servicesDir, name, 'api.generated.ts'), generate(name)) && fresh;
}
if (!fresh) process.exit(1);
