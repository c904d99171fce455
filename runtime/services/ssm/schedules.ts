/**
 * Systems Manager's cron and rate expressions, as its reference ("Cron and rate expressions for
 * Systems Manager") describes them: `cron(minutes hours day-of-month month day-of-week year)`,
 * each field a value, a range, a step or a list of them, with `?` in exactly one of
 * day-of-month and day-of-week (a value in one needs `?` in the other), `L`, `W` and `#`
 * where the reference allows them, month and weekday names; State Manager also takes a
 * leading seconds field. Rate expressions are `rate(N unit)` with the singular unit for 1.
 */

interface Field {
  min: number;
  max: number;
  names?: readonly string[];
  /** Extra forms this field takes beyond values, ranges, steps and lists. */
  special?: RegExp;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const SECONDS: Field = { min: 0, max: 59 };
const FIELDS: readonly Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31, special: /^(\?|L|LW|([1-9]|[12]\d|3[01])W)$/ },
  { min: 1, max: 12, names: MONTHS },
  { min: 1, max: 7, names: DAYS, special: /^(\?|L|([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5]))$/ },
  { min: 1970, max: 2199 },
];

function value(text: string, field: Field): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  const index = field.names?.indexOf(text) ?? -1;
  return index >= 0 ? field.min + index : undefined;
}

/** One element of a list: `*`, `v`, `a-b`, each optionally `/step`. */
function element(text: string, field: Field): boolean {
  const [base, step, extra] = text.split('/');
  if (extra !== undefined || base === undefined) return false;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1)) return false;
  if (base === '*') return true;
  const range = base.split('-');
  if (range.length === 1) return value(base, field) !== undefined;
  if (range.length !== 2) return false;
  return value(range[0]!, field) !== undefined && value(range[1]!, field) !== undefined;
}

function fieldOk(text: string, field: Field): boolean {
  if (field.special?.test(text)) return true;
  return text.split(',').every((part) => element(part, field));
}

/** Whether `cron(...)`'s inside is a valid expression (with `seconds`, six or seven fields). */
export function isValidCron(body: string, seconds: boolean): boolean {
  let fields = body.trim().toUpperCase().split(/\s+/);
  if (seconds && fields.length === 7) {
    if (!fieldOk(fields[0]!, SECONDS)) return false;
    fields = fields.slice(1);
  }
  if (fields.length !== 6) return false;
  if (!fields.every((f, i) => fieldOk(f, FIELDS[i]!))) return false;
  // one of day-of-month and day-of-week is `?`, not both
  return (fields[2] === '?') !== (fields[4] === '?');
}

const MINUTES: Record<string, number> = { minute: 1, minutes: 1, hour: 60, hours: 60, day: 1440, days: 1440 };

/** `rate(N unit)` in minutes, or undefined when it is not one (units among `units`). */
export function rateMinutes(schedule: string, units: readonly string[]): number | undefined {
  const m = /^rate\((\d+) ([a-z]+)\)$/.exec(schedule);
  if (!m || !units.includes(m[2]!) || !(m[2]! in MINUTES)) return undefined;
  const n = Number(m[1]);
  if (n < 1 || (n === 1) !== !m[2]!.endsWith('s')) return undefined;
  return n * MINUTES[m[2]!]!;
}
