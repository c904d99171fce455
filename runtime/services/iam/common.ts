/**
 * What every part of IAM shares: ids and ARNs as AWS writes them, the NoSuchEntity lookups
 * (AWS's wording per entity), Marker/MaxItems pages, URL-encoded documents, path checks and
 * tags with IAM's limits and errors.
 */
import { randomUpperId } from '../../aws/ids.js';
import { globalArnFor } from '../../aws/arns.js';
import { paginate } from '../../aws/pagination.js';
import { findTagViolation, mergeTags, tagListOf, tagMapOf, type Tag, type TagMap } from '../../aws/tags.js';
import type { OperationContext } from '../provider.js';
import { iamError } from './errors.js';
import { keyOf, type IamStore } from './state.js';
import type { AwsManagedCatalog } from './aws-managed.js';

/** What each part of the provider is built with. */
export interface Iam {
  readonly store: IamStore;
  readonly aws: AwsManagedCatalog;
  /** Now, at whole seconds (epoch milliseconds). */
  now(): number;
}

/** The prefixes of IAM's unique ids (AWS's "unique identifiers" table). */
export const ID_PREFIX = {
  user: 'AIDA',
  group: 'AGPA',
  role: 'AROA',
  policy: 'ANPA',
  instanceProfile: 'AIPA',
  certificate: 'ASCA',
} as const;

/** A unique id: the prefix and 17 upper-case letters and digits (21 characters), as AWS's. */
export function newId(kind: keyof typeof ID_PREFIX): string {
  return ID_PREFIX[kind] + randomUpperId(17);
}

/** `arn:aws:iam::<account>:<type>/<path><name>`, path `/` giving `type/name`. */
export function iamArn(ctx: OperationContext, type: string, path: string, name: string): string {
  return globalArnFor(ctx, 'iam', `${type}${path}${name}`);
}

/** Epoch milliseconds at whole seconds: IAM's dates carry no milliseconds. */
export function nowSeconds(now: number): number {
  return Math.floor(now / 1000) * 1000;
}

/** A path as given, or `/`; AWS requires it to start and end with `/` (the model's pattern checks it). */
export function pathOf(path: string | undefined): string {
  return path ?? '/';
}

/** Whether an entity's path is under a PathPrefix filter. */
export function underPrefix(path: string, prefix: string | undefined): boolean {
  return prefix === undefined || path.startsWith(prefix);
}

/**
 * Documents in answers are URL-encoded, as AWS writes them (RFC 3986: everything but
 * letters, digits and `-_.~` escaped); boto3 decodes them, other SDKs hand them over as they are.
 */
export function encodeDocument(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** An entity of a collection by name, or NoSuchEntity in AWS's words for it. */
export function find<T>(records: Record<string, T>, name: string, message: (name: string) => string): T {
  const found = records[keyOf(name)];
  if (!found) throw iamError('NoSuchEntityException', message(name));
  return found;
}

/** AWS's NoSuchEntity messages, per kind of entity named by name. */
export const NOT_FOUND = {
  user: (name: string) => `The user with name ${name} cannot be found.`,
  group: (name: string) => `The group with name ${name} cannot be found.`,
  role: (name: string) => `The role with name ${name} cannot be found.`,
  instanceProfile: (name: string) => `Instance Profile ${name} cannot be found.`,
  certificate: (name: string) => `The Server Certificate with name ${name} cannot be found.`,
} as const;

/** Fails with EntityAlreadyExists when the key is taken. */
export function mustBeNew(records: Record<string, unknown>, name: string, message: string): void {
  if (records[keyOf(name)] !== undefined) throw iamError('EntityAlreadyExistsException', message);
}

/** One page of an IAM listing: Marker, MaxItems (100 by default), IsTruncated. */
export function page<T>(items: readonly T[], input: { Marker?: string; MaxItems?: number }, scope: string, key: (item: T) => string): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const { page: items_, nextToken } = paginate(sorted, {
    scope,
    key,
    nextToken: input.Marker,
    max: input.MaxItems ?? 100,
    invalidToken: () => iamError('ValidationError', 'Invalid Marker.'),
  });
  return nextToken === undefined ? { items: items_, IsTruncated: false } : { items: items_, IsTruncated: true, Marker: nextToken };
}

/**
 * Checks tags as IAM does: duplicate keys (IAM compares them without case), the `aws:`
 * prefix, characters and lengths, and at most 50 on an entity after the merge.
 */
export function checkTags(tags: readonly Tag[] | undefined, existing: TagMap = {}): readonly Tag[] {
  const list = tags ?? [];
  const seen = new Set<string>();
  for (const t of list) {
    const lower = t.Key.toLowerCase();
    if (seen.has(lower)) throw iamError('InvalidInputException', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(lower);
  }
  const violation = findTagViolation(list);
  if (violation?.rule === 'reserved-prefix') throw iamError('InvalidInputException', "User-defined tags cannot start with 'aws:'.");
  if (violation?.rule === 'key') throw iamError('ValidationError', `1 validation error detected: Value '${violation.key}' at 'tags.${list.findIndex((t) => t.Key === violation.key) + 1}.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+`);
  if (violation?.rule === 'value') throw iamError('ValidationError', `1 validation error detected: Value '${violation.value}' at 'tags.${list.findIndex((t) => t.Key === violation.key) + 1}.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*`);
  if (mergeTags(tagListOf(existing), list).length > 50) throw iamError('LimitExceededException', 'The number of tags has reached the maximum limit.');
  return list;
}

/** Tags added to a map (checked first). */
export function addTags(existing: TagMap, tags: readonly Tag[] | undefined): TagMap {
  checkTags(tags, existing);
  return tagMapOf(mergeTags(tagListOf(existing), tags ?? []));
}

/** The Tags member of an answer: absent when there are none, as AWS leaves it. */
export function tagsOut(tags: TagMap): Tag[] | undefined {
  const list = tagListOf(tags);
  return list.length > 0 ? list : undefined;
}

/** Dates of answers. */
export function date(ms: number): Date {
  return new Date(ms);
}

/** A document's size as AWS counts it against its quotas: characters other than whitespace. */
export function policySize(text: string): number {
  return text.replace(/\s/g, '').length;
}

/** LimitExceeded for a managed policy document over 6,144 characters (AWS's quota). */
export function checkManagedPolicySize(text: string): void {
  if (policySize(text) > 6144) throw iamError('LimitExceededException', 'Cannot exceed quota for PolicySize: 6144');
}

/** LimitExceeded for a trust policy over 2,048 characters (AWS's default quota). */
export function checkTrustPolicySize(text: string): void {
  if (policySize(text) > 2048) throw iamError('LimitExceededException', 'Cannot exceed quota for ACLSizePerRole: 2048');
}
