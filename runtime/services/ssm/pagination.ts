/**
 * NextToken pagination for the listing operations. A token names the last item returned (a
 * parameter name or a version), not an offset, so that parameters written or deleted
 * between two pages never make a paginator skip or repeat one. Tokens are opaque to
 * clients, tied to the operation that issued them, and rejected with InvalidNextToken when
 * they were not issued here.
 */
import { invalidNextToken } from './validation.js';

interface TokenBody {
  v: 1;
  /** The operation the token belongs to. */
  op: string;
  /** The sort key of the last item on the previous page. */
  after: string | number;
}

function encode(op: string, after: string | number): string {
  const body: TokenBody = { v: 1, op, after };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

function decode(op: string, token: string): string | number {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw invalidNextToken();
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidNextToken();
  }
  const b = body as Partial<TokenBody> | null;
  if (!b || typeof b !== 'object' || b.v !== 1 || b.op !== op || (typeof b.after !== 'string' && typeof b.after !== 'number')) {
    throw invalidNextToken();
  }
  return b.after;
}

export function compareKeys(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * One page of `items` (already sorted by `key`, ascending): the items after the token's
 * cursor, at most `max`, and a token when more remain.
 */
export function paginate<T>(
  op: string,
  items: readonly T[],
  key: (item: T) => string | number,
  nextToken: string | undefined,
  max: number,
): { page: T[]; nextToken: string | undefined } {
  let start = 0;
  if (nextToken !== undefined && nextToken !== '') {
    const after = decode(op, nextToken);
    start = items.findIndex((item) => compareKeys(key(item), after) > 0);
    if (start === -1) start = items.length;
  }
  const page = items.slice(start, start + max);
  const more = start + max < items.length;
  return { page, nextToken: more && page.length > 0 ? encode(op, key(page[page.length - 1]!)) : undefined };
}
