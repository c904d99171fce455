/**
 * The intrinsic functions: one evaluator for properties, outputs, conditions and rules. A value
 * is walked depth first; an object with a single function key is that function, any other
 * object or list is rebuilt from its evaluated members, with `Ref: AWS::NoValue` (the
 * {@link NO_VALUE} marker) dropping the property or list element it stands in.
 *
 * What the stack's resources answer (Ref and Fn::GetAtt of a resource, Fn::ImportValue,
 * Fn::GetAZs) comes through `refs`. Without `refs` the evaluation is static, for what prepare
 * evaluates before anything exists; meeting such a function then throws {@link NotStatic},
 * which the caller catches to leave the value for deploy time.
 *
 * `Condition` is a function only inside Fn::And / Fn::Or / Fn::Not (and rules): elsewhere it
 * is a property's name (an IAM statement's Condition).
 */
import type { PropertyValue } from '../resources/resource-type.js';
import { cidr } from './cidr.js';
import { templateError, unresolvedDependencies } from './errors.js';
import type { PseudoParameters, ResourceRefs, Template } from './index.js';
import { findInMap, findInMapArguments } from './mappings.js';
import { pseudoValue } from './pseudo.js';
import { splitDotted } from './references.js';
import { parseSub, subArgumentsError } from './sub.js';

/** Stands for `Ref: AWS::NoValue`: the property or list element is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
/** An evaluated value, or the NoValue marker. */
export type Evaluated = PropertyValue | typeof NO_VALUE;

/** Thrown by a static evaluation that meets what only the created stack can answer; its message names the function or resource. */
export class NotStatic extends Error {}

/** What evaluation reads. */
export interface EvaluationContext {
  readonly template: Template;
  readonly pseudo: PseudoParameters;
  /** The parameters' Ref values (lists for list types). */
  readonly parameters: ReadonlyMap<string, PropertyValue>;
  /** A condition's value (conditions.ts evaluates them lazily, prepared templates from their table). */
  readonly condition: (name: string, where: string) => boolean;
  /** The resources that exist in this stack (their Condition holds). */
  readonly resources: ReadonlySet<string>;
  /** Created resources, imports and zones; absent in a static evaluation. */
  readonly refs?: ResourceRefs;
  readonly languageExtensions: boolean;
}

const JOIN_ARGUMENTS =
  'Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.';
const SPLIT_ARGUMENTS =
  'Template error: every Fn::Split object requires two parameters, (1) a string delimiter and (2) a string to be split or a function that returns a string to be split.';
const SELECT_ARGUMENTS = 'Template error: Fn::Select requires a list argument with two elements: an integer index and a list';
const GETATT_ARGUMENTS = 'Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute';

const isObject = (value: PropertyValue): value is Record<string, PropertyValue> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Evaluates every function in `value`. */
export function evaluate(value: PropertyValue, ctx: EvaluationContext): Evaluated {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return evaluateList(value, ctx);
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const fn = FUNCTIONS[keys[0]!];
    if (fn) return fn(value[keys[0]!]!, ctx);
  }
  const object: Record<string, PropertyValue> = {};
  for (const key of keys) {
    const member = evaluate(value[key]!, ctx);
    if (member !== NO_VALUE) object[key] = member;
  }
  return object;
}

function evaluateList(list: readonly PropertyValue[], ctx: EvaluationContext): PropertyValue[] {
  const out: PropertyValue[] = [];
  for (const item of list) {
    const member = evaluate(item, ctx);
    if (member !== NO_VALUE) out.push(member);
  }
  return out;
}

/** Evaluates to a value (NoValue where a value is required is null). */
function value(input: PropertyValue, ctx: EvaluationContext): PropertyValue {
  const result = evaluate(input, ctx);
  return result === NO_VALUE ? null : result;
}

function text(input: PropertyValue, ctx: EvaluationContext, error: string): string {
  const result = value(input, ctx);
  if (typeof result === 'string') return result;
  if (typeof result === 'number' || typeof result === 'boolean') return String(result);
  throw templateError(error);
}

/** A condition function's value: Fn::Equals / And / Or / Not / Contains ..., or `{ Condition: Name }`; a literal is refused. */
export function evaluateCondition(input: PropertyValue, ctx: EvaluationContext, where: string): boolean {
  const refused = () => templateError('Template format error: Conditions can only be boolean operations on parameters and other conditions');
  if (!isObject(input)) throw refused();
  if (Object.keys(input).length === 1 && typeof input.Condition === 'string') return ctx.condition(input.Condition, where);
  const result = value(input, ctx);
  if (typeof result === 'boolean') return result;
  if (result === 'true' || result === 'false') return result === 'true';
  throw refused();
}

function refOf(name: PropertyValue, ctx: EvaluationContext): Evaluated {
  if (typeof name !== 'string') throw templateError('Template error: All References must be of type string');
  if (name === 'AWS::NoValue') return NO_VALUE;
  const pseudo = pseudoValue(name, ctx.pseudo);
  if (pseudo !== undefined) return pseudo;
  const parameter = ctx.parameters.get(name);
  if (parameter !== undefined) return parameter;
  if (!ctx.resources.has(name)) throw unresolvedDependencies([name]);
  if (!ctx.refs) throw new NotStatic(name);
  return ctx.refs.ref(name);
}

function getAtt(arg: PropertyValue, ctx: EvaluationContext): PropertyValue {
  const parts = typeof arg === 'string' ? splitDotted(arg) : arg;
  if (!Array.isArray(parts) || parts.length !== 2 || typeof parts[0] !== 'string' || parts[0] === '') throw templateError(GETATT_ARGUMENTS);
  const resource = parts[0];
  const attribute = text(parts[1]!, ctx, GETATT_ARGUMENTS);
  if (attribute === '') throw templateError(GETATT_ARGUMENTS);
  if (!ctx.resources.has(resource)) throw unresolvedDependencies([resource]);
  if (!ctx.refs) throw new NotStatic(resource);
  return ctx.refs.getAtt(resource, attribute);
}

function sub(arg: PropertyValue, ctx: EvaluationContext): string {
  let template: PropertyValue;
  const bound = new Map<string, PropertyValue>();
  if (Array.isArray(arg)) {
    const map = arg[1];
    if (arg.length !== 2 || typeof arg[0] !== 'string' || map === undefined || !isObject(map)) throw subArgumentsError();
    template = arg[0];
    for (const [name, input] of Object.entries(map)) bound.set(name, value(input, ctx));
  } else {
    template = arg;
  }
  if (typeof template !== 'string') throw subArgumentsError();
  let out = '';
  for (const part of parseSub(template)) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const name = part.variable;
    let filled: PropertyValue;
    if (bound.has(name)) filled = bound.get(name)!;
    else if (name.includes('::') || ctx.parameters.has(name) || !name.includes('.')) filled = value({ Ref: name }, ctx);
    else filled = getAtt(name, ctx);
    if (typeof filled === 'string' || typeof filled === 'number' || typeof filled === 'boolean') out += String(filled);
    else throw templateError('Template error: every variable in an Fn::Sub object must reference a string');
  }
  return out;
}

function join(arg: PropertyValue, ctx: EvaluationContext): string {
  if (!Array.isArray(arg) || arg.length !== 2) throw templateError(JOIN_ARGUMENTS);
  const delimiter = text(arg[0]!, ctx, JOIN_ARGUMENTS);
  const list = value(arg[1]!, ctx);
  if (!Array.isArray(list)) throw templateError(JOIN_ARGUMENTS);
  return list
    .map((item) => {
      if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') return String(item);
      throw templateError(JOIN_ARGUMENTS);
    })
    .join(delimiter);
}

function select(arg: PropertyValue, ctx: EvaluationContext): PropertyValue {
  if (!Array.isArray(arg) || arg.length !== 2) throw templateError(SELECT_ARGUMENTS);
  const indexValue = value(arg[0]!, ctx);
  const index = typeof indexValue === 'number' ? indexValue : typeof indexValue === 'string' && /^\s*-?\d+\s*$/.test(indexValue) ? Number(indexValue) : NaN;
  if (!Number.isInteger(index)) throw templateError(SELECT_ARGUMENTS);
  const list = value(arg[1]!, ctx);
  if (!Array.isArray(list)) throw templateError(SELECT_ARGUMENTS);
  if (index < 0 || index >= list.length) throw templateError(`Template error: Fn::Select cannot select nonexistent value at index ${index}`);
  return list[index]!;
}

function split(arg: PropertyValue, ctx: EvaluationContext): string[] {
  if (!Array.isArray(arg) || arg.length !== 2) throw templateError(SPLIT_ARGUMENTS);
  const delimiter = text(arg[0]!, ctx, SPLIT_ARGUMENTS);
  const source = text(arg[1]!, ctx, SPLIT_ARGUMENTS);
  if (delimiter === '') throw templateError(SPLIT_ARGUMENTS);
  return source.split(delimiter);
}

function fnIf(arg: PropertyValue, ctx: EvaluationContext): Evaluated {
  if (!Array.isArray(arg) || typeof arg[0] !== 'string') throw templateError('Template error: Fn::If requires a list argument with the first element being a condition');
  if (arg.length !== 3) throw templateError('Template error: Fn::If requires a list argument with three elements');
  return evaluate(ctx.condition(arg[0], 'Fn::If') ? arg[1]! : arg[2]!, ctx);
}

function booleans(name: string, arg: PropertyValue, ctx: EvaluationContext): boolean[] {
  if (!Array.isArray(arg) || arg.length < 2 || arg.length > 10) {
    throw templateError(`Template error: every ${name} object requires a list of at least 2 and at most 10 boolean parameters.`);
  }
  return arg.map((item) => evaluateCondition(item, ctx, 'Condition'));
}

function equals(arg: PropertyValue, ctx: EvaluationContext): boolean {
  if (!Array.isArray(arg) || arg.length !== 2) throw templateError('Template error: every Fn::Equals object requires a list of 2 string parameters.');
  const [a, b] = [value(arg[0]!, ctx), value(arg[1]!, ctx)];
  const canonical = (v: PropertyValue): string => (typeof v === 'string' ? v : JSON.stringify(v));
  return canonical(a) === canonical(b);
}

/** A list argument of a rule function, evaluated: a list of strings. */
function strings(input: PropertyValue, ctx: EvaluationContext): string[] {
  const list = value(input, ctx);
  const items = Array.isArray(list) ? list : [list];
  return items.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
}

function ruleArguments(name: string, arg: PropertyValue): [PropertyValue, PropertyValue] {
  if (!Array.isArray(arg) || arg.length !== 2) throw templateError(`Template error: every ${name} object requires a list of 2 parameters.`);
  return [arg[0]!, arg[1]!];
}

function base64(arg: PropertyValue, ctx: EvaluationContext): string {
  return Buffer.from(text(arg, ctx, 'Template error: every Fn::Base64 object must have a String-typed value.'), 'utf8').toString('base64');
}

function cidrOf(arg: PropertyValue, ctx: EvaluationContext): string[] {
  const error = 'Template error: Fn::Cidr requires a list argument with three elements: an ipBlock, a count and cidrBits';
  if (!Array.isArray(arg) || arg.length !== 3) throw templateError(error);
  const ipBlock = text(arg[0]!, ctx, error);
  const [count, bits] = [Number(text(arg[1]!, ctx, error)), Number(text(arg[2]!, ctx, error))];
  return cidr(ipBlock, count, bits);
}

function getAzs(arg: PropertyValue, ctx: EvaluationContext): PropertyValue {
  const region = arg === null ? '' : text(arg, ctx, 'Template error: every Fn::GetAZs object must have a String-typed value.');
  if (!ctx.refs) throw new NotStatic('Fn::GetAZs');
  return [...ctx.refs.availabilityZones(region === '' ? ctx.pseudo.region : region)];
}

function importValue(arg: PropertyValue, ctx: EvaluationContext): PropertyValue {
  const name = text(arg, ctx, 'Template error: every Fn::ImportValue object must have a String-typed value.');
  if (!ctx.refs) throw new NotStatic('Fn::ImportValue');
  return ctx.refs.importValue(name);
}

function length(arg: PropertyValue, ctx: EvaluationContext): number {
  if (!ctx.languageExtensions) throw templateError(`Template Error: Encountered unsupported function: Fn::Length`);
  const list = value(arg, ctx);
  if (!Array.isArray(list)) throw templateError('Template error: Fn::Length requires a list argument');
  return list.length;
}

function toJsonString(arg: PropertyValue, ctx: EvaluationContext): string {
  if (!ctx.languageExtensions) throw templateError(`Template Error: Encountered unsupported function: Fn::ToJsonString`);
  const object = value(arg, ctx);
  if (object === null || typeof object !== 'object') throw templateError('Template error: Fn::ToJsonString requires an object or a list argument');
  return JSON.stringify(object);
}

type Fn = (arg: PropertyValue, ctx: EvaluationContext) => Evaluated;

const FUNCTIONS: Readonly<Record<string, Fn>> = {
  Ref: refOf,
  'Fn::GetAtt': getAtt,
  'Fn::Sub': sub,
  'Fn::Join': join,
  'Fn::Select': select,
  'Fn::Split': split,
  'Fn::If': fnIf,
  'Fn::Equals': equals,
  'Fn::And': (arg, ctx) => booleans('Fn::And', arg, ctx).every(Boolean),
  'Fn::Or': (arg, ctx) => booleans('Fn::Or', arg, ctx).some(Boolean),
  'Fn::Not': (arg, ctx) => {
    if (!Array.isArray(arg) || arg.length !== 1) throw templateError('Template error: every Fn::Not object requires a list with exactly 1 boolean parameter.');
    return !evaluateCondition(arg[0]!, ctx, 'Condition');
  },
  'Fn::FindInMap': (arg, ctx) => {
    const [map, top, second, options] = findInMapArguments(arg, ctx.languageExtensions);
    const fallback = options !== undefined && isObject(options) && options.DefaultValue !== undefined ? value(options.DefaultValue, ctx) : undefined;
    return findInMap(ctx.template, value(map!, ctx), value(top!, ctx), value(second!, ctx), fallback);
  },
  'Fn::GetAZs': getAzs,
  'Fn::ImportValue': importValue,
  'Fn::Base64': base64,
  'Fn::Cidr': cidrOf,
  'Fn::Length': length,
  'Fn::ToJsonString': toJsonString,
  'Fn::Contains': (arg, ctx) => {
    const [list, item] = ruleArguments('Fn::Contains', arg);
    return strings(list, ctx).includes(text(item, ctx, 'Template error: every Fn::Contains object requires a list of 2 parameters.'));
  },
  'Fn::EachMemberEquals': (arg, ctx) => {
    const [list, item] = ruleArguments('Fn::EachMemberEquals', arg);
    const expected = text(item, ctx, 'Template error: every Fn::EachMemberEquals object requires a list of 2 parameters.');
    return strings(list, ctx).every((member) => member === expected);
  },
  'Fn::EachMemberIn': (arg, ctx) => {
    const [list, allowed] = ruleArguments('Fn::EachMemberIn', arg);
    const set = new Set(strings(allowed, ctx));
    return strings(list, ctx).every((member) => set.has(member));
  },
  'Fn::Transform': (arg) => {
    const name = isObject(arg) && typeof arg.Name === 'string' ? arg.Name : 'unknown';
    throw templateError(`Template error: Fn::Transform macro ${name} is not supported by this emulator`);
  },
};
