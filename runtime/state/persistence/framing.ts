/**
 * Record framing for the state files (journals, snapshots, the snapshot entries of an export):
 * one record per line,
 *
 *   <byte length of payload, decimal> SP <CRC-32 of payload, 8 hex digits> SP <payload> LF
 *
 * where the payload is one JSON text (JSON never holds a raw line feed, so a file stays a
 * readable list of lines for `less` and `grep`). A record whose length, checksum or final
 * line feed does not match was cut short (the process was killed mid-write) or damaged: the
 * reader stops there and reports how many bytes it did not take, and the writer of a journal
 * truncates them before appending again.
 */
import { crc32 } from 'node:zlib';

const SPACE = 0x20;
const NEWLINE = 0x0a;

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** One framed record of a JSON payload, as text to append to a file. */
export function frame(payload: string): string {
  return `${Buffer.byteLength(payload)} ${hex8(crc32(payload))} ${payload}\n`;
}

/** One framed record as bytes. */
export function frameBuffer(payload: string): Buffer {
  return Buffer.from(frame(payload), 'utf8');
}

export interface Framed {
  /** The payloads of the whole records, in order. */
  readonly records: string[];
  /** Bytes from the start that hold whole records. */
  readonly validBytes: number;
  /** Bytes after them that do not form a whole record (0 for a clean file). */
  readonly droppedBytes: number;
  /** Why reading stopped early, when it did. */
  readonly problem?: string;
}

/** The record that starts at `at`, or why there is none. */
function recordAt(data: Buffer, at: number): { payload: string; end: number } | string {
  const firstSpace = data.indexOf(SPACE, at);
  if (firstSpace === -1 || firstSpace - at > 10 || firstSpace === at) return 'incomplete record header';
  let length = 0;
  for (let i = at; i < firstSpace; i++) {
    const digit = data[i]! - 0x30;
    if (digit < 0 || digit > 9) return 'bad record length';
    length = length * 10 + digit;
  }
  const crcStart = firstSpace + 1;
  const payloadStart = crcStart + 9;
  if (payloadStart > data.length || data[crcStart + 8] !== SPACE) return payloadStart > data.length ? 'incomplete record header' : 'bad record header';
  const crcText = data.toString('latin1', crcStart, crcStart + 8);
  if (!/^[0-9a-f]{8}$/.test(crcText)) return 'bad record checksum field';
  const expected = Number.parseInt(crcText, 16);
  const end = payloadStart + length;
  if (end + 1 > data.length) return 'incomplete record';
  if (data[end] !== NEWLINE) return 'record not terminated';
  const body = data.subarray(payloadStart, end);
  if (crc32(body) !== expected) return 'checksum mismatch';
  return { payload: body.toString('utf8'), end: end + 1 };
}

/** Reads the whole records of a file's contents; stops at the first one that is not whole. */
export function unframe(data: Buffer): Framed {
  const records: string[] = [];
  let at = 0;
  while (at < data.length) {
    const found = recordAt(data, at);
    if (typeof found === 'string') return { records, validBytes: at, droppedBytes: data.length - at, problem: found };
    records.push(found.payload);
    at = found.end;
  }
  return { records, validBytes: at, droppedBytes: 0 };
}
