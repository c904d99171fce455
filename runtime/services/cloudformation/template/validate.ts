/**
 * A parsed document checked as CloudFormation checks a template before it uses it (what
 * ValidateTemplate reports): known sections, the format version, Resources present and each
 * with a Type and known attributes, parameters with known types, outputs with values,
 * functions CloudFormation supports, and every Ref, Fn::GetAtt, Fn::Sub variable, DependsOn
 * and Condition naming something that exists. What depends on the stack (parameter values,
 * conditions, cycles between the resources created) is prepare.ts's.
 */
import type { PropertyValue } from '../resources/resource-type.js';
import { templateError, unresolvedDependencies, type TemplateBlock } from './errors.js';
import type { Template } from './index.js';
import { parameterKind } from './parameters.js';
import { PSEUDO_PARAMETERS } from './pseudo.js';
import { checkForEachShape, hasForEach } from './foreach.js';
import { collectReferences, subVariableTarget } from './references.js';

const SECTIONS = new Set(['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Transform', 'Resources', 'Outputs', 'Hooks']);
const RESOURCE_ATTRIBUTES = new Set(['Type', 'Properties', 'DependsOn', 'Condition', 'DeletionPolicy', 'UpdateReplacePolicy', 'Metadata', 'CreationPolicy', 'UpdatePolicy', 'Version', 'Description']);
/** Resource attributes SAM reads (and removes) when it transforms a template. */
const MACRO_RESOURCE_ATTRIBUTES = new Set(['IgnoreGlobals', 'Connectors']);
const PARAMETER_PROPERTIES = new Set(['Type', 'Default', 'AllowedValues', 'AllowedPattern', 'ConstraintDescription', 'Description', 'MaxLength', 'MaxValue', 'MinLength', 'MinValue', 'NoEcho']);

/** The functions CloudFormation lists when it meets another (its message's own list, in its order). */
export const SUPPORTED_FUNCTIONS = [
  'Fn::Base64', 'Fn::GetAtt', 'Fn::GetAZs', 'Fn::ImportValue', 'Fn::Join', 'Fn::Split', 'Fn::FindInMap', 'Fn::Select', 'Ref', 'Fn::Equals',
  'Fn::If', 'Fn::Not', 'Condition', 'Fn::And', 'Fn::Or', 'Fn::Contains', 'Fn::EachMemberEquals', 'Fn::EachMemberIn', 'Fn::ValueOf',
  'Fn::ValueOfAll', 'Fn::RefAll', 'Fn::Sub', 'Fn::Cidr',
];
/** The functions `Transform: AWS::LanguageExtensions` adds. */
export const LANGUAGE_EXTENSION_FUNCTIONS = ['Fn::Length', 'Fn::ToJsonString', 'Fn::ForEach'];

type Json = Record<string, PropertyValue>;

const isObject = (value: PropertyValue | undefined): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Whether the template declares `Transform: AWS::LanguageExtensions` (Fn::Length, Fn::ToJsonString, FindInMap defaults). */
export function hasLanguageExtensions(template: { readonly Transform?: PropertyValue }): boolean {
  const transform = template.Transform;
  return transform === 'AWS::LanguageExtensions' || (Array.isArray(transform) && transform.includes('AWS::LanguageExtensions'));
}

/**
 * The macros a template declares other than AWS::LanguageExtensions (`AWS::Serverless-2016-10-31`,
 * `AWS::Include`, account macros): AWS runs them before it validates, so the template as
 * written may have their sections (SAM's Globals), resource attributes and names they create
 * (SAM's `<Function>Role`).
 */
export function declaresMacros(template: { readonly Transform?: PropertyValue }): boolean {
  const transforms = Array.isArray(template.Transform) ? template.Transform : template.Transform === undefined ? [] : [template.Transform];
  return transforms.some((transform) => transform !== 'AWS::LanguageExtensions');
}

/** Checks a parsed document's shape; returns it as a Template, or throws ValidationError as AWS words it. */
export function validateTemplate(document: PropertyValue): Template {
  if (!isObject(document)) throw templateError('Template format error: unsupported structure.');
  const macros = declaresMacros(document);
  const unknown = Object.keys(document).filter((key) => !SECTIONS.has(key) && !(macros && key === 'Globals'));
  if (unknown.length > 0) throw templateError(`Invalid template property or properties [${unknown.join(', ')}]`);
  const version = document.AWSTemplateFormatVersion;
  if (version !== undefined && version !== '2010-09-09') {
    throw templateError('Template format error: unsupported value for AWSTemplateFormatVersion.');
  }
  const resources = document.Resources;
  if (!isObject(resources) || Object.keys(resources).length === 0) throw templateError('Template format error: At least one Resources member must be defined.');
  const loops = hasLanguageExtensions(document);
  for (const [id, resource] of Object.entries(resources)) {
    // a loop writes its resources when the template is prepared (foreach.ts); they are checked then
    if (loops && id.startsWith('Fn::ForEach::')) checkForEachShape(resource);
    else checkResource(id, resource, macros);
  }
  checkParameters(document.Parameters);
  checkMappings(document.Mappings);
  if (document.Conditions !== undefined && !isObject(document.Conditions)) throw templateError('Template format error: Every Conditions member must be an object.');
  if (document.Outputs !== undefined) {
    if (!isObject(document.Outputs)) throw templateError('Template format error: Every Outputs member must contain a Value object');
    for (const [name, output] of Object.entries(document.Outputs)) {
      if (loops && name.startsWith('Fn::ForEach::')) checkForEachShape(output);
      else if (!isObject(output) || output.Value === undefined) throw templateError('Template format error: Every Outputs member must contain a Value object');
    }
  }
  const template = document as unknown as Template;
  checkFunctions(template);
  // names a macro creates (or a loop writes) exist only once it has run
  if (!macros && !(loops && hasForEach(document))) checkNames(template);
  return template;
}

function checkResource(id: string, resource: PropertyValue, macros: boolean): void {
  if (!isObject(resource) || typeof resource.Type !== 'string') {
    throw templateError(`Template format error: [/Resources/${id}] Every Resources object must contain a Type member.`);
  }
  for (const key of Object.keys(resource)) {
    if (!RESOURCE_ATTRIBUTES.has(key) && !(macros && MACRO_RESOURCE_ATTRIBUTES.has(key))) throw templateError(`Invalid template resource property '${key}'`);
  }
  if (resource.Properties !== undefined && !isObject(resource.Properties)) {
    throw templateError(`Template format error: [/Resources/${id}/Properties] Every Properties member must be an object.`);
  }
  const dependsOn = resource.DependsOn;
  if (Array.isArray(dependsOn)) {
    if (!dependsOn.every((name) => typeof name === 'string')) throw templateError('Template format error: Every DependsOn value must be a string.');
  } else if (dependsOn !== undefined && typeof dependsOn !== 'string') {
    throw templateError('Template format error: DependsOn must be a string or list of strings.');
  }
}

function checkParameters(parameters: PropertyValue | undefined): void {
  if (parameters === undefined) return;
  if (!isObject(parameters)) throw templateError('Template format error: Every Parameters object must contain a Type member.');
  for (const declaration of Object.values(parameters)) {
    if (!isObject(declaration) || declaration.Type === undefined) throw templateError('Template format error: Every Parameters object must contain a Type member.');
    const unknown = Object.keys(declaration).filter((key) => !PARAMETER_PROPERTIES.has(key));
    if (unknown.length > 0) throw templateError(`Invalid template parameter property or properties [${unknown.join(', ')}]`);
    if (parameterKind(declaration.Type) === undefined) throw templateError(`Template format error: Unrecognized parameter type: ${String(declaration.Type)}`);
    if (declaration.AllowedValues !== undefined && !Array.isArray(declaration.AllowedValues)) {
      throw templateError('Template format error: Every AllowedValues member must be a list.');
    }
  }
}

function checkMappings(mappings: PropertyValue | undefined): void {
  if (mappings === undefined) return;
  if (!isObject(mappings)) throw templateError('Template format error: Every Mappings member must be a map');
  for (const [name, mapping] of Object.entries(mappings)) {
    if (!isObject(mapping)) throw templateError(`Template format error: Every Mappings member ${name} must be a map`);
    for (const [key, attributes] of Object.entries(mapping)) {
      if (!isObject(attributes)) throw templateError(`Template format error: Every Mappings member ${key} must be a map`);
      for (const value of Object.values(attributes)) {
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean' && !Array.isArray(value)) {
          throw templateError('Template format error: Every Mappings attribute must be a String or a List.');
        }
      }
    }
  }
}

/** Every `Fn::` key of the template's values names a function CloudFormation supports. */
function checkFunctions(template: Template): void {
  const allowed = new Set([...SUPPORTED_FUNCTIONS, 'Fn::Transform', ...(hasLanguageExtensions(template) ? LANGUAGE_EXTENSION_FUNCTIONS : [])]);
  const visit = (value: PropertyValue | undefined): void => {
    if (value === null || value === undefined || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach(visit);
    for (const [key, inner] of Object.entries(value)) {
      if (/^fn::/i.test(key) && !allowed.has(key) && !(allowed.has('Fn::ForEach') && key.startsWith('Fn::ForEach::'))) {
        throw templateError(`Template Error: Encountered unsupported function: ${key} Supported functions are: [${SUPPORTED_FUNCTIONS.join(', ')}]`);
      }
      visit(inner);
    }
  };
  for (const resource of Object.values(template.Resources)) visit(resource.Properties);
  visit(template.Outputs);
  visit(template.Conditions);
  visit(template.Rules);
}

/** Every Ref, GetAtt, Sub variable, DependsOn and Condition of the template names something it declares. */
function checkNames(template: Template): void {
  const resources = template.Resources;
  const parameters = template.Parameters ?? {};
  const conditions = template.Conditions ?? {};
  const refTargets = (name: string): boolean => name in resources || name in parameters || PSEUDO_PARAMETERS.has(name);

  const check = (value: PropertyValue | undefined, block: TemplateBlock): void => {
    const found = collectReferences(value);
    const missing: string[] = [];
    for (const name of found.refs) if (!refTargets(name)) missing.push(name);
    const badAttributes: string[] = [];
    for (const variable of found.subVariables) {
      const { name, attribute } = subVariableTarget(variable);
      if (attribute === undefined && !refTargets(name)) missing.push(name);
      if (attribute !== undefined && !(name in resources)) badAttributes.push(variable);
    }
    if (missing.length > 0) throw unresolvedDependencies([...new Set(missing)], block);
    if (badAttributes.length > 0) throw templateError(`Template error: instance of Fn::Sub references invalid resource attribute ${badAttributes[0]}`);
    for (const { resource } of found.getAtts) {
      if (!(resource in resources)) throw templateError(`Template error: instance of Fn::GetAtt references undefined resource ${resource}`);
    }
    for (const name of found.conditions) {
      if (!(name in conditions)) throw templateError(`Template error: unresolved condition dependency ${name} in Fn::If`);
    }
  };

  const missingDependsOn: string[] = [];
  for (const resource of Object.values(resources)) {
    check(resource.Properties, 'Resources');
    for (const name of typeof resource.DependsOn === 'string' ? [resource.DependsOn] : (resource.DependsOn ?? [])) {
      if (!(name in resources)) missingDependsOn.push(name);
    }
    if (resource.Condition !== undefined && !(typeof resource.Condition === 'string' && resource.Condition in conditions)) {
      throw templateError(`Template format error: Condition ${String(resource.Condition)} is not defined.`);
    }
  }
  if (missingDependsOn.length > 0) throw unresolvedDependencies([...new Set(missingDependsOn)]);
  for (const output of Object.values(template.Outputs ?? {})) {
    check(output.Value, 'Outputs');
    check(output.Export, 'Outputs');
    if (output.Condition !== undefined && !(typeof output.Condition === 'string' && output.Condition in conditions)) {
      throw templateError(`Template format error: Condition ${String(output.Condition)} is not defined.`);
    }
  }
  for (const condition of Object.values(conditions)) {
    const found = collectReferences(condition);
    const resourcesNamed = [...found.refs, ...found.getAtts.map((g) => g.resource)].filter((name) => !(name in parameters) && !PSEUDO_PARAMETERS.has(name));
    if (resourcesNamed.length > 0) {
      throw templateError(`Template format error: Unresolved dependencies [${[...new Set(resourcesNamed)].join(', ')}]. Cannot reference resources in the Conditions block of the template`);
    }
    const undefinedConditions = [...found.conditions, ...found.conditionRefs].filter((name) => !(name in conditions));
    if (undefinedConditions.length > 0) {
      throw templateError(`Template format error: Unresolved condition dependencies [${[...new Set(undefinedConditions)].join(', ')}] in the Conditions block of the template`);
    }
  }
}
