/**
 * SelectObjectContent: runs an S3 Select SQL expression (ast.ts, evaluate.ts) over a CSV or
 * JSON object, plain, GZIP or BZIP2 (input.ts, json-document.ts), and answers with the event stream S3 sends
 * (runtime/aws/protocols/event-stream.ts frames it): Records events carrying the output
 * (output.ts) in chunks of up to 64 KiB, a Progress event when RequestProgress asks for it,
 * a Stats event (BytesScanned, BytesProcessed, BytesReturned), and End.
 *
 * What can be known before the first byte of the answer is an HTTP error (400 with S3's
 * code): the request's serialization settings, the SQL, the first record and the CSV header
 * (a column the query names that the header lacks is MissingHeaders). What goes wrong later
 * (a failed CAST in row 10,000, a malformed line) ends the stream with an error message.
 *
 * The answer is produced as the client reads it: records are pulled from the object only as
 * fast as the events leave, so neither the object nor the output is ever held whole.
 *
 * ScanRange (scan-range.ts) applies to uncompressed CSV and JSON LINES, as in S3; a CSV
 * header row is read from the object's start whatever the range.
 *
 * LIMITATIONS: no Parquet input (NotImplemented); timestamps are kept and written in UTC,
 * with milliseconds (`2024-03-02T10:00:00.000Z`), not with the offset and precision they
 * were written with.
 */
import { pipeline, type Readable } from 'node:stream';
import type { OperationContext } from '../../provider.js';
import type { S3Api, SelectObjectContentInput } from '../api.generated.js';
import { s3Error } from '../errors.js';
import { ARCHIVE_CLASSES } from '../objects.js';
import type { S3Service } from '../service.js';
import { checkReadKey, customerKey } from '../sse.js';
import { getBucket, readableVersion } from '../state.js';
import { parseQuery, pathsOf, type Expr, type Query, type SelectItem } from './ast.js';
import { selectError } from './errors.js';
import { columnIndex, Evaluator, namesRecord, type Row, type Scope } from './evaluate.js';
import { csvRows, decoded, fromPath, jsonLines, MAX_RECORD_BYTES, type ByteCounts } from './input.js';
import { documentRecords } from './json-document.js';
import { recordWriter, type OutRecord } from './output.js';
import { recordsInWindow, scanWindow } from './scan-range.js';

/** Output is sent in Records events of about this size. */
const CHUNK_BYTES = 64 * 1024;
/** An aggregate query's answer is one row computed over no record. */
const NO_ROW: Row = { json: undefined };

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, error: Parameters<typeof selectError>[0]): T {
  if (value === undefined || value === '') return fallback;
  const upper = value.toUpperCase() as T;
  if (!allowed.includes(upper)) throw selectError(error);
  return upper;
}

/** The request's settings, checked as S3 checks them. */
function settingsOf(input: SelectObjectContentInput) {
  if (input.ExpressionType !== 'SQL') throw selectError('InvalidExpressionType');
  const inSer = input.InputSerialization;
  const outSer = input.OutputSerialization;
  if (!inSer || !outSer || !input.Expression) throw selectError('MissingRequiredParameter');
  const formats = [inSer.CSV, inSer.JSON, inSer.Parquet].filter((f) => f !== undefined).length;
  if (formats !== 1 || [outSer.CSV, outSer.JSON].filter((f) => f !== undefined).length !== 1) throw selectError('ObjectSerializationConflict');
  if (inSer.Parquet) throw s3Error('NotImplemented', 'Parquet input is not supported by this emulator');
  const compression = oneOf(inSer.CompressionType, ['NONE', 'GZIP', 'BZIP2'], 'NONE', 'InvalidCompressionFormat');
  const headerInfo = oneOf(inSer.CSV?.FileHeaderInfo, ['NONE', 'USE', 'IGNORE'], 'NONE', 'InvalidFileHeaderInfo');
  const jsonType = oneOf(inSer.JSON?.Type, ['DOCUMENT', 'LINES'], 'DOCUMENT', 'InvalidJsonType');
  oneOf(outSer.CSV?.QuoteFields, ['ALWAYS', 'ASNEEDED'], 'ASNEEDED', 'InvalidQuoteFields');
  // ranges of uncompressed CSV (record delimiters not quoted) and JSON LINES only, as S3 has it
  if (input.ScanRange && (compression !== 'NONE' || (inSer.JSON && jsonType !== 'LINES') || inSer.CSV?.AllowQuotedRecordDelimiter === true)) {
    throw selectError('UnsupportedScanRangeInput');
  }
  return { compression, headerInfo, jsonType };
}

/** The name a SELECT item has in JSON output: its alias, the last name of its path, else `_N`. */
function outputName(scope: Scope, item: Extract<SelectItem, { expr: Expr }>, position: number): string {
  if (item.alias) return item.alias.name;
  const e = item.expr;
  if (e.k === 'path') {
    const last = e.steps.at(-1);
    if (last && 'name' in last) return last.name.name;
    if (!last && !namesRecord(scope, e.head)) return e.head.name;
  }
  return `_${position}`;
}

/** The output record of `row`: `*` as the record is, else each item's name and value. */
function projection(scope: Scope, evaluator: Evaluator, items: readonly SelectItem[], row: Row): OutRecord {
  if (items.length === 1 && 'star' in items[0]!) {
    if ('json' in row) return { whole: row.json };
    return { names: row.csv.map((_, i) => scope.header?.[i] ?? `_${i + 1}`), values: row.csv };
  }
  const names: string[] = [];
  const values: unknown[] = [];
  const add = (name: string, value: unknown) => {
    names.push(name);
    values.push(value);
  };
  items.forEach((item, i) => {
    if ('expr' in item) add(outputName(scope, item, i + 1), evaluator.value(item.expr, row));
    else if ('all' in item) {
      // s.*: the record's columns or members; x.*: the members of the object in column x
      const record = namesRecord(scope, item.all);
      if (record && 'csv' in row) row.csv.forEach((v, c) => add(scope.header?.[c] ?? `_${c + 1}`, v));
      else {
        const whole = record ? (row as { json: unknown }).json : evaluator.value({ k: 'path', head: item.all, steps: [] }, row);
        if (whole !== null && typeof whole === 'object' && !Array.isArray(whole)) for (const [k, v] of Object.entries(whole)) add(k, v);
      }
    }
  });
  return { names, values };
}

/** The CSV columns the query names (the first name of each path), checked against the header. */
function checkColumns(query: Query, scope: Scope): void {
  const exprs: Expr[] = [...query.select.flatMap((i) => ('expr' in i ? [i.expr] : [])), ...(query.where ? [query.where] : [])];
  for (const path of exprs.flatMap((e) => pathsOf(e))) {
    let name = path.head;
    if (namesRecord(scope, path.head)) {
      const first = path.steps[0];
      if (!first || !('name' in first)) continue;
      name = first.name;
    }
    if (/^_\d+$/.test(name.name)) {
      if (columnIndex(scope, name)! < 0) throw selectError('InvalidColumnIndex');
    } else if (columnIndex(scope, name) === undefined) {
      throw selectError('MissingHeaders');
    } else if (!name.quoted && scope.header!.filter((h) => h.toLowerCase() === name.name.toLowerCase()).length > 1) {
      // an unquoted name matches regardless of case: two such columns make it ambiguous
      throw selectError('AmbiguousFieldName');
    }
  }
}

/**
 * The rows of the object, and the scope its names resolve in (the CSV header read first, from
 * `objectStart` when the rows are those of a ScanRange past the start).
 */
async function openRows(query: Query, input: SelectObjectContentInput, settings: ReturnType<typeof settingsOf>, stream: Readable, objectStart?: Readable) {
  const alias = query.from.alias?.name.toLowerCase();
  const csv = input.InputSerialization.CSV;
  if (csv) {
    const settingsOfCsv = {
      fieldDelimiter: csv.FieldDelimiter || ',',
      recordDelimiter: csv.RecordDelimiter || undefined,
      quote: csv.QuoteCharacter ?? '"',
      escape: csv.QuoteEscapeCharacter || csv.QuoteCharacter || '"',
      comments: csv.Comments || undefined,
      quotedDelimiters: csv.AllowQuotedRecordDelimiter === true,
    };
    const rows = csvRows(stream, settingsOfCsv);
    let header: string[] | undefined;
    if (settings.headerInfo !== 'NONE') {
      // a range that does not start the object takes the header from the object's start
      const first = await (objectStart ? csvRows(objectStart, settingsOfCsv) : rows).next();
      objectStart?.destroy();
      if (!first.done && settings.headerInfo === 'USE') header = first.value;
    }
    const scope: Scope = { alias, header };
    checkColumns(query, scope);
    return {
      scope,
      rows: (async function* (): AsyncGenerator<Row> {
        for await (const fields of rows) yield { csv: fields };
      })(),
    };
  }
  const path = query.from.path;
  if (settings.jsonType === 'LINES') {
    return {
      scope: { alias },
      rows: (async function* (): AsyncGenerator<Row> {
        for await (const value of jsonLines(stream)) yield* fromPath(value, path);
      })(),
    };
  }
  // the first [*] is the top-level value itself
  const steps = path[0] && 'star' in path[0] ? path.slice(1) : path;
  return {
    scope: { alias },
    rows: (async function* (): AsyncGenerator<Row> {
      for await (const value of documentRecords(stream, steps)) yield { json: value };
    })(),
  };
}

export function selectOperations(s3: S3Service) {
  return {
    async SelectObjectContent(ctx: OperationContext, input: SelectObjectContentInput) {
      const settings = settingsOf(input);
      const bucket = getBucket(s3.state, ctx, input.Bucket, input.ExpectedBucketOwner);
      const object = readableVersion(bucket, input.Key);
      checkReadKey(object, customerKey(ctx, 'x-amz-server-side-encryption-customer-'));
      if (ARCHIVE_CLASSES.includes(object.storageClass) && !object.restore) {
        throw s3Error('InvalidObjectState', "The operation is not valid for the object's storage class", { fields: { StorageClass: object.storageClass } });
      }
      const query = parseQuery(input.Expression!);
      const counts: ByteCounts = { scanned: 0, processed: 0 };
      const window = input.ScanRange ? scanWindow(input.ScanRange, object.size) : undefined;
      const [from, to] = window ? [window.readFrom, window.readTo] : [0, object.size - 1];
      let stream = decoded(to < from ? Buffer.alloc(0) : s3.blobs.read(object.blobs, from, to), settings.compression, counts);
      if (window) {
        const delimiter = Buffer.from(input.InputSerialization.CSV?.RecordDelimiter || '\n', 'utf8');
        stream = pipeline(stream, recordsInWindow(window, delimiter[delimiter.length - 1]!), () => undefined);
      }
      let opened;
      let first: IteratorResult<Row>;
      try {
        const start = window && window.start > 0 && object.size > 0 && settings.headerInfo !== 'NONE' ? decoded(s3.blobs.read(object.blobs, 0, Math.min(object.size, MAX_RECORD_BYTES) - 1), 'NONE', { scanned: 0, processed: 0 }) : undefined;
        opened = await openRows(query, input, settings, stream, start);
        // the first record too is read before answering: a body that is not what the request says is an HTTP error
        first = await opened.rows.next();
      } catch (error) {
        stream.destroy();
        throw error;
      }
      const { scope, rows } = opened;
      const evaluator = new Evaluator(scope);
      const { CSV: csvOut, JSON: jsonOut } = input.OutputSerialization;
      const writer = recordWriter(
        csvOut && { ...csvOut, FieldDelimiter: csvOut.FieldDelimiter, RecordDelimiter: csvOut.RecordDelimiter, QuoteCharacter: csvOut.QuoteCharacter, QuoteEscapeCharacter: csvOut.QuoteEscapeCharacter },
        jsonOut && { RecordDelimiter: jsonOut.RecordDelimiter },
      );
      const items = query.select;
      const project = (row: Row) => projection(scope, evaluator, items, row);
      const progress = input.RequestProgress?.Enabled === true;

      async function* events(): AsyncGenerator<Record<string, unknown>> {
        let pending: string[] = [];
        let size = 0;
        let returned = 0;
        const flush = () => {
          const payload = Buffer.from(pending.join(''), 'utf8');
          pending = [];
          size = 0;
          returned += payload.length;
          return { Records: { Payload: payload } };
        };
        const add = (text: string) => {
          if (text.length > MAX_RECORD_BYTES) throw selectError('OverMaxRecordSize');
          pending.push(text);
          size += text.length;
        };
        const all = (async function* () {
          if (!first.done) yield first.value;
          yield* rows;
        })();
        try {
          if (query.aggregate) {
            for await (const row of all) {
              if (evaluator.matches(query.where, row)) for (const item of items) if ('expr' in item) evaluator.accumulate(item.expr, row);
            }
            if (query.limit !== 0) add(writer.write(project(NO_ROW)));
          } else if (query.limit !== 0) {
            let emitted = 0;
            for await (const row of all) {
              if (!evaluator.matches(query.where, row)) continue;
              add(writer.write(project(row)));
              if (size >= CHUNK_BYTES) yield flush();
              if (query.limit !== undefined && ++emitted >= query.limit) break;
            }
          }
          if (size > 0) yield flush();
        } finally {
          stream.destroy();
        }
        const details = { BytesScanned: counts.scanned, BytesProcessed: counts.processed, BytesReturned: returned };
        if (progress) yield { Progress: { Details: details } };
        yield { Stats: { Details: details } };
        yield { End: {} };
      }

      // the event-stream encoder takes an async iterable where the model has the union of events
      return { Payload: events() as unknown as Record<string, never> };
    },
  } satisfies Partial<S3Api>;
}
