import { Flags } from '@oclif/core';
import { BaseCommand, CliError } from '../../src/base-command.js';
import { buildRuntimeImage, dockerAvailable } from '../../src/docker.js';
import { PACKAGE_ROOT } from '../../src/docker-image.js';
import { progress } from '../../src/output.js';

export default class ImageBuild extends BaseCommand {
  static override description = `Build the runtime's Docker image from this package

Tags it localstack-ts/localstack:<version> (what \`start\` runs) and localstack-ts/localstack:latest (what compose files and testcontainers name); with IMAGE_NAME, that name instead (and its :latest beside a version tag). No registry serves this image: this command, or the first \`start\`, makes it.

Unchanged steps come from the engine's cache; the steps show as they run (one line each when not on a terminal, the build's own output with --debug). The tags made are printed on stdout, one a line.`;

  static override examples = ['<%= config.bin %> image build', 'IMAGE_NAME=localstack-ts/localstack:dev <%= config.bin %> image build', '<%= config.bin %> image build --no-cache'];
  static override flags = {
    'no-cache': Flags.boolean({ description: 'build every step afresh (docker build --no-cache)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ImageBuild);
    const config = this.cliConfig(flags);
    if (!(await dockerAvailable(config))) throw new CliError(`no Docker engine answers (socket ${config.dockerSocket}); start Docker`);
    // --debug passes the build's own output through: plain lines, no spinner to tear apart
    const p = progress(`building image ${config.image} from ${PACKAGE_ROOT}`, { plain: config.debug });
    let built;
    try {
      built = await buildRuntimeImage(config, { progress: p, noCache: flags['no-cache'] });
    } catch (error) {
      p.fail('the image build failed');
      throw error;
    }
    p.stop();
    // stdout: the tags made, one a line, for scripts (`docker run $(localstack image build | head -1)`)
    for (const tag of built.tags) this.log(tag);
  }
}
