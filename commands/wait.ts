import { Flags } from '@oclif/core';
import { BaseCommand, CliError } from '../src/base-command.js';
import { containerLogs, dockerAvailable, findContainer } from '../src/docker.js';
import { readHostLog, runningHost } from '../src/host.js';

const READY = /^Ready\.\r?$/m;

export default class Wait extends BaseCommand {
  static override description = 'Wait until the runtime has printed `Ready.` (init hooks of ready.d done)';
  static override examples = ['<%= config.bin %> start -d && <%= config.bin %> wait -t 60'];
  static override flags = {
    timeout: Flags.integer({ char: 't', min: 0, description: 'give up after this many seconds (exit 1); default: wait forever' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Wait);
    const config = this.cliConfig(flags);
    const deadline = flags.timeout === undefined ? Infinity : Date.now() + flags.timeout * 1000;
    const docker = await dockerAvailable(config);
    for (;;) {
      if (await this.ready(config, docker)) return;
      if (Date.now() >= deadline) throw new CliError(`the runtime was not ready within ${flags.timeout} s`);
      await new Promise((r) => setTimeout(r, Math.min(200, Math.max(0, deadline - Date.now()))));
    }
  }

  private async ready(config: ReturnType<BaseCommand['cliConfig']>, docker: boolean): Promise<boolean> {
    if (runningHost(config)) return READY.test(readHostLog(config));
    if (!docker) return false;
    const container = await findContainer(config);
    if (!container?.running || !container.runtime) return false;
    let text = '';
    await containerLogs(config, { follow: false }, (t) => void (text += t));
    return READY.test(text);
  }
}
