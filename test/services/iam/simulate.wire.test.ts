/**
 * The policy simulator on the wire: the whole SimulateCustomPolicy document (members in the
 * model's order, `member` lists, empty lists and maps, positions), GetContextKeysForCustomPolicy,
 * and the error document of a malformed policy (test/support/wire.ts).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectAnswer, query } from '../../support/wire.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(async () => {
  await rt?.stop();
});

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const META = '<ResponseMetadata><RequestId>{{uuid}}</RequestId></ResponseMetadata>';
const XML = { 'content-type': /^text\/xml/, 'x-amzn-requestid': /^[0-9a-f-]{36}$/ };
const iam = (action: string, params: Record<string, string>) => query('iam', action, '2010-05-08', params);

const POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}';
const BOUNDARY = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}';

describe('the simulator on the wire', () => {
  it('SimulateCustomPolicy with a resource and a boundary: the whole document', async () => {
    const matched =
      '<member><SourcePolicyId>PolicyInputList.1</SourcePolicyId><SourcePolicyType>IAM Policy</SourcePolicyType><StartPosition><Line>1</Line><Column>38</Column></StartPosition><EndPosition><Line>1</Line><Column>162</Column></EndPosition></member>' +
      '<member><SourcePolicyId>PermissionsBoundaryPolicyInputList.1</SourcePolicyId><SourcePolicyType>IAM Policy</SourcePolicyType><StartPosition><Line>1</Line><Column>38</Column></StartPosition><EndPosition><Line>1</Line><Column>86</Column></EndPosition></member>';
    const boundary = '<PermissionsBoundaryDecisionDetail><AllowedByPermissionsBoundary>true</AllowedByPermissionsBoundary></PermissionsBoundaryDecisionDetail>';
    const resource = 'arn:aws:s3:::b/k';
    await expectAnswer(
      rt.endpoint,
      iam('SimulateCustomPolicy', {
        'PolicyInputList.member.1': POLICY,
        'PermissionsBoundaryPolicyInputList.member.1': BOUNDARY,
        'ActionNames.member.1': 's3:GetObject',
        'ResourceArns.member.1': resource,
        'ContextEntries.member.1.ContextKeyName': 'aws:SecureTransport',
        'ContextEntries.member.1.ContextKeyValues.member.1': 'true',
        'ContextEntries.member.1.ContextKeyType': 'boolean',
      }),
      {
        status: 200,
        headers: XML,
        xml:
          `<SimulateCustomPolicyResponse xmlns="${NS}"><SimulateCustomPolicyResult><EvaluationResults><member>` +
          `<EvalActionName>s3:GetObject</EvalActionName><EvalResourceName>${resource}</EvalResourceName><EvalDecision>allowed</EvalDecision>` +
          `<MatchedStatements>${matched}</MatchedStatements><MissingContextValues/>${boundary}<EvalDecisionDetails/>` +
          `<ResourceSpecificResults><member><EvalResourceName>${resource}</EvalResourceName><EvalResourceDecision>allowed</EvalResourceDecision><MatchedStatements>${matched}</MatchedStatements><MissingContextValues/>${boundary}</member></ResourceSpecificResults>` +
          `</member></EvaluationResults><IsTruncated>false</IsTruncated></SimulateCustomPolicyResult>${META}</SimulateCustomPolicyResponse>`,
      },
    );
  });

  it('GetContextKeysForCustomPolicy: a member list', async () => {
    await expectAnswer(rt.endpoint, iam('GetContextKeysForCustomPolicy', { 'PolicyInputList.member.1': POLICY }), {
      status: 200,
      headers: XML,
      xml: `<GetContextKeysForCustomPolicyResponse xmlns="${NS}"><GetContextKeysForCustomPolicyResult><ContextKeyNames><member>aws:SecureTransport</member></ContextKeyNames></GetContextKeysForCustomPolicyResult>${META}</GetContextKeysForCustomPolicyResponse>`,
    });
  });

  it('a malformed policy: the MalformedPolicyDocument error document', async () => {
    await expectAnswer(rt.endpoint, iam('SimulateCustomPolicy', { 'PolicyInputList.member.1': '{"Version":"2012-10-17"}', 'ActionNames.member.1': 's3:GetObject' }), {
      status: 400,
      headers: XML,
      xml: `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>MalformedPolicyDocument</Code><Message>Syntax errors in policy.</Message></Error><RequestId>{{uuid}}</RequestId></ErrorResponse>`,
    });
  });
});
