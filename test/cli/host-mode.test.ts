/**
 * The `localstack` commands over a host-mode runtime: every command through oclif's
 * runCommand (stdout, stderr, exit code) against a real runtime process on a free port, with
 * its own volume folder; plus the foreground start as a real CLI process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '@oclif/test';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hoistGlobalOptions } from '../../src/argv.js';
import { ROOT, freePort } from '../support/runtime.js';

const BIN = join(ROOT, 'bin', 'localstack.js');
const saved = { ...process.env };

/** A command's outcome: output and the exit code oclif would exit with. */
async function run(args: string[]) {
  const r = await runCommand(args, { root: ROOT });
  const code = r.error ? (r.error.oclif?.exit ?? 1) : 0;
  return { stdout: r.stdout, stderr: r.stderr, code, error: r.error };
}

let volume: string;
let port: number;

function useFreshRuntimeEnv(): void {
  volume = mkdtempSync(join(tmpdir(), 'ls-cli-'));
  process.env.LOCALSTACK_VOLUME_DIR = volume;
  process.env.GATEWAY_LISTEN = `127.0.0.1:${port}`;
  process.env.MAIN_CONTAINER_NAME = `ls-cli-test-${port}`; // never a real container of the user's
  process.env.CONFIG_DIR = join(volume, 'profiles');
  process.env.INIT_HOOKS_DIR = '/nonexistent';
}

beforeAll(async () => {
  port = await freePort();
  useFreshRuntimeEnv();
});

afterAll(async () => {
  await run(['stop']);
  process.env = saved;
  rmSync(volume, { recursive: true, force: true });
});

describe('start -d --host, and the commands that act on it', () => {
  it('starts detached, prints the banner, and returns', async () => {
    const r = await run(['start', '--host', '-d']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`ready at http://127.0.0.1:${port}`);
  });

  it('a second detached start says it already runs and succeeds', async () => {
    const r = await run(['start', '--host', '-d']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/already running: host process \d+/);
  });

  it('a foreground start while it runs never prompts without a terminal: one line, exit 1', async () => {
    const r = await run(['start', '--host']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: the runtime already runs \(host process \d+ at http:\/\/127\.0\.0\.1:\d+\); stop it first \(localstack stop\)\n$/);
  });

  it('status -f json: mode, version, address, healthy', async () => {
    const r = await run(['status', '-f', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const status = JSON.parse(r.stdout);
    expect(status).toMatchObject({ running: true, mode: 'host', address: `http://127.0.0.1:${port}`, healthy: true });
    expect(status.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(status.pid).toBeGreaterThan(0);
  });

  it('status services in every format', async () => {
    const json = await run(['status', 'services', '-f', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ sts: 'available', ssm: 'available' });
    const plain = await run(['status', 'services', '-f', 'plain']);
    expect(plain.stdout).toContain('sts=available');
    const dict = await run(['status', 'services', '-f', 'dict']);
    expect(JSON.parse(dict.stdout).ssm).toBe('available');
    const table = await run(['status', 'services']);
    expect(table.stdout).toMatch(/\| sts\s+\| ✔ available\s+\|/);
  });

  it('status services lists sqs and sns: available, then running once called', async () => {
    expect(JSON.parse((await run(['status', 'services', '-f', 'json'])).stdout)).toMatchObject({ sqs: 'available', sns: 'available' });
    const auth = (service: string) => `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;
    const sqs = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues', authorization: auth('sqs') },
      body: '{}',
    });
    expect(sqs.status).toBe(200);
    const sns = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth('sns') },
      body: 'Action=ListTopics&Version=2010-03-31',
    });
    expect(sns.status).toBe(200);
    expect(JSON.parse((await run(['status', 'services', '-f', 'json'])).stdout)).toMatchObject({ sqs: 'running', sns: 'running' });
    const table = await run(['status', 'services']);
    expect(table.stdout).toMatch(/\| sqs\s+\| ✔ running\s+\|/);
    expect(table.stdout).toMatch(/\| sns\s+\| ✔ running\s+\|/);
  });

  it('wait returns once Ready. was printed', async () => {
    const r = await run(['wait', '-t', '10']);
    expect(r.code).toBe(0);
  });

  it('logs and logs -n', async () => {
    const all = await run(['logs']);
    expect(all.stdout).toContain(`listening on http://127.0.0.1:${port}`);
    expect(all.stdout).toMatch(/^Ready\.$/m);
    const last = await run(['logs', '-n', '1']);
    expect(last.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('restart restarts the services (a started service goes back to available)', async () => {
    await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(JSON.parse((await run(['status', 'services', '-f', 'json'])).stdout).sts).toBe('running');
    const r = await run(['restart']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse((await run(['status', 'services', '-f', 'json'])).stdout).sts).toBe('available');
  });

  it('stop ends it; then status, status services and stop fail with one line', async () => {
    const r = await run(['stop']);
    expect(r.code, r.stderr).toBe(0);
    const status = await run(['status']);
    expect(status.code).toBe(1);
    expect(status.stderr).toBe('Error: the runtime is not running\n');
    const services = await run(['status', 'services']);
    expect(services.code).toBe(1);
    expect(services.stderr.trim().split('\n')).toHaveLength(1);
    expect((await run(['stop'])).code).toBe(1);
  });

  it('logs after the stop shows the last run', async () => {
    const r = await run(['logs', '-n', '10']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Ready\.$/m);
  });

  it('wait -t gives up with exit 1 when nothing runs', async () => {
    const r = await run(['wait', '-t', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not ready within 1 s');
  });
});

describe('start failures are one line with a non-zero exit', () => {
  let blocker: Server | undefined;
  afterEach(async () => {
    if (blocker) await new Promise((r) => blocker!.close(r));
    blocker = undefined;
    await run(['stop']);
  });

  it('the port is taken by another program', async () => {
    blocker = createServer(() => undefined);
    await new Promise<void>((r) => blocker!.listen(port, '127.0.0.1', r));
    const r = await run(['start', '--host', '-d']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`Error: port ${port} is already in use by another program; stop it, or choose another port with GATEWAY_LISTEN\n`);
  });

  it('the runtime exits during start: its last log lines are shown', async () => {
    const r = await run(['start', '--host', '-d', '-e', 'GATEWAY_MAX_BODY_SIZE=-1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the runtime exited during start');
    expect(r.stderr).toContain('GATEWAY_MAX_BODY_SIZE must be a positive number of bytes');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('--docker and --host together are refused', async () => {
    const r = await run(['start', '--docker', '--host']);
    expect(r.code).not.toBe(0);
  });
});

describe('profiles and config show', () => {
  it('--profile loads ~/.localstack/<name>.env (the environment wins over it)', async () => {
    mkdirSync(join(volume, 'profiles'), { recursive: true });
    writeFileSync(join(volume, 'profiles', 'dev.env'), '# a profile\nSERVICES=s3,sqs\nexport DEBUG="1"\nLS_LOG=trace # comment\n');
    const r = await run(['config', 'show', '-f', 'json', '--profile', 'dev']);
    expect(r.code, r.stderr).toBe(0);
    const shown = JSON.parse(r.stdout);
    expect(shown.variables).toMatchObject({ SERVICES: 's3,sqs', DEBUG: '1', LS_LOG: 'trace', GATEWAY_LISTEN: `127.0.0.1:${port}` });
    expect(shown.derived).toMatchObject({ endpoint: `http://127.0.0.1:${port}`, volumeDir: volume });
  });

  it('a profile that does not exist is one clear line', async () => {
    const r = await run(['config', 'show', '--profile', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: profile 'nope' not found: .*nope\.env does not exist\n$/);
  });
});

describe('global options before the command', () => {
  it('are moved behind the command id, where oclif reads them', () => {
    expect(hoistGlobalOptions(['--profile', 'dev', 'start', '-d'])).toEqual(['start', '--profile=dev', '-d']);
    expect(hoistGlobalOptions(['-d', 'status', 'services', '-f', 'json'])).toEqual(['status', 'services', '--debug', '-f', 'json']);
    expect(hoistGlobalOptions(['-pdev', '--debug', 'logs'])).toEqual(['logs', '--profile=dev', '--debug']);
    expect(hoistGlobalOptions(['start', '-d', '-p', '1234:1234'])).toEqual(['start', '-d', '-p', '1234:1234']);
    expect(() => hoistGlobalOptions(['--profile'])).toThrow('--profile needs a profile name');
  });
});

describe('start in the foreground (a real CLI process)', () => {
  /** `localstack start --host` in the foreground, its output collected as it comes. */
  function startForeground() {
    const child = spawn(process.execPath, [BIN, 'start', '--host', '--no-banner'], { env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const fg = { child, out: '', exited: new Promise<number | null>((r) => child.on('exit', (code) => r(code))) };
    child.stdout.on('data', (d: Buffer) => (fg.out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (fg.out += d.toString()));
    return fg;
  }

  it('serves until SIGTERM, passes it on, and exits 0', { timeout: 30_000 }, async () => {
    const fg = startForeground();
    const deadline = Date.now() + 15_000;
    while (!/^Ready\.$/m.test(fg.out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(fg.out).toMatch(/^Ready\.$/m);
    const status = await run(['status', '-f', 'json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: true, mode: 'host' });
    fg.child.kill('SIGTERM');
    expect(await fg.exited, fg.out).toBe(0);
    expect((await run(['status'])).code).toBe(1);
  });

  it('SIGTERM as the runtime comes up, before the CLI saw it answer: a stop, exit 0, not a failed start', { timeout: 30_000 }, async () => {
    const fg = startForeground();
    // the runtime's first line: the CLI passes signals on from the spawn, and has rarely
    // polled its health yet
    const deadline = Date.now() + 15_000;
    while (!fg.out.includes('listening on') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    fg.child.kill('SIGTERM');
    expect(await fg.exited, fg.out).toBe(0);
    expect(fg.out).not.toContain('exited during start');
    expect((await run(['status'])).code).toBe(1);
  });
});
