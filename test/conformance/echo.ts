/**
 * What the conformance suites share: an in-process runtime whose providers echo (they record
 * the input that arrived and answer a given output), and the comparison of what was sent
 * with what arrived. The runtime, the socket and the protocol codecs are the real ones.
 */
import { Readable } from 'node:stream';
import { loadConfig } from '../../runtime/config.js';
import { Runtime } from '../../runtime/runtime.js';
import type { OperationContext, Provider } from '../../runtime/services/provider.js';
import type { ProviderRegistry } from '../../runtime/services/registry.js';

/** What the echo providers saw last, and what they answer next. */
export const exchange: {
  input?: unknown;
  /** The operation the request was dispatched to, and the request's headers. */
  operation?: string;
  headers?: OperationContext['headers'];
  output: Record<string, unknown>;
  streamed?: string;
  throw?: Error;
} = { output: {} };

export function echoProvider(): Provider {
  const operations = new Proxy(
    {},
    {
      get: () => async (ctx: OperationContext, input: Record<string, unknown>) => {
        // a streaming payload arrives as a stream: what was sent is what it yields
        for (const [name, v] of Object.entries(input)) if (v instanceof Readable) input[name] = Buffer.concat(await v.toArray());
        exchange.input = input;
        exchange.operation = ctx.operation;
        exchange.headers = ctx.headers;
        if (exchange.throw) throw exchange.throw;
        // ... and a streamed output leaves as one, piped to the client
        const streamed = exchange.streamed;
        const v = streamed === undefined ? undefined : exchange.output[streamed];
        if (v === undefined) return exchange.output;
        return { ...exchange.output, [streamed!]: Readable.from([Buffer.from(v as Uint8Array)]) };
      },
    },
  );
  return { operations };
}

/** A runtime on a free loopback port whose providers for `services` echo. */
export async function startEchoRuntime(services: readonly string[]): Promise<{ runtime: Runtime; endpoint: string }> {
  // The echoes opt out of the model's validation: this suite proves the codecs (what a client
  // sends arrives, what a provider answers returns), with random values that fit each member's
  // type but not every pattern or range of AWS's models. Validation has its own proof through
  // the real STS and SSM providers (validation.test.ts).
  const registry: ProviderRegistry = Object.fromEntries(services.map((s) => [s, { load: async () => ({ createProvider: echoProvider }), validation: false }]));
  const { config } = loadConfig({ GATEWAY_LISTEN: '127.0.0.1:0', INIT_HOOKS_DIR: '/nonexistent' });
  const runtime = new Runtime(config, { registry, announce: () => undefined });
  await runtime.start();
  return { runtime, endpoint: `http://127.0.0.1:${runtime.addresses[0]!.port}` };
}

/** Deep equality, member by member: a member missing on either side is a difference. */
export function diff(expected: unknown, actual: unknown, path = ''): string[] {
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object' && !Array.isArray(expected) && !Array.isArray(actual)) {
    const out: string[] = [];
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const k of keys) {
      if (!(k in (actual as object))) out.push(`${path}.${k}: sent, missing on arrival`);
      else if (!(k in (expected as object))) {
        // SDKs hand back an empty map or blob where nothing was sent (S3's Metadata, Lambda's Payload)
        const v = (actual as Record<string, unknown>)[k];
        const empty = v === '' || v === null || (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);
        if (!empty) out.push(`${path}.${k}: arrived, never sent`);
      }
      else out.push(...diff((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], `${path}.${k}`));
    }
    return out;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) return [`${path}: ${expected.length} items sent, ${actual.length} arrived`];
    return expected.flatMap((e, i) => diff(e, actual[i], `${path}[${i}]`));
  }
  if (JSON.stringify(expected) === JSON.stringify(actual)) return [];
  // XML carries numbers as text: a model of another date may type the member as a string
  if ((typeof expected === 'number' && typeof actual === 'string') || (typeof expected === 'string' && typeof actual === 'number')) {
    if (String(expected) === String(actual)) return [];
  }
  return [`${path}: ${JSON.stringify(expected)?.slice(0, 80)} != ${JSON.stringify(actual)?.slice(0, 80)}`];
}

/** The RPC protocol a request spoke, by its headers ('query' for ec2 too; undefined for REST protocols). */
export function spokenProtocol(headers: OperationContext['headers'] | undefined): string | undefined {
  const type = String(headers?.['content-type'] ?? '');
  if (headers?.['smithy-protocol'] === 'rpc-v2-cbor') return 'smithy-rpc-v2-cbor';
  if (type.startsWith('application/x-amz-json-1.0')) return 'json';
  if (type.startsWith('application/x-amz-json-1.1')) return 'json';
  if (type.startsWith('application/x-www-form-urlencoded')) return 'query';
  return undefined;
}
