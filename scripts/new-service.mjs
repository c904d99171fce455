#!/usr/bin/env node
/**
 * Scaffolds a service provider: `npm run new-service -- NAME [--operation OP] [--no-install]`.
 * NAME is the botocore service name (what SERVICES takes: `sqs`, `secretsmanager`,
 * `cognito-idp`); docs/adding-a-service.md says what to do with the result.
 *
 *   1. refuses a NAME the models do not describe (runtime/aws/models/service-index.generated.ts)
 *      and one that has a provider already
 *   2. makes sure its SDK client (@aws-sdk/client-*) is a dev dependency: `npm install -D`, or
 *      with --no-install prints the command and stops
 *   3. writes runtime/services/NAME/ state.ts and provider.ts, registers the provider in
 *      runtime/services/registry.ts
 *   4. runs the generators (`npm run generate`): api.generated.ts and errors.generated.ts
 *   5. adds the API to runtime/services/apis.ts (the in-process client's types), writes
 *      errors.ts over the generated catalog and types the operation table by the API
 *   6. writes test/services/NAME.test.ts (the SDK client against a runtime process) and
 *      test/services/NAME-persistence.test.ts (two runtimes over one volume, PERSISTENCE=1)
 *   7. rebuilds and regenerates the coverage pages (`npm run coverage`)
 * A failure before step 7 removes what it wrote (an installed package stays). The first test
 * calls an operation without required input (--operation picks another): the shortest List,
 * Describe or Get.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { errorsModule, persistenceTest, providerModule, serviceTest, stateModule, wireTest } from './new-service-templates.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function usage(message) {
  console.error(`${message}\nusage: npm run new-service -- NAME [--operation OPERATION] [--no-install]`);
  process.exit(2);
}

function parseArgs(argv) {
  const out = { name: undefined, operation: undefined, install: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--no-install') out.install = false;
    else if (arg === '--operation') out.operation = argv[++i] ?? usage('--operation needs an operation name');
    else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else if (out.name === undefined) out.name = arg;
    else usage(`one service at a time (got ${out.name} and ${arg})`);
  }
  if (!out.name) usage('which service?');
  return out;
}

const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
const words = (text) => text.split(/[^A-Za-z0-9]+/).filter(Boolean);
const upperFirst = (w) => w[0].toUpperCase() + w.slice(1);

/** The runtime's own view of the models: the service index and the lazy model loader (built). */
async function models() {
  run(process.execPath, ['scripts/build.mjs']);
  const dist = (p) => pathToFileURL(join(root, 'dist', 'runtime', p)).href;
  const { SERVICE_INDEX } = await import(dist('aws/models/service-index.generated.js'));
  const { loadServiceModel } = await import(dist('aws/models/loader.js'));
  return { index: new Map(SERVICE_INDEX.map((e) => [e.name, e])), loadServiceModel };
}

/** The SDK v3 client of a model: the package is named after its serviceId, the class too. */
function sdkClient(model) {
  const id = model.metadata.serviceId ?? model.metadata.serviceAbbreviation ?? model.name;
  return { pkg: `@aws-sdk/client-${words(id).join('-').toLowerCase()}`, client: `${words(id).map(upperFirst).join('')}Client` };
}

/**
 * The first wire-level test's request and expected answer for `operation` (no handler: 501
 * InternalFailure), in the protocol's own form; undefined where test/support/wire.ts has no
 * request builder yet (rest-xml, smithy-rpc-v2-cbor).
 */
function wireCase(model, protocol, operation) {
  const md = model.metadata;
  const signing = md.signingName ?? md.endpointPrefix;
  const requestId = "'x-amzn-requestid': /^[0-9a-f-]{36}$/";
  if (protocol === 'query') {
    const ns = md.xmlNamespace ?? `https://${md.endpointPrefix}.amazonaws.com/doc/${md.apiVersion}/`;
    const xml = `<ErrorResponse xmlns="${ns}"><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>\${NOT_IMPLEMENTED}</Message></Error><RequestId>{{uuid}}</RequestId></ErrorResponse>`;
    return {
      imports: ['expectAnswer', 'query'],
      expectations: [
        `await expectAnswer(rt.endpoint, query('${signing}', '${operation}', '${md.apiVersion}'), { status: 501, headers: { 'content-type': /^text\\/xml/, ${requestId} }, xml: \`${xml}\` });`,
        '// query services answer JSON when asked (Accept: application/json), as AWS does',
        `await expectAnswer(rt.endpoint, query('${signing}', '${operation}', '${md.apiVersion}', {}, { json: true }), { status: 501, headers: { 'content-type': 'application/json' }, json: { Error: { Code: 'InternalFailure', Message: NOT_IMPLEMENTED, Type: 'Receiver' }, RequestId: expect.any(String) } });`,
      ],
    };
  }
  if (protocol === 'json') {
    return {
      imports: ['expectAnswer', 'jsonRpc'],
      expectations: [
        `await expectAnswer(rt.endpoint, jsonRpc('${signing}', '${md.targetPrefix}.${operation}', {}, { version: '${md.jsonVersion ?? '1.0'}' }), { status: 501, headers: { 'content-type': 'application/x-amz-json-${md.jsonVersion ?? '1.0'}', ${requestId} }, json: { __type: 'InternalFailure', message: NOT_IMPLEMENTED } });`,
      ],
    };
  }
  if (protocol === 'rest-json') {
    const http = model.operations.get(operation).raw.http;
    const path = http.requestUri.replace(/\{[^}]+\}/g, 'x');
    return {
      imports: ['authorization', 'expectAnswer'],
      expectations: [
        `await expectAnswer(rt.endpoint, { method: '${http.method}', path: '${path}', headers: { authorization: authorization('${signing}') } }, { status: 501, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalFailure', ${requestId} }, json: { __type: 'InternalFailure', message: NOT_IMPLEMENTED } });`,
      ],
    };
  }
  return undefined;
}

/** An operation the first test can call with `{}`: a List/Describe/Get without required input. */
function firstOperation(model, requested) {
  if (requested) {
    if (!model.operations.has(requested)) usage(`${model.name} has no operation ${requested}`);
    return requested;
  }
  // the shortest name reads best in a first test: ListQueues rather than ListDeadLetterSourceQueues
  const free = [...model.operations.values()]
    .filter((op) => (op.input?.required ?? []).length === 0 && !op.raw.deprecated)
    .map((op) => op.name)
    .sort((a, b) => a.length - b.length || a.localeCompare(b));
  for (const prefix of ['List', 'Describe', 'Get', '']) {
    const found = free.find((name) => name.startsWith(prefix));
    if (found) return found;
  }
  return usage(`every operation of ${model.name} has required input: name one for the first test with --operation`);
}

function installed(pkg) {
  try {
    createRequire(join(root, 'package.json')).resolve(`${pkg}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/** Adds the registry entry to PROVIDERS, in alphabetical order among the others. */
function register(registry, service) {
  const lines = readFileSync(registry, 'utf8').split('\n');
  const start = lines.findIndex((line) => line.startsWith('export const PROVIDERS'));
  const end = start === -1 ? -1 : lines.findIndex((line, i) => i > start && line.startsWith('}'));
  if (end === -1) throw new Error(`cannot find PROVIDERS in ${relative(root, registry)}: add the entry by hand`);
  const keyOf = (line) => /^\s+'?([a-z0-9-]+)'?:\s*\{\s*load:/.exec(line)?.[1];
  let at = end;
  for (let i = start + 1; i < end; i++) {
    const key = keyOf(lines[i]);
    if (key !== undefined && key > service) {
      at = i;
      break;
    }
  }
  const key = /^[a-z_$][\w$]*$/i.test(service) ? service : `'${service}'`;
  lines.splice(at, 0, `  ${key}: { load: () => import('./${service}/provider.js') },`);
  writeFileSync(registry, lines.join('\n'));
}

/**
 * Adds the service's API to runtime/services/apis.ts (what the in-process client is typed by):
 * its import and its member of ServiceApis, each in alphabetical order.
 */
function registerApi(apis, service, api) {
  const lines = readFileSync(apis, 'utf8').split('\n');
  /** Inserts `line` before the first entry (lines from..to whose keyOf is defined) sorting after `service`. */
  const insertSorted = (from, to, keyOf, line) => {
    const entries = [];
    for (let i = from; i < to; i++) if (keyOf(lines[i]) !== undefined) entries.push([i, keyOf(lines[i])]);
    if (entries.length === 0) throw new Error(`cannot find where to add ${service} in ${relative(root, apis)}: add it by hand`);
    const after = entries.find(([, key]) => key > service);
    lines.splice(after ? after[0] : entries.at(-1)[0] + 1, 0, line);
  };
  const imported = (l) => /^import type \{ \w+ \} from '\.\/([a-z0-9-]+)\/api\.generated\.js';$/.exec(l)?.[1];
  insertSorted(0, lines.length, imported, `import type { ${api} } from './${service}/api.generated.js';`);
  const start = lines.findIndex((l) => l.startsWith('export interface ServiceApis'));
  const end = lines.findIndex((l, i) => i > start && l.startsWith('}'));
  if (start === -1 || end === -1) throw new Error(`cannot find ServiceApis in ${relative(root, apis)}: add ${service} by hand`);
  const key = /^[a-z_$][\w$]*$/i.test(service) ? service : `'${service}'`;
  insertSorted(start + 1, end, (l) => /^\s+'?([a-z0-9-]+)'?: \w+;$/.exec(l)?.[1], `  ${key}: ${api};`);
  writeFileSync(apis, lines.join('\n'));
}

/** The name a generated file exports matching `pattern` (the generators decide the names). */
function exported(file, pattern) {
  const m = pattern.exec(readFileSync(file, 'utf8'));
  if (!m) throw new Error(`${relative(root, file)} does not export what the scaffold expects (${pattern})`);
  return m[1];
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const service = args.name;
  const dir = join(root, 'runtime', 'services', service);
  const registry = join(root, 'runtime', 'services', 'registry.ts');
  const { index, loadServiceModel } = await models();
  if (!index.has(service)) {
    const close = [...index.keys()].filter((n) => n.includes(service) || service.includes(n)).slice(0, 5);
    usage(`${service} is not a service of the bundled models${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}; names are botocore's, as in SERVICES`);
  }
  const { PROVIDERS } = await import(pathToFileURL(join(root, 'dist', 'runtime', 'services', 'registry.js')).href);
  if (existsSync(dir) || PROVIDERS[service]) usage(`${service} has a provider already (runtime/services/${service})`);

  const entry = index.get(service);
  const model = loadServiceModel(service);
  const { pkg, client } = sdkClient(model);
  const operation = firstOperation(model, args.operation);
  if (!installed(pkg)) {
    if (!args.install) usage(`the tests drive ${service} with ${pkg}, which is not installed: npm install -D ${pkg}`);
    console.log(`installing ${pkg} (dev dependency)`);
    run(npm, ['install', '-D', '--no-audit', '--no-fund', pkg]);
  }

  const stem = words(service);
  const names = {
    service,
    title: model.metadata.serviceFullName ?? service,
    pascal: stem.map(upperFirst).join(''),
    camel: stem[0].toLowerCase() + stem.slice(1).map(upperFirst).join(''),
    protocol: entry.protocol,
    common: { json: 'JSON_COMMON_ERRORS', 'rest-json': 'JSON_COMMON_ERRORS', 'smithy-rpc-v2-cbor': 'JSON_COMMON_ERRORS', query: 'QUERY_COMMON_ERRORS', ec2: 'QUERY_COMMON_ERRORS' }[entry.protocol] ?? '',
    pkg,
    client,
    operation,
    wire: wireCase(model, entry.protocol, operation),
  };
  const tests = [join(root, 'test', 'services', `${service}.test.ts`), join(root, 'test', 'services', `${service}-persistence.test.ts`), join(root, 'test', 'services', `${service}.wire.test.ts`)];
  const registryBefore = readFileSync(registry, 'utf8');
  // the in-process client's typed APIs (runtime/services/apis.ts), where the runtime has them
  const apis = join(root, 'runtime', 'services', 'apis.ts');
  const apisBefore = existsSync(apis) ? readFileSync(apis, 'utf8') : undefined;
  const write = (file, text) => {
    writeFileSync(file, text);
    console.log(`wrote ${relative(root, file)}`);
  };
  try {
    mkdirSync(dir);
    write(join(dir, 'state.ts'), stateModule(names));
    // a provider.ts first: the generators work on every folder that has one
    write(join(dir, 'provider.ts'), providerModule(names, false));
    register(registry, service);
    console.log(`registered ${service} in ${relative(root, registry)}`);
    run(npm, ['run', '--silent', 'generate']);
    names.api = exported(join(dir, 'api.generated.ts'), /export interface (\w+) \{\n\s+\w+\(context: OperationContext/);
    names.catalog = exported(join(dir, 'errors.generated.ts'), /export const (\w+_ERRORS)\b/);
    if (apisBefore !== undefined) {
      registerApi(apis, service, names.api);
      console.log(`added ${names.api} to ${relative(root, apis)}`);
    }
    write(join(dir, 'errors.ts'), errorsModule(names));
    write(join(dir, 'provider.ts'), providerModule(names, true));
    const files = [[tests[0], serviceTest(names)], [tests[1], persistenceTest(names)]];
    if (names.wire) files.push([tests[2], wireTest(names)]);
    else console.log(`no wire-level test written: test/support/wire.ts has no request builder for ${entry.protocol} yet`);
    for (const [file, text] of files) {
      if (existsSync(file)) throw new Error(`${relative(root, file)} exists already`);
      write(file, text);
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(registry, registryBefore);
    if (apisBefore !== undefined) writeFileSync(apis, apisBefore);
    console.error(`new-service: ${error.message}; removed what it wrote`);
    process.exit(1);
  }
  run(npm, ['run', '--silent', 'coverage']);
  console.log(`
${service} is scaffolded. Next (docs/adding-a-service.md):
  npx vitest run test/services/${service}*
  implement operations in runtime/services/${service}/provider.ts (state in state.ts, errors in errors.ts),
  test each through ${pkg} and, whole answers, on the wire (${service}.wire.test.ts), then npm run coverage, npm run typecheck, npm run lint`);
}

await main();
