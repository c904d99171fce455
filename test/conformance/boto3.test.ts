/**
 * Conformance with boto3 as the oracle, seeded and reproducible, as conformance.test.ts does
 * with the JavaScript SDK: a random valid input (from our model, made to fit botocore's, see
 * botocore.ts) is sent by a real boto3 client and must arrive at the provider parsed equal to
 * what was sent; a random valid output returned by the provider must come out of boto3 equal
 * to itself. One protocol or more per service, as boto3 speaks them: query (sts), ec2, json
 * 1.0 (dynamodb, sqs with awsQueryCompatible), json 1.1 (ssm, kms, logs), rest-json (lambda,
 * apigateway), rest-xml (s3, route53), CloudWatch in its three protocols (boto3 picks json;
 * the driver makes it speak query and smithy-rpc-v2-cbor as well), and SQS in query as well,
 * as boto3 spoke it before SQS's model became json (with that model, fixtures/).
 *
 * Every operation both models know is exercised (about 1,500 calls, some 15 s); as in
 * conformance.test.ts, CONFORMANCE_SEED replays or varies the values and CONFORMANCE_OPS
 * samples fewer operations per service and protocol. CONFORMANCE_VERBOSE=1 prints, per
 * service, what was compared and what the two models could not share.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServiceModel } from '../../runtime/aws/models/loader.js';
import { errorsOf, type ErrorCatalog } from '../../runtime/aws/error-catalog.js';
import type { Runtime } from '../../runtime/runtime.js';
import { SSM_ERRORS } from '../../runtime/services/ssm/errors.generated.js';
import { STS_ERRORS } from '../../runtime/services/sts/errors.generated.js';
import { prng } from '../../bench/fuzz/mutations.js';
import { Boto3, compareCase, SQS_QUERY_MODEL, fromTagged, LEFT_OUT, makeCase, Unshared, type BotoModel, type Case } from './botocore.js';
import { exchange, spokenProtocol, startEchoRuntime } from './echo.js';

const SEED = Number(process.env.CONFORMANCE_SEED ?? 1122);
const OPS = Number(process.env.CONFORMANCE_OPS ?? Infinity);

/** Services and the protocol boto3 is made to speak (undefined: the one it picks). */
const TARGETS: Array<{ name: string; protocol?: string; model?: string; label?: string }> = [
  { name: 'sts' },
  { name: 'sqs' },
  // what boto3 before the json switch (1.28 and older) sends
  { name: 'sqs', protocol: 'query', model: SQS_QUERY_MODEL, label: 'sqs (query, its last query model)' },
  { name: 'cloudwatch' },
  { name: 'cloudwatch', protocol: 'query' },
  { name: 'cloudwatch', protocol: 'smithy-rpc-v2-cbor' },
  { name: 'ec2' },
  { name: 'dynamodb' },
  { name: 'ssm' },
  { name: 'kms' },
  { name: 'logs' },
  { name: 'lambda' },
  { name: 'apigateway' },
  { name: 's3' },
  { name: 'route53' },
];


let runtime: Runtime;
let endpoint: string;
const boto3 = new Boto3();

beforeAll(async () => {
  ({ runtime, endpoint } = await startEchoRuntime([...new Set(TARGETS.map((t) => t.name))]));
  await boto3.ready;
});
afterAll(async () => {
  await boto3.stop();
  await runtime?.stop();
});

describe(`conformance with boto3 (seed ${SEED})`, () => {
  for (const target of TARGETS) {
    it(`${target.label ?? `${target.name}${target.protocol ? ` (${target.protocol})` : ''}`}: inputs arrive and outputs return exactly`, async () => {
      const model = loadServiceModel(target.name);
      const rnd = prng(SEED ^ (target.name.length * 7919 + (target.protocol?.length ?? 0)));
      const ours = [...model.operations.values()].filter((op) => !LEFT_OUT.has(`${target.name}.${op.name}`));
      const boto: BotoModel = await boto3.describe(target.name, ours.map((op) => op.name), target.model);
      const ops = ours.filter((op) => boto.ops[op.name]).sort(() => rnd() - 0.5).slice(0, OPS);
      const failures: string[] = [];
      const skipped: string[] = [];
      const pruned: string[] = [];
      let compared = 0;
      for (const op of ops) {
        let c: Case;
        try {
          c = makeCase(model, op, boto, rnd);
        } catch (error) {
          if (!(error instanceof Unshared)) throw error;
          skipped.push(`${op.name}: ${error.message}`);
          continue;
        }
        pruned.push(...c.notes.map((n) => `${op.name}${n}`));
        exchange.output = c.output;
        exchange.streamed = c.streamed;
        exchange.input = undefined;
        exchange.operation = undefined;
        const answer = await boto3.call(endpoint, target.name, target.protocol, op.name, c.input, target.model);
        if (!answer.ok) {
          failures.push(`${op.name}: ${answer.error ? `${answer.error.class} ${answer.error.code} (${answer.error.status}): ${answer.error.message}` : answer.fatal}`.slice(0, 400));
          continue;
        }
        if (exchange.operation !== op.name) failures.push(`${op.name}: dispatched to ${exchange.operation}`);
        const spoken = spokenProtocol(exchange.headers);
        if (spoken && spoken !== (target.protocol ?? boto.protocol).replace('ec2', 'query')) failures.push(`${op.name}: boto3 spoke ${spoken}`);
        failures.push(...compareCase(c, c.input, exchange.input, fromTagged(answer.output), op.name));
        compared++;
      }
      if (process.env.CONFORMANCE_VERBOSE) console.log(`${target.name}: ${compared} compared; skipped ${JSON.stringify(skipped)}; missing in botocore ${JSON.stringify(boto.missing)}; left out ${JSON.stringify(pruned)}`);
      expect(failures).toEqual([]);
      expect(compared + skipped.length).toBe(ops.length);
      // the models share most operations, or the run says little
      expect(compared).toBeGreaterThanOrEqual(Math.min(ops.length, 1) + skipped.length);
    }, 120_000);
  }
});

describe('modelled errors reach boto3 with their codes and statuses', () => {
  const catalogs: Array<{ name: string; errors: ErrorCatalog; op: string; input?: object }> = [
    { name: 'sts', errors: STS_ERRORS, op: 'GetCallerIdentity' },
    { name: 'ssm', errors: SSM_ERRORS, op: 'GetParameter', input: { Name: 'x' } },
  ];
  for (const c of catalogs) {
    it(`${c.name}: every error of the catalog`, async () => {
      const raise = errorsOf(c.errors);
      const modelled = new Set((await boto3.describe(c.name, [c.op])).errors);
      const failures: string[] = [];
      for (const [name, entry] of Object.entries(c.errors)) {
        exchange.throw = raise(name, `message of ${name}`);
        const answer = await boto3.call(endpoint, c.name, undefined, c.op, c.input ?? {});
        if (answer.ok || !answer.error) {
          failures.push(`${name}: ${answer.ok ? 'succeeded' : answer.fatal}`);
          continue;
        }
        const e = answer.error;
        if (e.code !== (entry.queryCode ?? entry.code)) failures.push(`${name}: code ${e.code}, expected ${entry.queryCode ?? entry.code}`);
        if (e.status !== entry.status) failures.push(`${name}: status ${e.status}, expected ${entry.status}`);
        if (e.message !== `message of ${name}`) failures.push(`${name}: message ${e.message}`);
        // botocore raises a modelled error as the class named after its shape
        // (an error newer than botocore's model is a plain ClientError)
        if (e.class !== (modelled.has(name) ? name : 'ClientError')) failures.push(`${name}: raised as ${e.class}`);
      }
      exchange.throw = undefined;
      expect(failures).toEqual([]);
    });
  }
});
