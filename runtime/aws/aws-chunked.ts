/**
 * The `aws-chunked` content encoding of S3 uploads: `<hex size>[;chunk-signature=<sig>]\r\n`
 * `<data>\r\n` ... `0[;chunk-signature=<sig>]\r\n` then trailer lines (`x-amz-checksum-crc32:...`)
 * and an empty line. SDK v3 sends it unsigned with a trailing checksum, other SDKs with
 * chunk signatures. Signatures are not verified (as nowhere else here); sizes, framing and
 * the decoded length are.
 */
import { ServiceError } from './errors.js';

export interface DecodedChunks {
  data: Buffer;
  /** Trailer headers, lower-cased names. */
  trailers: Record<string, string>;
}

function incomplete(): ServiceError {
  return new ServiceError('IncompleteBody', 'The request body terminated unexpectedly');
}

function malformed(detail: string): ServiceError {
  return new ServiceError('InvalidRequest', `Invalid aws-chunked encoding: ${detail}`);
}

const CRLF = Buffer.from('\r\n');

export function decodeAwsChunked(body: Buffer, decodedLength?: number): DecodedChunks {
  const parts: Buffer[] = [];
  let size = 0;
  let pos = 0;
  for (;;) {
    const eol = body.indexOf(CRLF, pos);
    if (eol === -1) throw incomplete();
    const line = body.subarray(pos, eol).toString('latin1');
    const hex = line.split(';', 1)[0]!.trim();
    if (!/^[0-9a-fA-F]{1,16}$/.test(hex)) throw malformed(`bad chunk size '${line.slice(0, 40)}'`);
    const n = Number.parseInt(hex, 16);
    pos = eol + 2;
    if (n === 0) break;
    if (pos + n + 2 > body.length) throw incomplete();
    parts.push(body.subarray(pos, pos + n));
    size += n;
    if (body[pos + n] !== 0x0d || body[pos + n + 1] !== 0x0a) throw malformed('chunk data is not followed by CRLF');
    pos += n + 2;
    if (decodedLength !== undefined && size > decodedLength) throw malformed('more data than x-amz-decoded-content-length');
  }
  const trailers: Record<string, string> = {};
  // trailer lines up to an empty line (which some clients omit at the very end)
  while (pos < body.length) {
    let eol = body.indexOf(CRLF, pos);
    if (eol === -1) eol = body.length;
    const line = body.subarray(pos, eol).toString('latin1');
    pos = eol + 2;
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed(`bad trailer '${line.slice(0, 40)}'`);
    trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (decodedLength !== undefined && size !== decodedLength) throw incomplete();
  return { data: parts.length === 1 ? parts[0]! : Buffer.concat(parts, size), trailers };
}
