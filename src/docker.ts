/**
 * The runtime in a Docker container, through dockerode: the image (built from this package
 * when missing or of another version, docker-image.ts), the container (created as LocalStack's
 * CLI creates localstack-main: auto-remove, ports on 127.0.0.1, the volume folder and the
 * Docker socket mounted, the configuration forwarded), its logs, its end, a shell in it.
 *
 * A container is the runtime's only when it is of our image (its title label); another
 * program's container under the same name is never stopped or reported as the runtime.
 * The last run's log outlives the auto-removed container: the runtime copies its output to
 * /var/lib/localstack/logs/localstack.log (LS_LOG_FILE, set by the image), which is
 * <volumeDir>/logs/localstack.log here, where host mode keeps its log too.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type Dockerode from 'dockerode';
import { CliError } from './base-command.js';
import type { CliConfig } from './config.js';
import { buildImage, ensureImage, IMAGE_TITLE, type BuiltImage, LABEL_TITLE, LABEL_VERSION, packageVersion } from './docker-image.js';
import { containerCreateOptions, type ContainerOptions } from './docker-spec.js';
import { demultiplexer, ended, Tail } from './docker-streams.js';
import { engineGet } from './engine.js';
import { waitForHealth } from './health.js';
import { timedPhase, type Progress } from './output.js';

export type { ContainerOptions } from './docker-spec.js';

export interface ContainerInfo {
  id: string;
  name: string;
  image: string;
  /** The runtime version (image label). */
  version: string | undefined;
  running: boolean;
  startedAt: Date | undefined;
  /** The container's address on its network. */
  ip: string | undefined;
  /** Of our image: the runtime, not some other program's container under that name. */
  runtime: boolean;
}

/** How long the runtime may take to answer once its container runs (it needs ~0.1 s). */
const HEALTH_TIMEOUT_MS = 60_000;

const clients = new Map<string, Dockerode>();

/** dockerode on DOCKER_SOCK, imported on first use (it weighs ~100 ms of start-up). */
async function client(config: CliConfig): Promise<Dockerode> {
  let docker = clients.get(config.dockerSocket);
  if (!docker) {
    const { default: Docker } = await import('dockerode');
    docker = new Docker({ socketPath: config.dockerSocket });
    clients.set(config.dockerSocket, docker);
  }
  return docker;
}

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}

/** The engine's own message ("port is already allocated"), not dockerode's wrapping of it. */
function messageOf(error: unknown): string {
  const e = error as { json?: { message?: string }; message?: string };
  return (e.json?.message ?? e.message ?? String(error)).trim();
}

export { dockerAvailable } from './engine.js';

async function inspect(config: CliConfig): Promise<{ info: ContainerInfo; raw: Dockerode.ContainerInspectInfo } | undefined> {
  let raw: Dockerode.ContainerInspectInfo;
  try {
    const r = await engineGet(config, `/containers/${encodeURIComponent(config.containerName)}/json`, 10_000);
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new Error((JSON.parse(r.body) as { message?: string }).message ?? `HTTP ${r.status}`);
    raw = JSON.parse(r.body) as Dockerode.ContainerInspectInfo;
  } catch (error) {
    throw new CliError(`Docker: cannot look up the container ${config.containerName}: ${messageOf(error)}`);
  }
  // the engine also matches id prefixes; only the name counts here
  if (raw.Name !== `/${config.containerName}`) return undefined;
  const labels = raw.Config.Labels ?? {};
  const networks = Object.values(raw.NetworkSettings.Networks ?? {});
  const info: ContainerInfo = {
    id: raw.Id,
    name: config.containerName,
    image: raw.Config.Image,
    version: labels[LABEL_VERSION],
    running: raw.State.Running,
    startedAt: raw.State.Running && raw.State.StartedAt ? new Date(raw.State.StartedAt) : undefined,
    ip: (raw.NetworkSettings as { IPAddress?: string }).IPAddress || networks.find((n) => n.IPAddress)?.IPAddress || undefined,
    runtime: labels[LABEL_TITLE] === IMAGE_TITLE,
  };
  return { info, raw };
}

/** The container named MAIN_CONTAINER_NAME, running or not, ours or not (see `runtime`). */
export async function findContainer(config: CliConfig): Promise<ContainerInfo | undefined> {
  return (await inspect(config))?.info;
}

/** Every line of an image build's output, on stderr: with --debug (DEBUG=1), else none. */
function rawBuildOutput(config: CliConfig): ((line: string) => void) | undefined {
  return config.debug ? (line) => void process.stderr.write(`${line}\n`) : undefined;
}

/** `localstack image build`: builds the configured image (and its `:latest`) on purpose. */
export async function buildRuntimeImage(config: CliConfig, options: { progress: Progress; noCache: boolean }): Promise<BuiltImage> {
  return buildImage(await client(config), config.image, { ...options, raw: rawBuildOutput(config) });
}

/**
 * Builds the image if needed, creates and starts the container; resolves once the runtime
 * answers /_localstack/health, and fails (with its last lines) if the container ends first.
 */
export async function startContainer(config: CliConfig, options: ContainerOptions, progress: Progress): Promise<ContainerInfo> {
  const docker = await client(config);
  const name = config.containerName;
  const alreadyThere = (state: string) =>
    new CliError(`a container named ${name} already exists (${state}); remove it (docker rm -f ${name}) or choose another name with MAIN_CONTAINER_NAME`);
  const existing = await findContainer(config);
  if (existing) throw alreadyThere(existing.running ? 'running' : 'stopped');

  await ensureImage(docker, config.image, progress, { raw: rawBuildOutput(config) });
  mkdirSync(config.volumeDir, { recursive: true });
  const createOptions = containerCreateOptions(config, options, packageVersion());
  progress.phase(`creating container ${name} (${config.image})`);
  let container: Dockerode.Container;
  try {
    container = await docker.createContainer(createOptions);
  } catch (error) {
    if (statusOf(error) === 409) throw alreadyThere('created just now by someone else');
    throw new CliError(`cannot create the container ${name}: ${messageOf(error)}`);
  }

  // attached before it starts, so that a runtime that dies at once still leaves its last lines
  const tail = new Tail();
  const output = await container.attach({ stream: true, stdout: true, stderr: true, logs: true });
  output.on('data', demultiplexer((text) => tail.push(text)));
  const waiting = new AbortController();
  let exitCode: number | undefined;
  const exited = container
    .wait({ condition: 'next-exit', abortSignal: waiting.signal })
    .then((r: { StatusCode?: number }) => (exitCode = r.StatusCode ?? 1))
    .catch(() => (exitCode ??= waiting.signal.aborted ? undefined : 1));
  const release = () => {
    waiting.abort();
    (output as unknown as { destroy(): void }).destroy();
  };

  try {
    progress.phase(`starting container ${name}`);
    try {
      await container.start();
    } catch (error) {
      // a container that never started is not auto-removed
      await container.remove({ force: true }).catch(() => undefined);
      const message = messageOf(error);
      const hint = /port is already allocated|address already in use/i.test(message) ? ' (a port is taken: stop what uses it, or change GATEWAY_LISTEN / EXTERNAL_SERVICE_PORTS_START)' : '';
      throw new CliError(`cannot start the container ${name}: ${message}${hint}`);
    }
    const started = Date.now();
    const endPhase = timedPhase(progress, () => `waiting for the runtime in ${name} to answer at ${config.endpoint}/_localstack/health`, started);
    let health;
    try {
      health = await waitForHealth(config.endpoint, started + HEALTH_TIMEOUT_MS, () => exitCode === undefined);
    } finally {
      endPhase();
    }
    if (!health) {
      if (exitCode === undefined) {
        await container.stop({ t: 1 }).catch(() => undefined);
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      }
      await ended(output, 1000);
      const last = tail.lines(15);
      const what = exitCode === undefined ? `did not answer at ${config.endpoint} within ${HEALTH_TIMEOUT_MS / 1000} s and was stopped` : `exited during start (exit code ${exitCode})`;
      throw new CliError(`the runtime in ${name} ${what}${last ? `; its last lines:\n${last}` : ''}`);
    }
  } finally {
    release();
  }
  const now = await inspect(config);
  if (!now) throw new CliError(`the container ${name} is gone right after it started; see localstack logs`);
  return now.info;
}

/** Seconds a stop waits (docker stop, a host runtime asked to stop): the runtime drains requests for SHUTDOWN_TIMEOUT (10 s), then runs its shutdown hooks. */
export function stopGrace(config: CliConfig): number {
  const drain = Number(config.env.SHUTDOWN_TIMEOUT || 10);
  return (Number.isFinite(drain) && drain >= 0 ? drain : 10) + 5;
}

/**
 * Stops the runtime's container and resolves once the engine has removed it (auto-remove), so
 * that a start right after finds the name free; false when there was none.
 */
export async function stopContainer(config: CliConfig): Promise<boolean> {
  const found = await inspect(config);
  if (!found?.info.runtime) return false;
  const docker = await client(config);
  const container = docker.getContainer(found.info.id);
  const autoRemove = Boolean(found.raw.HostConfig.AutoRemove);
  const removed = autoRemove ? container.wait({ condition: 'removed' }).catch(() => undefined) : Promise.resolve();
  try {
    if (found.info.running) await container.stop({ t: stopGrace(config) });
    else if (autoRemove) await container.remove({ force: true });
  } catch (error) {
    // 304: stopped meanwhile; 404: removed meanwhile
    if (statusOf(error) !== 304 && statusOf(error) !== 404) throw new CliError(`cannot stop the container ${config.containerName}: ${messageOf(error)}`);
  }
  await Promise.race([removed, new Promise((r) => setTimeout(r, 10_000).unref())]);
  return true;
}

/**
 * Writes the container's logs (the last `tail` lines; then, with `follow`, what comes until
 * the container stops or `signal` aborts). Fails when there is no such container.
 */
export async function containerLogs(
  config: CliConfig,
  options: { follow: boolean; tail?: number },
  write: (text: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  const found = await inspect(config);
  if (!found) throw new CliError(`there is no container named ${config.containerName}`);
  const container = (await client(config)).getContainer(found.info.id);
  const tty = Boolean(found.raw.Config.Tty);
  const tail = options.tail === undefined ? {} : { tail: options.tail }; // the engine's default is all
  const decode = tty ? (chunk: Buffer) => write(chunk.toString('utf8')) : demultiplexer((text) => write(text));
  try {
    if (!options.follow || !found.info.running) {
      decode(await container.logs({ stdout: true, stderr: true, follow: false, ...tail }));
      return;
    }
    const stream = await container.logs({ stdout: true, stderr: true, follow: true, ...tail });
    stream.on('data', decode);
    const onAbort = () => (stream as unknown as { destroy(): void }).destroy();
    signal?.addEventListener('abort', onAbort, { once: true });
    await ended(stream, 2 ** 31 - 1);
    signal?.removeEventListener('abort', onAbort);
  } catch (error) {
    if (statusOf(error) === 404) return; // removed meanwhile: the log file has the rest
    throw new CliError(`cannot read the logs of ${config.containerName}: ${messageOf(error)}`);
  }
}

/** The docker CLI on PATH, if any. */
function dockerCli(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'docker');
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const SHELL = ['sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi'];

/**
 * Exit status of an interactive shell (bash, else sh) in the container: `docker exec -it` when
 * the docker CLI is installed (it handles the terminal best), else an exec through the API with
 * stdin, stdout and the terminal size passed along.
 */
export async function shellInContainer(config: CliConfig): Promise<number> {
  const found = await inspect(config);
  if (!found?.info.running || !found.info.runtime) throw new CliError(`the runtime's container ${config.containerName} is not running (localstack start)`);
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const cli = dockerCli();
  if (cli) {
    const { execa } = await import('execa');
    const host = isAbsolute(config.dockerSocket) ? `unix://${config.dockerSocket}` : config.dockerSocket;
    const r = await execa(cli, ['exec', tty ? '-it' : '-i', found.info.id, ...SHELL], { stdio: 'inherit', reject: false, env: { DOCKER_HOST: host } });
    return r.exitCode ?? 1;
  }
  const container = (await client(config)).getContainer(found.info.id);
  const exec = await container.exec({ Cmd: SHELL, AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: tty });
  const stream = await exec.start({ hijack: true, stdin: true, Tty: tty });
  const stdin = process.stdin;
  const resize = () => void exec.resize({ h: process.stdout.rows, w: process.stdout.columns }).catch(() => undefined);
  if (tty) {
    stdin.setRawMode(true);
    resize();
    process.stdout.on('resize', resize);
    stream.on('data', (chunk: Buffer) => process.stdout.write(chunk));
  } else {
    stream.on('data', demultiplexer((text, which) => (which === 'stderr' ? process.stderr : process.stdout).write(text)));
  }
  stdin.pipe(stream);
  await ended(stream, 2 ** 31 - 1);
  stdin.unpipe(stream);
  stdin.pause();
  if (tty) {
    stdin.setRawMode(false);
    process.stdout.off('resize', resize);
  }
  return (await exec.inspect()).ExitCode ?? 1;
}

/**
 * A foreground start: prints the container's output (from its start) until it stops; Ctrl-C
 * (SIGINT) or SIGTERM stop the container, a second Ctrl-C kills it. Resolves with the
 * container's exit code.
 *
 * The signal handlers are in place from the first line, before anything is awaited: called
 * right after the container started, there is no moment in which Ctrl-C would kill the CLI
 * and leave the container running unattended. A signal that comes while the container is
 * being found stops it as soon as it is.
 */
export async function followContainer(config: CliConfig): Promise<number> {
  let signals = 0;
  let container: Dockerode.Container | undefined;
  const stop = () => void container?.stop({ t: stopGrace(config) }).catch(() => undefined);
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      process.stderr.write(`\n${signal}: stopping ${config.containerName}\n`);
      stop();
    } else if (container) {
      void container.kill().catch(() => undefined);
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const found = await inspect(config);
    if (!found) return 1;
    container = (await client(config)).getContainer(found.info.id);
    if (signals > 0) stop();
    // 'not-running' answers at once for a container that has already stopped (not yet removed)
    const exit = container.wait({ condition: 'not-running' }).then(
      (r: { StatusCode?: number }) => r.StatusCode ?? 1,
      () => 1,
    );
    const output = await container.attach({ stream: true, stdout: true, stderr: true, logs: true });
    output.on('data', demultiplexer((text, which) => (which === 'stderr' ? process.stderr : process.stdout).write(text)));
    try {
      const code = await exit;
      await ended(output, 2000);
      return code;
    } finally {
      (output as unknown as { destroy(): void }).destroy();
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
