/**
 * The template language, as the engine uses it: THE contract between template/ (parsing,
 * parameters, conditions, mappings, intrinsic functions, dependencies) and the engine (stacks,
 * change sets, deployment), so that each side is built and tested on its own.
 *
 *   const template = parseTemplate(body);                    // JSON or YAML (short-form tags)
 *   const processed = await expandTransforms(template, { partition });  // SAM expanded (transforms/)
 *   const plan = await prepareTemplate(template, { parameters, pseudo, resolvers });
 *   // plan.resources: each resource's type, raw properties, dependencies, policies,
 *   //                 skipped when its Condition is false; in an order that respects them
 *   const props = resolveValue(plan.resources.get('Queue')!.properties, plan, refs);
 *   // refs answers Ref and Fn::GetAtt of resources as the engine created them
 *
 * Every failure is a ServiceError ValidationError (400, Sender) with AWS's message (the
 * `templateError` helper), thrown before anything is created.
 *
 * The work is in the modules beside this one, each a set of pure functions: parse.ts and
 * yaml-tags.ts (JSON and YAML bodies), validate.ts (the template's shape and names),
 * parameters.ts, pseudo.ts, conditions.ts, mappings.ts, rules.ts, intrinsics.ts (with sub.ts
 * and cidr.ts), references.ts and dependencies.ts (what refers to what, and the order),
 * dynamic-references.ts (`{{resolve:...}}`), foreach.ts (Fn::ForEach loops), prepare.ts
 * (prepareTemplate, resolveValue).
 * This file keeps the contract's types and re-exports the functions.
 */
import type { PropertyValue } from '../resources/resource-type.js';

/** A parsed template: the document as plain JSON values (YAML short tags turned into their `Fn::` forms). */
export interface Template {
  readonly AWSTemplateFormatVersion?: string;
  readonly Description?: string;
  readonly Metadata?: Record<string, PropertyValue>;
  readonly Parameters?: Record<string, Record<string, PropertyValue>>;
  readonly Mappings?: Record<string, Record<string, Record<string, PropertyValue>>>;
  readonly Conditions?: Record<string, PropertyValue>;
  readonly Transform?: string | string[];
  readonly Resources: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, Record<string, PropertyValue>>;
  readonly Rules?: Record<string, PropertyValue>;
}

/** A resource as the template writes it. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, PropertyValue>;
  readonly DependsOn?: string | string[];
  readonly Condition?: string;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Metadata?: Record<string, PropertyValue>;
}

/** The pseudo parameters' values for one stack (AWS::AccountId, AWS::Region, AWS::StackName, ...). */
export interface PseudoParameters {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly urlSuffix: string;
  readonly stackName: string;
  readonly stackId: string;
  readonly notificationArns: readonly string[];
}

/** What preparing a template may need from outside: SSM parameter values (parameter types, dynamic references). */
export interface TemplateResolvers {
  /** The value of an SSM parameter (`AWS::SSM::Parameter::Value<...>` types, `{{resolve:ssm:...}}`); throws ValidationError when missing. */
  ssmParameter(name: string): Promise<string>;
  /** `{{resolve:secretsmanager:...}}`: a secret's value (or a JSON key of it); throws when unavailable. */
  secret?(reference: string): Promise<string>;
}

/** One parameter as the stack reports it (DescribeStacks Parameters). */
export interface ResolvedParameter {
  readonly key: string;
  readonly value: string;
  /** For SSM parameter types: the value resolved from SSM. */
  readonly resolvedValue?: string;
  readonly noEcho: boolean;
}

/** A resource ready to deploy. */
export interface PlannedResource {
  readonly logicalId: string;
  readonly type: string;
  /** Properties still holding Ref / Fn::GetAtt / Fn::Sub ... of resources: resolveValue resolves them once those exist. */
  readonly properties: Record<string, PropertyValue>;
  /** Resources this one waits for: DependsOn and every resource its properties refer to. */
  readonly dependsOn: readonly string[];
  readonly deletionPolicy: 'Delete' | 'Retain' | 'Snapshot';
  readonly updateReplacePolicy: 'Delete' | 'Retain' | 'Snapshot';
  readonly metadata?: Record<string, PropertyValue>;
}

/** A template prepared for one stack: parameters bound, conditions evaluated, resources planned. */
export interface PreparedTemplate {
  readonly template: Template;
  readonly parameters: readonly ResolvedParameter[];
  /** The conditions' values. */
  readonly conditions: Readonly<Record<string, boolean>>;
  /** Resources whose Condition holds, in an order where each comes after what it depends on. */
  readonly resources: ReadonlyMap<string, PlannedResource>;
  /** Outputs whose Condition holds, unresolved. */
  readonly outputs: Readonly<Record<string, { readonly value: PropertyValue; readonly description?: string; readonly exportName?: PropertyValue }>>;
  /**
   * The pseudo parameters the template was prepared with (resolveValue reads AWS::Region, ...
   * from here). Always set by prepareTemplate; optional only so that a PreparedTemplate built
   * by hand stays valid.
   */
  readonly pseudo?: PseudoParameters;
}

/** What prepareTemplate is given. */
export interface PrepareOptions {
  /** Parameter values by key (CreateStack / UpdateStack / CreateChangeSet `Parameters`). */
  readonly parameters: Readonly<Record<string, string>>;
  readonly pseudo: PseudoParameters;
  readonly resolvers: TemplateResolvers;
  /** The stack's current prepared template, on an update: where UsePreviousValue reads. */
  readonly previous?: PreparedTemplate;
  /** Keys given with `UsePreviousValue: true`: their value is the one in `previous` (SSM types resolved again). */
  readonly usePreviousValues?: readonly string[];
}

/** How resolveValue reads what the engine created. */
export interface ResourceRefs {
  /** Ref of a resource: its physical id. */
  ref(logicalId: string): PropertyValue;
  /** Fn::GetAtt of a resource's attribute. */
  getAtt(logicalId: string, attribute: string): PropertyValue;
  /** Fn::ImportValue: the value an export of the account and region has; throws ValidationError when none. */
  importValue(name: string): PropertyValue;
  /** Fn::GetAZs: the availability zones of a region. */
  availabilityZones(region: string): readonly string[];
}

export { templateError } from './errors.js';
export { parseTemplate } from './parse.js';
export { prepareTemplate, resolveValue } from './prepare.js';
export { parseSecretReference, type SecretReference } from './dynamic-references.js';
export { expandSam as expandTransforms, declaresSam, type SamOptions as TransformOptions } from './transforms/sam.js';
