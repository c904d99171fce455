/**
 * `/aws/reference/secretsmanager/` through the real SSM provider with a stand-in Secrets
 * Manager behind the in-process client (there is no Secrets Manager provider yet): the
 * reference becomes a GetSecretValue call as the caller's account and region, with the
 * selector as VersionStage or VersionId; the answer becomes the Parameter AWS returns; the
 * secret's absence and its pending deletion become AWS's errors. The wire-level side (no
 * Secrets Manager at all) is in test/services/ssm/public-parameters.wire.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../../runtime/aws/errors.js';
import { loadConfig } from '../../runtime/config.js';
import { ServiceManager } from '../../runtime/services/manager.js';
import { PROVIDERS } from '../../runtime/services/registry.js';
import { StateManager } from '../../runtime/state/manager.js';
import { standIn, type Received } from '../support/stand-ins.js';

const CALLER = { accountId: '111111111111', region: 'eu-west-1' };
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-AbCdEf';
const VERSION = 'a1b2c3d4-5678-90ab-cdef-111111111111';
const CREATED = new Date('2026-12-01T10:00:00.000Z');

const volumes: string[] = [];
afterAll(() => {
  for (const volume of volumes) rmSync(volume, { recursive: true, force: true });
});

function setup() {
  const received: Received[] = [];
  const secretsmanager = standIn('secretsmanager', received, {
    GetSecretValue: (_ctx, input: { SecretId: string; VersionStage?: string }) => {
      if (input.SecretId === 'deleted') throw new ServiceError('InvalidRequestException', 'You can’t perform this operation on the secret because it was marked for deletion.');
      if (input.SecretId !== 'db' || (input.VersionStage !== undefined && input.VersionStage !== 'AWSCURRENT')) {
        throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      }
      return { ARN: SECRET_ARN, Name: 'db', VersionId: VERSION, SecretString: 's3cret', VersionStages: ['AWSCURRENT'], CreatedDate: CREATED };
    },
  });
  const volume = mkdtempSync(join(tmpdir(), 'ls-ssm-ref-'));
  volumes.push(volume);
  const { config } = loadConfig({ LOCALSTACK_VOLUME_DIR: volume });
  const services = new ServiceManager(config, { ssm: PROVIDERS.ssm, secretsmanager }, { state: new StateManager({ volumeDir: config.volumeDir, audit: true }) });
  const get = (Name: string) => services.client.call('ssm', 'GetParameter', { Name, WithDecryption: true }, CALLER);
  return { received, get, services };
}

describe('a Secrets Manager reference', () => {
  it('calls GetSecretValue as the caller and answers the Parameter AWS answers', async () => {
    const { received, get } = setup();
    const { Parameter } = await get('/aws/reference/secretsmanager/db');
    expect(received.map((r) => [r.operation, r.input, r.context.accountId, r.context.region, r.context.internal])).toEqual([
      ['GetSecretValue', { SecretId: 'db' }, '111111111111', 'eu-west-1', true],
    ]);
    expect(Parameter).toEqual({
      Name: '/aws/reference/secretsmanager/db',
      Type: 'SecureString',
      Value: 's3cret',
      Version: 0,
      SourceResult: JSON.stringify({ ARN: SECRET_ARN, name: 'db', versionId: VERSION, secretString: 's3cret', versionStages: ['AWSCURRENT'], createdDate: CREATED.toISOString() }),
      LastModifiedDate: CREATED,
      ARN: SECRET_ARN,
    });
  });

  it('passes a staging label as VersionStage and a version id as VersionId, and echoes the selector', async () => {
    const { received, get } = setup();
    expect((await get('/aws/reference/secretsmanager/db:AWSCURRENT')).Parameter).toMatchObject({ Selector: ':AWSCURRENT', Value: 's3cret' });
    await expect(get(`/aws/reference/secretsmanager/db:${VERSION}`)).resolves.toBeDefined();
    expect(received.map((r) => r.input)).toEqual([{ SecretId: 'db', VersionStage: 'AWSCURRENT' }, { SecretId: 'db', VersionId: VERSION }]);
  });

  it('turns a missing secret into ParameterNotFound and a deleted one into ValidationException, as AWS does', async () => {
    const { received, get } = setup();
    await expect(get('/aws/reference/secretsmanager/nope')).rejects.toMatchObject({
      code: 'ParameterNotFound',
      message: 'An error occurred (ParameterNotFound) when referencing Secrets Manager: Secret aws/reference/secretsmanager/nopenull not found.',
    });
    await expect(get('/aws/reference/secretsmanager/db:AWSPREVIOUS')).rejects.toMatchObject({
      code: 'ParameterNotFound',
      message: 'An error occurred (ParameterNotFound) when referencing Secrets Manager: Secret aws/reference/secretsmanager/db:AWSPREVIOUS not found.',
    });
    await expect(get('/aws/reference/secretsmanager/deleted')).rejects.toMatchObject({ code: 'ValidationException', message: 'Invalid Request to Secrets Manager' });
    expect(received).toHaveLength(3);
  });

  it('makes no call for a reference read without decryption', async () => {
    const { received, services } = setup();
    await expect(services.client.call('ssm', 'GetParameter', { Name: '/aws/reference/secretsmanager/db' }, CALLER)).rejects.toMatchObject({
      code: 'ValidationException',
      message: 'WithDecryption flag must be True for retrieving a Secret Manager secret.',
    });
    expect(received).toHaveLength(0);
  });
});
