/**
 * The scenarios every target runs: the same signed requests, built per target (the host is
 * signed), sent by the same load generator. A scenario may set the target up first (a bucket,
 * a parameter) and cycles through several requests (a write, then a read of what it wrote).
 */
import { request } from 'undici';
import { sign, type SignedRequest } from './signing.js';

export interface Scenario {
  readonly name: string;
  /** The services it needs; a target without them reports the scenario as not run. */
  readonly services: readonly string[];
  /** Creates what the requests need, answering an error text when the target cannot. */
  setup?(host: string): Promise<void>;
  /** The requests, sent in turn. */
  requests(host: string): Promise<SignedRequest[]>;
  /**
   * The bytes the bare baseline answers to a GET in this scenario, so that the comparison is
   * like for like (a 4 KiB object read answered with 4 KiB); other requests, and GETs when
   * unset, get its fixed small body.
   */
  readonly bareGetBytes?: number;
}

const FORM = 'application/x-www-form-urlencoded; charset=utf-8';
const KEYS = 64;
const BODY = Buffer.alloc(4096, 'x');

/** Sends one signed request and fails unless it answered 2xx. */
export async function send(service: string, host: string, r: SignedRequest): Promise<void> {
  const signed = await sign(service, host, r);
  const res = await request(`http://${host}${signed.path}`, { method: signed.method as 'GET', headers: signed.headers, body: signed.body });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${r.method} ${r.path}: ${res.statusCode} ${text.slice(0, 200)}`);
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'sts GetCallerIdentity',
    services: ['sts'],
    requests: async (host) => [await sign('sts', host, { method: 'POST', path: '/', headers: { 'content-type': FORM }, body: 'Action=GetCallerIdentity&Version=2011-06-15' })],
  },
  {
    name: 'ssm PutParameter + GetParameter',
    services: ['ssm'],
    setup: async (host) => {
      for (let i = 0; i < KEYS; i++) {
        await send('ssm', host, { method: 'POST', path: '/', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.PutParameter' }, body: JSON.stringify({ Name: `/bench/p${i}`, Value: 'v', Type: 'String', Overwrite: true }) });
      }
    },
    requests: async (host) => {
      const out: SignedRequest[] = [];
      const json = (target: string, body: unknown) => sign('ssm', host, { method: 'POST', path: '/', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonSSM.${target}` }, body: JSON.stringify(body) });
      for (let i = 0; i < KEYS; i++) {
        out.push(await json('PutParameter', { Name: `/bench/p${i}`, Value: `value-${i}`, Type: 'String', Overwrite: true }));
        out.push(await json('GetParameter', { Name: `/bench/p${i}` }));
      }
      return out;
    },
  },
  {
    name: 's3 PutObject + GetObject 4 KiB',
    services: ['s3'],
    bareGetBytes: BODY.length,
    setup: async (host) => {
      await send('s3', host, { method: 'PUT', path: '/bench-bucket', headers: {} }).catch((e: Error) => {
        if (!/BucketAlreadyOwnedByYou|BucketAlreadyExists/.test(e.message)) throw e;
      });
      for (let i = 0; i < KEYS; i++) await send('s3', host, { method: 'PUT', path: `/bench-bucket/key-${i}`, headers: { 'content-type': 'application/octet-stream' }, body: BODY });
    },
    requests: async (host) => {
      const out: SignedRequest[] = [];
      for (let i = 0; i < KEYS; i++) {
        out.push(await sign('s3', host, { method: 'PUT', path: `/bench-bucket/key-${i}`, headers: { 'content-type': 'application/octet-stream' }, body: BODY }));
        out.push(await sign('s3', host, { method: 'GET', path: `/bench-bucket/key-${i}`, headers: {} }));
      }
      return out;
    },
  },
];
