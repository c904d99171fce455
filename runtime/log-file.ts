/**
 * A copy of everything the runtime prints, in a file (LS_LOG_FILE; the Docker image sets
 * /var/lib/localstack/logs/localstack.log). The CLI creates the container with auto-remove,
 * which takes Docker's log with it; this copy, in the mounted volume, is what `localstack logs`
 * shows once the container is gone, however it ended (stopped, crashed, `docker rm -f`).
 *
 * Writes are synchronous, as stdout and stderr are for pipes and files, so nothing printed
 * just before `process.exit` is lost. The file starts empty at each run: it is the last run's.
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

/** Prints to stdout, and to the log file. */
export function printOut(text: string | Uint8Array): void {
  process.stdout.write(text);
  copy(text);
}

/** Prints to stderr, and to the log file. */
export function printErr(text: string | Uint8Array): void {
  process.stderr.write(text);
  copy(text);
}

export function closeLogFile(): void {
  if (fd === undefined) return;
  const f = fd;
  fd = undefined;
  try {
    closeSync(f);
  } catch {
    // already gone
  }
}
