/**
 * tflocal: the HCL reading, the override file, and bin/tflocal.js around a stub terraform
 * (which records whether the override file existed while it ran). The last test drives the
 * real terraform and AWS provider against the runtime when both are on this machine (a
 * provider mirror in TFLOCAL_TEST_PLUGIN_DIR or /opt/tf-plugins), and is skipped otherwise.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseHcl, stringLiteral, hclString } from '../../../src/wrappers/hcl.js';
import { terraformTarget } from '../../../src/wrappers/endpoints.js';
import {
  OVERRIDE_HEADER,
  TERRAFORM_ENDPOINT_KEYS,
  providerOverride,
  scanModule,
  terraformDir,
  terraformSubcommand,
  unproxied,
  type AwsProvider,
} from '../../../src/wrappers/terraform.js';
import { findOnPath } from '../../../src/wrappers/run.js';
import { ROOT, startRuntime, type RuntimeProcess } from '../../support/runtime.js';

const TFLOCAL = join(ROOT, 'bin', 'tflocal.js');

function run(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TFLOCAL, ...args], { env, cwd, timeout: 240_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('HCL reading', () => {
  const text = `
# comment with provider "aws" { in it
provider "aws" {
  region = "eu-west-1" // trailing
  alias  = "west"
  default_tags {
    tags = { Env = "x}" }
  }
}
/* provider "aws" { alias = "hidden" } */
provider "aws" {
  region     = var.region
  access_key = "AKIA\\"Q"
  assume_role {
    role_arn = "arn:\${var.x}"
  }
}
locals {
  doc = <<-EOT
    provider "aws" { alias = "in-heredoc" }
  EOT
  list = [
    "a", # comment
    "b",
  ]
}
terraform {
  backend "s3" {
    bucket = "b"
  }
}
resource "aws_s3_bucket" "b" { bucket = "x" }
`;
  const blocks = parseHcl(text);

  it('finds the top-level blocks and their labels, skipping comments, strings and heredocs', () => {
    expect(blocks.map((b) => [b.type, ...b.labels].join(' '))).toEqual(['provider aws', 'provider aws', 'locals', 'terraform', 'resource aws_s3_bucket b']);
  });

  it('keeps attribute expressions as text; literal strings decode', () => {
    expect(blocks[0]!.attributes).toEqual({ region: '"eu-west-1"', alias: '"west"' });
    expect(blocks[0]!.blocks[0]!.attributes.tags).toBe('{ Env = "x}" }');
    expect(blocks[1]!.attributes.region).toBe('var.region');
    expect(stringLiteral(blocks[1]!.attributes.access_key!)).toBe('AKIA"Q');
    expect(stringLiteral(blocks[1]!.blocks[0]!.attributes.role_arn!)).toBeUndefined();
    expect(blocks[2]!.attributes.list).toBe('[\n    "a", \n    "b",\n  ]');
    expect(blocks[3]!.blocks[0]).toMatchObject({ type: 'backend', labels: ['s3'] });
    expect(blocks[4]!.attributes.bucket).toBe('"x"');
  });

  it('reports what it cannot follow with a line number', () => {
    expect(() => parseHcl('provider "aws" {\n  region = "x"\n')).toThrow(/missing \}/);
    expect(() => parseHcl('a = "b\n"')).toThrow(/line 1: newline in a quoted string/);
  });

  it('hclString escapes what HCL would read otherwise', () => {
    expect(hclString('a"b\\c${d}%{e}\n')).toBe('"a\\"b\\\\c$${d}%%{e}\\n"');
    expect(stringLiteral(hclString('a"b\\c${d}%{e}\n'))).toBe('a"b\\c${d}%{e}\n');
  });
});

describe('terraform arguments', () => {
  it('subcommand, -chdir, unproxied commands', () => {
    expect(terraformSubcommand(['-chdir=infra', 'plan', '-out', 'x'])).toBe('plan');
    expect(terraformDir(['-chdir=infra', 'plan'])).toBe('infra');
    expect(terraformDir(['plan', '-chdir=not-global'])).toBe('.');
    expect(unproxied(['fmt'], {})).toBe(true);
    expect(unproxied(['-chdir=x', 'validate'], {})).toBe(true);
    expect(unproxied(['-version'], {})).toBe(true);
    expect(unproxied(['plan'], {})).toBe(false);
    expect(unproxied(['plan'], { TF_UNPROXIED_CMDS: 'fmt, plan' })).toBe(true);
    expect(unproxied(['fmt'], { TF_UNPROXIED_CMDS: '' })).toBe(false);
  });
});

describe('providerOverride', () => {
  const home = mkdtempSync(join(tmpdir(), 'tf-home-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  const target = terraformTarget({ HOME: home }, false, home);
  const options = (env: NodeJS.ProcessEnv = {}) => ({ target, env: { HOME: home, ...env } });

  it('the default provider, test credentials, every endpoint, path-style S3 on localhost', () => {
    const text = providerOverride([], options());
    expect(text.startsWith(OVERRIDE_HEADER)).toBe(true);
    const blocks = parseHcl(text);
    expect(blocks).toHaveLength(1);
    const p = blocks[0]!;
    expect(p.labels).toEqual(['aws']);
    expect(p.attributes).toEqual({
      access_key: '"test"',
      secret_key: '"test"',
      skip_credentials_validation: 'true',
      skip_metadata_api_check: 'true',
      skip_requesting_account_id: 'true',
      s3_use_path_style: 'true',
      region: '"us-east-1"',
    });
    const endpoints = p.blocks[0]!;
    expect(endpoints.type).toBe('endpoints');
    expect(Object.keys(endpoints.attributes)).toEqual([...TERRAFORM_ENDPOINT_KEYS]);
    expect(new Set(Object.values(endpoints.attributes))).toEqual(new Set(['"http://localhost:4566"']));
    // one key per service: aliases the provider would warn about are not there
    for (const alias of ['s3api', 'cloudwatchlogs', 'stepfunctions', 'eventbridge']) expect(endpoints.attributes[alias]).toBeUndefined();
    for (const key of ['s3', 'logs', 'sfn', 'events', 'sts', 'ssm', 'sqs', 'lambda', 'dynamodb']) expect(endpoints.attributes[key]).toBeDefined();
  });

  it('no s3_use_path_style when the S3 host starts with s3.', () => {
    const virtual = terraformTarget({ HOME: home }, true, home);
    const p = parseHcl(providerOverride([], { target: virtual, env: {} }))[0]!;
    expect(p.attributes.s3_use_path_style).toBeUndefined();
    expect(p.blocks[0]!.attributes.s3).toBe('"http://s3.localhost.localstack.cloud:4566"');
    // an S3_ENDPOINT override decides as well
    const custom = parseHcl(providerOverride([], { target: virtual, env: { S3_ENDPOINT: 'http://localhost:4566' } }))[0]!;
    expect(custom.attributes.s3_use_path_style).toBe('true');
  });

  it('one block per alias; the module region kept where it sets one; SKIP_ALIASES', () => {
    const providers: AwsProvider[] = [
      { hasRegion: true, file: 'main.tf' },
      { alias: 'west', hasRegion: true, file: 'main.tf' },
      { alias: 'noregion', hasRegion: false, file: 'main.tf' },
      { alias: 'skipped', hasRegion: false, file: 'main.tf' },
      { alias: 'west', hasRegion: true, file: 'other.tf' },
    ];
    const blocks = parseHcl(providerOverride(providers, options({ SKIP_ALIASES: 'skipped' })));
    expect(blocks.map((b) => b.attributes.alias)).toEqual([undefined, '"west"', '"noregion"']);
    expect(blocks.map((b) => b.attributes.region)).toEqual([undefined, undefined, '"us-east-1"']);
  });

  it('CUSTOMIZE_ACCESS_KEY: AWS_ACCESS_KEY_ID, the provider key, the profile key; A -> L', () => {
    const key = (providers: AwsProvider[], env: NodeJS.ProcessEnv, profileAccessKeyId?: string) =>
      parseHcl(providerOverride(providers, { target, env, profileAccessKeyId }))[0]!.attributes.access_key;
    expect(key([], { AWS_ACCESS_KEY_ID: 'AKIAENV' })).toBe('"test"');
    expect(key([], { CUSTOMIZE_ACCESS_KEY: '1', AWS_ACCESS_KEY_ID: 'AKIAENV' })).toBe('"LKIAENV"');
    expect(key([{ hasRegion: false, accessKey: '000000000001', file: 'x' }], { CUSTOMIZE_ACCESS_KEY: 'true' })).toBe('"000000000001"');
    expect(key([], { CUSTOMIZE_ACCESS_KEY: '1' }, 'ASIAPROFILE')).toBe('"LSIAPROFILE"');
    expect(key([], { CUSTOMIZE_ACCESS_KEY: '1' })).toBe('"test"');
  });
});

describe('scanModule', () => {
  it('reads aws providers and S3 state, not override files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-scan-'));
    try {
      writeFileSync(join(dir, 'main.tf'), 'provider "aws" {\n  alias = "a"\n  region = var.r\n  access_key = "k"\n}\nprovider "google" {}\n');
      writeFileSync(join(dir, 'x_override.tf'), 'provider "aws" {\n  alias = "ignored"\n}\n');
      writeFileSync(join(dir, 'state.tf'), 'data "terraform_remote_state" "net" {\n  backend = "s3"\n  config = {}\n}\n');
      writeFileSync(join(dir, 'bad.tf'), 'provider "aws" {\n');
      const scan = scanModule(dir);
      expect(scan.providers).toEqual([{ alias: 'a', hasRegion: true, accessKey: 'k', file: 'main.tf' }]);
      expect(scan.s3State).toEqual(['state.tf']);
      expect(scan.unreadable).toEqual(['bad.tf: line 2: missing }']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bin/tflocal.js with a stub terraform', () => {
  let dir: string;
  let bin: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tflocal-'));
    bin = join(dir, 'bin');
    mkdirSync(bin);
    mkdirSync(join(dir, 'mod'));
    mkdirSync(join(dir, 'extra'));
    // records its arguments and which override files existed while it ran; exits 3
    writeFileSync(
      join(bin, 'terraform'),
      `#!/bin/sh\necho "args: $*" > "${dir}/ran"\nfor f in "${dir}"/mod/*_override.tf "${dir}"/extra/*_override.tf; do [ -e "$f" ] && echo "file: $f" >> "${dir}/ran"; done\nexit 3\n`,
    );
    chmodSync(join(bin, 'terraform'), 0o755);
    writeFileSync(join(dir, 'mod', 'main.tf'), 'provider "aws" {\n  alias = "west"\n  region = "eu-west-1"\n}\n');
    env = { PATH: `${bin}:/usr/bin:/bin`, HOME: dir, S3_HOSTNAME: 'localhost' };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const ran = () => readFileSync(join(dir, 'ran'), 'utf8');

  it('writes the override beside the module (and ADDITIONAL_TF_OVERRIDE_LOCATIONS) only while terraform runs; its exit code is tflocal’s', async () => {
    const r = await run(['-chdir=mod', 'plan', '-input=false'], { ...env, ADDITIONAL_TF_OVERRIDE_LOCATIONS: 'extra' }, dir);
    expect(r.code).toBe(3);
    expect(ran()).toBe(`args: -chdir=mod plan -input=false\nfile: ${dir}/mod/localstack_providers_override.tf\nfile: ${dir}/extra/localstack_providers_override.tf\n`);
    expect(existsSync(join(dir, 'mod', 'localstack_providers_override.tf'))).toBe(false);
    expect(existsSync(join(dir, 'extra', 'localstack_providers_override.tf'))).toBe(false);
  });

  it('runs unproxied commands untouched', async () => {
    const r = await run(['-chdir=mod', 'fmt'], env, dir);
    expect(r.code).toBe(3);
    expect(ran()).toBe('args: -chdir=mod fmt\n');
  });

  it('DRY_RUN writes and keeps the files, runs nothing; LS_PROVIDERS_FILE names them', async () => {
    const r = await run(['plan'], { ...env, DRY_RUN: '1', LS_PROVIDERS_FILE: 'ls_override.tf' }, join(dir, 'mod'));
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'ran'))).toBe(false);
    expect(r.stderr).toBe(`tflocal: DRY_RUN: wrote ${dir}/mod/ls_override.tf; terraform not run\n`);
    const blocks = parseHcl(readFileSync(join(dir, 'mod', 'ls_override.tf'), 'utf8'));
    expect(blocks.map((b) => b.attributes.alias)).toEqual([undefined, '"west"']);
  });

  it('refuses a file it did not write; replaces a leftover of its own', async () => {
    writeFileSync(join(dir, 'mod', 'localstack_providers_override.tf'), '# mine\n');
    let r = await run(['-chdir=mod', 'plan'], env, dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('tflocal: mod/localstack_providers_override.tf exists and was not written by tflocal; remove it first\n');
    writeFileSync(join(dir, 'mod', 'localstack_providers_override.tf'), `${OVERRIDE_HEADER}\n`);
    r = await run(['-chdir=mod', 'plan'], env, dir);
    expect(r.code).toBe(3);
    expect(existsSync(join(dir, 'mod', 'localstack_providers_override.tf'))).toBe(false);
  });

  it('refuses state in S3 rather than let terraform reach AWS', async () => {
    writeFileSync(join(dir, 'mod', 'backend.tf'), 'terraform {\n  backend "s3" {\n    bucket = "b"\n  }\n}\n');
    const r = await run(['-chdir=mod', 'init'], env, dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tflocal: mod\/backend\.tf: state in S3 .* would reach real AWS; use a local backend\n$/);
    expect(existsSync(join(dir, 'ran'))).toBe(false);
  });

  it('a missing terraform (or TF_CMD) is one line and exit 127', async () => {
    let r = await run(['plan'], { ...env, PATH: '/nonexistent' }, join(dir, 'mod'));
    expect(r).toMatchObject({ code: 127, stderr: 'tflocal: terraform not found: install Terraform (or set TF_CMD, e.g. TF_CMD=tofu)\n' });
    r = await run(['version'], { ...env, TF_CMD: 'tofu' }, join(dir, 'mod'));
    expect(r).toMatchObject({ code: 127, stderr: 'tflocal: tofu not found: install Terraform (or set TF_CMD, e.g. TF_CMD=tofu)\n' });
    expect(existsSync(join(dir, 'mod', 'localstack_providers_override.tf'))).toBe(false);
  });
});

const PLUGIN_DIR = process.env.TFLOCAL_TEST_PLUGIN_DIR ?? '/opt/tf-plugins';
const haveTerraform = Boolean(findOnPath('terraform')) && existsSync(join(PLUGIN_DIR, 'registry.terraform.io', 'hashicorp', 'aws'));

// skipped on a machine without Terraform, never under CI: there a missing Terraform fails
describe.skipIf(!haveTerraform && !process.env.CI)(`tflocal with the real terraform and AWS provider (mirror ${PLUGIN_DIR})`, () => {
  let runtime: RuntimeProcess;
  let dir: string;
  afterAll(async () => {
    await runtime?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('applies an SSM parameter into the runtime, with no provider warnings; reads the account from STS', { timeout: 300_000 }, async () => {
    runtime = await startRuntime();
    dir = mkdtempSync(join(tmpdir(), 'tflocal-real-'));
    writeFileSync(join(dir, 'terraformrc'), `provider_installation {\n  filesystem_mirror {\n    path = "${PLUGIN_DIR}"\n  }\n}\n`);
    writeFileSync(
      join(dir, 'main.tf'),
      `terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n` +
        `provider "aws" {\n  alias = "second"\n}\n` +
        `data "aws_caller_identity" "me" {}\n` +
        `data "aws_caller_identity" "second" {\n  provider = aws.second\n}\n` +
        `resource "aws_ssm_parameter" "p" {\n  name  = "/tflocal/e2e"\n  type  = "String"\n  value = "from terraform"\n}\n` +
        `output "accounts" { value = [data.aws_caller_identity.me.account_id, data.aws_caller_identity.second.account_id] }\n`,
    );
    const env = { PATH: process.env.PATH ?? '', HOME: dir, TF_CLI_CONFIG_FILE: join(dir, 'terraformrc'), AWS_ENDPOINT_URL: runtime.endpoint, TF_IN_AUTOMATION: '1' };
    const init = await run(['init', '-input=false', '-no-color'], env, dir);
    expect(init.code, init.stderr).toBe(0);
    const apply = await run(['apply', '-auto-approve', '-input=false', '-no-color'], env, dir);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain('Apply complete! Resources: 1 added');
    expect(apply.stdout).toMatch(/accounts = \[\s*"000000000000",\s*"000000000000",\s*\]/);
    expect(apply.stdout + apply.stderr).not.toMatch(/Warning/);
    expect(existsSync(join(dir, 'localstack_providers_override.tf'))).toBe(false);

    const { SSMClient, GetParameterCommand } = await import('@aws-sdk/client-ssm');
    const ssm = new SSMClient({ endpoint: runtime.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    expect((await ssm.send(new GetParameterCommand({ Name: '/tflocal/e2e' }))).Parameter?.Value).toBe('from terraform');
  });
});
