/**
 * A template prepared for one stack, in the order CloudFormation checks it: parameters bound
 * (types, constraints, SSM types resolved), Fn::ForEach loops expanded (the prepared template
 * is the expanded one; the template as written is left unchanged), rules asserted, conditions evaluated, the resources
 * whose Condition holds planned with their dependencies and ordered (unresolved references
 * and cycles refused), outputs selected, dynamic references resolved. Nothing here creates
 * anything: every refusal happens before the engine starts.
 *
 * resolveValue then evaluates a planned value once the resources it names exist, reading
 * the parameters, conditions and pseudo parameters from the prepared template itself.
 */
import type { PropertyValue } from '../resources/resource-type.js';
import { evaluateConditions } from './conditions.js';
import { orderResources, referencedResources } from './dependencies.js';
import { resolvePropertyReferences } from './dynamic-references.js';
import { expandForEach, hasForEach } from './foreach.js';
import { templateError } from './errors.js';
import type { PlannedResource, PreparedTemplate, PrepareOptions, PseudoParameters, ResourceRefs, Template } from './index.js';
import { evaluate, NO_VALUE, NotStatic, type EvaluationContext } from './intrinsics.js';
import { bindParameters, parameterRefValue } from './parameters.js';
import { checkRules } from './rules.js';
import { hasLanguageExtensions, validateTemplate } from './validate.js';

type Policy = PlannedResource['deletionPolicy'];

/** Prepares `template` for a stack: see the module's description. */
export async function prepareTemplate(written: Template, options: PrepareOptions): Promise<PreparedTemplate> {
  const parameters = await bindParameters(written, {
    parameters: options.parameters,
    resolvers: options.resolvers,
    ...(options.previous ? { previous: options.previous } : {}),
    ...(options.usePreviousValues ? { usePreviousValues: options.usePreviousValues } : {}),
  });
  const refValues = new Map(parameters.map((parameter) => [parameter.key, parameterRefValue(parameter, written)]));
  const languageExtensions = hasLanguageExtensions(written);
  // Fn::ForEach loops read parameters: expanded now, the result checked as a template of its own
  const template = languageExtensions && hasForEach(written as unknown as PropertyValue) ? expandLoops(written, options.pseudo, refValues) : written;

  checkRules(template.Rules, {
    template,
    pseudo: options.pseudo,
    parameters: refValues,
    condition: (name) => {
      throw templateError(`Template error: unresolved condition dependency ${name} in Rules`);
    },
    resources: new Set(),
    languageExtensions,
  });

  const conditions = evaluateConditions(template, refValues, options.pseudo);
  const holds = (condition: string | undefined): boolean => condition === undefined || conditions[condition] === true;
  const active = new Set(Object.keys(template.Resources).filter((id) => holds(template.Resources[id]!.Condition)));
  const order = orderResources(template, conditions, active);

  const outputs: Record<string, PreparedTemplate['outputs'][string]> = {};
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if (!holds(output.Condition as string | undefined)) continue;
    referencedResources(output.Value, template, conditions, active, 'Outputs');
    referencedResources(output.Export, template, conditions, active, 'Outputs');
    const exportName = output.Export !== null && typeof output.Export === 'object' && !Array.isArray(output.Export) ? output.Export.Name : undefined;
    outputs[name] = {
      value: output.Value!,
      ...(typeof output.Description === 'string' ? { description: output.Description } : {}),
      ...(exportName !== undefined ? { exportName } : {}),
    };
  }

  const staticContext: EvaluationContext = {
    template,
    pseudo: options.pseudo,
    parameters: refValues,
    condition: (name, where) => conditionValue(conditions, name, where),
    resources: active,
    languageExtensions,
  };
  const resources = new Map<string, PlannedResource>();
  for (const [logicalId, dependsOn] of order) {
    const resource = template.Resources[logicalId]!;
    const properties = await resolvePropertyReferences(resource.Properties ?? {}, options.resolvers, staticContext);
    resources.set(logicalId, {
      logicalId,
      type: resource.Type,
      properties: properties as Record<string, PropertyValue>,
      dependsOn,
      deletionPolicy: policy(resource.DeletionPolicy, 'DeletionPolicy', logicalId, staticContext),
      updateReplacePolicy: policy(resource.UpdateReplacePolicy, 'UpdateReplacePolicy', logicalId, staticContext),
      ...(resource.Metadata !== undefined ? { metadata: resource.Metadata } : {}),
    });
  }
  return { template, parameters, conditions, resources, outputs, pseudo: options.pseudo };
}

function expandLoops(template: Template, pseudo: PseudoParameters, parameters: ReadonlyMap<string, PropertyValue>): Template {
  const ctx: EvaluationContext = {
    template,
    pseudo,
    parameters,
    condition: (name) => {
      throw templateError(`Template format error: Fn::ForEach collections cannot use condition ${name}`);
    },
    // a collection naming a resource is refused as such (intrinsics throws NotStatic for it)
    resources: new Set(Object.keys(template.Resources)),
    languageExtensions: true,
  };
  return validateTemplate(expandForEach(template, ctx) as unknown as PropertyValue);
}

function conditionValue(conditions: Readonly<Record<string, boolean>>, name: string, where: string): boolean {
  const value = conditions[name];
  if (value === undefined) throw templateError(`Template error: unresolved condition dependency ${name} in ${where}`);
  return value;
}

/**
 * A DeletionPolicy or UpdateReplacePolicy: Delete unless said otherwise; it may be written with
 * a Ref to a parameter or Fn::If. RetainExceptOnCreate retains like Retain once created (the
 * engine's rollback of a resource it just created deletes it either way).
 */
function policy(value: PropertyValue | undefined, attribute: string, logicalId: string, ctx: EvaluationContext): Policy {
  if (value === undefined) return 'Delete';
  let evaluated: PropertyValue | typeof NO_VALUE;
  try {
    evaluated = evaluate(value, ctx);
  } catch (error) {
    if (error instanceof NotStatic) throw templateError(`Template format error: [/Resources/${logicalId}/${attribute}] ${attribute} cannot refer to resources`);
    throw error;
  }
  if (evaluated === NO_VALUE) return 'Delete';
  if (evaluated === 'Delete' || evaluated === 'Retain' || evaluated === 'Snapshot') return evaluated;
  if (evaluated === 'RetainExceptOnCreate') return 'Retain';
  throw templateError(`Template format error: Unrecognized ${attribute} ${typeof evaluated === 'string' ? evaluated : JSON.stringify(evaluated)} for resource ${logicalId}`);
}

/** Resolves every function in a planned value, reading created resources through `refs`. */
export function resolveValue(value: PropertyValue, prepared: PreparedTemplate, refs: ResourceRefs): PropertyValue {
  const template = prepared.template;
  const pseudo = prepared.pseudo ?? missingPseudo();
  const result = evaluate(value, {
    template,
    pseudo,
    parameters: new Map(prepared.parameters.map((parameter) => [parameter.key, parameterRefValue(parameter, template)])),
    condition: (name, where) => conditionValue(prepared.conditions, name, where),
    resources: new Set(prepared.resources.keys()),
    refs,
    languageExtensions: hasLanguageExtensions(template),
  });
  return result === NO_VALUE ? null : result;
}

/** Pseudo parameters of a PreparedTemplate built without them: reading one is an error, other values resolve. */
function missingPseudo(): PseudoParameters {
  const fail = (): never => {
    throw templateError('Template error: the prepared template has no pseudo parameters (prepare it with prepareTemplate)');
  };
  const names = ['accountId', 'region', 'partition', 'urlSuffix', 'stackName', 'stackId', 'notificationArns'];
  return Object.defineProperties({}, Object.fromEntries(names.map((name) => [name, { get: fail, enumerable: true }]))) as PseudoParameters;
}
