/**
 * The TypeScript half of the boto3 and AWS CLI conformance suites: a long-lived Python
 * process making real boto3 calls (boto3_driver.py, JSON lines over stdin/stdout), and the
 * reconciliation of our model (aws-sdk v2's) with botocore's.
 *
 * The models are of different dates. Rather than lists of members by hand, a random value from
 * our model is made to fit botocore's model of the same operation (`conform`): members
 * botocore does not know are left out of what is sent (its validator would reject them), and
 * so are members the two models type differently (our string, its integer: Route 53's
 * MaxItems); members botocore requires or fills in itself (idempotency tokens) are set, and
 * lengths and ranges are brought to botocore's `min`, which its validator enforces. What was
 * left out is reported, by path, so the test can say what it did not compare.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { OperationModel, ServiceModel, Shape } from '../../runtime/aws/models/service-model.js';
import { diff } from './echo.js';
import { normalize, randomValue, type Rnd } from './random-shapes.js';

const DRIVER = join(dirname(fileURLToPath(import.meta.url)), 'boto3_driver.py');

/**
 * SQS's last query model (botocore 1.29), for clients that speak query to SQS: botocore's
 * current model is json and has lost the query names, so it cannot simply be made to speak query.
 */
export const SQS_QUERY_MODEL = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'sqs-2012-11-05-query.json');

/** One of botocore's shapes, as boto3_driver.py describes it. */
export interface BotoShape {
  type: string;
  min?: number;
  document?: boolean;
  union?: boolean;
  required?: string[];
  members?: Record<string, { shape: string; token?: boolean; streaming?: boolean; eventstream?: boolean; location?: string; hostLabel?: boolean }>;
  member?: string;
  key?: string;
  value?: string;
}

export interface BotoModel {
  /** botocore's input and output shape names, by operation; operations it lacks are absent. */
  ops: Record<string, { cli: string; input: string | null; output: string | null }>;
  /** Operations of ours botocore does not know (renamed or removed). */
  missing: string[];
  shapes: Record<string, BotoShape>;
  /** The service's modelled errors (shape names). */
  errors: string[];
  /** The protocol botocore speaks to the service unless told otherwise. */
  protocol: string;
}

export interface BotoError {
  code?: string;
  message?: string;
  status?: number;
  /** The Python class of the exception (a modelled error's shape name, or ClientError). */
  class: string;
}

export type BotoAnswer = { ok: true; output: Record<string, unknown> } | { ok: false; error?: BotoError; fatal?: string; trace?: string };

/** The Python process, started once per test file. */
export class Boto3 {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, (answer: any) => void>();
  private next = 1;
  private stderr = '';
  readonly ready: Promise<{ boto3: string; botocore: string }>;

  /**
   * `botocore: 'awscli'` describes models with the botocore the AWS CLI carries (CLI v1 1.46
   * vendors its own, of another release than the botocore boto3 uses).
   */
  constructor(options: { botocore?: 'boto3' | 'awscli' } = {}) {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
    this.child = spawn('python3', [DRIVER], { stdio: ['pipe', 'pipe', 'pipe'], env: options.botocore === 'awscli' ? { ...env, BOTO3_DRIVER_BOTOCORE: 'awscli' } : env });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    let announce: (v: { boto3: string; botocore: string }) => void;
    let fail: (e: Error) => void;
    this.ready = new Promise((resolve, reject) => {
      announce = resolve;
      fail = reject;
    });
    const lines = createInterface({ input: this.child.stdout });
    lines.on('line', (line) => {
      const answer = JSON.parse(line) as { id?: number; ready?: boolean; boto3: string; botocore: string };
      if (answer.ready) return announce(answer);
      const resolve = this.pending.get(answer.id!);
      this.pending.delete(answer.id!);
      resolve?.(answer);
    });
    const died = (why: string) => {
      const error = new Error(`boto3 driver: ${why}${this.stderr ? `\n${this.stderr.trim()}` : ''}\n(boto3 must be importable by python3: npm test installs it, see scripts/ensure-test-tools.mjs)`);
      fail(error);
      for (const reject of this.pending.values()) reject({ ok: false, fatal: error.message });
      this.pending.clear();
    };
    this.child.on('error', (e) => died(`cannot run python3: ${e.message}`));
    this.child.on('exit', (code) => died(`python3 exited with ${code}`));
  }

  private request<T>(message: Record<string, unknown>): Promise<T> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.stdin.write(`${JSON.stringify({ ...message, id })}\n`);
    });
  }

  /** botocore's model of `ops` (from the file `model` instead of botocore's own, if given). */
  async describe(service: string, ops: string[], model?: string): Promise<BotoModel> {
    const answer = await this.request<BotoModel & { ok: boolean; fatal?: string }>({ cmd: 'describe', service, ops, model: model ?? null });
    if (!answer.ok) throw new Error(`boto3 driver: describe ${service}: ${answer.fatal}`);
    return answer;
  }

  /** Writes botocore's model of `service`, made to speak `protocol`, under `dir` (for AWS_DATA_PATH). */
  async exportModel(service: string, protocol: string, dir: string, model?: string): Promise<void> {
    const answer = await this.request<{ ok: boolean; fatal?: string }>({ cmd: 'export-model', service, protocol, dir, model: model ?? null });
    if (!answer.ok) throw new Error(`boto3 driver: export-model ${service}: ${answer.fatal}`);
  }

  /** Calls `op` through a boto3 client; `params` are plain values (Dates, byte arrays). */
  call(endpoint: string, service: string, protocol: string | undefined, op: string, params: unknown, model?: string): Promise<BotoAnswer> {
    return this.request({ cmd: 'call', endpoint, service, protocol: protocol ?? null, model: model ?? null, op, params: toTagged(params) });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.removeAllListeners('exit');
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    await exited;
  }
}

/** Plain values -> the driver's tagged JSON ({"$blob"}, {"$ts"}). */
export function toTagged(value: unknown): unknown {
  if (value instanceof Date) return { $ts: value.toISOString() };
  if (value instanceof Uint8Array) return { $blob: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(toTagged);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toTagged(v)]));
  return value;
}

/** The driver's tagged JSON -> the form `normalize` gives (ISO strings, base64). */
export function fromTagged(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromTagged);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '$blob') return o.$blob;
    if (keys.length === 1 && keys[0] === '$ts') return o.$ts;
    return Object.fromEntries(keys.map((k) => [k, fromTagged(o[k])]));
  }
  return value;
}

/**
 * Members botocore manages itself (its handlers, which boto3 and the AWS CLI share), whatever
 * the caller gave: left out of the comparison. Keyed by `service.Operation` or `service.*`.
 */
export const CLIENT_ADDED: Readonly<Record<string, readonly string[]>> = {
  // botocore presigns cross-region snapshot copies itself (inject_presigned_url_ec2)
  'ec2.CopySnapshot': ['DestinationRegion', 'PresignedUrl'],
  // botocore base64-encodes UserData on the way out (base64_encode_user_data) ...
  'ec2.RunInstances': ['UserData'],
  // ... and decodes the console output on the way back (decode_console_output)
  'ec2.GetConsoleOutput': ['Output'],
  // S3: botocore computes lengths (a random ContentLength breaks the exchange), picks the
  // checksum algorithm itself where a checksum is required (CRC32C would need botocore[crt]),
  // checks the answer's checksums when ChecksumMode is ENABLED, base64-encodes SSE-C keys and
  // adds their MD5 (sse_md5, copy_source_sse_md5), and adds ExpiresString (handle_expires_header);
  // Content-MD5 is computed by botocore where S3 requires it, and S3 checks it against the body
  's3.*': [
    'ContentLength', 'ChecksumAlgorithm', 'ChecksumMode', 'ExpiresString', 'ContentMD5',
    'SSECustomerKey', 'SSECustomerKeyMD5', 'CopySourceSSECustomerKey', 'CopySourceSSECustomerKeyMD5',
  ],
  // botocore sets Accept on every API Gateway request (add_accept_header), which GetExport binds
  'apigateway.GetExport': ['accepts'],
};

export function clientManaged(service: string, op: string): readonly string[] {
  return [...(CLIENT_ADDED[`${service}.*`] ?? []), ...(CLIENT_ADDED[`${service}.${op}`] ?? [])];
}

/**
 * Members always given: botocore fills them in when absent and changes the exchange (S3 list
 * operations get EncodingType=url, and keys in the answer are url-decoded).
 */
export const ALWAYS_SET: Readonly<Record<string, readonly string[]>> = {
  's3.ListObjects': ['EncodingType'],
  's3.ListObjectsV2': ['EncodingType'],
  's3.ListObjectVersions': ['EncodingType'],
};

/**
 * Left out: event streams (the generator makes none; rest-json ones are tested in
 * test/protocols/echo-providers.test.ts), S3 operations served on other endpoints (S3 Express,
 * Object Lambda), as in conformance.test.ts; and S3's deprecated operations that have the very
 * request line of their successors, which the runtime serves instead (rest.ts, tieBreak):
 * a request cannot say which of the two it is, and current clients send the successors.
 */
export const LEFT_OUT = new Set([
  'lambda.InvokeWithResponseStream',
  'logs.StartLiveTail',
  'logs.GetLogObject',
  's3.SelectObjectContent',
  's3.ListDirectoryBuckets',
  's3.CreateSession',
  's3.WriteGetObjectResponse',
  's3.GetBucketLifecycle',
  's3.PutBucketLifecycle',
  's3.GetBucketNotification',
  's3.PutBucketNotification',
]);

/** The shapes of the Route 53 ids botocore rewrites (handlers.py, fix_route53_ids). */
const ROUTE53_IDS = ['ResourceId', 'DelegationSetId', 'ChangeId'];

/** One random exchange of an operation, fit to both models. */
export interface Case {
  /** What the client is given (Dates and byte arrays as such). */
  input: Record<string, unknown>;
  /** What the echo provider answers. */
  output: Record<string, unknown>;
  /** What the client must decode: `output` less what botocore does not know. */
  expected: Record<string, unknown>;
  /** The output member returned as a stream, if any. */
  streamed?: string;
  /** Members left out of the comparison (CLIENT_ADDED, statuses only botocore binds). */
  ignored: Set<string>;
  /** What the two models could not share, by path. */
  notes: string[];
}

/** A random input and output for `op`, made to fit botocore's model; throws Unshared. */
export function makeCase(model: ServiceModel, op: OperationModel, boto: BotoModel, rnd: Rnd): Case {
  const names = boto.ops[op.name]!;
  const service = model.name;
  const ignored = new Set(clientManaged(service, op.name));
  // our model patches bind some HTTP statuses to a member botocore's model lacks (S3's 206 and 202)
  for (const [name, m] of op.output ? model.members(op.output) : []) {
    if (m.location === 'statusCode' && !boto.shapes[names.output ?? '']?.members?.[name]) ignored.add(name);
  }
  const notes: string[] = [];
  let input: Record<string, unknown> = {};
  if (op.input && names.input) {
    const raw = randomValue(model, op.input, rnd, { depth: 3, plain: false, root: true }) as Record<string, unknown>;
    for (const name of ALWAYS_SET[`${service}.${op.name}`] ?? []) raw[name] ??= randomValue(model, model.resolve(op.input.members![name]!), rnd, { depth: 0, plain: true });
    // what the client manages itself is not the caller's to give
    for (const name of ignored) delete raw[name];
    input = conform(model, op.input, raw, boto, names.input, { mode: 'input', rnd, notes }) as Record<string, unknown>;
    // botocore keeps what follows the last '/' of Route 53 ids (fix_route53_ids): give ids without one
    for (const [name, m] of Object.entries(boto.shapes[names.input]!.members ?? {})) {
      if (service === 'route53' && ROUTE53_IDS.includes(m.shape) && typeof input[name] === 'string') input[name] = (input[name] as string).replaceAll('/', '') || 'x';
    }
  }
  let output: Record<string, unknown> = {};
  let expected: Record<string, unknown> = {};
  let streamed: string | undefined;
  if (op.output) {
    const raw = randomValue(model, op.output, rnd, { depth: 3, plain: false, root: true, output: true }) as Record<string, unknown>;
    // a structure payload is always there
    const payload = op.output.payload;
    const payloadShape = payload ? model.resolve(op.output.members![payload]!) : undefined;
    if (payload && raw[payload] === undefined && payloadShape!.type === 'structure') raw[payload] = randomValue(model, payloadShape!, rnd, { depth: 2, plain: false, output: true });
    // a member bound to the HTTP status takes a status the operation may answer with
    for (const [name, m] of model.members(op.output)) if (m.location === 'statusCode') raw[name] = op.responseCode;
    for (const name of ignored) delete raw[name];
    output = names.output ? (conform(model, op.output, raw, boto, names.output, { mode: 'output', rnd, notes }) as Record<string, unknown>) : raw;
    expected = names.output ? (conform(model, op.output, output, boto, names.output, { mode: 'known', rnd, notes: [] }) as Record<string, unknown>) : {};
    // a streaming blob payload is returned as a stream
    if (payloadShape?.type === 'blob' && payloadShape.streaming) {
      streamed = payload;
      output[payload!] ??= Buffer.from('x');
      expected[payload!] = output[payload!];
    }
  }
  // botocore's newer models bind some HTTP statuses to a member ours lacks (Lambda's DeleteFunction)
  for (const [name, m] of Object.entries(boto.shapes[names.output ?? '']?.members ?? {})) {
    if (m.location === 'statusCode' && !op.output?.members?.[name]) ignored.add(name);
  }
  return { input, output, expected, streamed, ignored, notes };
}

/**
 * The differences between what was sent and what arrived, and between what was returned and
 * what the client decoded (all in `normalize`'s form: ISO dates, base64 bytes).
 */
export function compareCase(c: Case, sent: unknown, arrived: unknown, decoded: unknown, label = ''): string[] {
  const strip = (v: unknown) => {
    const o = { ...((normalize(v) as Record<string, unknown> | undefined) ?? {}) };
    for (const name of c.ignored) delete o[name];
    return o;
  };
  const [s, a, e, d] = [strip(sent), strip(arrived), strip(c.expected), strip(decoded)];
  const failures: string[] = [];
  const inDiff = diff(s, a);
  const outDiff = diff(e, d);
  if (inDiff.length) failures.push(`${label} input ${inDiff.slice(0, 3).join('; ')} [sent ${JSON.stringify(s).slice(0, 200)}]`);
  if (outDiff.length) failures.push(`${label} output ${outDiff.slice(0, 3).join('; ')} [returned ${JSON.stringify(e).slice(0, 200)} decoded ${JSON.stringify(d).slice(0, 200)}]`);
  return failures;
}

/** An operation the two models cannot share (botocore requires a member ours lacks). */
export class Unshared extends Error {}

export interface ConformOptions {
  /** Input: fill what botocore requires or would invent. Output: keep what botocore does not know. */
  mode: 'input' | 'output' | 'known';
  rnd: Rnd;
  /** Paths left out, with the reason. */
  notes: string[];
}

/** Does a JS value of our shape fit botocore's scalar type? */
function fits(value: unknown, ours: Shape, theirs: BotoShape): boolean {
  switch (theirs.type) {
    case 'string':
    case 'character':
      return typeof value === 'string';
    case 'integer':
    case 'long':
    case 'short':
    case 'byte':
    case 'biginteger':
      return typeof value === 'number' && Number.isInteger(value);
    case 'float':
    case 'double':
    case 'bigdecimal':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'timestamp':
      return value instanceof Date;
    case 'blob':
      return value instanceof Uint8Array;
    case 'list':
      return Array.isArray(value);
    case 'map':
      return ours.type === 'map';
    case 'structure':
      return theirs.document ? ours.document === true : ours.type === 'structure' && !ours.document;
    default:
      return false;
  }
}

/**
 * `value` (random, of our `shape`) made to fit botocore's shape `theirs`: undefined when it
 * cannot. See the module comment.
 */
export function conform(model: ServiceModel, shape: Shape, value: unknown, boto: BotoModel, theirs: string, opts: ConformOptions, path = ''): unknown {
  const t = boto.shapes[theirs]!;
  if (!fits(value, shape, t)) {
    opts.notes.push(`${path || '.'}: ${shape.document ? 'document' : shape.type} here, ${t.type} in botocore`);
    return undefined;
  }
  const input = opts.mode === 'input';
  switch (t.type) {
    case 'structure': {
      if (t.document) return value;
      const out: Record<string, unknown> = {};
      const ours = new Map(model.members(shape));
      for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
        const m = t.members![name];
        if (!m) {
          if (opts.mode === 'output') out[name] = v;
          else opts.notes.push(`${path}.${name}: not in botocore's model`);
          continue;
        }
        const c = conform(model, ours.get(name)!, v, boto, m.shape, opts, `${path}.${name}`);
        if (c !== undefined) out[name] = c;
      }
      if (input) {
        for (const [name, m] of Object.entries(t.members!)) {
          if (out[name] !== undefined || !(t.required!.includes(name) || m.token)) continue;
          const mine = ours.get(name);
          if (!mine) throw new Unshared(`botocore requires ${path}.${name}, which our model lacks`);
          const c = conform(model, mine, randomValue(model, mine, opts.rnd, { depth: 1, plain: true }), boto, m.shape, opts, `${path}.${name}`);
          if (c === undefined) throw new Unshared(`botocore requires ${path}.${name}, which our model types differently`);
          out[name] = c;
        }
      }
      return out;
    }
    case 'list': {
      const item = model.resolve(shape.member ?? {});
      const items = (value as unknown[]).map((v, i) => conform(model, item, v, boto, t.member!, opts, `${path}[${i}]`));
      if (items.some((v) => v === undefined)) return undefined;
      while (input && items.length < (t.min ?? 0)) items.push(items[0]);
      return items;
    }
    case 'map': {
      const key = model.resolve(shape.key ?? {});
      const val = model.resolve(shape.value ?? {});
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const ck = conform(model, key, k, boto, t.key!, opts, `${path}{key}`);
        const cv = conform(model, val, v, boto, t.value!, opts, `${path}{${k}}`);
        if (typeof ck !== 'string' || cv === undefined) return undefined;
        out[ck] = cv;
      }
      return out;
    }
    case 'string':
    case 'character': {
      let s = value as string;
      while (input && [...s].length < (t.min ?? 0)) s += 'x';
      return s;
    }
    case 'blob': {
      const b = value as Uint8Array;
      if (!input || b.length >= (t.min ?? 0)) return b;
      return Uint8Array.from({ length: t.min! }, (_, i) => b[i % b.length] ?? 120);
    }
    case 'integer':
    case 'long':
    case 'short':
    case 'byte':
    case 'float':
    case 'double': {
      const n = value as number;
      if (input && t.min !== undefined && n < t.min) return t.min + (Math.abs(n) % 100);
      return n;
    }
    default:
      return value;
  }
}
