/**
 * The files `npm run new-service` writes, as functions of the service's names (see
 * scripts/new-service.mjs and docs/adding-a-service.md). Each is the smallest file that
 * type-checks, passes its tests and shows where the next line goes.
 */

/**
 * @typedef {object} Names
 * @property {string} service     botocore name: folder, SERVICES entry, registry key (`cognito-idp`)
 * @property {string} title       the model's full name (`Amazon Cognito Identity Provider`)
 * @property {string} pascal      identifier stem (`CognitoIdp`): `CognitoIdpState`
 * @property {string} camel       identifier stem (`cognitoIdp`): `cognitoIdpError`
 * @property {string} protocol    the model's protocol
 * @property {string} api         the generated API interface (`CognitoIdpApi`)
 * @property {string} catalog     the generated error catalog constant (`COGNITO_IDP_ERRORS`)
 * @property {string} common      the protocol's common error catalog constant, or '' (rest-xml)
 * @property {string} pkg         the SDK client package (`@aws-sdk/client-cognito-identity-provider`)
 * @property {string} client      the SDK client class (`CognitoIdentityProviderClient`)
 * @property {string} operation   an operation without required input, for the first test
 */

/** @param {Names} n */
export function stateModule(n) {
  return `/**
 * ${n.title}: the state the provider keeps per account and region, as plain data that the
 * runtime can reset, persist and export (runtime/state/store.ts): records keyed by user input
 * are null-prototype \`record()\`s (a name like \`__proto__\` is data), dates are epoch
 * milliseconds or Dates, binary is Uint8Array; no Map, class instance or function.
 */
import type { OperationContext, ProviderContext } from '../provider.js';
import { record } from '../../state/store.js';

/** One resource as stored: the shape the service's resources need. */
export interface StoredResource {
  name: string;
  arn: string;
  /** Epoch milliseconds. */
  created: number;
  /** Tags by key (runtime/aws/tags.ts). */
  tags: Record<string, string>;
}

/** Everything ${n.service} keeps in one account and region. */
export interface ${n.pascal}State {
  /** Resources by name. */
  resources: Record<string, StoredResource>;
}

/** The state of an account and region that has none yet. */
export function newState(): ${n.pascal}State {
  return { resources: record() };
}

/**
 * Declares the state to the runtime (once, in createProvider) and returns what handlers use:
 * \`of(ctx)\` is the caller's account and region, \`changed(ctx, name)\` marks a resource as
 * written or deleted. A change without its mark is lost at restart, and tests (STATE_AUDIT=1)
 * fail the request that made it.
 */
export function declareState(context: ProviderContext) {
  const store = context.state.accountRegion<${n.pascal}State>('resources', newState);
  return {
    store,
    of: (ctx: OperationContext) => store.get(ctx.accountId, ctx.region),
    changed: (ctx: OperationContext, name: string) => store.changed(ctx.accountId, ctx.region, 'resources', name),
  };
}
`;
}

/** @param {Names} n */
export function errorsModule(n) {
  const spread = n.common ? `{ ...${n.common}, ...${n.catalog} }` : n.catalog;
  const imports = n.common ? `errorsOf, ${n.common}` : 'errorsOf';
  return `/** ${n.title}'s errors, by name, with AWS's status and fault (see runtime/aws/error-catalog.ts). */
import { ${imports} } from '../../aws/error-catalog.js';
import { ${n.catalog} } from './errors.generated.js';

/** \`${n.camel}Error('SomeException', 'message')\`: only codes the model declares compile. */
export const ${n.camel}Error = errorsOf(${spread});
`;
}

/** @param {Names} n */
export function providerModule(n, final = true) {
  const apiImport = final ? `import type { ${n.api} } from './api.generated.js';\n` : '';
  const satisfies = final ? ` satisfies Partial<${n.api}>` : '';
  return `/**
 * ${n.title} (\`${n.service}\`, ${n.protocol}).
 *
 * state.ts holds what the service keeps (declared to the runtime, marked when changed);
 * errors.ts its errors (the generated catalog of the model's errors); api.generated.ts the
 * typed input and output of every operation. Input reaches a handler checked against the
 * model (required members, types, lengths, ranges, patterns, enums): handlers check only
 * the business rules. See docs/adding-a-service.md.
 *
 * LIMITATIONS: only the operations in the table below are emulated; every other operation
 * answers 501 InternalFailure naming it (docs/coverage/${n.service}.md lists them).
 */
import type { Provider, ProviderContext } from '../provider.js';
${apiImport}import { declareState } from './state.js';

export function createProvider(context: ProviderContext): Provider {
  const state = declareState(context);
  const operations = {
    // one handler per operation, typed by the model:
    //   CreateThing(ctx, input) { ... state.of(ctx).resources ... state.changed(ctx, name); return { ... }; },
  }${satisfies};
  void state; // the first handler uses it: then this line goes
  return { operations };
}
`;
}

/** @param {Names} n */
export function serviceTest(n) {
  return `/**
 * ${n.service} through ${n.pkg}: a real runtime process, driven by the SDK client over a socket.
 * Each implemented operation gets its tests here (or in test/services/${n.service}/ once this file
 * grows): what succeeds, the error AWS gives for each bad input (code, status and message, as
 * the SDK reports them), and that the runtime keeps serving afterwards.
 */
import { ${n.client}, ${n.operation}Command } from '${n.pkg}';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../support/runtime.js';
import { sdkError } from '../support/sdk-error.js';

let rt: RuntimeProcess;
let client: ${n.client};

beforeAll(async () => {
  rt = await startRuntime();
  // no retries: a 500 (a bug, or the state audit finding a change without its mark) fails the
  // test instead of being retried into a success
  client = new ${n.client}({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

describe('${n.service} through ${n.pkg}', () => {
  it('an operation without a handler answers 501 InternalFailure naming it; the runtime keeps serving', async () => {
    const e = await sdkError(client.send(new ${n.operation}Command({})));
    expect(e).toMatchObject({ name: 'InternalFailure', message: "API action '${n.operation}' for service '${n.service}' is not yet implemented", status: 501 });
    const health = (await (await fetch(\`\${rt.endpoint}/_localstack/health\`)).json()) as { services: Record<string, string> };
    expect(health.services['${n.service}']).toBe('running');
  });
});
`;
}

/** @param {Names} n */
export function persistenceTest(n) {
  return `/**
 * ${n.service}'s state across a restart: two runtime processes, one after the other, with
 * PERSISTENCE=1 and the same LOCALSTACK_VOLUME_DIR. With the first write operation, write in
 * the first runtime and read the same answer back from the second (every resource the
 * service keeps, with a name such as \`__proto__\` among them).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startRuntime } from '../support/runtime.js';

const volume = mkdtempSync(join(tmpdir(), 'ls-${n.service}-persistence-'));
afterAll(() => rmSync(volume, { recursive: true, force: true }));

const env = { PERSISTENCE: '1', SERVICES: '${n.service}', EAGER_SERVICE_LOADING: '1' };

async function services(endpoint: string): Promise<Record<string, string>> {
  return ((await (await fetch(\`\${endpoint}/_localstack/health\`)).json()) as { services: Record<string, string> }).services;
}

describe('${n.service} with PERSISTENCE=1', () => {
  it('starts again over the volume of a stopped runtime and loads what it saved', async () => {
    const first = await startRuntime({ env, volume });
    expect((await services(first.endpoint))['${n.service}']).toBe('running');
    expect(await first.stop()).toBe(0);

    const second = await startRuntime({ env, volume });
    try {
      expect((await services(second.endpoint))['${n.service}']).toBe('running');
      // saved state it cannot read is a warning or an error of the state system, never silence
      expect(second.stderr()).not.toMatch(/ (WARN|ERROR) +--- \\[state\\] /);
    } finally {
      await second.stop();
    }
  });
});
`;
}

/**
 * The first wire-level test (test/support/wire.ts): the whole answer of an operation without a
 * handler, as the protocol writes it, so that each operation implemented next gets its whole
 * answer asserted beside it. `n.wire` is the request and the expected answer, worked out from
 * the model by new-service.mjs; undefined for the protocols the helper has no request builder
 * for yet (rest-xml, smithy-rpc-v2-cbor).
 * @param {Names & { wire: { imports: string[], request: string, expectations: string[] } }} n
 */
export function wireTest(n) {
  return `/**
 * ${n.service} at the level of the wire: status, headers and the WHOLE document of each answer
 * (test/support/wire.ts), as AWS documents it. SDKs are lenient (they skip members they do not
 * know and default the ones missing); snapshot tests and Terraform providers are not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../support/runtime.js';
import { ${n.wire.imports.join(', ')} } from '../support/wire.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(async () => {
  await rt?.stop();
});

const NOT_IMPLEMENTED = "API action '${n.operation}' for service '${n.service}' is not yet implemented";

describe('${n.service} on the wire', () => {
  it('an operation without a handler: 501 InternalFailure, the whole error document', async () => {
${n.wire.expectations.map((e) => `    ${e}`).join('\n')}
    expect((await fetch(\`\${rt.endpoint}/_localstack/health\`)).status).toBe(200);
  });
});
`;
}
