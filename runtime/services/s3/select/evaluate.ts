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
import { AGGREGATES, CAST_TYPES, children, type Call, type Expr, type Name } from './ast.js';
import { selectError } from './errors.js';

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

const NUMERIC = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/** The number a value reads as, or undefined. */
export function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && NUMERIC.test(v)) return Number(v);
  return undefined;
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

/** Compares two values: negative, 0, positive, or undefined when they do not compare. */
export function compare(a: unknown, b: unknown): number | undefined {
  if (a === null || a === undefined || b === null || b === undefined) return undefined;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = asNumber(a);
    const y = asNumber(b);
    return x === undefined || y === undefined ? undefined : x - y;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Date || b instanceof Date) {
    const x = a instanceof Date ? a.getTime() : Date.parse(String(a));
    const y = b instanceof Date ? b.getTime() : Date.parse(String(b));
    return Number.isNaN(x) || Number.isNaN(y) ? undefined : x - y;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? 0 : undefined;
}

/** A value as text (CSV output, string functions, CAST AS STRING). */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function castValue(v: unknown, type: string): unknown {
  if (v === null || v === undefined) return v;
  const target = CAST_TYPES[type]!;
  switch (target) {
    case 'int':
    case 'float':
    case 'decimal': {
      const n = typeof v === 'boolean' ? undefined : asNumber(v);
      if (n === undefined || !Number.isFinite(n)) throw selectError('CastFailed');
      return target === 'int' ? Math.trunc(n) : n;
    }
    case 'string':
      return formatValue(v);
    case 'bool': {
      if (typeof v === 'boolean') return v;
      const s = formatValue(v).trim().toLowerCase();
      if (s === 'true') return true;
      if (s === 'false') return false;
      throw selectError('CastFailed');
    }
    case 'timestamp': {
      if (v instanceof Date) return v;
      const t = typeof v === 'string' ? Date.parse(v.trim()) : NaN;
      if (Number.isNaN(t)) throw selectError('CastFailed');
      return new Date(t);
    }
  }
}

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') throw selectError('IncorrectSqlFunctionArgumentType');
  return v;
}

function trim(s: string, side: string, chars: string): string {
  const set = new Set(chars);
  const cs = [...s];
  let start = 0;
  let end = cs.length;
  if (side !== 'TRAILING') while (start < end && set.has(cs[start]!)) start++;
  if (side !== 'LEADING') while (end > start && set.has(cs[end - 1]!)) end--;
  return cs.slice(start, end).join('');
}

/** LIKE's pattern as a regular expression: `%` any run, `_` one character, the escape its next character literally. */
function likeRegex(pattern: string, escape: string | undefined): RegExp {
  let source = '';
  const cs = [...pattern];
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!;
    if (escape !== undefined && c === escape && i + 1 < cs.length) source += cs[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'su');
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
        return this.arith(e.op, this.value(e.l, row), this.value(e.r, row));
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
        return AGGREGATES.has(e.name) ? this.result(e) : this.call(e, row);
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

  private arith(op: string, l: unknown, r: unknown): unknown {
    if (l === null || l === undefined || r === null || r === undefined) return null;
    if (op === '||') return formatValue(l) + formatValue(r);
    const x = asNumber(l);
    const y = asNumber(r);
    if (x === undefined || y === undefined) throw selectError('InvalidDataType');
    switch (op) {
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return x * y;
      case '/':
        if (y === 0) return null;
        return Number.isInteger(x) && Number.isInteger(y) && typeof l === 'number' && typeof r === 'number' ? Math.trunc(x / y) : x / y;
      default:
        return y === 0 ? null : x % y;
    }
  }

  private call(e: Call, row: Row): unknown {
    const args = e.args.map((a) => this.value(a, row));
    switch (e.name) {
      case 'LOWER':
        return text(args[0])?.toLowerCase() ?? null;
      case 'UPPER':
        return text(args[0])?.toUpperCase() ?? null;
      case 'CHAR_LENGTH':
      case 'CHARACTER_LENGTH': {
        const s = text(args[0]);
        return s === null ? null : [...s].length;
      }
      case 'SUBSTRING': {
        const s = text(args[0]);
        const start = asNumber(args[1]);
        const length = args.length > 2 ? asNumber(args[2]) : undefined;
        if (s === null || start === undefined || (args.length > 2 && length === undefined)) return null;
        const cs = [...s];
        // SQL: positions from 1; a start before 1 shortens the length by as much
        const from = Math.max(start, 1);
        const to = length === undefined ? cs.length + 1 : Math.max(start + length, from);
        return cs.slice(from - 1, to - 1).join('');
      }
      case 'TRIM': {
        const s = text(args[0]);
        const chars = e.chars ? text(this.value(e.chars, row)) : ' ';
        return s === null || chars === null ? null : trim(s, e.side ?? 'BOTH', chars);
      }
      case 'COALESCE':
        return args.find((a) => a !== null && a !== undefined) ?? null;
      case 'NULLIF':
        return compare(args[0], args[1]) === 0 ? null : args[0];
      case 'ABS': {
        const n = asNumber(args[0]);
        return n === undefined ? null : Math.abs(n);
      }
      case 'UTCNOW':
        return new Date();
    }
    throw selectError('UnsupportedFunction');
  }
}
