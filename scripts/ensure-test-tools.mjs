#!/usr/bin/env node
/**
 * Part of `npm test`: makes sure the Python tools the integration tests drive are there, so
 * that the README's test command works on a fresh machine:
 * - the AWS CLI: `aws` when it is on PATH, else `python3 -m awscli`;
 * - boto3, importable by `python3` (test/conformance/boto3.test.ts runs it);
 *   both at least as new as the botocore whose models the runtime carries (BOTOCORE below, the
 *   version scripts/generate-models.mjs pins): the conformance suites compare the runtime's
 *   model with the clients', so an older client would show differences that are not ours;
 * - testcontainers-python's LocalStack module and pytest, which test/testcontainers/python.test.ts
 *   runs (PyPI);
 * - Maven and a JDK, for the Java testcontainers flow (test/testcontainers/java.test.ts; Debian
 *   packages); the flow's own dependencies come from Maven Central on its first run;
 * - zsh and fish, whose completion scripts test/cli/completion.test.ts checks (Debian packages);
 * - Terraform, which tflocal's test drives: not in any registry this machine reaches, so it is
 *   only checked (the machines here have it); missing, the run fails under CI and warns elsewhere.
 * Whatever is missing is installed (PyPI, apt). Exits non-zero with one clear line when it
 * cannot: a missing tool must fail the run, never skip tests.
 */
import { execFileSync } from 'node:child_process';

function works(cmd, args) {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

const pip = (...pkgs) => () => execFileSync('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--upgrade', ...pkgs], { stdio: 'inherit', timeout: 300_000 });
const apt = (...pkgs) => () => {
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', timeout: 300_000 });
  execFileSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: 'ignore', timeout: 600_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
};

/** The botocore of the runtime's models (scripts/generate-models.mjs), and the clients built on it. */
const BOTOCORE = '1.44.18';
const CLIENTS = ['boto3>=1.44.18', 'awscli>=1.46.3'];
/** testcontainers-python with its LocalStack extra (boto3), and the runner of its flow. */
const TESTCONTAINERS_PY = ['testcontainers[localstack]>=4.15', 'pytest'];

/** Whether the botocore that `python` imports (the AWS CLI's and boto3's) is at least BOTOCORE. */
const botocoreIsCurrent = () =>
  works('python3', ['-c', `import botocore, sys; v = lambda s: tuple(int(x) for x in s.split('.')[:3]); sys.exit(v(botocore.__version__) < v('${BOTOCORE}'))`]);

const TOOLS = [
  {
    name: 'the AWS CLI',
    package: CLIENTS.join(' '),
    install: pip(...CLIENTS),
    present: () => (works('aws', ['--version']) || works('python3', ['-m', 'awscli', '--version'])) && botocoreIsCurrent(),
    hint: `python3 -m pip install ${CLIENTS.map((c) => `'${c}'`).join(' ')}`,
  },
  {
    name: 'boto3',
    package: CLIENTS.join(' '),
    install: pip(...CLIENTS),
    present: () => works('python3', ['-c', 'import boto3']) && botocoreIsCurrent(),
    hint: `python3 -m pip install ${CLIENTS.map((c) => `'${c}'`).join(' ')}`,
  },
  {
    name: 'testcontainers for Python',
    package: TESTCONTAINERS_PY.join(' '),
    install: pip(...TESTCONTAINERS_PY),
    present: () => works('python3', ['-c', 'import testcontainers.core.container, boto3, pytest']),
    hint: `python3 -m pip install ${TESTCONTAINERS_PY.map((c) => `'${c}'`).join(' ')}`,
  },
  {
    name: 'Maven and a JDK',
    package: 'maven default-jdk-headless (apt)',
    install: apt('maven', 'default-jdk-headless'),
    present: () => works('mvn', ['-v']) && works('javac', ['-version']),
    hint: 'apt-get install maven default-jdk-headless',
  },
  { name: 'zsh', package: 'zsh (apt)', install: apt('zsh'), present: () => works('zsh', ['-c', 'true']), hint: 'apt-get install zsh' },
  { name: 'fish', package: 'fish (apt)', install: apt('fish'), present: () => works('fish', ['-c', 'true']), hint: 'apt-get install fish' },
];

if (!works('terraform', ['version'])) {
  const line = 'ensure-test-tools: Terraform is missing (no registry here has it): the tflocal test against the real Terraform cannot run';
  if (process.env.CI) {
    console.error(`${line}; CI requires it`);
    process.exit(1);
  }
  console.error(`${line} and is skipped`);
}

for (const tool of TOOLS) {
  if (tool.present()) continue;
  console.error(`ensure-test-tools: ${tool.name} is missing; installing ${tool.package}`);
  try {
    tool.install();
  } catch {
    // reported below
  }
  if (!tool.present()) {
    console.error(`ensure-test-tools: cannot install ${tool.name}; install it (${tool.hint}) and run npm test again`);
    process.exit(1);
  }
}
