/**
 * The Resource Groups Tagging API at the level of the wire (json 1.1, as older SDKs and the
 * AWS CLI v1 speak it): whole answers and error documents; then, with PERSISTENCE=1, tags
 * written through it survive a restart and are listed by a runtime in which S3 and SSM have
 * not started yet (listing starts a service that may hold saved state).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectAnswer, jsonRpc, s3, send } from '../../support/wire.js';

const tagging = (operation: string, input: unknown) => jsonRpc('tagging', `ResourceGroupsTaggingAPI_20170126.${operation}`, input);
const ssm = (operation: string, input: unknown) => jsonRpc('ssm', `AmazonSSM.${operation}`, input);
const JSON_11 = /^application\/x-amz-json-1\.1/;

describe('wire', () => {
  let rt: RuntimeProcess;
  beforeAll(async () => {
    rt = await startRuntime();
    await send(rt.endpoint, s3('PUT', '/wire-tagged'));
    await send(rt.endpoint, ssm('PutParameter', { Name: '/wire/p', Value: 'v', Type: 'String', Tags: [{ Key: 'team', Value: 'red' }] }));
  });
  afterAll(async () => {
    await rt?.stop();
  });

  it('TagResources answers an empty FailedResourcesMap, or the failures by ARN', async () => {
    await expectAnswer(rt.endpoint, tagging('TagResources', { ResourceARNList: ['arn:aws:s3:::wire-tagged'], Tags: { team: 'blue' } }), {
      status: 200,
      headers: { 'content-type': JSON_11 },
      json: { FailedResourcesMap: {} },
    });
    await expectAnswer(rt.endpoint, tagging('TagResources', { ResourceARNList: ['arn:aws:s3:::wire-missing'], Tags: { team: 'blue' } }), {
      status: 200,
      json: { FailedResourcesMap: { 'arn:aws:s3:::wire-missing': { StatusCode: 404, ErrorCode: 'InvalidParameterException', ErrorMessage: 'The specified bucket does not exist' } } },
    });
  });

  it('GetResources, GetTagKeys and GetTagValues: whole documents', async () => {
    await expectAnswer(rt.endpoint, tagging('GetResources', {}), {
      status: 200,
      headers: { 'content-type': JSON_11 },
      json: {
        PaginationToken: '',
        ResourceTagMappingList: [
          { ResourceARN: 'arn:aws:s3:::wire-tagged', Tags: [{ Key: 'team', Value: 'blue' }] },
          { ResourceARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/wire/p', Tags: [{ Key: 'team', Value: 'red' }] },
        ],
      },
    });
    await expectAnswer(rt.endpoint, tagging('GetResources', { ResourceTypeFilters: ['ssm'], IncludeComplianceDetails: true }), {
      status: 200,
      json: {
        PaginationToken: '',
        ResourceTagMappingList: [
          {
            ResourceARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/wire/p',
            Tags: [{ Key: 'team', Value: 'red' }],
            ComplianceDetails: { NoncompliantKeys: [], KeysWithNoncompliantValues: [], ComplianceStatus: true },
          },
        ],
      },
    });
    await expectAnswer(rt.endpoint, tagging('GetTagKeys', {}), { status: 200, json: { PaginationToken: '', TagKeys: ['team'] } });
    await expectAnswer(rt.endpoint, tagging('GetTagValues', { Key: 'team' }), { status: 200, json: { PaginationToken: '', TagValues: ['blue', 'red'] } });
  });

  it('errors: InvalidParameterException, the model validation, and the runtime keeps serving', async () => {
    await expectAnswer(rt.endpoint, tagging('GetResources', { ResourcesPerPage: 0 }), {
      status: 400,
      json: { __type: 'InvalidParameterException', message: 'ResourcesPerPage must be between 1 and 100' },
    });
    await expectAnswer(rt.endpoint, tagging('GetTagValues', {}), {
      status: 400,
      json: { __type: 'ValidationException', message: "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null" },
    });
    await expectAnswer(rt.endpoint, tagging('GetTagKeys', {}), { status: 200, json: { PaginationToken: '', TagKeys: ['team'] } });
  });
});

describe('listing starts no service', () => {
  let rt: RuntimeProcess;
  beforeAll(async () => {
    rt = await startRuntime();
  });
  afterAll(async () => {
    await rt?.stop();
  });

  it('without PERSISTENCE a service that has not started has no resources, and stays unstarted', async () => {
    await expectAnswer(rt.endpoint, tagging('GetResources', {}), { status: 200, json: { PaginationToken: '', ResourceTagMappingList: [] } });
    await expectAnswer(rt.endpoint, tagging('GetTagKeys', {}), { status: 200, json: { PaginationToken: '', TagKeys: [] } });
    const health = (await (await fetch(`${rt.endpoint}/_localstack/health`)).json()) as { services: Record<string, string> };
    expect(health.services).toMatchObject({ resourcegroupstaggingapi: 'running', s3: 'available', ssm: 'available' });
  });
});

describe('persistence', () => {
  const volume = mkdtempSync(join(tmpdir(), 'ls-tagging-'));
  afterAll(() => rmSync(volume, { recursive: true, force: true }));

  it('tags written through the API survive a restart, listed before S3 and SSM start', async () => {
    const first = await startRuntime({ env: { PERSISTENCE: '1' }, volume });
    try {
      await send(first.endpoint, s3('PUT', '/kept-bucket'));
      await send(first.endpoint, ssm('PutParameter', { Name: 'kept', Value: 'v', Type: 'String' }));
      const r = await send(first.endpoint, tagging('TagResources', { ResourceARNList: ['arn:aws:s3:::kept-bucket', 'arn:aws:ssm:us-east-1:000000000000:parameter/kept'], Tags: { keep: 'yes' } }));
      expect(JSON.parse(r.text)).toStrictEqual({ FailedResourcesMap: {} });
    } finally {
      await first.stop();
    }
    const second = await startRuntime({ env: { PERSISTENCE: '1' }, volume });
    try {
      await expectAnswer(second.endpoint, tagging('GetResources', { TagFilters: [{ Key: 'keep', Values: ['yes'] }] }), {
        status: 200,
        json: {
          PaginationToken: '',
          ResourceTagMappingList: [
            { ResourceARN: 'arn:aws:s3:::kept-bucket', Tags: [{ Key: 'keep', Value: 'yes' }] },
            { ResourceARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/kept', Tags: [{ Key: 'keep', Value: 'yes' }] },
          ],
        },
      });
    } finally {
      await second.stop();
    }
  });
});
