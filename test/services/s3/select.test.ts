/**
 * S3 Select (SelectObjectContent) through @aws-sdk/client-s3 against the real runtime, the
 * event stream decoded by the SDK: CSV with a header row (USE, IGNORE, NONE), JSON LINES and
 * JSON DOCUMENT with nested paths, GZIP and BZIP2 bodies, WHERE with LIKE / BETWEEN / IN /
 * IS NULL, string functions, CAST, aggregates, LIMIT, CSV and JSON output settings, the Stats
 * event's byte counts, ScanRange, a large object answered in many Records events, a large JSON
 * document read element by element; and bad SQL or bad settings answered as 400 with S3's
 * code, a failure mid-stream as an error event, the server serving on.
 */
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand, S3Client, SelectObjectContentCommand, type SelectObjectContentCommandInput } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let s3: S3Client;
const BUCKET = 'select-sdk';

const PEOPLE = 'name,age,city\nAlice,34,Paris\nBob,27,"New York, NY"\nCarol,44,Berlin\nDave,,Rome\n';
const LINES = ['{"user":{"name":"ann","age":31},"tags":["a","b"],"score":1.5}', '{"user":{"name":"ben","age":25},"tags":["c"],"score":2}', '{"user":{"name":"cid","age":40},"tags":[],"score":null}'].join('\n');
const DOCUMENT = JSON.stringify({ items: [{ id: 1, v: 'x', meta: { ok: true } }, { id: 2, v: 'y', meta: { ok: false } }, { id: 3, v: 'z', meta: { ok: true } }] }, null, 2);

function bzip2(data: string | Buffer): Buffer {
  return execFileSync('bzip2', ['-c', '-9'], { input: data, maxBuffer: 256 * 1024 * 1024 });
}

const put = (Key: string, Body: string | Buffer) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));

interface Answer {
  records: string;
  chunks: number;
  largest: number;
  stats?: { BytesScanned?: number; BytesProcessed?: number; BytesReturned?: number };
  progress?: unknown;
  ended: boolean;
}

/** Runs a select and reads its whole event stream. */
async function select(input: Partial<SelectObjectContentCommandInput> & { Key: string; Expression: string }): Promise<Answer> {
  const r = await s3.send(
    new SelectObjectContentCommand({
      Bucket: BUCKET,
      ExpressionType: 'SQL',
      InputSerialization: { CSV: { FileHeaderInfo: 'USE' } },
      OutputSerialization: { CSV: {} },
      ...input,
    }),
  );
  const answer: Answer = { records: '', chunks: 0, largest: 0, ended: false };
  for await (const event of r.Payload!) {
    if (event.Records) {
      answer.records += Buffer.from(event.Records.Payload!).toString('utf8');
      answer.chunks++;
      answer.largest = Math.max(answer.largest, event.Records.Payload!.length);
    } else if (event.Stats) answer.stats = event.Stats.Details;
    else if (event.Progress) answer.progress = event.Progress.Details;
    else if (event.End) answer.ended = true;
  }
  return answer;
}

const json = (records: string) =>
  records
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

beforeAll(async () => {
  rt = await startRuntime();
  s3 = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true, maxAttempts: 1 });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await put('people.csv', PEOPLE);
  await put('people.csv.gz', gzipSync(PEOPLE));
  await put('people.csv.bz2', bzip2(PEOPLE));
  await put('events.jsonl', LINES);
  await put('events.jsonl.bz2', bzip2(LINES));
  await put('doc.json', DOCUMENT);
  await put('doc.json.gz', gzipSync(DOCUMENT));
});
afterAll(async () => {
  s3?.destroy();
  await rt?.stop();
});

describe('CSV input', () => {
  it('SELECT * with a header row: the rows as they are, a field with a comma quoted again; Stats and End', async () => {
    const r = await select({ Key: 'people.csv', Expression: 'SELECT * FROM S3Object' });
    expect(r.records).toBe('Alice,34,Paris\nBob,27,"New York, NY"\nCarol,44,Berlin\nDave,,Rome\n');
    const size = Buffer.byteLength(PEOPLE);
    expect(r.stats).toEqual({ BytesScanned: size, BytesProcessed: size, BytesReturned: Buffer.byteLength(r.records) });
    expect(r.ended).toBe(true);
  });

  it('columns by header name (case-insensitive unless quoted), WHERE with CAST, JSON output named by column', async () => {
    const r = await select({ Key: 'people.csv', Expression: "SELECT s.name, s.\"age\" FROM S3Object s WHERE s.age <> '' AND CAST(s.AGE AS INT) > 30", OutputSerialization: { JSON: {} } });
    expect(json(r.records)).toEqual([
      { name: 'Alice', age: '34' },
      { name: 'Carol', age: '44' },
    ]);
  });

  it('LIKE, BETWEEN (a numeric string compares as a number), IN, IS NULL on an empty field, aliases', async () => {
    const r = await select({
      Key: 'people.csv',
      Expression: "SELECT name AS who, city FROM S3Object WHERE city LIKE 'B%' OR age BETWEEN 25 AND 30 OR name IN ('Dave', 'Zed')",
      OutputSerialization: { JSON: {} },
    });
    expect(json(r.records)).toEqual([
      { who: 'Bob', city: 'New York, NY' },
      { who: 'Carol', city: 'Berlin' },
      { who: 'Dave', city: 'Rome' },
    ]);
    const empty = await select({ Key: 'people.csv', Expression: "SELECT _1 FROM S3Object WHERE NOT (age <> '')" });
    expect(empty.records).toBe('Dave\n');
  });

  it('positional columns with the header ignored, and without one (the header is then a row)', async () => {
    const ignored = await select({ Key: 'people.csv', Expression: 'SELECT _3, _1 FROM S3Object', InputSerialization: { CSV: { FileHeaderInfo: 'IGNORE' } } });
    expect(ignored.records).toBe('Paris,Alice\n"New York, NY",Bob\nBerlin,Carol\nRome,Dave\n');
    const none = await select({ Key: 'people.csv', Expression: 'SELECT s._1 FROM S3Object s LIMIT 2', InputSerialization: { CSV: { FileHeaderInfo: 'NONE' } }, OutputSerialization: { JSON: {} } });
    expect(json(none.records)).toEqual([{ _1: 'name' }, { _1: 'Alice' }]);
  });

  it('an expression on several lines, with tabs and a comment', async () => {
    const r = await select({ Key: 'people.csv', Expression: "SELECT name\n\tFROM S3Object -- the object\r\n\tWHERE city = 'Rome'" });
    expect(r.records).toBe('Dave\n');
  });

  it('string functions and arithmetic', async () => {
    const r = await select({
      Key: 'people.csv',
      Expression: "SELECT UPPER(name), LOWER(city), CHAR_LENGTH(city), SUBSTRING(name, 2, 3), SUBSTRING(name FROM 3), TRIM(BOTH 'x' FROM 'xxhixx'), TRIM('  pad  '), CAST(age AS INT) * 2 + 1, name || '!' FROM S3Object LIMIT 1",
    });
    expect(r.records).toBe('ALICE,paris,5,lic,ice,hi,pad,69,Alice!\n');
  });

  it('timestamps: Ion literals, CAST and TO_TIMESTAMP, EXTRACT, DATE_ADD, DATE_DIFF, TO_STRING, comparisons', async () => {
    await put('orders.csv', 'id,at\n1,2024-01-31T10:00:00Z\n2,2024-03-01T00:00:00Z\n3,2023-12-31T23:59:59Z\n');
    const r = await select({
      Key: 'orders.csv',
      Expression:
        "SELECT id, EXTRACT(YEAR FROM CAST(at AS TIMESTAMP)), EXTRACT(month FROM TO_TIMESTAMP(at)), DATE_ADD(month, 1, CAST(at AS TIMESTAMP)), DATE_DIFF(day, `2024-01-01T`, TO_TIMESTAMP(at)) FROM S3Object WHERE TO_TIMESTAMP(at) >= `2024T`",
      OutputSerialization: { JSON: {} },
    });
    expect(json(r.records)).toEqual([
      { id: '1', _2: 2024, _3: 1, _4: '2024-03-02T10:00:00.000Z', _5: 30 },
      { id: '2', _2: 2024, _3: 3, _4: '2024-04-01T00:00:00.000Z', _5: 60 },
    ]);
    const diff = await select({ Key: 'orders.csv', Expression: 'SELECT DATE_DIFF(year, `2010-01-01T`, `2011-01-01T`), DATE_DIFF(month, `2010T`, `2010-05T`), DATE_DIFF(day, `2010-01-01T23:00Z`, `2010-01-02T01:00Z`) FROM S3Object LIMIT 1' });
    expect(diff.records).toBe('1,4,0\n');
    const text = await select({
      Key: 'orders.csv',
      Expression: "SELECT TO_STRING(`1969-07-20T20:18Z`, 'MMMM d, y'), TO_STRING(`1969-07-20T20:18Z`, 'MMM d, yyyy'), TO_STRING(`1969-07-20T20:18Z`, 'M-d-yy'), TO_STRING(`1969-07-20T20:18Z`, 'MMMM d, y h:m a'), TO_STRING(`1969-07-20T20:18Z`, 'y-MM-dd''T''H:m:ssX') FROM S3Object LIMIT 1",
      OutputSerialization: { JSON: {} },
    });
    expect(json(text.records)).toEqual([{ _1: 'July 20, 1969', _2: 'Jul 20, 1969', _3: '7-20-69', _4: 'July 20, 1969 8:18 PM', _5: '1969-07-20T20:18:00Z' }]);
    expect((await sdkError(select({ Key: 'orders.csv', Expression: 'SELECT DATE_ADD(week, 1, `2010T`) FROM S3Object' }))).name).toBe('ParseExpectedDatePart');
    expect((await sdkError(select({ Key: 'orders.csv', Expression: "SELECT TO_TIMESTAMP('soon') FROM S3Object" }))).name).toBe('ValueParseFailure');
  });

  it('COUNT, SUM, AVG, MIN, MAX: one row', async () => {
    const r = await select({
      Key: 'people.csv',
      Expression: "SELECT COUNT(*), COUNT(s.city), SUM(CAST(s.age AS INT)), AVG(CAST(s.age AS INT)), MIN(CAST(s.age AS INT)), MAX(CAST(s.age AS INT)) FROM S3Object s WHERE s.age <> ''",
    });
    expect(r.records).toBe('3,3,105,35,27,44\n');
    const all = await select({ Key: 'people.csv', Expression: 'SELECT COUNT(*) AS n FROM S3Object', OutputSerialization: { JSON: {} } });
    expect(json(all.records)).toEqual([{ n: 4 }]);
  });

  it('CSV input and output settings: delimiters, quote and escape characters, comments, QuoteFields ALWAYS', async () => {
    await put('semi.csv', '#comment line\r\nid;label\r\n1;\'a;b\'\r\n2;\'it\'\'s\'\r\n');
    const r = await select({
      Key: 'semi.csv',
      Expression: 'SELECT label, id FROM S3Object',
      InputSerialization: { CSV: { FileHeaderInfo: 'USE', FieldDelimiter: ';', RecordDelimiter: '\r\n', QuoteCharacter: "'", QuoteEscapeCharacter: "'", Comments: '#' } },
      OutputSerialization: { CSV: { QuoteFields: 'ALWAYS', FieldDelimiter: '|', RecordDelimiter: '\r\n', QuoteCharacter: '"' } },
    });
    expect(r.records).toBe('"a;b"|"1"\r\n"it\'s"|"2"\r\n');
  });

  it('a record delimiter inside quotes: CSVEscapingRecordDelimiter unless AllowQuotedRecordDelimiter', async () => {
    await put('quoted-newline.csv', 'a,b\n1,"two\nlines"\n');
    const refused = await sdkError(select({ Key: 'quoted-newline.csv', Expression: 'SELECT b FROM S3Object' }));
    expect({ name: refused.name, status: refused.status }).toEqual({ name: 'CSVEscapingRecordDelimiter', status: 400 });
    const allowed = await select({ Key: 'quoted-newline.csv', Expression: 'SELECT b FROM S3Object', InputSerialization: { CSV: { FileHeaderInfo: 'USE', AllowQuotedRecordDelimiter: true } } });
    expect(allowed.records).toBe('"two\nlines"\n');
  });

  it('GZIP and BZIP2: the same answer, BytesScanned the stored size and BytesProcessed the plain size', async () => {
    for (const key of ['people.csv.gz', 'people.csv.bz2']) {
      const r = await select({ Key: key, Expression: "SELECT name FROM S3Object WHERE city = 'Rome'", InputSerialization: { CSV: { FileHeaderInfo: 'USE' }, CompressionType: key.endsWith('gz') ? 'GZIP' : 'BZIP2' } });
      expect(r.records, key).toBe('Dave\n');
      const stored = key.endsWith('gz') ? gzipSync(PEOPLE).length : bzip2(PEOPLE).length;
      expect(r.stats, key).toEqual({ BytesScanned: stored, BytesProcessed: Buffer.byteLength(PEOPLE), BytesReturned: 5 });
    }
  });
});

describe('JSON input', () => {
  it('LINES: nested paths, array elements, IS NULL, JSON output', async () => {
    const r = await select({
      Key: 'events.jsonl',
      Expression: 'SELECT s.user.name, s.tags[0] AS first_tag, s.score FROM S3Object s WHERE s.user.age >= 30',
      InputSerialization: { JSON: { Type: 'LINES' } },
      OutputSerialization: { JSON: {} },
    });
    // MISSING (no tags[0]) is left out of the object; NULL is written
    expect(json(r.records)).toEqual([
      { name: 'ann', first_tag: 'a', score: 1.5 },
      { name: 'cid', score: null },
    ]);
    const missing = await select({ Key: 'events.jsonl', Expression: 'SELECT s.user.name FROM S3Object s WHERE s.tags[0] IS MISSING', InputSerialization: { JSON: { Type: 'LINES' } } });
    expect(missing.records).toBe('cid\n');
  });

  it('SELECT * over JSON LINES gives each record whole; BZIP2', async () => {
    const r = await select({ Key: 'events.jsonl.bz2', Expression: 'SELECT * FROM S3Object s WHERE s.score IS NOT NULL', InputSerialization: { JSON: { Type: 'LINES' }, CompressionType: 'BZIP2' }, OutputSerialization: { JSON: { RecordDelimiter: ',' } } });
    expect(r.records).toBe(`${LINES.split('\n').slice(0, 2).join(',')},`);
  });

  it('s.* beside other items: the members of the record, and x.* those of an object member', async () => {
    const r = await select({ Key: 'events.jsonl', Expression: "SELECT s.*, 'extra' AS e FROM S3Object s WHERE s.user.age < 30", InputSerialization: { JSON: { Type: 'LINES' } }, OutputSerialization: { JSON: {} } });
    expect(json(r.records)).toEqual([{ user: { name: 'ben', age: 25 }, tags: ['c'], score: 2, e: 'extra' }]);
    const nested = await select({ Key: 'events.jsonl', Expression: 'SELECT user.* FROM S3Object LIMIT 1', InputSerialization: { JSON: { Type: 'LINES' } }, OutputSerialization: { JSON: {} } });
    expect(json(nested.records)).toEqual([{ name: 'ann', age: 31 }]);
    const csv = await select({ Key: 'people.csv', Expression: "SELECT s.*, UPPER(s.city) FROM S3Object s WHERE name = 'Alice'", OutputSerialization: { JSON: {} } });
    expect(json(csv.records)).toEqual([{ name: 'Alice', age: '34', city: 'Paris', _2: 'PARIS' }]);
  });

  it('DOCUMENT: FROM S3Object[*].items[*] takes the array elements; aggregates over them; GZIP', async () => {
    const r = await select({
      Key: 'doc.json',
      Expression: 'SELECT s.id, s.meta.ok FROM S3Object[*].items[*] s WHERE s.id > 1',
      InputSerialization: { JSON: { Type: 'DOCUMENT' } },
      OutputSerialization: { JSON: {} },
    });
    expect(json(r.records)).toEqual([
      { id: 2, ok: false },
      { id: 3, ok: true },
    ]);
    const agg = await select({
      Key: 'doc.json.gz',
      Expression: 'SELECT COUNT(*), SUM(s.id), MAX(s.v) FROM S3Object[*].items[*] s WHERE s.meta.ok = true',
      InputSerialization: { JSON: { Type: 'DOCUMENT' }, CompressionType: 'GZIP' },
    });
    expect(agg.records).toBe('2,4,z\n');
    const indexed = await select({ Key: 'doc.json', Expression: 'SELECT s.items[1].v FROM S3Object s', InputSerialization: { JSON: { Type: 'DOCUMENT' } } });
    expect(indexed.records).toBe('y\n');
  });
});

describe('ScanRange', () => {
  // offsets: "a,b\n" 0-3, "1,x\n" 4-7, "2,y\n" 8-11, "3,z\n" 12-15
  const RANGED = 'a,b\n1,x\n2,y\n3,z\n';

  it('the records whose first byte is in the range, read whole; Start alone, End alone; the header from the object start', async () => {
    await put('ranged.csv', RANGED);
    await put('ranged.jsonl', '{"v":1}\n{"v":2}\n{"v":3}\n');
    const ranged = (ScanRange: { Start?: number; End?: number }) => select({ Key: 'ranged.csv', Expression: 'SELECT b FROM S3Object', ScanRange }).then((r) => r.records);
    expect(await ranged({ Start: 4, End: 8 })).toBe('x\ny\n');
    expect(await ranged({ Start: 5, End: 11 })).toBe('y\n');
    expect(await ranged({ Start: 12 })).toBe('z\n');
    expect(await ranged({ End: 4 })).toBe('z\n');
    expect(await ranged({ Start: 0, End: 3 })).toBe('');
    const lines = await select({ Key: 'ranged.jsonl', Expression: 'SELECT s.v FROM S3Object s', InputSerialization: { JSON: { Type: 'LINES' } }, ScanRange: { Start: 1, End: 8 } });
    expect(lines.records).toBe('2\n');
  });

  it('compressed input or a JSON document cannot be ranged; Start past End is InvalidScanRange', async () => {
    const failing = (input: Partial<SelectObjectContentCommandInput>) => sdkError(select({ Key: 'people.csv', Expression: 'SELECT * FROM S3Object', ...input }));
    expect((await failing({ Key: 'people.csv.gz', InputSerialization: { CSV: {}, CompressionType: 'GZIP' }, ScanRange: { Start: 0, End: 10 } })).name).toBe('UnsupportedScanRangeInput');
    expect((await failing({ Key: 'doc.json', InputSerialization: { JSON: { Type: 'DOCUMENT' } }, ScanRange: { Start: 0 } })).name).toBe('UnsupportedScanRangeInput');
    expect((await failing({ ScanRange: { Start: 10, End: 2 } })).name).toBe('InvalidScanRange');
  });
});

describe('streaming', () => {
  it('a large JSON document: FROM S3Object[*].Records[*] takes its elements one by one; several top-level values', async () => {
    const records = Array.from({ length: 100_000 }, (_, i) => ({ eventName: i % 3 === 0 ? 'PutObject' : 'GetObject', n: i, detail: { text: `"quoted" \\ ${i} ]}` } }));
    await put('trail.json', JSON.stringify({ Records: records, other: [1, 2] }));
    const r = await select({ Key: 'trail.json', Expression: "SELECT COUNT(*) FROM S3Object[*].Records[*] r WHERE r.eventName = 'PutObject'", InputSerialization: { JSON: { Type: 'DOCUMENT' } } });
    expect(r.records).toBe(`${records.filter((x) => x.eventName === 'PutObject').length}\n`);
    const last = await select({ Key: 'trail.json', Expression: 'SELECT r.detail.text FROM S3Object[*].Records[*] r WHERE r.n = 99999', InputSerialization: { JSON: { Type: 'DOCUMENT' } }, OutputSerialization: { JSON: {} } });
    expect(json(last.records)).toEqual([{ text: '"quoted" \\ 99999 ]}' }]);
    await put('several.json', '{"a":1}\n{"a":2} {"a":3}');
    const several = await select({ Key: 'several.json', Expression: 'SELECT s.a FROM S3Object s', InputSerialization: { JSON: { Type: 'DOCUMENT' } } });
    expect(several.records).toBe('1\n2\n3\n');
  });

  it('a JSON line over 1 MiB is OverMaxRecordSize', async () => {
    await put('long.jsonl', `{"v":"${'x'.repeat(1024 * 1024 + 10)}"}\n`);
    const e = await sdkError(select({ Key: 'long.jsonl', Expression: 'SELECT * FROM S3Object', InputSerialization: { JSON: { Type: 'LINES' } } }));
    expect({ name: e.name, status: e.status }).toEqual({ name: 'OverMaxRecordSize', status: 400 });
  });

  it('a large gzip object: many Records events, none much over 64 KiB, LIMIT stops reading early', async () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => `${i},name-${i},${i % 7}`).join('\n');
    const body = gzipSync(`id,name,group\n${rows}\n`);
    await put('big.csv.gz', body);
    const r = await select({ Key: 'big.csv.gz', Expression: 'SELECT id, name FROM S3Object WHERE "group" = \'3\'', InputSerialization: { CSV: { FileHeaderInfo: 'USE' }, CompressionType: 'GZIP' } });
    const lines = r.records.split('\n').filter(Boolean);
    expect(lines.length).toBe(Array.from({ length: 200_000 }, (_, i) => i).filter((i) => i % 7 === 3).length);
    expect(lines[0]).toBe('3,name-3');
    expect(r.chunks).toBeGreaterThan(5);
    expect(r.largest).toBeLessThan(64 * 1024 + 100);
    expect(r.stats).toEqual({ BytesScanned: body.length, BytesProcessed: Buffer.byteLength(`id,name,group\n${rows}\n`), BytesReturned: Buffer.byteLength(r.records) });
    const limited = await select({ Key: 'big.csv.gz', Expression: 'SELECT id FROM S3Object LIMIT 3', InputSerialization: { CSV: { FileHeaderInfo: 'USE' }, CompressionType: 'GZIP' }, RequestProgress: { Enabled: true } });
    expect(limited.records).toBe('0\n1\n2\n');
    expect(limited.stats!.BytesProcessed!).toBeLessThan(Buffer.byteLength(rows));
    expect(limited.progress).toEqual(limited.stats);
  });
});

describe('errors', () => {
  const failing = (input: Partial<SelectObjectContentCommandInput> & { Expression: string }) => sdkError(select({ Key: 'people.csv', ...input }));

  it('bad SQL is a 400 with S3 Select codes before any event', async () => {
    const cases: Array<[string, string]> = [
      ['SELECT name, FROM S3Object', 'ParseUnexpectedToken'],
      ['SELECT * FORM S3Object', 'ParseSelectMissingFrom'],
      ['SELECT *', 'ParseSelectMissingFrom'],
      ['SELECT name FROM S3Object WHERE name = (1', 'ParseExpectedTokenType'],
      ['SELECT * FROM S3Object WHERE', 'ParseExpectedExpression'],
      ['SELECT # FROM S3Object', 'LexerInvalidChar'],
      ['SELECT *, name FROM S3Object', 'ParseAsteriskIsNotAloneInSelectList'],
      ['SELECT SUM(*) FROM S3Object', 'ParseUnsupportedCallWithStar'],
      ['SELECT FOO(name) FROM S3Object', 'UnsupportedFunction'],
      ['SELECT LOWER(name, city) FROM S3Object', 'EvaluatorInvalidArguments'],
      ['SELECT CAST(age AS BLOB) FROM S3Object', 'ParseExpectedTypeName'],
      ['SELECT SUM(age, age) FROM S3Object', 'ParseNonUnaryAgregateFunctionCall'],
      ['SELECT * FROM S3Object LIMIT -1', 'EvaluatorNegativeLimit'],
      ['SELECT name, COUNT(*) FROM S3Object', 'UnsupportedSqlOperation'],
      ['SELECT name FROM S3Object ORDER BY name', 'UnsupportedSyntax'],
      ['SELECT city, COUNT(*) FROM S3Object GROUP BY city', 'ParseExpectedIdentForGroupName'],
      ['SELECT * FROM S3Object a JOIN S3Object b', 'ParseMalformedJoin'],
      ['SELECT s.nickname FROM S3Object s', 'MissingHeaders'],
      ['SELECT _0 FROM S3Object', 'InvalidColumnIndex'],
    ];
    for (const [sql, code] of cases) {
      const e = await failing({ Expression: sql });
      expect({ sql, name: e.name, status: e.status }).toEqual({ sql, name: code, status: 400 });
    }
  });

  it('bad settings: expression type, formats, compression, header info, JSON type, quote fields', async () => {
    expect((await failing({ Expression: 'SELECT * FROM S3Object', ExpressionType: 'XPATH' as never })).name).toBe('InvalidExpressionType');
    expect((await failing({ Expression: 'SELECT * FROM S3Object', InputSerialization: { CSV: {}, JSON: {} } })).name).toBe('ObjectSerializationConflict');
    expect((await failing({ Expression: 'SELECT * FROM S3Object', InputSerialization: { CSV: {}, CompressionType: 'ZIP' as never } })).name).toBe('InvalidCompressionFormat');
    expect((await failing({ Expression: 'SELECT * FROM S3Object', InputSerialization: { CSV: { FileHeaderInfo: 'FIRST' as never } } })).name).toBe('InvalidFileHeaderInfo');
    expect((await failing({ Expression: 'SELECT * FROM S3Object', InputSerialization: { JSON: { Type: 'ARRAY' as never } } })).name).toBe('InvalidJsonType');
    expect((await failing({ Expression: 'SELECT * FROM S3Object', OutputSerialization: { CSV: { QuoteFields: 'NEVER' as never } } })).name).toBe('InvalidQuoteFields');
    // a plain body read as GZIP or BZIP2
    expect((await failing({ Expression: 'SELECT * FROM S3Object', InputSerialization: { CSV: {}, CompressionType: 'GZIP' } })).name).toBe('TruncatedInput');
    expect((await failing({ Expression: 'SELECT * FROM S3Object', InputSerialization: { CSV: {}, CompressionType: 'BZIP2' } })).name).toBe('TruncatedInput');
    expect((await sdkError(select({ Key: 'nope.csv', Expression: 'SELECT * FROM S3Object' }))).name).toBe('NoSuchKey');
  });

  it('a CAST that fails after records were sent ends the stream with a CastFailed error event', async () => {
    await put('late.csv', 'n\n1\n2\nthree\n4\n');
    // the failure comes after the rows before it were read: it is an event of the stream, not an HTTP error
    const e = await sdkError(select({ Key: 'late.csv', Expression: 'SELECT CAST(n AS INT) FROM S3Object' }));
    expect(e.status).toBe(200);
    expect(e.name).toBe('CastFailed');
    expect(e.message).toMatch(/^An attempt to convert from one data type to another using CAST failed in the SQL expression\./);
  });

  it('an unquoted name two header columns answer to is AmbiguousFieldName; quoted, it names one', async () => {
    await put('twice.csv', 'Id,ID\n1,2\n');
    expect((await sdkError(select({ Key: 'twice.csv', Expression: 'SELECT id FROM S3Object' }))).name).toBe('AmbiguousFieldName');
    expect((await select({ Key: 'twice.csv', Expression: 'SELECT "ID" FROM S3Object' })).records).toBe('2\n');
  });

  it('JSON that does not parse is JSONParsingError; the server still serves', async () => {
    await put('bad.jsonl', '{"a":1}\n{"a":\n');
    const e = await sdkError(select({ Key: 'bad.jsonl', Expression: 'SELECT * FROM S3Object', InputSerialization: { JSON: { Type: 'LINES' } } }));
    expect(e.name).toBe('JSONParsingError');
    await s3.send(new HeadBucketCommand({ Bucket: BUCKET }));
    expect((await select({ Key: 'people.csv', Expression: 'SELECT COUNT(*) FROM S3Object' })).records).toBe('4\n');
  });
});
