/**
 * The public parameters AWS publishes under `/aws/service/` in every region: the global
 * infrastructure tree (regions and services, each listing the other) and the AMI aliases
 * templates and Terraform modules read without creating them (Amazon Linux, Ubuntu, the ECS
 * optimized AMIs). They belong to no account: they are computed from data on every read
 * (runtime/aws/regions.ts for the regions, frozen tables below), never stored, so that no
 * account's store, export or reset sees them. Their ARNs carry no account
 * (`arn:aws:ssm:us-east-1::parameter/aws/service/...`), and reads answer them as any other
 * String parameter of version 1. AMI ids are stable per region and name (a digest of both),
 * plausible in form, not real images.
 *
 * LIMITATIONS: only the common subtrees exist (see the tables); the services list is a
 * selection with every region offering every service; no availability zones, local zones or
 * edge locations; other `/aws/service/` families (Windows AMIs, EKS, Bottlerocket, ...) answer
 * ParameterNotFound.
 */
import { createHash } from 'node:crypto';
import { formatArn, partitionOf } from '../../aws/arns.js';
import { AWS_REGIONS } from '../../aws/regions.js';
import { record } from '../../state/store.js';
import { arnResourceOf } from './names.js';
import type { StoredParameter, StoredVersion } from './parameters.js';

export const PUBLIC_PREFIX = '/aws/service/';

/** Region long names as AWS's global infrastructure parameters give them. */
const REGION_NAMES: Readonly<Record<string, string>> = Object.freeze({
  'af-south-1': 'Africa (Cape Town)', 'ap-east-1': 'Asia Pacific (Hong Kong)', 'ap-east-2': 'Asia Pacific (Taipei)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)', 'ap-northeast-2': 'Asia Pacific (Seoul)', 'ap-northeast-3': 'Asia Pacific (Osaka)',
  'ap-south-1': 'Asia Pacific (Mumbai)', 'ap-south-2': 'Asia Pacific (Hyderabad)', 'ap-southeast-1': 'Asia Pacific (Singapore)',
  'ap-southeast-2': 'Asia Pacific (Sydney)', 'ap-southeast-3': 'Asia Pacific (Jakarta)', 'ap-southeast-4': 'Asia Pacific (Melbourne)',
  'ap-southeast-5': 'Asia Pacific (Malaysia)', 'ap-southeast-6': 'Asia Pacific (New Zealand)', 'ap-southeast-7': 'Asia Pacific (Thailand)',
  'ca-central-1': 'Canada (Central)', 'ca-west-1': 'Canada West (Calgary)', 'eu-central-1': 'Europe (Frankfurt)',
  'eu-central-2': 'Europe (Zurich)', 'eu-north-1': 'Europe (Stockholm)', 'eu-south-1': 'Europe (Milan)', 'eu-south-2': 'Europe (Spain)',
  'eu-west-1': 'Europe (Ireland)', 'eu-west-2': 'Europe (London)', 'eu-west-3': 'Europe (Paris)', 'il-central-1': 'Israel (Tel Aviv)',
  'me-central-1': 'Middle East (UAE)', 'me-south-1': 'Middle East (Bahrain)', 'mx-central-1': 'Mexico (Central)',
  'sa-east-1': 'South America (Sao Paulo)', 'us-east-1': 'US East (N. Virginia)', 'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)', 'us-west-2': 'US West (Oregon)', 'us-gov-east-1': 'AWS GovCloud (US-East)',
  'us-gov-west-1': 'AWS GovCloud (US-West)', 'cn-north-1': 'China (Beijing)', 'cn-northwest-1': 'China (Ningxia)',
  'us-iso-east-1': 'US ISO East', 'us-iso-west-1': 'US ISO WEST', 'us-isob-east-1': 'US ISOB East (Ohio)', 'eu-isoe-west-1': 'EU ISOE West',
  'us-isof-south-1': 'US ISOF SOUTH', 'us-isof-east-1': 'US ISOF EAST',
});

/** DNS suffix per partition. */
const DOMAINS: Readonly<Record<string, string>> = Object.freeze({
  aws: 'amazonaws.com', 'aws-cn': 'amazonaws.com.cn', 'aws-us-gov': 'amazonaws.com', 'aws-iso': 'c2s.ic.gov',
  'aws-iso-b': 'sc2s.sgov.gov', 'aws-iso-e': 'cloud.adc-e.uk', 'aws-iso-f': 'csp.hci.ic.gov',
});

/** The services listed under `global-infrastructure/services`, with their long names. */
const SERVICES: Readonly<Record<string, string>> = Object.freeze({
  acm: 'AWS Certificate Manager', apigateway: 'Amazon API Gateway', athena: 'Amazon Athena', cloudformation: 'AWS CloudFormation',
  cloudfront: 'Amazon CloudFront', cloudwatch: 'Amazon CloudWatch', codebuild: 'AWS CodeBuild', dynamodb: 'Amazon DynamoDB',
  ec2: 'Amazon Elastic Compute Cloud (EC2)', ecr: 'Amazon Elastic Container Registry (ECR)', ecs: 'Amazon Elastic Container Service (ECS)',
  eks: 'Amazon Elastic Kubernetes Service (EKS)', elasticache: 'Amazon ElastiCache', events: 'Amazon EventBridge', firehose: 'Amazon Data Firehose',
  iam: 'AWS Identity and Access Management (IAM)', kinesis: 'Amazon Kinesis Data Streams', kms: 'AWS Key Management Service (KMS)',
  lambda: 'AWS Lambda', logs: 'Amazon CloudWatch Logs', rds: 'Amazon Relational Database Service (RDS)', route53: 'Amazon Route 53',
  s3: 'Amazon Simple Storage Service (S3)', secretsmanager: 'AWS Secrets Manager', sns: 'Amazon Simple Notification Service (SNS)',
  sqs: 'Amazon Simple Queue Service (SQS)', ssm: 'AWS Systems Manager', stepfunctions: 'AWS Step Functions', sts: 'AWS Security Token Service',
});

/** AMI alias parameters, by family; `seed` makes aliases of one image (codename and number) share an id. */
const AMIS: ReadonlyArray<{ readonly name: string; readonly seed?: string }> = Object.freeze(
  [
    ...['amzn2-ami-hvm-x86_64-gp2', 'amzn2-ami-hvm-arm64-gp2', 'amzn2-ami-hvm-x86_64-ebs', 'amzn2-ami-kernel-5.10-hvm-x86_64-gp2',
      'amzn2-ami-kernel-5.10-hvm-arm64-gp2', 'al2023-ami-kernel-default-x86_64', 'al2023-ami-kernel-default-arm64', 'al2023-ami-kernel-6.1-x86_64',
      'al2023-ami-kernel-6.1-arm64', 'al2023-ami-minimal-kernel-default-x86_64', 'al2023-ami-minimal-kernel-default-arm64']
      .map((n) => ({ name: `ami-amazon-linux-latest/${n}` })),
    ...[['20.04', 'focal', 'ebs-gp2'], ['22.04', 'jammy', 'ebs-gp2'], ['24.04', 'noble', 'ebs-gp3']].flatMap(([release, codename, volume]) =>
      ['amd64', 'arm64'].flatMap((arch) => {
        const tail = `stable/current/${arch}/hvm/${volume}/ami-id`;
        const seed = `canonical/ubuntu/server/${release}/${tail}`;
        return [{ name: seed }, { name: `canonical/ubuntu/server/${codename}/${tail}`, seed }];
      }),
    ),
    { name: 'ecs/optimized-ami/amazon-linux-2/recommended/image_id' },
    { name: 'ecs/optimized-ami/amazon-linux-2023/recommended/image_id' },
    { name: 'ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id' },
  ].map((a) => Object.freeze(a)),
);

/** When every public parameter was last "published" (they never change here). */
const PUBLISHED = Date.parse('2026-11-01T00:00:00.000Z');

/** A stable, plausible AMI id for an alias in a region. */
export function amiId(region: string, seed: string): string {
  return `ami-${createHash('sha256').update(`${region}\u0000${seed}`).digest('hex').slice(0, 17)}`;
}

/** Every public parameter of a region's partition, as [name, value] pairs (computed, never kept). */
export function publicParameters(region: string): Array<[string, string]> {
  const partition = partitionOf(region);
  const regions = [...AWS_REGIONS].filter((r) => partitionOf(r) === partition).sort();
  const services = Object.keys(SERVICES);
  const infra = `${PUBLIC_PREFIX}global-infrastructure`;
  const out: Array<[string, string]> = [];
  for (const r of regions) {
    out.push([`${infra}/regions/${r}`, r], [`${infra}/regions/${r}/domain`, DOMAINS[partition] ?? 'amazonaws.com']);
    out.push([`${infra}/regions/${r}/longName`, REGION_NAMES[r] ?? r], [`${infra}/regions/${r}/partition`, partition]);
    for (const s of services) out.push([`${infra}/regions/${r}/services/${s}`, s]);
  }
  for (const s of services) {
    out.push([`${infra}/services/${s}`, s], [`${infra}/services/${s}/longName`, SERVICES[s]!]);
    for (const r of regions) out.push([`${infra}/services/${s}/regions/${r}`, r]);
  }
  for (const ami of AMIS) out.push([`${PUBLIC_PREFIX}${ami.name}`, amiId(region, ami.seed ?? ami.name)]);
  return out;
}

/** Whether a name lies in the public namespace (reads look there instead of the account's store). */
export function isPublicName(name: string): boolean {
  return name.startsWith(PUBLIC_PREFIX);
}

/** A public parameter in the stored shape (built on the spot), so that reads and filters treat it as any other. */
function asStored(name: string, value: string): StoredParameter {
  const version: StoredVersion = {
    version: 1, value, type: 'String', tier: 'Standard', policies: [], dataType: 'text', labels: [],
    lastModified: PUBLISHED, lastModifiedUser: '',
  };
  const versions = record<StoredVersion>();
  versions[1] = version;
  return { name, versions, latest: 1, tags: [] };
}

/** One public parameter by name, or undefined. */
export function findPublicParameter(region: string, name: string): StoredParameter | undefined {
  if (!isPublicName(name)) return undefined;
  const found = publicParameters(region).find(([n]) => n === name);
  return found ? asStored(found[0], found[1]) : undefined;
}

/** The public parameters under a path of `/aws/service`, sorted by name (none for other paths). */
export function publicParametersUnder(region: string, path: string, recursive: boolean, isUnderPath: (name: string, path: string, recursive: boolean) => boolean): StoredParameter[] {
  const p = path.endsWith('/') ? path : `${path}/`;
  if (!p.startsWith(PUBLIC_PREFIX)) return [];
  return publicParameters(region)
    .filter(([name]) => isUnderPath(name, path, recursive))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => asStored(name, value));
}

/** A public parameter's ARN: the region's, no account. */
export function publicArn(region: string, name: string): string {
  return formatArn({ service: 'ssm', region, resource: arnResourceOf(name) });
}
