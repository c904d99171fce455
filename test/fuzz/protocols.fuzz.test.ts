/**
 * A seeded fuzzer over every protocol the gateway speaks: valid requests (query, ec2, json,
 * rest-json, rest-xml, rpc-v2-cbor, an aws-chunked S3 upload) mutated by truncation, bad
 * bytes, invalid UTF-8, huge numbers, wrong types, deep nesting, lying headers and
 * mismatched lengths. Every answer must be a well-formed protocol error or a success (never a
 * 500 with a stack trace), the runtime must stay up, and memory must stay bounded.
 *
 * The cases, the providers and the rules live in bench/fuzz/, shared with
 * `npm run bench:fuzz`, which runs a million of them against a runtime process.
 * FUZZ_SEED and FUZZ_CASES replay or extend a run (CI: a few thousand cases).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judge, send, summarize } from '../../bench/fuzz/answers.js';
import { DEFAULT_SEED, fuzzCases, VALID_REQUESTS } from '../../bench/fuzz/cases.js';
import { FUZZ_PROVIDERS } from '../../bench/fuzz/providers.js';
import { loadConfig } from '../../runtime/config.js';
import { Runtime } from '../../runtime/runtime.js';

const SEED = Number(process.env.FUZZ_SEED ?? DEFAULT_SEED);
const CASES = Number(process.env.FUZZ_CASES ?? 3000);

let runtime: Runtime;
let port: number;

beforeAll(async () => {
  const { config } = loadConfig({ GATEWAY_LISTEN: '127.0.0.1:0', INIT_HOOKS_DIR: '/nonexistent', GATEWAY_MAX_BODY_SIZE: String(256 * 1024) });
  runtime = new Runtime(config, { registry: FUZZ_PROVIDERS, announce: () => undefined });
  await runtime.start();
  port = runtime.addresses[0]!.port;
});
afterAll(async () => {
  await runtime?.stop();
});

describe(`protocol fuzzer (seed ${SEED}, ${CASES} cases)`, () => {
  it('every answer is a well-formed success or 4xx/501 error, and the runtime stays up with bounded memory', async () => {
    const failures: string[] = [];
    const buckets = new Map<string, number>();
    const rssBefore = process.memoryUsage().rss;
    for (const c of fuzzCases(SEED, CASES)) {
      const outcome = await send(port, c.request);
      const verdict = judge(c.request, outcome);
      buckets.set(verdict.bucket, (buckets.get(verdict.bucket) ?? 0) + 1);
      if (verdict.violation) {
        failures.push(`case ${c.index} [${c.mutations.join(',')}] ${verdict.violation}: ${summarize(c.request, outcome)}`);
        if (failures.length >= 10) break;
      }
    }
    expect(failures).toEqual([]);
    // the runtime still serves a valid request
    const ok = await send(port, VALID_REQUESTS[0]!);
    expect(ok.kind === 'answer' && ok.answer.status).toBe(200);
    expect([...buckets.keys()].some((b) => /^[45]\d\d$/.test(b))).toBe(true);
    const grownMiB = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    expect(grownMiB).toBeLessThan(256);
  }, 300_000);
});
