/**
 * ScanRange: the records of an uncompressed CSV or JSON LINES object whose first byte lies
 * in [Start, End] (S3's rule: a record is processed when its first byte is in the range, and
 * then processed whole, even past End). `Start` alone scans to the end of the object, `End`
 * alone the last End bytes.
 *
 * The body is read from Start - 1 (to see whether a record starts exactly at Start) to one
 * record's length past End; the transform drops the partial record before the first
 * delimiter and ends the stream at the first delimiter at or after End.
 */
import { Transform } from 'node:stream';
import type { ScanRange } from '../api.generated.js';
import { selectError } from './errors.js';
import { MAX_RECORD_BYTES } from './input.js';

export interface ScanWindow {
  /** The records starting in [start, end] are read. */
  readonly start: number;
  readonly end: number;
  /** The bytes to read from the body, inclusive. */
  readonly readFrom: number;
  readonly readTo: number;
}

/** The window of a ScanRange over an object of `size` bytes (InvalidScanRange for a bad one). */
export function scanWindow(range: ScanRange, size: number): ScanWindow {
  const { Start, End } = range;
  if ((Start !== undefined && Start < 0) || (End !== undefined && End < 0) || (Start !== undefined && End !== undefined && Start > End)) {
    throw selectError('InvalidScanRange');
  }
  const start = Start === undefined ? (End === undefined ? 0 : Math.max(0, size - End)) : Start;
  const end = Start === undefined ? size - 1 : Math.min(End ?? size - 1, size - 1);
  return { start, end, readFrom: Math.max(0, start - 1), readTo: Math.min(size - 1, end + MAX_RECORD_BYTES) };
}

/** Keeps, of bytes read from `window.readFrom` on, the records that start in the window. */
export function recordsInWindow(window: ScanWindow, delimiter: number): Transform {
  let offset = window.readFrom; // where the next chunk starts in the object
  let skipping = window.start > 0; // the record before Start is not ours
  let done = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (done) return callback();
      const at = offset;
      offset += chunk.length;
      let from = 0;
      if (skipping) {
        const first = chunk.indexOf(delimiter);
        if (first < 0) return callback();
        from = first + 1;
        skipping = false;
      }
      if (at + from > window.end) {
        done = true;
        this.push(null);
        return callback();
      }
      // the record holding byte End ends at the first delimiter at or after it
      const search = Math.max(from, window.end - at);
      const stop = search < chunk.length ? chunk.indexOf(delimiter, search) : -1;
      if (stop >= 0) {
        done = true;
        this.push(chunk.subarray(from, stop + 1));
        this.push(null);
        return callback();
      }
      callback(null, chunk.subarray(from));
    },
  });
}
