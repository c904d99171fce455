/**
 * `AWS::Serverless::Function` as SAM expands it: an `AWS::Lambda::Function` under the same
 * logical id (so Ref answers the function's name and `Fn::GetAtt <Fn>.Arn` its ARN, as SAM
 * defines them), and, unless the function names its own `Role`, an execution role
 * `<LogicalId>Role` trusted by lambda.amazonaws.com with AWSLambdaBasicExecutionRole (plus
 * X-Ray and VPC access when Tracing or VpcConfig ask for them) and the function's `Policies`.
 * Both carry the tag `lambda:createdBy: SAM` before the function's own tags.
 *
 * Supported `Policies` entries (a list, or one entry): AWS managed policy names (their ARN
 * looked up, as SAM does), policy ARNs and intrinsic functions (ManagedPolicyArns, duplicates
 * dropped), and inline documents (`Statement`: a policy `<Role>Policy<index>`). SAM's policy
 * templates (`SQSPollerPolicy: {...}`) are refused by name, as are what needs services or
 * resources the emulator does not have yet: Events, AutoPublishAlias (versions and aliases),
 * DeploymentPreference, ProvisionedConcurrencyConfig, EventInvokeConfig, FunctionUrlConfig.
 * A DeadLetterQueue becomes DeadLetterConfig and the role's `DeadLetterQueuePolicy`. The
 * Lambda function itself fails its stack naming AWS::Lambda::Function until Lambda is
 * emulated, as an unknown type does.
 */
import type { PropertyValue } from '../../resources/resource-type.js';
import { resourceError, type SamError } from './sam-errors.js';
import type { SamContext, SamResource } from './sam.js';

type Json = Record<string, PropertyValue>;

const isMap = (value: PropertyValue | undefined): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const isIntrinsic = (value: PropertyValue | undefined): boolean =>
  isMap(value) && Object.keys(value).length === 1 && (Object.keys(value)[0] === 'Ref' || Object.keys(value)[0]!.startsWith('Fn::'));

/** Properties SAM copies onto the Lambda function as they are. */
const PASSED = [
  'FunctionName', 'Handler', 'Runtime', 'Description', 'MemorySize', 'Timeout', 'VpcConfig', 'Role', 'Environment', 'KmsKeyArn', 'ReservedConcurrentExecutions',
  'Layers', 'FileSystemConfigs', 'ImageConfig', 'PackageType', 'Architectures', 'SnapStart', 'EphemeralStorage', 'CodeSigningConfigArn',
  'RuntimeManagementConfig', 'LoggingConfig', 'RecursiveLoop',
];

/** Properties that need what the emulator does not have yet: refused by name rather than dropped. */
const NOT_YET = ['AutoPublishAlias', 'DeploymentPreference', 'ProvisionedConcurrencyConfig', 'EventInvokeConfig', 'FunctionUrlConfig', 'CapacityProviderConfig', 'DurableConfig'];

/** What a function's role may do to its dead-letter queue or topic. */
const DLQ_ACTIONS: Readonly<Record<string, string>> = { SQS: 'sqs:SendMessage', SNS: 'sns:Publish' };

/** DeadLetterQueue {Type: SQS | SNS, TargetArn}, checked as SAM checks it. */
function deadLetterQueue(logicalId: string, dlq: PropertyValue | undefined): { action: string; target: PropertyValue } | undefined {
  if (dlq === undefined) return undefined;
  if (!isMap(dlq) || dlq.Type === undefined || dlq.TargetArn === undefined) throw resourceError(logicalId, "'DeadLetterQueue' requires Type and TargetArn properties to be specified.");
  const action = typeof dlq.Type === 'string' ? DLQ_ACTIONS[dlq.Type] : undefined;
  if (!action) throw resourceError(logicalId, "'DeadLetterQueue' requires Type of ['SQS', 'SNS']");
  return { action, target: dlq.TargetArn };
}

/** The trust policy SAM gives a function's role. */
function lambdaTrust(): Json {
  return { Version: '2012-10-17', Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] } }] };
}

/** The tag list SAM writes: `lambda:createdBy: SAM`, then the resource's Tags map. */
export function samTags(logicalId: string, tags: PropertyValue | undefined): Json[] {
  if (tags !== undefined && !isMap(tags)) throw resourceError(logicalId, "Property 'Tags' should be a map.");
  if (tags && 'lambda:createdBy' in tags) throw resourceError(logicalId, 'lambda:createdBy is a reserved Tag key name and cannot be set on your resource. Please change the tag key in the input.');
  return [{ Key: 'lambda:createdBy', Value: 'SAM' }, ...Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }))];
}

/** CodeUri (`s3://bucket/key[?versionId=...]` or {Bucket, Key, Version}) as a Lambda Code. */
function s3Code(logicalId: string, uri: PropertyValue): Json {
  if (typeof uri === 'string') {
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    if (!match) throw resourceError(logicalId, `'CodeUri' is not a valid S3 Uri of the form 's3://bucket/key' with optional versionId query parameter.`);
    const [key, query] = match[2]!.split('?', 2) as [string, string | undefined];
    const version = query ? new URLSearchParams(query).get('versionId') : null;
    return { S3Bucket: match[1]!, S3Key: key, ...(version ? { S3ObjectVersion: version } : {}) };
  }
  if (isMap(uri) && !isIntrinsic(uri)) {
    if (uri.Bucket === undefined || uri.Key === undefined) throw resourceError(logicalId, "'CodeUri' requires Bucket and Key properties to be specified.");
    return { S3Bucket: uri.Bucket, S3Key: uri.Key, ...(uri.Version !== undefined ? { S3ObjectVersion: uri.Version } : {}) };
  }
  throw resourceError(logicalId, "Type of property 'CodeUri' is invalid.");
}

function code(logicalId: string, props: Json): Json {
  if (props.PackageType === 'Image') {
    if (props.ImageUri === undefined) throw resourceError(logicalId, "'ImageUri' must be set.");
    return { ImageUri: props.ImageUri };
  }
  if (props.PackageType !== undefined && props.PackageType !== 'Zip' && !isIntrinsic(props.PackageType)) {
    throw resourceError(logicalId, `PackageType needs to be \`Zip\` or \`Image\``);
  }
  const inline = props.InlineCode;
  const uri = props.CodeUri;
  if ((inline === undefined) === (uri === undefined)) throw resourceError(logicalId, "Only one of 'InlineCode' or 'CodeUri' can be set.");
  const out = inline !== undefined ? { ZipFile: inline } : s3Code(logicalId, uri!);
  return props.SourceKMSKeyArn !== undefined ? { ...out, SourceKMSKeyArn: props.SourceKMSKeyArn } : out;
}

/** The function's role, from its Policies (see the module's description). */
async function role(ctx: SamContext, logicalId: string, props: Json, tags: Json[]): Promise<Json> {
  const roleId = `${logicalId}Role`;
  const managed: PropertyValue[] = [ctx.awsPolicyArn('service-role/AWSLambdaBasicExecutionRole')];
  if (props.Tracing !== undefined && props.Tracing !== 'Disabled') managed.push(ctx.awsPolicyArn('AWSXrayWriteOnlyAccess'));
  if (props.VpcConfig !== undefined) managed.push(ctx.awsPolicyArn('service-role/AWSLambdaVPCAccessExecutionRole'));
  const inline: Json[] = [];
  const dlq = deadLetterQueue(logicalId, props.DeadLetterQueue);
  if (dlq) inline.push({ PolicyName: 'DeadLetterQueuePolicy', PolicyDocument: { Version: '2012-10-17', Statement: [{ Action: dlq.action, Resource: dlq.target, Effect: 'Allow' }] } });
  const policies = props.Policies === undefined ? [] : Array.isArray(props.Policies) ? props.Policies : [props.Policies];
  for (const [index, entry] of policies.entries()) {
    if (typeof entry === 'string') managed.push((await ctx.managedPolicyArn(entry)) ?? entry);
    else if (isIntrinsic(entry)) managed.push(entry);
    else if (isMap(entry) && 'Statement' in entry) inline.push({ PolicyName: `${roleId}Policy${index}`, PolicyDocument: entry });
    else if (isMap(entry) && Object.keys(entry).length === 1) {
      throw resourceError(logicalId, `Policy template '${Object.keys(entry)[0]}' is not supported by this emulator yet; write the policy's statements inline instead.`);
    } else throw resourceError(logicalId, "Type of property 'Policies' is invalid.");
  }
  const unique: PropertyValue[] = [];
  for (const arn of managed) if (!unique.some((seen) => JSON.stringify(seen) === JSON.stringify(arn))) unique.push(arn);
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: props.AssumeRolePolicyDocument ?? lambdaTrust(),
      ManagedPolicyArns: unique,
      ...(inline.length > 0 ? { Policies: inline } : {}),
      ...(props.RolePath !== undefined ? { Path: props.RolePath } : {}),
      ...(props.PermissionsBoundary !== undefined ? { PermissionsBoundary: props.PermissionsBoundary } : {}),
      Tags: tags,
    },
  };
}

/** The resources an AWS::Serverless::Function expands to, by logical id. */
export async function expandFunction(ctx: SamContext, logicalId: string, resource: SamResource, errors: SamError[]): Promise<Record<string, Json>> {
  const props = resource.Properties;
  for (const name of NOT_YET) {
    if (props[name] !== undefined) throw resourceError(logicalId, `${name} is not supported by this emulator yet.`);
  }
  if (props.Events !== undefined) {
    if (!isMap(props.Events)) throw resourceError(logicalId, "Property 'Events' should be a map.");
    for (const [eventId, event] of Object.entries(props.Events)) {
      const type = isMap(event) && typeof event.Type === 'string' ? event.Type : undefined;
      errors.push(resourceError(logicalId, `Event with id [${eventId}] is invalid. Event type '${type ?? String(type)}' is not supported by this emulator yet.`));
    }
  }
  const tags = samTags(logicalId, props.Tags);
  const properties: Json = {};
  for (const name of PASSED) if (props[name] !== undefined) properties[name] = props[name]!;
  properties.Code = code(logicalId, props);
  if (props.PackageType !== 'Image' && (props.Runtime === undefined || props.Handler === undefined)) {
    throw resourceError(logicalId, 'Runtime and Handler needs to be present when PackageType is of type `Zip`');
  }
  if (props.Tracing !== undefined && props.Tracing !== 'Disabled') properties.TracingConfig = { Mode: props.Tracing };
  const dlq = deadLetterQueue(logicalId, props.DeadLetterQueue);
  if (dlq) properties.DeadLetterConfig = { TargetArn: dlq.target };
  properties.Tags = tags;
  const out: Record<string, Json> = {};
  if (props.Role === undefined) {
    properties.Role = { 'Fn::GetAtt': [`${logicalId}Role`, 'Arn'] };
    out[`${logicalId}Role`] = { ...(await role(ctx, logicalId, props, tags)), ...ctx.passThrough(resource) };
  }
  out[logicalId] = { Type: 'AWS::Lambda::Function', Properties: properties, ...ctx.attributes(resource) };
  return out;
}
