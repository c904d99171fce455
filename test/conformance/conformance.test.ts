/**
 * Conformance with the real SDKs as the oracle, seeded and reproducible: for operations of
 * several services and protocols, a random valid input is sent by the real
 * @aws-sdk/client-* and must arrive at the provider parsed equal to what was sent; a random
 * valid output returned by the provider must come out of the SDK equal to itself.
 * Providers here echo (the runtime, socket and codecs are real).
 *
 * Every operation the SDK knows is exercised; CONFORMANCE_SEED replays or varies the values,
 * CONFORMANCE_OPS samples fewer operations per service.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import * as cloudwatch from '@aws-sdk/client-cloudwatch';
import * as ec2 from '@aws-sdk/client-ec2';
import * as sqs from '@aws-sdk/client-sqs';
import * as ssm from '@aws-sdk/client-ssm';
import * as sts from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServiceModel } from '../../runtime/aws/models/loader.js';
import { loadConfig } from '../../runtime/config.js';
import { Runtime } from '../../runtime/runtime.js';
import type { Provider } from '../../runtime/services/provider.js';
import type { ProviderRegistry } from '../../runtime/services/registry.js';
import { prng } from '../fuzz/mutations.js';
import { clientConfig } from '../support/runtime.js';
import { normalize, randomValue } from './random-shapes.js';

const SEED = Number(process.env.CONFORMANCE_SEED ?? 1122);
const OPS = Number(process.env.CONFORMANCE_OPS ?? Infinity);

type Module = Record<string, any>;
const SERVICES: Array<{ name: string; module: Module; client: string }> = [
  { name: 'sts', module: sts, client: 'STSClient' },
  { name: 'ssm', module: ssm, client: 'SSMClient' },
  { name: 'sqs', module: sqs, client: 'SQSClient' },
  { name: 'ec2', module: ec2, client: 'EC2Client' },
  { name: 'cloudwatch', module: cloudwatch, client: 'CloudWatchClient' },
];
void CloudWatchClient;

/** Members a client sets on its own (SDK customizations), whatever the caller gave. */
const CLIENT_ADDED: Readonly<Record<string, readonly string[]>> = {
  // the EC2 client presigns cross-region snapshot copies itself
  'ec2.CopySnapshot': ['DestinationRegion', 'PresignedUrl'],
};

/** What the echo providers saw last, and what they answer next. */
const exchange: { input?: unknown; output: Record<string, unknown> } = { output: {} };

function echoProvider(): Provider {
  const operations = new Proxy(
    {},
    {
      get: () => (_ctx: unknown, input: unknown) => {
        exchange.input = input;
        return exchange.output;
      },
    },
  );
  return { operations };
}

let runtime: Runtime;
let endpoint: string;

beforeAll(async () => {
  const registry: ProviderRegistry = Object.fromEntries(SERVICES.map((s) => [s.name, { load: async () => ({ createProvider: echoProvider }) }]));
  const { config } = loadConfig({ GATEWAY_LISTEN: '127.0.0.1:0', INIT_HOOKS_DIR: '/nonexistent' });
  runtime = new Runtime(config, { registry, announce: () => undefined });
  await runtime.start();
  endpoint = `http://127.0.0.1:${runtime.addresses[0]!.port}`;
});
afterAll(async () => {
  await runtime?.stop();
});

/** Deep equality, member by member: a member missing on either side is a difference. */
function diff(expected: unknown, actual: unknown, path = ''): string[] {
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object' && !Array.isArray(expected) && !Array.isArray(actual)) {
    const out: string[] = [];
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const k of keys) {
      if (!(k in (actual as object))) out.push(`${path}.${k}: sent, missing on arrival`);
      else if (!(k in (expected as object))) out.push(`${path}.${k}: arrived, never sent`);
      else out.push(...diff((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], `${path}.${k}`));
    }
    return out;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) return [`${path}: ${expected.length} items sent, ${actual.length} arrived`];
    return expected.flatMap((e, i) => diff(e, actual[i], `${path}[${i}]`));
  }
  return JSON.stringify(expected) === JSON.stringify(actual) ? [] : [`${path}: ${JSON.stringify(expected)?.slice(0, 80)} != ${JSON.stringify(actual)?.slice(0, 80)}`];
}

describe(`conformance with the real SDKs (seed ${SEED})`, () => {
  for (const service of SERVICES) {
    it(`${service.name}: inputs arrive and outputs return exactly`, async () => {
      const model = loadServiceModel(service.name);
      const rnd = prng(SEED ^ service.name.length * 7919);
      const Client = service.module[service.client];
      // md5: the echo returns random SQS digests, which the SDK would reject (SQS semantics, not the codec)
      const client = new Client({ ...clientConfig(endpoint), maxAttempts: 1, disableHostPrefix: true, md5: false });
      const ops = [...model.operations.values()].filter((op) => service.module[`${op.name}Command`]);
      const sample = ops.sort(() => rnd() - 0.5).slice(0, OPS);
      const failures: string[] = [];
      let compared = 0;
      for (const op of sample) {
        const input = op.input ? (randomValue(model, op.input, rnd, { depth: 3, plain: false, root: true }) as Record<string, unknown>) : {};
        exchange.output = op.output ? (randomValue(model, op.output, rnd, { depth: 3, plain: false, root: true }) as Record<string, unknown>) : {};
        exchange.input = undefined;
        let output: Record<string, unknown>;
        try {
          output = await client.send(new service.module[`${op.name}Command`](input));
        } catch (error) {
          failures.push(`${op.name}: ${(error as Error).name}: ${(error as Error).message.slice(0, 160)}`);
          continue;
        }
        const arrived = normalize(exchange.input) as Record<string, unknown>;
        const sent = normalize(input) as Record<string, unknown>;
        for (const added of CLIENT_ADDED[`${service.name}.${op.name}`] ?? []) {
          delete arrived[added];
          delete sent[added];
        }
        const inDiff = diff(sent, arrived);
        const outDiff = diff(normalize(exchange.output), normalize(output));
        if (inDiff.length) failures.push(`${op.name} input ${inDiff.slice(0, 3).join('; ')}`);
        if (outDiff.length) failures.push(`${op.name} output ${outDiff.slice(0, 3).join('; ')}`);
        compared++;
      }
      expect(failures).toEqual([]);
      expect(compared).toBe(sample.length);
    }, 120_000);
  }
});
