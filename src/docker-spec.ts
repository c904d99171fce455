/**
 * What the runtime's container is created with, as data (no engine needed, so it is tested
 * directly): LocalStack's ports, mounts and environment, and `-p`/`-v` read as Docker reads them.
 */
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type Dockerode from 'dockerode';
import { CliError } from './base-command.js';
import { containerEnvironment, type CliConfig } from './config.js';
import { LABEL_VERSION } from './docker-image.js';

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

export const VOLUME_IN_CONTAINER = '/var/lib/localstack';
export const SOCKET_IN_CONTAINER = '/var/run/docker.sock';

export interface PortBinding {
  containerPort: string;
  hostIp: string;
  hostPort: string;
}

function portRange(text: string): number[] {
  if (!/^\d+(-\d+)?$/.test(text)) throw new Error('not a port');
  const [from, to = from] = text.split('-').map(Number) as [number, number?];
  if (from < 1 || to < from || to > 65535) throw new Error('bad range');
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** `-p` as Docker reads it: `[IP:][HOST:]CONTAINER[/PROTO]`, ports or equal-length ranges. */
export function parsePublish(spec: string): PortBinding[] {
  const [address, proto = 'tcp'] = spec.split('/') as [string, string?];
  let hostIp = '';
  let rest = address;
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(address);
  if (v6) [, hostIp, rest] = v6 as unknown as [string, string, string];
  const parts = rest.split(':');
  if (!v6 && parts.length === 3) hostIp = parts.shift()!;
  try {
    if (parts.length > 2 || !['tcp', 'udp', 'sctp'].includes(proto)) throw new Error('bad form');
    const container = portRange(parts.at(-1)!);
    const host = parts.length === 2 && parts[0] ? portRange(parts[0]) : undefined;
    if (host && host.length !== container.length) throw new Error('ranges differ');
    return container.map((port, i) => ({ containerPort: `${port}/${proto}`, hostIp, hostPort: host ? String(host[i]) : '' }));
  } catch {
    throw new CliError(`-p ${spec}: expected [IP:]HOST:CONTAINER[/udp] (ports or ranges of equal length)`);
  }
}

/** `-v SRC:DST[:MODE]`, with a relative or `~` source made absolute (a bare name is a named volume). */
export function parseVolume(spec: string): string {
  const parts = spec.split(':');
  if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1]) throw new CliError(`-v ${spec}: expected SRC:DST[:ro]`);
  let source = parts[0];
  if (source === '~' || source.startsWith('~/')) source = join(homedir(), source.slice(1));
  else if (source.startsWith('.') || source.includes('/')) source = resolve(source);
  return [source, ...parts.slice(1)].join(':');
}

/** EXTERNAL_SERVICE_PORTS_START/END (LocalStack's; end exclusive), default 4510-4559. */
export function externalPortRange(config: CliConfig): [number, number] {
  const start = Number(config.env.EXTERNAL_SERVICE_PORTS_START || 4510);
  const end = Number(config.env.EXTERNAL_SERVICE_PORTS_END || start + 50);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end <= start || end > 65536) {
    throw new CliError(`EXTERNAL_SERVICE_PORTS_START/END: ${start}-${end} is not a port range`);
  }
  return [start, end - 1];
}

/**
 * What the container is created with (pure, for tests): the gateway port and the external
 * service ports published on 127.0.0.1 (`-p` extras as Docker would publish them), the volume
 * folder and the Docker socket mounted, the forwarded configuration, the version label.
 */
export function containerCreateOptions(config: CliConfig, options: ContainerOptions, version: string): Dockerode.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  const publish = ({ containerPort, hostIp, hostPort }: PortBinding) => {
    exposed[containerPort] = {};
    const list = (bindings[containerPort] ??= []);
    if (!list.some((b) => b.HostIp === hostIp && b.HostPort === hostPort)) list.push({ HostIp: hostIp, HostPort: hostPort });
  };
  const port = config.gatewayPort;
  publish({ containerPort: `${port}/tcp`, hostIp: '127.0.0.1', hostPort: String(port) });
  const [first, last] = externalPortRange(config);
  for (let p = first; p <= last; p++) if (p !== port) publish({ containerPort: `${p}/tcp`, hostIp: '127.0.0.1', hostPort: String(p) });
  for (const spec of options.publish) for (const binding of parsePublish(spec)) publish(binding);
  const binds = [`${config.volumeDir}:${VOLUME_IN_CONTAINER}`];
  if (existsSync(config.dockerSocket) && statSync(config.dockerSocket).isSocket()) binds.push(`${config.dockerSocket}:${SOCKET_IN_CONTAINER}`);
  binds.push(...options.volumes.map(parseVolume));
  const env = containerEnvironment(config, options.env);
  return {
    name: config.containerName,
    Image: config.image,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Labels: { [LABEL_VERSION]: version },
    ExposedPorts: exposed,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    HostConfig: {
      AutoRemove: true,
      PortBindings: bindings,
      Binds: binds,
      ...(options.network ? { NetworkMode: options.network } : {}),
    },
  };
}
