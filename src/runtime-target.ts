/**
 * One view of "the runtime" for the commands that act on it (status, stop, logs, wait), in
 * whichever form it runs: the host process this volume folder records, or the container
 * named MAIN_CONTAINER_NAME.
 */
import type { CliConfig } from './config.js';
import { dockerAvailable, findContainer } from './docker.js';
import { runningHost } from './host.js';

export type Mode = 'docker' | 'host';

export interface RunningRuntime {
  mode: Mode;
  /** Container name, or `host process <pid>`. */
  name: string;
  version: string | undefined;
  /** The image (Docker only). */
  image: string | undefined;
  /** The URL the runtime answers at from this machine. */
  endpoint: string;
  /** The container's IP (Docker) or the process id (host). */
  ip: string | undefined;
  pid: number | undefined;
  startedAt: Date | undefined;
}

/** The runtime this configuration points at, if one runs (the host process first). */
export async function findRuntime(config: CliConfig): Promise<RunningRuntime | undefined> {
  const host = runningHost(config);
  if (host) {
    return {
      mode: 'host',
      name: `host process ${host.pid}`,
      version: host.version,
      image: undefined,
      endpoint: host.endpoint,
      ip: undefined,
      pid: host.pid,
      startedAt: new Date(host.startedAt),
    };
  }
  if (!(await dockerAvailable(config))) return undefined;
  const c = await findContainer(config);
  if (!c?.running || !c.runtime) return undefined; // another program's container of that name is not ours
  return { mode: 'docker', name: c.name, version: c.version, image: c.image, endpoint: config.endpoint, ip: c.ip, pid: undefined, startedAt: c.startedAt };
}

/** `1h 2m 3s` */
export function formatUptime(since: Date | undefined, now = Date.now()): string {
  if (!since) return 'unknown';
  let s = Math.max(0, Math.floor((now - since.getTime()) / 1000));
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return h > 0 ? `${h}h ${m}m ${s}s` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}
