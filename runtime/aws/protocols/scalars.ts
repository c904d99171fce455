/**
 * Scalar encodings shared by the protocols: timestamps in their three wire formats, blobs,
 * and XML text escaping.
 */

import type { ShapeType } from '../models/types.js';

export type TimestampFormat = 'iso8601' | 'rfc822' | 'unixTimestamp';

/** Parses a timestamp as any protocol may send it; undefined when it is not one. */
export function parseTimestamp(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(Math.round(value * 1000)) : undefined;
  if (typeof value !== 'string' || value === '') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(value)) return new Date(Math.round(Number(value) * 1000));
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** Coerces a provider's value (Date, epoch seconds, or ISO string) to a Date. */
export function toDate(value: unknown): Date {
  const d = parseTimestamp(value);
  if (!d) throw new TypeError(`not a timestamp: ${String(value)}`);
  return d;
}

/** ISO 8601 the way AWS writes it: seconds, and milliseconds only when there are any. */
export function iso8601(value: unknown): string {
  const text = toDate(value).toISOString();
  return text.endsWith('.000Z') ? `${text.slice(0, -5)}Z` : text;
}

export function formatTimestamp(value: unknown, format: TimestampFormat): string | number {
  const date = toDate(value);
  switch (format) {
    case 'unixTimestamp':
      return date.getTime() / 1000;
    case 'rfc822':
      return date.toUTCString();
    default:
      return iso8601(date);
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes base64 strictly (Buffer.from is lenient and would accept garbage). */
export function decodeBase64(value: string): Buffer | undefined {
  const compact = value.replace(/\s+/g, '');
  if (compact.length % 4 === 1 || !BASE64.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

/** Encodes a provider's blob (Buffer, Uint8Array or string) as base64. */
export function encodeBase64(value: unknown): string {
  if (typeof value === 'string') return Buffer.from(value, 'utf8').toString('base64');
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  throw new TypeError('blob must be a Buffer, Uint8Array or string');
}

// control characters are matched on purpose: XML 1.0 cannot carry them
// eslint-disable-next-line no-control-regex
const XML_SPECIAL = /[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
// eslint-disable-next-line no-control-regex
const XML_REPLACE = /[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

/**
 * Escapes text for XML element content, as AWS does: quotes stay as they are, a carriage
 * return is kept as a character reference (parsers would fold it), and characters XML 1.0
 * cannot carry at all are dropped.
 */
export function escapeXml(text: string): string {
  if (!XML_SPECIAL.test(text)) return text;
  return text.replace(XML_REPLACE, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '\r':
        return '&#xD;';
      default:
        return '';
    }
  });
}

/** Escapes an XML attribute value (double-quoted). */
export function escapeXmlAttribute(text: string): string {
  return escapeXml(text).replace(/"/g, '&quot;');
}

/** What each non-string scalar type is called in a malformed-value message. */
export const SCALAR_NAMES: Readonly<Partial<Record<ShapeType, string>>> = {
  integer: 'an integer',
  long: 'an integer',
  short: 'an integer',
  byte: 'an integer',
  biginteger: 'an integer',
  float: 'a number',
  double: 'a number',
  bigdecimal: 'a number',
  boolean: 'a boolean',
  timestamp: 'a timestamp',
  blob: 'base64',
};

/**
 * A scalar from its text form (query parameters, URI labels, headers, XML text), or
 * undefined when the text is not one of its type. Strings come back as they are. The one
 * set of rules every text-based codec uses, so they cannot drift apart.
 */
export function scalarFromText(type: ShapeType, text: string): unknown {
  switch (type) {
    case 'integer':
    case 'long':
    case 'short':
    case 'byte':
    case 'biginteger':
      return /^[-+]?\d+$/.test(text) ? Number(text) : undefined;
    case 'float':
    case 'double':
    case 'bigdecimal': {
      const n = Number(text);
      return text.trim() === '' || (Number.isNaN(n) && text !== 'NaN') ? undefined : n;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    case 'timestamp':
      return parseTimestamp(text);
    case 'blob':
      return decodeBase64(text);
    default:
      return text;
  }
}

/** The `Value null at 'x'` path segment: Coral names members in lower camel case. */
export function memberPath(parent: string, name: string): string {
  const seg = name.charAt(0).toLowerCase() + name.slice(1);
  return parent ? `${parent}.${seg}` : seg;
}

/**
 * Sets one entry of a map read from or written to the wire. Map keys are the client's (tags,
 * message attributes): `__proto__` is a key like any other, so it becomes an own property
 * instead of replacing the object's prototype (which a plain `out[key] = value` would do).
 */
export function setMapEntry(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}
