/**
 * The real Terraform, driven through bin/tflocal.js, for the suites that apply configurations
 * to a runtime (S3, the S3-to-SQS notification demo, IAM). The AWS provider comes from the
 * mirror in TFLOCAL_TEST_PLUGIN_DIR (or /opt/tf-plugins): nothing is downloaded. A suite skips
 * outside CI when `haveTerraform` is false, and fails under CI.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from '../../src/wrappers/run.js';
import { ROOT } from './runtime.js';

const TFLOCAL = join(ROOT, 'bin', 'tflocal.js');
/** Where the AWS provider is mirrored. */
export const PLUGIN_DIR = process.env.TFLOCAL_TEST_PLUGIN_DIR ?? '/opt/tf-plugins';
/** Whether terraform is on PATH and the provider mirror is there. */
export const haveTerraform = Boolean(findOnPath('terraform')) && existsSync(join(PLUGIN_DIR, 'registry.terraform.io', 'hashicorp', 'aws'));

/** Runs `tflocal ARGS` in `cwd` with exactly `env`; its exit code and its output (stdout, then stderr). */
export function tflocal(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TFLOCAL, ...args], { env, cwd, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout + stderr });
    });
  });
}

/** A Terraform working folder with one configuration, initialised against a runtime. */
export interface TerraformProject {
  /** Runs `tflocal ARGS` in the folder (init is done). */
  run(args: string[]): Promise<{ code: number; out: string }>;
  /** Removes the folder. */
  remove(): void;
}

/**
 * A temporary folder holding `mainTf` as main.tf, a CLI configuration that installs providers
 * from the mirror only, and an environment with nothing of the caller's but PATH (HOME is the
 * folder); `terraform init` has run in it. Throws with init's output when init fails.
 */
export async function terraformProject(prefix: string, endpoint: string, mainTf: string): Promise<TerraformProject> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(dir, 'terraformrc'), `provider_installation {\n  filesystem_mirror {\n    path = "${PLUGIN_DIR}"\n  }\n}\n`);
  writeFileSync(join(dir, 'main.tf'), mainTf);
  const env = { PATH: process.env.PATH ?? '', HOME: dir, TF_CLI_CONFIG_FILE: join(dir, 'terraformrc'), AWS_ENDPOINT_URL: endpoint, TF_IN_AUTOMATION: '1' };
  const project: TerraformProject = {
    run: (args) => tflocal(args, env, dir),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  const init = await project.run(['init', '-input=false', '-no-color']);
  if (init.code !== 0) {
    project.remove();
    throw new Error(`terraform init failed:\n${init.out}`);
  }
  return project;
}
