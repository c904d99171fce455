/**
 * `localstack config validate`: reading a compose file as Docker Compose would, and the
 * checks LocalStack's CLI makes of it (one service runs the emulator, with the container
 * name and published port the CLI expects).
 *
 * The file is read with `docker compose config` when the Compose plugin (or the standalone
 * `docker-compose`) is there, so that what is checked is what Compose will run; otherwise
 * with the `yaml` package, doing Compose's own part: `${VAR}` interpolation from the
 * environment and the `.env` beside the file, YAML merge keys, and `env_file` contents.
 */
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse as parseYaml, parseDocument } from 'yaml';
import { parseListenAddress } from '../runtime/config.js';
import { parseEnvFile } from './config.js';
import { buildCommand, IMAGE_REPOSITORY, imageRepository, isOurRepository as isOurs, LATEST_IMAGE, onNoRegistry, withDefaultTag } from './image-name.js';

export { imageRepository } from './image-name.js';

/** A compose file that cannot be used at all; its message is one line. */
export class ComposeError extends Error {}

// ---------------------------------------------------------------------------------------
// interpolation (the Compose specification's rules)

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`, `${VAR?message}`,
 * `${VAR:+replacement}`, `${VAR+replacement}` (defaults and replacements may nest), `$$` for `$`.
 * With `:` an empty variable counts as unset. Unset variables without a default are empty.
 */
export function interpolate(text: string, vars: Readonly<Record<string, string | undefined>>): string {
  return expand(text, 0, vars, false)[0];
}

/** Expands from `i`; inside braces (`nested`) stops at the `}` that closes them. */
function expand(text: string, i: number, vars: Readonly<Record<string, string | undefined>>, nested: boolean): [string, number] {
  let out = '';
  while (i < text.length) {
    const c = text[i]!;
    if (nested && c === '}') return [out, i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const name = NAME.exec(text.slice(i + 2))?.[0];
      if (!name) throw new ComposeError(`invalid interpolation format in "${text}": a variable name must follow \${`);
      let j = i + 2 + name.length;
      const value = vars[name];
      const op = /^(:-|-|:\?|\?|:\+|\+)?/.exec(text.slice(j))![0];
      j += op.length;
      let rest = '';
      if (op) [rest, j] = expand(text, j, vars, true);
      if (text[j] !== '}') throw new ComposeError(`invalid interpolation format in "${text}": missing }`);
      const unset = op.startsWith(':') ? value === undefined || value === '' : value === undefined;
      if (op === ':-' || op === '-') out += unset ? rest : value!;
      else if (op === ':?' || op === '?') {
        if (unset) throw new ComposeError(`required variable ${name} is missing a value${rest ? `: ${rest}` : ''}`);
        out += value!;
      } else if (op === ':+' || op === '+') out += unset ? '' : rest;
      else out += value ?? '';
      i = j + 1;
    } else {
      const name = NAME.exec(text.slice(i + 1))?.[0];
      if (name) {
        out += vars[name] ?? '';
        i += 1 + name.length;
      } else {
        out += '$';
        i++;
      }
    }
  }
  if (nested) throw new ComposeError(`invalid interpolation format in "${text}": missing }`);
  return [out, i];
}

/** Interpolates every string value (not the keys) of a parsed compose document. */
export function interpolateTree(value: unknown, vars: Readonly<Record<string, string | undefined>>): unknown {
  if (typeof value === 'string') return interpolate(value, vars);
  if (Array.isArray(value)) return value.map((v) => interpolateTree(v, vars));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateTree(v, vars)]));
  return value;
}

// ---------------------------------------------------------------------------------------
// reading

export interface LoadedCompose {
  /** The document, interpolated (by Compose or by us). */
  data: unknown;
  /** How it was read, for --debug. */
  parser: string;
}

function oneLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  // Compose prefixes its messages with the file name; keep the informative line
  return (lines.find((l) => !/^(WARN|time=)/.test(l)) ?? lines[0] ?? 'unknown error').replace(/:$/, '');
}

/** The compose command available here: `docker compose` or `docker-compose`, else undefined. */
export async function composeCommand(env: NodeJS.ProcessEnv = process.env): Promise<[string, string[]] | undefined> {
  for (const candidate of [['docker', ['compose']], ['docker-compose', []]] as Array<[string, string[]]>) {
    const result = await execa(candidate[0], [...candidate[1], 'version'], { reject: false, env, timeout: 15_000, stdin: 'ignore' });
    if (result.exitCode === 0) return candidate;
  }
  return undefined;
}

/** Reads with the yaml package, doing Compose's interpolation. */
export function parseComposeText(text: string, file: string, env: NodeJS.ProcessEnv, name = file): unknown {
  const doc = parseDocument(text, { merge: true, prettyErrors: true });
  if (doc.errors.length > 0) throw new ComposeError(`${name}: ${oneLine(doc.errors[0]!.message)}`);
  const dotenv = join(dirname(file), '.env');
  const vars: Record<string, string | undefined> = {};
  if (existsSync(dotenv)) {
    try {
      Object.assign(vars, parseEnvFile(readFileSync(dotenv, 'utf8')));
    } catch (error) {
      throw new ComposeError(`${dotenv}: ${(error as Error).message}`);
    }
  }
  Object.assign(vars, env);
  try {
    return interpolateTree(doc.toJS({ maxAliasCount: 1000 }), vars);
  } catch (error) {
    if (error instanceof ComposeError) throw new ComposeError(`${name}: ${error.message}`);
    throw error;
  }
}

/**
 * Reads a compose file: with Compose when `compose` names it, else with the yaml package.
 * `name` is how messages call the file (as the user gave it).
 */
export async function loadCompose(file: string, env: NodeJS.ProcessEnv, compose: [string, string[]] | undefined, name = file): Promise<LoadedCompose> {
  if (!existsSync(file)) throw new ComposeError(`${name} does not exist`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ComposeError(`cannot read ${name}: ${(error as Error).message}`);
  }
  if (compose) {
    const [cmd, prefix] = compose;
    const result = await execa(cmd, [...prefix, '-f', file, 'config'], { reject: false, env, timeout: 60_000, stdin: 'ignore', cwd: dirname(file) });
    const tool = [cmd, ...prefix].join(' ');
    if (result.exitCode !== 0) throw new ComposeError(`${name}: ${oneLine(String(result.stderr || result.stdout || result.shortMessage))}`);
    try {
      return { data: parseYaml(String(result.stdout)), parser: `${tool} config` };
    } catch (error) {
      throw new ComposeError(`${tool} config printed what is not YAML: ${oneLine((error as Error).message)}`);
    }
  }
  return { data: parseComposeText(text, file, env, name), parser: 'the yaml package (no docker compose here)' };
}

// ---------------------------------------------------------------------------------------
// checks

export interface Finding {
  level: 'error' | 'warning';
  message: string;
}

/** LocalStack's images: they need an account token since 2026-03. */
const LOCALSTACK_IMAGES = ['localstack/localstack', 'localstack/localstack-pro'];

type Service = Record<string, unknown>;

/** A service's environment as Compose would give it (list or map form, then env_file, then shell for bare names). */
export function serviceEnvironment(service: Service, baseDir: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  const files = service.env_file === undefined ? [] : Array.isArray(service.env_file) ? service.env_file : [service.env_file];
  for (const entry of files) {
    const path = typeof entry === 'string' ? entry : typeof entry === 'object' && entry ? String((entry as { path?: unknown }).path ?? '') : '';
    if (!path) continue;
    const full = isAbsolute(path) ? path : join(baseDir, path);
    try {
      Object.assign(out, parseEnvFile(readFileSync(full, 'utf8')));
    } catch {
      // Compose reports a missing env_file itself; the checks go on without it
    }
  }
  const set = (name: string, value: unknown) => {
    if (value === null || value === undefined) {
      if (env[name] !== undefined) out[name] = env[name]!;
    } else out[name] = String(value);
  };
  if (Array.isArray(service.environment)) {
    for (const item of service.environment) {
      const text = String(item);
      const i = text.indexOf('=');
      if (i < 0) set(text, undefined);
      else set(text.slice(0, i), text.slice(i + 1));
    }
  } else if (service.environment && typeof service.environment === 'object') {
    for (const [name, value] of Object.entries(service.environment)) set(name, value);
  }
  return out;
}

/** Whether `port` is in `spec`: `4566` or a range `4510-4559`. */
function inRange(spec: string, port: number): boolean {
  const m = /^(\d+)(?:-(\d+))?$/.exec(spec.trim());
  if (!m) return false;
  const low = Number(m[1]);
  const high = m[2] === undefined ? low : Number(m[2]);
  return port >= low && port <= high;
}

/** Whether a `ports` entry (short or long syntax) publishes the container's TCP port. */
export function publishes(entry: unknown, port: number): boolean {
  if (typeof entry === 'number') return entry === port;
  if (typeof entry === 'string') {
    let spec = entry.trim();
    const slash = spec.indexOf('/');
    if (slash >= 0) {
      if (spec.slice(slash + 1).toLowerCase() !== 'tcp') return false;
      spec = spec.slice(0, slash);
    }
    if (spec.startsWith('[')) spec = spec.slice(spec.indexOf(']') + 1).replace(/^:/, ''); // [::1]:4566:4566
    const container = spec.split(':').pop() ?? '';
    return inRange(container, port);
  }
  if (entry && typeof entry === 'object') {
    const long = entry as { target?: unknown; protocol?: unknown };
    if (long.protocol !== undefined && String(long.protocol).toLowerCase() !== 'tcp') return false;
    return long.target !== undefined && inRange(String(long.target), port);
  }
  return false;
}

const image = (s: Service) => (typeof s.image === 'string' ? s.image : '');

/** The services that may run the emulator: LocalStack's CLI takes every image whose name mentions localstack. */
function emulatorCandidates(data: unknown): Array<[string, Service]> {
  const services = data && typeof data === 'object' ? (data as { services?: unknown }).services : undefined;
  if (!services || typeof services !== 'object' || Array.isArray(services)) return [];
  const entries = Object.entries(services as Record<string, unknown>).filter(([, s]) => s && typeof s === 'object') as Array<[string, Service]>;
  return entries.filter(([, s]) => imageRepository(image(s)).includes('localstack'));
}

/** The one the checks look at: ours first, else the first. */
function emulatorService(candidates: Array<[string, Service]>): [string, Service] {
  return candidates.find(([, s]) => isOurs(imageRepository(image(s)))) ?? candidates[0]!;
}

/**
 * The check that needs the engine: the emulator's image, when it is ours under the name no
 * registry serves, must be in the local engine, or `compose up` fails pulling it. `present`
 * answers for a tag (undefined: no engine to ask, and no finding). `version` is the CLI's.
 */
export async function checkComposeImage(data: unknown, version: string, present: (ref: string) => Promise<boolean | undefined>): Promise<Finding[]> {
  const candidates = emulatorCandidates(data);
  if (candidates.length === 0) return [];
  const [name, service] = emulatorService(candidates);
  const ref = withDefaultTag(image(service));
  if (!onNoRegistry(ref) || (await present(ref)) !== false) return [];
  return [{ level: 'warning', message: `service '${name}' uses ${ref}, which is not in the local Docker engine, and no registry serves it: build it with \`${buildCommand(ref, version)}\`` }];
}

export interface CheckOptions {
  /** The container name the CLI looks for (MAIN_CONTAINER_NAME, default localstack-main). */
  containerName: string;
  /** The compose file, for messages and relative env_file paths. */
  file: string;
  env: NodeJS.ProcessEnv;
}

/** LocalStack's checks of a compose document, in its order; no findings means valid. */
export function checkCompose(data: unknown, options: CheckOptions): Finding[] {
  const findings: Finding[] = [];
  const error = (message: string) => findings.push({ level: 'error', message });
  const warning = (message: string) => findings.push({ level: 'warning', message });
  const services = data && typeof data === 'object' ? (data as { services?: unknown }).services : undefined;
  if (!services || typeof services !== 'object' || Array.isArray(services)) {
    error(`${options.file} has no services`);
    return findings;
  }
  const candidates = emulatorCandidates(data);
  if (candidates.length === 0) {
    error(`no service runs ${IMAGE_REPOSITORY} (no image name contains "localstack")`);
    return findings;
  }
  const [name, service] = emulatorService(candidates);
  if (candidates.length > 1) warning(`several services could be the emulator: ${candidates.map(([n]) => n).join(', ')} (checking '${name}')`);

  const repository = imageRepository(image(service));
  if (LOCALSTACK_IMAGES.includes(repository)) {
    warning(`service '${name}' uses ${image(service)}, LocalStack's image, which needs an auth token since 2026-03: use image ${LATEST_IMAGE} (localstack image build makes it)`);
  } else if (!isOurs(repository)) {
    warning(`service '${name}' uses the unknown image ${image(service)}: expected ${LATEST_IMAGE} (localstack image build makes it)`);
  }

  const environment = serviceEnvironment(service, dirname(options.file), options.env);
  const containerName = typeof service.container_name === 'string' ? service.container_name : undefined;
  if (containerName !== options.containerName && !environment.MAIN_CONTAINER_NAME) {
    warning(
      `service '${name}' ${containerName ? `has container_name '${containerName}'` : 'sets no container_name'}: use container_name: ${options.containerName}, or set MAIN_CONTAINER_NAME in its environment`,
    );
  }

  let gatewayPort = 4566;
  if (environment.GATEWAY_LISTEN) {
    try {
      gatewayPort = parseListenAddress(environment.GATEWAY_LISTEN.split(',')[0]!, '0.0.0.0').port;
    } catch {
      warning(`service '${name}' has an invalid GATEWAY_LISTEN: ${environment.GATEWAY_LISTEN}`);
    }
  }
  const ports = Array.isArray(service.ports) ? service.ports : [];
  if (service.network_mode !== 'host' && !ports.some((p) => publishes(p, gatewayPort))) {
    warning(`service '${name}' does not publish the gateway port ${gatewayPort}: add "127.0.0.1:${gatewayPort}:${gatewayPort}" to its ports`);
  }
  return findings;
}
