/**
 * IAM policy documents (runtime/aws/policies.ts): each message AWS gives, from a document that
 * provokes it, and the typed document a valid policy becomes.
 */
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../runtime/aws/errors.js';
import { parsePolicy, policyError, type PolicyKind } from '../../runtime/aws/policies.js';

const V = '2012-10-17';
const BUCKET = 'arn:aws:s3:::example_bucket';
const ok = { Effect: 'Allow', Action: 's3:ListBucket', Resource: BUCKET };
const doc = (statement: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ Version: V, Statement: statement, ...extra });
const errorOf = (document: unknown, kind: PolicyKind = 'identity') => policyError(typeof document === 'string' ? document : JSON.stringify(document), kind);

describe('identity policies: each of IAM messages, in the order IAM checks', () => {
  const cases: Array<[string, unknown, string]> = [
    ['not JSON', 'This is not a json document', 'Syntax errors in policy.'],
    ['JSON null', 'null', 'Syntax errors in policy.'],
    ['an unknown version', { Version: '2013-10-17', Statement: ok }, 'Syntax errors in policy.'],
    ['no Statement', { Version: V }, 'Syntax errors in policy.'],
    ['an empty Statement list', { Version: V, Statement: [] }, 'Syntax errors in policy.'],
    ['a statement that is not an object', { Version: V, Statement: ['afd'] }, 'Syntax errors in policy.'],
    ['an unknown document element', { Version: V, Statement: ok, 'Extra field': 'value' }, 'Syntax errors in policy.'],
    ['an unknown statement element', { Version: V, Statement: { ...ok, 'Extra field': 'value' } }, 'Syntax errors in policy.'],
    ['an Id that is a list', { Version: V, Id: ['x'], Statement: ok }, 'Syntax errors in policy.'],
    ['no Effect', { Version: V, Statement: { Action: 's3:ListBucket', Resource: BUCKET } }, 'Syntax errors in policy.'],
    ['an Effect that is neither', { Version: V, Statement: { ...ok, Effect: 'invalid' } }, 'Syntax errors in policy.'],
    ['Action and NotAction', { Version: V, Statement: { ...ok, NotAction: 'iam:dsf' } }, 'Syntax errors in policy.'],
    ['Resource and NotResource', { Version: V, Statement: { ...ok, NotResource: '*' } }, 'Syntax errors in policy.'],
    ['a Resource object', { Version: V, Statement: { ...ok, Resource: { a: BUCKET } } }, 'Syntax errors in policy.'],
    ['a Resource list with an object', { Version: V, Statement: { ...ok, Resource: ['adfdf', {}] } }, 'Syntax errors in policy.'],
    ['a nested Action list', { Version: V, Statement: { ...ok, Action: [[]] } }, 'Syntax errors in policy.'],
    ['a Condition list', { Version: V, Statement: { ...ok, Condition: [] } }, 'Syntax errors in policy.'],
    ['a Condition block that is a string', { Version: V, Statement: { ...ok, Condition: { DateGreaterThan: 'b' } } }, 'Syntax errors in policy.'],
    ['a condition value that is an object', { Version: V, Statement: { ...ok, Condition: { DateGreaterThan: { a: {} } } } }, 'Syntax errors in policy.'],
    ['an unknown operator with a test', { Version: V, Statement: { ...ok, Condition: { x: { a: '1' } } } }, 'Syntax errors in policy.'],
    ['a doubled qualifier colon', { Version: V, Statement: { ...ok, Condition: { 'ForAnyValue::StringEqualsIfExists': { a: 'asf' } } } }, 'Syntax errors in policy.'],
    ['a Sid that is an object', { Version: V, Statement: { ...ok, Sid: {} } }, 'Syntax errors in policy.'],
    ['a Principal', { Version: V, Statement: { ...ok, Principal: { AWS: 'arn:aws:iam::111122223333:root' } } }, 'Policy document should not specify a principal.'],
    ['a NotPrincipal', { Version: V, Statement: { ...ok, Effect: 'Deny', NotPrincipal: '*' } }, 'Policy document should not specify a principal.'],
    ['no Version', { Statement: ok }, 'Policy document must be version 2012-10-17 or greater.'],
    ['Version 2008-10-17', { Version: '2008-10-17', Statement: ok }, 'Policy document must be version 2012-10-17 or greater.'],
    ['an Effect in the wrong case', { Version: V, Statement: { ...ok, Effect: 'denY' } }, 'The policy failed legacy parsing'],
    ['a date condition that is no date', { Version: V, Statement: { ...ok, Condition: { DateGreaterThan: { a: 'sdfdsf' } } } }, 'The policy failed legacy parsing'],
    ['a month 13', { Version: V, Statement: { ...ok, Condition: { DateLessThanEquals: { a: '234-13' } } } }, 'The policy failed legacy parsing'],
    ['a one-digit time zone', { Version: V, Statement: { ...ok, Condition: { DateLessThanEquals: { a: '2016-12-13t2:00:00.593194+1' } } } }, 'The policy failed legacy parsing'],
    ['an epoch beyond 2^63-1', { Version: V, Statement: { ...ok, Condition: { DateLessThan: { a: '9223372036854775808' } } } }, 'The policy failed legacy parsing'],
    ['a resource with too few parts', { Version: V, Statement: { ...ok, Resource: 'arn:aws:s3::example_bucket' } }, 'The policy failed legacy parsing'],
    ['a resource without service', { Version: V, Statement: { ...ok, Resource: 'arn:aws::fdsasf' } }, 'The policy failed legacy parsing'],
    ['a repeated Sid', { Version: V, Statement: [{ ...ok, Sid: 'sdf' }, { Sid: 'sdf', Effect: 'Allow' }] }, 'Statement IDs (SID) in a single policy must be unique.'],
    ['no Action', { Version: V, Statement: { Effect: 'Allow', Resource: BUCKET } }, 'Policy statement must contain actions.'],
    ['an empty Action list', { Version: V, Statement: { ...ok, Action: [] } }, 'Policy statement must contain actions.'],
    ['a later statement without Action', { Version: V, Statement: [{ Effect: 'Deny' }, ok] }, 'Policy statement must contain actions.'],
    ['no Resource', { Version: V, Statement: { Effect: 'Allow', Action: 's3:ListBucket' } }, 'Policy statement must contain resources.'],
    ['no Resource, before the action format', { Version: V, Statement: { Effect: 'Allow', Action: 'invalid' } }, 'Policy statement must contain resources.'],
    ['a resource that is no ARN', { Version: V, Statement: { ...ok, Resource: 'invalid resource' } }, 'Resource invalid resource must be in ARN format or "*".'],
    ['an empty resource', { Version: V, Statement: { ...ok, Resource: '' } }, 'Resource  must be in ARN format or "*".'],
    ['an unknown partition', { Version: V, Statement: { ...ok, Resource: 'a:bsdfdsafsad' } }, 'Partition "bsdfdsafsad" is not valid for resource "arn:bsdfdsafsad:*:*:*:*".'],
    ['an ARN without its prefix', { Version: V, Statement: { ...ok, Resource: 'aws:s3:::example_bucket' } }, 'Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".'],
    ['two bad partitions: the last in reverse order', { Version: V, Statement: { ...ok, Resource: ['arn:error:s3:::example_bucket', 'arn:error:s3::example_bucket'] } }, 'Partition "error" is not valid for resource "arn:error:s3:::example_bucket".'],
    ['a partition alone', { Version: V, Statement: { ...ok, Resource: 'arn:aws' } }, 'Resource vendor must be fully qualified and cannot contain regexes.'],
    ['an IAM resource with a region', { Version: V, Statement: { ...ok, Resource: 'arn:aws:iam:us-east-1::example_bucket' } }, 'IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information.'],
    ['an S3 resource with a region', { Version: V, Statement: { ...ok, Resource: 'arn:aws:s3:us-east-1::example_bucket' } }, 'Resource arn:aws:s3:us-east-1::example_bucket can not contain region information.'],
    [
      'an IAM resource of no known type',
      { Version: V, Statement: { ...ok, Resource: 'arn:aws:iam:::example_bucket' } },
      'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.',
    ],
    ['an action without vendor', { Version: V, Statement: { ...ok, Action: 'invalid' } }, 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    ['an empty NotAction', { Version: V, Statement: { Effect: 'Allow', NotAction: '', Resource: BUCKET } }, 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    ['an action with two colons', { Version: V, Statement: { ...ok, Action: 's3:List:Bucket' } }, 'Actions/Condition can contain only one colon.'],
    ['a vendor with a space', { Version: V, Statement: { ...ok, Action: 'a a:ListBucket' } }, 'Vendor a a is not valid'],
  ];
  it.each(cases)('%s', (_name, document, message) => {
    expect(errorOf(document)).toBe(message);
  });

  it('answers with the MalformedPolicyDocument error, or the error a service passes', () => {
    const error = (() => {
      try {
        parsePolicy('{', 'identity');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ code: 'MalformedPolicyDocument', status: 400, sender: true, message: 'Syntax errors in policy.' });
    expect(() => parsePolicy('{', 'identity', (m) => new ServiceError('MalformedPolicy', m))).toThrow(expect.objectContaining({ code: 'MalformedPolicy' }));
  });
});

describe('identity policies that IAM accepts', () => {
  const valid: unknown[] = [
    { Version: V, Statement: { ...ok, Action: 'iam: asdf safdsf af ' } },
    { Version: V, Statement: { ...ok, Resource: [BUCKET, '*'] } },
    { Version: V, Statement: { ...ok, Action: '*' } },
    { Version: V, Statement: { ...ok, Resource: 'arn:aws:iam:::user/example' } },
    { Version: V, Statement: { ...ok, Resource: 'arn:aws:iam::111122223333:root' } },
    { Version: V, Statement: { ...ok, Resource: 'arn:aws:s3:us-east-1:111122223333:accesspoint/ap' } },
    { Version: V, Statement: { ...ok, Resource: 'arn:aws-cn:s3:::bucket' } },
    { Version: V, Statement: { ...ok, Resource: 'arn:aws:ec2:us-east-1::example' } },
    { Version: V, Statement: { ...ok, Resource: 'arn:aws:fdsasf' } },
    { Version: V, Statement: { ...ok, Condition: {} } },
    { Version: V, Statement: { ...ok, Condition: { a: {} } } },
    { Version: V, Statement: { ...ok, Condition: { DateGreaterThan: {} } } },
    { Version: V, Statement: { ...ok, Condition: { DateGreaterThan: { a: [] } } } },
    { Version: V, Statement: { ...ok, Condition: { DateGreaterThan: { 'aws:CurrentTime': '2017-07-01T00:00:00Z' }, DateLessThan: { 'aws:CurrentTime': '1500000000' } } } },
    { Version: V, Statement: { ...ok, Condition: { DateLessThan: { a: '2016-12-13t02:00:00.5+10:30' } } } },
    { Version: V, Statement: [{ ...ok, Sid: '' }, { ...ok, Sid: '' }] },
    { Version: V, Statement: { Effect: 'Deny', NotAction: ['iam:*'], NotResource: BUCKET } },
  ];
  it.each(valid.map((d) => [JSON.stringify(d)]))('%s', (text) => {
    expect(policyError(text, 'identity')).toBeUndefined();
  });

  it('become a typed document: lists, qualifiers, IfExists, scalar condition values', () => {
    const parsed = parsePolicy(
      doc([
        { Sid: 'One', Effect: 'Allow', Action: 's3:GetObject', Resource: [BUCKET], Condition: { 'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': ['a*', 'b'] }, Bool: { 'aws:SecureTransport': false }, NumericLessThan: { 's3:max-keys': 10 } } },
        { Effect: 'Deny', NotAction: 'iam:*', NotResource: '*' },
      ], { Id: 'doc' }),
      'identity',
    );
    expect(parsed).toEqual({
      kind: 'identity',
      version: V,
      id: 'doc',
      statements: [
        {
          sid: 'One',
          effect: 'Allow',
          action: ['s3:GetObject'],
          resource: [BUCKET],
          conditions: [
            { text: 'ForAnyValue:StringLikeIfExists', operator: 'StringLike', qualifier: 'ForAnyValue', ifExists: true, key: 'aws:TagKeys', values: ['a*', 'b'] },
            { text: 'Bool', operator: 'Bool', qualifier: undefined, ifExists: false, key: 'aws:SecureTransport', values: ['false'] },
            { text: 'NumericLessThan', operator: 'NumericLessThan', qualifier: undefined, ifExists: false, key: 's3:max-keys', values: ['10'] },
          ],
        },
        { effect: 'Deny', notAction: ['iam:*'], notResource: ['*'], conditions: [] },
      ],
    });
  });

  it('keeps user-chosen names such as __proto__ as data', () => {
    const text = `{"Version":"${V}","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"__proto__":"x","toString":"y"}}}}`;
    const parsed = parsePolicy(text, 'identity');
    expect(parsed.statements[0]!.conditions.map((c) => [c.key, c.values[0]])).toEqual([
      ['__proto__', 'x'],
      ['toString', 'y'],
    ]);
  });
});

describe('trust and resource policies', () => {
  const trust = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };
  const bucket = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${BUCKET}/*` };
  const cases: Array<[string, PolicyKind, unknown, string]> = [
    ['not JSON', 'trust', 'ecs-assume-role-policy.yaml', 'This policy contains invalid Json'],
    ['a list', 'trust', [], 'This policy contains invalid Json'],
    ['no Statement', 'resource', { Version: V }, 'Missing required field Statement'],
    ['no Effect', 'trust', { Version: V, Statement: { Principal: '*', Action: 'sts:AssumeRole' } }, 'Missing required field Effect'],
    ['no Principal', 'trust', { Version: V, Statement: { Effect: 'Allow', Action: 'sts:AssumeRole' } }, 'Missing required field Principal'],
    ['no Principal in a bucket policy', 'resource', { Version: V, Statement: { Effect: 'Allow', Action: 's3:*', Resource: BUCKET } }, 'Missing required field Principal'],
    ['an AWS principal that is no ARN', 'trust', { Version: V, Statement: { ...trust, Principal: { AWS: 'someone' } } }, 'Invalid principal in policy: "AWS":"someone"'],
    ['an unknown principal type', 'resource', { Version: V, Statement: { ...bucket, Principal: { Robot: 'r2d2' } } }, 'Invalid principal in policy: "Robot":"r2d2"'],
    ['no Action', 'trust', { Version: V, Statement: { Effect: 'Allow', Principal: '*' } }, 'Missing required field Action'],
    ['a Resource in a trust policy', 'trust', { Version: V, Statement: { ...trust, Resource: '*' } }, 'Has prohibited field Resource'],
    ['no Resource in a bucket policy', 'resource', { Version: V, Statement: { Effect: 'Allow', Principal: '*', Action: 's3:*' } }, 'Missing required field Resource'],
    ['a trust policy granting s3', 'trust', { Version: V, Statement: { ...trust, Action: ['sts:AssumeRole', 's3:GetObject'] } }, 'Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity'],
    ['an effect in the wrong case', 'trust', { Version: V, Statement: { ...trust, Effect: 'allow' } }, 'Syntax errors in policy.'],
    ['an unknown element', 'resource', { Version: V, Statement: { ...bucket, Extra: 1 } }, 'Syntax errors in policy.'],
    ['an empty principal object', 'trust', { Version: V, Statement: { ...trust, Principal: {} } }, 'Syntax errors in policy.'],
  ];
  it.each(cases)('%s (%s)', (_name, kind, document, message) => {
    expect(errorOf(document, kind)).toBe(message);
  });

  it('accept what AWS accepts: Version 2008-10-17 or none, "*", accounts, ARNs, services, conditions', () => {
    expect(errorOf({ Version: '2008-10-17', Statement: trust }, 'trust')).toBeUndefined();
    expect(errorOf({ Statement: [trust] }, 'trust')).toBeUndefined();
    expect(errorOf({ Version: V, Statement: { ...trust, Principal: { AWS: ['111122223333', 'arn:aws:iam::111122223333:role/x', '*'] }, Condition: { StringEquals: { 'sts:ExternalId': 'e' } } } }, 'trust')).toBeUndefined();
    expect(errorOf({ Version: V, Statement: { ...trust, Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity' } }, 'trust')).toBeUndefined();
    expect(errorOf({ Version: V, Statement: [bucket, { ...bucket, Effect: 'Deny', Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' } }] }, 'resource')).toBeUndefined();
  });

  it('become typed documents with their principals', () => {
    const parsed = parsePolicy(JSON.stringify({ Version: V, Statement: [bucket, { Effect: 'Deny', NotPrincipal: { AWS: ['111122223333'] }, Action: 's3:*', NotResource: BUCKET }] }), 'resource');
    expect(parsed).toEqual({
      kind: 'resource',
      version: V,
      statements: [
        { effect: 'Allow', principal: '*', action: ['s3:GetObject'], resource: [`${BUCKET}/*`], conditions: [] },
        { effect: 'Deny', notPrincipal: { AWS: ['111122223333'] }, action: ['s3:*'], notResource: [BUCKET], conditions: [] },
      ],
    });
    expect(parsePolicy(JSON.stringify({ Statement: trust }), 'trust').statements[0]).toEqual({ effect: 'Allow', principal: { Service: ['ec2.amazonaws.com'] }, action: ['sts:AssumeRole'], conditions: [] });
  });
});
