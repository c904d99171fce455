import { request } from 'node:http';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../runtime/config.js';
import { Runtime } from '../../runtime/runtime.js';
import type { ProviderRegistry } from '../../runtime/services/registry.js';
import { clientConfig, startRuntime } from '../support/runtime.js';
import { sdkError } from '../support/sdk-error.js';

async function health(endpoint: string): Promise<{ services: Record<string, string>; edition: string; version: string }> {
  const r = await fetch(`${endpoint}/_localstack/health`);
  expect(r.status).toBe(200);
  return (await r.json()) as never;
}

describe('health through a lazy start', () => {
  it('available -> running on the first request; HEAD answers 200', async () => {
    const rt = await startRuntime();
    try {
      const before = await health(rt.endpoint);
      expect(before.services).toMatchObject({ sts: 'available', ssm: 'available' });
      expect(before.edition).toBe('community');
      expect(before.version).toMatch(/^\d+\.\d+\.\d+/);
      await new STSClient(clientConfig(rt.endpoint)).send(new GetCallerIdentityCommand({}));
      const after = await health(rt.endpoint);
      expect(after.services).toMatchObject({ sts: 'running', ssm: 'available' });
      const head = await fetch(`${rt.endpoint}/_localstack/health`, { method: 'HEAD' });
      expect(head.status).toBe(200);
    } finally {
      await rt.stop();
    }
  });

  it('EAGER_SERVICE_LOADING starts SERVICES at boot', async () => {
    const rt = await startRuntime({ env: { EAGER_SERVICE_LOADING: '1', SERVICES: 'sts' } });
    try {
      expect((await health(rt.endpoint)).services).toMatchObject({ sts: 'running', ssm: 'disabled' });
    } finally {
      await rt.stop();
    }
  });
});

describe('SERVICES filtering', () => {
  it('with strict loading, services not listed are disabled and answer 501', async () => {
    const rt = await startRuntime({ env: { SERVICES: 'sts' } });
    try {
      expect((await health(rt.endpoint)).services).toMatchObject({ sts: 'available', ssm: 'disabled' });
      const e = await sdkError(new SSMClient(clientConfig(rt.endpoint)).send(new GetParameterCommand({ Name: 'x' })));
      expect(e).toMatchObject({ message: "Service 'ssm' is not enabled. Please check your 'SERVICES' configuration variable.", status: 501 });
      expect((await new STSClient(clientConfig(rt.endpoint)).send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
    } finally {
      await rt.stop();
    }
  });

  it('STRICT_SERVICE_LOADING=0 leaves other services available', async () => {
    const rt = await startRuntime({ env: { SERVICES: 'sts', STRICT_SERVICE_LOADING: '0' } });
    try {
      expect((await health(rt.endpoint)).services).toMatchObject({ sts: 'available', ssm: 'available' });
    } finally {
      await rt.stop();
    }
  });
});

describe('a provider that fails to start', () => {
  it('puts its service in error, answers a clear AWS-style error, and leaves others alone', async () => {
    const registry: ProviderRegistry = {
      sts: { load: () => import('../../runtime/services/sts/provider.js') },
      ssm: {
        load: async () => ({
          createProvider: () => ({
            operations: {},
            start() {
              throw new Error('disk on fire');
            },
          }),
        }),
      },
    };
    const { config } = loadConfig({ GATEWAY_LISTEN: '127.0.0.1:0', INIT_HOOKS_DIR: '/nonexistent' });
    const runtime = new Runtime(config, { registry, announce: () => undefined });
    await runtime.start();
    const endpoint = `http://127.0.0.1:${runtime.addresses[0]!.port}`;
    try {
      const ssm = new SSMClient({ ...clientConfig(endpoint), maxAttempts: 1 });
      const e = await sdkError(ssm.send(new GetParameterCommand({ Name: 'x' })));
      expect(e).toMatchObject({ name: 'InternalFailure', message: "Service 'ssm' failed to start: disk on fire", status: 500 });
      // it stays in error: the next request gets the same answer without a new start
      expect((await sdkError(ssm.send(new GetParameterCommand({ Name: 'x' })))).message).toBe("Service 'ssm' failed to start: disk on fire");
      expect((await health(endpoint)).services).toMatchObject({ ssm: 'error', sts: 'available' });
      expect((await new STSClient(clientConfig(endpoint)).send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
      expect((await health(endpoint)).services).toMatchObject({ ssm: 'error', sts: 'running' });
    } finally {
      await runtime.stop();
    }
  });
});

describe('shutdown', () => {
  it('SIGTERM stops accepting, lets an in-flight request finish, then exits 0', async () => {
    const rt = await startRuntime();
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    // a request whose body is only half sent when SIGTERM arrives
    let finishBody: () => void = () => undefined;
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `${rt.endpoint}/`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': String(body.length),
            authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0',
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      finishBody = () => req.end(body.slice(10));
    });
    await new Promise((r) => setTimeout(r, 200));
    rt.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    // the listener is closed: new connections are refused
    const refused = await fetch(`${rt.endpoint}/_localstack/health`).then(
      () => false,
      () => true,
    );
    expect(refused).toBe(true);
    expect(rt.child.exitCode).toBeNull();
    finishBody();
    const r = await response;
    expect(r.status).toBe(200);
    expect(r.text).toContain('<GetCallerIdentityResult>');
    expect(await rt.stop()).toBe(0);
  });
});

describe('a client that goes away mid-body', () => {
  it('leaves no request in flight behind', async () => {
    const rt = await startRuntime({ env: { SHUTDOWN_TIMEOUT: '30' } });
    await new Promise<void>((resolve) => {
      const req = request(`${rt.endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'content-length': '100' } });
      req.on('error', () => resolve());
      req.write('{"Name":');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 100);
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(await rt.stop()).toBe(0);
    expect(rt.stderr()).not.toContain('in-flight');
  });
});

describe('configuration', () => {
  it('warns once for each removed legacy variable that is set', async () => {
    const rt = await startRuntime({ env: { EDGE_PORT: '4566', LAMBDA_EXECUTOR: 'docker' } });
    try {
      expect(rt.stderr()).toContain('EDGE_PORT was removed and is ignored: use GATEWAY_LISTEN');
      expect(rt.stderr()).toContain('LAMBDA_EXECUTOR was removed and is ignored');
    } finally {
      await rt.stop();
    }
  });

  it('GATEWAY_LISTEN takes a comma-separated list', async () => {
    const rt = await startRuntime({ env: { GATEWAY_LISTEN: '127.0.0.1:0,127.0.0.1:0' } });
    try {
      const ports = [...(await rt.waitForStderr(/(listening on .*\n[^]*){2}/)).matchAll(/listening on http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
      expect(ports).toHaveLength(2);
      for (const port of ports) expect((await fetch(`http://127.0.0.1:${port}/_localstack/health`)).status).toBe(200);
    } finally {
      await rt.stop();
    }
  });

  it('binds to loopback unless GATEWAY_LISTEN says otherwise (the Docker image sets it)', () => {
    expect(loadConfig({ OVERRIDE_IN_DOCKER: '0' }).config.gatewayListen).toEqual([{ host: '127.0.0.1', port: 4566 }]);
    expect(loadConfig({ OVERRIDE_IN_DOCKER: '1' }).config.gatewayListen).toEqual([{ host: '127.0.0.1', port: 4566 }]);
    expect(loadConfig({ GATEWAY_LISTEN: ':4567,[::1]:4568' }).config.gatewayListen).toEqual([
      { host: '127.0.0.1', port: 4567 },
      { host: '::1', port: 4568 },
    ]);
    expect(() => loadConfig({ GATEWAY_LISTEN: '127.0.0.1:99999' })).toThrow(/GATEWAY_LISTEN/);
  });

  it('prints one clear line and exits non-zero when the port is taken', async () => {
    const rt = await startRuntime();
    try {
      const second = await startRuntime({ env: { GATEWAY_LISTEN: `127.0.0.1:${rt.port}` } }).then(
        () => 'started',
        (e: Error) => e.message,
      );
      expect(second).toMatch(/runtime exited with 1/);
      expect(second).toMatch(/localstack: cannot start: address already in use/);
      expect(second).not.toMatch(/\n\s+at /);
    } finally {
      await rt.stop();
    }
  });
});

describe('internal endpoints', () => {
  it('/_localstack/info, restart and kill', async () => {
    const rt = await startRuntime();
    try {
      const info = (await (await fetch(`${rt.endpoint}/_localstack/info`)).json()) as Record<string, unknown>;
      expect(info).toMatchObject({ edition: 'community', is_license_activated: false });
      expect(typeof info.is_docker).toBe('boolean');
      expect(info.session_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(typeof info.uptime).toBe('number');
      expect(info.server_time_utc).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);

      // state from before a restart is gone after it
      const sts = new STSClient(clientConfig(rt.endpoint));
      const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/r', RoleSessionName: 'before' }));
      const asRole = new STSClient({
        ...clientConfig(rt.endpoint),
        credentials: {
          accessKeyId: assumed.Credentials!.AccessKeyId!,
          secretAccessKey: assumed.Credentials!.SecretAccessKey!,
          sessionToken: assumed.Credentials!.SessionToken!,
        },
      });
      expect((await asRole.send(new GetCallerIdentityCommand({}))).Arn).toContain('assumed-role/r/before');
      const restart = await fetch(`${rt.endpoint}/_localstack/health`, { method: 'POST', body: JSON.stringify({ action: 'restart' }) });
      expect(restart.status).toBe(200);
      expect((await health(rt.endpoint)).services.sts).toBe('available');
      expect((await asRole.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:iam::111111111111:root');

      const bad = await fetch(`${rt.endpoint}/_localstack/health`, { method: 'POST', body: 'not json' });
      expect(bad.status).toBe(400);
      expect((await fetch(`${rt.endpoint}/_localstack/nothing-here`)).status).toBe(404);

      const kill = await fetch(`${rt.endpoint}/_localstack/health`, { method: 'POST', body: JSON.stringify({ action: 'kill' }) });
      expect(kill.status).toBe(200);
      expect(await rt.stop()).toBe(0);
    } finally {
      await rt.stop();
    }
  });
});
