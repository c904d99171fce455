/**
 * Runs the real AWS CLI against the runtime. A missing `aws` fails the test loudly: CI
 * installs it (.ci/run), and a silent skip would hide an untested protocol path.
 */
import { execFile, execFileSync } from 'node:child_process';

/** `aws` when it is on PATH, else `python3 -m awscli` (what scripts/ensure-test-tools.mjs installs). */
let command: [string, string[]] | undefined;
function cli(): [string, string[]] {
  if (command) return command;
  for (const candidate of [['aws', []], ['python3', ['-m', 'awscli']]] as Array<[string, string[]]>) {
    try {
      execFileSync(candidate[0], [...candidate[1], '--version'], { stdio: 'ignore' });
      command = candidate;
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error('the AWS CLI is not installed (neither `aws` nor `python3 -m awscli`); npm test installs it');
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, when it is JSON. */
  json?: any;
}

export function aws(endpoint: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const [cmd, prefix] = cli();
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      [...prefix, '--endpoint-url', endpoint, '--output', 'json', ...args],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_PAGER: '',
          AWS_MAX_ATTEMPTS: '1',
          ...env,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new Error(`cannot run ${cmd}: not installed`));
          return;
        }
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        let json: unknown;
        try {
          json = stdout.trim() ? JSON.parse(stdout) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ code, stdout, stderr, json });
      },
    );
  });
}
