/**
 * What the AWS CLI would find configured, decided without running it and without the
 * network: `awslocal` fills in test credentials and a region only where the user has none,
 * so that a real profile keeps working and a bare machine still gets an answer.
 *
 * What counts as configured credentials (the CLI's chain, minus instance metadata, which
 * would need a network call):
 * - AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY in the environment (a missing half is filled
 *   with `test`: the emulator never checks secrets, and a lone 12-digit key id picks an
 *   account, a LocalStack idiom);
 * - AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI, or AWS_WEB_IDENTITY_TOKEN_FILE with
 *   AWS_ROLE_ARN;
 * - the profile in use (`--profile`, else AWS_DEFAULT_PROFILE, else AWS_PROFILE, else
 *   `default`, botocore's order) having, in the credentials file (AWS_SHARED_CREDENTIALS_FILE,
 *   default ~/.aws/credentials) or the config file (AWS_CONFIG_FILE, default ~/.aws/config):
 *   aws_access_key_id and aws_secret_access_key, credential_process, role_arn with
 *   source_profile or credential_source, web_identity_token_file with role_arn, or SSO
 *   settings (sso_session, or sso_start_url with sso_account_id);
 * - a profile named with `--profile` or AWS_PROFILE / AWS_DEFAULT_PROFILE that has none of
 *   these is NOT configured (the CLI would fail with "Unable to locate credentials"), so
 *   test credentials are set; with AWS_PROFILE the CLI then uses them, with `--profile` it
 *   ignores the environment and reports the profile's problem itself.
 *
 * What counts as a configured region: `--region`, AWS_REGION or AWS_DEFAULT_REGION, or a
 * `region` for the profile in use in either file (botocore merges the two files). The aws CLI
 * v1 ignores AWS_REGION; awslocal copies it to AWS_DEFAULT_REGION then.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `[section]` -> key -> value, keys lower-cased; nested (indented) values are skipped. */
export type IniFile = Record<string, Record<string, string>>;

/** The INI dialect of the AWS shared files (`#` and `;` comments, `key = value`). */
export function parseIni(text: string): IniFile {
  const out: IniFile = {};
  let section: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s/.test(raw)) continue; // continuation or nested sub-section (`s3 =` followed by indented keys)
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([^\]]*?)\s*\]/.exec(line);
    if (header) {
      section = out[header[1]!] ??= {};
      continue;
    }
    const i = line.indexOf('=');
    if (i <= 0 || !section) continue;
    section[line.slice(0, i).trim().toLowerCase()] = line
      .slice(i + 1)
      .replace(/\s[#;].*$/, '')
      .trim();
  }
  return out;
}

/** `~/x` -> `$HOME/x`, as the CLI expands the file variables. */
function expandHome(path: string, home: string): string {
  return path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

function readIni(path: string): IniFile {
  try {
    return existsSync(path) ? parseIni(readFileSync(path, 'utf8')) : {};
  } catch {
    return {}; // unreadable (a directory, no permission): the CLI will say so itself
  }
}

/** The value of a global option of the aws CLI (`--profile x` or `--profile=x`) in its arguments. */
export function optionValue(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if (a === name) return args[i + 1];
    if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
  }
  return undefined;
}

export interface AwsSettings {
  /** The profile the CLI would use. */
  profile: string;
  /** Whether the profile was chosen explicitly (`--profile`, AWS_PROFILE, AWS_DEFAULT_PROFILE). */
  explicitProfile: boolean;
  /** How the credentials are configured, if they are (for --debug lines and tests). */
  credentials: string | undefined;
  /** The access key id of the profile's static credentials, if it has some. */
  profileAccessKeyId: string | undefined;
  /** Where the region comes from, if anywhere. */
  region: string | undefined;
  /** The region itself, when configured. */
  regionName: string | undefined;
}

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

function profileCredentials(section: Record<string, string> | undefined): boolean {
  if (!section) return false;
  const has = (k: string) => nonEmpty(section[k]);
  return (
    (has('aws_access_key_id') && has('aws_secret_access_key')) ||
    has('credential_process') ||
    (has('role_arn') && (has('source_profile') || has('credential_source') || has('web_identity_token_file'))) ||
    has('sso_session') ||
    (has('sso_start_url') && has('sso_account_id'))
  );
}

/**
 * The credentials and region the aws CLI would find for these arguments and environment.
 * `home` is where `~` points (HOME, else the user's home directory).
 */
export function awsSettings(args: readonly string[], env: NodeJS.ProcessEnv, home = env.HOME || homedir()): AwsSettings {
  const argProfile = optionValue(args, '--profile');
  const envProfile = [env.AWS_DEFAULT_PROFILE, env.AWS_PROFILE].find(nonEmpty);
  const profile = argProfile ?? envProfile ?? 'default';
  const credentialsFile = expandHome(env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'), home);
  const configFile = expandHome(env.AWS_CONFIG_FILE || join(home, '.aws', 'config'), home);
  const creds = readIni(credentialsFile);
  const config = readIni(configFile);
  // the config file names profiles `[profile x]`, except `[default]`; credentials use `[x]`
  const configSection = config[`profile ${profile}`] ?? (profile === 'default' ? config.default : undefined);
  const credsSection = creds[profile];

  let credentials: string | undefined;
  if (nonEmpty(env.AWS_ACCESS_KEY_ID) || nonEmpty(env.AWS_SECRET_ACCESS_KEY)) credentials = 'environment';
  else if (nonEmpty(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) || nonEmpty(env.AWS_CONTAINER_CREDENTIALS_FULL_URI)) credentials = 'container credentials (environment)';
  else if (nonEmpty(env.AWS_WEB_IDENTITY_TOKEN_FILE) && nonEmpty(env.AWS_ROLE_ARN)) credentials = 'web identity (environment)';
  else if (profileCredentials(credsSection)) credentials = `profile ${profile} in ${credentialsFile}`;
  else if (profileCredentials(configSection)) credentials = `profile ${profile} in ${configFile}`;

  const candidates: Array<[string, string | undefined]> = [
    ['--region', optionValue(args, '--region')],
    ['AWS_REGION', env.AWS_REGION],
    ['AWS_DEFAULT_REGION', env.AWS_DEFAULT_REGION],
    [`profile ${profile} in ${configFile}`, configSection?.region],
    [`profile ${profile} in ${credentialsFile}`, credsSection?.region],
  ];
  const found = candidates.find(([, value]) => nonEmpty(value));

  return {
    profile,
    explicitProfile: argProfile !== undefined || envProfile !== undefined,
    credentials,
    profileAccessKeyId: [credsSection?.aws_access_key_id, configSection?.aws_access_key_id].find(nonEmpty),
    region: found?.[0],
    regionName: found?.[1]?.trim(),
  };
}
