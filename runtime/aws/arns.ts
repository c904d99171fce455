/**
 * ARNs, partition-aware: `arn:<partition>:<service>:<region>:<account>:<resource>`. Every
 * provider builds and reads ARNs here, so that a region of the China or GovCloud partitions
 * gets `aws-cn` / `aws-us-gov` ARNs everywhere, and one grammar decides what an ARN is.
 */

/** The parts of an ARN. Region and account may be empty (S3 buckets: `arn:aws:s3:::name`). */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  /** Twelve digits, `aws` (AWS managed IAM policies), or empty. */
  readonly accountId: string;
  /** Everything after the fifth colon (`role/path/name`, `parameter/a/b`, `queue-name`). */
  readonly resource: string;
}

/** Every ARN partition, in the order partitionOf checks for them (`aws` last). */
export const PARTITIONS: readonly string[] = ['aws-cn', 'aws-us-gov', 'aws-iso-b', 'aws-iso', 'aws-iso-e', 'aws-iso-f', 'aws'];

/** The ARN partition of a region. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  return 'aws';
}

const ARN = /^arn:(aws(?:-[a-z]+)*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$/s;

/** The parts of an ARN, or undefined when the text is not one. */
export function parseArn(text: string): Arn | undefined {
  const m = ARN.exec(text);
  if (!m) return undefined;
  return { partition: m[1]!, service: m[2]!, region: m[3]!, accountId: m[4] ?? '', resource: m[5]! };
}

/**
 * An ARN from its parts; the partition defaults to the region's (`aws` for a global
 * resource without a region).
 */
export function formatArn(parts: { partition?: string; service: string; region?: string; accountId?: string; resource: string }): string {
  const region = parts.region ?? '';
  const partition = parts.partition ?? (region ? partitionOf(region) : 'aws');
  return `arn:${partition}:${parts.service}:${region}:${parts.accountId ?? ''}:${parts.resource}`;
}

/** An ARN in the caller's account and region: `arnFor(ctx, 'ssm', 'parameter/a')`. */
export function arnFor(ctx: { readonly accountId: string; readonly region: string }, service: string, resource: string): string {
  return formatArn({ service, region: ctx.region, accountId: ctx.accountId, resource });
}

/** An ARN of a global service (IAM, S3): no region, the partition of the caller's region. */
export function globalArnFor(ctx: { readonly accountId: string; readonly region: string }, service: string, resource: string, accountId: string = ctx.accountId): string {
  return formatArn({ partition: partitionOf(ctx.region), service, accountId, resource });
}

/** How SQS queue URLs look (SQS_ENDPOINT_STRATEGY, as in LocalStack; `standard` by default). */
export type SqsEndpointStrategy = 'standard' | 'domain' | 'path' | 'off';

/**
 * The URL of the queue an ARN names (`arn:aws:sqs:eu-west-1:000000000000:q`), in
 * LocalStack's forms, with `host` the LOCALSTACK_HOST (`localhost.localstack.cloud:4566`):
 *   standard  http://sqs.eu-west-1.<host>/000000000000/q
 *   domain    http://eu-west-1.queue.<host>/000000000000/q  (us-east-1: http://queue.<host>/...)
 *   path      http://<host>/queue/eu-west-1/000000000000/q
 *   off       http://<host>/000000000000/q
 * Undefined when the text is not an SQS queue ARN.
 */
export function queueUrlFromArn(arn: string, config: { readonly localstackHost: string; readonly sqsEndpointStrategy?: SqsEndpointStrategy }): string | undefined {
  const parts = parseArn(arn);
  if (!parts || parts.service !== 'sqs' || !parts.region || !parts.accountId || parts.accountId === 'aws' || parts.resource.includes(':') || parts.resource.includes('/')) return undefined;
  const host = config.localstackHost;
  const tail = `${parts.accountId}/${parts.resource}`;
  switch (config.sqsEndpointStrategy ?? 'standard') {
    case 'domain':
      return `http://${parts.region === 'us-east-1' ? '' : `${parts.region}.`}queue.${host}/${tail}`;
    case 'path':
      return `http://${host}/queue/${parts.region}/${tail}`;
    case 'off':
      return `http://${host}/${tail}`;
    default:
      return `http://sqs.${parts.region}.${host}/${tail}`;
  }
}
