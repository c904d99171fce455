/**
 * Conformance with the real AWS CLI as the oracle, seeded: for a sample of operations per
 * protocol, a random valid input (from our model, made to fit botocore's, see botocore.ts)
 * is passed with `--cli-input-json` and must arrive at the echo provider parsed equal to what
 * was given; a random valid output must come out of `--output json` equal to itself.
 *
 * Protocols: query for SQS and CloudWatch, json 1.0 for SQS and DynamoDB, rest-xml for S3
 * (s3api). The CLI from PyPI speaks json to SQS and CloudWatch; through AWS_DATA_PATH it is
 * given other models, as older CLIs have: botocore's own CloudWatch model with query as its
 * one protocol (it lists json, query and smithy-rpc-v2-cbor), and SQS's last query model
 * (fixtures/; the current json one has lost the query names).
 *
 * How values travel, for CLI v1 and v2 alike:
 * - blobs: `--cli-input-json` takes a string for a blob literally (its bytes are the blob),
 *   so a blob is given as ASCII text (the base64 of the random bytes) and must arrive as
 *   those bytes; CLI v2 is told the same with `cli_binary_format = raw-in-base64-out`.
 *   Blobs in answers print as base64, which is what the comparison uses.
 * - timestamps: given as ISO 8601 strings; printed per `cli_timestamp_format = iso8601`.
 * - pagination is off (`--no-paginate`): the CLI would otherwise fetch every page and drop
 *   the tokens from what it prints.
 * Operations with a streaming payload are left out: the CLI reads and writes those as files.
 *
 * Each call starts a Python process (about a second), so the sample is small:
 * CONFORMANCE_CLI_OPS operations per protocol (default 6); CONFORMANCE_SEED as elsewhere.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServiceModel } from '../../runtime/aws/models/loader.js';
import type { ServiceModel, Shape } from '../../runtime/aws/models/service-model.js';
import type { Runtime } from '../../runtime/runtime.js';
import { prng } from '../../bench/fuzz/mutations.js';
import { aws } from '../support/aws-cli.js';
import { Boto3, compareCase, LEFT_OUT, SQS_QUERY_MODEL, makeCase, Unshared, type BotoModel, type Case } from './botocore.js';
import { exchange, spokenProtocol, startEchoRuntime } from './echo.js';

const SEED = Number(process.env.CONFORMANCE_SEED ?? 1122);
const OPS = Number(process.env.CONFORMANCE_CLI_OPS ?? 6);

/** `force`: the CLI is given botocore's model speaking that protocol alone (or `model`, a file). */
const TARGETS: Array<{ name: string; cli: string; protocol: string; force?: boolean; model?: string }> = [
  { name: 'sqs', cli: 'sqs', protocol: 'json' },
  { name: 'sqs', cli: 'sqs', protocol: 'query', force: true, model: SQS_QUERY_MODEL },
  { name: 'cloudwatch', cli: 'cloudwatch', protocol: 'query', force: true },
  { name: 's3', cli: 's3api', protocol: 'rest-xml' },
  { name: 'dynamodb', cli: 'dynamodb', protocol: 'json' },
];

let runtime: Runtime;
let endpoint: string;
let scratch: string;
// what the CLI can carry is what its own botocore knows
const boto3 = new Boto3({ botocore: 'awscli' });

beforeAll(async () => {
  ({ runtime, endpoint } = await startEchoRuntime([...new Set(TARGETS.map((t) => t.name))]));
  await boto3.ready;
  scratch = mkdtempSync(join(tmpdir(), 'cli-conformance-'));
  writeFileSync(join(scratch, 'config'), '[default]\ncli_timestamp_format = iso8601\ncli_binary_format = raw-in-base64-out\n');
  for (const [i, t] of TARGETS.entries()) if (t.force) await boto3.exportModel(t.name, t.protocol, join(scratch, `models-${i}`), t.model);
});
afterAll(async () => {
  await boto3.stop();
  await runtime?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/**
 * A case's input as the CLI is given it (blobs as ASCII text, timestamps as ISO strings),
 * and the input that must arrive (blobs: the bytes of that text).
 */
function forCli(value: unknown): { given: unknown; arrives: unknown } {
  if (value instanceof Uint8Array) {
    const text = Buffer.from(value).toString('base64');
    return { given: text, arrives: Buffer.from(text) };
  }
  if (value instanceof Date) return { given: value.toISOString(), arrives: value };
  if (Array.isArray(value)) {
    const parts = value.map(forCli);
    return { given: parts.map((p) => p.given), arrives: parts.map((p) => p.arrives) };
  }
  if (value && typeof value === 'object') {
    const parts = Object.entries(value).map(([k, v]) => [k, forCli(v)] as const);
    return { given: Object.fromEntries(parts.map(([k, p]) => [k, p.given])), arrives: Object.fromEntries(parts.map(([k, p]) => [k, p.arrives])) };
  }
  return { given: value, arrives: value };
}

/** What the CLI printed, with its timestamps (ISO 8601 with an offset) as `normalize` writes them. */
function revive(model: ServiceModel, shape: Shape, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (shape.type) {
    case 'timestamp':
      return typeof value === 'string' ? new Date(value).toISOString() : value;
    case 'structure': {
      if (shape.document || typeof value !== 'object') return value;
      const members = new Map(model.members(shape));
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, members.has(k) ? revive(model, members.get(k)!, v) : v]));
    }
    case 'list': {
      const item = model.resolve(shape.member ?? {});
      return Array.isArray(value) ? value.map((v) => revive(model, item, v)) : value;
    }
    case 'map': {
      const item = model.resolve(shape.value ?? {});
      return typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(model, item, v)])) : value;
    }
    default:
      return value;
  }
}

/** Operations the CLI takes or gives a streaming payload as a file for. */
function streams(boto: BotoModel, op: string): boolean {
  const { input, output } = boto.ops[op]!;
  return [input, output].some((name) => Object.values(boto.shapes[name ?? '']?.members ?? {}).some((m) => m.streaming || m.eventstream));
}

describe(`conformance with the AWS CLI (seed ${SEED})`, () => {
  for (const [i, target] of TARGETS.entries()) {
    it(`${target.name} (${target.protocol}): inputs arrive and outputs return exactly`, async () => {
      const model = loadServiceModel(target.name);
      const rnd = prng(SEED ^ (target.name.length * 104729));
      const ours = [...model.operations.values()].filter((op) => !LEFT_OUT.has(`${target.name}.${op.name}`));
      const boto = await boto3.describe(target.name, ours.map((op) => op.name), target.model);
      const ops = ours.filter((op) => boto.ops[op.name] && !streams(boto, op.name)).sort(() => rnd() - 0.5);
      const env = { AWS_CONFIG_FILE: join(scratch, 'config'), ...(target.force ? { AWS_DATA_PATH: join(scratch, `models-${i}`) } : {}) };
      const failures: string[] = [];
      let compared = 0;
      for (const op of ops) {
        if (compared >= OPS) break;
        let c: Case;
        try {
          c = makeCase(model, op, boto, rnd);
        } catch (error) {
          if (error instanceof Unshared) continue;
          throw error;
        }
        const { given, arrives } = forCli(c.input);
        exchange.output = c.output;
        exchange.streamed = c.streamed;
        exchange.input = undefined;
        exchange.operation = undefined;
        const r = await aws(endpoint, ['--no-paginate', target.cli, boto.ops[op.name]!.cli, '--cli-input-json', JSON.stringify(given)], env);
        compared++;
        if (r.code !== 0) {
          failures.push(`${op.name}: exit ${r.code}: ${r.stderr.trim().slice(0, 300)}`);
          continue;
        }
        if (exchange.operation !== op.name) failures.push(`${op.name}: dispatched to ${exchange.operation}`);
        const spoken = spokenProtocol(exchange.headers);
        if (spoken && spoken !== target.protocol) failures.push(`${op.name}: the CLI spoke ${spoken}`);
        const printed = op.output ? revive(model, op.output, r.json ?? {}) : (r.json ?? {});
        failures.push(...compareCase(c, arrives, exchange.input, printed, op.name));
      }
      expect(failures).toEqual([]);
      expect(compared).toBe(Math.min(OPS, ops.length));
    }, 120_000);
  }
});
