#!/usr/bin/env node
/**
 * Part of `npm test`: makes sure the Python tools the integration tests drive are there, so
 * that the README's test command works on a fresh machine:
 * - the AWS CLI: `aws` when it is on PATH, else `python3 -m awscli`;
 * - boto3, importable by `python3` (test/conformance/boto3.test.ts runs it).
 * Whatever is missing is installed from PyPI. Exits non-zero with one clear line when it
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

const TOOLS = [
  {
    name: 'the AWS CLI',
    package: 'awscli',
    present: () => works('aws', ['--version']) || works('python3', ['-m', 'awscli', '--version']),
    hint: 'pip install awscli, or apt-get install awscli',
  },
  {
    name: 'boto3',
    package: 'boto3',
    present: () => works('python3', ['-c', 'import boto3']),
    hint: 'python3 -m pip install boto3',
  },
];

for (const tool of TOOLS) {
  if (tool.present()) continue;
  console.error(`ensure-test-tools: ${tool.name} is missing; installing it from PyPI (python3 -m pip install ${tool.package})`);
  try {
    execFileSync('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', tool.package], { stdio: 'inherit', timeout: 300_000 });
  } catch {
    // reported below
  }
  if (!tool.present()) {
    console.error(`ensure-test-tools: cannot install ${tool.name}; install it (${tool.hint}) and run npm test again`);
    process.exit(1);
  }
}
