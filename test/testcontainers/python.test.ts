/**
 * Drop-in use from Python: test_localstack.py, under pytest, starts our image with
 * testcontainers-python's LocalStack module (`testcontainers[localstack]`, which
 * scripts/ensure-test-tools.mjs installs) and drives S3 and SSM with boto3. This file builds the
 * image, runs pytest as a user would, and checks that every test ran and passed and that the
 * flow removed its container itself (Ryuk is disabled: no registry serves its image here).
 * A missing testcontainers, boto3 or pytest fails the file under CI and skips it elsewhere.
 */
import { execFile, execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE, labelledContainers, prepareImage, removeLabelled, runLabel, TESTCONTAINERS_ENV } from './image.js';

const FLOW = join(dirname(fileURLToPath(import.meta.url)), 'test_localstack.py');
const LABEL = runLabel('python');

function havePythonTools(): boolean {
  try {
    execFileSync('python3', ['-c', 'import testcontainers.core.container, boto3, pytest'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

let docker: Docker | undefined;

describe.skipIf(!havePythonTools() && !process.env.CI)('testcontainers[localstack] (Python) with our image', () => {
  beforeAll(async () => {
    docker = await prepareImage();
  }, 900_000);

  afterAll(async () => {
    if (docker) await removeLabelled(docker, LABEL);
  });

  it('pytest: the module starts our image, waits for Ready., and boto3 drives S3 and SSM', { timeout: 300_000 }, async () => {
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        'python3',
        ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-rA', FLOW],
        {
          env: {
            ...process.env,
            ...TESTCONTAINERS_ENV,
            TC_LOCALSTACK_IMAGE: IMAGE,
            TC_RUN_LABEL: LABEL,
            AWS_CONFIG_FILE: '/dev/null',
            AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          },
          timeout: 280_000,
          maxBuffer: 16 * 1024 * 1024,
        },
        (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    // every test ran (none skipped or deselected) and passed
    expect(run.stdout).toMatch(/^3 passed\b/m);
    for (const name of ['test_starts_our_image', 'test_s3_bucket_and_object', 'test_ssm_parameters']) expect(run.stdout).toContain(`PASSED test/testcontainers/test_localstack.py::${name}`);
    expect(run.stdout).not.toMatch(/skipped|xfail/i);
    // the fixture's stop() removed the container
    expect(await labelledContainers(docker!, LABEL)).toEqual([]);
  });
});
