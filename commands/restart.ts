import { BaseCommand, CliError } from '../src/base-command.js';
import { requestRestart, waitForHealth } from '../src/health.js';
import { progress } from '../src/output.js';
import { findRuntime } from '../src/runtime-target.js';

export default class Restart extends BaseCommand {
  static override description = 'Restart the services of the running runtime (their state starts over)';

  async run(): Promise<void> {
    const { flags } = await this.parse(Restart);
    const config = this.cliConfig(flags);
    const runtime = await findRuntime(config);
    if (!runtime) throw new CliError('the runtime is not running (localstack start)');
    const p = progress(`restarting ${runtime.name}`);
    if (!(await requestRestart(runtime.endpoint))) {
      p.fail('restart refused');
      throw new CliError(`the runtime at ${runtime.endpoint} did not accept the restart`);
    }
    if (!(await waitForHealth(runtime.endpoint, Date.now() + 30_000))) throw new CliError('the runtime did not come back within 30 s');
    p.succeed(`restarted ${runtime.name}`);
  }
}
