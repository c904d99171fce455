/**
 * The records of a JSON DOCUMENT body, streamed: the bytes are scanned once for the document's
 * structure (brackets, strings, object keys, array positions), and only the values the FROM
 * path selects are kept and parsed, one at a time. `FROM S3Object[*].Records[*]` over a
 * CloudTrail file of any size holds one element of `Records` at once, not the file.
 *
 * The path is matched against each value's location below its top-level value: a name
 * matches an object key (exactly), an index or `[*]` a position in an array. Without a path
 * the records are the top-level values (a document may hold several, one after the other).
 * One selected value may take up to MAX_VALUE_BYTES (OverMaxRecordSize beyond); a document
 * that is not JSON is JSONParsingError.
 */
import type { Readable } from 'node:stream';
import { ServiceError } from '../../../aws/errors.js';
import { selectError } from './errors.js';

/** What one selected value may take. */
const MAX_VALUE_BYTES = 64 * 1024 * 1024;

export type DocumentStep = { readonly name: { readonly name: string } } | { readonly index: number } | { readonly star: true };

interface Frame {
  readonly array: boolean;
  /** The current key (objects) or position (arrays). */
  at: string | number;
  /** Objects: whether the next string is a key. */
  expectKey: boolean;
}

const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function parse(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    throw selectError('JSONParsingError');
  }
}

/** The values of a JSON document found at `path` (below each top-level value). */
export async function* documentRecords(input: Readable, path: readonly DocumentStep[]): AsyncGenerator<unknown> {
  const stack: Frame[] = [];
  // the value being kept: the depth it started at, its bytes so far
  let capture: { depth: number; pieces: Buffer[]; size: number } | undefined;
  // a string or scalar token under way, across chunks
  let inString = false;
  let escaped = false;
  let inScalar = false;
  let keyPieces: Buffer[] | undefined;

  const matches = (): boolean => {
    if (stack.length !== path.length) return false;
    return path.every((step, i) => {
      const at = stack[i]!.at;
      if ('star' in step) return stack[i]!.array;
      if ('index' in step) return stack[i]!.array && at === step.index;
      return !stack[i]!.array && at === step.name.name;
    });
  };
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      const done: unknown[] = [];
      let start = 0; // where the capture resumes in this chunk
      const keep = (end: number) => {
        if (!capture) return;
        const piece = chunk.subarray(start, end);
        capture.pieces.push(piece);
        capture.size += piece.length;
        if (capture.size > MAX_VALUE_BYTES) throw selectError('OverMaxRecordSize');
      };
      const finish = (end: number) => {
        keep(end);
        done.push(parse(Buffer.concat(capture!.pieces)));
        capture = undefined;
      };
      /** A value starts at `i` (its location is the stack as it is now). */
      const valueStarts = (i: number) => {
        if (!capture && matches()) {
          capture = { depth: stack.length, pieces: [], size: 0 };
          start = i;
        }
      };
      /** A value ended before `end`: a kept one is complete when back at its depth. */
      const valueEnds = (end: number) => {
        if (capture && stack.length === capture.depth) finish(end);
      };
      for (let i = 0; i < chunk.length; i++) {
        if (inString && !escaped) {
          // to the next quote not escaped (an odd run of backslashes before it escapes it)
          let q = chunk.indexOf(QUOTE, i);
          while (q > 0) {
            let slashes = 0;
            while (q - 1 - slashes >= i && chunk[q - 1 - slashes] === BACKSLASH) slashes++;
            if (slashes % 2 === 0) break;
            q = chunk.indexOf(QUOTE, q + 1);
          }
          if (q < 0) {
            // the string goes on in the next chunk, maybe after a backslash that escapes its first byte
            let slashes = 0;
            while (chunk.length - 1 - slashes >= i && chunk[chunk.length - 1 - slashes] === BACKSLASH) slashes++;
            escaped = slashes % 2 === 1;
            i = chunk.length - 1;
            continue;
          }
          i = q;
        }
        const b = chunk[i]!;
        if (inString) {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) {
            inString = false;
            if (keyPieces) {
              keyPieces.push(chunk.subarray(start, i + 1));
              stack.at(-1)!.at = parse(Buffer.concat(keyPieces)) as string;
              keyPieces = undefined;
            } else valueEnds(i + 1);
          }
          continue;
        }
        if (inScalar) {
          if (!(isSpace(b) || b === COMMA || b === CLOSE_OBJECT || b === CLOSE_ARRAY)) continue;
          inScalar = false;
          valueEnds(i);
        }
        if (isSpace(b) || b === COLON) continue;
        const frame = stack.at(-1);
        if (b === COMMA) {
          if (!frame) throw selectError('JSONParsingError');
          if (frame.array) frame.at = (frame.at as number) + 1;
          else frame.expectKey = true;
        } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
          if (!frame || frame.array !== (b === CLOSE_ARRAY)) throw selectError('JSONParsingError');
          stack.pop();
          valueEnds(i + 1);
        } else if (b === QUOTE && frame && !frame.array && frame.expectKey) {
          frame.expectKey = false;
          inString = true;
          if (!capture) {
            keyPieces = [];
            start = i;
          }
        } else {
          valueStarts(i);
          if (b === OPEN_OBJECT || b === OPEN_ARRAY) stack.push({ array: b === OPEN_ARRAY, at: b === OPEN_ARRAY ? 0 : '', expectKey: b === OPEN_OBJECT });
          else if (b === QUOTE) inString = true;
          else inScalar = true;
        }
      }
      // what is under way goes on in the next chunk
      if (capture) keep(chunk.length);
      if (keyPieces) keyPieces.push(chunk.subarray(start));
      yield* done;
    }
    // a scalar top-level value ends with the input
    if (inScalar && capture) {
      const value = parse(Buffer.concat(capture.pieces));
      capture = undefined;
      yield value;
    }
    if (stack.length > 0 || inString || capture) throw selectError('JSONParsingError');
  } catch (error) {
    throw error instanceof ServiceError ? error : selectError('JSONParsingError');
  }
}
