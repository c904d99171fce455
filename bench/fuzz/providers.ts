/**
 * The providers a fuzzed runtime runs: the real STS and SSM providers, and small echo
 * providers for the other services the valid requests of ./cases.ts call (EC2 over ec2,
 * Lambda over rest-json, S3 over rest-xml and aws-chunked, CloudWatch over rpc-v2-cbor), so
 * that every mutated request that survives detection goes through a real codec's parseInput
 * and a provider's output through its serializer, instead of stopping at a 501. PutObject
 * reads its Body to the end, so that streamed uploads (above the gateway's pre-read size)
 * are decoded (aws-chunked framing, trailing checksums) as a real S3 provider would make them.
 */
import type { Readable } from 'node:stream';
import type { ProviderRegistry } from '../../runtime/services/registry.js';

/** Reads an upload to its end, as S3 would store it: decoding and checksum errors surface here. */
async function drain(body: Readable | undefined): Promise<number> {
  let bytes = 0;
  if (body) for await (const chunk of body) bytes += (chunk as Buffer).length;
  return bytes;
}

export const FUZZ_PROVIDERS: ProviderRegistry = {
  ec2: { load: async () => ({ createProvider: () => ({ operations: { DescribeVpcs: (_c, i) => ({ Vpcs: (i.VpcIds ?? []).map((VpcId: string) => ({ VpcId })) }) } }) }) },
  lambda: { load: async () => ({ createProvider: () => ({ operations: { GetFunction: (_c, i) => ({ Configuration: { FunctionName: i.FunctionName } }) } }) }) },
  s3: { load: async () => ({ createProvider: () => ({ operations: { PutBucketTagging: () => ({}), GetBucketTagging: () => ({ TagSet: [] }), PutObject: async (_c, i) => ({ ETag: '"e"', VersionId: `bytes-${await drain(i.Body)}` }) } }) }) },
  cloudwatch: { load: async () => ({ createProvider: () => ({ operations: { ListMetrics: (_c, i) => ({ Metrics: [{ Namespace: i.Namespace, MetricName: i.MetricName }] }) } }) }) },
  sts: { load: () => import('../../runtime/services/sts/provider.js') },
  ssm: { load: () => import('../../runtime/services/ssm/provider.js') },
};
