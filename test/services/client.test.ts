/**
 * The in-process client (runtime/services/client.ts): a call starts its target lazily, runs
 * the input check before the handler, fills idempotency tokens, marks the call internal with
 * its principal, returns the output or throws the handler's ServiceError, refuses what the
 * gateway refuses (no provider, no handler, disabled), and flushes the state the call
 * changed (here under the audit, which fails a call whose changes were not marked).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../../runtime/aws/errors.js';
import { loadConfig } from '../../runtime/config.js';
import { ServiceManager } from '../../runtime/services/manager.js';
import type { ProviderRegistry } from '../../runtime/services/registry.js';
import { StateManager } from '../../runtime/state/manager.js';
import { record } from '../../runtime/state/store.js';
import { standIn, type Received } from '../support/stand-ins.js';

const CALLER = { accountId: '111111111111', region: 'eu-west-1' };

function setup(env: Record<string, string> = {}, extra: ProviderRegistry = {}) {
  const received: Received[] = [];
  const registry: ProviderRegistry = {
    sqs: standIn('sqs', received, {
      SendMessage: (_ctx, input) => ({ MessageId: `m-${input.MessageBody}` }),
      SendMessageBatch: () => ({ Successful: [], Failed: [] }),
      GetQueueUrl: (_ctx, input) => {
        throw new ServiceError('QueueDoesNotExist', `The specified queue ${input.QueueName} does not exist.`, { queryCode: 'AWS.SimpleQueueService.NonExistentQueue' });
      },
    }),
    ec2: standIn('ec2', received, { RunInstances: () => ({ ReservationId: 'r-1' }) }),
    sts: standIn('sts', received, { AssumeRole: () => ({}) }),
    ...extra,
  };
  const volume = mkdtempSync(join(tmpdir(), 'ls-client-'));
  volumes.push(volume);
  const { config } = loadConfig({ LOCALSTACK_VOLUME_DIR: volume, ...env });
  const state = new StateManager({ volumeDir: config.volumeDir, audit: true });
  const services = new ServiceManager(config, registry, { state });
  return { services, client: services.client, received };
}

const volumes: string[] = [];
afterAll(() => {
  for (const volume of volumes) rmSync(volume, { recursive: true, force: true });
});

describe('the in-process client', () => {
  it('starts the target on first call and returns its output, the call marked internal', async () => {
    const { services, client, received } = setup();
    expect(client.status('sqs')).toBe('available');
    const out = await client.call('sqs', 'SendMessage', { QueueUrl: 'http://q', MessageBody: 'hi' }, { ...CALLER, principal: 's3.amazonaws.com' });
    expect(out).toEqual({ MessageId: 'm-hi' });
    expect(services.stateOf('sqs')).toBe('running');
    const [call] = received;
    expect(call!.input).toEqual({ QueueUrl: 'http://q', MessageBody: 'hi' });
    expect(call!.context).toEqual({
      accountId: '111111111111',
      region: 'eu-west-1',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      accessKeyId: undefined,
      service: 'sqs',
      operation: 'SendMessage',
      headers: {},
      internal: true,
      principal: 's3.amazonaws.com',
    });
    await client.call('sqs', 'SendMessage', { QueueUrl: 'http://q', MessageBody: 'x' }, { ...CALLER, requestId: 'req-1' });
    expect([received[1]!.context.requestId, received[1]!.context.principal]).toEqual(['req-1', undefined]);
  });

  it("checks the input against the model before the handler runs, in the protocol's words", async () => {
    const { client, received } = setup();
    const missing = (await client.call('sqs', 'SendMessage', { QueueUrl: 'http://q' } as never, CALLER).catch((e: ServiceError) => e)) as ServiceError;
    expect([missing.code, missing.status, missing.message]).toEqual(['ValidationException', 400, "1 validation error detected: Value null at 'messageBody' failed to satisfy constraint: Member must not be null"]);
    const nested = (await client
      .call('sqs', 'SendMessageBatch', { QueueUrl: 'http://q', Entries: [{ Id: 'a', MessageBody: 'x' }, { MessageBody: 'y' }, null] } as never, CALLER)
      .catch((e: ServiceError) => e)) as ServiceError;
    expect(nested.message).toBe(
      "2 validation errors detected: Value null at 'entries.2.member.id' failed to satisfy constraint: Member must not be null; Value null at 'entries.3.member' failed to satisfy constraint: Member must not be null",
    );
    const query = (await client.call('sts', 'AssumeRole', { RoleArn: 'arn:aws:iam::111111111111:role/r' } as never, CALLER).catch((e: unknown) => e)) as ServiceError;
    expect([query.code, query.message]).toEqual(['ValidationError', "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null"]);
    expect(received).toEqual([]);
  });

  it("throws the handler's ServiceError as it is", async () => {
    const { client } = setup();
    const e = await client.call('sqs', 'GetQueueUrl', { QueueName: 'nope' }, CALLER).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ServiceError);
    expect([(e as ServiceError).code, (e as ServiceError).queryCode, (e as ServiceError).message]).toEqual(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue nope does not exist.']);
  });

  it('fills idempotency tokens the caller left out, without changing its object', async () => {
    const { client, received } = setup();
    const input = { MinCount: 1, MaxCount: 1 };
    await client.call('ec2', 'RunInstances', input, CALLER);
    expect(received[0]!.input.ClientToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(input).toEqual({ MinCount: 1, MaxCount: 1 });
    await client.call('ec2', 'RunInstances', { MinCount: 1, MaxCount: 1, ClientToken: 'mine' }, CALLER);
    expect(received[1]!.input.ClientToken).toBe('mine');
  });

  it('refuses what the gateway refuses: no provider, no handler, a disabled service, an unknown operation', async () => {
    const { client } = setup({ SERVICES: 'sqs' });
    const answer = (p: Promise<unknown>) => p.then(() => 'ok', (e: ServiceError) => [e.code, e.status, e.message]);
    expect(await answer(client.call('kinesis', 'ListStreams', {}, CALLER))).toEqual(['InternalFailure', 501, "API action 'ListStreams' for service 'kinesis' is not yet implemented"]);
    expect(await answer(client.call('sqs', 'ListQueues', {}, CALLER))).toEqual(['InternalFailure', 501, "API action 'ListQueues' for service 'sqs' is not yet implemented"]);
    expect(client.status('ec2')).toBe('disabled');
    expect(await answer(client.call('ec2', 'RunInstances', { MinCount: 1, MaxCount: 1 }, CALLER))).toEqual([
      'InternalFailure',
      501,
      "Service 'ec2' is not enabled. Please check your 'SERVICES' configuration variable.",
    ]);
    // @ts-expect-error: not an operation of STS, and the typed client knows it
    expect(await answer(client.call('sts', 'NoSuchThing', {}, CALLER))).toEqual(['InvalidAction', 400, "Operation 'NoSuchThing' is not an operation of service 'sts'"]);
    expect(client.status('kinesis')).toBeUndefined();
  });

  it('flushes the state the call changed, as the gateway does after a request', async () => {
    const { client } = setup({}, {
      ssm: {
        load: async () => ({
          createProvider: ({ state }) => {
            const store = state.accountRegion('parameters', () => ({ parameters: record<string>() }));
            return {
              operations: {
                PutParameter(ctx, input) {
                  store.get(ctx.accountId, ctx.region).parameters[input.Name] = input.Value;
                  if (input.Name !== 'unmarked') store.changed(ctx.accountId, ctx.region, 'parameters', input.Name);
                  return { Version: 1 };
                },
              },
            };
          },
        }),
      },
    });
    expect(await client.call('ssm', 'PutParameter', { Name: 'marked', Value: 'v' }, CALLER)).toEqual({ Version: 1 });
    // the audit runs in the flush: a change without a mark fails the call that made it
    await expect(client.call('ssm', 'PutParameter', { Name: 'unmarked', Value: 'v' }, CALLER)).rejects.toThrow(/state audit failed: ssm\/parameters: 111111111111\.eu-west-1\.parameters\.unmarked changed without a mark/);
  });
});
