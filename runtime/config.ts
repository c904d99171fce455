/**
 * The runtime's configuration, read once from the environment with LocalStack's variable
 * names (reference-surface.md) so that existing compose files and CI jobs keep working.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SqsEndpointStrategy } from './aws/arns.js';

export interface ListenAddress {
  host: string;
  port: number;
}

export interface RuntimeConfig {
  /** Where the gateway listens (GATEWAY_LISTEN, comma-separated `host:port`; default 127.0.0.1:4566). */
  gatewayListen: ListenAddress[];
  /** host:port put into URLs the emulator returns (LOCALSTACK_HOST). */
  localstackHost: string;
  /** Services enabled explicitly (SERVICES); empty = all. */
  services: string[];
  /** With SERVICES set, others are `disabled` (STRICT_SERVICE_LOADING, default on). */
  strictServiceLoading: boolean;
  /** Start SERVICES at boot instead of on first request (EAGER_SERVICE_LOADING). */
  eagerServiceLoading: boolean;
  debug: boolean;
  /** trace, trace-internal, debug, info, warn, error (LS_LOG). */
  logLevel: string;
  /** Keep state in `<volumeDir>/state` across restarts (PERSISTENCE). */
  persistence: boolean;
  /** When state is written (SNAPSHOT_SAVE_STRATEGY, default ON_REQUEST). */
  snapshotSaveStrategy: SaveStrategy;
  /** When saved state is read (SNAPSHOT_LOAD_STRATEGY, default ON_REQUEST: as each service starts). */
  snapshotLoadStrategy: LoadStrategy;
  /** Seconds between SCHEDULED saves (SNAPSHOT_FLUSH_INTERVAL, default 15). */
  snapshotFlushInterval: number;
  /** Refuse to start when saved state cannot be read, instead of starting without it (SNAPSHOT_LOAD_STRICT). */
  snapshotLoadStrict: boolean;
  /**
   * After every request, check that the state equals what the journal would restore, and
   * fail the request when a provider changed state without marking it (STATE_AUDIT; tests).
   */
  stateAudit: boolean;
  allowNonstandardRegions: boolean;
  disableCorsChecks: boolean;
  disableCorsHeaders: boolean;
  extraCorsAllowedOrigins: string[];
  extraCorsAllowedHeaders: string[];
  extraCorsExposeHeaders: string[];
  /** Folder of the init hooks (INIT_HOOKS_DIR, default /etc/localstack/init). */
  initDir: string;
  /** Upper bound of a buffered request body in bytes (GATEWAY_MAX_BODY_SIZE). */
  maxBodySize: number;
  /** How long SIGTERM waits for in-flight requests, ms (SHUTDOWN_TIMEOUT). */
  shutdownTimeoutMs: number;
  inDocker: boolean;
  /** A copy of the output in this file, truncated at start (LS_LOG_FILE; the image sets one in its volume). */
  logFile: string | undefined;
  /**
   * The runtime's data folder: LOCALSTACK_VOLUME_DIR, else /var/lib/localstack in a container
   * and ~/.cache/localstack/volume on a host (as the CLI's). S3 keeps object bodies under it.
   */
  volumeDir: string;
  /**
   * S3 presigned URLs and POST policies are not checked against their signature
   * (S3_SKIP_SIGNATURE_VALIDATION, default on as in LocalStack; 0 checks them).
   */
  s3SkipSignatureValidation: boolean;
  /** Seconds between S3 lifecycle expiration passes (S3_LIFECYCLE_INTERVAL); 0 = never. */
  s3LifecycleInterval: number;
  /** How queue URLs look (SQS_ENDPOINT_STRATEGY: standard, domain, path, off; as LocalStack). */
  sqsEndpointStrategy: SqsEndpointStrategy;
  /**
   * AWS's 60-second rules that LocalStack leaves off unless asked, so that scripts which purge
   * or re-create a queue at once keep working: PurgeQueueInProgress for a second PurgeQueue
   * within a minute (SQS_DELAY_PURGE_RETRY) and QueueDeletedRecently for a name deleted less
   * than a minute ago (SQS_DELAY_RECENTLY_DELETED). Both default off, as in LocalStack.
   */
  sqsDelayPurgeRetry: boolean;
  sqsDelayRecentlyDeleted: boolean;
  /**
   * CloudFormation skips resources of types it does not emulate, with a warning, instead of
   * failing the stack (CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES, as LocalStack; default off).
   */
  cfnIgnoreUnsupportedResourceTypes: boolean;
}

/** SNAPSHOT_SAVE_STRATEGY's values (LocalStack's). */
export const SAVE_STRATEGIES = ['ON_REQUEST', 'ON_SHUTDOWN', 'SCHEDULED', 'MANUAL'] as const;
export type SaveStrategy = (typeof SAVE_STRATEGIES)[number];
/** SNAPSHOT_LOAD_STRATEGY's values (LocalStack's). */
export const LOAD_STRATEGIES = ['ON_REQUEST', 'ON_STARTUP', 'MANUAL'] as const;
export type LoadStrategy = (typeof LOAD_STRATEGIES)[number];

/** An enumerated variable: one of `values` (case aside), `fallback` when unset or empty. */
function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = raw.toUpperCase() as T;
  if (!values.includes(value)) throw new Error(`${name} must be one of ${values.join(', ')} (got '${raw}')`);
  return value;
}

/** A positive number of seconds, `fallback` when unset or empty. */
function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of seconds (got '${raw}')`);
  return value;
}

/** Variables LocalStack removed; set, they are ignored with a warning naming the replacement. */
export const REMOVED_VARIABLES: Readonly<Record<string, string>> = {
  EDGE_PORT: 'use GATEWAY_LISTEN',
  EDGE_PORT_HTTP: 'use GATEWAY_LISTEN',
  EDGE_BIND_HOST: 'use GATEWAY_LISTEN',
  HOSTNAME_EXTERNAL: 'use LOCALSTACK_HOST',
  LOCALSTACK_HOSTNAME: 'use LOCALSTACK_HOST',
  LAMBDA_EXECUTOR: 'Lambda always runs functions in containers; see LAMBDA_RUNTIME_EXECUTOR',
  LAMBDA_REMOTE_DOCKER: 'no longer needed',
  LAMBDA_CODE_EXTRACT_TIME: 'no longer needed',
  LAMBDA_CONTAINER_REGISTRY: 'use LAMBDA_RUNTIME_IMAGE_MAPPING',
  LAMBDA_FALLBACK_URL: 'no longer supported',
  LAMBDA_FORWARD_URL: 'no longer supported',
  LAMBDA_XRAY_INIT: 'no longer needed',
  DEFAULT_REGION: 'regions come from the request; nothing to set',
  USE_SINGLE_REGION: 'regions come from the request; nothing to set',
  MOCK_UNIMPLEMENTED: 'unimplemented operations answer 501',
  SYNCHRONOUS_API_GATEWAY_EVENTS: 'no longer supported',
  SYNCHRONOUS_DYNAMODB_EVENTS: 'no longer supported',
  SYNCHRONOUS_SNS_EVENTS: 'no longer supported',
  SYNCHRONOUS_SQS_EVENTS: 'no longer supported',
  KINESIS_INITIALIZE_STREAMS: 'use an init hook',
  DYNAMODB_INITIALIZE_STREAMS: 'use an init hook',
  DATA_DIR: 'use PERSISTENCE=1',
  HOST_TMP_FOLDER: 'no longer needed',
  TMPDIR: '',
  LEGACY_DIRECTORIES: 'no longer supported',
  LEGACY_INIT_DIR: 'use /etc/localstack/init',
};

const TRUE = new Set(['1', 'true', 'yes', 'on']);

export function isTrue(value: string | undefined): boolean {
  return value !== undefined && TRUE.has(value.trim().toLowerCase());
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Parses `host:port`, `:port`, `port`, `[v6]:port`. */
export function parseListenAddress(text: string, defaultHost: string): ListenAddress {
  const t = text.trim();
  let host = defaultHost;
  let port = t;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (v6) {
    host = v6[1]!;
    port = v6[2] ?? '4566';
  } else if (t.includes(':')) {
    const i = t.lastIndexOf(':');
    host = t.slice(0, i) || defaultHost;
    port = t.slice(i + 1);
  } else if (!/^\d+$/.test(t)) {
    host = t;
    port = '4566';
  }
  const n = Number(port);
  if (!/^\d+$/.test(port) || n > 65535) throw new Error(`GATEWAY_LISTEN: invalid address '${text}'`);
  return { host, port: n };
}

export function detectDocker(env: NodeJS.ProcessEnv): boolean {
  if (env.OVERRIDE_IN_DOCKER !== undefined) return isTrue(env.OVERRIDE_IN_DOCKER);
  return existsSync('/.dockerenv');
}

export interface LoadedConfig {
  config: RuntimeConfig;
  warnings: string[];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const warnings: string[] = [];
  for (const [name, hint] of Object.entries(REMOVED_VARIABLES)) {
    if (name === 'TMPDIR') continue;
    if (env[name] !== undefined && env[name] !== '') warnings.push(`${name} was removed and is ignored: ${hint}`);
  }
  const inDocker = detectDocker(env);
  // Loopback unless told otherwise, even inside a container: the Docker image sets
  // GATEWAY_LISTEN=0.0.0.0:4566 itself, and a host process must never be reachable from
  // the network by accident.
  const defaultHost = '127.0.0.1';
  const gatewayListen = list(env.GATEWAY_LISTEN || `${defaultHost}:4566`).map((a) => parseListenAddress(a, defaultHost));
  const debug = isTrue(env.DEBUG);
  const firstPort = gatewayListen[0]?.port ?? 4566;
  const config: RuntimeConfig = {
    gatewayListen,
    localstackHost: env.LOCALSTACK_HOST || `localhost.localstack.cloud:${firstPort}`,
    services: list(env.SERVICES).map((s) => s.toLowerCase()),
    strictServiceLoading: env.STRICT_SERVICE_LOADING === undefined ? true : isTrue(env.STRICT_SERVICE_LOADING),
    eagerServiceLoading: isTrue(env.EAGER_SERVICE_LOADING),
    debug,
    logLevel: (env.LS_LOG || (debug ? 'debug' : 'info')).toLowerCase(),
    persistence: isTrue(env.PERSISTENCE),
    snapshotSaveStrategy: oneOf(env, 'SNAPSHOT_SAVE_STRATEGY', SAVE_STRATEGIES, 'ON_REQUEST'),
    snapshotLoadStrategy: oneOf(env, 'SNAPSHOT_LOAD_STRATEGY', LOAD_STRATEGIES, 'ON_REQUEST'),
    snapshotFlushInterval: seconds(env, 'SNAPSHOT_FLUSH_INTERVAL', 15),
    snapshotLoadStrict: isTrue(env.SNAPSHOT_LOAD_STRICT),
    stateAudit: isTrue(env.STATE_AUDIT),
    allowNonstandardRegions: isTrue(env.ALLOW_NONSTANDARD_REGIONS),
    disableCorsChecks: isTrue(env.DISABLE_CORS_CHECKS),
    disableCorsHeaders: isTrue(env.DISABLE_CORS_HEADERS),
    extraCorsAllowedOrigins: list(env.EXTRA_CORS_ALLOWED_ORIGINS),
    extraCorsAllowedHeaders: list(env.EXTRA_CORS_ALLOWED_HEADERS),
    extraCorsExposeHeaders: list(env.EXTRA_CORS_EXPOSE_HEADERS),
    initDir: env.INIT_HOOKS_DIR || '/etc/localstack/init',
    maxBodySize: env.GATEWAY_MAX_BODY_SIZE ? Number(env.GATEWAY_MAX_BODY_SIZE) : 128 * 1024 * 1024,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT ? Number(env.SHUTDOWN_TIMEOUT) * 1000 : 10_000,
    inDocker,
    logFile: env.LS_LOG_FILE || undefined,
    s3SkipSignatureValidation: env.S3_SKIP_SIGNATURE_VALIDATION === undefined || env.S3_SKIP_SIGNATURE_VALIDATION === '' ? true : isTrue(env.S3_SKIP_SIGNATURE_VALIDATION),
    s3LifecycleInterval: env.S3_LIFECYCLE_INTERVAL ? Number(env.S3_LIFECYCLE_INTERVAL) : 0,
    sqsEndpointStrategy: (env.SQS_ENDPOINT_STRATEGY || 'standard').toLowerCase() as SqsEndpointStrategy,
    sqsDelayPurgeRetry: isTrue(env.SQS_DELAY_PURGE_RETRY),
    sqsDelayRecentlyDeleted: isTrue(env.SQS_DELAY_RECENTLY_DELETED),
    cfnIgnoreUnsupportedResourceTypes: isTrue(env.CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES),
    volumeDir: resolve(env.LOCALSTACK_VOLUME_DIR || (inDocker ? '/var/lib/localstack' : join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'localstack', 'volume'))),
  };
  if (isTrue(env.USE_SSL)) warnings.push('USE_SSL=1 is not supported yet: the gateway speaks plain HTTP');
  if (!Number.isFinite(config.maxBodySize) || config.maxBodySize <= 0) throw new Error('GATEWAY_MAX_BODY_SIZE must be a positive number of bytes');
  if (!['standard', 'domain', 'path', 'off'].includes(config.sqsEndpointStrategy)) throw new Error('SQS_ENDPOINT_STRATEGY must be standard, domain, path or off');
  if (!Number.isFinite(config.s3LifecycleInterval) || config.s3LifecycleInterval < 0) throw new Error('S3_LIFECYCLE_INTERVAL must be a number of seconds');
  return { config, warnings };
}
