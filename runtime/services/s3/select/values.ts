/**
 * The values of S3 Select's SQL and what is done to them, apart from any record: numbers read
 * from strings (CSV fields are strings), comparison, formatting, CAST, LIKE patterns,
 * arithmetic and the scalar functions (LOWER, UPPER, CHAR_LENGTH, SUBSTRING, TRIM, COALESCE,
 * NULLIF, ABS, and the date functions of dates.ts). `undefined` is MISSING and `null` is NULL (see evaluate.ts).
 */
import { CAST_TYPES, type Call } from './ast.js';
import { dateAdd, dateDiff, extract, parseTimestamp, toText, toTimestamp } from './dates.js';
import { selectError } from './errors.js';

const NUMERIC = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/** The number a value reads as, or undefined. */
export function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && NUMERIC.test(v)) return Number(v);
  return undefined;
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

export function castValue(v: unknown, type: string): unknown {
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
      const t = typeof v === 'string' ? parseTimestamp(v) : undefined;
      if (!t) throw selectError('CastFailed');
      return t;
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
export function likeRegex(pattern: string, escape: string | undefined): RegExp {
  // an escape is one character, and escapes something
  if (escape !== undefined && [...escape].length !== 1) throw selectError('EvaluatorLikePatternInvalidEscapeSequence');
  let source = '';
  const cs = [...pattern];
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!;
    if (escape !== undefined && c === escape) {
      if (i + 1 >= cs.length) throw selectError('EvaluatorLikePatternInvalidEscapeSequence');
      source += cs[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'su');
}

/** Arithmetic and `||`: NULL or MISSING give NULL; a string that reads as a number counts as one. */
export function arith(op: string, l: unknown, r: unknown): unknown {
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

/** A scalar function of its evaluated arguments (TRIM's characters apart). */
export function callFunction(e: Call, args: readonly unknown[], trimChars: unknown): unknown {
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
      const chars = trimChars === undefined ? ' ' : text(trimChars);
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
    case 'TO_TIMESTAMP':
      return toTimestamp(args[0]);
    case 'DATE_ADD':
      return dateAdd(e.part!, args[0], args[1]);
    case 'DATE_DIFF':
      return dateDiff(e.part!, args[0], args[1]);
    case 'EXTRACT':
      return extract(e.part!, args[0]);
    case 'TO_STRING':
      return toText(args[0], args[1]);
  }
  throw selectError('UnsupportedFunction');
}
