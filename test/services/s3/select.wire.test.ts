/**
 * SelectObjectContent on the wire (POST /bucket/key?select&select-type=2), read raw: the
 * answer is an event stream whose messages carry the headers the S3 API reference documents
 * (Records: `:event-type`, `:message-type`, `:content-type: application/octet-stream` and the
 * records as the payload; Stats: `text/xml` with the Stats document; End: the two headers and
 * no payload), and the errors known before streaming are whole `<Error>` documents with S3
 * Select's codes and nothing else, the server serving on.
 */
import { EventStreamCodec } from '@smithy/core/event-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectAnswer, expectedXmlTree, s3, send, xmlTree } from '../../support/wire.js';

let rt: RuntimeProcess;
const CSV = 'name,n\nx,1\ny,2\n';

/** A SelectObjectContentRequest document. */
function request(expression: string, input = '<CSV><FileHeaderInfo>USE</FileHeaderInfo></CSV>', output = '<CSV/>', type = 'SQL'): string {
  return `<?xml version="1.0" encoding="UTF-8"?><SelectObjectContentRequest xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Expression>${expression}</Expression><ExpressionType>${type}</ExpressionType><InputSerialization>${input}</InputSerialization><OutputSerialization>${output}</OutputSerialization></SelectObjectContentRequest>`;
}

const select = (body: string, key = 'data.csv') => s3('POST', `/select-wire/${key}?select&select-type=2`, body);

/** The messages of an event-stream body: string headers, payload as text. */
function messages(body: Buffer): Array<{ headers: Record<string, unknown>; payload: string }> {
  const codec = new EventStreamCodec((bytes) => Buffer.from(bytes).toString('utf8'), (text) => new Uint8Array(Buffer.from(text, 'utf8')));
  const out = [];
  for (let at = 0; at < body.length; ) {
    const length = body.readUInt32BE(at);
    const m = codec.decode(body.subarray(at, at + length));
    out.push({ headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, v.value])), payload: Buffer.from(m.body).toString('utf8') });
    at += length;
  }
  return out;
}

/** S3's bare error document for a code and message. */
const error = (code: string, message: string) => `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>{{request-id}}</RequestId><HostId>{{*}}</HostId></Error>`;

beforeAll(async () => {
  rt = await startRuntime();
  expect((await send(rt.endpoint, s3('PUT', '/select-wire'))).status).toBe(200);
  expect((await send(rt.endpoint, s3('PUT', '/select-wire/data.csv', CSV))).status).toBe(200);
});
afterAll(async () => {
  await rt?.stop();
});

describe('SelectObjectContent on the wire', () => {
  it('answers 200 with an event stream: Records, Stats, End, each with the documented headers', async () => {
    const answer = await send(rt.endpoint, select(request("SELECT name FROM S3Object WHERE n &gt; '1'")));
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/vnd.amazon.eventstream');
    expect(answer.headers['x-amz-request-id']).toMatch(/.+/);
    const [records, stats, end, ...rest] = messages(answer.body);
    expect(rest).toEqual([]);
    expect(records).toEqual({ headers: { ':event-type': 'Records', ':message-type': 'event', ':content-type': 'application/octet-stream' }, payload: 'y\n' });
    expect(stats!.headers).toEqual({ ':event-type': 'Stats', ':message-type': 'event', ':content-type': 'text/xml' });
    const size = Buffer.byteLength(CSV);
    expect(xmlTree(stats!.payload)).toStrictEqual(expectedXmlTree(`<Stats><BytesScanned>${size}</BytesScanned><BytesProcessed>${size}</BytesProcessed><BytesReturned>2</BytesReturned></Stats>`));
    expect(end).toEqual({ headers: { ':event-type': 'End', ':message-type': 'event' }, payload: '' });
  });

  it('RequestProgress adds a Progress event with the same details before Stats', async () => {
    const body = request('SELECT COUNT(*) FROM S3Object').replace('</SelectObjectContentRequest>', '<RequestProgress><Enabled>true</Enabled></RequestProgress></SelectObjectContentRequest>');
    const all = messages((await send(rt.endpoint, select(body))).body);
    expect(all.map((m) => m.headers[':event-type'])).toEqual(['Records', 'Progress', 'Stats', 'End']);
    expect(all[0]!.payload).toBe('2\n');
    expect(xmlTree(all[1]!.payload)).toStrictEqual(expectedXmlTree(all[2]!.payload.replace(/Stats>/g, 'Progress>')));
  });

  it('errors known before streaming are whole <Error> documents with S3 Select codes', async () => {
    const cases: Array<[string, string, string]> = [
      [request('SELECT name, FROM S3Object'), 'ParseUnexpectedToken', 'The SQL expression contains an unexpected token.'],
      [request('SELECT name FROM S3Object WHERE'), 'ParseExpectedExpression', 'The expected SQL expression was not found.'],
      [request('SELECT ~ FROM S3Object'), 'LexerInvalidChar', 'The SQL expression contains a character that is not valid.'],
      [request('SELECT s.missing FROM S3Object s'), 'MissingHeaders', 'Some headers in the query are missing from the file. Please check the file and try again.'],
      [request('SELECT _0 FROM S3Object'), 'InvalidColumnIndex', 'The column index in the SQL expression is not valid.'],
      [request('SELECT *, name FROM S3Object'), 'ParseAsteriskIsNotAloneInSelectList', 'Other expressions are not allowed in the SELECT list when * is used without dot notation in the SQL expression.'],
      [request('SELECT * FROM S3Object', undefined, undefined, 'XPATH'), 'InvalidExpressionType', 'The ExpressionType value is not valid. Only SQL expressions are supported.'],
      [request('SELECT * FROM S3Object', '<CSV/><JSON/>'), 'ObjectSerializationConflict', 'InputSerialization specifies more than one format (CSV, JSON, or Parquet), or OutputSerialization specifies more than one format (CSV or JSON). For InputSerialization and OutputSerialization, you can specify only one format for each.'],
      [request('SELECT * FROM S3Object', '<CSV/><CompressionType>LZ4</CompressionType>'), 'InvalidCompressionFormat', 'The file is not in a supported compression format. Only GZIP and BZIP2 are supported.'],
      [request('SELECT * FROM S3Object', '<CSV/><CompressionType>GZIP</CompressionType>'), 'TruncatedInput', 'Object decompression failed. Check that the object is properly compressed using the format specified in the request.'],
      [request('SELECT * FROM S3Object', '<JSON><Type>ARRAY</Type></JSON>'), 'InvalidJsonType', 'The JsonType value is not valid. Only DOCUMENT and LINES are supported.'],
    ];
    for (const [body, code, message] of cases) await expectAnswer(rt.endpoint, select(body), { status: 400, headers: { 'content-type': 'application/xml' }, xml: error(code, message) });
  });

  it('a missing key is NoSuchKey with the key; the server still serves', async () => {
    await expectAnswer(rt.endpoint, select(request('SELECT * FROM S3Object'), 'nope.csv'), {
      status: 404,
      xml: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>nope.csv</Key><RequestId>{{request-id}}</RequestId><HostId>{{*}}</HostId></Error>',
    });
    const answer = await send(rt.endpoint, select(request('SELECT COUNT(*) FROM S3Object')));
    expect(messages(answer.body)[0]!.payload).toBe('2\n');
  });
});
