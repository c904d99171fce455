import { Flags } from '@oclif/core';
import { connect } from 'node:net';
import { BaseCommand, CliError } from '../src/base-command.js';
import type { CliConfig } from '../src/config.js';
import { dockerAvailable, findContainer, followContainer, startContainer, stopContainer, stopGrace } from '../src/docker.js';
import { waitForHealth } from '../src/health.js';
import { forgetHost, hostAlive, hostEnvironment, readHostLog, startHost, stopHost } from '../src/host.js';
import { colors, interactive, progress, timedPhase, type Progress } from '../src/output.js';
import { failedHookLines, waitForReadyHooks } from '../src/ready-hooks.js';
import { findRuntime, type RunningRuntime } from '../src/runtime-target.js';

/** How long a start may take before the CLI gives up (the runtime needs ~0.1 s, an image build more). */
const START_TIMEOUT_MS = 60_000;

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export default class Start extends BaseCommand {
  static override description = 'Start the runtime: in a Docker container (default when an engine answers) or as a process on this machine';
  static override examples = ['<%= config.bin %> start -d', '<%= config.bin %> start --host', '<%= config.bin %> start -e SERVICES=s3,sqs -d'];
  static override flags = {
    docker: Flags.boolean({ description: 'run in a Docker container', exclusive: ['host'] }),
    host: Flags.boolean({ description: 'run as a process on this machine', exclusive: ['docker'] }),
    detached: Flags.boolean({ char: 'd', description: 'start in the background and return once it answers' }),
    network: Flags.string({ description: 'Docker network to attach the container to (MAIN_DOCKER_NETWORK)' }),
    env: Flags.string({ char: 'e', multiple: true, default: [], description: 'KEY=VALUE for the runtime (repeatable)' }),
    publish: Flags.string({ char: 'p', multiple: true, default: [], description: 'HOST:CONTAINER port to publish as well (repeatable, Docker)' }),
    volume: Flags.string({ char: 'v', multiple: true, default: [], description: 'SRC:DST to mount as well (repeatable, Docker)' }),
    'no-banner': Flags.boolean({ description: 'print no banner' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Start);
    const config = this.cliConfig(flags);
    const docker = flags.host ? false : await dockerAvailable(config);
    if (flags.docker && !docker) throw new CliError(`no Docker engine answers (socket ${config.dockerSocket}); start Docker, or use --host`);
    const mode = flags.host || !docker ? 'host' : 'docker';
    if (!flags.host && !flags.docker && mode === 'host') this.logToStderr('no Docker engine answers: starting the runtime as a process on this machine (--docker to insist)');

    const running = await findRuntime(config);
    if (running) {
      if (flags.detached) {
        this.log(`already running: ${running.name} at ${running.endpoint}`);
        return;
      }
      await this.offerToStop(config, running);
    } else if (await portInUse(config.gatewayPort)) {
      throw new CliError(`port ${config.gatewayPort} is already in use by another program; stop it, or choose another port with GATEWAY_LISTEN`);
    }
    if (mode === 'host') await this.startOnHost(config, flags);
    else await this.startInDocker(config, flags);
  }

  /** An instance already runs and a foreground start was asked: stop it first, if the user says so. */
  private async offerToStop(config: CliConfig, running: RunningRuntime): Promise<void> {
    const message = `the runtime already runs (${running.name} at ${running.endpoint})`;
    if (!interactive() || !process.stdin.isTTY) throw new CliError(`${message}; stop it first (localstack stop)`);
    const { default: inquirer } = await import('inquirer'); // only a terminal ever gets here
    const { stop } = await inquirer.prompt<{ stop: boolean }>([{ type: 'confirm', name: 'stop', message: `${message}. Stop it and start again?`, default: false }]);
    if (!stop) throw new CliError(message);
    if (running.mode === 'host') await stopHost(config);
    else await stopContainer(config);
  }

  /** Detached: waits for the ready stage (ready.d hooks), naming the hook that runs; failed ones become lines. */
  private async readyHooks(config: CliConfig, p: Progress, alive: () => boolean | Promise<boolean>): Promise<void> {
    let stage;
    try {
      stage = await waitForReadyHooks(config.endpoint, p, alive);
    } catch (error) {
      p.fail('the runtime did not get ready');
      throw error;
    }
    for (const line of stage ? failedHookLines(stage) : []) p.note(`warning: ${line}`);
  }

  private banner(flags: { 'no-banner': boolean }, where: string, endpoint: string): void {
    if (flags['no-banner']) return;
    const c = colors();
    this.log(`${c.bold('LocalStack')} (TypeScript) ${this.config.version} ${c.dim('—')} ready at ${c.cyan(endpoint)} ${c.dim(`(${where})`)}`);
  }

  private async startOnHost(config: CliConfig, flags: { detached: boolean; env: string[]; publish: string[]; volume: string[]; network?: string; 'no-banner': boolean }): Promise<void> {
    if (flags.publish.length || flags.volume.length || flags.network) this.logToStderr('-p, -v and --network apply to Docker only: ignored on the host');
    const env = hostEnvironment(config, flags.env);
    const p = flags.detached ? progress('starting the runtime on this machine') : undefined;
    const { child, record } = startHost(config, { detached: flags.detached, env, version: this.config.version });
    // in the foreground the runtime shares the terminal: Ctrl-C reaches it through the process
    // group, and a SIGTERM sent to the CLI is passed on, from the spawn on (one that came
    // before the runtime answered would otherwise end the CLI and leave the runtime running)
    let stopAsked = false;
    const forward = () => {
      stopAsked = true;
      child.kill('SIGTERM');
    };
    const ignore = () => void (stopAsked = true); // the child gets Ctrl-C itself and drains
    const release = () => {
      process.off('SIGTERM', forward);
      process.off('SIGINT', ignore);
    };
    if (!flags.detached) {
      process.on('SIGTERM', forward);
      process.on('SIGINT', ignore);
    }
    let exited = false;
    const exit = new Promise<number>((resolve) =>
      child.once('exit', (code, signal) => {
        exited = true;
        resolve(code ?? (signal ? 128 : 1));
      }),
    );
    const endPhase = p ? timedPhase(p, () => `waiting for the runtime (process ${record.pid}) to answer at ${config.endpoint}/_localstack/health`) : () => undefined;
    const health = await waitForHealth(config.endpoint, Date.now() + START_TIMEOUT_MS, () => !exited && hostAlive(record.pid));
    endPhase();
    if (!health && !stopAsked) {
      release();
      p?.fail('the runtime did not start');
      if (!exited) child.kill('SIGKILL');
      forgetHost(config, record.pid);
      const tail = flags.detached ? readHostLog(config, 15).trimEnd() : '';
      throw new CliError(`the runtime exited during start${tail ? `; its last lines:\n${tail}` : ''}`);
    }
    if (health && p) await this.readyHooks(config, p, () => !exited && hostAlive(record.pid));
    if (health) {
      p?.succeed(`runtime started (process ${record.pid}, log ${config.volumeDir}/logs/localstack.log)`);
      this.banner(flags, `host process ${record.pid}`, config.endpoint);
      if (flags.detached) return;
    }
    // in the foreground until the runtime ends. One stopped on request before this process saw
    // it answer (it may have printed Ready. already) ends here too: a stop, not a failed start
    // (and one that hangs after the signal it was given is killed)
    const kill = health ? undefined : setTimeout(() => child.kill('SIGKILL'), stopGrace(config) * 1000);
    const code = await exit;
    clearTimeout(kill);
    release();
    forgetHost(config, record.pid);
    if (code !== 0) this.exit(code);
  }

  private async startInDocker(config: CliConfig, flags: { detached: boolean; env: string[]; publish: string[]; volume: string[]; network?: string; 'no-banner': boolean }): Promise<void> {
    // --debug passes an image build's own output through: plain lines, no spinner to tear apart
    const p = progress(`starting container ${config.containerName}`, { plain: config.debug });
    // a foreground start interrupted while the container starts (or its image builds) stops
    // the container once it has started, instead of leaving it running unattended; a second
    // signal quits at once. followContainer handles signals from then on.
    let interrupted: NodeJS.Signals | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      if (interrupted) process.exit(130);
      interrupted = signal;
      this.logToStderr(`${signal}: stopping ${config.containerName} once it has started (again to quit now)`);
    };
    if (!flags.detached) {
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    }
    let container;
    try {
      container = await startContainer(config, { env: flags.env, publish: flags.publish, volumes: flags.volume, network: flags.network ?? config.network }, p);
    } catch (error) {
      p.fail(`the runtime did not start in ${config.containerName}`);
      throw error;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    if (interrupted) {
      p.stop();
      await stopContainer(config);
      throw new CliError(`interrupted (${interrupted}) while starting: ${config.containerName} stopped`, 130);
    }
    // detached, the start is done once the ready hooks are; in the foreground their output
    // follows as it comes. From here to followContainer's first line is one synchronous
    // stretch, so a signal is always handled: by onSignal above while starting, by
    // followContainer from then on
    if (flags.detached) await this.readyHooks(config, p, async () => Boolean((await findContainer(config))?.running));
    p.succeed(`container ${container.name} started (${container.image})`);
    this.banner(flags, `container ${container.name}`, config.endpoint);
    if (!flags.detached) this.exit(await followContainer(config));
  }
}
