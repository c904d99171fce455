import { Args } from '@oclif/core';
import { BaseCommand } from '../../src/base-command.js';
import { importState, runtimeEndpoint } from '../../src/state.js';

export default class StateImport extends BaseCommand {
  static override description = 'Load a state archive (from `state export`) into the running runtime: the services it holds get its state';
  static override examples = ['<%= config.bin %> state import state.zip'];
  static override args = {
    file: Args.string({ required: true, description: 'the archive to read' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(StateImport);
    const endpoint = await runtimeEndpoint(this.cliConfig(flags));
    const services = await importState(endpoint, args.file);
    this.log(`imported ${services.length > 0 ? services.join(', ') : 'no state'} from ${args.file}`);
  }
}
