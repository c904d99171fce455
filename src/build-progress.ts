/**
 * An image build as a person can follow it: the engine's build output is read for its steps
 * (`Step 3/24 : RUN npm ci ...` from the classic builder; `[deps 3/5] RUN npm ci` from
 * BuildKit, numbered per stage) and shown as `Building image [3/24] RUN npm ci ... 42s`, the
 * spinner's text on a terminal (the elapsed time refreshed every second), one line per step
 * elsewhere (with a reminder line during a long step, so a CI log is never silent for
 * minutes). The full output is kept (its end goes into the error of a failed build) and, with
 * --debug, passed through as it comes.
 *
 * No engine here: the reporter is fed the engine's JSON messages, so it is tested with
 * recorded ones and a clock of the test's own.
 */
import { formatElapsed, PLAIN_REMINDER_MS, type Progress } from './output.js';

/** One JSON message of the engine's build stream (classic builder; BuildKit's decoded by dockerode). */
export interface BuildMessage {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

export interface BuildStep {
  /** `3/24` (classic builder), or `deps 3/5` (BuildKit numbers steps per stage). */
  position: string;
  /** The Dockerfile instruction, whitespace collapsed: `RUN npm ci --omit=dev`. */
  instruction: string;
}

const CLASSIC = /^Step (\d+\/\d+) : ([\s\S]*)$/;
// dockerode prints a started BuildKit vertex as `[<12 hex digits>] <vertex name>`
const BUILDKIT = /^(?:\[[0-9a-f]{12}\] )?\[(?:([\w.-]+) )?(\d+\/\d+)\] ([\s\S]*)$/;

/** The step a line of build output starts, if it starts one. */
export function parseBuildStep(line: string): BuildStep | undefined {
  const text = line.trim();
  const classic = CLASSIC.exec(text);
  if (classic) return { position: classic[1]!, instruction: collapse(classic[2]!) };
  const kit = BUILDKIT.exec(text);
  if (kit) return { position: kit[1] ? `${kit[1]} ${kit[2]}` : kit[2]!, instruction: collapse(kit[3]!) };
  return undefined;
}

function collapse(text: string): string {
  return text.replace(/\\\s*\n/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Longest instruction text on a plain line (a RUN with its `&& \` continuations can fill a screen). */
const PLAIN_INSTRUCTION_MAX = 100;

/**
 * `Building image [3/24] RUN npm ci --omit=dev ... 42s`: the instruction shortened (with `...`)
 * so that the whole fits `width` columns when given, else PLAIN_INSTRUCTION_MAX characters.
 */
export function formatBuildStep(step: BuildStep, elapsedMs?: number, width?: number): string {
  const head = `Building image [${step.position}] `;
  const tail = elapsedMs === undefined ? '' : ` ${formatElapsed(elapsedMs)}`;
  const room = width === undefined ? PLAIN_INSTRUCTION_MAX : Math.max(10, width - head.length - tail.length);
  const instruction = step.instruction.length <= room ? step.instruction : `${step.instruction.slice(0, room - 4).trimEnd()} ...`;
  return `${head}${instruction}${tail}`;
}

export interface BuildReporterOptions {
  /** The clock (tests pass their own). */
  now?: () => number;
  /** The terminal's width, read at each refresh; undefined for plain lines. */
  columns?: () => number | undefined;
  /** Every line of the build's output as it comes (--debug). */
  raw?: (line: string) => void;
}

/** Follows one build: feed it the engine's messages; `tick()` each second. */
export class BuildReporter {
  private readonly now: () => number;
  private readonly started: number;
  private current: BuildStep | undefined;
  private lastLine: number;
  private readonly lines: string[] = [];
  /** The engine's error message, once one came. */
  failure: string | undefined;
  /** Steps started (FROM aside: a base image is never built), and those the engine took from its cache. */
  steps = 0;
  cached = 0;

  constructor(
    private readonly progress: Progress,
    private readonly options: BuildReporterOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.started = this.now();
    this.lastLine = this.started;
  }

  /** Milliseconds since the build started. */
  get elapsed(): number {
    return this.now() - this.started;
  }

  /** The step being built, if the output has named one yet. */
  get step(): BuildStep | undefined {
    return this.current;
  }

  message(message: BuildMessage): void {
    if (message.error) this.failure = message.errorDetail?.message ?? message.error;
    const text = message.stream ?? message.status;
    if (!text) return;
    for (const raw of text.split('\n')) {
      const line = raw.trimEnd();
      if (!line.trim()) continue;
      this.options.raw?.(line);
      this.lines.push(line);
      if (/^\s*---> Using cache$/.test(line)) this.cached++;
      const step = parseBuildStep(line);
      if (step) this.enter(step);
    }
    // the last few hundred lines are all an error message needs
    if (this.lines.length > 400) this.lines.splice(0, this.lines.length - 200);
  }

  private enter(step: BuildStep): void {
    this.current = step;
    if (!/^FROM\s/i.test(step.instruction)) this.steps++;
    this.lastLine = this.now();
    this.progress.phase(this.progress.interactive ? this.render() : formatBuildStep(step, this.elapsed));
  }

  private render(): string {
    return formatBuildStep(this.current!, this.elapsed, this.options.columns?.());
  }

  /** Refreshes the elapsed time on a terminal; elsewhere, a reminder line during a long step. */
  tick(): void {
    if (!this.current) return;
    if (this.progress.interactive) this.progress.update(this.render());
    else if (this.now() - this.lastLine >= PLAIN_REMINDER_MS) {
      this.lastLine = this.now();
      this.progress.phase(`... still ${formatBuildStep(this.current, this.elapsed)}`);
    }
  }

  /** The last `n` lines of the build's output. */
  tail(n: number): string {
    return this.lines.slice(-n).join('\n');
  }

  /** `in 42s, 7 of 24 steps from the cache` */
  summary(): string {
    return `in ${formatElapsed(this.elapsed)}${this.steps ? `, ${this.cached} of ${this.steps} steps from the cache` : ''}`;
  }
}
