/**
 * The in-process pipeline per protocol: parse + dispatch + serialize of a typical small
 * request through the real handler chain (no socket), in ops/s, next to a bare
 * JSON.parse/JSON.stringify round trip of the same payload measured in the same run.
 * Providers echo a fixed output, so the figure is the protocol layer's cost.
 */
import { Readable } from 'node:stream';
import { loadConfig } from '../runtime/config.js';
import { createGatewayChain } from '../runtime/gateway/app.js';
import { HandlerChain } from '../runtime/gateway/chain.js';
import { GatewayResponse, RequestContext } from '../runtime/request-context.js';
import type { RuntimeControl } from '../runtime/internal/endpoints.js';
import { InitHooks } from '../runtime/internal/init-hooks.js';
import { ServiceManager } from '../runtime/services/manager.js';
import type { ProviderRegistry } from '../runtime/services/registry.js';

interface Case {
  protocol: string;
  operation: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  output: Record<string, unknown>;
  /** The same payload as plain JSON, for the baseline round trip. */
  payload: unknown;
}

const sig = (service: string) => `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;
const when = new Date('2026-01-01T00:00:00Z');

const CASES: Case[] = [
  {
    protocol: 'query',
    operation: 'sts.AssumeRole',
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: sig('sts') },
    body: 'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fadmin&RoleSessionName=bench&DurationSeconds=900',
    output: { Credentials: { AccessKeyId: 'LSIAQAAAAAAAAAAAAAAA', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: when }, AssumedRoleUser: { AssumedRoleId: 'AROA:bench', Arn: 'arn:aws:sts::111111111111:assumed-role/admin/bench' } },
    payload: { RoleArn: 'arn:aws:iam::111111111111:role/admin', RoleSessionName: 'bench', DurationSeconds: 900 },
  },
  {
    protocol: 'json',
    operation: 'ssm.GetParameter',
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.GetParameter', authorization: sig('ssm') },
    body: JSON.stringify({ Name: '/bench/parameter', WithDecryption: false }),
    output: { Parameter: { Name: '/bench/parameter', Type: 'String', Value: 'value', Version: 1, LastModifiedDate: when, ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/bench/parameter', DataType: 'text' } },
    payload: { Name: '/bench/parameter', WithDecryption: false },
  },
  {
    protocol: 'ec2',
    operation: 'ec2.DescribeVpcs',
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: sig('ec2') },
    body: 'Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-1',
    output: { Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16', IsDefault: true, State: 'available' }] },
    payload: { VpcIds: ['vpc-1'] },
  },
  {
    protocol: 'rest-json',
    operation: 'lambda.GetFunction',
    method: 'GET',
    path: '/2015-03-31/functions/my-function?Qualifier=prod',
    headers: { authorization: sig('lambda') },
    body: '',
    output: { Configuration: { FunctionName: 'my-function', Runtime: 'nodejs20.x', MemorySize: 128, Timeout: 3 } },
    payload: { FunctionName: 'my-function', Qualifier: 'prod' },
  },
  {
    protocol: 'rest-xml',
    operation: 's3.PutBucketTagging',
    method: 'PUT',
    path: '/bucket?tagging',
    headers: { 'content-type': 'application/xml', authorization: sig('s3') },
    body: '<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>env</Key><Value>dev</Value></Tag></TagSet></Tagging>',
    output: {},
    payload: { Bucket: 'bucket', Tagging: { TagSet: [{ Key: 'env', Value: 'dev' }] } },
  },
];

export interface PipelineResult {
  protocol: string;
  operation: string;
  opsPerSecond: number;
  baselineOpsPerSecond: number;
}

function request(c: Case): Readable {
  const r = Readable.from(c.body ? [Buffer.from(c.body)] : []) as Readable & Record<string, unknown>;
  r.method = c.method;
  r.url = c.path;
  r.headers = { ...c.headers, 'content-length': String(Buffer.byteLength(c.body)) };
  return r;
}

async function opsPerSecond(fn: () => unknown, ms: number): Promise<number> {
  // warm up, then count whole batches within the window
  for (let i = 0; i < 2000; i++) await fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 500; i++) await fn();
    n += 500;
  }
  return n / ((performance.now() - start) / 1000);
}

export async function measurePipeline(msPerCase = 2000): Promise<PipelineResult[]> {
  let current: Case = CASES[0]!;
  const echo = { load: async () => ({ createProvider: () => ({ operations: new Proxy({}, { get: () => () => current.output }) }) }) };
  // validation as the real registry has it: on, except S3's (runtime/services/registry.ts)
  const registry: ProviderRegistry = { sts: echo, ssm: echo, ec2: echo, lambda: echo, s3: { ...echo, validation: false } };
  const { config } = loadConfig({});
  const services = new ServiceManager(config, registry);
  const control: RuntimeControl = { services, initHooks: new InitHooks('/nonexistent'), inDocker: false, startedAt: Date.now(), restart: async () => undefined, shutdown: () => undefined };
  const chain = createGatewayChain(config, control);
  const results: PipelineResult[] = [];
  for (const c of CASES) {
    current = c;
    const run = async () => {
      const ctx = new RequestContext(request(c) as never);
      const res = new GatewayResponse();
      await HandlerChain.run(chain, ctx, res);
      if (res.status !== 200) throw new Error(`${c.operation} answered ${res.status}: ${String(res.body).slice(0, 200)}`);
    };
    await run();
    const ours = await opsPerSecond(run, msPerCase);
    // the baseline builds the same fake request, so only the protocol work differs
    const text = JSON.stringify(c.payload);
    const out = JSON.stringify(c.output);
    const baseline = await opsPerSecond(() => {
      request(c);
      JSON.parse(text);
      return JSON.stringify(JSON.parse(out));
    }, msPerCase);
    results.push({ protocol: c.protocol, operation: c.operation, opsPerSecond: ours, baselineOpsPerSecond: baseline });
  }
  return results;
}
