/**
 * The fuzz cases: valid requests of every protocol the gateway speaks (query, ec2, json,
 * rest-json, rest-xml, rpc-v2-cbor, aws-chunked S3 uploads small enough to be read at once
 * and large enough to be streamed), each case one of them with one
 * to three seeded mutations applied.
 *
 * All cases of a run come from ONE pseudo-random stream seeded with the run's seed, drawn in
 * case order: case i is the same whatever the number of cases or the concurrency, and the
 * first 3000 cases of `npm run bench:fuzz` are exactly the ones test/fuzz runs in CI (same
 * default seed). Replaying case i means drawing cases 0..i-1 again (no request is sent).
 */
import { crc32 } from 'node:zlib';
import { encode as encodeCbor } from 'cbor2';
import { MUTATION_NAMES, MUTATIONS, prng, type FuzzRequest } from './mutations.js';

/** The seed of CI's run and of the bench's default run. */
export const DEFAULT_SEED = 20261122;

const sig = (service: string) => `AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;
const FORM = 'application/x-www-form-urlencoded; charset=utf-8';

/**
 * An aws-chunked upload larger than the gateway reads ahead (64 KiB), so that it reaches the
 * provider as a stream and is decoded as it flows: 96 KiB of data in a 64 KiB and a 32 KiB
 * chunk, then a CRC32 trailer, as SDK v3 sends it.
 */
function largeChunkedUpload(): Buffer {
  const data = Buffer.alloc(96 * 1024);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 8)) & 0xff;
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data));
  const chunk = (d: Buffer) => [Buffer.from(`${d.length.toString(16)}\r\n`), d, Buffer.from('\r\n')];
  return Buffer.concat([...chunk(data.subarray(0, 64 * 1024)), ...chunk(data.subarray(64 * 1024)), Buffer.from(`0\r\nx-amz-checksum-crc32:${crc.toString('base64')}\r\n\r\n`)]);
}

/** The valid requests that mutations start from; each reaches a real codec and a provider of ./providers.ts. */
export const VALID_REQUESTS: readonly FuzzRequest[] = [
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
  {
    method: 'PUT',
    path: '/b1/dir/large.bin',
    headers: {
      authorization: sig('s3'),
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-decoded-content-length': String(96 * 1024),
      'x-amz-trailer': 'x-amz-checksum-crc32',
    },
    body: largeChunkedUpload(),
  },
];

export interface FuzzCase {
  /** Position in the run: with the seed, all it takes to replay the case. */
  readonly index: number;
  readonly request: FuzzRequest;
  /** The mutations applied, in order. */
  readonly mutations: readonly string[];
}

/** The cases of the run with this seed, in order, from case 0 (endless without `count`). */
export function* fuzzCases(seed: number, count = Infinity): Generator<FuzzCase> {
  const rnd = prng(seed);
  for (let index = 0; index < count; index++) {
    let request = VALID_REQUESTS[Math.floor(rnd() * VALID_REQUESTS.length)]!;
    const mutations: string[] = [];
    for (let n = 1 + Math.floor(rnd() * 3); n > 0; n--) {
      const name = MUTATION_NAMES[Math.floor(rnd() * MUTATION_NAMES.length)]!;
      mutations.push(name);
      request = MUTATIONS[name]!(request, rnd);
    }
    yield { index, request, mutations };
  }
}

/** Case `index` of the run with this seed (draws the cases before it again). */
export function fuzzCase(seed: number, index: number): FuzzCase {
  for (const c of fuzzCases(seed, index + 1)) if (c.index === index) return c;
  throw new Error(`no case ${index}`);
}
