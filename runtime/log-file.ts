/**
 * A copy of everything the runtime prints, in a file (LS_LOG_FILE; the Docker image sets
 * /var/lib/localstack/logs/localstack.log). The CLI creates the container with auto-remove,
 * which takes Docker's log with it; this copy, in the mounted volume, is what `localstack logs`
 * shows once the container is gone, however it ended (stopped, crashed, `docker rm -f`).
 *
 * Writes are synchronous, as stdout and stderr are for pipes and files, so nothing printed
 * just before `process.exit` is lost. The file starts empty at each run: it is the last run's.
 *
 * Log lines (stderr) are gathered and written together: the request log writes a line per
 * request at INFO, and one write(2) per line to stderr and one to the file, plus whatever reads
 * the other end of the pipe (Docker's log driver), cost more than a small request itself
 * (measured: a fifth of STS's throughput). Warnings and errors go out at the end of the
 * current turn of the event loop; INFO and below wait up to 50 ms for company. Anything on
 * stdout, an exit, or 64 KiB of lines waiting writes them first, so the order holds and
 * nothing printed before `process.exit` is lost (a SIGKILL can lose the last 50 ms of INFO).
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

let fd: number | undefined;

/**
 * Opens (truncates) the file; returns a warning instead of failing when it cannot, since a
 * volume the runtime's user may not write is no reason not to serve.
 */
export function openLogFile(path: string): string | undefined {
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'w');
    return undefined;
  } catch (error) {
    return `LS_LOG_FILE: cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); the log goes to stdout and stderr only`;
  }
}

function copy(text: string | Uint8Array): void {
  if (fd === undefined) return;
  try {
    if (typeof text === 'string') writeSync(fd, text);
    else writeSync(fd, text);
  } catch {
    // a full or vanished volume: stop copying rather than fail every print
    closeLogFile();
  }
}

/** Log lines not written yet, and their length. */
let pending: string[] = [];
let pendingLength = 0;
let soon = false;
let later: NodeJS.Timeout | undefined;
const FLUSH_AT = 64 * 1024;
/** How long INFO lines may wait for others to be written with. */
const LINGER_MS = 50;

/** Writes the gathered log lines to stderr and the file, now. */
export function flushErr(): void {
  if (later) {
    clearTimeout(later);
    later = undefined;
  }
  if (pending.length === 0) return;
  const text = pending.length === 1 ? pending[0]! : pending.join('');
  pending = [];
  pendingLength = 0;
  process.stderr.write(text);
  copy(text);
}

process.on('exit', flushErr);

/** Prints to stdout, and to the log file (after the log lines printed before it). */
export function printOut(text: string | Uint8Array): void {
  flushErr();
  process.stdout.write(text);
  copy(text);
}

/**
 * Prints to stderr, and to the log file: at the end of this turn of the event loop, or, for a
 * line that may `linger` (INFO and below), within 50 ms.
 */
export function printErr(text: string | Uint8Array, linger = false): void {
  if (typeof text !== 'string') {
    flushErr();
    process.stderr.write(text);
    copy(text);
    return;
  }
  pending.push(text);
  pendingLength += text.length;
  if (pendingLength >= FLUSH_AT) {
    flushErr();
  } else if (!linger) {
    if (!soon) {
      soon = true;
      setImmediate(() => {
        soon = false;
        flushErr();
      });
    }
  } else if (!later && !soon) {
    later = setTimeout(flushErr, LINGER_MS);
    later.unref();
  }
}

export function closeLogFile(): void {
  flushErr();
  if (fd === undefined) return;
  const f = fd;
  fd = undefined;
  try {
    closeSync(f);
  } catch {
    // already gone
  }
}
