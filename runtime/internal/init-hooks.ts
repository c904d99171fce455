/**
 * Init hooks: shell scripts in `<initDir>/{boot,start,ready,shutdown}.d`, run in sorted order
 * (subfolders recursively) at the matching lifecycle stage. A failing script is recorded as
 * ERROR and the rest still run. States are served by /_localstack/init.
 *
 * Executable scripts run directly (their shebang decides the shell); others through `sh`.
 * LIMITATION: LocalStack also runs `.py` hooks inside its Python process; here only `.sh`.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
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
    else if (name.endsWith('.sh')) out.push(path);
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

  /** Runs the scripts of one stage, one after another. */
  async run(stage: Stage): Promise<void> {
    for (const script of this.scripts) {
      if (script.stage !== stage) continue;
      script.state = 'RUNNING';
      const code = await this.exec(script.path);
      script.state = code === 0 ? 'SUCCESSFUL' : 'ERROR';
      if (code !== 0) log.error(`init script ${stage.toLowerCase()}.d/${script.name} failed with exit code ${code}`);
    }
    this.completed[stage] = true;
  }

  private exec(path: string): Promise<number> {
    return new Promise((resolve) => {
      const [cmd, args] = isExecutable(path) ? [path, []] : ['sh', [path]];
      // output through the runtime's, so that it reaches the log file too
      const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: this.env });
      child.stdout.on('data', (chunk: Buffer) => printOut(chunk));
      child.stderr.on('data', (chunk: Buffer) => printErr(chunk));
      child.on('error', (error) => {
        log.error(`cannot run ${path}: ${error.message}`);
        resolve(127);
      });
      // done once its output is all printed ('close'), but no later than shortly after its
      // exit: a background process it started (`daemon &`) may hold the pipes open for good
      let status = 1;
      child.on('close', () => resolve(status));
      child.on('exit', (code, signal) => {
        status = code ?? (signal ? 128 : 1);
        setTimeout(() => resolve(status), 200).unref();
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
