#!/usr/bin/env node
/**
 * Part of `npm test`: makes sure the AWS CLI the integration tests drive is there, so that the
 * README's test command works on a fresh machine. Uses `aws` when it is on PATH, else
 * `python3 -m awscli`, installing it from PyPI if neither answers. Exits non-zero with one
 * clear line when it cannot: a missing tool must fail the run, never skip tests.
 */
import { execFileSync } from 'node:child_process';

function works(cmd, args) {
  try {
    execFileSync(cmd, [...args, '--version'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

if (works('aws', []) || works('python3', ['-m', 'awscli'])) process.exit(0);
console.error('ensure-test-tools: the AWS CLI is missing; installing it from PyPI (python3 -m pip install awscli)');
try {
  execFileSync('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', 'awscli'], { stdio: 'inherit', timeout: 300_000 });
} catch {
  // reported below
}
if (!works('aws', []) && !works('python3', ['-m', 'awscli'])) {
  console.error('ensure-test-tools: cannot install the AWS CLI; install it (pip install awscli, or apt-get install awscli) and run npm test again');
  process.exit(1);
}
