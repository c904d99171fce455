/**
 * Terminal output: colours (chalk) and spinners (ora) only on an interactive terminal and
 * never under CI, so that logs and pipes get plain lines; and the `-f table|plain|dict|json`
 * formats of the status commands, where json is stable and machine-readable.
 */
import chalk, { Chalk } from 'chalk';
import ora, { type Ora } from 'ora';

/**
 * True when stdout is a terminal a person looks at. A terminal of no width (a pty nobody
 * sized: `script`, some CI runners) is not one: ora would redraw its spinner without end there.
 */
export function interactive(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && (stream.columns ?? 0) > 0 && !process.env.CI && process.env.TERM !== 'dumb';
}

/** chalk with colours on a terminal only. */
export function colors(stream: NodeJS.WriteStream = process.stdout): InstanceType<typeof Chalk> {
  return interactive(stream) && !process.env.NO_COLOR ? chalk : new Chalk({ level: 0 });
}

/**
 * Where long work reports itself: a spinner on a terminal (on stderr), whose text is the
 * current phase with its elapsed time; elsewhere (a pipe, a CI log) one plain line per phase,
 * and a reminder line now and then during a long one, never the spinner's redraws.
 */
export interface Progress {
  /** A spinner on a terminal (true), or plain lines (false). */
  readonly interactive: boolean;
  /** A new phase of the work: the spinner's text on a terminal; a line of its own elsewhere. */
  phase(text: string): void;
  /** The current phase again with fresher figures (its elapsed time): on a terminal only. */
  update(text: string): void;
  /** A line that stays (the spinner goes on below it): a step worth keeping in the output. */
  note(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
  stop(): void;
}

/**
 * A Progress on stderr, starting with `text`. `plain` forces plain lines (--debug, whose
 * extra output would tear a spinner apart).
 */
export function progress(text: string, options: { plain?: boolean; log?: (line: string) => void } = {}): Progress {
  const log = options.log ?? ((l: string) => void process.stderr.write(`${l}\n`));
  if (!options.plain && interactive(process.stderr)) {
    const spinner: Ora = ora({ text, stream: process.stderr }).start();
    return {
      interactive: true,
      phase: (t) => void (spinner.text = t),
      update: (t) => void (spinner.text = t),
      note: (t) => {
        const current = spinner.text;
        spinner.info(t);
        spinner.start(current);
      },
      succeed: (t) => void spinner.succeed(t),
      fail: (t) => void spinner.fail(t),
      stop: () => void spinner.stop(),
    };
  }
  log(text);
  return { interactive: false, phase: log, update: () => undefined, note: log, succeed: log, fail: log, stop: () => undefined };
}

/** `42s`, `3m 05s`, `1h 02m`: elapsed time as a person reads it at a glance. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** How often a long phase repeats itself as a plain line (CI runners kill jobs silent for long). */
export const PLAIN_REMINDER_MS = 30_000;

/**
 * A phase whose text carries its elapsed time, `<text> 42s`, refreshed every second on a
 * terminal. Elsewhere a line when the text changes (it is read each second: it may name a
 * sub-step), and a reminder line every PLAIN_REMINDER_MS. Returns the function that ends it.
 */
export function timedPhase(p: Progress, text: () => string, started = Date.now()): () => void {
  const render = () => `${text()} ${formatElapsed(Date.now() - started)}`;
  let shown = text();
  p.phase(p.interactive ? render() : shown);
  let lastLine = Date.now();
  const timer = setInterval(() => {
    if (p.interactive) return p.update(render());
    const now = text();
    if (now !== shown || Date.now() - lastLine >= PLAIN_REMINDER_MS) {
      p.phase(now === shown ? `... ${render()}` : now);
      shown = now;
      lastLine = Date.now();
    }
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}

export const FORMATS = ['table', 'plain', 'dict', 'json'] as const;
export type Format = (typeof FORMATS)[number];

/** Width on screen: colour codes take none. */
function visible(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '').length;
}

/** Renders key/value rows in one of the formats (status, status services, config show). */
export function renderRecord(record: Record<string, unknown>, format: Format, headers: [string, string] = ['key', 'value']): string {
  switch (format) {
    case 'json':
      return JSON.stringify(record);
    case 'dict':
      return JSON.stringify(record, null, 2);
    case 'plain':
      return Object.entries(record)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join('\n');
    case 'table': {
      const rows = Object.entries(record).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as const);
      const w0 = Math.max(headers[0].length, ...rows.map(([k]) => visible(k)));
      const w1 = Math.max(headers[1].length, ...rows.map(([, v]) => visible(v)));
      const line = `+${'-'.repeat(w0 + 2)}+${'-'.repeat(w1 + 2)}+`;
      const pad = (text: string, width: number) => text + ' '.repeat(width - visible(text));
      const row = (a: string, b: string) => `| ${pad(a, w0)} | ${pad(b, w1)} |`;
      return [line, row(...headers), line, ...rows.map(([k, v]) => row(k, v)), line].join('\n');
    }
  }
}
