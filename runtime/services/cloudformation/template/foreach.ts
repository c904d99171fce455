/**
 * Fn::ForEach (with `Transform: AWS::LanguageExtensions`): a loop that writes resources,
 * outputs, conditions or properties once per member of a collection.
 *
 *   Fn::ForEach::Topics:
 *     - TopicName                        # the identifier
 *     - [Success, Failure]               # the collection (or a Ref to a list parameter, ...)
 *     - SnsTopic${TopicName}:            # the fragment, its keys with ${TopicName} or &{TopicName}
 *         Type: AWS::SNS::Topic
 *         Properties: {TopicName: !Ref TopicName}
 *
 * The collection may depend on parameters, so the loops are expanded when the template is
 * prepared (the expanded template is then checked as any other). In each copy of the fragment,
 * `${Id}` in keys becomes the member and `&{Id}` the member without its non-alphanumeric
 * characters; `Ref: Id` becomes the member, and `${Id}` in Fn::Sub strings too (a Fn::Sub left
 * with no variable is the plain string). Loops nest.
 */
import type { PropertyValue } from '../resources/resource-type.js';
import { templateError } from './errors.js';
import type { Template } from './index.js';
import { evaluate, NO_VALUE, NotStatic, type EvaluationContext } from './intrinsics.js';

const PREFIX = 'Fn::ForEach::';
const SHAPE = 'Template format error: Fn::ForEach requires a list of three elements: an identifier, a collection and a fragment';

type Json = Record<string, PropertyValue>;
const isObject = (value: PropertyValue | undefined): value is Json => value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);

/** Whether `value` has a Fn::ForEach loop anywhere. */
export function hasForEach(value: PropertyValue | undefined): boolean {
  if (Array.isArray(value)) return value.some(hasForEach);
  if (!isObject(value)) return false;
  return Object.entries(value).some(([key, inner]) => key.startsWith(PREFIX) || hasForEach(inner));
}

/** Checks a loop's shape where the template is parsed (the collection is read later). */
export function checkForEachShape(value: PropertyValue): void {
  if (!Array.isArray(value) || value.length !== 3 || typeof value[0] !== 'string' || !isObject(value[2])) throw templateError(SHAPE);
}

/** The template with its Resources, Outputs and Conditions loops expanded; `ctx` reads the collections (parameters known). */
export function expandForEach(template: Template, ctx: EvaluationContext): Template {
  const sections = ['Resources', 'Outputs', 'Conditions'] as const;
  const expanded: Record<string, PropertyValue> = { ...(template as unknown as Json) };
  for (const section of sections) {
    const value = (template as unknown as Json)[section];
    if (value !== undefined) expanded[section] = expandObject(value as Json, new Map(), ctx);
  }
  return expanded as unknown as Template;
}

function expandObject(object: Json, bindings: ReadonlyMap<string, string>, ctx: EvaluationContext): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(object)) {
    if (!key.startsWith(PREFIX)) {
      out[substituteKey(key, bindings)] = expandValue(value, bindings, ctx);
      continue;
    }
    checkForEachShape(value);
    const [identifier, collection, fragment] = value as [string, PropertyValue, Json];
    for (const member of members(substitute(collection, bindings), ctx)) {
      const inner = new Map(bindings).set(identifier, member);
      for (const [name, generated] of Object.entries(expandObject(fragment, inner, ctx))) {
        if (name in out) throw templateError(`Template format error: Fn::ForEach ${key.slice(PREFIX.length)} writes ${name} twice`);
        out[name] = generated;
      }
    }
  }
  return out;
}

function expandValue(value: PropertyValue, bindings: ReadonlyMap<string, string>, ctx: EvaluationContext): PropertyValue {
  const substituted = substitute(value, bindings);
  if (Array.isArray(substituted)) return substituted.map((item) => (isObject(item) && hasForEach(item) ? expandObject(item, bindings, ctx) : item));
  return isObject(substituted) && hasForEach(substituted) ? expandObject(substituted, bindings, ctx) : substituted;
}

function members(collection: PropertyValue, ctx: EvaluationContext): string[] {
  let evaluated: PropertyValue | typeof NO_VALUE;
  try {
    evaluated = evaluate(collection, ctx);
  } catch (error) {
    if (error instanceof NotStatic) throw templateError('Template format error: Fn::ForEach collections can refer to parameters and mappings only');
    throw error;
  }
  if (!Array.isArray(evaluated)) throw templateError(SHAPE);
  return evaluated.map((member) => (typeof member === 'string' ? member : JSON.stringify(member)));
}

function substituteKey(key: string, bindings: ReadonlyMap<string, string>): string {
  let out = key;
  for (const [name, member] of bindings) {
    out = out.replaceAll('${' + name + '}', member).replaceAll('&{' + name + '}', member.replace(/[^A-Za-z0-9]/g, ''));
  }
  return out;
}

/** The fragment with its identifiers replaced by their members (loops inside are left to expandObject). */
function substitute(value: PropertyValue, bindings: ReadonlyMap<string, string>): PropertyValue {
  if (bindings.size === 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => substitute(item, bindings));
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref' && typeof value.Ref === 'string' && bindings.has(value.Ref)) return bindings.get(value.Ref)!;
  if (keys.length === 1 && keys[0] === 'Fn::Sub') {
    const arg = value['Fn::Sub']!;
    const template = Array.isArray(arg) ? arg[0] : arg;
    if (typeof template === 'string') {
      const text = substituteKey(template, bindings);
      if (!Array.isArray(arg)) return text.includes('${') ? { 'Fn::Sub': text } : text;
      return { 'Fn::Sub': [text, ...arg.slice(1).map((item) => substitute(item, bindings))] };
    }
  }
  const out: Json = {};
  for (const key of keys) out[key.startsWith(PREFIX) ? key : substituteKey(key, bindings)] = substitute(value[key]!, bindings);
  return out;
}
