/**
 * Running the wrapped tool: its stdin, stdout and stderr are the wrapper's own (so prompts,
 * pagers and colours work), its exit code becomes the wrapper's, and a missing tool is one
 * clear line and exit 127, as a shell reports a command it cannot find.
 */
import { execa } from 'execa';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';

/** The exit code of a command that was not found (POSIX shells). */
export const NOT_FOUND = 127;

/** The full path of an executable on PATH, as a shell would find it; undefined if none. */
export function findOnPath(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const executable = (path: string) => {
    try {
      if (!statSync(path).isFile()) return false;
      accessSync(path, fsConstants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (command.includes('/') || isAbsolute(command)) return executable(command) ? command : undefined;
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const path = join(dir, command + ext);
      if (executable(path)) return path;
    }
  }
  return undefined;
}

/**
 * The full path of `command` in a `node_modules/.bin` folder of `from` or of one of its parents,
 * the nearest first, as `npx` finds a project's local tools; undefined if none.
 */
export function findInNodeModules(command: string, from: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const found = findOnPath(command, { ...env, PATH: join(dir, 'node_modules', '.bin') });
    if (found) return found;
    if (dirname(dir) === dir) return undefined;
  }
}

/** One line on stderr, prefixed with the wrapper's name. */
export function say(wrapper: string, message: string): void {
  process.stderr.write(`${wrapper}: ${message}\n`);
}

/**
 * Runs `command args` with the terminal, and resolves to the exit code to leave with: the
 * tool's, 128 + N when a signal ended it, 127 when it cannot be found, 126 when it cannot be
 * run. Ctrl-C reaches the tool directly (same process group); the wrapper waits for it to end,
 * and passes on a SIGTERM or SIGHUP sent to itself alone.
 */
export async function runTool(wrapper: string, command: string, args: readonly string[], env: Record<string, string>, missing: string): Promise<number> {
  const child = execa(command, args, { stdio: 'inherit', env, extendEnv: false, reject: false, windowsHide: false });
  const forward = (signal: NodeJS.Signals) => () => void child.kill(signal);
  const handlers: Array<[NodeJS.Signals, () => void]> = [
    ['SIGINT', () => undefined], // the terminal sent it to the tool as well; its exit decides
    ['SIGTERM', forward('SIGTERM')],
    ['SIGHUP', forward('SIGHUP')],
  ];
  for (const [signal, handler] of handlers) process.on(signal, handler);
  try {
    const result = await child;
    if (result.signal) return 128 + (osConstants.signals[result.signal] ?? 0);
    if (typeof result.exitCode === 'number') return result.exitCode;
    const code = (result as { code?: string }).code;
    if (code === 'ENOENT') {
      say(wrapper, `${command} not found: ${missing}`);
      return NOT_FOUND;
    }
    say(wrapper, `cannot run ${command}: ${(result.shortMessage ?? '').split('\n')[0]}`);
    return 126;
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
}
