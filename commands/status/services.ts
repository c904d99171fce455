import { Flags } from '@oclif/core';
import { BaseCommand, CliError } from '../../src/base-command.js';
import { fetchHealth } from '../../src/health.js';
import { colors, FORMATS, renderRecord, type Format } from '../../src/output.js';

export default class StatusServices extends BaseCommand {
  static override description = 'The state of each AWS service in the running runtime (GET /_localstack/health)';
  static override examples = ['<%= config.bin %> status services', '<%= config.bin %> status services -f json'];
  static override flags = {
    format: Flags.string({ char: 'f', options: [...FORMATS], default: 'table', description: 'output format' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(StatusServices);
    const config = this.cliConfig(flags);
    const health = await fetchHealth(config.endpoint);
    if (!health) throw new CliError(`the runtime does not answer at ${config.endpoint}; is it running? (localstack start)`);
    const format = flags.format as Format;
    if (format === 'table') {
      const c = colors();
      const paint: Record<string, (s: string) => string> = { running: c.green, available: c.cyan, error: c.red, disabled: c.gray, starting: c.yellow, stopping: c.yellow, stopped: c.gray };
      const rows = Object.fromEntries(Object.entries(health.services).map(([name, state]) => [name, (paint[state] ?? String)(`${state === 'error' ? '✖' : '✔'} ${state}`)]));
      this.log(renderRecord(rows, 'table', ['Service', 'Status']));
      return;
    }
    this.log(renderRecord(health.services, format));
  }
}
