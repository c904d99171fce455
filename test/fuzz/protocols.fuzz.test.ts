/**
 * A seeded fuzzer over every protocol the gateway speaks: valid requests (query, ec2, json,
 * rest-json, rest-xml, rpc-v2-cbor, an aws-chunked S3 upload) mutated by truncation, bad bytes, invalid UTF-8, huge numbers, wrong
 * types, deep nesting, lying headers and mismatched lengths. Every answer must be a
 * well-formed protocol error or a success (never a 500 with a stack trace), the runtime must
 * stay up, and memory must stay bounded.
 *
 * FUZZ_SEED and FUZZ_CASES replay or extend a run (CI: a few thousand cases).
 */
import { connect } from 'node:net';
import { encode as encodeCbor } from 'cbor2';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../runtime/config.js';
import { Runtime } from '../../runtime/runtime.js';
import type { ProviderRegistry } from '../../runtime/services/registry.js';
import { MUTATION_NAMES, MUTATIONS, prng, type FuzzRequest } from './mutations.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const CASES = Number(process.env.FUZZ_CASES ?? 3000);

const sig = (service: string) => `AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;
const FORM = 'application/x-www-form-urlencoded; charset=utf-8';

const SEEDS: FuzzRequest[] = [
  {
    method: 'POST',
    path: '/',
    headers: { 'content-type': FORM, authorization: sig('sts') },
    body: Buffer.from('Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fr&RoleSessionName=s1&DurationSeconds=900&Tags.member.1.Key=k&Tags.member.1.Value=v'),
  },
  {
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.PutParameter', authorization: sig('ssm') },
    body: Buffer.from(JSON.stringify({ Name: '/fuzz/p', Value: 'v', Type: 'String', Overwrite: true, Tier: 'Standard', Description: 'd' })),
  },
  {
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.GetParametersByPath', authorization: sig('ssm') },
    body: Buffer.from(JSON.stringify({ Path: '/fuzz', Recursive: true, MaxResults: 5, ParameterFilters: [{ Key: 'Type', Option: 'Equals', Values: ['String'] }] })),
  },
  {
    method: 'POST',
    path: '/',
    headers: { 'content-type': FORM, authorization: sig('ec2') },
    body: Buffer.from('Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-1&Filter.1.Name=cidr&Filter.1.Value.1=10.0.0.0%2F16'),
  },
  {
    method: 'GET',
    path: '/2015-03-31/functions/my-fn?Qualifier=prod',
    headers: { authorization: sig('lambda') },
    body: Buffer.alloc(0),
  },
  {
    method: 'PUT',
    path: '/b1?tagging',
    headers: { 'content-type': 'application/xml', authorization: sig('s3') },
    body: Buffer.from('<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>'),
  },
  {
    method: 'PUT',
    path: '/b1/dir/key.txt',
    headers: {
      authorization: sig('s3'),
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-decoded-content-length': '11',
      'x-amz-trailer': 'x-amz-checksum-crc32',
    },
    body: Buffer.from('5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n'),
  },
  {
    method: 'POST',
    path: '/service/GraniteServiceVersion20100801/operation/ListMetrics',
    headers: { authorization: sig('monitoring'), 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' },
    body: Buffer.from(encodeCbor({ Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: 'i-1' }], RecentlyActive: 'PT3H' })),
  },
];

const echo: ProviderRegistry = {
  ec2: { load: async () => ({ createProvider: () => ({ operations: { DescribeVpcs: (_c, i) => ({ Vpcs: (i.VpcIds ?? []).map((VpcId: string) => ({ VpcId })) }) } }) }) },
  lambda: { load: async () => ({ createProvider: () => ({ operations: { GetFunction: (_c, i) => ({ Configuration: { FunctionName: i.FunctionName } }) } }) }) },
  s3: { load: async () => ({ createProvider: () => ({ operations: { PutBucketTagging: () => ({}), GetBucketTagging: () => ({ TagSet: [] }), PutObject: () => ({ ETag: '"e"' }) } }) }) },
  cloudwatch: { load: async () => ({ createProvider: () => ({ operations: { ListMetrics: (_c, i) => ({ Metrics: [{ Namespace: i.Namespace, MetricName: i.MetricName }] }) } }) }) },
  sts: { load: () => import('../../runtime/services/sts/provider.js') },
  ssm: { load: () => import('../../runtime/services/ssm/provider.js') },
};

let runtime: Runtime;
let port: number;

beforeAll(async () => {
  const { config } = loadConfig({ GATEWAY_LISTEN: '127.0.0.1:0', INIT_HOOKS_DIR: '/nonexistent', GATEWAY_MAX_BODY_SIZE: String(256 * 1024) });
  runtime = new Runtime(config, { registry: echo, announce: () => undefined });
  await runtime.start();
  port = runtime.addresses[0]!.port;
});
afterAll(async () => {
  await runtime?.stop();
});

interface Answer {
  status: number;
  headers: string;
  body: string;
}

/** Sends one request over a raw socket (so lengths may lie) and reads the whole answer. */
function send(r: FuzzRequest): Promise<Answer | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const length = Math.max(0, r.body.length + (r.lengthDelta ?? 0));
    const head = [`${r.method} ${r.path} HTTP/1.1`, 'Host: 127.0.0.1', `Content-Length: ${length}`, 'Connection: close'];
    for (const [k, v] of Object.entries(r.headers)) if (v !== '') head.push(`${k}: ${v.replace(/[\r\n]/g, '')}`);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), r.lengthDelta && r.lengthDelta > 0 ? 50 : 10_000);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (!m) return resolve(undefined);
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: Number(m[1]), headers: text.slice(0, split).toLowerCase(), body: text.slice(split + 4) });
    });
    // the body is written without a half-close: Node counts a client's FIN as an abort
    socket.write(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), r.body]));
  });
}

/** The body is what its content type promises. */
function wellFormed(a: Answer): boolean {
  if (a.body === '') return true;
  if (a.headers.includes('content-type: application/json') || a.headers.includes('content-type: application/x-amz-json')) {
    try {
      JSON.parse(a.body);
      return true;
    } catch {
      return false;
    }
  }
  if (a.headers.includes('xml')) return XMLValidator.validate(a.body) === true;
  if (a.headers.includes('content-type: application/cbor')) return true; // binary: decoded by the SDK tests
  return a.headers.includes('text/plain');
}

describe(`protocol fuzzer (seed ${SEED}, ${CASES} cases)`, () => {
  it('every answer is a well-formed success or 4xx/501 error, and the runtime stays up with bounded memory', async () => {
    const rnd = prng(SEED);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const rssBefore = process.memoryUsage().rss;
    for (let i = 0; i < CASES && failures.length < 10; i++) {
      let r = SEEDS[Math.floor(rnd() * SEEDS.length)]!;
      const applied: string[] = [];
      for (let n = 1 + Math.floor(rnd() * 3); n > 0; n--) {
        const name = MUTATION_NAMES[Math.floor(rnd() * MUTATION_NAMES.length)]!;
        applied.push(name);
        r = MUTATIONS[name]!(r, rnd);
      }
      const a = await send(r);
      if (!a) {
        // only a body we promised but never sent may end without an answer (the server waits for it)
        if (!(r.lengthDelta && r.lengthDelta > 0)) failures.push(`case ${i} [${applied.join(',')}]: no answer`);
        continue;
      }
      statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      const allowed = a.status < 500 || a.status === 501;
      if (!allowed || !wellFormed(a) || /\n\s+at .+:\d+:\d+/.test(a.body)) {
        failures.push(`case ${i} [${applied.join(',')}] ${r.method} ${r.path.slice(0, 60)} -> ${a.status}: ${a.body.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    // the runtime still serves a valid request
    const ok = await send(SEEDS[0]!);
    expect(ok?.status).toBe(200);
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
    const grownMiB = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    expect(grownMiB).toBeLessThan(256);
  }, 300_000);
});
