/**
 * The values IAM's legacy parser accepts for the Date condition operators: an ISO 8601 date
 * and time (`2017-07-01T00:00:00Z`, `2016-12-13t02:00:00.5+10:30`, a bare `2020`) or epoch
 * seconds (0 to 2^63-1). Anything else fails with "The policy failed legacy parsing".
 * The ranges are Java's (the parser's): years -292275054 to 292278993.
 */

/** A whole number as the parser reads one (sign allowed), or undefined. */
function integer(text: string): bigint | undefined {
  return /^[+-]?\d+$/.test(text) ? BigInt(text) : undefined;
}

function within(text: string, min: bigint, max: bigint): boolean {
  const n = integer(text);
  return n !== undefined && n >= min && n <= max;
}

/** The seconds part: `SS`, `SS.fraction`, then `z` or `+HH[:MM]` or nothing. */
function validSeconds(text: string): boolean {
  let seconds = text;
  const z = text.indexOf('z');
  const plus = text.indexOf('+');
  if (z !== -1) {
    if (z !== text.length - 1) return false;
    seconds = text.slice(0, z);
  } else if (plus !== -1) {
    seconds = text.slice(0, plus);
    const zone = text.slice(plus + 1);
    const colon = zone.indexOf(':');
    const hours = colon === -1 ? zone : zone.slice(0, colon);
    if (hours.length !== 2 || !within(hours, 0n, 23n)) return false;
    if (colon !== -1) {
      const minutes = zone.slice(colon + 1);
      if (minutes.length !== 2 || !within(minutes, 0n, 59n)) return false;
    }
  }
  const dot = seconds.indexOf('.');
  if (!within(dot === -1 ? seconds : seconds.slice(0, dot), 0n, 59n)) return false;
  return dot === -1 || within(seconds.slice(dot + 1), 0n, 999_999_999n);
}

function validIsoDateTime(lower: string): boolean {
  const t = lower.indexOf('t');
  const date = t === -1 ? lower : lower.slice(0, t);
  const time = t === -1 ? '' : lower.slice(t + 1);
  const negative = date.startsWith('-');
  const parts = (negative ? date.slice(1) : date).split('-');
  if (parts.length > 3) return false;
  if (!within(negative ? `-${parts[0]}` : parts[0]!, -292275054n, 292278993n)) return false;
  if (parts.length > 1 && !within(parts[1]!, 1n, 12n)) return false;
  if (parts.length > 2 && !within(parts[2]!, 1n, 31n)) return false;
  const clock = time.split(':');
  if (clock[0] !== '' && !within(clock[0]!, 0n, 23n)) return false;
  if (clock.length > 1 && !within(clock[1]!, 0n, 59n)) return false;
  if (clock.length > 2 && !validSeconds(clock.slice(2).join(':'))) return false;
  return true;
}

/** Whether a Date operator's value passes IAM's legacy parser. */
export function validDateValue(value: string): boolean {
  const lower = value.toLowerCase();
  if (lower.includes('t') || value.includes('-')) return validIsoDateTime(lower);
  return within(value, 0n, 9_223_372_036_854_775_807n);
}
