/**
 * `awslocal ARGS`: the real aws CLI at the emulator (bin/awslocal.js calls {@link main}).
 * Which aws: `aws` on PATH, else `python3 -m awscli` when that module is installed (what
 * `pip install --user awscli` gives when ~/.local/bin is not on PATH, and what the tests
 * install); neither: one line and exit 127. AWSLOCAL_DEBUG=1 says on stderr what was decided.
 */
import { execFileSync } from 'node:child_process';
import { isTrue, awsInvocation } from './endpoints.js';
import { findOnPath, NOT_FOUND, runTool, say } from './run.js';

const USAGE = `Usage: awslocal [aws options] <command> <subcommand> [parameters]

Runs the aws CLI against the local emulator: --endpoint-url from AWS_ENDPOINT_URL, else
http://LOCALSTACK_HOST (default localhost:4566; https with USE_SSL=1); test credentials and
region us-east-1 unless some are configured. AWSLOCAL_DEBUG=1 prints what it chose.`;

/** The aws CLI to run: [command, leading arguments]; undefined when there is none. */
export function findAwsCli(env: NodeJS.ProcessEnv): [string, string[]] | undefined {
  const aws = findOnPath('aws', env);
  if (aws) return [aws, []];
  const python = findOnPath('python3', env);
  if (!python) return undefined;
  try {
    execFileSync(python, ['-c', 'import awscli'], { stdio: 'ignore', env, timeout: 30_000 });
    return [python, ['-m', 'awscli']];
  } catch {
    return undefined;
  }
}

export async function main(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (args.length === 1 && (args[0] === '-h' || args[0] === '--awslocal-help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const invocation = awsInvocation(args, env);
  const cli = findAwsCli(env);
  if (!cli) {
    say('awslocal', 'the aws CLI is not installed (neither `aws` on PATH nor `python3 -m awscli`); install it: pip install awscli');
    return NOT_FOUND;
  }
  if (isTrue(env.AWSLOCAL_DEBUG)) {
    for (const note of invocation.notes) say('awslocal', note);
    say('awslocal', `running ${[...cli.flat(), ...invocation.args].join(' ')}`);
  }
  return runTool('awslocal', cli[0], [...cli[1], ...invocation.args], invocation.env, 'install the aws CLI: pip install awscli');
}
