/**
 * The providers a fuzzed runtime runs: the real STS and SSM providers, and small echo
 * providers for the other services the valid requests of ./cases.ts call (EC2 over ec2,
 * Lambda over rest-json, S3 over rest-xml and aws-chunked, CloudWatch over rpc-v2-cbor), so
 * that every mutated request that survives detection goes through a real codec's parseInput
 * and a provider's output through its serializer, instead of stopping at a 501.
 */
import type { ProviderRegistry } from '../../runtime/services/registry.js';

export const FUZZ_PROVIDERS: ProviderRegistry = {
  ec2: { load: async () => ({ createProvider: () => ({ operations: { DescribeVpcs: (_c, i) => ({ Vpcs: (i.VpcIds ?? []).map((VpcId: string) => ({ VpcId })) }) } }) }) },
  lambda: { load: async () => ({ createProvider: () => ({ operations: { GetFunction: (_c, i) => ({ Configuration: { FunctionName: i.FunctionName } }) } }) }) },
  s3: { load: async () => ({ createProvider: () => ({ operations: { PutBucketTagging: () => ({}), GetBucketTagging: () => ({ TagSet: [] }), PutObject: () => ({ ETag: '"e"' }) } }) }) },
  cloudwatch: { load: async () => ({ createProvider: () => ({ operations: { ListMetrics: (_c, i) => ({ Metrics: [{ Namespace: i.Namespace, MetricName: i.MetricName }] }) } }) }) },
  sts: { load: () => import('../../runtime/services/sts/provider.js') },
  ssm: { load: () => import('../../runtime/services/ssm/provider.js') },
};
