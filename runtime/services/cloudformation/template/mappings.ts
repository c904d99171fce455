/**
 * Fn::FindInMap: a value of the Mappings section by map name, top-level key and second-level
 * key, each of which may itself be a function (`!Ref AWS::Region`). With
 * `Transform: AWS::LanguageExtensions` a fourth argument `{ DefaultValue: ... }` answers when
 * the keys find nothing.
 */
import type { PropertyValue } from '../resources/resource-type.js';
import { templateError } from './errors.js';
import type { Template } from './index.js';

const ARGUMENTS = 'Template error: every Fn::FindInMap object requires three parameters, the map name, map key and the attribute for return value';

/** The arguments' shape check: a list of three (or, with a default, four). */
export function findInMapArguments(arg: PropertyValue, languageExtensions: boolean): readonly PropertyValue[] {
  if (!Array.isArray(arg) || arg.length < 3 || arg.length > (languageExtensions ? 4 : 3)) throw templateError(ARGUMENTS);
  return arg;
}

/**
 * Looks up `map`/`top`/`second` (already evaluated); `fallback` is the evaluated DefaultValue,
 * undefined without one.
 */
export function findInMap(template: Template, map: PropertyValue, top: PropertyValue, second: PropertyValue, fallback?: PropertyValue): PropertyValue {
  const isKey = (value: PropertyValue): value is string | number => typeof value === 'string' || typeof value === 'number';
  if (!isKey(map) || !isKey(top) || !isKey(second)) throw templateError(ARGUMENTS);
  const mapping = template.Mappings?.[String(map)];
  if (mapping === undefined) {
    if (fallback !== undefined) return fallback;
    throw templateError(`Template error: Mapping named '${map}' is not present in the 'Mappings' section of template`);
  }
  const value = mapping[String(top)]?.[String(second)];
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw templateError(`Template error: Unable to get mapping for ${map}::${top}::${second}`);
  }
  return value;
}
