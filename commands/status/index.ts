import { Flags } from '@oclif/core';
import { BaseCommand, CliError } from '../../src/base-command.js';
import { fetchHealth } from '../../src/health.js';
import { FORMATS, renderRecord, type Format } from '../../src/output.js';
import { findRuntime, formatUptime } from '../../src/runtime-target.js';

export default class Status extends BaseCommand {
  static override description = 'Whether the runtime runs, and where: version, image or process, name, address, uptime';
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status -f json'];
  static override flags = {
    format: Flags.string({ char: 'f', options: [...FORMATS], default: 'table', description: 'output format' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Status);
    const config = this.cliConfig(flags);
    const runtime = await findRuntime(config);
    const format = flags.format as Format;
    if (!runtime) {
      if (format === 'json' || format === 'dict') this.log(renderRecord({ running: false }, format));
      else this.log(`not running (no host process recorded under ${config.volumeDir}, no runtime container named ${config.containerName})`);
      throw new CliError('the runtime is not running', 1);
    }
    const health = await fetchHealth(runtime.endpoint);
    const record: Record<string, unknown> = {
      running: true,
      mode: runtime.mode,
      version: runtime.version ?? health?.version ?? 'unknown',
      ...(runtime.image ? { image: runtime.image } : {}),
      name: runtime.name,
      ...(runtime.ip ? { ip: runtime.ip } : {}),
      ...(runtime.pid ? { pid: runtime.pid } : {}),
      address: runtime.endpoint,
      healthy: health !== undefined,
      uptime: formatUptime(runtime.startedAt),
      started: runtime.startedAt?.toISOString(),
    };
    this.log(renderRecord(record, format, ['Runtime', 'Value']));
  }
}
