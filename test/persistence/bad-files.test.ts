/**
 * Saved state the runtime cannot use: a damaged snapshot, a file of a newer format. One clear
 * line, and a start with what is readable (the other services keep their state); with
 * SNAPSHOT_LOAD_STRICT=1, one line and no start.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { frame } from '../../runtime/state/persistence/framing.js';
import { MAIN } from '../support/runtime.js';
import { sdkError } from '../support/sdk-error.js';
import { ssm, start, sts, volume, writeState } from '../support/state.js';

const ENV = { PERSISTENCE: '1', SNAPSHOT_SAVE_STRATEGY: 'ON_SHUTDOWN' };

/** A volume with saved ssm and sts state; returns it and the assumed-role credentials. */
async function saved() {
  const v = volume();
  const rt = await start(v, ENV);
  const { credentials } = await writeState(rt.endpoint);
  expect(await rt.stop()).toBe(0);
  return { v, credentials, snapshot: join(v, 'state', 'ssm', 'snapshot') };
}

/** Runs the runtime with strict loading until it exits; its code and output. */
function strictRun(v: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', GATEWAY_LISTEN: '127.0.0.1:0', INIT_HOOKS_DIR: '/nonexistent', LOCALSTACK_VOLUME_DIR: v, ...ENV, SNAPSHOT_LOAD_STRICT: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The log lines at ERROR level. */
const errors = (stderr: string) => stderr.split('\n').filter((l) => / ERROR /.test(l));

async function expectSsmEmptyStsKept(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }) {
  expect(await sdkError(ssm(endpoint).send(new GetParameterCommand({ Name: '/app/name' })))).toMatchObject({ name: 'ParameterNotFound' });
  expect((await sts(endpoint, credentials).send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:sts::111111111111:assumed-role/deployer/ci');
}

describe('saved state that cannot be read', () => {
  it('a damaged snapshot: one line, ssm starts empty (the file kept aside), sts keeps its state', async () => {
    const { v, credentials, snapshot } = await saved();
    const bytes = readFileSync(snapshot);
    bytes[Math.floor(bytes.length / 2)] ^= 0x20;
    writeFileSync(snapshot, bytes);
    const rt = await start(v, ENV);
    await expectSsmEmptyStsKept(rt.endpoint, credentials);
    const lines = errors(await rt.waitForStderr("ssm's snapshot"));
    expect(lines, rt.stderr()).toHaveLength(1);
    expect(lines[0]).toMatch(/\[state\] ssm's snapshot \S+\/state\/ssm\/snapshot is damaged at byte \d+ \(.+\): ssm starts empty; the files are kept in \S+\/unreadable-[\dTZ-]+$/);
    expect(readdirSync(join(v, 'state', 'ssm')).filter((f) => f.startsWith('unreadable-'))).toHaveLength(1);
    await rt.stop();
  });

  it('a damaged snapshot with SNAPSHOT_LOAD_STRICT=1: one line, no start, a non-zero exit', async () => {
    const { v, snapshot } = await saved();
    writeFileSync(snapshot, readFileSync(snapshot).subarray(0, 100));
    const run = await strictRun(v);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('Ready.');
    const lines = run.stderr.trim().split('\n').filter((l) => !/ INFO /.test(l));
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^localstack: cannot start: ssm's snapshot \S+ is damaged at byte \d+ \(.+\); refusing to start \(SNAPSHOT_LOAD_STRICT=1\)$/);
  });

  const newer = frame(JSON.stringify({ kind: 'snapshot', format: 2, codec: 1, service: 'ssm', generation: 1, runtime: '9.9.9' })) + frame('{"end":0}');

  it('a snapshot of a newer format: one line saying so, ssm starts empty, sts keeps its state', async () => {
    const { v, credentials, snapshot } = await saved();
    writeFileSync(snapshot, newer);
    const rt = await start(v, ENV);
    await expectSsmEmptyStsKept(rt.endpoint, credentials);
    const lines = errors(await rt.waitForStderr("ssm's snapshot"));
    expect(lines, rt.stderr()).toHaveLength(1);
    expect(lines[0]).toMatch(/ssm's snapshot \S+ was written by a newer version \(localstack-ts 9\.9\.9, file format 2, state format 1; this runtime reads up to 1 and 1\): ssm starts empty; the files are kept in /);
    await rt.stop();
  });

  it('a snapshot of a newer format with SNAPSHOT_LOAD_STRICT=1: one line, no start', async () => {
    const { v, snapshot } = await saved();
    writeFileSync(snapshot, newer);
    const run = await strictRun(v);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n').filter((l) => !/ INFO /.test(l));
    expect(lines).toEqual([expect.stringMatching(/^localstack: cannot start: ssm's snapshot \S+ was written by a newer version .*; refusing to start \(SNAPSHOT_LOAD_STRICT=1\)$/)]);
  });
});
