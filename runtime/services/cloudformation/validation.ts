/**
 * What CloudFormation refuses before anything is created, beyond the template language's own
 * checks: resource types it does not know (`Template format error: Unrecognized resource
 * types: [...]`, or skipped with a warning under CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES), the
 * capabilities IAM resources need (InsufficientCapabilitiesException, `Requires capabilities :
 * [CAPABILITY_IAM]`), and Fn::GetAtt of attributes a type does not have.
 */
import { cloudformationError } from './errors.js';
import type { CfnDeps } from './language.js';
import type { Place } from './state.js';
import type { PropertyValue } from './resources/resource-type.js';
import { templateError, type PreparedTemplate, type Template } from './template/index.js';

/** Types that need CAPABILITY_IAM (the IAM resources CloudFormation lists). */
const IAM_TYPES = new Set(['AWS::IAM::AccessKey', 'AWS::IAM::Group', 'AWS::IAM::InstanceProfile', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::UserToGroupAddition']);
/** The property that gives each IAM type a custom name (CAPABILITY_NAMED_IAM then). */
const IAM_NAMES: Readonly<Record<string, string>> = {
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::User': 'UserName',
};

/** The capability a template needs and the types that need it, or undefined. */
export function requiredCapability(template: Template): { capability: 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM'; types: string[] } | undefined {
  let named = false;
  const types = new Set<string>();
  for (const resource of Object.values(template.Resources ?? {})) {
    if (!IAM_TYPES.has(resource.Type)) continue;
    types.add(resource.Type);
    const nameKey = IAM_NAMES[resource.Type];
    if (nameKey && resource.Properties?.[nameKey] !== undefined) named = true;
  }
  if (types.size === 0) return undefined;
  return { capability: named ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM', types: [...types] };
}

/** InsufficientCapabilitiesException when the template needs a capability not given. */
export function checkCapabilities(template: Template, given: readonly string[] | undefined): void {
  const need = requiredCapability(template);
  if (!need) return;
  const have = new Set(given ?? []);
  if (have.has('CAPABILITY_NAMED_IAM') || (need.capability === 'CAPABILITY_IAM' && have.has('CAPABILITY_IAM'))) return;
  throw cloudformationError('InsufficientCapabilitiesException', `Requires capabilities : [${need.capability}]`);
}

/** Whether a type is a custom resource (backed by a ServiceToken). */
export function isCustomResource(type: string): boolean {
  return type === 'AWS::CloudFormation::CustomResource' || type.startsWith('Custom::');
}

/** The template's types nothing here emulates, in the order they first appear. */
export async function unsupportedTypes(deps: CfnDeps, resources: Iterable<{ readonly Type?: unknown } | undefined>): Promise<string[]> {
  const unknown: string[] = [];
  for (const resource of resources) {
    if (typeof resource?.Type !== 'string' || unknown.includes(resource.Type)) continue;
    if (!(await deps.resourceType(resource.Type))) unknown.push(resource.Type);
  }
  return unknown;
}

/**
 * The types check: resources of types nothing emulates are refused as AWS refuses an unknown
 * type, unless CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES lets the engine skip them. A stack checks
 * the resources it will create (their Condition holds: the CDK's bootstrap template declares a
 * KMS key it creates only when asked), ValidateTemplate every resource.
 */
export async function checkResourceTypes(deps: CfnDeps, resources: Iterable<{ readonly Type?: unknown } | undefined>): Promise<void> {
  const unknown = await unsupportedTypes(deps, resources);
  if (unknown.length === 0) return;
  if (deps.context.config.cfnIgnoreUnsupportedResourceTypes) {
    deps.context.log.warn(`cloudformation: resource types not supported, skipped (CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES): ${unknown.join(', ')}`);
    return;
  }
  throw templateError(`Template format error: Unrecognized resource types: [${unknown.join(', ')}]`);
}

/** Every Fn::GetAtt in a value, as [logical id, attribute]. */
function* getAtts(value: PropertyValue | undefined): Generator<[string, string]> {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) yield* getAtts(item);
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'Fn::GetAtt') {
      if (Array.isArray(inner) && typeof inner[0] === 'string' && typeof inner[1] === 'string') yield [inner[0], inner[1]];
      else if (typeof inner === 'string' && inner.includes('.')) yield [inner.slice(0, inner.indexOf('.')), inner.slice(inner.indexOf('.') + 1)];
    }
    yield* getAtts(inner);
  }
}

/** Every Fn::ImportValue argument in a value. */
function* importArguments(value: PropertyValue | undefined): Generator<PropertyValue> {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) yield* importArguments(item);
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'Fn::ImportValue') yield inner;
    else yield* importArguments(inner);
  }
}

/**
 * Fn::ImportValue of a name no stack exports: refused when the stack is submitted, as AWS
 * does (names that depend on resources are checked when they resolve).
 */
export function checkImports(deps: CfnDeps, at: Place, prepared: PreparedTemplate): void {
  const exports = deps.store.of(at).exports;
  const unknown = () => {
    throw new Error('not known before deployment');
  };
  const refs = { ref: unknown, getAtt: unknown, importValue: unknown, availabilityZones: (region: string) => ['a', 'b', 'c'].map((z) => `${region || at.region}${z}`) };
  const values: PropertyValue[] = [...[...prepared.resources.values()].map((r) => r.properties), ...Object.values(prepared.outputs).map((o) => o.value)];
  for (const value of values) {
    for (const argument of importArguments(value)) {
      let name: PropertyValue;
      try {
        name = deps.language.resolveValue(argument, prepared, refs);
      } catch {
        continue;
      }
      if (typeof name === 'string' && !exports[name]) throw templateError(`No export named ${name} found.`);
    }
  }
}

/** Fn::GetAtt of an attribute its resource's type does not have: AWS's template error. */
export async function checkAttributes(deps: CfnDeps, prepared: PreparedTemplate): Promise<void> {
  const values: PropertyValue[] = [...[...prepared.resources.values()].map((r) => r.properties), ...Object.values(prepared.outputs).map((o) => o.value)];
  for (const value of values) {
    for (const [logicalId, attribute] of getAtts(value)) {
      const planned = prepared.resources.get(logicalId);
      if (!planned) continue;
      const type = await deps.resourceType(planned.type);
      if (!type?.attributes || isCustomResource(planned.type)) continue;
      if (!type.attributes.includes(attribute)) throw templateError(`Template error: resource ${logicalId} does not support attribute type ${attribute} in Fn::GetAtt`);
    }
  }
}
