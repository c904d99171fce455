/**
 * SSM's operations resources through a real boto3 client (ops_boto3.py prints what boto3 saw;
 * the asserts are here): a document, a command and the command_executed waiter, the
 * list_documents paginator, a maintenance window, the default patch baseline, and an error.
 * A missing boto3 fails the file under CI and skips it elsewhere.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { havePython } from '../../support/python.js';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';

const DRIVER = join(dirname(fileURLToPath(import.meta.url)), 'ops_boto3.py');

let rt: RuntimeProcess;

function run(): Promise<any> {
  return new Promise((resolve, reject) => {
    execFile(
      'python3',
      [DRIVER, rt.endpoint],
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' }, timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`ops_boto3.py failed: ${error.message}\n${stderr}`));
        resolve(JSON.parse(stdout));
      },
    );
  });
}

describe.skipIf(!havePython('boto3') && !process.env.CI)('SSM operations through boto3', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    rt = await startRuntime();
  });
  afterAll(async () => {
    await rt?.stop();
  });

  it('documents, commands with their waiter, paginated listings, windows, baselines and errors', async () => {
    const r = await run();
    expect(r.created).toMatchObject({ Name: 'boto3-doc', Status: 'Creating', DocumentVersion: '1', HashType: 'Sha256', PlatformTypes: ['Linux', 'MacOS'] });
    expect(r.created.Hash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.created_date_type).toBe('datetime');
    expect(r.invocation).toEqual({ Status: 'Success', PluginName: 'hello', ResponseCode: 0, DocumentName: 'boto3-doc' });
    expect(r.self_documents).toEqual(['boto3-doc']);
    expect(r.window).toBe('boto3-window');
    expect(r.default_baseline).toBe('arn:aws:ssm:us-east-1:075727635805:patchbaseline/pb-0be8c61cde3be63f3');
    expect(r.error).toEqual({ code: 'InvalidDocument', message: 'The specified document does not exist.', status: 400 });
  });
});
