/**
 * The real Terraform, driven through bin/tflocal.js, for the suites that apply configurations
 * to a runtime (S3, the S3-to-SQS notification demo, IAM). The AWS provider comes from the
 * mirror in TFLOCAL_TEST_PLUGIN_DIR (or /opt/tf-plugins): nothing is downloaded. A suite skips
 * outside CI when `haveTerraform` is false, and fails under CI.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
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
