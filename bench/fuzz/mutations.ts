/**
 * Seeded mutations of valid AWS requests, for the protocol fuzzer (test/fuzz runs a few
 * thousand cases in-process, `npm run bench:fuzz` a million against a runtime process).
 * Everything is derived from one seed, so a failing case can be replayed exactly.
 */

/** mulberry32: small, fast, good enough to pick mutations reproducibly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Send a Content-Length that does not match the body (raw socket). */
  lengthDelta?: number;
}

type Mutation = (r: FuzzRequest, rnd: () => number) => FuzzRequest;

const pick = <T>(xs: readonly T[], rnd: () => number): T => xs[Math.floor(rnd() * xs.length)]!;
const at = (n: number, rnd: () => number) => Math.floor(rnd() * (n + 1));

function withBody(r: FuzzRequest, body: Buffer | string): FuzzRequest {
  return { ...r, body: typeof body === 'string' ? Buffer.from(body) : body };
}

const NASTY = ['\u0000', '\uFFFF', '\uD800', '%', '%zz', '&', '<', ']]>', '"', "'", '\\', '{', '[', '1e999', '-0', 'NaN', '\r\n', '../../', '\u202e'];

export const MUTATIONS: Readonly<Record<string, Mutation>> = {
  truncate: (r, rnd) => withBody(r, r.body.subarray(0, at(r.body.length - 1, rnd))),
  flipBytes: (r, rnd) => {
    const b = Buffer.from(r.body);
    for (let i = 0, n = 1 + at(4, rnd); i < n && b.length > 0; i++) b[at(b.length - 1, rnd)] = at(255, rnd);
    return withBody(r, b);
  },
  invalidUtf8: (r, rnd) => {
    const i = at(r.body.length, rnd);
    return withBody(r, Buffer.concat([r.body.subarray(0, i), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]), r.body.subarray(i)]));
  },
  insertNasty: (r, rnd) => {
    const s = r.body.toString('latin1');
    const i = at(s.length, rnd);
    return withBody(r, Buffer.from(s.slice(0, i) + pick(NASTY, rnd) + s.slice(i), 'utf8'));
  },
  hugeNumbers: (r, rnd) =>
    withBody(r, r.body.toString('utf8').replace(/\d+/g, () => pick(['99999999999999999999999', '1e400', '-9223372036854775809', '0.0000000000000000000001', '4294967296'], rnd))),
  wrongTypes: (r, rnd) =>
    withBody(
      r,
      r.body
        .toString('utf8')
        .replace(/"([^"]*)"/g, (m) => (rnd() < 0.3 ? pick(['123', 'true', 'null', '[]', '{}', '"x"'], rnd) : m))
        .replace(/=([^&]*)/g, (m) => (rnd() < 0.3 ? `=${pick(['', 'true', '-1', '%00', 'a'.repeat(300)], rnd)}` : m)),
    ),
  deepNesting: (r, rnd) => {
    const depth = 1000 + at(50000, rnd);
    const type = r.headers['content-type'] ?? '';
    if (type.includes('json')) return withBody(r, `{"Name":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    if (type.includes('form')) return withBody(r, `${r.body.toString()}&${'A.'.repeat(depth)}B=1`);
    return withBody(r, `<Tagging>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</Tagging>`);
  },
  bigBody: (r, rnd) => withBody(r, Buffer.alloc(1024 * (1 + at(512, rnd)), pick(['a', '{', '<', '%'], rnd))),
  gzipLie: (r) => ({ ...r, headers: { ...r.headers, 'content-encoding': 'gzip' } }),
  contentTypeSwap: (r, rnd) => ({
    ...r,
    headers: { ...r.headers, 'content-type': pick(['application/x-amz-json-1.1', 'application/x-www-form-urlencoded', 'application/xml', 'text/plain', 'application/cbor', ''], rnd) },
  }),
  targetGarbage: (r, rnd) => ({ ...r, headers: { ...r.headers, 'x-amz-target': pick(['', '.', 'AmazonSSM.', 'AmazonSSM.__proto__', 'AmazonSSM.constructor', 'x'.repeat(500), 'AmazonSSM.GetParameter.Extra'], rnd) } }),
  authGarbage: (r, rnd) => ({
    ...r,
    headers: {
      ...r.headers,
      authorization: pick(
        [
          'AWS4-HMAC-SHA256 Credential=',
          'AWS4-HMAC-SHA256 Credential=a/b/c/d/e/f/g',
          'AWS4-HMAC-SHA256 Credential=test/20240101/../sts/aws4_request',
          'AWS x',
          'AWS4-HMAC-SHA256 Credential=LSIA!!!!!!!!!!!!!!!!/20240101/us-east-1/sts/aws4_request',
          `AWS4-HMAC-SHA256 Credential=${'9'.repeat(12)}/20240101/xx-nowhere-9/sts/aws4_request`,
        ],
        rnd,
      ),
    },
  }),
  pathGarbage: (r, rnd) => ({ ...r, path: pick(['/%', '/%zz/x', '//', '/a/../../etc/passwd', `/${'x'.repeat(3000)}`, '/?', '/?Action', '/b1?tagging&tagging', '/2015-03-31/functions/%00/invocations'], rnd) }),
  lengthMismatch: (r, rnd) => ({ ...r, lengthDelta: pick([-5, -1, 1, 10], rnd) }),
  methodSwap: (r, rnd) => ({ ...r, method: pick(['GET', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'], rnd) }),
};

export const MUTATION_NAMES = Object.keys(MUTATIONS);
