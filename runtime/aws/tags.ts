/**
 * Resource tags as AWS's tagging standard defines them, for every provider: the limits
 * (50 tags per resource, keys of 1-128 and values of 0-256 Unicode characters, letters,
 * digits, spaces and `_ . : / = + - @`), the reserved `aws:` prefix, and the list and map
 * forms services exchange. Rules are checked here; each service answers a violation with
 * its own error code and wording (S3's InvalidTag, SSM's TooManyTagsError, ...).
 *
 * Tags kept by ARN (TagResource / UntagResource / ListTagsForResource) are a record of tag
 * maps in the service's store: `tagsByArn: Record<arn, TagMap>`, changed with tagResource and
 * untagResource below.
 */
import { record } from '../state/store.js';

export interface Tag {
  Key: string;
  Value: string;
}

/** Tags as a map from key to value (a null-prototype record: keys are user input). */
export type TagMap = Record<string, string>;

export const MAX_TAGS_PER_RESOURCE = 50;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
/** The characters tag keys and values may hold, as a regular expression and as AWS prints it. */
export const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const TAG_TEXT_PATTERN = '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$';

/** What is wrong with a tag set, for the service to word. */
export type TagViolation =
  | { readonly rule: 'too-many'; readonly count: number; readonly max: number }
  | { readonly rule: 'duplicate-key'; readonly key: string }
  | { readonly rule: 'reserved-prefix'; readonly key: string }
  | { readonly rule: 'key'; readonly key: string }
  | { readonly rule: 'value'; readonly key: string; readonly value: string };

/** Length in Unicode characters (code points), as AWS counts tag lengths. */
function chars(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Whether a key starts with the reserved `aws:` prefix (in any case). */
export function isReservedTagKey(key: string): boolean {
  return key.slice(0, 4).toLowerCase() === 'aws:';
}

/**
 * The first violation of a tag set, in the order AWS checks (count, then each tag in turn:
 * duplicate, reserved prefix, key, value), or undefined. `max` defaults to 50.
 */
export function findTagViolation(tags: readonly Tag[], options: { max?: number; allowReserved?: boolean } = {}): TagViolation | undefined {
  const max = options.max ?? MAX_TAGS_PER_RESOURCE;
  if (tags.length > max) return { rule: 'too-many', count: tags.length, max };
  const seen = new Set<string>();
  for (const { Key: key, Value: value } of tags) {
    if (seen.has(key)) return { rule: 'duplicate-key', key };
    seen.add(key);
    if (!options.allowReserved && isReservedTagKey(key)) return { rule: 'reserved-prefix', key };
    const keyLength = chars(key);
    if (keyLength < 1 || keyLength > MAX_TAG_KEY_LENGTH || !TAG_TEXT.test(key)) return { rule: 'key', key };
    if (chars(value) > MAX_TAG_VALUE_LENGTH || !TAG_TEXT.test(value)) return { rule: 'value', key, value };
  }
  return undefined;
}

/** Tags merged in order, later keys replacing earlier ones (the order of first appearance kept). */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = new Map(existing.map((t) => [t.Key, t.Value]));
  for (const t of added) merged.set(t.Key, t.Value);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

/** Tags without the given keys. */
export function removeTagKeys(existing: readonly Tag[], keys: readonly string[]): Tag[] {
  const drop = new Set(keys);
  return existing.filter((t) => !drop.has(t.Key));
}

export function tagMapOf(tags: readonly Tag[]): TagMap {
  const map = record<string>();
  for (const t of tags) map[t.Key] = t.Value;
  return map;
}

export function tagListOf(map: TagMap | undefined): Tag[] {
  return map ? Object.keys(map).map((Key) => ({ Key, Value: map[Key]! })) : [];
}

/**
 * TagResource on a record of tag maps by ARN: merges `tags` into the resource's tags and
 * returns the result, or the violation (counted over the merged set) without changing anything.
 */
export function tagResource(byArn: Record<string, TagMap>, arn: string, tags: readonly Tag[], max = MAX_TAGS_PER_RESOURCE): TagViolation | undefined {
  const merged = mergeTags(tagListOf(byArn[arn]), tags);
  const violation = findTagViolation(tags, { max }) ?? (merged.length > max ? { rule: 'too-many' as const, count: merged.length, max } : undefined);
  if (violation) return violation;
  byArn[arn] = tagMapOf(merged);
  return undefined;
}

/** UntagResource on a record of tag maps by ARN. */
export function untagResource(byArn: Record<string, TagMap>, arn: string, keys: readonly string[]): void {
  const map = byArn[arn];
  if (!map) return;
  for (const key of keys) delete map[key];
}
