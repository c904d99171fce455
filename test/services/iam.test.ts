/**
 * iam through @aws-sdk/client-iam: a real runtime process, driven by the SDK client over a socket.
 * Each implemented operation gets its tests here (or in test/services/iam/ once this file
 * grows): what succeeds, the error AWS gives for each bad input (code, status and message, as
 * the SDK reports them), and that the runtime keeps serving afterwards.
 */
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../support/runtime.js';
import { sdkError } from '../support/sdk-error.js';

let rt: RuntimeProcess;
let client: IAMClient;

beforeAll(async () => {
  rt = await startRuntime();
  // no retries: a 500 (a bug, or the state audit finding a change without its mark) fails the
  // test instead of being retried into a success
  client = new IAMClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

describe('iam through @aws-sdk/client-iam', () => {
  it('an operation without a handler answers 501 InternalFailure naming it; the runtime keeps serving', async () => {
    const e = await sdkError(client.send(new ListRolesCommand({})));
    expect(e).toMatchObject({ name: 'InternalFailure', message: "API action 'ListRoles' for service 'iam' is not yet implemented", status: 501 });
    const health = (await (await fetch(`${rt.endpoint}/_localstack/health`)).json()) as { services: Record<string, string> };
    expect(health.services['iam']).toBe('running');
  });
});
