/**
 * The runtime in a Docker container, through dockerode: the image (built from this package
 * when missing or of another version), the container (created exactly as LocalStack's CLI
 * creates localstack-main), its logs and its end.
 *
 * PLACEHOLDER ON THIS BRANCH: the functions below are being written; every one fails with a
 * clear line until then. Not merged to main in this state.
 */
import type { CliConfig } from './config.js';
import { CliError } from './base-command.js';
import type { Progress } from './output.js';

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
}

export interface ContainerOptions {
  /** `-e KEY=VAL` */
  env: readonly string[];
  /** `-p HOST:CONTAINER` */
  publish: readonly string[];
  /** `-v SRC:DST` */
  volumes: readonly string[];
  /** --network (else MAIN_DOCKER_NETWORK) */
  network: string | undefined;
}

const notYet = (): never => {
  throw new CliError('Docker mode is not available in this build yet; use --host');
};

/** True when a Docker engine answers (a ping, with a short timeout). */
export async function dockerAvailable(_config: CliConfig): Promise<boolean> {
  return false;
}

/** The container named MAIN_CONTAINER_NAME, running or not. */
export async function findContainer(_config: CliConfig): Promise<ContainerInfo | undefined> {
  return undefined;
}

/** Builds the image if needed, creates and starts the container; resolves when it runs. */
export async function startContainer(_config: CliConfig, _options: ContainerOptions, _progress: Progress): Promise<ContainerInfo> {
  return notYet();
}

/** Stops (and so removes: auto-remove) the container; false when there was none. */
export async function stopContainer(_config: CliConfig): Promise<boolean> {
  return notYet();
}

/** Writes the container's logs (the last `tail` lines; then follows while it runs). */
export async function containerLogs(_config: CliConfig, _options: { follow: boolean; tail?: number }, _write: (text: string) => void, _signal?: AbortSignal): Promise<void> {
  return notYet();
}

/** Exit status of `docker exec -it <container> bash` (the ssh command). */
export async function shellInContainer(_config: CliConfig): Promise<number> {
  return notYet();
}

/**
 * A foreground start: prints the container's output until it stops; Ctrl-C (SIGINT) or
 * SIGTERM stop the container. Resolves with the container's exit code.
 */
export async function followContainer(_config: CliConfig): Promise<number> {
  return notYet();
}
