/**
 * The records of the object a SelectObjectContent request reads, as an async iterable, from
 * the stored body through its decompression (node:zlib for GZIP; unbzip2-stream, a streaming
 * pure-JavaScript bzip2 decoder, for BZIP2) and a parser: csv-parse for CSV, a line splitter
 * for JSON LINES (json-document.ts streams JSON DOCUMENT).
 *
 * Everything streams with backpressure: the body is read as fast as records are consumed,
 * and what is held at once is bounded by the record: 1 MiB for a CSV row or a JSON line
 * (S3's maxCharsPerRecord: OverMaxRecordSize). Bytes are counted on both sides of the
 * decompression, for the Stats event (BytesScanned, BytesProcessed).
 */
import { parse as csvParse, type Options as CsvOptions } from 'csv-parse';
import { Readable, Transform, pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import bz2 from 'unbzip2-stream';
import { ServiceError } from '../../../aws/errors.js';
import { selectError, type SelectErrorCode } from './errors.js';
import type { Row } from './evaluate.js';

/** S3's limit on one record. */
export const MAX_RECORD_BYTES = 1024 * 1024;

export interface ByteCounts {
  scanned: number;
  processed: number;
}

function counter(add: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      add(chunk.length);
      done(null, chunk);
    },
  });
}

/** A failure of the input, as S3's code for it (a ServiceError passes as it is). */
function inputError(error: unknown, fallback: SelectErrorCode): ServiceError {
  if (error instanceof ServiceError) return error;
  // zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR...) whatever stage reports them
  if (String((error as { code?: unknown }).code ?? '').startsWith('Z_')) return selectError('TruncatedInput');
  return selectError(fallback);
}

/** The body, decompressed; `counts` grows as it is read. A body that does not decompress is TruncatedInput. */
export function decoded(body: Buffer | Readable, compression: string, counts: ByteCounts): Readable {
  const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
  const scanned = counter((n) => (counts.scanned += n));
  const processed = counter((n) => (counts.processed += n));
  const failed = (error: Error) => processed.destroy(inputError(error, 'TruncatedInput'));
  if (compression === 'GZIP') {
    const gunzip = createGunzip();
    gunzip.on('error', failed);
    return pipeline(source, scanned, gunzip, processed, () => undefined);
  }
  if (compression === 'BZIP2') {
    // unbzip2-stream is a classic (through) stream: wrap() gives it backpressure and a modern face
    const decoder = bz2();
    // listening before wrap() does: the stream then fails with S3's code, not the decoder's error
    decoder.on('error', (e: Error) => out.destroy(inputError(e, 'TruncatedInput')));
    const out: Readable = new Readable().wrap(decoder);
    source.on('error', (e) => out.destroy(e));
    out.on('close', () => source.destroy());
    source.pipe(scanned).pipe(decoder);
    return pipeline(out, processed, () => undefined);
  }
  return pipeline(source, scanned, processed, () => undefined);
}

/** What csv-parse needs of CSVInput: S3's defaults are `,`, `"`, `"`, and a newline. */
export interface CsvSettings {
  readonly fieldDelimiter: string;
  readonly recordDelimiter?: string;
  readonly quote: string;
  readonly escape: string;
  readonly comments?: string;
  /** AllowQuotedRecordDelimiter: without it a record delimiter inside quotes is CSVEscapingRecordDelimiter. */
  readonly quotedDelimiters: boolean;
}

/** The rows of a CSV body, as arrays of strings. */
export async function* csvRows(input: Readable, settings: CsvSettings): AsyncGenerator<string[]> {
  const options: CsvOptions = {
    delimiter: settings.fieldDelimiter,
    quote: settings.quote === '' ? false : settings.quote,
    escape: settings.escape,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_BYTES,
    bom: true,
  };
  if (settings.recordDelimiter) options.record_delimiter = settings.recordDelimiter;
  if (settings.comments) {
    options.comment = settings.comments;
    options.comment_no_infix = true; // only at the start of a row, as S3 reads Comments
  }
  const parser = pipeline(input, csvParse(options), () => undefined);
  try {
    const delimiter = settings.recordDelimiter ?? '\n';
    for await (const row of parser) {
      if (!settings.quotedDelimiters && (row as string[]).some((field) => field.includes(delimiter))) throw selectError('CSVEscapingRecordDelimiter');
      yield row as string[];
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw inputError(error, code === 'CSV_MAX_RECORD_SIZE' ? 'OverMaxRecordSize' : 'CSVParsingError');
  }
}

/** The values of a JSON LINES body, one per non-empty line. */
export async function* jsonLines(input: Readable): AsyncGenerator<unknown> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const parse = (line: string) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      throw selectError('JSONParsingError');
    }
  };
  try {
    for await (const chunk of input) {
      pending += decoder.write(chunk as Buffer);
      let at: number;
      while ((at = pending.indexOf('\n')) >= 0) {
        if (at > MAX_RECORD_BYTES) throw selectError('OverMaxRecordSize');
        const line = pending.slice(0, at).trim();
        pending = pending.slice(at + 1);
        if (line) yield parse(line);
      }
      if (pending.length > MAX_RECORD_BYTES) throw selectError('OverMaxRecordSize');
    }
  } catch (error) {
    throw inputError(error, 'JSONParsingError');
  }
  const last = (pending + decoder.end()).trim();
  if (last) yield parse(last);
}

/** The records a FROM path (`S3Object[*].a.b[*]`) takes from one JSON value (a line of JSON LINES). */
export function* fromPath(value: unknown, path: ReadonlyArray<{ star: true } | { name: { name: string } } | { index: number }>, at = 0): Generator<Row> {
  if (at >= path.length) {
    if (value !== undefined) yield { json: value };
    return;
  }
  const step = path[at]!;
  if ('star' in step) {
    // the first [*] is the object's values themselves; a later one, the elements of an array
    if (at === 0 || !Array.isArray(value)) yield* fromPath(value, path, at + 1);
    else for (const v of value) yield* fromPath(v, path, at + 1);
  } else if ('index' in step) {
    if (Array.isArray(value)) yield* fromPath(value[step.index], path, at + 1);
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    yield* fromPath((value as Record<string, unknown>)[step.name.name], path, at + 1);
  }
}
