import { Flags } from '@oclif/core';
import { resolve } from 'node:path';
import { BaseCommand, CliError } from '../../src/base-command.js';
import { checkCompose, checkComposeImage, ComposeError, composeCommand, loadCompose } from '../../src/compose.js';
import { IMAGE_REPOSITORY } from '../../src/config.js';
import { imagePresent } from '../../src/engine.js';
import { colors } from '../../src/output.js';

export default class ConfigValidate extends BaseCommand {
  static override description = `Check a Docker Compose file that runs the emulator

The checks of LocalStack's CLI: the file parses (with \`docker compose config\` when Compose
is installed, else read here with Compose's interpolation); exactly one service runs
${IMAGE_REPOSITORY} (any tag); its container_name is MAIN_CONTAINER_NAME (default
localstack-main) or it sets MAIN_CONTAINER_NAME; it publishes the gateway port (4566, or
GATEWAY_LISTEN's). And, when a Docker engine answers, that the image is in it: no registry
serves ${IMAGE_REPOSITORY} (\`localstack image build\` makes it). Each finding is one line;
exit 0 only when there is none.`;

  static override examples = ['<%= config.bin %> config validate', '<%= config.bin %> config validate -f compose/localstack.yml'];
  static override flags = {
    file: Flags.string({ char: 'f', default: 'docker-compose.yml', description: 'the compose file' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ConfigValidate);
    const config = this.cliConfig(flags);
    const file = resolve(flags.file);
    let loaded;
    try {
      loaded = await loadCompose(file, config.env, await composeCommand(config.env), flags.file);
    } catch (error) {
      if (error instanceof ComposeError) throw new CliError(error.message);
      throw error;
    }
    if (flags.debug) this.logToStderr(`read ${flags.file} with ${loaded.parser}`);
    const findings = checkCompose(loaded.data, { containerName: config.containerName, file, env: config.env });
    findings.push(...(await checkComposeImage(loaded.data, this.config.version, (ref) => imagePresent(config, ref))));
    const c = colors();
    for (const finding of findings) this.log(`${finding.level === 'error' ? c.red('error') : c.yellow('warning')}: ${finding.message}`);
    if (findings.length > 0) throw new CliError(`${flags.file} is not valid: ${countOf(findings, 'error')}, ${countOf(findings, 'warning')}`);
    this.log(`${flags.file} is valid`);
  }
}

function countOf(findings: ReadonlyArray<{ level: string }>, level: 'error' | 'warning'): string {
  const n = findings.filter((f) => f.level === level).length;
  return `${n} ${level}${n === 1 ? '' : 's'}`;
}
