/**
 * The emulators a run measures: ours (host mode, dist/runtime/main.js; `ours-persist` is the
 * same with PERSISTENCE=1), the peers installed
 * by bench/install-peers.sh into bench/.peers (moto, LocalStack in host mode, MiniStack,
 * fakecloud), the bare node:http baseline, and any running endpoint given with
 * `--target name=URL`. Every process listens on a loopback port of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root (this file runs as dist/bench/compare/targets.js). */
export const ROOT = join(here, '..', '..', '..');
export const PEERS = join(ROOT, 'bench', '.peers');

export interface TargetSpec {
  readonly name: string;
  /** What the target is, for the table's notes. */
  readonly describe: string;
  /** Services it emulates (scenarios needing others are skipped for it). */
  readonly services: readonly string[] | 'all';
  /** Why it cannot run here, or undefined when it can. */
  missing(): string | undefined;
  /** The command and environment that start it on `port` (undefined: already running at url). */
  command?(port: number, dataDir: string): { file: string; args: string[]; env: Record<string, string> };
  readonly url?: string;
}

const venv = (name: string, bin: string) => join(PEERS, name, 'bin', bin);
const needs = (path: string, hint: string) => () => (existsSync(path) ? undefined : `${hint} (run bench/install-peers.sh)`);

function ours(port: number, dataDir: string, extra: Record<string, string>) {
  return {
    file: process.execPath,
    args: [join(ROOT, 'dist', 'runtime', 'main.js')],
    env: { GATEWAY_LISTEN: `127.0.0.1:${port}`, LOCALSTACK_VOLUME_DIR: dataDir, INIT_HOOKS_DIR: '/nonexistent', ...extra },
  };
}

export const BUILTIN_TARGETS: readonly TargetSpec[] = [
  {
    name: 'ours',
    describe: 'this runtime, host mode (node dist/runtime/main.js)',
    services: 'all',
    missing: () => (existsSync(join(ROOT, 'dist', 'runtime', 'main.js')) ? undefined : 'not built (npm run build)'),
    command: (port, dataDir) => ours(port, dataDir, {}),
  },
  {
    // the cost of PERSISTENCE=1 (ON_REQUEST: every change journaled before its answer),
    // measured against `ours` in the same run
    name: 'ours-persist',
    describe: 'this runtime with PERSISTENCE=1 (SNAPSHOT_SAVE_STRATEGY=ON_REQUEST)',
    services: 'all',
    missing: () => (existsSync(join(ROOT, 'dist', 'runtime', 'main.js')) ? undefined : 'not built (npm run build)'),
    command: (port, dataDir) => ours(port, dataDir, { PERSISTENCE: '1', SNAPSHOT_SAVE_STRATEGY: 'ON_REQUEST' }),
  },
  {
    name: 'moto',
    describe: 'moto server (moto[server], PyPI)',
    services: 'all',
    missing: needs(venv('moto', 'moto_server'), 'moto is not installed'),
    command: (port) => ({ file: venv('moto', 'moto_server'), args: ['-H', '127.0.0.1', '-p', String(port)], env: {} }),
  },
  {
    name: 'localstack',
    describe: 'LocalStack in host mode (localstack-core 4.8.1, PyPI)',
    services: 'all',
    missing: needs(venv('localstack', 'python'), 'localstack-core is not installed'),
    command: (port, dataDir) => ({
      file: venv('localstack', 'python'),
      args: ['-m', 'localstack.runtime.main'],
      env: {
        GATEWAY_LISTEN: `127.0.0.1:${port}`,
        DNS_ADDRESS: '0',
        DISABLE_EVENTS: '1',
        OVERRIDE_IN_DOCKER: '0',
        LOCALSTACK_VOLUME_DIR: dataDir,
        FILESYSTEM_ROOT: dataDir,
        SKIP_INFRA_DOWNLOADS: '1',
      },
    }),
  },
  {
    name: 'ministack',
    describe: 'MiniStack (ministack, PyPI)',
    services: 'all',
    missing: needs(venv('ministack', 'ministack'), 'ministack is not installed'),
    command: (port) => ({ file: venv('ministack', 'ministack'), args: [], env: { GATEWAY_PORT: String(port), BIND_HOST: '127.0.0.1' } }),
  },
  {
    name: 'fakecloud',
    describe: 'fakecloud (crates.io, cargo install)',
    services: 'all',
    missing: needs(join(PEERS, 'cargo', 'bin', 'fakecloud'), 'fakecloud is not installed'),
    command: (port) => ({ file: join(PEERS, 'cargo', 'bin', 'fakecloud'), args: ['--addr', `127.0.0.1:${port}`], env: {} }),
  },
];

/** `--target name=URL`: an endpoint that already runs, measured as it is. */
export function externalTarget(spec: string): TargetSpec {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new Error(`--target ${spec}: expected NAME=URL`);
  const url = spec.slice(eq + 1).replace(/\/$/, '');
  if (!/^https?:\/\/[^/]+$/.test(url)) throw new Error(`--target ${spec}: expected a URL like http://127.0.0.1:4566`);
  return { name: spec.slice(0, eq), describe: `running at ${url}`, services: 'all', missing: () => undefined, url };
}

export interface Running {
  readonly spec: TargetSpec;
  /** host:port */
  readonly host: string;
  readonly child?: ChildProcess;
  /** What it printed (the end of it explains a failed start). */
  output(): string;
  stop(): Promise<void>;
}

/** Process groups started and not yet stopped: killed if the bench itself is interrupted. */
const groups = new Set<number>();
const killGroups = () => {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // gone
    }
  }
};
process.on('exit', killGroups);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killGroups();
    process.exit(130);
  });
}

/** Starts a target on `port` (or takes an external one as it is). */
export function launch(spec: TargetSpec, port: number): Running {
  if (spec.url) {
    const host = spec.url.replace(/^https?:\/\//, '');
    return { spec, host, output: () => '', stop: async () => undefined };
  }
  const dataDir = mkdtempSync(join(tmpdir(), `bench-${spec.name}-`));
  const { file, args, env } = spec.command!(port, dataDir);
  const child = spawn(file, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TMPDIR: dataDir, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  if (child.pid) groups.add(child.pid);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    spec,
    host: `127.0.0.1:${port}`,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // the whole process group: LocalStack and MiniStack start helpers of their own
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          child.kill('SIGTERM');
        }
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // gone
          }
        }, 10_000);
        await exited;
        clearTimeout(timer);
      }
      if (child.pid) groups.delete(child.pid);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
