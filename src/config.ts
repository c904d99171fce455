/**
 * The CLI's configuration: the environment, plus the profile files of `--profile NAME`
 * (`~/.localstack/NAME.env`, and `default.env` when it exists), read with LocalStack's
 * variable names. Variables set in the environment win over the profile's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseListenAddress } from '../runtime/config.js';
import { defaultImage } from './image-name.js';

/** Where profiles live (LocalStack's CONFIG_DIR). */
export function profileDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.CONFIG_DIR || join(env.HOME || homedir(), '.localstack');
}

/** `KEY=VALUE` lines; `#` comments, blank lines, `export ` and quotes allowed. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new Error(`not a KEY=VALUE line: ${line.slice(0, 60)}`);
    let value = m[2]!;
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2]!;
    else value = value.replace(/\s+#.*$/, '');
    out[m[1]!] = value;
  }
  return out;
}

/** The profile's variables; a named profile that does not exist is an error. */
export function loadProfile(name: string | undefined, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const dir = profileDir(env);
  const files = [join(dir, 'default.env')].filter((f) => existsSync(f));
  if (name) {
    const file = join(dir, `${name}.env`);
    if (!existsSync(file)) throw new Error(`profile '${name}' not found: ${file} does not exist`);
    files.push(file);
  }
  const vars: Record<string, string> = {};
  for (const file of files) {
    try {
      Object.assign(vars, parseEnvFile(readFileSync(file, 'utf8')));
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`);
    }
  }
  return vars;
}

export interface CliConfig {
  /** The environment the CLI acts with: profile values under the process environment. */
  readonly env: Readonly<Record<string, string>>;
  /** GATEWAY_LISTEN as given (default 127.0.0.1:4566 on a host, 0.0.0.0:4566 in the container). */
  readonly gatewayListen: string;
  /** The port the gateway answers on (the first GATEWAY_LISTEN address). */
  readonly gatewayPort: number;
  /** The URL this machine reaches the runtime at. */
  readonly endpoint: string;
  /** MAIN_CONTAINER_NAME, default localstack-main. */
  readonly containerName: string;
  /** MAIN_DOCKER_NETWORK, if any. */
  readonly network: string | undefined;
  /** LOCALSTACK_VOLUME_DIR on the host (default ~/.cache/localstack/volume). */
  readonly volumeDir: string;
  /** DOCKER_SOCK, default /var/run/docker.sock. */
  readonly dockerSocket: string;
  /** IMAGE_NAME, default our image at this version. */
  readonly image: string;
  readonly debug: boolean;
}

/** Our image; `localstack/localstack` is LocalStack's, which needs an account token since 2026-03. */
export { IMAGE_REPOSITORY } from './image-name.js';

export function loadCliConfig(options: { profile?: string; debug?: boolean; env?: NodeJS.ProcessEnv; version: string }): CliConfig {
  const processEnv = options.env ?? process.env;
  const env: Record<string, string> = { ...loadProfile(options.profile, processEnv) };
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined) env[k] = v;
  if (options.debug) env.DEBUG = '1';
  const gatewayListen = env.GATEWAY_LISTEN || '127.0.0.1:4566';
  const first = parseListenAddress(gatewayListen.split(',')[0]!, '127.0.0.1');
  const host = first.host === '0.0.0.0' || first.host === '::' ? '127.0.0.1' : first.host;
  const home = env.HOME || homedir();
  return {
    env,
    gatewayListen,
    gatewayPort: first.port,
    endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${first.port}`,
    containerName: env.MAIN_CONTAINER_NAME || 'localstack-main',
    network: env.MAIN_DOCKER_NETWORK || undefined,
    volumeDir: resolve(env.LOCALSTACK_VOLUME_DIR || join(env.XDG_CACHE_HOME || join(home, '.cache'), 'localstack', 'volume')),
    dockerSocket: env.DOCKER_SOCK || '/var/run/docker.sock',
    image: env.IMAGE_NAME || defaultImage(options.version),
    debug: env.DEBUG === '1' || env.DEBUG?.toLowerCase() === 'true',
  };
}

/**
 * The configuration variables the runtime understands, forwarded into the container by
 * `start --docker` (LocalStack forwards every known variable of the environment).
 */
export const CONFIG_VARIABLES = [
  'SERVICES', 'STRICT_SERVICE_LOADING', 'EAGER_SERVICE_LOADING', 'DEBUG', 'LS_LOG', 'PERSISTENCE',
  'SNAPSHOT_SAVE_STRATEGY', 'SNAPSHOT_FLUSH_INTERVAL', 'SNAPSHOT_LOAD_STRATEGY', 'SNAPSHOT_LOAD_STRICT', 'LOCALSTACK_HOST', 'USE_SSL',
  'ALLOW_NONSTANDARD_REGIONS', 'DISABLE_CORS_CHECKS', 'DISABLE_CORS_HEADERS',
  'EXTRA_CORS_ALLOWED_ORIGINS', 'EXTRA_CORS_ALLOWED_HEADERS', 'EXTRA_CORS_EXPOSE_HEADERS', 'GATEWAY_MAX_BODY_SIZE',
  'SHUTDOWN_TIMEOUT', 'DNS_ADDRESS', 'DNS_RESOLVE_IP', 'DNS_LOCAL_NAME_PATTERNS', 'LAMBDA_RUNTIME_EXECUTOR',
  'LAMBDA_KEEPALIVE_MS', 'LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT', 'LAMBDA_REMOVE_CONTAINERS', 'LAMBDA_DOCKER_NETWORK',
  'LAMBDA_DOCKER_FLAGS', 'CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES', 'ENABLE_CONFIG_UPDATES', 'MAIN_CONTAINER_NAME',
  'MAIN_DOCKER_NETWORK', 'EXTERNAL_SERVICE_PORTS_START', 'EXTERNAL_SERVICE_PORTS_END',
] as const;

/**
 * The environment of the runtime container: known variables and `LOCALSTACK_*` ones of the
 * CLI's environment (prefix stripped, except LOCALSTACK_HOST), then `-e` values.
 */
export function containerEnvironment(config: CliConfig, extra: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of CONFIG_VARIABLES) if (config.env[name] !== undefined) out[name] = config.env[name]!;
  for (const [name, value] of Object.entries(config.env)) {
    if (name.startsWith('LAMBDA_LIMITS_')) out[name] = value;
    else if (name.startsWith('LOCALSTACK_') && name !== 'LOCALSTACK_HOST' && name !== 'LOCALSTACK_VOLUME_DIR') out[name.slice('LOCALSTACK_'.length)] = value;
  }
  for (const assignment of extra) {
    const i = assignment.indexOf('=');
    if (i <= 0) throw new Error(`-e ${assignment}: expected KEY=VALUE`);
    out[assignment.slice(0, i)] = assignment.slice(i + 1);
  }
  // inside the container the gateway listens on every interface, on the published port
  out.GATEWAY_LISTEN = `0.0.0.0:${config.gatewayPort}`;
  return out;
}
