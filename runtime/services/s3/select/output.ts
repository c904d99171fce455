/**
 * The answer's records as text, by OutputSerialization: CSV (FieldDelimiter `,`,
 * RecordDelimiter `\n`, QuoteCharacter `"`, QuoteEscapeCharacter `"`, QuoteFields ASNEEDED
 * or ALWAYS) or JSON (one object per record, RecordDelimiter `\n`).
 *
 * A record is its column names and values. JSON output names each member as S3 does: the
 * alias, else the last name of a path (`s.a.b` is `b`), else `_N` by position; MISSING
 * values are left out of the object, and in CSV they are empty fields.
 */
import type { CSVOutput, JSONOutput } from '../api.generated.js';
import { formatValue } from './values.js';

/** One output record: names (for JSON) and values, or a whole JSON value (`SELECT *` over JSON). */
export type OutRecord = { readonly names: readonly string[]; readonly values: readonly unknown[] } | { readonly whole: unknown };

export interface RecordWriter {
  write(record: OutRecord): string;
}

/** The writer for an OutputSerialization (validated: exactly one of CSV and JSON). */
export function recordWriter(csv: CSVOutput | undefined, json: JSONOutput | undefined): RecordWriter {
  if (json) {
    const delimiter = json.RecordDelimiter || '\n';
    return {
      write(record) {
        if ('whole' in record) {
          const v = record.whole;
          return `${JSON.stringify(v !== null && typeof v === 'object' && !Array.isArray(v) ? v : { _1: v })}${delimiter}`;
        }
        const object: Record<string, unknown> = {};
        record.names.forEach((name, i) => {
          if (record.values[i] !== undefined) object[name] = record.values[i];
        });
        return `${JSON.stringify(object)}${delimiter}`;
      },
    };
  }
  const field = csv?.FieldDelimiter || ',';
  const row = csv?.RecordDelimiter || '\n';
  const quote = csv?.QuoteCharacter ?? '"';
  const escape = csv?.QuoteEscapeCharacter || quote;
  const always = csv?.QuoteFields === 'ALWAYS';
  const quoted = (text: string) => `${quote}${quote ? text.split(quote).join(`${escape}${quote}`) : text}${quote}`;
  const needsQuotes = (text: string) => text.includes(field) || text.includes(row) || text.includes('\n') || text.includes('\r') || (quote !== '' && text.includes(quote));
  const cell = (v: unknown) => {
    const text = formatValue(v);
    return always || needsQuotes(text) ? quoted(text) : text;
  };
  return {
    write(record) {
      if ('whole' in record) {
        const v = record.whole;
        const values = v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.values(v) : Array.isArray(v) ? v : [v];
        return `${values.map(cell).join(field)}${row}`;
      }
      return `${record.values.map(cell).join(field)}${row}`;
    },
  };
}
