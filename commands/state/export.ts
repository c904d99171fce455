import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../src/base-command.js';
import { exportState, runtimeEndpoint } from '../../src/state.js';

export default class StateExport extends BaseCommand {
  static override description = 'Write the whole state of the running runtime (resources and files such as S3 bodies) to a zip archive';
  static override examples = ['<%= config.bin %> state export state.zip', '<%= config.bin %> state export ssm.zip --services ssm'];
  static override args = {
    file: Args.string({ required: true, description: 'the archive to write' }),
  };
  static override flags = {
    services: Flags.string({ description: 'only these services (comma-separated)' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(StateExport);
    const endpoint = await runtimeEndpoint(this.cliConfig(flags));
    const services = flags.services?.split(',').map((s) => s.trim()).filter(Boolean);
    const result = await exportState(endpoint, args.file, services);
    this.log(`exported ${result.services.length > 0 ? result.services.join(', ') : 'no state'} to ${args.file} (${result.bytes} bytes)`);
  }
}
