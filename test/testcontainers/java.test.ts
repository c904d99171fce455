/**
 * Drop-in use from Java: the Maven project in java/ starts our image with testcontainers-java's
 * LocalStack module (`DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("localstack/localstack")`)
 * and drives S3 and SSM with the AWS SDK for Java v2, under JUnit 5, twice:
 * - testcontainers 2.0.5 (`org.testcontainers:testcontainers-localstack`): its new class
 *   (org.testcontainers.localstack) and the one 1.x had (org.testcontainers.containers.localstack);
 * - testcontainers 1.21.4 (`org.testcontainers:localstack`, profile testcontainers-1): the 1.x class.
 * The 1.x class reads the tag as a LocalStack version (a `0.1.0` would mean LocalStack 0.1 and its
 * one-port-per-service legacy mode), so it gets a `:latest` tag of the image, made here when
 * IMAGE is not one already and removed after.
 *
 * Maven runs online: every version is pinned, so only the first run downloads (about a minute),
 * and later runs ask Maven Central nothing; `-o` would make a fresh machine fail instead.
 * Startup checks are disabled (TESTCONTAINERS_CHECKS_DISABLE: they pull alpine, which no registry
 * here serves, retrying for two minutes), and so is Ryuk: each test class stops (removes) its
 * container, and this file checks that nothing is left. Missing Maven or Java fails the file
 * under CI and skips it elsewhere.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE, labelledContainers, prepareImage, removeLabelled, runLabel, TESTCONTAINERS_ENV } from './image.js';

const PROJECT = join(dirname(fileURLToPath(import.meta.url)), 'java');
const LABEL = runLabel('java');
/** Each class runs three tests: our image and its Ready. line, S3, SSM. */
const TESTS_PER_CLASS = 3;

function works(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}
const haveMaven = works('mvn', ['-v']) && works('javac', ['-version']);

let docker: Docker | undefined;
let imageId: string;
let latest: string;
let aliasMade = false;

interface Suite {
  tests: number;
  errors: number;
  failures: number;
  skipped: number;
}

/** The surefire report of each test class in a build folder: what ran, by class name. */
function reports(dir: string): Record<string, Suite> {
  const out: Record<string, Suite> = {};
  if (!existsSync(dir)) return out;
  for (const file of readdirSync(dir).filter((f) => /^TEST-.*\.xml$/.test(f))) {
    const head = /<testsuite\b[^>]*>/.exec(readFileSync(join(dir, file), 'utf8'))?.[0] ?? '';
    const attr = (name: string) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(head)?.[1] ?? NaN);
    const name = /\bname="([^"]+)"/.exec(head)?.[1] ?? file;
    out[name] = { tests: attr('tests'), errors: attr('errors'), failures: attr('failures'), skipped: attr('skipped') };
  }
  return out;
}

/** `mvn -B -q test` (with `profile`) in the project; the reports of that line's build folder. */
async function mavenTest(line: 'testcontainers-1' | 'testcontainers-2', profile?: string): Promise<Record<string, Suite>> {
  const reportDir = join(PROJECT, 'target', line, 'surefire-reports');
  // a report of an earlier run must not stand for this one
  rmSync(reportDir, { recursive: true, force: true });
  const args = ['-B', '-q', ...(profile ? [`-P${profile}`] : []), 'test'];
  const run = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      'mvn',
      args,
      {
        cwd: PROJECT,
        env: {
          ...process.env,
          ...TESTCONTAINERS_ENV,
          TESTCONTAINERS_CHECKS_DISABLE: 'true',
          TC_LOCALSTACK_IMAGE: IMAGE,
          TC_LOCALSTACK_IMAGE_LATEST: latest,
          TC_LOCALSTACK_IMAGE_ID: imageId,
          TC_RUN_LABEL: LABEL,
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
        timeout: 580_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}\n${stderr}` }),
    );
  });
  expect(run.code, `mvn ${args.join(' ')}:\n${run.output.slice(-8000)}`).toBe(0);
  return reports(reportDir);
}

describe.skipIf(!haveMaven && !process.env.CI)('testcontainers-java (Maven) LocalStack module with our image', () => {
  beforeAll(async () => {
    docker = await prepareImage();
    imageId = (await docker.getImage(IMAGE).inspect()).Id;
    latest = IMAGE;
    if (!IMAGE.endsWith(':latest')) {
      latest = `localstack-ts/testcontainers-java-${process.pid}:latest`;
      await docker.getImage(IMAGE).tag({ repo: latest.slice(0, -':latest'.length), tag: 'latest' });
      aliasMade = true;
    }
  }, 900_000);

  afterAll(async () => {
    if (!docker) return;
    await removeLabelled(docker, LABEL);
    // the tag only: the image stays, under IMAGE
    if (aliasMade) await docker.getImage(latest).remove({ noprune: true }).catch(() => undefined);
  });

  const clean = { tests: TESTS_PER_CLASS, errors: 0, failures: 0, skipped: 0 };

  it('testcontainers 2.0.5: both LocalStackContainer classes start our image, wait for Ready., and drive S3 and SSM', { timeout: 600_000 }, async () => {
    const suites = await mavenTest('testcontainers-2');
    expect(suites).toEqual({ 'localstackts.LocalStackModuleTest': clean, 'localstackts.ContainersPackageLocalStackTest': clean });
    expect(await labelledContainers(docker!, LABEL)).toEqual([]);
  });

  it('testcontainers 1.21.4 (org.testcontainers:localstack): the same with the 1.x module', { timeout: 600_000 }, async () => {
    const suites = await mavenTest('testcontainers-1', 'testcontainers-1');
    expect(suites).toEqual({ 'localstackts.ContainersPackageLocalStackTest': clean });
    expect(await labelledContainers(docker!, LABEL)).toEqual([]);
  });
});
