import { Args } from '@oclif/core';
import { BaseCommand } from '../../src/base-command.js';
import { resetState, runtimeEndpoint } from '../../src/state.js';

export default class StateReset extends BaseCommand {
  static override description = 'Empty the state of the running runtime: every service, or the ones named (their saved state too)';
  static override examples = ['<%= config.bin %> state reset', '<%= config.bin %> state reset ssm sts'];
  static override strict = false;
  static override args = {
    service: Args.string({ required: false, description: 'services to reset (default: all)' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(StateReset);
    const endpoint = await runtimeEndpoint(this.cliConfig(flags));
    const services = (argv as string[]).map((s) => s.toLowerCase());
    await resetState(endpoint, services);
    this.log(`reset the state of ${services.length > 0 ? services.join(', ') : 'every service'}`);
  }
}
