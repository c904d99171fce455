/**
 * The policy-simulation table: requests and the decision AWS's documented evaluation logic
 * gives them, each group citing the IAM user guide page its answers come from. Run through
 * the engine (test/aws/policy-evaluation.test.ts) and through SimulateCustomPolicy over a
 * socket (test/services/iam/simulate.test.ts). The account is the emulator's default,
 * 000000000000.
 */
import type { ContextKeyType } from '../../runtime/aws/policy-evaluation/evaluate.js';

export const ACCOUNT = '000000000000';
export const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;

type Json = Record<string, unknown>;

/** One simulated request. */
export interface SimulationCase {
  readonly name: string;
  /** Identity policies (PolicyInputList). */
  readonly policies: readonly Json[];
  readonly boundary?: readonly Json[];
  /** SCP levels (OrderedOrganizationPolicyInputList), root first. */
  readonly organizations?: readonly (readonly Json[])[];
  readonly resourcePolicy?: Json;
  readonly callerArn?: string;
  readonly resourceOwner?: string;
  readonly action: string;
  /** Omitted: `*`. */
  readonly resource?: string;
  readonly context?: readonly { key: string; values: string[]; type: ContextKeyType }[];
  readonly expect: 'allowed' | 'explicitDeny' | 'implicitDeny';
}

const doc = (...statements: Json[]): Json => ({ Version: '2012-10-17', Statement: statements });
const allow = (action: unknown, resource: unknown = '*', extra: Json = {}): Json => ({ Effect: 'Allow', Action: action, Resource: resource, ...extra });
const deny = (action: unknown, resource: unknown = '*', extra: Json = {}): Json => ({ Effect: 'Deny', Action: action, Resource: resource, ...extra });
const ctx = (key: string, type: ContextKeyType, ...values: string[]) => ({ key, values, type });
const BUCKET = 'arn:aws:s3:::example-bucket';

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// (explicit deny wins; an allow is needed; boundaries limit; a resource policy grants within
// the account) and .../reference_policies_evaluation-logic-cross-account.html (both sides).
const evaluationLogic: SimulationCase[] = [
  { name: 'no statement applies: implicit deny', policies: [doc(allow('s3:*'))], action: 'sqs:SendMessage', expect: 'implicitDeny' },
  { name: 'an allow of the action', policies: [doc(allow('s3:GetObject', `${BUCKET}/*`))], action: 's3:GetObject', resource: `${BUCKET}/a.txt`, expect: 'allowed' },
  { name: 'allow and deny in one policy: the deny wins', policies: [doc(allow('s3:*'), deny('s3:DeleteObject'))], action: 's3:DeleteObject', resource: `${BUCKET}/a`, expect: 'explicitDeny' },
  { name: 'a deny in another policy wins over an allow', policies: [doc(allow('*')), doc(deny('s3:*'))], action: 's3:GetObject', resource: `${BUCKET}/a`, expect: 'explicitDeny' },
  { name: 'identity allows, the boundary does not: implicit deny', policies: [doc(allow('s3:*'))], boundary: [doc(allow('sqs:*'))], action: 's3:GetObject', resource: `${BUCKET}/a`, expect: 'implicitDeny' },
  { name: 'identity and boundary allow', policies: [doc(allow('s3:*'))], boundary: [doc(allow('s3:Get*'))], action: 's3:GetObject', resource: `${BUCKET}/a`, expect: 'allowed' },
  { name: 'a deny in the boundary', policies: [doc(allow('*'))], boundary: [doc(allow('*'), deny('iam:*'))], action: 'iam:CreateUser', resource: `arn:aws:iam::${ACCOUNT}:user/x`, expect: 'explicitDeny' },
  { name: 'the boundary alone grants nothing', policies: [doc(allow('sqs:*'))], boundary: [doc(allow('*'))], action: 's3:ListBucket', resource: BUCKET, expect: 'implicitDeny' },
  {
    name: 'same account: the resource policy alone allows the caller',
    policies: [doc(allow('sqs:*'))],
    resourcePolicy: doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: ALICE } })),
    callerArn: ALICE,
    action: 's3:GetObject',
    resource: `${BUCKET}/a`,
    expect: 'allowed',
  },
  {
    name: 'cross account: the resource policy alone is not enough',
    policies: [doc(allow('sqs:*'))],
    resourcePolicy: doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: 'arn:aws:iam::111111111111:user/bob' } })),
    callerArn: 'arn:aws:iam::111111111111:user/bob',
    resourceOwner: `arn:aws:iam::${ACCOUNT}:root`,
    action: 's3:GetObject',
    resource: `${BUCKET}/a`,
    expect: 'implicitDeny',
  },
  {
    name: 'cross account: identity and resource policy both allow',
    policies: [doc(allow('s3:GetObject', `${BUCKET}/*`))],
    resourcePolicy: doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: '111111111111' } })),
    callerArn: 'arn:aws:iam::111111111111:user/bob',
    resourceOwner: `arn:aws:iam::${ACCOUNT}:root`,
    action: 's3:GetObject',
    resource: `${BUCKET}/a`,
    expect: 'allowed',
  },
  {
    name: 'a deny in the resource policy wins over the identity allow',
    policies: [doc(allow('s3:*'))],
    resourcePolicy: doc(deny('s3:DeleteObject', `${BUCKET}/*`, { Principal: '*' })),
    callerArn: ALICE,
    action: 's3:DeleteObject',
    resource: `${BUCKET}/a`,
    expect: 'explicitDeny',
  },
  {
    name: 'a resource policy granting someone else',
    policies: [doc(allow('sqs:*'))],
    resourcePolicy: doc(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/carol` } })),
    callerArn: ALICE,
    action: 's3:GetObject',
    resource: `${BUCKET}/a`,
    expect: 'implicitDeny',
  },
];

// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html (the effective
// permissions are what both the identity policy and the boundary allow: its example boundary
// allows s3, cloudwatch and ec2, and an identity policy granting iam:CreateUser gives nothing)
// and https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
// (every level of SCPs must allow; a deny at any level wins).
const EXAMPLE_BOUNDARY = doc(allow(['s3:*', 'cloudwatch:*', 'ec2:*']));
const limits: SimulationCase[] = [
  { name: "the guide's boundary example: iam:CreateUser is not within it", policies: [doc(allow('iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/*`))], boundary: [EXAMPLE_BOUNDARY], action: 'iam:CreateUser', resource: `arn:aws:iam::${ACCOUNT}:user/x`, expect: 'implicitDeny' },
  { name: "the guide's boundary example: within both", policies: [doc(allow(['ec2:*', 'iam:*']))], boundary: [EXAMPLE_BOUNDARY], action: 'ec2:RunInstances', expect: 'allowed' },
  { name: 'SCPs: allowed at every level', policies: [doc(allow('*'))], organizations: [[doc(allow('*'))], [doc(allow('s3:*'))]], action: 's3:GetObject', expect: 'allowed' },
  { name: 'SCPs: a level that does not allow', policies: [doc(allow('*'))], organizations: [[doc(allow('*'))], [doc(allow('s3:*'))]], action: 'sqs:SendMessage', expect: 'implicitDeny' },
  { name: 'SCPs: a deny at the root', policies: [doc(allow('*'))], organizations: [[doc(allow('*'), deny('s3:DeleteBucket'))], [doc(allow('*'))]], action: 's3:DeleteBucket', resource: BUCKET, expect: 'explicitDeny' },
  { name: 'SCPs grant nothing themselves', policies: [doc(allow('sqs:*'))], organizations: [[doc(allow('*'))]], action: 's3:GetObject', expect: 'implicitDeny' },
];

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html and
// .../reference_policies_elements_notaction.html (actions are not case sensitive; wildcards).
const actions: SimulationCase[] = [
  { name: 'action names compare without case', policies: [doc(allow('S3:getobject'))], action: 's3:GetObject', expect: 'allowed' },
  { name: 'a prefix wildcard', policies: [doc(allow('s3:Get*'))], action: 's3:GetObjectAcl', expect: 'allowed' },
  { name: 'a prefix wildcard does not reach other actions', policies: [doc(allow('s3:Get*'))], action: 's3:PutObject', expect: 'implicitDeny' },
  { name: '* is every action', policies: [doc(allow('*'))], action: 'dynamodb:PutItem', expect: 'allowed' },
  { name: '? is one character', policies: [doc(allow('iam:?etUser'))], action: 'iam:GetUser', expect: 'allowed' },
  { name: 'a list of actions', policies: [doc(allow(['sqs:SendMessage', 'sqs:ReceiveMessage']))], action: 'sqs:ReceiveMessage', expect: 'allowed' },
  { name: 'Allow with NotAction: another service is allowed', policies: [doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })], action: 's3:ListBucket', expect: 'allowed' },
  { name: 'Allow with NotAction: the excluded service is not', policies: [doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })], action: 'iam:CreateUser', expect: 'implicitDeny' },
  { name: 'Deny with NotAction: everything outside is denied', policies: [doc(allow('*'), { Effect: 'Deny', NotAction: 'iam:*', Resource: '*' })], action: 's3:ListBucket', expect: 'explicitDeny' },
  { name: 'Deny with NotAction: the named service stays allowed', policies: [doc(allow('*'), { Effect: 'Deny', NotAction: 'iam:*', Resource: '*' })], action: 'iam:ListUsers', expect: 'allowed' },
];

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html and
// .../reference_policies_elements_notresource.html (ARNs are case sensitive; wildcards in segments).
const resources: SimulationCase[] = [
  { name: 'an object under the bucket', policies: [doc(allow('s3:GetObject', `${BUCKET}/*`))], action: 's3:GetObject', resource: `${BUCKET}/a/b/c.txt`, expect: 'allowed' },
  { name: 'another bucket', policies: [doc(allow('s3:GetObject', `${BUCKET}/*`))], action: 's3:GetObject', resource: 'arn:aws:s3:::other-bucket/a', expect: 'implicitDeny' },
  { name: 'ARNs compare with case', policies: [doc(allow('s3:GetObject', 'arn:aws:s3:::Example-Bucket/*'))], action: 's3:GetObject', resource: `${BUCKET}/a`, expect: 'implicitDeny' },
  { name: 'a wildcard account', policies: [doc(allow('iam:GetUser', 'arn:aws:iam::*:user/*'))], action: 'iam:GetUser', resource: `arn:aws:iam::${ACCOUNT}:user/dev/alice`, expect: 'allowed' },
  { name: '? in a resource', policies: [doc(allow('sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:queue-?`))], action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:queue-1`, expect: 'allowed' },
  { name: '? is exactly one character', policies: [doc(allow('sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:queue-?`))], action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:queue-10`, expect: 'implicitDeny' },
  { name: 'Allow with NotResource: another bucket', policies: [doc({ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret/*' })], action: 's3:GetObject', resource: `${BUCKET}/a`, expect: 'allowed' },
  { name: 'Allow with NotResource: the excluded bucket', policies: [doc({ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret/*' })], action: 's3:GetObject', resource: 'arn:aws:s3:::secret/a', expect: 'implicitDeny' },
  { name: 'Deny with NotResource: all but the named region', policies: [doc(allow('*'), { Effect: 'Deny', Action: 'sqs:*', NotResource: `arn:aws:sqs:eu-west-1:${ACCOUNT}:*` })], action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:q`, expect: 'explicitDeny' },
  { name: 'the region part matches alone', policies: [doc(allow('sqs:*', `arn:aws:sqs:*:${ACCOUNT}:q`))], action: 'sqs:SendMessage', resource: `arn:aws:sqs:ap-south-1:${ACCOUNT}:q`, expect: 'allowed' },
];

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
const variables: SimulationCase[] = [
  { name: '${aws:username}: the own home folder', policies: [doc(allow('s3:GetObject', `${BUCKET}/home/\${aws:username}/*`))], action: 's3:GetObject', resource: `${BUCKET}/home/alice/f.txt`, context: [ctx('aws:username', 'string', 'alice')], expect: 'allowed' },
  { name: "${aws:username}: another user's folder", policies: [doc(allow('s3:GetObject', `${BUCKET}/home/\${aws:username}/*`))], action: 's3:GetObject', resource: `${BUCKET}/home/bob/f.txt`, context: [ctx('aws:username', 'string', 'alice')], expect: 'implicitDeny' },
  { name: 'a variable without a value matches nothing', policies: [doc(allow('s3:GetObject', `${BUCKET}/home/\${aws:username}/*`))], action: 's3:GetObject', resource: `${BUCKET}/home/alice/f.txt`, expect: 'implicitDeny' },
  { name: "a variable's default value", policies: [doc(allow('s3:GetObject', `${BUCKET}/home/\${aws:username, 'guest'}/*`))], action: 's3:GetObject', resource: `${BUCKET}/home/guest/f.txt`, expect: 'allowed' },
  { name: '${*} is a literal star', policies: [doc(allow('s3:GetObject', `${BUCKET}/\${*}weird`))], action: 's3:GetObject', resource: `${BUCKET}/*weird`, expect: 'allowed' },
  { name: '${*} does not match as a wildcard', policies: [doc(allow('s3:GetObject', `${BUCKET}/\${*}weird`))], action: 's3:GetObject', resource: `${BUCKET}/xweird`, expect: 'implicitDeny' },
  { name: "a variable's value is literal, not a wildcard", policies: [doc(allow('s3:GetObject', `${BUCKET}/home/\${aws:username}/*`))], action: 's3:GetObject', resource: `${BUCKET}/home/bob/f`, context: [ctx('aws:username', 'string', '*')], expect: 'implicitDeny' },
  {
    name: '${aws:PrincipalTag/team} in a condition value',
    policies: [doc(allow('ec2:StartInstances', '*', { Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } } }))],
    action: 'ec2:StartInstances',
    context: [ctx('aws:PrincipalTag/team', 'string', 'blue'), ctx('aws:ResourceTag/team', 'string', 'blue')],
    expect: 'allowed',
  },
  {
    name: '${aws:PrincipalTag/team} not equal to the resource tag',
    policies: [doc(allow('ec2:StartInstances', '*', { Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } } }))],
    action: 'ec2:StartInstances',
    context: [ctx('aws:PrincipalTag/team', 'string', 'blue'), ctx('aws:ResourceTag/team', 'string', 'red')],
    expect: 'implicitDeny',
  },
];

const cond = (condition: Json, action = 's3:GetObject') => [doc(allow(action, '*', { Condition: condition }))];
const denyIf = (condition: Json) => [doc(allow('*'), deny('*', '*', { Condition: condition }))];

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// and .../reference_policies_condition-single-vs-multi-valued-context-keys.html (set operators),
// .../reference_policies_condition-logic-multiple-context-keys-or-values.html (AND of keys, OR of values).
const conditions: SimulationCase[] = [
  { name: 'StringEquals: equal', policies: cond({ StringEquals: { 'aws:username': 'alice' } }), action: 's3:GetObject', context: [ctx('aws:username', 'string', 'alice')], expect: 'allowed' },
  { name: 'StringEquals is case sensitive', policies: cond({ StringEquals: { 'aws:username': 'alice' } }), action: 's3:GetObject', context: [ctx('aws:username', 'string', 'Alice')], expect: 'implicitDeny' },
  { name: 'StringEqualsIgnoreCase', policies: cond({ StringEqualsIgnoreCase: { 'aws:username': 'alice' } }), action: 's3:GetObject', context: [ctx('aws:username', 'string', 'ALICE')], expect: 'allowed' },
  { name: 'a missing key: the condition is false', policies: cond({ StringEquals: { 'aws:username': 'alice' } }), action: 's3:GetObject', expect: 'implicitDeny' },
  { name: 'StringNotEquals with the key missing is true', policies: cond({ StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } }), action: 's3:GetObject', expect: 'allowed' },
  { name: 'StringNotEquals of an equal value', policies: cond({ StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } }), action: 's3:GetObject', context: [ctx('aws:RequestedRegion', 'string', 'us-east-1')], expect: 'implicitDeny' },
  { name: 'StringLike on s3:prefix', policies: cond({ StringLike: { 's3:prefix': ['home/alice/*'] } }, 's3:ListBucket'), action: 's3:ListBucket', context: [ctx('s3:prefix', 'string', 'home/alice/docs')], expect: 'allowed' },
  { name: 'StringLike outside the prefix', policies: cond({ StringLike: { 's3:prefix': ['home/alice/*'] } }, 's3:ListBucket'), action: 's3:ListBucket', context: [ctx('s3:prefix', 'string', 'home/bob/')], expect: 'implicitDeny' },
  { name: 'values of one key are ORed', policies: cond({ StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } }), action: 's3:GetObject', context: [ctx('aws:RequestedRegion', 'string', 'eu-west-1')], expect: 'allowed' },
  {
    name: 'keys are ANDed: one fails',
    policies: cond({ StringEquals: { 'aws:RequestedRegion': 'eu-west-1' }, Bool: { 'aws:SecureTransport': 'true' } }),
    action: 's3:GetObject',
    context: [ctx('aws:RequestedRegion', 'string', 'eu-west-1'), ctx('aws:SecureTransport', 'boolean', 'false')],
    expect: 'implicitDeny',
  },
  { name: 'condition key names compare without case', policies: cond({ IpAddress: { 'AWS:SourceIP': '203.0.113.0/24' } }), action: 's3:GetObject', context: [ctx('aws:sourceip', 'ip', '203.0.113.9')], expect: 'allowed' },
  { name: 'NumericLessThan: below', policies: cond({ NumericLessThan: { 's3:max-keys': '10' } }, 's3:ListBucket'), action: 's3:ListBucket', context: [ctx('s3:max-keys', 'numeric', '5')], expect: 'allowed' },
  { name: 'NumericLessThan: above', policies: cond({ NumericLessThan: { 's3:max-keys': '10' } }, 's3:ListBucket'), action: 's3:ListBucket', context: [ctx('s3:max-keys', 'numeric', '20')], expect: 'implicitDeny' },
  { name: 'NumericLessThanEqualsIfExists: the key missing', policies: cond({ NumericLessThanEqualsIfExists: { 'aws:MultiFactorAuthAge': '3600' } }), action: 's3:GetObject', expect: 'allowed' },
  { name: 'NumericLessThanEqualsIfExists: too old', policies: cond({ NumericLessThanEqualsIfExists: { 'aws:MultiFactorAuthAge': '3600' } }), action: 's3:GetObject', context: [ctx('aws:MultiFactorAuthAge', 'numeric', '7200')], expect: 'implicitDeny' },
  // the AWS CLI's simulate-custom-policy examples: after 2018-08-16 allowed, before it not
  { name: 'DateGreaterThan aws:CurrentTime: after', policies: [doc(allow('dynamodb:*', '*', { Condition: { DateGreaterThan: { 'aws:CurrentTime': '2018-08-16T12:00:00Z' } } }))], action: 'dynamodb:CreateBackup', context: [ctx('aws:CurrentTime', 'date', '2019-04-25T11:00:00Z')], expect: 'allowed' },
  { name: 'DateGreaterThan aws:CurrentTime: before', policies: [doc(allow('dynamodb:*', '*', { Condition: { DateGreaterThan: { 'aws:CurrentTime': '2018-08-16T12:00:00Z' } } }))], action: 'dynamodb:CreateBackup', context: [ctx('aws:CurrentTime', 'date', '2014-04-25T11:00:00Z')], expect: 'implicitDeny' },
  { name: 'DateLessThan with epoch seconds', policies: cond({ DateLessThan: { 'aws:EpochTime': '1700000000' } }), action: 's3:GetObject', context: [ctx('aws:EpochTime', 'date', '2020-01-01T00:00:00Z')], expect: 'allowed' },
  { name: 'Bool aws:SecureTransport false: denied', policies: denyIf({ Bool: { 'aws:SecureTransport': 'false' } }), action: 's3:GetObject', context: [ctx('aws:SecureTransport', 'boolean', 'false')], expect: 'explicitDeny' },
  { name: 'Bool aws:SecureTransport true: allowed', policies: denyIf({ Bool: { 'aws:SecureTransport': 'false' } }), action: 's3:GetObject', context: [ctx('aws:SecureTransport', 'boolean', 'true')], expect: 'allowed' },
  { name: 'IpAddress inside the block', policies: cond({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }), action: 's3:GetObject', context: [ctx('aws:SourceIp', 'ip', '203.0.113.10')], expect: 'allowed' },
  { name: 'IpAddress outside the block', policies: cond({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }), action: 's3:GetObject', context: [ctx('aws:SourceIp', 'ip', '198.51.100.1')], expect: 'implicitDeny' },
  { name: 'NotIpAddress: denied from outside', policies: denyIf({ NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] } }), action: 's3:GetObject', context: [ctx('aws:SourceIp', 'ip', '198.51.100.1')], expect: 'explicitDeny' },
  { name: 'IPv6 block', policies: cond({ IpAddress: { 'aws:SourceIp': '2001:DB8:1234:5678::/64' } }), action: 's3:GetObject', context: [ctx('aws:SourceIp', 'ip', '2001:db8:1234:5678::1')], expect: 'allowed' },
  { name: 'IPv6 outside the block', policies: cond({ IpAddress: { 'aws:SourceIp': '2001:DB8:1234:5678::/64' } }), action: 's3:GetObject', context: [ctx('aws:SourceIp', 'ip', '2001:db8:1234:9999::1')], expect: 'implicitDeny' },
  { name: 'ArnLike aws:SourceArn', policies: cond({ ArnLike: { 'aws:SourceArn': `arn:aws:sns:*:${ACCOUNT}:topic-*` } }, 'sqs:SendMessage'), action: 'sqs:SendMessage', context: [ctx('aws:SourceArn', 'string', `arn:aws:sns:us-east-1:${ACCOUNT}:topic-a`)], expect: 'allowed' },
  { name: 'ArnLike: the account part differs', policies: cond({ ArnLike: { 'aws:SourceArn': `arn:aws:sns:*:${ACCOUNT}:*` } }, 'sqs:SendMessage'), action: 'sqs:SendMessage', context: [ctx('aws:SourceArn', 'string', 'arn:aws:sns:us-east-1:111111111111:t')], expect: 'implicitDeny' },
  { name: 'ArnNotEquals with the key missing', policies: cond({ ArnNotEquals: { 'aws:SourceArn': `arn:aws:sns:us-east-1:${ACCOUNT}:t` } }, 'sqs:SendMessage'), action: 'sqs:SendMessage', expect: 'allowed' },
  { name: 'StringEquals aws:SourceAccount', policies: cond({ StringEquals: { 'aws:SourceAccount': ACCOUNT } }, 'sns:Publish'), action: 'sns:Publish', context: [ctx('aws:SourceAccount', 'string', ACCOUNT)], expect: 'allowed' },
  { name: 'Null true: the tag is absent', policies: denyIf({ Null: { 'aws:RequestTag/env': 'true' } }), action: 'ec2:RunInstances', expect: 'explicitDeny' },
  { name: 'Null true: the tag is present', policies: denyIf({ Null: { 'aws:RequestTag/env': 'true' } }), action: 'ec2:RunInstances', context: [ctx('aws:RequestTag/env', 'string', 'prod')], expect: 'allowed' },
  { name: 'BinaryEquals', policies: cond({ BinaryEquals: { 'custom:key': 'QmluYXJ5VmFsdWU=' } }), action: 's3:GetObject', context: [ctx('custom:key', 'binary', 'QmluYXJ5VmFsdWU=')], expect: 'allowed' },
  { name: 'aws:PrincipalTag equal', policies: cond({ StringEquals: { 'aws:PrincipalTag/department': 'finance' } }), action: 's3:GetObject', context: [ctx('aws:PrincipalTag/department', 'string', 'finance')], expect: 'allowed' },
  { name: 'aws:PrincipalArn in a Deny', policies: denyIf({ ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/admin-*` } }), action: 'iam:DeleteRole', context: [ctx('aws:PrincipalArn', 'string', ALICE)], expect: 'explicitDeny' },
  { name: 'ForAllValues: every tag key allowed', policies: cond({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }, 'ec2:CreateTags'), action: 'ec2:CreateTags', context: [ctx('aws:TagKeys', 'stringList', 'env', 'team')], expect: 'allowed' },
  { name: 'ForAllValues: a tag key not allowed', policies: cond({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }, 'ec2:CreateTags'), action: 'ec2:CreateTags', context: [ctx('aws:TagKeys', 'stringList', 'env', 'secret')], expect: 'implicitDeny' },
  // the guide's warning: ForAllValues is also true when the request has no such key at all
  { name: 'ForAllValues: no tag keys at all is true', policies: cond({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } }, 'ec2:CreateTags'), action: 'ec2:CreateTags', expect: 'allowed' },
  { name: 'ForAnyValue: one tag key matches', policies: cond({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } }, 'ec2:CreateTags'), action: 'ec2:CreateTags', context: [ctx('aws:TagKeys', 'stringList', 'x', 'env')], expect: 'allowed' },
  { name: 'ForAnyValue: no tag keys is false', policies: cond({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } }, 'ec2:CreateTags'), action: 'ec2:CreateTags', expect: 'implicitDeny' },
  { name: 'ForAnyValue:StringNotEquals: one key outside the list', policies: denyIf({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['env', 'team'] } }), action: 'ec2:CreateTags', context: [ctx('aws:TagKeys', 'stringList', 'env', 'other')], expect: 'explicitDeny' },
  { name: 'aws:RequestTag with aws:TagKeys', policies: cond({ StringEquals: { 'aws:RequestTag/env': ['dev', 'test'] }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } }, 'ec2:CreateTags'), action: 'ec2:CreateTags', context: [ctx('aws:RequestTag/env', 'string', 'dev'), ctx('aws:TagKeys', 'stringList', 'env')], expect: 'allowed' },
  { name: 'StringLikeIfExists with the key present and different', policies: cond({ StringLikeIfExists: { 'ec2:InstanceType': ['t3.*'] } }, 'ec2:RunInstances'), action: 'ec2:RunInstances', context: [ctx('ec2:InstanceType', 'string', 'm5.large')], expect: 'implicitDeny' },
];

/** Every case, by group. */
export const SIMULATION_CASES: Readonly<Record<string, readonly SimulationCase[]>> = { evaluationLogic, limits, actions, resources, variables, conditions };
