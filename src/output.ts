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

/** A spinner on a terminal (on stderr); elsewhere one plain line per state change. */
export interface Progress {
  update(text: string): void;
  /** A line that stays (the spinner goes on below it): a step worth keeping in the output. */
  note(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
  stop(): void;
}

export function progress(text: string, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Progress {
  if (interactive(process.stderr)) {
    const spinner: Ora = ora({ text, stream: process.stderr }).start();
    return {
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
  return { update: () => undefined, note: (t) => log(t), succeed: (t) => log(t), fail: (t) => log(t), stop: () => undefined };
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
