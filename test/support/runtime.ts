/**
 * Starts the real runtime (dist/runtime/main.js, built by `npm test`) as a child process on a
 * free loopback port, and stops it again. Every integration test talks to it over a socket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../runtime/config.js';
import { Runtime } from '../../runtime/runtime.js';
import type { RuntimeScheduler } from '../../runtime/scheduler.js';
import type { ProviderRegistry } from '../../runtime/services/registry.js';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MAIN = join(ROOT, 'dist', 'runtime', 'main.js');

export interface RuntimeProcess {
  /** http://127.0.0.1:PORT */
  readonly endpoint: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /**
   * Resolves with stderr once it matches: the runtime writes its log lines at the end of an
   * event-loop turn (log-file.ts), and a pipe is not a socket, so a line printed while a request
   * was served can reach us after its answer does.
   */
  waitForStderr(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  /** SIGTERM and wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Resolve when the process printed `Ready.` (default) or as soon as it listens. */
  waitFor?: 'ready' | 'listening';
  timeoutMs?: number;
  /** The script to run instead of dist/runtime/main.js (a fixture runtime under dist/bench). */
  main?: string;
  /**
   * LOCALSTACK_VOLUME_DIR to run with, kept when the process exits: two runtimes started one
   * after the other on the same folder (with PERSISTENCE=1) see the state the first one saved.
   * The caller removes it. Default: a fresh folder of its own, removed at exit.
   */
  volume?: string;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startRuntime(options: StartOptions = {}): Promise<RuntimeProcess> {
  const main = options.main ?? MAIN;
  if (!existsSync(main)) throw new Error(`${main} is missing: run the tests with npm test (it builds first)`);
  // a data folder of its own (S3 object bodies), removed when the process has exited, unless
  // the caller brought one to share between runtimes
  const volume = options.volume ?? mkdtempSync(join(tmpdir(), 'ls-volume-'));
  const child = spawn(process.execPath, [main], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      GATEWAY_LISTEN: '127.0.0.1:0',
      INIT_HOOKS_DIR: '/nonexistent',
      LOCALSTACK_VOLUME_DIR: volume,
      // every integration test also checks that providers mark each change they make to
      // their state, so that persistence restores exactly what a test saw
      STATE_AUDIT: '1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  // 'close', not 'exit': by then stdout and stderr have been read to their end
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      running.delete(child);
      if (options.volume === undefined) rmSync(volume, { recursive: true, force: true });
      resolve(code);
    }),
  );

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`runtime did not start in time\nstdout: ${out}\nstderr: ${err}`)), options.timeoutMs ?? 15_000);
    // the port a GATEWAY_LISTEN of our own names (with LS_LOG=warn nothing says `listening on`)
    const fixed = Number(/:(\d+)$/.exec(options.env?.GATEWAY_LISTEN ?? '')?.[1] ?? 0);
    const check = () => {
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(err);
      const ready = options.waitFor === 'listening' || /^Ready\.$/m.test(out);
      const bound = m ? Number(m[1]) : fixed;
      if (bound > 0 && ready) {
        clearTimeout(timer);
        resolve(bound);
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`runtime exited with ${code}\nstdout: ${out}\nstderr: ${err}`));
    });
  });

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    child,
    stdout: () => out,
    stderr: () => err,
    waitForStderr(pattern, timeoutMs = 10_000) {
      const matches = () => (typeof pattern === 'string' ? err.includes(pattern) : pattern.test(err));
      if (matches()) return Promise.resolve(err);
      return new Promise<string>((resolve, reject) => {
        const onData = () => {
          if (!matches()) return;
          done();
          resolve(err);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`stderr never matched ${String(pattern)}:\n${err}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          child.stderr!.off('data', onData);
        };
        child.stderr!.on('data', onData);
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const code = await exited;
      // an unmarked state change answers 500, which SDKs retry, and the retry passes: the log is
      // where it stays visible, so the file that caused one fails here (STATE_AUDIT, store.ts)
      const audit = /state audit failed: [^\n]*/.exec(err);
      if (audit) throw new Error(`the runtime's state audit failed during this test file: ${audit[0]}`);
      return code;
    },
  };
}

/** Static credentials and region for SDK clients pointed at the runtime. */
export function clientConfig(endpoint: string, accessKeyId = 'test') {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'test' },
  };
}

/**
 * A runtime in the test's own process with test providers, for the life of a test file:
 * started in beforeAll (on a free port; `onStarted` gets its URL and the runtime, whose
 * `services.deliveries.idle()` a test awaits), stopped in afterAll.
 */
export function withInProcessRuntime(registry: ProviderRegistry, onStarted: (endpoint: string, runtime: Runtime) => void, options: InProcessOptions = {}): void {
  let runtime: Runtime | undefined;
  beforeAll(async () => {
    runtime = await startInProcess(registry, options);
    onStarted(`http://127.0.0.1:${runtime.addresses[0]!.port}`, runtime);
  });
  afterAll(async () => {
    await runtime?.stop();
  });
}

export interface InProcessOptions {
  /** The runtime's scheduler (one on a ManualClock, for tests that drive time). */
  scheduler?: RuntimeScheduler;
  /** More environment variables for its configuration. */
  env?: Record<string, string>;
}

/** A runtime in this process with the given providers, started on a free loopback port. */
export async function startInProcess(registry: ProviderRegistry, options: InProcessOptions = {}): Promise<Runtime> {
  const { config } = loadConfig({ GATEWAY_LISTEN: '127.0.0.1:0', INIT_HOOKS_DIR: '/nonexistent', LOCALSTACK_VOLUME_DIR: join(tmpdir(), 'ls-volume-in-process'), STATE_AUDIT: '1', ...options.env });
  const runtime = await Runtime.create(config, { registry, announce: () => undefined, scheduler: options.scheduler });
  await runtime.start();
  return runtime;
}

/** A loopback port nothing listens on right now (the benches' helper). */
export { freePort } from '../../bench/ports.js';
