/**
 * THE pagination-token scheme of every provider: a token names the position after which the
 * next page starts (the sort key of the last item returned), never an offset, so that items
 * written or deleted between two pages never make a paginator skip or repeat one. Tokens are
 * opaque to clients (base64url), tied to the listing that issued them (a scope such as the
 * operation and its filters), and carry a check value, so a token that was not issued here,
 * or for another listing, is recognised and answered with the service's own error
 * (InvalidNextToken, InvalidArgument, ...), which the caller chooses.
 */
import { createHash } from 'node:crypto';

/** What a token remembers: the last sort key, or a tuple of them. */
export type Cursor = string | number | ReadonlyArray<string | number>;

const CHECK = 6;

function check(scope: string, payload: Buffer): Buffer {
  return createHash('sha256').update('page-token\0').update(scope).update('\0').update(payload).digest().subarray(0, CHECK);
}

/** A token for the page that starts after `cursor`, valid only for the same `scope`. */
export function encodePageToken(scope: string, cursor: Cursor): string {
  const payload = Buffer.from(JSON.stringify(cursor), 'utf8');
  return Buffer.concat([check(scope, payload), payload]).toString('base64url');
}

/** The cursor of a token issued for `scope`, or undefined when it was not. */
export function decodePageToken(scope: string, token: string): Cursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length <= CHECK || raw.toString('base64url') !== token) return undefined;
  const payload = raw.subarray(CHECK);
  if (!check(scope, payload).equals(raw.subarray(0, CHECK))) return undefined;
  try {
    const cursor = JSON.parse(payload.toString('utf8')) as unknown;
    const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number';
    if (scalar(cursor) || (Array.isArray(cursor) && cursor.every(scalar))) return cursor as Cursor;
  } catch {
    // not ours
  }
  return undefined;
}

/** Orders sort keys: numbers by value, strings by UTF-16 code units (JavaScript's order). */
export function compareCursors(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export interface PageRequest<T> {
  /** The listing the token belongs to (an operation name, plus anything that shapes the list). */
  readonly scope: string;
  /** The sort key of an item; `items` are sorted by it, ascending. */
  readonly key: (item: T) => string | number;
  readonly nextToken: string | undefined;
  /** The most items on a page. */
  readonly max: number;
  /** The service's error for a token it did not issue. */
  readonly invalidToken: (token: string) => Error;
}

/**
 * One page of `items` (sorted by `key`): the items after the token's cursor, at most `max`,
 * and a token when more remain.
 */
export function paginate<T>(items: readonly T[], request: PageRequest<T>): { page: T[]; nextToken: string | undefined } {
  let start = 0;
  const { nextToken, scope, key, max } = request;
  if (nextToken !== undefined && nextToken !== '') {
    const after = decodePageToken(scope, nextToken);
    if (after === undefined || Array.isArray(after)) throw request.invalidToken(nextToken);
    // binary search: the first item whose key is after the cursor
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareCursors(key(items[mid]!), after as string | number) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const page = items.slice(start, start + max);
  const more = start + max < items.length;
  return { page, nextToken: more && page.length > 0 ? encodePageToken(scope, key(page[page.length - 1]!)) : undefined };
}
