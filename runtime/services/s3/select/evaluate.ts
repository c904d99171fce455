/**
 * Evaluates the expressions of a query (ast.ts) over one record at a time. Values are
 * JavaScript's: `undefined` is SQL's MISSING (a path that leads nowhere), `null` is NULL,
 * then numbers, strings, booleans, Dates (timestamps), and the objects and arrays of JSON.
 *
 * CSV fields are strings. As S3 Select compares a CSV field with a number, a string that
 * reads as a number is compared, added and summed as that number; otherwise strings compare
 * as strings. Comparisons with NULL or MISSING are unknown (null), and AND/OR/NOT follow
 * SQL's three-valued logic; a WHERE clause keeps a record only when it is true.
 *
 * One Evaluator serves one request: it holds the LIKE patterns compiled for it and, for an
 * aggregate query, the running COUNT/SUM/AVG/MIN/MAX of each aggregate call.
 */
import { AGGREGATES, children, type Call, type Expr, type Name } from './ast.js';
import { selectError } from './errors.js';
import { arith, asNumber, callFunction, castValue, compare, likeRegex } from './values.js';

/** A record: the fields of a CSV row, or a JSON value. */
export type Row = { readonly csv: readonly string[] } | { readonly json: unknown };

/** How names resolve: the FROM alias, and the header of a CSV input read with FileHeaderInfo USE. */
export interface Scope {
  /** Lower case; `s3object` always names the record too. */
  readonly alias?: string;
  readonly header?: readonly string[];
}

interface Accumulator {
  count: number;
  sum: number;
  best: unknown;
}

/** Whether a path's first name is the record itself (`s.name`, `S3Object.name`). */
export function namesRecord(scope: Scope, name: Name): boolean {
  const lower = name.name.toLowerCase();
  return !name.quoted && (lower === scope.alias || lower === 's3object');
}

/** The index of a CSV column, by `_N` or by its header name; undefined when there is none. */
export function columnIndex(scope: Scope, name: Name): number | undefined {
  const positional = /^_(\d+)$/.exec(name.name);
  if (positional) return Number(positional[1]) - 1;
  const header = scope.header;
  if (!header) return undefined;
  const exact = header.indexOf(name.name);
  if (exact >= 0 || name.quoted) return exact >= 0 ? exact : undefined;
  const lower = name.name.toLowerCase();
  const i = header.findIndex((h) => h.toLowerCase() === lower);
  return i >= 0 ? i : undefined;
}

function member(value: unknown, name: Name): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const object = value as Record<string, unknown>;
  if (Object.hasOwn(object, name.name) || name.quoted) return object[name.name];
  const lower = name.name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

function truth(v: unknown): boolean | null {
  return typeof v === 'boolean' ? v : null;
}

export class Evaluator {
  private readonly likes = new Map<string, RegExp>();
  private readonly accumulators = new Map<Call, Accumulator>();

  constructor(readonly scope: Scope) {}

  /** The value of `e` for `row` (for an aggregate query's SELECT list, after `accumulate`). */
  value(e: Expr, row: Row): unknown {
    switch (e.k) {
      case 'lit':
        return e.v;
      case 'path':
        return this.path(e, row);
      case 'and': {
        const l = truth(this.value(e.l, row));
        if (l === false) return false;
        const r = truth(this.value(e.r, row));
        return r === false ? false : l === null || r === null ? null : true;
      }
      case 'or': {
        const l = truth(this.value(e.l, row));
        if (l === true) return true;
        const r = truth(this.value(e.r, row));
        return r === true ? true : l === null || r === null ? null : false;
      }
      case 'not': {
        const v = truth(this.value(e.e, row));
        return v === null ? null : !v;
      }
      case 'neg': {
        const v = this.value(e.e, row);
        const n = asNumber(v);
        return v === null || v === undefined || n === undefined ? null : -n;
      }
      case 'is': {
        const v = this.value(e.e, row);
        const r = e.what === 'NULL' ? v === null || v === undefined : e.what === 'MISSING' ? v === undefined : v === (e.what === 'TRUE');
        return e.not ? !r : r;
      }
      case 'like': {
        const v = this.value(e.e, row);
        const p = this.value(e.pattern, row);
        const esc = e.escape ? this.value(e.escape, row) : undefined;
        if (typeof v !== 'string' || typeof p !== 'string') return null;
        const key = `${esc ?? ''}\u0000${p}`;
        let re = this.likes.get(key);
        if (!re) this.likes.set(key, (re = likeRegex(p, typeof esc === 'string' ? esc : undefined)));
        return re.test(v) !== e.not;
      }
      case 'between': {
        const v = this.value(e.e, row);
        const lo = compare(v, this.value(e.low, row));
        const hi = compare(v, this.value(e.high, row));
        if (lo === undefined || hi === undefined) return null;
        return (lo >= 0 && hi <= 0) !== e.not;
      }
      case 'in': {
        const v = this.value(e.e, row);
        if (v === null || v === undefined) return null;
        const found = e.list.some((x) => compare(v, this.value(x, row)) === 0);
        return found !== e.not;
      }
      case 'cmp': {
        const c = compare(this.value(e.l, row), this.value(e.r, row));
        if (c === undefined) return null;
        switch (e.op) {
          case '=':
            return c === 0;
          case '<>':
            return c !== 0;
          case '<':
            return c < 0;
          case '>':
            return c > 0;
          case '<=':
            return c <= 0;
          case '>=':
            return c >= 0;
        }
        return null;
      }
      case 'arith':
        return arith(e.op, this.value(e.l, row), this.value(e.r, row));
      case 'cast':
        return castValue(this.value(e.e, row), e.type);
      case 'case': {
        const operand = e.operand ? this.value(e.operand, row) : undefined;
        for (const w of e.whens) {
          const hit = e.operand ? compare(operand, this.value(w.when, row)) === 0 : this.value(w.when, row) === true;
          if (hit) return this.value(w.then, row);
        }
        return e.else ? this.value(e.else, row) : null;
      }
      case 'call':
        if (AGGREGATES.has(e.name)) return this.result(e);
        return callFunction(
          e,
          e.args.map((a) => this.value(a, row)),
          e.chars ? this.value(e.chars, row) : undefined,
        );
    }
  }

  /** Whether `row` passes a WHERE clause. */
  matches(where: Expr | undefined, row: Row): boolean {
    return where === undefined || this.value(where, row) === true;
  }

  /** Adds `row` to the aggregates below `e`. */
  accumulate(e: Expr, row: Row): void {
    if (e.k === 'call' && AGGREGATES.has(e.name)) {
      let acc = this.accumulators.get(e);
      if (!acc) this.accumulators.set(e, (acc = { count: 0, sum: 0, best: undefined }));
      if (e.star) {
        acc.count++;
        return;
      }
      const v = this.value(e.args[0]!, row);
      if (v === null || v === undefined) return;
      acc.count++;
      if (e.name === 'SUM' || e.name === 'AVG') {
        const n = asNumber(v);
        if (n === undefined) throw selectError('IncorrectSqlFunctionArgumentType');
        acc.sum += n;
      } else if (e.name === 'MIN' || e.name === 'MAX') {
        const c = acc.best === undefined ? undefined : compare(v, acc.best);
        if (acc.best === undefined || (c !== undefined && (e.name === 'MIN' ? c < 0 : c > 0))) acc.best = v;
      }
      return;
    }
    for (const child of children(e)) this.accumulate(child, row);
  }

  private result(e: Call): unknown {
    const acc = this.accumulators.get(e);
    const count = acc?.count ?? 0;
    switch (e.name) {
      case 'COUNT':
        return count;
      case 'SUM':
        return count === 0 ? null : acc!.sum;
      case 'AVG':
        return count === 0 ? null : acc!.sum / count;
      default:
        return count === 0 ? null : acc!.best;
    }
  }

  private path(e: Extract<Expr, { k: 'path' }>, row: Row): unknown {
    let steps = e.steps;
    let value: unknown;
    if (namesRecord(this.scope, e.head)) {
      if (steps.length === 0) return 'csv' in row ? row.csv : row.json;
      const first = steps[0]!;
      steps = steps.slice(1);
      value = 'name' in first ? this.field(row, first.name) : 'csv' in row ? row.csv[first.index] : Array.isArray(row.json) ? row.json[first.index] : undefined;
    } else {
      value = this.field(row, e.head);
    }
    for (const step of steps) {
      if (value === undefined || value === null) return undefined;
      value = 'name' in step ? member(value, step.name) : Array.isArray(value) ? value[step.index] : undefined;
    }
    return value;
  }

  private field(row: Row, name: Name): unknown {
    if ('csv' in row) {
      const i = columnIndex(this.scope, name);
      return i === undefined ? undefined : row.csv[i];
    }
    const positional = /^_(\d+)$/.exec(name.name);
    if (positional && (row.json === null || typeof row.json !== 'object')) return positional[1] === '1' ? row.json : undefined;
    return member(row.json, name);
  }
}
