/**
 * Init hooks: scripts in `<initDir>/{boot,start,ready,shutdown}.d`, run in sorted order
 * (subfolders recursively) at the matching lifecycle stage, as LocalStack runs them. A failing
 * script is recorded as ERROR (with one log line saying why) and the rest still run. States
 * are served by /_localstack/init.
 *
 * `.sh` scripts: executable ones run directly (their shebang decides the shell), others
 * through `sh`; a non-zero exit code is a failure. `.py` scripts run with `python3` from PATH
 * (the image carries it, with boto3); an exception (a non-zero exit) is a failure, and so is
 * a machine without python3.
 *
 * Both get the environment a hook written for LocalStack expects, where it names nothing of
 * its own: once the gateway listens (the READY and SHUTDOWN stages), AWS_ENDPOINT_URL points at
 * it, so that `awslocal`, `aws` and `boto3.client('s3')` reach this runtime; credentials
 * test/test and region us-east-1, as `awslocal` gives on a host (see {@link hookEnvironment}).
 *
 * LIMITATION: LocalStack runs `.py` hooks inside its own Python process (all but boot.d);
 * here each is a python3 process of its own. Scripts that use boto3, the AWS CLI or HTTP work
 * the same; scripts that import LocalStack's internals (`from localstack import config`) fail,
 * since there are none to import.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { join, relative } from 'node:path';
import type { ListenAddress } from '../config.js';
import { printErr, printOut } from '../log-file.js';
import { logger } from '../logger.js';

export const STAGES = ['BOOT', 'START', 'READY', 'SHUTDOWN'] as const;
export type Stage = (typeof STAGES)[number];
export type ScriptState = 'UNKNOWN' | 'RUNNING' | 'SUCCESSFUL' | 'ERROR';

export interface InitScript {
  stage: Stage;
  name: string;
  state: ScriptState;
  readonly path: string;
}

const log = logger('init');

/** The region a hook gets when its environment names none (awslocal's default on a host). */
export const DEFAULT_HOOK_REGION = 'us-east-1';

function unset(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

/**
 * The URL a process beside the runtime (on this machine, or in its container) reaches the
 * gateway at: the first IPv4 address it listens on, else the first; a wildcard becomes
 * loopback. Undefined when it listens nowhere.
 */
export function localEndpoint(addresses: readonly ListenAddress[]): string | undefined {
  const address = addresses.find((a) => isIPv4(a.host)) ?? addresses[0];
  if (!address) return undefined;
  const host = address.host === '0.0.0.0' ? '127.0.0.1' : address.host === '::' ? '::1' : address.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/**
 * A hook's environment: the runtime's, plus what a LocalStack hook may take for granted,
 * each only where the environment has none of its own:
 * - AWS_ENDPOINT_URL, the gateway (when it listens): `awslocal` reads it, and so do the AWS
 *   CLI and boto3 themselves, so `boto3.client('s3')` needs no endpoint_url;
 * - credentials test/test, unless AWS_ACCESS_KEY_ID or AWS_PROFILE names some;
 * - region us-east-1 as AWS_DEFAULT_REGION (what the AWS CLI v1 and boto3 read) and AWS_REGION;
 *   a region given in either one is copied to the other;
 * - PYTHONUNBUFFERED=1, so that a .py hook's prints reach the log as they happen.
 */
export function hookEnvironment(env: NodeJS.ProcessEnv, endpoint: string | undefined): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  if (endpoint && unset(out.AWS_ENDPOINT_URL)) out.AWS_ENDPOINT_URL = endpoint;
  if (unset(out.AWS_ACCESS_KEY_ID) && unset(out.AWS_PROFILE)) {
    out.AWS_ACCESS_KEY_ID = 'test';
    out.AWS_SECRET_ACCESS_KEY = 'test';
  } else if (!unset(out.AWS_ACCESS_KEY_ID) && unset(out.AWS_SECRET_ACCESS_KEY)) {
    // the emulator needs both halves and checks neither
    out.AWS_SECRET_ACCESS_KEY = 'test';
  }
  const region = [out.AWS_DEFAULT_REGION, out.AWS_REGION].find((r) => !unset(r))?.trim() ?? DEFAULT_HOOK_REGION;
  if (unset(out.AWS_DEFAULT_REGION)) out.AWS_DEFAULT_REGION = region;
  if (unset(out.AWS_REGION)) out.AWS_REGION = region;
  if (unset(out.PYTHONUNBUFFERED)) out.PYTHONUNBUFFERED = '1';
  return out;
}

function listScripts(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    let st;
    try {
      st = statSync(path);
    } catch {
      continue;
    }
    if (st.isDirectory()) out.push(...listScripts(path));
    else if (name.endsWith('.sh') || name.endsWith('.py')) out.push(path);
  }
  return out;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export class InitHooks {
  readonly scripts: InitScript[] = [];
  private readonly completed: Record<Stage, boolean> = { BOOT: false, START: false, READY: false, SHUTDOWN: false };
  private endpoint: string | undefined;

  constructor(
    private readonly dir: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    for (const stage of STAGES) {
      const stageDir = join(dir, `${stage.toLowerCase()}.d`);
      for (const path of listScripts(stageDir)) {
        this.scripts.push({ stage, name: relative(stageDir, path), state: 'UNKNOWN', path });
      }
    }
  }

  /** The gateway's address, known once it listens: hooks get it as AWS_ENDPOINT_URL. */
  listening(addresses: readonly ListenAddress[]): void {
    this.endpoint = localEndpoint(addresses);
  }

  /** Runs the scripts of one stage, one after another. */
  async run(stage: Stage): Promise<void> {
    for (const script of this.scripts) {
      if (script.stage !== stage) continue;
      script.state = 'RUNNING';
      const failure = await this.exec(script.path);
      script.state = failure ? 'ERROR' : 'SUCCESSFUL';
      if (failure) log.error(`init script ${stage.toLowerCase()}.d/${script.name} ${failure}`);
    }
    this.completed[stage] = true;
  }

  /** Runs one script; resolves with why it failed, or undefined when it succeeded. */
  private exec(path: string): Promise<string | undefined> {
    const python = path.endsWith('.py');
    const [cmd, args] = python ? ['python3', [path]] : isExecutable(path) ? [path, []] : ['sh', [path]];
    return new Promise((resolve) => {
      // output through the runtime's, so that it reaches the log file too
      const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: hookEnvironment(this.env, this.endpoint) });
      child.stdout.on('data', (chunk: Buffer) => printOut(chunk));
      child.stderr.on('data', (chunk: Buffer) => printErr(chunk));
      child.on('error', (error: NodeJS.ErrnoException) => {
        if (python && error.code === 'ENOENT') resolve('cannot run: python3 is not installed (a .py hook runs with python3 from PATH)');
        else resolve(`cannot run: ${error.message}`);
      });
      // done once its output is all printed ('close'), but no later than shortly after its
      // exit: a background process it started (`daemon &`) may hold the pipes open for good
      let outcome: string | undefined = 'failed';
      child.on('close', () => resolve(outcome));
      child.on('exit', (code, signal) => {
        if (code === 0) outcome = undefined;
        else if (signal) outcome = `was killed by ${signal}`;
        else outcome = python ? `failed with exit code ${code} (an uncaught exception exits 1)` : `failed with exit code ${code}`;
        setTimeout(() => resolve(outcome), 200).unref();
      });
    });
  }

  /** The document of GET /_localstack/init. */
  status(): { completed: Record<Stage, boolean>; scripts: Array<{ stage: Stage; name: string; state: ScriptState }> } {
    return { completed: { ...this.completed }, scripts: this.scripts.map(({ stage, name, state }) => ({ stage, name, state })) };
  }

  /** The document of GET /_localstack/init/<stage>. */
  stageStatus(stage: Stage): { completed: boolean; scripts: Array<{ stage: Stage; name: string; state: ScriptState }> } {
    return {
      completed: this.completed[stage],
      scripts: this.scripts.filter((s) => s.stage === stage).map(({ stage: st, name, state }) => ({ stage: st, name, state })),
    };
  }

  get directory(): string {
    return this.dir;
  }
}
