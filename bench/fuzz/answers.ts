/**
 * Sending a fuzz case over a raw socket (so that lengths and headers may lie) and judging
 * the answer. The rules, shared by test/fuzz and `npm run bench:fuzz`:
 *
 *   - every answer is a success or a 4xx / 501 error, never another 5xx;
 *   - its body is what its Content-Type promises (JSON, XML, CBOR, text), never a stack trace;
 *   - every request gets an answer, except one whose Content-Length promised more bytes than
 *     were sent (the server rightly waits for them; the client gives up after a moment).
 */
import { connect } from 'node:net';
import { XMLValidator } from 'fast-xml-parser';
import type { FuzzRequest } from './mutations.js';

export interface Answer {
  status: number;
  /** The status line and headers, lower-cased. */
  headers: string;
  body: string;
}

/** What came back: an HTTP answer, or none (and why). */
export type Outcome =
  | { kind: 'answer'; answer: Answer }
  /** the connection was reset / closed / not answered in time, with no (HTTP) bytes received */
  | { kind: 'reset' | 'closed' | 'timeout'; received: number; code?: string };

export interface SendOptions {
  /** Give up on an answer after this long (default 10 s). */
  timeoutMs?: number;
  /** ... or after this long when the Content-Length promised more than was sent (default 50 ms). */
  promisedTimeoutMs?: number;
}

/** The request promised a body longer than it sent: the server may wait for it forever. */
export const promisesMore = (r: FuzzRequest): boolean => r.lengthDelta !== undefined && r.lengthDelta > 0;

/** Sends one request on a fresh connection (`Connection: close`) and reads the whole answer. */
export function send(port: number, r: FuzzRequest, options: SendOptions = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const length = Math.max(0, r.body.length + (r.lengthDelta ?? 0));
    const head = [`${r.method} ${r.path} HTTP/1.1`, 'Host: 127.0.0.1', `Content-Length: ${length}`, 'Connection: close'];
    for (const [k, v] of Object.entries(r.headers)) if (v !== '') head.push(`${k}: ${v.replace(/[\r\n]/g, '')}`);
    const chunks: Buffer[] = [];
    let timedOut = false;
    let code: string | undefined;
    const timer = setTimeout(
      () => {
        timedOut = true;
        socket.destroy();
      },
      promisesMore(r) ? (options.promisedTimeoutMs ?? 50) : (options.timeoutMs ?? 10_000),
    );
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      code = error.code;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const bytes = Buffer.concat(chunks);
      const text = bytes.toString('utf8');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (!m) {
        const kind = timedOut ? 'timeout' : code !== undefined ? 'reset' : 'closed';
        return resolve(code === undefined ? { kind, received: bytes.length } : { kind, received: bytes.length, code });
      }
      const split = text.indexOf('\r\n\r\n');
      const headEnd = split === -1 ? text.length : split;
      resolve({ kind: 'answer', answer: { status: Number(m[1]), headers: text.slice(0, headEnd).toLowerCase(), body: split === -1 ? '' : text.slice(split + 4) } });
    });
    // the body is written without a half-close: Node counts a client's FIN as an abort
    socket.write(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), r.body]));
  });
}

/** The body is what its content type promises. */
export function wellFormed(a: Answer): boolean {
  if (a.body === '') return true;
  if (a.headers.includes('content-type: application/json') || a.headers.includes('content-type: application/x-amz-json')) {
    try {
      JSON.parse(a.body);
      return true;
    } catch {
      return false;
    }
  }
  if (a.headers.includes('xml')) return XMLValidator.validate(a.body) === true;
  if (a.headers.includes('content-type: application/cbor')) return true; // binary: decoded by the SDK tests
  return a.headers.includes('text/plain');
}

const STACK_FRAME = /\n\s+at .+:\d+:\d+/;

export interface Verdict {
  /** The histogram bucket: `2xx`, `3xx`, the status code of an error, or `reset` / `closed` / `timeout`. */
  bucket: string;
  /** Why the outcome breaks the rules, if it does. */
  violation?: string;
}

/** Judges what came back for a request. */
export function judge(r: FuzzRequest, outcome: Outcome): Verdict {
  if (outcome.kind !== 'answer') {
    const bucket = outcome.kind;
    if (promisesMore(r)) return { bucket };
    const detail = outcome.code ? ` (${outcome.code})` : '';
    return { bucket, violation: `no answer: ${outcome.kind}${detail} after ${outcome.received} byte(s)` };
  }
  const a = outcome.answer;
  const bucket = a.status >= 200 && a.status < 300 ? '2xx' : a.status >= 300 && a.status < 400 ? '3xx' : String(a.status);
  if (a.status >= 500 && a.status !== 501) return { bucket, violation: `status ${a.status}` };
  if (STACK_FRAME.test(a.body)) return { bucket, violation: 'stack trace in the body' };
  if (!wellFormed(a)) return { bucket, violation: 'body is not what its content type promises' };
  return { bucket };
}

/** One line about a request and its answer, for a failure report. */
export function summarize(r: FuzzRequest, outcome: Outcome): string {
  const what = outcome.kind === 'answer' ? `${outcome.answer.status}: ${outcome.answer.body.slice(0, 200)}` : outcome.kind;
  return `${r.method} ${r.path.slice(0, 60)} -> ${what}`;
}
