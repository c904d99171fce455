import { BaseCommand, CliError } from '../src/base-command.js';
import { dockerAvailable, shellInContainer } from '../src/docker.js';
import { runningHost } from '../src/host.js';

export default class Ssh extends BaseCommand {
  static override description = "Open a shell (bash, else sh) in the runtime's container (Docker mode only)";
  static override examples = ['<%= config.bin %> ssh'];

  async run(): Promise<void> {
    const { flags } = await this.parse(Ssh);
    const config = this.cliConfig(flags);
    const host = runningHost(config);
    if (host) throw new CliError(`ssh opens a shell in the runtime's container, and the runtime runs as a process on this machine (pid ${host.pid}); it has no container`);
    if (!(await dockerAvailable(config))) throw new CliError(`no Docker engine answers (socket ${config.dockerSocket}); ssh needs the runtime in a container`);
    const code = await shellInContainer(config);
    if (code !== 0) this.exit(code);
  }
}
