/**
 * Timestamps in S3 Select: its literals and TO_TIMESTAMP take Amazon Ion's text form
 * (`2007T`, `2007-02T`, `2007-02-23`, `2007-02-23T12:14Z`, `2007-02-23T12:14:33.079-08:00`),
 * and an ISO 8601 date-time is read too; DATE_ADD, DATE_DIFF and EXTRACT work on the date
 * parts YEAR, MONTH, DAY, HOUR, MINUTE, SECOND (EXTRACT also TIMEZONE_HOUR and
 * TIMEZONE_MINUTE, which are 0: values are kept in UTC); TO_STRING writes one with a pattern
 * of the letters S3 Select documents (y M d a h H m s S n X x). Timestamps are JavaScript Dates.
 */
import { selectError } from './errors.js';

export const DATE_PARTS = new Set(['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND']);
export const EXTRACT_PARTS = new Set([...DATE_PARTS, 'TIMEZONE_HOUR', 'TIMEZONE_MINUTE']);

const ION = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(?:(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?)?(T)?$/;

/** The instant a timestamp text names, or undefined. */
export function parseTimestamp(text: string): Date | undefined {
  const t = text.trim();
  const m = ION.exec(t);
  if (m) {
    const [, y, mo, d, h, mi, s, frac, zone] = m;
    // a year or a month alone must end with T (Ion); a date may
    if (mo === undefined && m[9] === undefined) return undefined;
    const iso = `${y}-${mo ?? '01'}-${d ?? '01'}T${h ?? '00'}:${mi ?? '00'}:${s ?? '00'}${frac ?? ''}${zone === undefined || zone === 'Z' ? 'Z' : zone}`;
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? undefined : new Date(ms);
  }
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

function timestampArgument(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  throw selectError('IncorrectSqlFunctionArgumentType');
}

/** DATE_ADD(part, quantity, timestamp). */
export function dateAdd(part: string, quantity: unknown, ts: unknown): Date | null {
  const date = timestampArgument(ts);
  if (date === null || quantity === null || quantity === undefined) return null;
  if (typeof quantity !== 'number' || !Number.isInteger(quantity)) throw selectError('IncorrectSqlFunctionArgumentType');
  const out = new Date(date.getTime());
  switch (part) {
    case 'YEAR':
      out.setUTCFullYear(out.getUTCFullYear() + quantity);
      break;
    case 'MONTH':
      out.setUTCMonth(out.getUTCMonth() + quantity);
      break;
    default:
      out.setTime(out.getTime() + quantity * UNIT_MS[part]!);
  }
  return out;
}

const UNIT_MS: Readonly<Record<string, number>> = { DAY: 86_400_000, HOUR: 3_600_000, MINUTE: 60_000, SECOND: 1000 };

/** DATE_DIFF(part, from, to): the whole parts elapsed from `from` to `to`. */
export function dateDiff(part: string, from: unknown, to: unknown): number | null {
  const a = timestampArgument(from);
  const b = timestampArgument(to);
  if (a === null || b === null) return null;
  if (part === 'YEAR' || part === 'MONTH') {
    let months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
    // a month not yet complete does not count
    const rest = (d: Date) => d.getTime() - Date.UTC(d.getUTCFullYear(), d.getUTCMonth());
    if (months > 0 && rest(b) < rest(a)) months--;
    if (months < 0 && rest(b) > rest(a)) months++;
    return part === 'YEAR' ? Math.trunc(months / 12) : months;
  }
  return Math.trunc((b.getTime() - a.getTime()) / UNIT_MS[part]!);
}

/** EXTRACT(part FROM timestamp). */
export function extract(part: string, ts: unknown): number | null {
  const d = timestampArgument(ts);
  if (d === null) return null;
  switch (part) {
    case 'YEAR':
      return d.getUTCFullYear();
    case 'MONTH':
      return d.getUTCMonth() + 1;
    case 'DAY':
      return d.getUTCDate();
    case 'HOUR':
      return d.getUTCHours();
    case 'MINUTE':
      return d.getUTCMinutes();
    case 'SECOND':
      return d.getUTCSeconds();
    default:
      return 0; // TIMEZONE_HOUR, TIMEZONE_MINUTE of a UTC value
  }
}

/** TO_TIMESTAMP(string). */
export function toTimestamp(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v !== 'string') throw selectError('IncorrectSqlFunctionArgumentType');
  const d = parseTimestamp(v);
  if (!d) throw selectError('ValueParseFailure');
  return d;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** One run of a pattern letter (`yyyy`, `MMM`, `a`...) as text, for a UTC instant. */
function field(letter: string, count: number, d: Date): string {
  const pad = (n: number, width = count) => String(n).padStart(width, '0');
  const hour = d.getUTCHours();
  switch (letter) {
    case 'y':
      return count === 2 ? pad(d.getUTCFullYear() % 100, 2) : pad(d.getUTCFullYear());
    case 'M': {
      const month = d.getUTCMonth();
      if (count <= 2) return pad(month + 1);
      const name = MONTHS[month]!;
      return count === 3 ? name.slice(0, 3) : count === 4 ? name : name[0]!;
    }
    case 'd':
      return pad(d.getUTCDate());
    case 'a':
      return hour < 12 ? 'AM' : 'PM';
    case 'h':
      return pad(hour % 12 === 0 ? 12 : hour % 12);
    case 'H':
      return pad(hour);
    case 'm':
      return pad(d.getUTCMinutes());
    case 's':
      return pad(d.getUTCSeconds());
    case 'S':
      // the fraction of the second, to `count` digits
      return String(d.getUTCMilliseconds()).padStart(3, '0').padEnd(count, '0').slice(0, count);
    case 'n':
      return String(d.getUTCMilliseconds() * 1_000_000);
    case 'X':
      return 'Z';
    case 'x':
      return count === 1 ? '+00' : count === 3 || count === 5 ? '+00:00' : '+0000';
    default:
      throw selectError('EvaluatorInvalidTimestampFormatPatternSymbol');
  }
}

/** TO_STRING(timestamp, pattern): the pattern's letters as fields, text in '...' as it is. */
export function toText(ts: unknown, pattern: unknown): string | null {
  const d = timestampArgument(ts);
  if (d === null || pattern === null || pattern === undefined) return null;
  if (typeof pattern !== 'string') throw selectError('IncorrectSqlFunctionArgumentType');
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === "'") {
      // quoted text; '' inside is a quote
      let j = i + 1;
      let text = '';
      for (; j < pattern.length; j++) {
        if (pattern[j] !== "'") text += pattern[j];
        else if (pattern[j + 1] === "'") {
          text += "'";
          j++;
        }
        else break;
      }
      if (j >= pattern.length) throw selectError('EvaluatorUnterminatedTimestampFormatPatternToken');
      out += i + 1 === j ? "'" : text;
      i = j + 1;
    } else if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      out += field(c, j - i, d);
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
