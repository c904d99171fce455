/**
 * `cdklocal ARGS`: the `cdk` CLI with the environment of {@link cdkEnvironment} (endpoints at
 * the emulator, test credentials, every other AWS_* variable removed). It patches nothing in
 * the CDK: it relies on the AWS_ENDPOINT_URL* variables that the AWS SDK for JavaScript v3
 * reads (aws-cdk 2.177 and newer). CDKLOCAL_DEBUG=1 prints what it chose.
 */
import { lookup } from 'node:dns/promises';
import { cdkEnvironment, isTrue, WrapperConfigError } from './endpoints.js';
import { runTool, say } from './run.js';

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

export async function main(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let prepared;
  try {
    prepared = await cdkEnvironment(env, resolve);
  } catch (error) {
    if (!(error instanceof WrapperConfigError)) throw error;
    say('cdklocal', error.message);
    return 1;
  }
  if (isTrue(env.CDKLOCAL_DEBUG)) {
    for (const note of prepared.notes) say('cdklocal', note);
    say('cdklocal', `AWS_ENDPOINT_URL=${prepared.env.AWS_ENDPOINT_URL} AWS_ENDPOINT_URL_S3=${prepared.env.AWS_ENDPOINT_URL_S3} AWS_REGION=${prepared.env.AWS_REGION}`);
  }
  return runTool('cdklocal', 'cdk', args, prepared.env, 'install the AWS CDK CLI: npm install -g aws-cdk');
}
