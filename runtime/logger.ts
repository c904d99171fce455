/**
 * A small leveled logger on stderr (stdout carries `Ready.` and what users grep for), copied
 * to the log file when there is one (log-file.ts).
 * LS_LOG picks the level; DEBUG=1 means debug.
 */
import { printErr } from './log-file.js';

const LEVELS = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 } as const;
type Level = keyof typeof LEVELS;

function normalise(level: string): Level {
  if (level === 'trace-internal') return 'trace';
  if (level === 'warning') return 'warn';
  return level in LEVELS ? (level as Level) : 'info';
}

let threshold: number = LEVELS.info;

export function setLogLevel(level: string): void {
  threshold = LEVELS[normalise(level)];
}

export function isLogEnabled(level: Level): boolean {
  return LEVELS[level] >= threshold;
}

/** The last millisecond's ISO time: formatting one costs more than the rest of a request-log line. */
let stampMs = -1;
let stamp = '';

function write(level: Level, scope: string, message: string): void {
  if (LEVELS[level] < threshold) return;
  const now = Date.now();
  if (now !== stampMs) {
    stampMs = now;
    stamp = new Date(now).toISOString();
  }
  printErr(`${stamp} ${level.toUpperCase().padEnd(5)} --- [${scope}] ${message}\n`, LEVELS[level] < LEVELS.warn);
}

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function logger(scope: string): Logger {
  return {
    trace: (m) => write('trace', scope, m),
    debug: (m) => write('debug', scope, m),
    info: (m) => write('info', scope, m),
    warn: (m) => write('warn', scope, m),
    error: (m) => write('error', scope, m),
  };
}
