/**
 * The `AWS::Serverless-2016-10-31` transform (SAM), run as CloudFormation runs it: once the
 * template is parsed, before anything else reads it (types, capabilities, parameters,
 * preparation), so that the rest of the engine only ever sees plain CloudFormation and
 * GetTemplate's Processed stage shows the expansion. The result keeps every other section,
 * drops `Globals` and the transform (AWS::LanguageExtensions stays declared when the template
 * lists it with SAM: the engine applies it later, while preparing), and is checked as a
 * template of its own.
 *
 * What each serverless type becomes, as the SAM specification writes it (logical ids kept, so
 * Ref and Fn::GetAtt of a SAM resource answer what SAM defines):
 * - `Globals` merged into the resources of each type (sam-globals.ts), then removed;
 * - `AWS::Serverless::Function` → `AWS::Lambda::Function` + `<Id>Role` (sam-function.ts);
 * - `AWS::Serverless::SimpleTable` → `AWS::DynamoDB::Table` (PrimaryKey `id` String by
 *   default, BillingMode PAY_PER_REQUEST unless ProvisionedThroughput is given);
 * - `AWS::Serverless::Application` → `AWS::CloudFormation::Stack` (Location a template URL;
 *   a Serverless Application Repository Location is refused: the emulator has no repository).
 * The other serverless types (Api, HttpApi, LayerVersion, StateMachine, Connector, GraphQLApi,
 * WebSocketApi, CapacityProvider) are left as written, so the stack fails naming the type, as
 * for any type the emulator does not have. So do the types a SAM resource expands to until
 * their service exists (AWS::Lambda::Function, AWS::DynamoDB::Table). Fn::ForEach loops are
 * expanded after SAM here (AWS expands them first): a loop that writes serverless resources
 * is not expanded by this transform.
 */
import type { PropertyValue } from '../../resources/resource-type.js';
import type { Template, TemplateResource } from '../index.js';
import { validateTemplate } from '../validate.js';
import { parseGlobals, withGlobals } from './sam-globals.js';
import { expandFunction, samTags } from './sam-function.js';
import { resourceError, SAM_TRANSFORM, SamError, transformFailed } from './sam-errors.js';

export { SAM_TRANSFORM } from './sam-errors.js';

type Json = Record<string, PropertyValue>;

const isMap = (value: PropertyValue | undefined): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const isIntrinsic = (value: PropertyValue | undefined): boolean =>
  isMap(value) && Object.keys(value).length === 1 && (Object.keys(value)[0] === 'Ref' || Object.keys(value)[0]!.startsWith('Fn::'));

/** What the transform needs from the stack's place. */
export interface SamOptions {
  /** The partition of the stack's region (AWS managed policy ARNs). */
  readonly partition: string;
  /** The ARN of the AWS managed policy named `name` (SAM's managed policy map), or undefined. */
  readonly managedPolicyArn?: (name: string) => Promise<string | undefined>;
}

/** A serverless resource with its globals merged. */
export interface SamResource extends TemplateResource {
  readonly Properties: Json;
}

/** What the expansion of one type reads. */
export interface SamContext {
  /** `arn:<partition>:iam::aws:policy/<name>`. */
  awsPolicyArn(name: string): string;
  managedPolicyArn(name: string): Promise<string | undefined>;
  /** The resource attributes the main generated resource keeps (DependsOn, Condition, policies, Metadata). */
  attributes(resource: TemplateResource): Json;
  /** The attributes SAM passes to every resource it generates (Condition, DeletionPolicy, UpdateReplacePolicy). */
  passThrough(resource: TemplateResource): Json;
}

/** Whether a template declares the SAM transform. */
export function declaresSam(template: { readonly Transform?: PropertyValue }): boolean {
  const transform = template.Transform;
  return transform === SAM_TRANSFORM || (Array.isArray(transform) && transform.includes(SAM_TRANSFORM));
}

function pick(resource: TemplateResource, names: readonly string[]): Json {
  const out: Json = {};
  for (const name of names) {
    const value = (resource as unknown as Json)[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function simpleTable(logicalId: string, resource: SamResource): Json {
  const props = resource.Properties;
  let key: Json = { AttributeName: 'id', AttributeType: 'S' };
  if (props.PrimaryKey !== undefined) {
    const primary = props.PrimaryKey;
    if (!isMap(primary)) throw resourceError(logicalId, "Property 'PrimaryKey' should be a map.");
    if (primary.Name === undefined) throw resourceError(logicalId, "Property 'PrimaryKey.Name' is required.");
    if (primary.Type === undefined) throw resourceError(logicalId, "Property 'PrimaryKey.Type' is required.");
    const types: Record<string, string> = { String: 'S', Number: 'N', Binary: 'B' };
    const type = typeof primary.Type === 'string' ? types[primary.Type] : undefined;
    if (!type) throw resourceError(logicalId, `Invalid 'Type' "${typeof primary.Type === 'string' ? primary.Type : JSON.stringify(primary.Type)}".`);
    key = { AttributeName: primary.Name, AttributeType: type };
  }
  const properties: Json = {
    AttributeDefinitions: [key],
    KeySchema: [{ AttributeName: key.AttributeName!, KeyType: 'HASH' }],
    ...(props.PointInTimeRecoverySpecification !== undefined ? { PointInTimeRecoverySpecification: props.PointInTimeRecoverySpecification } : {}),
    ...(props.ProvisionedThroughput !== undefined ? { ProvisionedThroughput: props.ProvisionedThroughput } : { BillingMode: 'PAY_PER_REQUEST' }),
    ...(props.SSESpecification !== undefined ? { SSESpecification: props.SSESpecification } : {}),
    ...(props.TableName !== undefined ? { TableName: props.TableName } : {}),
  };
  if (props.Tags !== undefined) {
    if (!isMap(props.Tags)) throw resourceError(logicalId, "Property 'Tags' should be a map.");
    if (Object.keys(props.Tags).length > 0) properties.Tags = Object.entries(props.Tags).map(([Key, Value]) => ({ Key, Value }));
  }
  return { Type: 'AWS::DynamoDB::Table', Properties: properties };
}

function application(logicalId: string, resource: SamResource): Json {
  const props = resource.Properties;
  const location = props.Location;
  if (location === undefined) throw resourceError(logicalId, 'Missing required property \'Location\'.');
  if (isMap(location) && !isIntrinsic(location)) {
    throw resourceError(
      logicalId,
      'Location with ApplicationId and SemanticVersion (an application of the AWS Serverless Application Repository) is not supported by this emulator: give Location as the URL of the application\'s template in S3.',
    );
  }
  if (typeof location !== 'string' && !isIntrinsic(location)) throw resourceError(logicalId, "Type of property 'Location' is invalid.");
  return {
    Type: 'AWS::CloudFormation::Stack',
    Properties: {
      ...(props.Parameters !== undefined ? { Parameters: props.Parameters } : {}),
      ...(props.NotificationARNs !== undefined ? { NotificationARNs: props.NotificationARNs } : {}),
      Tags: samTags(logicalId, props.Tags),
      ...(props.TimeoutInMinutes !== undefined ? { TimeoutInMinutes: props.TimeoutInMinutes } : {}),
      TemplateURL: location,
    },
  };
}

/**
 * The template with SAM expanded (see the module's description); the template itself when it
 * does not declare the transform. ValidationError ("Transform AWS::Serverless-2016-10-31
 * failed with: ...") listing every problem found.
 */
export async function expandSam(template: Template, options: SamOptions): Promise<Template> {
  if (!declaresSam(template)) return template;
  const document = template as unknown as Json;
  const errors: SamError[] = [];
  let globals = new Map<string, Json>();
  try {
    globals = parseGlobals(document.Globals);
  } catch (error) {
    if (!(error instanceof SamError)) throw error;
    throw transformFailed([error]);
  }
  const ctx: SamContext = {
    awsPolicyArn: (name) => `arn:${options.partition}:iam::aws:policy/${name}`,
    managedPolicyArn: async (name) => (options.managedPolicyArn ? options.managedPolicyArn(name) : undefined),
    attributes: (resource) => pick(resource, ['DependsOn', 'Condition', 'DeletionPolicy', 'UpdateReplacePolicy', 'UpdatePolicy', 'Metadata']),
    passThrough: (resource) => pick(resource, ['Condition', 'DeletionPolicy', 'UpdateReplacePolicy']),
  };
  const resources: Record<string, Json> = {};
  const generated = new Map<string, string>();
  for (const [logicalId, written] of Object.entries(template.Resources)) {
    const type = isMap(written as unknown as PropertyValue) ? written.Type : undefined;
    if (typeof type !== 'string' || !type.startsWith('AWS::Serverless::') || !['AWS::Serverless::Function', 'AWS::Serverless::SimpleTable', 'AWS::Serverless::Application'].includes(type)) {
      resources[logicalId] = written as unknown as Json;
      continue;
    }
    try {
      if (written.Properties !== undefined && !isMap(written.Properties)) throw resourceError(logicalId, "Property 'Properties' should be a map.");
      const { IgnoreGlobals: ignore, ...attributes } = written as unknown as Json;
      const merged = withGlobals(globals, logicalId, type, (written.Properties ?? {}) as Json, ignore);
      const resource = { ...(attributes as unknown as TemplateResource), Properties: merged };
      const expanded =
        type === 'AWS::Serverless::Function'
          ? await expandFunction(ctx, logicalId, resource, errors)
          : { [logicalId]: { ...(type === 'AWS::Serverless::SimpleTable' ? simpleTable(logicalId, resource) : application(logicalId, resource)), ...ctx.attributes(resource) } };
      for (const [id, out] of Object.entries(expanded)) {
        if (id !== logicalId) generated.set(id, logicalId);
        resources[id] = out;
      }
    } catch (error) {
      if (!(error instanceof SamError)) throw error;
      errors.push(error);
    }
  }
  for (const [id, from] of generated) {
    if (id in template.Resources) errors.push(new SamError(`Transforming resource with id [${from}] attempts to create a new resource with id [${id}] and type "AWS::IAM::Role". A resource with that id already exists within this template. Please use a different id for that resource.`));
  }
  if (errors.length > 0) throw transformFailed(errors.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)));
  const { Globals: _globals, Transform: transform, ...rest } = document;
  const remaining = (Array.isArray(transform) ? transform : [transform]).filter((t) => t !== SAM_TRANSFORM);
  const out: Json = { ...rest, Resources: resources };
  // the sections keep their place in the document; Transform only when another one remains
  const ordered: Json = {};
  for (const key of Object.keys(document)) {
    if (key === 'Globals') continue;
    if (key === 'Transform') {
      if (remaining.length > 0) ordered.Transform = remaining.length === 1 ? remaining[0]! : remaining;
      continue;
    }
    ordered[key] = out[key]!;
  }
  return validateTemplate(ordered);
}
