/**
 * `cdklocal ARGS`: the `cdk` CLI with the environment of {@link cdkEnvironment} (endpoints at
 * the emulator, test credentials, every other AWS_* variable removed). It patches nothing in
 * the CDK: it relies on the AWS_ENDPOINT_URL* variables that the AWS SDK for JavaScript v3
 * reads (aws-cdk 2.177 and newer). The `cdk` run is the one on PATH, else the project's
 * (node_modules/.bin of the working directory or a parent), as `npx cdklocal` users of
 * aws-cdk-local expect with aws-cdk a dev dependency. CDKLOCAL_DEBUG=1 prints what it chose.
 */
import { lookup } from 'node:dns/promises';
import { cdkEnvironment, isTrue, WrapperConfigError } from './endpoints.js';
import { findInNodeModules, findOnPath, runTool, say } from './run.js';

async function resolve(host: string): Promise<string | undefined> {
  try {
    return (await lookup(host, { family: 4 })).address;
  } catch {
    try {
      return (await lookup(host)).address;
    } catch {
      return undefined;
    }
  }
}

/** What the CDK CLI is: `cdk` on PATH, else the project's own; the bare name when neither has it. */
export function cdkCommand(env: NodeJS.ProcessEnv, cwd: string): string {
  return findOnPath('cdk', env) ?? findInNodeModules('cdk', cwd, env) ?? 'cdk';
}

/** Runs the CDK CLI with `args` at the emulator; resolves to the exit code to leave with. */
export async function main(args: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Promise<number> {
  let prepared;
  try {
    prepared = await cdkEnvironment(env, resolve);
  } catch (error) {
    if (!(error instanceof WrapperConfigError)) throw error;
    say('cdklocal', error.message);
    return 1;
  }
  const cdk = cdkCommand(env, cwd);
  if (isTrue(env.CDKLOCAL_DEBUG)) {
    say('cdklocal', `running ${cdk}`);
    for (const note of prepared.notes) say('cdklocal', note);
    say('cdklocal', `AWS_ENDPOINT_URL=${prepared.env.AWS_ENDPOINT_URL} AWS_ENDPOINT_URL_S3=${prepared.env.AWS_ENDPOINT_URL_S3} AWS_REGION=${prepared.env.AWS_REGION}`);
  }
  return runTool('cdklocal', cdk, args, prepared.env, 'install the AWS CDK CLI: npm install -g aws-cdk (or npm install -D aws-cdk in the project)');
}
