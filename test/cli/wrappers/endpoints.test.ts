/** The wrappers' pure logic: endpoints, credentials and region, cdklocal's environment. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsSettings, optionValue, parseIni } from '../../../src/wrappers/aws-config.js';
import {
  awsEndpoint,
  awsInvocation,
  cdkEnvironment,
  deactivateAccessKey,
  terraformServiceEndpoints,
  terraformTarget,
  withPort,
  WrapperConfigError,
} from '../../../src/wrappers/endpoints.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'aws-home-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function awsFiles(files: { credentials?: string; config?: string }): void {
  mkdirSync(join(home, '.aws'), { recursive: true });
  if (files.credentials !== undefined) writeFileSync(join(home, '.aws', 'credentials'), files.credentials);
  if (files.config !== undefined) writeFileSync(join(home, '.aws', 'config'), files.config);
}

describe('awsEndpoint', () => {
  it('AWS_ENDPOINT_URL wins', () => expect(awsEndpoint({ AWS_ENDPOINT_URL: 'http://10.0.0.5:9999', LOCALSTACK_HOST: 'x:1' })).toBe('http://10.0.0.5:9999'));
  it('default http://localhost:4566', () => expect(awsEndpoint({})).toBe('http://localhost:4566'));
  it('LOCALSTACK_HOST, with port 4566 added when it has none', () => {
    expect(awsEndpoint({ LOCALSTACK_HOST: 'localstack:4510' })).toBe('http://localstack:4510');
    expect(awsEndpoint({ LOCALSTACK_HOST: 'localstack' })).toBe('http://localstack:4566');
    expect(awsEndpoint({ LOCALSTACK_HOST: '::1' })).toBe('http://[::1]:4566');
    expect(awsEndpoint({ LOCALSTACK_HOST: '[::1]:5000' })).toBe('http://[::1]:5000');
  });
  it('https with USE_SSL=1 or true', () => {
    expect(awsEndpoint({ USE_SSL: '1' })).toBe('https://localhost:4566');
    expect(awsEndpoint({ USE_SSL: 'TRUE', LOCALSTACK_HOST: 'h:443' })).toBe('https://h:443');
    expect(awsEndpoint({ USE_SSL: '0' })).toBe('http://localhost:4566');
  });
  it('withPort', () => {
    expect(withPort('h')).toBe('h:4566');
    expect(withPort('h:1')).toBe('h:1');
    expect(withPort('[::1]')).toBe('[::1]:4566');
  });
});

describe('awsInvocation', () => {
  it('adds --endpoint-url first, test credentials and us-east-1 on a bare machine', () => {
    const inv = awsInvocation(['sts', 'get-caller-identity'], { HOME: home, PATH: '/bin' }, home);
    expect(inv.args).toEqual(['--endpoint-url=http://localhost:4566', 'sts', 'get-caller-identity']);
    expect(inv.env).toMatchObject({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', PATH: '/bin' });
  });

  it('gives the endpoint in AWS_ENDPOINT_URL too (for the S3 client cloudformation package makes without --endpoint-url)', () => {
    expect(awsInvocation(['cloudformation', 'package'], { LOCALSTACK_HOST: '127.0.0.1:4999' }, home).env.AWS_ENDPOINT_URL).toBe('http://127.0.0.1:4999');
    // the user's own --endpoint-url: nothing added
    expect(awsInvocation(['--endpoint-url', 'http://other:1', 's3', 'ls'], {}, home).env.AWS_ENDPOINT_URL).toBeUndefined();
  });

  it('adds --no-verify-ssl for https, once', () => {
    expect(awsInvocation(['s3', 'ls'], { USE_SSL: '1' }, home).args).toEqual(['--endpoint-url=https://localhost:4566', '--no-verify-ssl', 's3', 'ls']);
    expect(awsInvocation(['--no-verify-ssl', 's3', 'ls'], { AWS_ENDPOINT_URL: 'https://h' }, home).args).toEqual(['--endpoint-url=https://h', '--no-verify-ssl', 's3', 'ls']);
  });

  it("keeps the user's own --endpoint-url", () => {
    expect(awsInvocation(['--endpoint-url', 'http://other:1', 'sqs', 'list-queues'], {}, home).args).toEqual(['--endpoint-url', 'http://other:1', 'sqs', 'list-queues']);
    expect(awsInvocation(['sqs', 'list-queues', '--endpoint-url=http://o:1'], {}, home).args[0]).toBe('sqs');
  });

  it('keeps credentials from the environment; fills a missing half', () => {
    expect(awsInvocation([], { AWS_ACCESS_KEY_ID: 'AKIAX', AWS_SECRET_ACCESS_KEY: 's' }, home).env).toMatchObject({ AWS_ACCESS_KEY_ID: 'AKIAX', AWS_SECRET_ACCESS_KEY: 's' });
    expect(awsInvocation([], { AWS_ACCESS_KEY_ID: '111111111111' }, home).env).toMatchObject({ AWS_ACCESS_KEY_ID: '111111111111', AWS_SECRET_ACCESS_KEY: 'test' });
  });

  it('keeps region from the environment or --region', () => {
    // the aws CLI v1 reads AWS_DEFAULT_REGION only
    expect(awsInvocation([], { AWS_REGION: 'eu-west-1' }, home).env.AWS_DEFAULT_REGION).toBe('eu-west-1');
    expect(awsInvocation([], { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'x' }, home).env.AWS_DEFAULT_REGION).toBe('x');
    expect(awsInvocation([], { AWS_DEFAULT_REGION: 'eu-west-2' }, home).env.AWS_DEFAULT_REGION).toBe('eu-west-2');
    expect(awsInvocation(['--region', 'ap-south-1', 'sts', 'get-caller-identity'], {}, home).env.AWS_DEFAULT_REGION).toBeUndefined();
    expect(awsInvocation(['--region=ap-south-1'], {}, home).env.AWS_DEFAULT_REGION).toBeUndefined();
  });

  it('respects the default profile of ~/.aws/credentials and ~/.aws/config', () => {
    awsFiles({ credentials: '[default]\naws_access_key_id = AKIAREAL\naws_secret_access_key = real\n', config: '[default]\nregion = eu-central-1\n' });
    const inv = awsInvocation(['sts', 'get-caller-identity'], { HOME: home }, home);
    expect(inv.env.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(inv.env.AWS_SECRET_ACCESS_KEY).toBeUndefined();
    expect(inv.env.AWS_DEFAULT_REGION).toBeUndefined();
  });

  it('a profile named by AWS_PROFILE or --profile must have credentials to count', () => {
    awsFiles({ credentials: '[dev]\naws_access_key_id = k\naws_secret_access_key = s\n', config: '[profile regiononly]\nregion = sa-east-1\n' });
    expect(awsInvocation([], { AWS_PROFILE: 'dev' }, home).env.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(awsInvocation(['--profile', 'dev'], {}, home).env.AWS_ACCESS_KEY_ID).toBeUndefined();
    // a profile with a region and no credentials: test credentials, its region kept
    const inv = awsInvocation([], { AWS_PROFILE: 'regiononly' }, home);
    expect(inv.env).toMatchObject({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    expect(inv.env.AWS_DEFAULT_REGION).toBeUndefined();
    // the default profile's keys do not count for another profile
    expect(awsInvocation([], { AWS_PROFILE: 'other' }, home).env.AWS_ACCESS_KEY_ID).toBe('test');
  });
});

describe('awsSettings: what counts as configured', () => {
  it('credential sources of a profile', () => {
    awsFiles({
      config: [
        '[profile process]\ncredential_process = /bin/creds',
        '[profile role]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base',
        '[profile sso]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = r',
        '[profile web]\nrole_arn = arn:aws:iam::1:role/r\nweb_identity_token_file = /t',
        '[profile half]\naws_access_key_id = k',
        '[profile incfg]\naws_access_key_id = k\naws_secret_access_key = s',
        '[incfg2]\naws_access_key_id = k\naws_secret_access_key = s',
      ].join('\n'),
    });
    const configured = (profile: string) => awsSettings(['--profile', profile], {}, home).credentials !== undefined;
    expect(configured('process')).toBe(true);
    expect(configured('role')).toBe(true);
    expect(configured('sso')).toBe(true);
    expect(configured('web')).toBe(true);
    expect(configured('incfg')).toBe(true);
    expect(configured('half')).toBe(false);
    // in the config file a profile other than default needs the `profile ` prefix
    expect(configured('incfg2')).toBe(false);
  });

  it('environment sources', () => {
    expect(awsSettings([], { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/creds' }, home).credentials).toBeDefined();
    expect(awsSettings([], { AWS_WEB_IDENTITY_TOKEN_FILE: '/t', AWS_ROLE_ARN: 'arn' }, home).credentials).toBeDefined();
    expect(awsSettings([], { AWS_WEB_IDENTITY_TOKEN_FILE: '/t' }, home).credentials).toBeUndefined();
    expect(awsSettings([], { AWS_SESSION_TOKEN: 'x' }, home).credentials).toBeUndefined();
  });

  it('AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE (with ~) replace the defaults', () => {
    writeFileSync(join(home, 'creds'), '[default]\naws_access_key_id=a\naws_secret_access_key=b\n');
    writeFileSync(join(home, 'cfg'), '[default]\nregion=us-west-2\n');
    const s = awsSettings([], { AWS_SHARED_CREDENTIALS_FILE: '~/creds', AWS_CONFIG_FILE: join(home, 'cfg') }, home);
    expect(s.credentials).toContain(join(home, 'creds'));
    expect(s.regionName).toBe('us-west-2');
  });

  it('botocore profile order: --profile, AWS_DEFAULT_PROFILE, AWS_PROFILE', () => {
    expect(awsSettings(['--profile=a'], { AWS_DEFAULT_PROFILE: 'b', AWS_PROFILE: 'c' }, home).profile).toBe('a');
    expect(awsSettings([], { AWS_DEFAULT_PROFILE: 'b', AWS_PROFILE: 'c' }, home).profile).toBe('b');
    expect(awsSettings([], { AWS_PROFILE: 'c' }, home).profile).toBe('c');
    expect(awsSettings([], {}, home)).toMatchObject({ profile: 'default', explicitProfile: false });
  });

  it('region in the credentials file counts (botocore merges the files)', () => {
    awsFiles({ credentials: '[default]\nregion = eu-north-1\n' });
    expect(awsSettings([], {}, home).regionName).toBe('eu-north-1');
  });

  it('parseIni: comments, nested sections, spacing', () => {
    expect(parseIni('# c\n; c\n[default]\nregion = us-east-1 # trailing\ns3 =\n  addressing_style = path\n[ profile x ]\nk=v\n')).toEqual({
      default: { region: 'us-east-1', s3: '' },
      'profile x': { k: 'v' },
    });
    expect(optionValue(['a', '--', '--profile', 'x'], '--profile')).toBeUndefined();
  });
});

describe('cdkEnvironment', () => {
  const online = async (host: string) => (host.endsWith('localhost.localstack.cloud') ? '127.0.0.1' : host === 'localstack' ? '172.18.0.2' : undefined);
  const offline = async () => undefined;

  it('defaults to localhost.localstack.cloud with its s3 subdomain, test credentials, us-east-1', async () => {
    const { env } = await cdkEnvironment({ PATH: '/bin' }, online);
    expect(env).toEqual({
      PATH: '/bin',
      AWS_ENDPOINT_URL: 'http://localhost.localstack.cloud:4566',
      AWS_ENDPOINT_URL_S3: 'http://s3.localhost.localstack.cloud:4566',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
    });
  });

  it('offline: 127.0.0.1 for both (an IP makes S3 requests path-style)', async () => {
    const { env } = await cdkEnvironment({}, offline);
    expect(env.AWS_ENDPOINT_URL).toBe('http://127.0.0.1:4566');
    expect(env.AWS_ENDPOINT_URL_S3).toBe('http://127.0.0.1:4566');
  });

  it('strips other AWS_* variables unless allow-listed', async () => {
    const { env } = await cdkEnvironment(
      { AWS_PROFILE: 'prod', AWS_ACCESS_KEY_ID: 'AKIAREAL', AWS_SECRET_ACCESS_KEY: 'real', AWS_REGION: 'eu-west-1', AWS_SESSION_TOKEN: 't', AWS_ENVAR_ALLOWLIST: 'AWS_REGION, AWS_DEFAULT_REGION', OTHER: 'kept' },
      online,
    );
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(env.AWS_SESSION_TOKEN).toBeUndefined();
    expect(env).toMatchObject({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1', OTHER: 'kept' });
  });

  it('LOCALSTACK_HOSTNAME, EDGE_PORT, USE_SSL; S3 at the host IP when s3.HOST does not resolve', async () => {
    const { env } = await cdkEnvironment({ LOCALSTACK_HOSTNAME: 'localstack', EDGE_PORT: '4999', USE_SSL: '1' }, online);
    expect(env.AWS_ENDPOINT_URL).toBe('https://localstack:4999');
    expect(env.AWS_ENDPOINT_URL_S3).toBe('https://172.18.0.2:4999');
  });

  it("a user's AWS_ENDPOINT_URL: S3 beside it when the host is an IP or localhost, else AWS_ENDPOINT_URL_S3 is required", async () => {
    expect((await cdkEnvironment({ AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' }, offline)).env.AWS_ENDPOINT_URL_S3).toBe('http://127.0.0.1:5000');
    expect((await cdkEnvironment({ AWS_ENDPOINT_URL: 'http://localhost:5000' }, offline)).env).toMatchObject({ AWS_ENDPOINT_URL: 'http://localhost:5000', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:5000' });
    expect((await cdkEnvironment({ AWS_ENDPOINT_URL: 'http://localhost.localstack.cloud:4566' }, online)).env.AWS_ENDPOINT_URL_S3).toBe('http://s3.localhost.localstack.cloud:4566');
    expect((await cdkEnvironment({ AWS_ENDPOINT_URL: 'http://x:1', AWS_ENDPOINT_URL_S3: 'http://y:2' }, offline)).env.AWS_ENDPOINT_URL_S3).toBe('http://y:2');
    await expect(cdkEnvironment({ AWS_ENDPOINT_URL: 'http://myhost:4566' }, offline)).rejects.toThrow(WrapperConfigError);
    await expect(cdkEnvironment({ AWS_ENDPOINT_URL: 'http://myhost:4566' }, offline)).rejects.toThrow(/set AWS_ENDPOINT_URL_S3/);
  });
});

describe('terraformTarget and service endpoints', () => {
  it('defaults: localhost:4566, S3 at s3.localhost.localstack.cloud when it resolves (virtual host)', () => {
    expect(terraformTarget({}, true, home)).toEqual({ endpoint: 'http://localhost:4566', s3Endpoint: 'http://s3.localhost.localstack.cloud:4566', s3PathStyle: false, region: 'us-east-1' });
  });

  it('offline: S3 on localhost, path-style', () => {
    expect(terraformTarget({}, false, home)).toMatchObject({ s3Endpoint: 'http://localhost:4566', s3PathStyle: true });
  });

  it('AWS_ENDPOINT_URL: its scheme, host and port; a remote host keeps S3 on itself', () => {
    expect(terraformTarget({ AWS_ENDPOINT_URL: 'https://ls.internal:8443' }, true, home)).toMatchObject({ endpoint: 'https://ls.internal:8443', s3Endpoint: 'https://ls.internal:8443', s3PathStyle: true });
    expect(terraformTarget({ AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' }, true, home)).toMatchObject({ endpoint: 'http://127.0.0.1:5000', s3Endpoint: 'http://s3.localhost.localstack.cloud:5000' });
    expect(() => terraformTarget({ AWS_ENDPOINT_URL: 'not a url' }, true, home)).toThrow(WrapperConfigError);
  });

  it('deprecated LOCALSTACK_HOSTNAME and EDGE_PORT; S3_HOSTNAME', () => {
    expect(terraformTarget({ LOCALSTACK_HOSTNAME: 'ls', EDGE_PORT: '4000' }, true, home)).toMatchObject({ endpoint: 'http://ls:4000', s3Endpoint: 'http://ls:4000' });
    expect(terraformTarget({ S3_HOSTNAME: 's3.example' }, false, home)).toMatchObject({ s3Endpoint: 'http://s3.example:4566', s3PathStyle: false });
    expect(terraformTarget({ S3_HOSTNAME: 'localhost' }, true, home)).toMatchObject({ s3PathStyle: true });
  });

  it('region: AWS_DEFAULT_REGION, AWS_REGION, the profile, us-east-1', () => {
    awsFiles({ config: '[default]\nregion = ca-central-1\n' });
    expect(terraformTarget({ AWS_DEFAULT_REGION: 'a', AWS_REGION: 'b' }, true, home).region).toBe('a');
    expect(terraformTarget({ AWS_REGION: 'b' }, true, home).region).toBe('b');
    expect(terraformTarget({}, true, home).region).toBe('ca-central-1');
  });

  it('<SERVICE>_ENDPOINT overrides one service, matched without underscores', () => {
    const target = terraformTarget({}, false, home);
    const endpoints = terraformServiceEndpoints(['s3', 'sqs', 'cognitoidp', 'secretsmanager'], target, { COGNITO_IDP_ENDPOINT: 'idp:9000', SQS_ENDPOINT: 'https://q', AWS_ENDPOINT: 'ignored' });
    expect(endpoints).toEqual({ s3: 'http://localhost:4566', sqs: 'https://q', cognitoidp: 'http://idp:9000', secretsmanager: 'http://localhost:4566' });
  });

  it('access keys starting with A are sent starting with L', () => {
    expect(deactivateAccessKey('AKIAIOSFODNN7EXAMPLE')).toBe('LKIAIOSFODNN7EXAMPLE');
    expect(deactivateAccessKey('ASIAX')).toBe('LSIAX');
    expect(deactivateAccessKey('test')).toBe('test');
    expect(deactivateAccessKey('000000000001')).toBe('000000000001');
  });
});
