/**
 * tflocal's part that needs no process: which command terraform runs, which `aws` providers a
 * module configures, and the override file that points each of them at the emulator
 * (Terraform merges `*_override.tf` files into the module: attributes given there replace the
 * module's, and the others stay).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deactivateAccessKey, isTrue, terraformServiceEndpoints, type TerraformTarget } from './endpoints.js';
import { HclError, hclString, parseHcl, stringLiteral, type HclBlock } from './hcl.js';
import { AWS_PROVIDER_VERSION, TERRAFORM_ENDPOINT_KEYS } from './terraform-endpoints.generated.js';

export { AWS_PROVIDER_VERSION, TERRAFORM_ENDPOINT_KEYS };

/** The first line of every file tflocal writes: a leftover one may be replaced. */
export const OVERRIDE_HEADER = '# Written by tflocal for the LocalStack emulator; removed when terraform exits.';
export const DEFAULT_PROVIDERS_FILE = 'localstack_providers_override.tf';
/** Commands run without an override file unless TF_UNPROXIED_CMDS says otherwise. */
export const DEFAULT_UNPROXIED = ['fmt', 'validate', 'version'];

/** The terraform subcommand of an argument list (after global options like -chdir=DIR), if any. */
export function terraformSubcommand(args: readonly string[]): string | undefined {
  return args.find((a) => !a.startsWith('-'));
}

/** The directory of `-chdir=DIR`, else `.`. */
export function terraformDir(args: readonly string[]): string {
  const sub = args.findIndex((a) => !a.startsWith('-'));
  const globals = sub < 0 ? args : args.slice(0, sub);
  const chdir = globals.find((a) => a.startsWith('-chdir='));
  return chdir ? chdir.slice('-chdir='.length) : '.';
}

/**
 * Whether terraform runs untouched: no subcommand (`tflocal -version`), or one listed in
 * TF_UNPROXIED_CMDS (comma separated; default fmt,validate,version; empty: none).
 */
export function unproxied(args: readonly string[], env: NodeJS.ProcessEnv): boolean {
  const sub = terraformSubcommand(args);
  if (sub === undefined) return true;
  const list = env.TF_UNPROXIED_CMDS === undefined ? DEFAULT_UNPROXIED : env.TF_UNPROXIED_CMDS.split(',').map((s) => s.trim());
  return list.includes(sub);
}

/** An `aws` provider block of the module, as the override needs it. */
export interface AwsProvider {
  alias?: string;
  /** Whether the module sets a region (then the override keeps it). */
  hasRegion: boolean;
  /** The module's access_key, when it is a literal. */
  accessKey?: string;
  /** Where it is (file name), for messages. */
  file: string;
}

export interface ModuleScan {
  providers: AwsProvider[];
  /** Files that configure state in S3 (backend "s3", terraform_remote_state with backend "s3"). */
  s3State: string[];
  /** Files that could not be read as HCL, with the reason. */
  unreadable: string[];
}

/** Whether terraform treats the file as an override (not scanned: ours, or the user's). */
function isOverride(name: string): boolean {
  return name === 'override.tf' || name.endsWith('_override.tf');
}

/** The `aws` providers and S3 state configuration of the `.tf` files of a module directory. */
export function scanModule(dir: string): ModuleScan {
  const scan: ModuleScan = { providers: [], s3State: [], unreadable: [] };
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.tf') && !isOverride(n)).sort();
  } catch {
    return scan;
  }
  for (const name of names) {
    let blocks: HclBlock[];
    try {
      blocks = parseHcl(readFileSync(join(dir, name), 'utf8'));
    } catch (error) {
      scan.unreadable.push(`${name}: ${error instanceof HclError ? error.message : (error as Error).message}`);
      continue;
    }
    for (const block of blocks) {
      if (block.type === 'provider' && block.labels[0] === 'aws') {
        const alias = block.attributes.alias === undefined ? undefined : stringLiteral(block.attributes.alias);
        const accessKey = block.attributes.access_key === undefined ? undefined : stringLiteral(block.attributes.access_key);
        scan.providers.push({ ...(alias ? { alias } : {}), hasRegion: block.attributes.region !== undefined, ...(accessKey ? { accessKey } : {}), file: name });
      }
      if (block.type === 'terraform' && block.blocks.some((b) => b.type === 'backend' && b.labels[0] === 's3')) scan.s3State.push(name);
      if (block.type === 'data' && block.labels[0] === 'terraform_remote_state' && stringLiteral(block.attributes.backend ?? '') === 's3') scan.s3State.push(name);
    }
  }
  return scan;
}

export interface OverrideOptions {
  target: TerraformTarget;
  env: NodeJS.ProcessEnv;
  /** The access key of the profile in use, for CUSTOMIZE_ACCESS_KEY. */
  profileAccessKeyId?: string | undefined;
  /** Endpoint keys (default: the generated list). */
  keys?: readonly string[];
}

/**
 * The access key for one provider: `test`, unless CUSTOMIZE_ACCESS_KEY is true; then
 * AWS_ACCESS_KEY_ID, the provider's literal access_key, the profile's key, else `test`,
 * a key starting with `A` sent starting with `L` (see deactivateAccessKey).
 */
export function providerAccessKey(provider: AwsProvider | undefined, options: OverrideOptions): string {
  if (!isTrue(options.env.CUSTOMIZE_ACCESS_KEY)) return 'test';
  const key = [options.env.AWS_ACCESS_KEY_ID, provider?.accessKey, options.profileAccessKeyId].find((k) => k !== undefined && k.trim() !== '');
  return deactivateAccessKey(key?.trim() ?? 'test');
}

/**
 * The override file: one `provider "aws"` block for the default provider (whether or not the
 * module declares it) and one per alias (SKIP_ALIASES, comma separated, leaves some out),
 * each with test credentials, no credential, metadata or account-id checks, an endpoint for
 * every service, `s3_use_path_style = true` unless S3's host starts with `s3.`, and the target
 * region where the module sets none.
 */
export function providerOverride(providers: readonly AwsProvider[], options: OverrideOptions): string {
  const endpoints = terraformServiceEndpoints(options.keys ?? TERRAFORM_ENDPOINT_KEYS, options.target, options.env);
  let s3Host = '';
  try {
    s3Host = new URL(endpoints.s3 ?? options.target.s3Endpoint).hostname;
  } catch {
    // a custom S3_ENDPOINT that is no URL: path-style is the safe choice
  }
  const pathStyle = !s3Host.startsWith('s3.');
  const skip = new Set((options.env.SKIP_ALIASES ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  const blocks: Array<AwsProvider | undefined> = [];
  const seen = new Set<string>();
  if (!providers.some((p) => p.alias === undefined)) blocks.push(undefined);
  for (const p of providers) {
    const id = p.alias ?? '';
    if (seen.has(id) || (p.alias !== undefined && skip.has(p.alias))) continue;
    seen.add(id);
    blocks.push(p);
  }
  const width = Math.max(...Object.keys(endpoints).map((k) => k.length));
  const endpointLines = Object.entries(endpoints).map(([k, v]) => `    ${k.padEnd(width)} = ${hclString(v)}`);
  const text = blocks.map((p) => {
    const attrs: Array<[string, string]> = [];
    if (p?.alias !== undefined) attrs.push(['alias', hclString(p.alias)]);
    attrs.push(['access_key', hclString(providerAccessKey(p, options))], ['secret_key', '"test"']);
    attrs.push(['skip_credentials_validation', 'true'], ['skip_metadata_api_check', 'true'], ['skip_requesting_account_id', 'true']);
    if (pathStyle) attrs.push(['s3_use_path_style', 'true']);
    if (!p?.hasRegion) attrs.push(['region', hclString(options.target.region)]);
    const w = Math.max(...attrs.map(([k]) => k.length));
    return ['provider "aws" {', ...attrs.map(([k, v]) => `  ${k.padEnd(w)} = ${v}`), '', '  endpoints {', ...endpointLines, '  }', '}'].join('\n');
  });
  return `${OVERRIDE_HEADER}\n# Endpoint keys of hashicorp/aws ${AWS_PROVIDER_VERSION}.\n\n${text.join('\n\n')}\n`;
}

/** The AWS provider version a module's lock file selects, if it has one. */
export function lockedAwsProviderVersion(dir: string): string | undefined {
  const file = join(dir, '.terraform.lock.hcl');
  if (!existsSync(file)) return undefined;
  try {
    const block = parseHcl(readFileSync(file, 'utf8')).find((b) => b.type === 'provider' && b.labels[0] === 'registry.terraform.io/hashicorp/aws');
    return block ? stringLiteral(block.attributes.version ?? '') : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a file at this path may be (over)written: absent, or a leftover of ours. */
export function overrideWritable(path: string): boolean {
  if (!existsSync(path)) return true;
  try {
    return readFileSync(path, 'utf8').startsWith(OVERRIDE_HEADER);
  } catch {
    return false;
  }
}
