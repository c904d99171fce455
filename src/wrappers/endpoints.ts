/**
 * Where the wrappers send AWS tools, as pure functions of the environment (and, where a host
 * name may not resolve offline, of a lookup the caller does): `awslocal`'s `--endpoint-url`
 * and environment, `cdklocal`'s environment, `tflocal`'s endpoint per service. The variables
 * are those of LocalStack's wrappers (awscli-local, aws-cdk-local, terraform-local), so
 * scripts written for them keep working.
 *
 * `*.localhost.localstack.cloud` resolves to 127.0.0.1 through public DNS only; offline it
 * does not resolve, so every default that uses it falls back to 127.0.0.1 with path-style S3
 * (an IP address in the endpoint makes every SDK use path-style requests).
 */
import { isIP } from 'node:net';
import { awsSettings } from './aws-config.js';

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_PORT = 4566;
/** Resolves to 127.0.0.1 (with every subdomain) through public DNS. */
export const LOCALHOST_DOMAIN = 'localhost.localstack.cloud';

/** LocalStack's notion of a true variable: `1` or `true`, any case. */
export function isTrue(value: string | undefined): boolean {
  return ['1', 'true'].includes((value ?? '').trim().toLowerCase());
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/** `host` or `host:port` (IPv6 in brackets, or bare) -> `host:port`. */
export function withPort(hostPort: string, port: number = DEFAULT_PORT): string {
  const value = hostPort.trim();
  if (value.startsWith('[')) return /\]:\d+$/.test(value) ? value : `${value}:${port}`;
  if (isIP(value) === 6) return `[${value}]:${port}`;
  return /:\d+$/.test(value) ? value : `${value}:${port}`;
}

/** A host for a URL: IPv6 addresses in brackets. */
function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

// ---------------------------------------------------------------------------------------
// awslocal

/**
 * The endpoint `awslocal` gives the aws CLI: AWS_ENDPOINT_URL, else `http://` + LOCALSTACK_HOST
 * (default `localhost:4566`; port 4566 when it names none), `https://` with USE_SSL.
 */
export function awsEndpoint(env: NodeJS.ProcessEnv): string {
  if (nonEmpty(env.AWS_ENDPOINT_URL)) return env.AWS_ENDPOINT_URL.trim();
  const scheme = isTrue(env.USE_SSL) ? 'https' : 'http';
  return `${scheme}://${withPort(nonEmpty(env.LOCALSTACK_HOST) ? env.LOCALSTACK_HOST : 'localhost')}`;
}

export interface AwsInvocation {
  /** The aws CLI's arguments. */
  args: string[];
  /** Its environment. */
  env: Record<string, string>;
  /** What was added and why (for `AWSLOCAL_DEBUG=1`). */
  notes: string[];
}

/**
 * The aws CLI's arguments and environment for `awslocal ARGS`: `--endpoint-url` first (none
 * when ARGS already name one: theirs wins) and the same in AWS_ENDPOINT_URL, `--no-verify-ssl` for https, test credentials and
 * region us-east-1 only where the user has none configured (see aws-config.ts for what counts).
 */
export function awsInvocation(args: readonly string[], env: NodeJS.ProcessEnv, home?: string): AwsInvocation {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  const notes: string[] = [];
  const prefix: string[] = [];
  const own = args.some((a) => a === '--endpoint-url' || a.startsWith('--endpoint-url='));
  if (own) notes.push('--endpoint-url given: not adding ours');
  else {
    const endpoint = awsEndpoint(env);
    prefix.push(`--endpoint-url=${endpoint}`);
    // the S3 client of `cloudformation package` (and of `deploy --s3-bucket`) is made without
    // --endpoint-url (aws-cli #4727, #9629); the CLI's SDK reads AWS_ENDPOINT_URL for it
    out.AWS_ENDPOINT_URL = endpoint;
    notes.push(`endpoint ${endpoint} (${nonEmpty(env.AWS_ENDPOINT_URL) ? 'AWS_ENDPOINT_URL' : nonEmpty(env.LOCALSTACK_HOST) ? 'LOCALSTACK_HOST' : 'default'})`);
    if (endpoint.toLowerCase().startsWith('https:') && !args.includes('--no-verify-ssl')) {
      prefix.push('--no-verify-ssl');
      // urllib3 warns on every request without verification; the user asked for it
      out.PYTHONWARNINGS ??= 'ignore:Unverified HTTPS request';
    }
  }
  const settings = awsSettings(args, env, home);
  if (!settings.credentials) {
    out.AWS_ACCESS_KEY_ID = 'test';
    out.AWS_SECRET_ACCESS_KEY = 'test';
    notes.push(`no credentials configured for profile ${settings.profile}: using test/test`);
  } else {
    // one half in the environment: the emulator needs both, and checks neither secret nor key
    if (settings.credentials === 'environment') {
      if (!nonEmpty(out.AWS_ACCESS_KEY_ID)) out.AWS_ACCESS_KEY_ID = 'test';
      if (!nonEmpty(out.AWS_SECRET_ACCESS_KEY)) out.AWS_SECRET_ACCESS_KEY = 'test';
    }
    notes.push(`credentials from ${settings.credentials}`);
  }
  if (!settings.region) {
    out.AWS_DEFAULT_REGION = DEFAULT_REGION;
    notes.push(`no region configured: using ${DEFAULT_REGION}`);
  } else {
    // aws CLI v1 reads AWS_DEFAULT_REGION only; v2 prefers AWS_REGION: give both the same
    if (settings.region === 'AWS_REGION' && !nonEmpty(out.AWS_DEFAULT_REGION)) out.AWS_DEFAULT_REGION = out.AWS_REGION!.trim();
    notes.push(`region from ${settings.region}`);
  }
  return { args: [...prefix, ...args], env: out, notes };
}

// ---------------------------------------------------------------------------------------
// cdklocal

/** Looks a host name up; undefined when it does not resolve. */
export type Resolver = (host: string) => Promise<string | undefined>;

/** An environment that cannot work; its message says what to set. */
export class WrapperConfigError extends Error {}

export interface CdkEnvironment {
  env: Record<string, string>;
  notes: string[];
}

/**
 * The `cdk` CLI's environment for `cdklocal`: AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_S3 at the
 * emulator, credentials test/test and region us-east-1, every other AWS_* variable removed
 * (AWS_PROFILE, keys, ...: they could send a deploy to real AWS) except those named in
 * AWS_ENVAR_ALLOWLIST (comma separated) and the AWS_ENDPOINT_URL* ones.
 *
 * Defaults: `http://localhost.localstack.cloud:4566` and `http://s3.localhost.localstack.cloud:4566`
 * (LOCALSTACK_HOSTNAME, EDGE_PORT, USE_SSL change host, port and scheme). When the S3 host does
 * not resolve, S3 goes to the main host's IP address, which makes the SDK use path-style
 * requests; when `localhost.localstack.cloud` itself does not resolve (offline), 127.0.0.1.
 * A user's AWS_ENDPOINT_URL without AWS_ENDPOINT_URL_S3 gets S3 at the same address when its
 * host is an IP address or `localhost` (as 127.0.0.1), at `s3.HOST` when that resolves, and is
 * an error otherwise: virtual-host requests to a host without subdomains cannot reach S3.
 */
export async function cdkEnvironment(env: NodeJS.ProcessEnv, resolve: Resolver): Promise<CdkEnvironment> {
  const notes: string[] = [];
  const allow = new Set((env.AWS_ENVAR_ALLOWLIST ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (k.startsWith('AWS_') && !k.startsWith('AWS_ENDPOINT_URL') && !allow.has(k)) {
      notes.push(`removed ${k}`);
      continue;
    }
    out[k] = v;
  }
  const scheme = isTrue(env.USE_SSL) ? 'https' : 'http';
  const port = nonEmpty(env.EDGE_PORT) ? env.EDGE_PORT.trim() : String(DEFAULT_PORT);

  if (nonEmpty(env.AWS_ENDPOINT_URL)) {
    if (!nonEmpty(env.AWS_ENDPOINT_URL_S3)) {
      let url: URL;
      try {
        url = new URL(env.AWS_ENDPOINT_URL.trim());
      } catch {
        throw new WrapperConfigError(`AWS_ENDPOINT_URL is not a URL: ${env.AWS_ENDPOINT_URL}`);
      }
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) || host === 'localhost') {
        if (host === 'localhost') url.hostname = '127.0.0.1';
        out.AWS_ENDPOINT_URL_S3 = url.origin;
      } else if (await resolve(`s3.${host}`)) {
        url.hostname = `s3.${host}`;
        out.AWS_ENDPOINT_URL_S3 = url.origin;
      } else {
        throw new WrapperConfigError(
          `AWS_ENDPOINT_URL is set but AWS_ENDPOINT_URL_S3 is not, and s3.${host} does not resolve: set AWS_ENDPOINT_URL_S3 (an IP address there makes S3 requests path-style)`,
        );
      }
    }
  } else {
    const host = nonEmpty(env.LOCALSTACK_HOSTNAME) ? env.LOCALSTACK_HOSTNAME.trim() : LOCALHOST_DOMAIN;
    const address = isIP(host) ? host : await resolve(host);
    const main = address || host !== LOCALHOST_DOMAIN ? host : '127.0.0.1';
    if (main !== host) notes.push(`${host} does not resolve (offline?): using 127.0.0.1`);
    out.AWS_ENDPOINT_URL = `${scheme}://${urlHost(main)}:${port}`;
    if (!nonEmpty(env.AWS_ENDPOINT_URL_S3)) {
      const s3Host = isIP(host) ? undefined : `s3.${host}`;
      if (s3Host && (await resolve(s3Host))) out.AWS_ENDPOINT_URL_S3 = `${scheme}://${s3Host}:${port}`;
      else {
        const ip = address ?? (main === '127.0.0.1' ? main : undefined);
        out.AWS_ENDPOINT_URL_S3 = `${scheme}://${urlHost(ip ?? main)}:${port}`;
        notes.push(`${s3Host ?? host} gives no S3 subdomain: S3 at ${out.AWS_ENDPOINT_URL_S3} (path-style)`);
      }
    }
  }
  out.AWS_ACCESS_KEY_ID = nonEmpty(out.AWS_ACCESS_KEY_ID) ? out.AWS_ACCESS_KEY_ID : 'test';
  out.AWS_SECRET_ACCESS_KEY = nonEmpty(out.AWS_SECRET_ACCESS_KEY) ? out.AWS_SECRET_ACCESS_KEY : 'test';
  out.AWS_REGION = nonEmpty(out.AWS_REGION) ? out.AWS_REGION : DEFAULT_REGION;
  out.AWS_DEFAULT_REGION = nonEmpty(out.AWS_DEFAULT_REGION) ? out.AWS_DEFAULT_REGION : out.AWS_REGION;
  return { env: out, notes };
}

// ---------------------------------------------------------------------------------------
// tflocal

export interface TerraformTarget {
  /** Endpoint of every service but S3. */
  endpoint: string;
  /** S3's endpoint: `s3.` host for virtual-host requests, else the main host (path-style). */
  s3Endpoint: string;
  /** The S3 host does not start with `s3.`: the provider must send path-style requests. */
  s3PathStyle: boolean;
  /** The region of providers that do not set one. */
  region: string;
}

/** The host tflocal would like for S3 before anything is looked up (S3_HOSTNAME, else s3.localhost.localstack.cloud). */
export function terraformS3Host(env: NodeJS.ProcessEnv): string {
  return nonEmpty(env.S3_HOSTNAME) ? env.S3_HOSTNAME.trim() : `s3.${LOCALHOST_DOMAIN}`;
}

/**
 * tflocal's target: AWS_ENDPOINT_URL's scheme, host and port, else LOCALSTACK_HOSTNAME
 * (default localhost) and EDGE_PORT (default 4566), both deprecated. S3 goes to S3_HOSTNAME,
 * else to s3.localhost.localstack.cloud when the target is this machine and that name resolves
 * (`s3HostResolves`, looked up by the caller), else to the main host, path-style. The region:
 * AWS_DEFAULT_REGION, AWS_REGION, the profile's, else us-east-1.
 */
export function terraformTarget(env: NodeJS.ProcessEnv, s3HostResolves: boolean, home?: string): TerraformTarget {
  let scheme = 'http';
  let host = nonEmpty(env.LOCALSTACK_HOSTNAME) ? env.LOCALSTACK_HOSTNAME.trim() : 'localhost';
  let port = nonEmpty(env.EDGE_PORT) ? env.EDGE_PORT.trim() : String(DEFAULT_PORT);
  if (nonEmpty(env.AWS_ENDPOINT_URL)) {
    let url: URL;
    try {
      url = new URL(env.AWS_ENDPOINT_URL.trim());
    } catch {
      throw new WrapperConfigError(`AWS_ENDPOINT_URL is not a URL: ${env.AWS_ENDPOINT_URL}`);
    }
    scheme = url.protocol.replace(/:$/, '');
    host = url.hostname.replace(/^\[|\]$/g, '');
    port = url.port || (scheme === 'https' ? '443' : port);
  }
  const endpoint = `${scheme}://${urlHost(host)}:${port}`;
  const local = ['localhost', '127.0.0.1', '::1', LOCALHOST_DOMAIN].includes(host);
  let s3Host: string;
  if (nonEmpty(env.S3_HOSTNAME)) s3Host = env.S3_HOSTNAME.trim();
  else if (local && s3HostResolves) s3Host = terraformS3Host(env);
  else s3Host = host;
  const s3Endpoint = `${scheme}://${urlHost(s3Host)}:${port}`;
  const region = [env.AWS_DEFAULT_REGION, env.AWS_REGION].find(nonEmpty)?.trim() ?? awsSettings([], env, home).regionName ?? DEFAULT_REGION;
  return { endpoint, s3Endpoint, s3PathStyle: !s3Host.startsWith('s3.'), region };
}

/**
 * The endpoint of one service of the provider's `endpoints {}` block: `<SERVICE>_ENDPOINT`
 * when set (matched without underscores and case, so COGNITO_IDP_ENDPOINT names `cognitoidp`;
 * `http://` added when it has no scheme), else S3's or the main endpoint.
 */
export function terraformServiceEndpoints(keys: readonly string[], target: TerraformTarget, env: NodeJS.ProcessEnv): Record<string, string> {
  const custom = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    if (!name.endsWith('_ENDPOINT') || !nonEmpty(value)) continue;
    const key = name.slice(0, -'_ENDPOINT'.length).replace(/_/g, '').toLowerCase();
    custom.set(key, value.includes('://') ? value.trim() : `http://${value.trim()}`);
  }
  const out: Record<string, string> = {};
  for (const key of keys) out[key] = custom.get(key) ?? (key === 's3' ? target.s3Endpoint : target.endpoint);
  return out;
}

/**
 * LocalStack's guard against sending a real key: an access key id starting with `A`
 * (AKIA..., ASIA...) is sent starting with `L` instead: still a key the emulator reads an
 * account from, useless against AWS.
 */
export function deactivateAccessKey(accessKey: string): string {
  return accessKey.startsWith('A') ? `L${accessKey.slice(1)}` : accessKey;
}
