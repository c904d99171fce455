#!/usr/bin/env node
/**
 * Part of `npm test`: makes sure the Python tools the integration tests drive are there, so
 * that the README's test command works on a fresh machine:
 * - the AWS CLI: `aws` when it is on PATH, else `python3 -m awscli`;
 * - boto3, importable by `python3` (test/conformance/boto3.test.ts runs it).
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

const pip = (pkg) => () => execFileSync('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', pkg], { stdio: 'inherit', timeout: 300_000 });
const apt = (pkg) => () => {
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', timeout: 300_000 });
  execFileSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'ignore', timeout: 300_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
};

const TOOLS = [
  {
    name: 'the AWS CLI',
    package: 'awscli',
    install: pip('awscli'),
    present: () => works('aws', ['--version']) || works('python3', ['-m', 'awscli', '--version']),
    hint: 'pip install awscli, or apt-get install awscli',
  },
  {
    name: 'boto3',
    package: 'boto3',
    install: pip('boto3'),
    present: () => works('python3', ['-c', 'import boto3']),
    hint: 'python3 -m pip install boto3',
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
