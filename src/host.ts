/**
 * The runtime as a process on this machine (`localstack start --host`): in the foreground,
 * or detached with a pid file and a log file under the volume folder, so that `stop`,
 * `status`, `logs -f` and `wait` work as they do for the container.
 *
 *   <volume>/host/runtime.json   pid, start time, endpoint, version of the detached process
 *   <volume>/logs/localstack.log its output (stdout and stderr), kept after it stops
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliConfig } from './config.js';

/** dist/runtime/main.js, next to this file's dist/src. */
export const RUNTIME_MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'runtime', 'main.js');

export interface HostRecord {
  pid: number;
  startedAt: string;
  endpoint: string;
  version: string;
}

export function hostFiles(config: CliConfig): { record: string; log: string } {
  return { record: join(config.volumeDir, 'host', 'runtime.json'), log: join(config.volumeDir, 'logs', 'localstack.log') };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // a detached runtime outlives the CLI that started it, so once it exits it waits as a
  // zombie until init reaps it (up to seconds in a container): it is gone all the same
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux'; // no /proc entry: gone on Linux, unknown elsewhere
  }
}

/** The detached runtime this volume folder knows of, if it still runs (a stale record is removed). */
export function runningHost(config: CliConfig): HostRecord | undefined {
  const { record } = hostFiles(config);
  if (!existsSync(record)) return undefined;
  let parsed: HostRecord;
  try {
    parsed = JSON.parse(readFileSync(record, 'utf8')) as HostRecord;
  } catch {
    rmSync(record, { force: true });
    return undefined;
  }
  if (!Number.isInteger(parsed.pid) || !alive(parsed.pid)) {
    rmSync(record, { force: true });
    return undefined;
  }
  return parsed;
}

/** The runtime's environment on the host: the CLI's, with `-e` values on top. */
export function hostEnvironment(config: CliConfig, extra: readonly string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...config.env, GATEWAY_LISTEN: config.gatewayListen, LOCALSTACK_VOLUME_DIR: config.volumeDir };
  for (const assignment of extra) {
    const i = assignment.indexOf('=');
    if (i <= 0) throw new Error(`-e ${assignment}: expected KEY=VALUE`);
    env[assignment.slice(0, i)] = assignment.slice(i + 1);
  }
  return env;
}

export interface StartedHost {
  child: ChildProcess;
  record: HostRecord;
}

/**
 * Starts the runtime. Detached: its output goes to the log file and it outlives the CLI.
 * Foreground: it shares the terminal. Either way the record is written, so that other
 * commands find it; the caller waits for health.
 */
export function startHost(config: CliConfig, options: { detached: boolean; env: NodeJS.ProcessEnv; version: string }): StartedHost {
  const files = hostFiles(config);
  mkdirSync(dirname(files.record), { recursive: true });
  mkdirSync(dirname(files.log), { recursive: true });
  let child: ChildProcess;
  if (options.detached) {
    const fd = openSync(files.log, 'w');
    try {
      child = spawn(process.execPath, [RUNTIME_MAIN], { env: options.env, detached: true, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    child.unref();
  } else {
    child = spawn(process.execPath, [RUNTIME_MAIN], { env: options.env, stdio: 'inherit' });
  }
  const record: HostRecord = { pid: child.pid!, startedAt: new Date().toISOString(), endpoint: config.endpoint, version: options.version };
  writeFileSync(files.record, JSON.stringify(record));
  return { child, record };
}

/** Forgets the record if it is this process's (a foreground runtime that ended). */
export function forgetHost(config: CliConfig, pid: number): void {
  const current = runningHost(config);
  if (!current || current.pid === pid) rmSync(hostFiles(config).record, { force: true });
}

/** SIGTERM, then SIGKILL after `timeoutMs`; resolves when the process is gone. */
export async function stopHost(config: CliConfig, timeoutMs = 15_000): Promise<HostRecord | undefined> {
  const record = runningHost(config);
  if (!record) return undefined;
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (alive(record.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(record.pid)) process.kill(record.pid, 'SIGKILL');
  while (alive(record.pid)) await new Promise((r) => setTimeout(r, 20));
  rmSync(hostFiles(config).record, { force: true });
  return record;
}

/** The last `lines` lines of the log (all when undefined). */
export function readHostLog(config: CliConfig, lines?: number): string {
  const { log } = hostFiles(config);
  if (!existsSync(log)) return '';
  const text = readFileSync(log, 'utf8');
  if (lines === undefined) return text;
  const all = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  return all.length === 1 && all[0] === '' ? '' : `${all.slice(-lines).join('\n')}\n`;
}

/**
 * Writes what the log gains to `write` until `stillGoing()` turns false (the process ended)
 * or `signal` aborts (Ctrl-C), polling: `logs -f` for the host process.
 */
export async function followHostLog(config: CliConfig, from: number, write: (text: string) => void, stillGoing: () => boolean, signal?: AbortSignal): Promise<void> {
  const { log } = hostFiles(config);
  let offset = from;
  for (;;) {
    if (existsSync(log)) {
      const size = statSync(log).size;
      if (size < offset) offset = 0; // a new run truncated it
      if (size > offset) {
        const handle = await open(log, 'r');
        try {
          const buffer = Buffer.alloc(size - offset);
          await handle.read(buffer, 0, buffer.length, offset);
          write(buffer.toString('utf8'));
          offset = size;
        } finally {
          await handle.close();
        }
      }
    }
    if (!stillGoing() || signal?.aborted) return;
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Size of the log now (where `logs -f` starts after printing the tail). */
export function hostLogSize(config: CliConfig): number {
  const { log } = hostFiles(config);
  return existsSync(log) ? statSync(log).size : 0;
}

export function hostAlive(pid: number): boolean {
  return alive(pid);
}
