/**
 * S3 Select through a real boto3 client (select_object_content, its event stream decoded by
 * botocore) against the real runtime: CSV with a header row, CAST, aggregates, LIMIT, GZIP,
 * JSON LINES with nested paths, BZIP2, a JSON document's array, ScanRange, and bad SQL / a missing
 * header (400 with S3 Select's code) and a failed CAST (an error event), the server serving
 * on. The scenarios run in boto3_s3_select.py (one Python process for all); the asserts are
 * here. A missing boto3 fails the file under CI and skips it elsewhere.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { havePython } from '../../support/python.js';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';

const DRIVER = join(dirname(fileURLToPath(import.meta.url)), 'boto3_s3_select.py');

let rt: RuntimeProcess;

/** Runs scenarios of boto3_s3_select.py in one Python process. */
function scenarios(...names: string[]): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    execFile(
      'python3',
      [DRIVER, rt.endpoint, ...names],
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`boto3 scenarios ${names.join(' ')} failed: ${error.message}\n${stderr}`));
        resolve(JSON.parse(stdout));
      },
    );
  });
}

describe.skipIf(!havePython('boto3') && !process.env.CI)('S3 Select through boto3', { timeout: 120_000 }, () => {
  let r: Record<string, any>;
  beforeAll(async () => {
    rt = await startRuntime();
    r = await scenarios('setup', 'csv_headers', 'csv_json_output', 'cast', 'aggregates', 'gzip', 'json_lines', 'bzip2', 'json_document', 'scan_range', 'multiline', 'bad_sql', 'missing_headers', 'cast_failed');
  });
  afterAll(async () => {
    await rt?.stop();
  });

  it('CSV with a header row: columns by name, LIKE; Stats counts the bytes; End ends the stream', () => {
    const size = r.setup.sizes['people.csv'];
    const records = 'Bob,"New York, NY"\nCarol,Berlin\nDave,Rome\n';
    expect(r.csv_headers).toEqual({ records, stats: { BytesScanned: size, BytesProcessed: size, BytesReturned: Buffer.byteLength(records) }, end: true });
  });

  it('JSON output and LIMIT', () => {
    expect(r.csv_json_output.records).toBe('{"name":"Alice","age":"34"}\n{"name":"Bob","age":"27"}\n');
  });

  it('CAST in WHERE, and aggregates over the cast values', () => {
    expect(r.cast.records).toBe('Alice\n');
    expect(r.aggregates.records).toBe('3,105,35,27,44\n');
  });

  it('GZIP: BytesScanned is the stored size, BytesProcessed the plain size', () => {
    expect(r.gzip.records).toBe('Alice\n');
    expect(r.gzip.stats.BytesScanned).toBe(r.setup.sizes['people.csv.gz']);
    // LIMIT 1 stops reading once the row is out, but this body is one chunk
    expect(r.gzip.stats.BytesProcessed).toBe(r.setup.sizes['people.csv']);
  });

  it('JSON LINES with nested paths, and BZIP2', () => {
    expect(r.json_lines.records).toBe('{"name":"ann","_2":"a"}\n{"name":"cid"}\n');
    expect(r.bzip2.records).toBe('{"n":3}\n');
    expect(r.bzip2.stats).toEqual({ BytesScanned: r.setup.sizes['events.jsonl.bz2'], BytesProcessed: r.setup.sizes['events.jsonl'], BytesReturned: 8 });
  });

  it('a JSON document: FROM S3Object[*].items[*], IN', () => {
    expect(r.json_document.records).toBe('1\n3\n');
  });

  it('ScanRange: the records whose first byte is in the range; a multi-line expression and CSV output settings', () => {
    // "name,age,city\n" is bytes 0-13, "Alice,34,Paris\n" 14-28, "Bob,27,..." 29-50
    expect(r.scan_range.records).toBe('Bob\n');
    expect(r.multiline.records).toBe('"Dave"|');
  });

  it('bad SQL and a column the header lacks: 400 with S3 Select codes; a failed CAST: an error event', () => {
    expect(r.bad_sql).toEqual({ error: { code: 'ParseUnexpectedToken', message: 'The SQL expression contains an unexpected token.', status: 400 } });
    expect(r.missing_headers).toEqual({ error: { code: 'MissingHeaders', message: 'Some headers in the query are missing from the file. Please check the file and try again.', status: 400 } });
    expect(r.cast_failed.error).toMatchObject({ code: 'CastFailed', message: 'An attempt to convert from one data type to another using CAST failed in the SQL expression.' });
  });
});
