/**
 * IAM's policy simulator through @aws-sdk/client-iam over a socket: the simulation table
 * (test/aws/policy-simulation-cases.ts, answers from AWS's documented evaluation logic)
 * through SimulateCustomPolicy; whole answers for the AWS CLI's documented examples
 * (MatchedStatements with AWS's positions, MissingContextValues, GetContextKeysForCustomPolicy);
 * several resources, boundaries, pagination; SimulatePrincipalPolicy over a user's, its
 * groups' and a role's policies; and bad input getting AWS's errors with the server still up.
 */
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetContextKeysForCustomPolicyCommand,
  GetContextKeysForPrincipalPolicyCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutUserPolicyCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
  type ContextKeyTypeEnum,
  type PolicyIdentifier,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';
import { ACCOUNT, SIMULATION_CASES, type SimulationCase } from '../../aws/policy-simulation-cases.js';

let rt: RuntimeProcess;
let iam: IAMClient;

beforeAll(async () => {
  rt = await startRuntime();
  iam = new IAMClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

const json = (value: unknown) => JSON.stringify(value);
const allowAll = json({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

function simulate(c: SimulationCase) {
  return iam.send(
    new SimulateCustomPolicyCommand({
      PolicyInputList: c.policies.map(json),
      ...(c.boundary ? { PermissionsBoundaryPolicyInputList: c.boundary.map(json) } : {}),
      ...(c.organizations ? { OrderedOrganizationPolicyInputList: c.organizations.map((level) => ({ ServiceControlPolicyInputList: level.map(json) })) } : {}),
      ...(c.resourcePolicy ? { ResourcePolicy: json(c.resourcePolicy) } : {}),
      ...(c.callerArn ? { CallerArn: c.callerArn } : {}),
      ...(c.resourceOwner ? { ResourceOwner: c.resourceOwner } : {}),
      ActionNames: [c.action],
      ...(c.resource ? { ResourceArns: [c.resource] } : {}),
      ContextEntries: (c.context ?? []).map((e) => ({ ContextKeyName: e.key, ContextKeyValues: e.values, ContextKeyType: e.type as ContextKeyTypeEnum })),
    }),
  );
}

describe('the simulation table through SimulateCustomPolicy', () => {
  for (const [group, cases] of Object.entries(SIMULATION_CASES)) {
    describe(group, () => {
      for (const c of cases) {
        it(c.name, async () => {
          const { EvaluationResults } = await simulate(c);
          expect(EvaluationResults).toHaveLength(1);
          const [result] = EvaluationResults!;
          expect(result!.EvalActionName).toBe(c.action);
          expect(result!.EvalDecision).toBe(c.expect);
          if (c.resource) expect(result!.ResourceSpecificResults?.map((r) => [r.EvalResourceName, r.EvalResourceDecision])).toEqual([[c.resource, c.expect]]);
          if (c.expect === 'implicitDeny') expect(result!.MatchedStatements).toEqual([]);
          else expect(result!.MatchedStatements!.length).toBeGreaterThan(0);
        });
      }
    });
  }
});

describe('SimulateCustomPolicy answers', () => {
  // the AWS CLI's simulate-custom-policy example: its policy, context and answer
  const cliPolicy = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';

  it("the CLI example: allowed, the statement at AWS's positions, nothing missing", async () => {
    const out = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [cliPolicy],
        ActionNames: ['dynamodb:CreateBackup'],
        ContextEntries: [{ ContextKeyName: 'aws:CurrentTime', ContextKeyValues: ['2019-04-25T11:00:00Z'], ContextKeyType: 'date' }],
      }),
    );
    expect(out.IsTruncated).toBe(false);
    expect(out.EvaluationResults).toEqual([
      {
        EvalActionName: 'dynamodb:CreateBackup',
        EvalResourceName: '*',
        EvalDecision: 'allowed',
        MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: 167 } }],
        MissingContextValues: [],
      },
    ]);
  });

  it('a key the context lacks: implicitDeny, and the key listed as missing', async () => {
    const out = await iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [cliPolicy], ActionNames: ['dynamodb:CreateBackup'] }));
    expect(out.EvaluationResults![0]).toMatchObject({ EvalDecision: 'implicitDeny', MatchedStatements: [], MissingContextValues: ['aws:CurrentTime'] });
  });

  it('missing context values name every key the policies read, whatever the action (as AWS answers)', async () => {
    const policy = json({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::example-bucket', Condition: { StringLike: { 'aws:PrincipalTag/allowed_service': 's3' } } },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::example-bucket/${aws:username}' },
      ],
    });
    const out = await iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [policy], ActionNames: ['s3:ListBucket'], ResourceArns: ['arn:aws:s3:::example-bucket'] }));
    const [result] = out.EvaluationResults!;
    expect(result!.MissingContextValues).toEqual(['aws:PrincipalTag/allowed_service', 'aws:username']);
    expect(result!.ResourceSpecificResults![0]!.MissingContextValues).toEqual(['aws:PrincipalTag/allowed_service', 'aws:username']);
  });

  it('several resources: one result per action, the most restrictive decision on top, each resource in ResourceSpecificResults', async () => {
    const policy = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},\n    {"Sid": "NoSecrets", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::b/secret/*"}\n  ]\n}';
    const out = await iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [policy], ActionNames: ['s3:GetObject', 's3:PutObject'], ResourceArns: ['arn:aws:s3:::b/public/a', 'arn:aws:s3:::b/secret/k'] }));
    const [get, put] = out.EvaluationResults!;
    // positions: the column after the `[`/`,` before a statement, and after its `}`
    const read = { SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 3, Column: 17 }, EndPosition: { Line: 4, Column: 97 } };
    const noSecrets = { SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 4, Column: 98 }, EndPosition: { Line: 5, Column: 100 } };
    expect(get).toEqual({
      EvalActionName: 's3:GetObject',
      EvalResourceName: '*',
      EvalDecision: 'explicitDeny',
      MatchedStatements: [noSecrets],
      MissingContextValues: [],
      EvalDecisionDetails: {},
      ResourceSpecificResults: [
        { EvalResourceName: 'arn:aws:s3:::b/public/a', EvalResourceDecision: 'allowed', MatchedStatements: [read], MissingContextValues: [] },
        { EvalResourceName: 'arn:aws:s3:::b/secret/k', EvalResourceDecision: 'explicitDeny', MatchedStatements: [noSecrets], MissingContextValues: [] },
      ],
    });
    expect(put!.ResourceSpecificResults!.map((r) => r.EvalResourceDecision)).toEqual(['implicitDeny', 'explicitDeny']);
    expect(put!.EvalDecision).toBe('explicitDeny');
  });

  it('a permissions boundary: its decision detail, and its statements among the matched ones', async () => {
    const boundary = json({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
    const out = await iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [allowAll], PermissionsBoundaryPolicyInputList: [boundary], ActionNames: ['s3:GetObject', 'sqs:SendMessage'] }));
    const [s3, sqs] = out.EvaluationResults!;
    expect(s3).toMatchObject({ EvalDecision: 'allowed', PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: true } });
    expect(s3!.MatchedStatements!.map((m) => m.SourcePolicyId)).toEqual(['PolicyInputList.1', 'PermissionsBoundaryPolicyInputList.1']);
    expect(sqs).toMatchObject({ EvalDecision: 'implicitDeny', MatchedStatements: [], PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: false } });
  });

  it('SCPs: every level must allow (OrganizationsDecisionDetail)', async () => {
    const s3Only = json({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
    const out = await iam.send(
      new SimulateCustomPolicyCommand({ PolicyInputList: [allowAll], OrderedOrganizationPolicyInputList: [{ ServiceControlPolicyInputList: [allowAll] }, { ServiceControlPolicyInputList: [s3Only] }], ActionNames: ['s3:GetObject', 'ec2:RunInstances'] }),
    );
    expect(out.EvaluationResults!.map((r) => [r.EvalDecision, r.OrganizationsDecisionDetail?.AllowedByOrganizations])).toEqual([
      ['allowed', true],
      ['implicitDeny', false],
    ]);
  });

  it("a role's trust policy as the ResourcePolicy: sts:AssumeRole for the trusted caller only", async () => {
    const trust = json({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` }, Action: 'sts:AssumeRole' }] });
    const run = async (CallerArn: string) =>
      (await iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [allowAll], ResourcePolicy: trust, CallerArn, ActionNames: ['sts:AssumeRole'], ResourceArns: [`arn:aws:iam::${ACCOUNT}:role/target`] }))).EvaluationResults![0]!;
    const alice = await run(`arn:aws:iam::${ACCOUNT}:user/alice`);
    expect(alice.EvalDecision).toBe('allowed');
    expect(alice.MatchedStatements!.map((m) => [m.SourcePolicyId, m.SourcePolicyType])).toEqual([
      ['PolicyInputList.1', 'IAM Policy'],
      ['ResourcePolicy', 'Resource Policy'],
    ]);
    // same account: the identity policy allows on its own
    expect((await run(`arn:aws:iam::${ACCOUNT}:user/carol`)).EvalDecision).toBe('allowed');
    // another account: the trust policy must name the caller
    expect((await run('arn:aws:iam::111111111111:user/alice')).EvalDecision).toBe('implicitDeny');
  });

  it('pages with MaxItems and Marker, in the order of ActionNames', async () => {
    const actions = ['s3:GetObject', 's3:PutObject', 'sqs:SendMessage'];
    const first = await iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [allowAll], ActionNames: actions, MaxItems: 2 }));
    expect(first.EvaluationResults!.map((r) => r.EvalActionName)).toEqual(actions.slice(0, 2));
    expect(first.IsTruncated).toBe(true);
    const second = await iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [allowAll], ActionNames: actions, MaxItems: 2, Marker: first.Marker }));
    expect(second.EvaluationResults!.map((r) => r.EvalActionName)).toEqual(actions.slice(2));
    expect(second.IsTruncated).toBe(false);
    expect(second.Marker).toBeUndefined();
  });

  it('GetContextKeysForCustomPolicy: the API reference example', async () => {
    const policy = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}';
    const out = await iam.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [policy] }));
    expect(out.ContextKeyNames).toEqual(['aws:username', 'aws:CurrentTime']);
  });
});

describe('SimulatePrincipalPolicy', () => {
  const s3Read = json({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }] });
  const denyDelete = json({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }] });
  const sqsWhenTagged = json({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue' } } }] });

  beforeAll(async () => {
    await iam.send(new CreateUserCommand({ UserName: 'alejandro', Path: '/dev/' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'readers' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'readers', UserName: 'alejandro' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'alejandro', PolicyName: 'queues', PolicyDocument: sqsWhenTagged }));
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'S3Read', PolicyDocument: s3Read }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: Policy!.Arn }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'no-delete', PolicyDocument: denyDelete }));
  });

  it("a user: its own policies and its groups', named as AWS names them", async () => {
    const out = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/dev/alejandro`,
        ActionNames: ['s3:GetObject', 's3:DeleteObject', 'sqs:SendMessage', 'ec2:RunInstances'],
        ContextEntries: [{ ContextKeyName: 'aws:PrincipalTag/team', ContextKeyValues: ['blue'], ContextKeyType: 'string' }],
      }),
    );
    const results = out.EvaluationResults!;
    expect(results.map((r) => [r.EvalActionName, r.EvalDecision, r.MatchedStatements!.map((m) => m.SourcePolicyId)])).toEqual([
      ['s3:GetObject', 'allowed', ['S3Read']],
      ['s3:DeleteObject', 'explicitDeny', ['group_readers_no-delete']],
      ['sqs:SendMessage', 'allowed', ['user_alejandro_queues']],
      ['ec2:RunInstances', 'implicitDeny', []],
    ]);
    expect(results[0]!.MatchedStatements![0]).toEqual({ SourcePolicyId: 'S3Read', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: 113 } });
  });

  it('a context the policies need and do not get: implicitDeny, listed as missing; extra PolicyInputList documents join in', async () => {
    const extra = json({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] });
    const out = await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/dev/alejandro`, ActionNames: ['sqs:SendMessage', 'ec2:RunInstances'], PolicyInputList: [extra] }));
    expect(out.EvaluationResults!.map((r) => [r.EvalDecision, r.MissingContextValues])).toEqual([
      ['implicitDeny', ['aws:PrincipalTag/team']],
      ['allowed', ['aws:PrincipalTag/team']],
    ]);
    expect(out.EvaluationResults![1]!.MatchedStatements!.map((m) => m.SourcePolicyId)).toEqual(['PolicyInputList.1']);
  });

  it('PolicyExclusionList leaves policies out: by ARN, by inline name, by type', async () => {
    const run = async (PolicyExclusionList: PolicyIdentifier[]) =>
      (await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/dev/alejandro`, ActionNames: ['s3:GetObject', 's3:DeleteObject'], PolicyExclusionList }))).EvaluationResults!.map((r) => r.EvalDecision);
    expect(await run([{ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/S3Read` }])).toEqual(['implicitDeny', 'explicitDeny']);
    expect(await run([{ InlinePolicyIdentifier: { PolicyName: 'no-delete', AttachmentType: 'group', AttachmentName: 'readers' } }])).toEqual(['allowed', 'implicitDeny']);
    expect(await run([{ PolicyType: 'inline' }])).toEqual(['allowed', 'implicitDeny']);
    expect(await run([{ PolicyType: 'user-managed' }])).toEqual(['implicitDeny', 'explicitDeny']);
  });

  it("a role with AWS's AdministratorAccess and a boundary", async () => {
    const trust = json({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    await iam.send(new CreateRoleCommand({ RoleName: 'bounded', AssumeRolePolicyDocument: trust }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'bounded', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'OnlyS3', PolicyDocument: json({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) }));
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'bounded', PermissionsBoundary: Policy!.Arn }));
    const out = await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/bounded`, ActionNames: ['s3:ListBucket', 'iam:CreateUser'] }));
    expect(out.EvaluationResults!.map((r) => [r.EvalDecision, r.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary, r.MatchedStatements!.map((m) => m.SourcePolicyId)])).toEqual([
      ['allowed', true, ['AdministratorAccess', 'OnlyS3']],
      ['implicitDeny', false, []],
    ]);
    // a boundary passed as text replaces the role's own
    const wider = await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/bounded`, ActionNames: ['iam:CreateUser'], PermissionsBoundaryPolicyInputList: [allowAll] }));
    expect(wider.EvaluationResults![0]!.EvalDecision).toBe('allowed');
  });

  it('GetContextKeysForPrincipalPolicy: the keys of the user\'s and its groups\' policies', async () => {
    const out = await iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/dev/alejandro`, PolicyInputList: [cliPolicyWithTime()] }));
    expect(out.ContextKeyNames).toEqual(['aws:PrincipalTag/team', 'aws:CurrentTime']);
  });
});

function cliPolicyWithTime(): string {
  return json({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2018-08-16T12:00:00Z' } } }] });
}

describe('bad input', () => {
  it('a malformed policy is MalformedPolicyDocument with IAM\'s message, in any list', async () => {
    const e = await sdkError(iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: ['{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*"}}'], ActionNames: ['s3:GetObject'] })));
    expect(e).toMatchObject({ name: 'MalformedPolicyDocumentException', status: 400, message: 'Policy statement must contain resources.' });
    const notJson = await sdkError(iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [allowAll], PermissionsBoundaryPolicyInputList: ['{not json'], ActionNames: ['s3:GetObject'] })));
    expect(notJson).toMatchObject({ name: 'MalformedPolicyDocumentException', message: 'Syntax errors in policy.' });
    const keys = await sdkError(iam.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: ['[]'] })));
    expect(keys).toMatchObject({ name: 'MalformedPolicyDocumentException', message: 'Syntax errors in policy.' });
  });

  it('an unknown ContextKeyType is refused by the model check (ValidationError naming the enum)', async () => {
    const e = await sdkError(
      iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [allowAll], ActionNames: ['s3:GetObject'], ContextEntries: [{ ContextKeyName: 'aws:username', ContextKeyValues: ['a'], ContextKeyType: 'text' as ContextKeyTypeEnum }] })),
    );
    expect(e.name).toBe('ValidationError');
    expect(e.message).toBe(
      "1 validation error detected: Value 'text' at 'contextEntries.1.member.contextKeyType' failed to satisfy constraint: Member must satisfy enum value set: [string, stringList, numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList]",
    );
  });

  it('a value not of its ContextKeyType is InvalidInput', async () => {
    for (const [type, value] of [
      ['numeric', 'ten'],
      ['boolean', 'yes'],
      ['ip', '300.1.1'],
      ['date', 'yesterday'],
      ['numericList', 'x'],
    ] as const) {
      const e = await sdkError(
        iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [allowAll], ActionNames: ['s3:GetObject'], ContextEntries: [{ ContextKeyName: 'aws:SomeKey', ContextKeyValues: ['1', value].slice(type.endsWith('List') ? 0 : 1), ContextKeyType: type }] })),
      );
      expect(e, `${type} ${value}`).toMatchObject({ name: 'InvalidInputException', status: 400, message: `Invalid value ${value} for context key aws:SomeKey of type ${type}.` });
    }
  });

  it('a resource policy without a caller is InvalidInput; a principal that does not exist is NoSuchEntity; the server stays up', async () => {
    const resourcePolicy = json({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] });
    const e = await sdkError(iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [allowAll], ResourcePolicy: resourcePolicy, ActionNames: ['s3:GetObject'] })));
    expect(e).toMatchObject({ name: 'InvalidInputException', status: 400 });
    const missing = await sdkError(iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/nobody`, ActionNames: ['s3:GetObject'] })));
    expect(missing).toMatchObject({ name: 'NoSuchEntityException', status: 404, message: `The entity arn:aws:iam::${ACCOUNT}:user/nobody cannot be found.` });
    const after = await iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [allowAll], ActionNames: ['s3:GetObject'] }));
    expect(after.EvaluationResults![0]!.EvalDecision).toBe('allowed');
  });
});
