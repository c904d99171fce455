/**
 * Answers asserted at the level of the wire: status code, the headers AWS sends, and the WHOLE
 * document, with no member missing and none extra, in order. SDKs are lenient (they skip
 * unknown members, default absent ones and ignore most status codes), so a test that reads an
 * answer through an SDK cannot tell a snapshot test's or a Terraform provider's failure
 * coming. One case is one line:
 *
 *   await expectAnswer(rt.endpoint, s3('GET', '/b?versioning'), {
 *     status: 200,
 *     headers: { 'content-type': 'application/xml', server: 'AmazonS3' },
 *     xml: `<VersioningConfiguration xmlns="${S3_NS}"><Status>Enabled</Status></VersioningConfiguration>`,
 *   });
 *
 * Expected XML is written as AWS documents it, indented at will (whitespace between elements
 * is not content). A text value that varies is a placeholder: `{{*}}` any text (also empty),
 * `{{iso}}` an ISO 8601 time, `{{iso-s}}` one at second precision (`.000Z`, as S3 lists),
 * `{{etag}}` a quoted MD5 ETag (multipart: `-N`), `{{uuid}}`, `{{request-id}}` (S3's 16
 * upper-case hex or a uuid), `{{account}}` (12 digits), or `{{/regex/}}`. Expected JSON is
 * compared with toStrictEqual, so vitest's asymmetric matchers (`expect.any(String)`) work.
 *
 * Requests carry an Authorization header with the credential scope of the service and region
 * (the signature is not checked, as with LocalStack), so the gateway routes them as a signed
 * SDK request would be routed.
 */
import { createRequire } from 'node:module';
import { expect } from 'vitest';

export interface WireRequest {
  method: string;
  /** Path and query string. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface WireAnswer {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  text: string;
}

export interface WireExpectation {
  status: number;
  /** Headers that must be present with this value (or match), or absent (null). Others are not checked. */
  headers?: Record<string, string | RegExp | null>;
  /** The whole XML document (see the placeholders above). */
  xml?: string;
  /** The whole JSON document. */
  json?: unknown;
  /** No body at all. */
  empty?: true;
}

/** S3's XML namespace. */
export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** The Authorization header of a SigV4-signed request for `service` in `region`, from access key `test`. */
export function authorization(service: string, region = 'us-east-1', accessKey = 'test'): string {
  return `AWS4-HMAC-SHA256 Credential=${accessKey}/20261205/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
}

/** An S3 request, path style. */
export function s3(method: string, path: string, body?: string | Uint8Array, headers: Record<string, string> = {}, region = 'us-east-1'): WireRequest {
  return { method, path, body, headers: { authorization: authorization('s3', region), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...headers } };
}

/**
 * A query-protocol request (STS, SQS, SNS, IAM, CloudFormation, ...): a form-encoded POST of
 * Action, Version and the parameters. `json` asks for a JSON answer (Accept: application/json).
 */
export function query(service: string, action: string, version: string, params: Record<string, string> = {}, options: { json?: boolean; region?: string } = {}): WireRequest {
  const body = new URLSearchParams({ Action: action, Version: version, ...params }).toString();
  const headers: Record<string, string> = {
    authorization: authorization(service, options.region),
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
  };
  if (options.json) headers.accept = 'application/json';
  return { method: 'POST', path: '/', body, headers };
}

/** A JSON-protocol request (SSM, ...): `X-Amz-Target: <prefix>.<Operation>`. */
export function jsonRpc(service: string, target: string, input: unknown, options: { version?: '1.0' | '1.1'; region?: string } = {}): WireRequest {
  return {
    method: 'POST',
    path: '/',
    body: JSON.stringify(input),
    headers: {
      authorization: authorization(service, options.region),
      'content-type': `application/x-amz-json-${options.version ?? '1.1'}`,
      'x-amz-target': target,
    },
  };
}

/** Sends a request as it is written, and reads the whole answer. */
export async function send(endpoint: string, request: WireRequest): Promise<WireAnswer> {
  const r = await fetch(`${endpoint}${request.path}`, { method: request.method, headers: request.headers, body: request.body, redirect: 'manual' });
  const body = Buffer.from(await r.arrayBuffer());
  const headers: Record<string, string> = {};
  r.headers.forEach((value, name) => (headers[name] = value));
  return { status: r.status, headers, body, text: body.toString('utf8') };
}

/** Sends the request and asserts the answer; returns it for further checks. */
export async function expectAnswer(endpoint: string, request: WireRequest, expected: WireExpectation): Promise<WireAnswer> {
  const answer = await send(endpoint, request);
  expectWire(answer, expected, `${request.method} ${request.path}`);
  return answer;
}

/** Asserts an answer already read. */
export function expectWire(answer: WireAnswer, expected: WireExpectation, label = 'answer'): void {
  const context = `${label} => ${answer.status}\n${answer.text.slice(0, 2000)}`;
  expect(answer.status, context).toBe(expected.status);
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    const actual = answer.headers[name.toLowerCase()];
    if (value === null) expect(actual, `${label}: header ${name} must be absent`).toBeUndefined();
    else if (typeof value === 'string') expect(actual, `${label}: header ${name}`).toBe(value);
    else expect(actual, `${label}: header ${name}`).toMatch(value);
  }
  if (expected.empty) expect(answer.body.length, `${label}: no body`).toBe(0);
  if (expected.xml !== undefined) {
    if (expected.xml.trimStart().startsWith('<?xml')) expect(answer.text, `${label}: XML declaration`).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>/);
    expect(xmlTree(answer.text), context).toStrictEqual(expectedXmlTree(expected.xml));
  }
  if (expected.json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.text);
    } catch {
      throw new Error(`${label}: the answer is not JSON: ${answer.text.slice(0, 500)}`);
    }
    expect(parsed, context).toStrictEqual(expected.json);
  }
}

/**
 * An XML element as a comparable value: `{ Name: 'text' }`, or `{ Name: [children...] }`
 * with children in document order, and attributes as `@name` beside it.
 */
export type XmlElement = { [name: string]: string | XmlElement[] | unknown };

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

function parser() {
  const { XMLParser } = createRequire(import.meta.url)('fast-xml-parser') as typeof import('fast-xml-parser');
  return new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: true,
    ignoreDeclaration: true,
  });
}

function convert(nodes: OrderedNode[], text: (value: string) => unknown): XmlElement[] {
  const out: XmlElement[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((k) => k !== ':@')!;
    if (name === '#text' || name === '?xml') continue;
    const children = node[name] as OrderedNode[];
    const elements = children.filter((c) => !('#text' in c));
    const element: XmlElement = {};
    if (elements.length === 0) element[name] = text(children.map((c) => String(c['#text'] ?? '')).join(''));
    else element[name] = convert(children, text);
    for (const [attribute, value] of Object.entries(node[':@'] ?? {})) element[attribute] = value;
    out.push(element);
  }
  return out;
}

/** The document as comparable elements (whitespace between elements dropped, text kept exactly). */
export function xmlTree(document: string): XmlElement[] {
  return convert(parser().parse(document) as OrderedNode[], (value) => value);
}

const NAMED: Record<string, RegExp> = {
  iso: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/,
  'iso-s': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/,
  etag: /^"[0-9a-f]{32}(-\d+)?"$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  'request-id': /^([0-9A-F]{16}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
  account: /^\d{12}$/,
};

function placeholder(value: string): unknown {
  const m = /^\{\{(.+)\}\}$/.exec(value);
  if (!m) return value;
  const name = m[1]!;
  if (name === '*') return expect.any(String);
  const regex = /^\/(.*)\/$/.exec(name);
  if (regex) return expect.stringMatching(new RegExp(regex[1]!));
  const pattern = NAMED[name];
  if (!pattern) throw new Error(`unknown placeholder {{${name}}} (known: *, /regex/, ${Object.keys(NAMED).join(', ')})`);
  return expect.stringMatching(pattern);
}

/** An expected document with its placeholders as matchers. */
export function expectedXmlTree(document: string): XmlElement[] {
  return convert(parser().parse(document.trim()) as OrderedNode[], placeholder);
}
