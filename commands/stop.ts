import { BaseCommand, CliError } from '../src/base-command.js';
import { stopContainer } from '../src/docker.js';
import { stopHost } from '../src/host.js';
import { progress } from '../src/output.js';
import { findRuntime } from '../src/runtime-target.js';

export default class Stop extends BaseCommand {
  static override description = 'Stop the runtime (container or host process); it drains in-flight requests first';

  async run(): Promise<void> {
    const { flags } = await this.parse(Stop);
    const config = this.cliConfig(flags);
    const runtime = await findRuntime(config);
    if (!runtime) throw new CliError(`the runtime is not running (no host process, no runtime container named ${config.containerName})`);
    const p = progress(`stopping ${runtime.name}`);
    if (runtime.mode === 'host') await stopHost(config);
    else await stopContainer(config);
    p.succeed(`stopped ${runtime.name}`);
  }
}
