/**
 * What each resource waits for, and an order that respects it. A resource depends on those its
 * DependsOn names and on every resource its properties refer to (Ref, Fn::GetAtt, a Fn::Sub
 * variable), following Fn::If into the branch its condition takes only. The order is
 * topological with the template's own order between independent resources (Kahn's
 * algorithm); the engine starts every resource whose dependencies are done, so independent
 * ones run in parallel. What is left when no resource is free is a cycle, refused with AWS's
 * message naming the resources caught in it.
 */
import type { PropertyValue } from '../resources/resource-type.js';
import { templateError, unresolvedDependencies, type TemplateBlock } from './errors.js';
import type { Template } from './index.js';
import { collectReferences, subVariableTarget } from './references.js';

/** The resources `value` refers to, with the conditions' values known; throws when one is not created. */
export function referencedResources(
  value: PropertyValue | undefined,
  template: Template,
  conditions: Readonly<Record<string, boolean>>,
  active: ReadonlySet<string>,
  block: TemplateBlock,
): string[] {
  const found = collectReferences(value, conditions);
  const names = [
    ...found.refs,
    ...found.getAtts.map((getAtt) => getAtt.resource),
    ...found.subVariables.map((variable) => subVariableTarget(variable).name),
  ].filter((name) => name in template.Resources);
  const inactive = names.filter((name) => !active.has(name));
  if (inactive.length > 0) throw unresolvedDependencies([...new Set(inactive)], block);
  return [...new Set(names)];
}

/** Each created resource's dependencies, in an order where each resource comes after them. */
export function orderResources(template: Template, conditions: Readonly<Record<string, boolean>>, active: ReadonlySet<string>): Map<string, string[]> {
  const dependencies = new Map<string, string[]>();
  for (const id of Object.keys(template.Resources)) {
    if (!active.has(id)) continue;
    const resource = template.Resources[id]!;
    const explicit = typeof resource.DependsOn === 'string' ? [resource.DependsOn] : [...(resource.DependsOn ?? [])];
    const notCreated = explicit.filter((name) => !active.has(name));
    if (notCreated.length > 0) throw unresolvedDependencies([...new Set(notCreated)]);
    const implicit = referencedResources(resource.Properties, template, conditions, active, 'Resources');
    dependencies.set(id, [...new Set([...explicit, ...implicit])]);
  }

  const ordered = new Map<string, string[]>();
  const waiting = new Map([...dependencies].map(([id, deps]) => [id, new Set(deps)]));
  while (waiting.size > 0) {
    const free = [...waiting.keys()].filter((id) => [...waiting.get(id)!].every((dep) => ordered.has(dep)));
    if (free.length === 0) throw templateError(`Circular dependency between resources: [${inCycles(waiting).join(', ')}]`);
    for (const id of free) {
      ordered.set(id, dependencies.get(id)!);
      waiting.delete(id);
    }
  }
  return ordered;
}

/** The waiting resources that reach themselves through their dependencies (those that only wait on a cycle are left out). */
function inCycles(waiting: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const reachesItself = (start: string): boolean => {
    const seen = new Set<string>();
    const stack = [...(waiting.get(start) ?? [])];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (id === start) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(waiting.get(id) ?? []));
    }
    return false;
  };
  return [...waiting.keys()].filter(reachesItself);
}
