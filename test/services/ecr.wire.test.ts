/**
 * ecr at the level of the wire: status, headers and the WHOLE document of each answer
 * (test/support/wire.ts), as AWS documents it. SDKs are lenient (they skip members they do not
 * know and default the ones missing); snapshot tests and Terraform providers are not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../support/runtime.js';
import { expectAnswer, jsonRpc } from '../support/wire.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(async () => {
  await rt?.stop();
});

const NOT_IMPLEMENTED = "API action 'ListReplicationBackfills' for service 'ecr' is not yet implemented";

describe('ecr on the wire', () => {
  it('an operation without a handler: 501 InternalFailure, the whole error document', async () => {
    await expectAnswer(rt.endpoint, jsonRpc('ecr', 'AmazonEC2ContainerRegistry_V20150921.ListReplicationBackfills', {}, { version: '1.1' }), { status: 501, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': /^[0-9a-f-]{36}$/ }, json: { __type: 'InternalFailure', message: NOT_IMPLEMENTED } });
    expect((await fetch(`${rt.endpoint}/_localstack/health`)).status).toBe(200);
  });
});
