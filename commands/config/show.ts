import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/base-command.js';
import { CONFIG_VARIABLES } from '../../src/config.js';
import { FORMATS, renderRecord, type Format } from '../../src/output.js';

export default class ConfigShow extends BaseCommand {
  static override description = 'The effective configuration: environment and profile, and what the CLI derives from it';
  static override flags = {
    format: Flags.string({ char: 'f', options: [...FORMATS], default: 'table', description: 'output format' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ConfigShow);
    const config = this.cliConfig(flags);
    const record: Record<string, unknown> = {};
    for (const name of [...CONFIG_VARIABLES, 'GATEWAY_LISTEN', 'LOCALSTACK_VOLUME_DIR', 'DOCKER_SOCK', 'IMAGE_NAME'].sort()) {
      if (config.env[name] !== undefined) record[name] = config.env[name];
    }
    for (const [name, value] of Object.entries(config.env)) if (name.startsWith('LOCALSTACK_') && record[name] === undefined) record[name] = value;
    const derived = { endpoint: config.endpoint, containerName: config.containerName, image: config.image, volumeDir: config.volumeDir };
    const format = flags.format as Format;
    // machine-readable formats keep the two apart; the others list both
    if (format === 'json' || format === 'dict') this.log(renderRecord({ variables: record, derived }, format));
    else this.log(renderRecord({ ...record, ...Object.fromEntries(Object.entries(derived).map(([k, v]) => [`(${k})`, v])) }, format, ['Variable', 'Value']));
  }
}
