/**
 * Query-protocol answers in JSON (`Accept: application/json`), as AWS writes them:
 * `{"<Op>Response":{"<Op>Result":{...},"ResponseMetadata":{"RequestId":"..."}}}`, lists as
 * arrays without `member`, maps as objects, timestamps as epoch seconds, blobs in base64;
 * errors as `{"Error":{"Code","Message","Type"},"RequestId"}` with the status of the XML
 * answer. Test-only IAM and SNS providers give outputs of every kind (the runtime, the socket
 * and the codec are the real ones); the XML answer to the same request is unchanged.
 */
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../runtime/aws/errors.js';
import type { ProviderRegistry } from '../../runtime/services/registry.js';
import { withInProcessRuntime } from '../support/runtime.js';
import { expectAnswer, query } from '../support/wire.js';

const created = new Date('2026-01-02T03:04:05Z');

const registry: ProviderRegistry = {
  iam: {
    load: async () => ({
      createProvider: () => ({
        operations: {
          ListUsers: () => ({
            Users: [
              { Path: '/', UserName: 'alice', UserId: 'AIDAEXAMPLE1', Arn: 'arn:aws:iam::000000000000:user/alice', CreateDate: created },
              { Path: '/ops/', UserName: 'bob', UserId: 'AIDAEXAMPLE2', Arn: 'arn:aws:iam::000000000000:user/ops/bob', CreateDate: created, Tags: [{ Key: 'team', Value: 'a' }] },
            ],
            IsTruncated: false,
          }),
          GetCredentialReport: () => ({ Content: Buffer.from('user,arn\n'), ReportFormat: 'text/csv', GeneratedTime: created }),
          ListRoles: () => ({ Roles: [], IsTruncated: false }),
          DeleteUser: () => ({}),
          GetUser: (_ctx: unknown, input: { UserName?: string }) => {
            throw new ServiceError('NoSuchEntity', `The user with name ${input.UserName} cannot be found.`, { status: 404 });
          },
          GetAccountSummary: () => {
            throw new ServiceError('ServiceFailure', 'Request processing has failed due to some unknown error.', { status: 500, sender: false });
          },
        },
      }),
    }),
  },
  sns: {
    load: async () => ({
      createProvider: () => ({
        operations: {
          GetTopicAttributes: () => ({ Attributes: { DisplayName: 'd', Owner: '000000000000' } }),
        },
      }),
    }),
  },
};

let endpoint = '';
withInProcessRuntime(registry, (url) => (endpoint = url));

const IAM = '2010-05-08';
const JSON_TYPE = /^application\/json/;

describe('query answers in JSON on Accept: application/json', () => {
  it('lists are arrays, timestamps epoch seconds, the result and metadata wrapped as AWS does', async () => {
    await expectAnswer(endpoint, query('iam', 'ListUsers', IAM, {}, { json: true }), {
      status: 200,
      headers: { 'content-type': JSON_TYPE },
      json: {
        ListUsersResponse: {
          ListUsersResult: {
            Users: [
              { Path: '/', UserName: 'alice', UserId: 'AIDAEXAMPLE1', Arn: 'arn:aws:iam::000000000000:user/alice', CreateDate: created.getTime() / 1000 },
              {
                Path: '/ops/',
                UserName: 'bob',
                UserId: 'AIDAEXAMPLE2',
                Arn: 'arn:aws:iam::000000000000:user/ops/bob',
                CreateDate: created.getTime() / 1000,
                Tags: [{ Key: 'team', Value: 'a' }],
              },
            ],
            IsTruncated: false,
          },
          ResponseMetadata: { RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
        },
      },
    });
    await expectAnswer(endpoint, query('iam', 'ListRoles', IAM, {}, { json: true }), {
      status: 200,
      json: { ListRolesResponse: { ListRolesResult: { Roles: [], IsTruncated: false }, ResponseMetadata: { RequestId: expect.any(String) } } },
    });
  });

  it('blobs are base64, maps are objects', async () => {
    await expectAnswer(endpoint, query('iam', 'GetCredentialReport', IAM, {}, { json: true }), {
      status: 200,
      json: {
        GetCredentialReportResponse: {
          GetCredentialReportResult: { Content: Buffer.from('user,arn\n').toString('base64'), ReportFormat: 'text/csv', GeneratedTime: created.getTime() / 1000 },
          ResponseMetadata: { RequestId: expect.any(String) },
        },
      },
    });
    await expectAnswer(endpoint, query('sns', 'GetTopicAttributes', '2010-03-31', { TopicArn: 'arn:aws:sns:us-east-1:000000000000:t' }, { json: true }), {
      status: 200,
      json: {
        GetTopicAttributesResponse: {
          GetTopicAttributesResult: { Attributes: { DisplayName: 'd', Owner: '000000000000' } },
          ResponseMetadata: { RequestId: expect.any(String) },
        },
      },
    });
  });

  it('an operation without output has only its metadata', async () => {
    await expectAnswer(endpoint, query('iam', 'DeleteUser', IAM, { UserName: 'alice' }, { json: true }), {
      status: 200,
      json: { DeleteUserResponse: { ResponseMetadata: { RequestId: expect.any(String) } } },
    });
  });

  it('errors: Code, Message, Type, then the RequestId, with the status of the XML answer', async () => {
    await expectAnswer(endpoint, query('iam', 'GetUser', IAM, { UserName: 'nobody' }, { json: true }), {
      status: 404,
      headers: { 'content-type': JSON_TYPE },
      json: { Error: { Code: 'NoSuchEntity', Message: 'The user with name nobody cannot be found.', Type: 'Sender' }, RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
    await expectAnswer(endpoint, query('iam', 'GetAccountSummary', IAM, {}, { json: true }), {
      status: 500,
      json: { Error: { Code: 'ServiceFailure', Message: 'Request processing has failed due to some unknown error.', Type: 'Receiver' }, RequestId: expect.any(String) },
    });
    await expectAnswer(endpoint, query('iam', 'NoSuchAction', IAM, {}, { json: true }), {
      status: 400,
      json: { Error: { Code: 'InvalidAction', Message: 'The action NoSuchAction is not valid for this web service.', Type: 'Sender' }, RequestId: expect.any(String) },
    });
  });

  it('without the Accept header the same request answers XML', async () => {
    await expectAnswer(endpoint, query('iam', 'GetCredentialReport', IAM), {
      status: 200,
      headers: { 'content-type': /^text\/xml/ },
      xml: `<GetCredentialReportResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
        <GetCredentialReportResult>
          <Content>${Buffer.from('user,arn\n').toString('base64')}</Content>
          <ReportFormat>text/csv</ReportFormat>
          <GeneratedTime>2026-01-02T03:04:05Z</GeneratedTime>
        </GetCredentialReportResult>
        <ResponseMetadata><RequestId>{{uuid}}</RequestId></ResponseMetadata>
      </GetCredentialReportResponse>`,
    });
  });
});
