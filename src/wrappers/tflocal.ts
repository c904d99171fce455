/**
 * `tflocal ARGS`: terraform (TF_CMD, default `terraform`) with a temporary override file
 * (LS_PROVIDERS_FILE, default localstack_providers_override.tf) in the module directory
 * (-chdir=DIR, else the current one) and in every folder of ADDITIONAL_TF_OVERRIDE_LOCATIONS
 * (comma separated), removed when terraform exits. DRY_RUN=1 writes the files, keeps them and
 * runs nothing. Commands in TF_UNPROXIED_CMDS (default fmt,validate,version) run untouched.
 *
 * Not yet: redirecting state kept in S3 (`backend "s3"`, `terraform_remote_state`); it would
 * need S3 and DynamoDB in the emulator. Rather than let terraform reach real AWS for state,
 * tflocal refuses modules that configure it.
 */
import { lookup } from 'node:dns/promises';
import { rmSync, writeFileSync } from 'node:fs';
import { resolve as resolvePath, join } from 'node:path';
import { awsSettings } from './aws-config.js';
import { isTrue, terraformS3Host, terraformTarget, WrapperConfigError } from './endpoints.js';
import { findOnPath, NOT_FOUND, runTool, say } from './run.js';
import {
  AWS_PROVIDER_VERSION,
  DEFAULT_PROVIDERS_FILE,
  lockedAwsProviderVersion,
  overrideWritable,
  providerOverride,
  scanModule,
  terraformDir,
  unproxied,
} from './terraform.js';

const MISSING = 'install Terraform (or set TF_CMD, e.g. TF_CMD=tofu)';

async function resolves(host: string): Promise<boolean> {
  try {
    await lookup(host);
    return true;
  } catch {
    return false;
  }
}

export async function main(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const command = env.TF_CMD?.trim() || 'terraform';
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  const dryRun = isTrue(env.DRY_RUN);
  if (unproxied(args, env) && !dryRun) return runTool('tflocal', command, args, childEnv, MISSING);
  if (!dryRun && !findOnPath(command, env)) {
    say('tflocal', `${command} not found: ${MISSING}`);
    return NOT_FOUND;
  }

  const dirs = [terraformDir(args), ...(env.ADDITIONAL_TF_OVERRIDE_LOCATIONS ?? '').split(',').map((s) => s.trim()).filter(Boolean)];
  const fileName = env.LS_PROVIDERS_FILE?.trim() || DEFAULT_PROVIDERS_FILE;
  let target;
  try {
    const s3Host = terraformS3Host(env);
    const s3Resolves = env.S3_HOSTNAME ? true : await resolves(s3Host);
    target = terraformTarget(env, s3Resolves);
  } catch (error) {
    if (!(error instanceof WrapperConfigError)) throw error;
    say('tflocal', error.message);
    return 1;
  }
  const profileAccessKeyId = awsSettings([], env).profileAccessKeyId;

  const files: Array<[string, string]> = [];
  for (const dir of dirs) {
    const scan = scanModule(dir);
    for (const problem of scan.unreadable) say('tflocal', `warning: cannot read ${join(dir, problem)} (its providers are not overridden)`);
    if (scan.s3State.length > 0) {
      say('tflocal', `${scan.s3State.map((f) => join(dir, f)).join(', ')}: state in S3 (backend "s3" or terraform_remote_state) is not redirected to the emulator yet, and would reach real AWS; use a local backend`);
      return 1;
    }
    const locked = lockedAwsProviderVersion(dir);
    if (locked && locked.split('.')[0] !== AWS_PROVIDER_VERSION.split('.')[0]) {
      say('tflocal', `warning: ${dir} locks hashicorp/aws ${locked}; the endpoint keys are those of ${AWS_PROVIDER_VERSION}, which it may not all know`);
    }
    const path = join(dir, fileName);
    if (!overrideWritable(path)) {
      say('tflocal', `${path} exists and was not written by tflocal; remove it first`);
      return 1;
    }
    files.push([path, providerOverride(scan.providers, { target, env, profileAccessKeyId })]);
  }

  const written: string[] = [];
  const cleanup = () => {
    for (const path of written.splice(0)) rmSync(path, { force: true });
  };
  try {
    for (const [path, content] of files) {
      writeFileSync(path, content);
      written.push(path);
    }
    if (dryRun) {
      for (const path of written.splice(0)) say('tflocal', `DRY_RUN: wrote ${resolvePath(path)}; terraform not run`);
      return 0;
    }
    // also on `exit` (a second Ctrl-C while terraform winds down ends node before `finally`)
    process.once('exit', cleanup);
    return await runTool('tflocal', command, args, childEnv, MISSING);
  } finally {
    cleanup();
    process.off('exit', cleanup);
  }
}
