/**
 * The last thing a detached `start` waits for: the runtime answers /_localstack/health before
 * its ready.d hooks run (they need it to answer: `awslocal s3 mb ...`), and prints `Ready.`
 * after them. So `start -d` follows /_localstack/init/ready, saying which hook runs, until the
 * stage is complete, and reports the hooks that failed: a script that calls the runtime and
 * comes next in CI finds what the hooks made, or a line saying why not.
 */
import { CliError } from './base-command.js';
import { fetchInitStage, type InitStage } from './health.js';
import { timedPhase, type Progress } from './output.js';

/** How long the runtime may stop answering while its hooks run before the wait gives up. */
const SILENCE_MS = 10_000;

/** What the phase says while the ready stage runs: the hook running, `(2 of 3)`. */
export function readyPhaseText(stage: InitStage | undefined): string {
  const scripts = stage?.scripts ?? [];
  if (scripts.length === 0) return 'waiting for the runtime to be ready';
  const running = scripts.findIndex((s) => s.state === 'RUNNING');
  const done = scripts.filter((s) => s.state === 'SUCCESSFUL' || s.state === 'ERROR').length;
  const index = running >= 0 ? running : Math.min(done, scripts.length - 1);
  return `running ready hooks: ready.d/${scripts[index]!.name} (${index + 1} of ${scripts.length})`;
}

/** One line per failed hook of a completed stage. */
export function failedHookLines(stage: InitStage): string[] {
  return stage.scripts.filter((s) => s.state === 'ERROR').map((s) => `ready hook ready.d/${s.name} failed (ERROR in /_localstack/init; its output is in localstack logs)`);
}

/**
 * Resolves with the completed ready stage (null when the runtime does not report its stages);
 * fails when the runtime stops answering for SILENCE_MS, or `alive()` says it ended.
 */
export async function waitForReadyHooks(endpoint: string, progress: Progress, alive: () => boolean | Promise<boolean> = () => true): Promise<InitStage | null> {
  let stage: InitStage | undefined;
  // the phase starts after the first answer, so that its first line names the hook that runs
  // (and a stage complete at once shows none)
  let endPhase: (() => void) | undefined;
  let lastAnswer = Date.now();
  try {
    for (;;) {
      const now = await fetchInitStage(endpoint, 'ready');
      if (now === null) return null;
      if (now) {
        stage = now;
        lastAnswer = Date.now();
        if (now.completed) return now;
      } else if (Date.now() - lastAnswer > SILENCE_MS || !(await alive())) {
        throw new CliError(`the runtime stopped answering at ${endpoint} while ${readyPhaseText(stage).replace(/^running/, 'running its')}; see localstack logs`);
      }
      endPhase ??= timedPhase(progress, () => readyPhaseText(stage));
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    endPhase?.();
  }
}
