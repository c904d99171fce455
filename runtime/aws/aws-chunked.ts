/**
 * The `aws-chunked` content encoding of S3 uploads: `<hex size>[;chunk-signature=<sig>]\r\n`
 * `<data>\r\n` ... `0[;chunk-signature=<sig>]\r\n` then trailer lines (`x-amz-checksum-crc32:...`)
 * and an empty line. SDK v3 sends it unsigned with a trailing checksum, other SDKs with
 * chunk signatures. Signatures are not verified (as nowhere else here); sizes, framing and
 * the decoded length are.
 *
 * One incremental parser serves both a body already in memory (decodeAwsChunked) and a
 * streamed upload (AwsChunkedDecoder, a Transform that never holds more than one network
 * chunk).
 */
import { Transform, type TransformCallback } from 'node:stream';
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

/** A chunk header or trailer line longer than this is not aws-chunked. */
const MAX_LINE = 8 * 1024;
/** All trailer lines together. */
const MAX_TRAILERS = 16 * 1024;
const CR = 0x0d;
const LF = 0x0a;

type State = 'size' | 'data' | 'data-cr' | 'data-lf' | 'trailers' | 'done';

/**
 * Feeds on the encoded bytes piece by piece and hands out the decoded data as slices of the
 * input (no copies). Throws a ServiceError on the first framing error.
 */
export class AwsChunkedParser {
  private state: State = 'size';
  private line: Buffer[] = [];
  private lineLength = 0;
  private remaining = 0;
  private trailerBytes = 0;
  /** Decoded bytes so far. */
  size = 0;
  readonly trailers: Record<string, string> = {};

  constructor(private readonly decodedLength?: number) {}

  /** Parses `input`, calling `emit` with each piece of decoded data. */
  push(input: Buffer, emit: (data: Buffer) => void): void {
    let pos = 0;
    while (pos < input.length) {
      switch (this.state) {
        case 'size':
        case 'trailers': {
          const eol = input.indexOf(LF, pos);
          const end = eol === -1 ? input.length : eol;
          this.appendLine(input.subarray(pos, end));
          pos = end;
          if (eol === -1) break;
          pos++;
          this.endLine();
          break;
        }
        case 'data': {
          const n = Math.min(this.remaining, input.length - pos);
          emit(input.subarray(pos, pos + n));
          this.remaining -= n;
          pos += n;
          if (this.remaining === 0) this.state = 'data-cr';
          break;
        }
        case 'data-cr':
          if (input[pos++] !== CR) throw malformed('chunk data is not followed by CRLF');
          this.state = 'data-lf';
          break;
        case 'data-lf':
          if (input[pos++] !== LF) throw malformed('chunk data is not followed by CRLF');
          this.state = 'size';
          break;
        case 'done':
          return; // bytes after the final empty line are ignored, as S3 does
      }
    }
  }

  /** The input is complete: checks that the encoding was too. */
  finish(): void {
    if (this.state === 'trailers' && this.lineLength > 0) this.endLine(); // a last line without CRLF
    if (this.state !== 'trailers' && this.state !== 'done') throw incomplete();
    if (this.decodedLength !== undefined && this.size !== this.decodedLength) throw incomplete();
  }

  private appendLine(part: Buffer): void {
    if (part.length === 0) return;
    this.lineLength += part.length;
    if (this.state === 'trailers') {
      this.trailerBytes += part.length;
      if (this.trailerBytes > MAX_TRAILERS) throw malformed('trailers too long');
    } else if (this.lineLength > MAX_LINE) {
      throw malformed('chunk header too long');
    }
    this.line.push(part);
  }

  private endLine(): void {
    let text = Buffer.concat(this.line, this.lineLength).toString('latin1');
    this.line = [];
    this.lineLength = 0;
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (this.state === 'size') {
      const hex = text.split(';', 1)[0]!.trim();
      if (!/^[0-9a-fA-F]{1,16}$/.test(hex)) throw malformed(`bad chunk size '${text.slice(0, 40)}'`);
      const n = Number.parseInt(hex, 16);
      if (n === 0) {
        this.state = 'trailers';
        return;
      }
      this.size += n;
      if (this.decodedLength !== undefined && this.size > this.decodedLength) throw malformed('more data than x-amz-decoded-content-length');
      this.remaining = n;
      this.state = 'data';
      return;
    }
    // a trailer line; the empty line ends the body
    if (text === '') {
      this.state = 'done';
      return;
    }
    const colon = text.indexOf(':');
    if (colon <= 0) throw malformed(`bad trailer '${text.slice(0, 40)}'`);
    this.trailers[text.slice(0, colon).trim().toLowerCase()] = text.slice(colon + 1).trim();
  }
}

/** Decodes a whole aws-chunked body held in memory. */
export function decodeAwsChunked(body: Buffer, decodedLength?: number): DecodedChunks {
  const parser = new AwsChunkedParser(decodedLength);
  const parts: Buffer[] = [];
  parser.push(body, (data) => parts.push(data));
  parser.finish();
  return { data: parts.length === 1 ? parts[0]! : Buffer.concat(parts, parser.size), trailers: parser.trailers };
}

export interface AwsChunkedHooks {
  /** Sees each piece of decoded data (e.g. to checksum it). */
  data?(data: Buffer): void;
  /**
   * Runs once the framing is complete, with the trailers, and may reject (e.g. BadDigest):
   * the stream then fails with that error instead of ending, so a consumer never takes a
   * bad upload for a good one.
   */
  end?(trailers: Record<string, string>): void | Promise<void>;
}

/** Decodes a streamed aws-chunked upload. */
export class AwsChunkedDecoder extends Transform {
  private readonly parser: AwsChunkedParser;
  private readonly forward: (data: Buffer) => void;

  constructor(
    decodedLength: number | undefined,
    private readonly hooks: AwsChunkedHooks = {},
  ) {
    super();
    this.parser = new AwsChunkedParser(decodedLength);
    const observe = hooks.data;
    this.forward = observe
      ? (data) => {
          observe(data);
          this.push(data);
        }
      : (data) => void this.push(data);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.parser.push(chunk, this.forward);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.parser.finish();
    } catch (error) {
      callback(error as Error);
      return;
    }
    Promise.resolve(this.hooks.end?.(this.parser.trailers)).then(
      () => callback(),
      (error: Error) => callback(error),
    );
  }
}
