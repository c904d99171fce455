/**
 * What a template value refers to: the names of its Refs, the resources of its Fn::GetAtt,
 * the variables of its Fn::Sub strings, the conditions of its Fn::If. Validation (every name
 * exists), dependencies (a resource waits for those it refers to) and dynamic references all
 * read values through this one walk.
 *
 * With the conditions' values known, Fn::If is followed into the branch taken only: a branch
 * not taken adds no dependency and may name a resource that is not created, as AWS allows.
 */
import type { PropertyValue } from '../resources/resource-type.js';
import { parseSub } from './sub.js';

/** The names a value refers to, in the order they appear. */
export interface References {
  /** `Ref` targets (parameters, pseudo parameters, resources). */
  readonly refs: string[];
  /** `Fn::GetAtt` targets: resource and attribute (the attribute undefined when it is computed). */
  readonly getAtts: { resource: string; attribute: string | undefined }[];
  /** `Fn::Sub` variables not bound by the function's own map: `Name`, `Resource.Attribute`, `AWS::Region`. */
  readonly subVariables: string[];
  /** Conditions named by Fn::If. */
  readonly conditions: string[];
  /** Conditions named by `{ Condition: Name }` (in condition functions; elsewhere `Condition` may be a property's name). */
  readonly conditionRefs: string[];
}

/** Collects what `value` refers to; with `conditions`, Fn::If follows only the branch its condition takes. */
export function collectReferences(value: PropertyValue | undefined, conditions?: Readonly<Record<string, boolean>>): References {
  const found: References = { refs: [], getAtts: [], subVariables: [], conditions: [], conditionRefs: [] };
  walk(value, found, conditions);
  return found;
}

function walk(value: PropertyValue | undefined, found: References, conditions: Readonly<Record<string, boolean>> | undefined): void {
  if (value === null || value === undefined || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) walk(item, found, conditions);
    return;
  }
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const key = keys[0]!;
    const arg = value[key]!;
    switch (key) {
      case 'Ref':
        if (typeof arg === 'string') found.refs.push(arg);
        else walk(arg, found, conditions);
        return;
      case 'Condition':
        if (typeof arg === 'string') {
          found.conditionRefs.push(arg);
          return;
        }
        break;
      case 'Fn::GetAtt': {
        const parts = typeof arg === 'string' ? splitDotted(arg) : arg;
        if (Array.isArray(parts) && typeof parts[0] === 'string') {
          found.getAtts.push({ resource: parts[0], attribute: typeof parts[1] === 'string' ? parts[1] : undefined });
          for (const rest of parts.slice(1)) walk(rest, found, conditions);
          return;
        }
        break;
      }
      case 'Fn::Sub':
        return walkSub(arg, found, conditions);
      case 'Fn::If':
        if (Array.isArray(arg) && typeof arg[0] === 'string') {
          found.conditions.push(arg[0]);
          const taken = conditions?.[arg[0]];
          if (taken === undefined) {
            walk(arg[1], found, conditions);
            walk(arg[2], found, conditions);
          } else {
            walk(taken ? arg[1] : arg[2], found, conditions);
          }
          return;
        }
        break;
      default:
        break;
    }
  }
  for (const key of keys) walk(value[key], found, conditions);
}

function walkSub(arg: PropertyValue, found: References, conditions: Readonly<Record<string, boolean>> | undefined): void {
  let template: PropertyValue;
  let bound: ReadonlySet<string> = new Set();
  if (Array.isArray(arg)) {
    template = arg[0] ?? null;
    const map = arg[1];
    if (map !== null && typeof map === 'object' && !Array.isArray(map)) {
      bound = new Set(Object.keys(map));
      for (const name of Object.keys(map)) walk(map[name], found, conditions);
    }
  } else {
    template = arg;
  }
  if (typeof template !== 'string') return walk(template, found, conditions);
  for (const part of parseSub(template)) {
    if (typeof part !== 'string' && !bound.has(part.variable)) found.subVariables.push(part.variable);
  }
}

/** `Resource.Attribute` (the attribute may itself have dots) as `[Resource, Attribute]`. */
export function splitDotted(text: string): string[] {
  const dot = text.indexOf('.');
  return dot === -1 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}

/** The resource a Fn::Sub variable names, when it names one: `Bucket.Arn` and `Bucket` → `Bucket`. */
export function subVariableTarget(variable: string): { name: string; attribute: string | undefined } {
  if (variable.includes('::')) return { name: variable, attribute: undefined };
  const [name, attribute] = splitDotted(variable);
  return { name: name!, attribute };
}
