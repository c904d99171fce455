/**
 * What the persistence, reset and export tests share: a volume folder that outlives one
 * runtime process, SDK clients, and SSM and STS state to write and to check.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetParameterCommand, GetParametersByPathCommand, PutParameterCommand, SSMClient, type Parameter } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from './runtime.js';

const volumes: string[] = [];
const runtimes: RuntimeProcess[] = [];
afterAll(async () => {
  for (const rt of runtimes.splice(0)) await rt.stop('SIGKILL');
  for (const v of volumes.splice(0)) rmSync(v, { recursive: true, force: true });
});

/** A volume folder of the test's own, removed after the file's tests. */
export function volume(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ls-persist-'));
  volumes.push(dir);
  return dir;
}

/** A runtime on `volumeDir` with `env` (PERSISTENCE etc.), stopped after the file's tests if still up. */
export async function start(volumeDir: string, env: Record<string, string> = {}): Promise<RuntimeProcess> {
  const rt = await startRuntime({ volume: volumeDir, env });
  runtimes.push(rt);
  return rt;
}

export function ssm(endpoint: string): SSMClient {
  return new SSMClient({ ...clientConfig(endpoint), maxAttempts: 1 });
}

export function sts(endpoint: string, credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): STSClient {
  return new STSClient({ ...clientConfig(endpoint), ...(credentials ? { credentials } : {}), maxAttempts: 1 });
}

/** Parameter names that are members of Object.prototype: they must stay data. */
export const SPECIAL_NAMES = ['__proto__', 'constructor', 'toString'];

/** Writes SSM parameters (a hierarchy, the special names, a second version) and assumes a role. */
export async function writeState(endpoint: string): Promise<{ credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string } }> {
  const client = ssm(endpoint);
  for (const name of ['/app/db/url', '/app/db/user', '/app/name', ...SPECIAL_NAMES]) {
    await client.send(new PutParameterCommand({ Name: name, Value: `value of ${name}`, Type: 'String' }));
  }
  await client.send(new PutParameterCommand({ Name: '/app/name', Value: 'second', Type: 'String', Overwrite: true }));
  const assumed = await sts(endpoint).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/deployer', RoleSessionName: 'ci' }));
  const c = assumed.Credentials!;
  return { credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } };
}

/** The SSM listing the tests compare (names, values, versions). */
export async function listing(endpoint: string): Promise<Pick<Parameter, 'Name' | 'Value' | 'Version'>[]> {
  const out = await ssm(endpoint).send(new GetParametersByPathCommand({ Path: '/app', Recursive: true }));
  return (out.Parameters ?? []).map((p) => ({ Name: p.Name, Value: p.Value, Version: p.Version })).sort((a, b) => a.Name!.localeCompare(b.Name!));
}

/** Checks what writeState wrote, against `endpoint`. */
export async function expectState(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }, expect: (actual: unknown, expected: unknown) => void): Promise<void> {
  expect(await listing(endpoint), [
    { Name: '/app/db/url', Value: 'value of /app/db/url', Version: 1 },
    { Name: '/app/db/user', Value: 'value of /app/db/user', Version: 1 },
    { Name: '/app/name', Value: 'second', Version: 2 },
  ]);
  for (const name of SPECIAL_NAMES) {
    const got = await ssm(endpoint).send(new GetParameterCommand({ Name: name }));
    expect(got.Parameter?.Value, `value of ${name}`);
  }
  const identity = await sts(endpoint, credentials).send(new GetCallerIdentityCommand({}));
  expect(identity.Arn, 'arn:aws:sts::111111111111:assumed-role/deployer/ci');
}

/** POST to an internal endpoint; status and parsed JSON body. */
export async function post(endpoint: string, path: string, body?: string | Uint8Array): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${endpoint}${path}`, { method: 'POST', body });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
