/**
 * What resource types share to read template values: CloudFormation passes numbers and
 * booleans as the template writes them (a YAML `true`, a JSON `"true"`, a parameter's string),
 * so a type reads them through these; tags as the template's `[{ Key, Value }]` list merged
 * under the stack's own; JSON documents given as objects or as text; and whether a service's
 * error means the resource is already gone (a delete of it succeeds).
 */
import { ServiceError } from '../../../aws/errors.js';
import type { PropertyValue } from './resource-type.js';

/** A template's tag list. */
export type TagList = readonly { readonly Key: string; readonly Value: string }[];

/** A number written as a number or a numeric string; undefined when absent. */
export function num(value: PropertyValue | undefined): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'number' ? value : Number(value);
}

/** A boolean written as a boolean or as 'true'/'false'; undefined when absent. */
export function bool(value: PropertyValue | undefined): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  return value === true || String(value).toLowerCase() === 'true';
}

/** A JSON document the template gives as an object (or already as text), as text. */
export function jsonText(value: PropertyValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The resource's tags: the stack's, then the template's over them. */
export function tagsOf(stackTags: Readonly<Record<string, string>> | undefined, tags: TagList | undefined): Record<string, string> {
  const out: Record<string, string> = { ...stackTags };
  for (const t of tags ?? []) out[t.Key] = t.Value;
  return out;
}

/** A tag map as the `[{ Key, Value }]` list most APIs take. */
export function tagList(tags: Readonly<Record<string, string>>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** Whether `error` is a service's answer with one of `codes` (a resource already gone, say). */
export function isError(error: unknown, ...codes: string[]): boolean {
  return error instanceof ServiceError && codes.includes(error.code);
}

/** Runs `call`, treating the service errors `codes` as success (deleting what is already gone). */
export async function ignoring(codes: readonly string[], call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!isError(error, ...codes)) throw error;
  }
}

/** Whether two property values differ (as the template gives them). */
export function differs(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) !== JSON.stringify(b ?? null);
}
