/**
 * iam at the level of the wire: status, headers and the WHOLE document of each answer
 * (test/support/wire.ts), as AWS documents it. SDKs are lenient (they skip members they do not
 * know and default the ones missing); snapshot tests and Terraform providers are not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../support/runtime.js';
import { expectAnswer, query } from '../support/wire.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(async () => {
  await rt?.stop();
});

const NOT_IMPLEMENTED = "API action 'ListRoles' for service 'iam' is not yet implemented";

describe('iam on the wire', () => {
  it('an operation without a handler: 501 InternalFailure, the whole error document', async () => {
    await expectAnswer(rt.endpoint, query('iam', 'ListRoles', '2010-05-08'), { status: 501, headers: { 'content-type': /^text\/xml/, 'x-amzn-requestid': /^[0-9a-f-]{36}$/ }, xml: `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>${NOT_IMPLEMENTED}</Message></Error><RequestId>{{uuid}}</RequestId></ErrorResponse>` });
    // query services answer JSON when asked (Accept: application/json), as AWS does
    await expectAnswer(rt.endpoint, query('iam', 'ListRoles', '2010-05-08', {}, { json: true }), { status: 501, headers: { 'content-type': 'application/json' }, json: { Error: { Code: 'InternalFailure', Message: NOT_IMPLEMENTED, Type: 'Receiver' }, RequestId: expect.any(String) } });
    expect((await fetch(`${rt.endpoint}/_localstack/health`)).status).toBe(200);
  });
});
