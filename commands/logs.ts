import { Flags } from '@oclif/core';
import { BaseCommand, CliError } from '../src/base-command.js';
import { containerLogs, dockerAvailable, findContainer } from '../src/docker.js';
import { followHostLog, hostAlive, hostFiles, hostLogSize, readHostLog, runningHost } from '../src/host.js';
import { existsSync } from 'node:fs';

export default class Logs extends BaseCommand {
  static override description = "The runtime's log: of the container, of the host process, or of the last run when neither runs";
  static override examples = ['<%= config.bin %> logs', '<%= config.bin %> logs -f', '<%= config.bin %> logs -n 50'];
  static override flags = {
    follow: Flags.boolean({ char: 'f', description: 'keep printing new lines until the runtime stops (or Ctrl-C)' }),
    tail: Flags.integer({ char: 'n', min: 0, description: 'only the last N lines' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Logs);
    const config = this.cliConfig(flags);
    const write = (text: string) => void process.stdout.write(text);
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    try {
      const host = runningHost(config);
      // a container of ours, running or stopped; once it is gone, the log file of its last run
      if (!host && (await dockerAvailable(config)) && (await findContainer(config))?.runtime) {
        await containerLogs(config, { follow: flags.follow, tail: flags.tail }, write, abort.signal);
        return;
      }
      if (!host && !existsSync(hostFiles(config).log)) throw new CliError(`no logs: the runtime is not running and has no log under ${config.volumeDir}`);
      const from = hostLogSize(config);
      write(readHostLog(config, flags.tail));
      if (flags.follow && host) await followHostLog(config, from, write, () => hostAlive(host.pid), abort.signal);
    } finally {
      process.off('SIGINT', onSigint);
    }
  }
}
