/**
 * The policy evaluation engine on its own: the simulation table (policy-simulation-cases.ts,
 * answers from AWS's documented evaluation logic), then the parts one by one: wildcards and
 * variables, statement positions as AWS reports them, context keys in document order.
 */
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../runtime/aws/policies.js';
import { contextKeysOf, evaluate, principalMatches, requestContext, statementSpans, type EvaluatedPolicy, type PolicySet } from '../../runtime/aws/policy-evaluation/evaluate.js';
import { actionMatches, arnMatches, wildcardMatch } from '../../runtime/aws/policy-evaluation/matching.js';
import { ipInRange } from '../../runtime/aws/policy-evaluation/conditions.js';
import { ACCOUNT, SIMULATION_CASES, type SimulationCase } from './policy-simulation-cases.js';

const accountOf = (arn: string | undefined) => (arn === undefined ? undefined : arn.split(':')[4] || undefined);

function policy(id: string, json: unknown, kind: 'identity' | 'resource' = 'identity'): EvaluatedPolicy {
  const text = JSON.stringify(json);
  return { id, type: 'IAM Policy', document: parsePolicy(text, kind), spans: statementSpans(text) };
}

function run(c: SimulationCase) {
  const policies: PolicySet = {
    identity: c.policies.map((p, i) => policy(`PolicyInputList.${i + 1}`, p)),
    ...(c.boundary ? { boundary: c.boundary.map((p, i) => policy(`PermissionsBoundaryPolicyInputList.${i + 1}`, p)) } : {}),
    ...(c.resourcePolicy ? { resource: policy('ResourcePolicy', c.resourcePolicy, 'resource') } : {}),
    ...(c.organizations ? { organizations: c.organizations.map((level, l) => level.map((p, i) => policy(`SCP.${l + 1}.${i + 1}`, p))) } : {}),
  };
  const caller = { ...(c.callerArn ? { arn: c.callerArn } : {}), account: accountOf(c.callerArn) ?? ACCOUNT };
  const resource = c.resource ?? '*';
  return evaluate(policies, {
    action: c.action,
    resource,
    context: requestContext(c.context ?? []),
    caller,
    resourceAccount: accountOf(resource) ?? accountOf(c.resourceOwner) ?? caller.account,
  });
}

describe('the simulation table through the engine', () => {
  const all = Object.values(SIMULATION_CASES).flat();
  it('has at least 50 cases, with every decision represented', () => {
    expect(all.length).toBeGreaterThanOrEqual(50);
    expect(new Set(all.map((c) => c.expect))).toEqual(new Set(['allowed', 'explicitDeny', 'implicitDeny']));
  });
  for (const [group, cases] of Object.entries(SIMULATION_CASES)) {
    describe(group, () => {
      for (const c of cases) it(c.name, () => expect(run(c).decision).toBe(c.expect));
    });
  }
});

describe('matched statements and details', () => {
  it('an explicit deny reports only the denying statements; an allow the allowing ones; an implicit deny none', () => {
    const p = policy('P', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'D', Effect: 'Deny', Action: 's3:*', Resource: '*' }] });
    const denied = evaluate({ identity: [p] }, { action: 's3:GetObject', resource: '*', context: requestContext() });
    expect(denied.matched.map((m) => m.index)).toEqual([1]);
    const allowed = evaluate({ identity: [p] }, { action: 'sqs:SendMessage', resource: '*', context: requestContext() });
    expect(allowed.matched.map((m) => m.index)).toEqual([0]);
    const none = evaluate({ identity: [] }, { action: 'sqs:SendMessage', resource: '*', context: requestContext() });
    expect(none).toEqual({ decision: 'implicitDeny', matched: [] });
  });

  it('says whether the boundary allowed, and whether each level of SCPs did', () => {
    const all = policy('A', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const s3 = policy('S', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
    const request = { action: 'sqs:SendMessage', resource: '*', context: requestContext() };
    expect(evaluate({ identity: [all], boundary: [s3] }, request)).toMatchObject({ decision: 'implicitDeny', allowedByBoundary: false });
    expect(evaluate({ identity: [all], organizations: [[all], [s3]] }, request)).toMatchObject({ decision: 'implicitDeny', allowedByOrganizations: false });
    expect(evaluate({ identity: [all], organizations: [[all]] }, request)).toMatchObject({ decision: 'allowed', allowedByOrganizations: true });
    expect(evaluate({ identity: [all], session: [s3] }, request).decision).toBe('implicitDeny');
  });
});

describe('principals of resource policies', () => {
  it('everyone, the caller by ARN, or the caller\'s account by id or root ARN; nothing for a service', () => {
    const caller = { arn: 'arn:aws:iam::111111111111:user/bob', account: '111111111111' };
    expect(principalMatches('*', caller)).toBe(true);
    expect(principalMatches({ AWS: ['*'] }, undefined)).toBe(true);
    expect(principalMatches({ AWS: ['arn:aws:iam::111111111111:user/bob'] }, caller)).toBe(true);
    expect(principalMatches({ AWS: ['arn:aws:iam::111111111111:user/dev/bob'] }, caller)).toBe(false);
    expect(principalMatches({ AWS: ['111111111111'] }, caller)).toBe(true);
    expect(principalMatches({ AWS: ['arn:aws:iam::111111111111:root'] }, caller)).toBe(true);
    expect(principalMatches({ AWS: ['arn:aws:iam::222222222222:root'] }, caller)).toBe(false);
    expect(principalMatches({ Service: ['lambda.amazonaws.com'] }, caller)).toBe(false);
  });
});

describe('wildcards', () => {
  it('actions without case, ARNs with it, part by part', () => {
    expect(actionMatches('EC2:Describe*', 'ec2:DescribeInstances')).toBe(true);
    expect(actionMatches('ec2:Describe*', 'ec2:RunInstances')).toBe(false);
    expect(arnMatches('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a:b/c')).toBe(true);
    expect(arnMatches('arn:aws:s3:::bucket/*', 'arn:aws:s3:::Bucket/a')).toBe(false);
    // a wildcard of one part does not run into the next
    expect(arnMatches('arn:aws:sns:us-*:123456789012:t', 'arn:aws:sns:us-east-1:123456789012:t')).toBe(true);
    expect(arnMatches('arn:aws:sns:*:123456789012:t', 'arn:aws:sns:us-east-1:999999999999:t')).toBe(false);
    expect(arnMatches('arn:aws:*', 'arn:aws:sqs:us-east-1:123456789012:q')).toBe(true);
    expect(wildcardMatch('a.b+c', 'a.b+c')).toBe(true);
    expect(wildcardMatch('a.b', 'axb')).toBe(false);
  });

  it('IPv4 and IPv6 blocks, and bare addresses', () => {
    expect(ipInRange('10.1.2.3', '10.0.0.0/8')).toBe(true);
    expect(ipInRange('11.1.2.3', '10.0.0.0/8')).toBe(false);
    expect(ipInRange('192.0.2.7', '192.0.2.7')).toBe(true);
    expect(ipInRange('::1', '10.0.0.0/8')).toBe(false);
    expect(ipInRange('2001:db8::5', '2001:db8::/32')).toBe(true);
    expect(ipInRange('not-an-ip', '10.0.0.0/8')).toBe(false);
  });
});

describe('policy variables', () => {
  const lookup = (values: Record<string, string>) => (key: string) => (values[key.toLowerCase()] === undefined ? undefined : [values[key.toLowerCase()]!]);

  it('${?} and ${$} are the literal characters; ${aws:userid} like any key', () => {
    expect(wildcardMatch('a${?}b', 'a?b', { variables: true })).toBe(true);
    expect(wildcardMatch('a${?}b', 'axb', { variables: true })).toBe(false);
    expect(wildcardMatch('cost${$}', 'cost$', { variables: true })).toBe(true);
    const userid = lookup({ 'aws:userid': 'AIDAEXAMPLE' });
    expect(arnMatches('arn:aws:s3:::b/${aws:userid}/*', 'arn:aws:s3:::b/AIDAEXAMPLE/x', { variables: true, lookup: userid })).toBe(true);
    expect(arnMatches('arn:aws:s3:::b/${aws:userid}/*', 'arn:aws:s3:::b/AIDAOTHER/x', { variables: true, lookup: userid })).toBe(false);
  });

  it('a 2008-10-17 document reads ${...} as text', () => {
    const text = (version: string) => ({ Version: version, Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:username}' }] });
    const request = (resource: string) => ({ action: 's3:GetObject', resource, context: requestContext([{ key: 'aws:username', values: ['alice'] }]) });
    const old = { identity: [], resource: policy('R', text('2008-10-17'), 'resource') };
    expect(evaluate(old, request('arn:aws:s3:::b/alice')).decision).toBe('implicitDeny');
    expect(evaluate(old, request('arn:aws:s3:::b/${aws:username}')).decision).toBe('allowed');
    const current = { identity: [], resource: policy('R', text('2012-10-17'), 'resource') };
    expect(evaluate(current, request('arn:aws:s3:::b/alice')).decision).toBe('allowed');
  });
});

describe('statement positions as AWS reports them', () => {
  it('a single statement object: after its braces (the AWS CLI example: 1:38 to 1:167)', () => {
    const text = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';
    expect(statementSpans(text)).toEqual([{ start: { line: 1, column: 38 }, end: { line: 1, column: 167 } }]);
  });

  it('statements in a list: from the [ or , before each (AdministratorAccess: 3:17 to 8:6)', () => {
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "*",\n      "Resource": "*"\n    }\n  ]\n}';
    expect(statementSpans(text)).toEqual([{ start: { line: 3, column: 17 }, end: { line: 8, column: 6 } }]);
    const two = '{"Statement":[{"Sid":"}\\"","Effect":"Allow"},\r\n {"Effect":"Deny"}],"Version":"2012-10-17"}';
    expect(statementSpans(two)).toEqual([
      { start: { line: 1, column: 15 }, end: { line: 1, column: 45 } },
      { start: { line: 1, column: 46 }, end: { line: 2, column: 19 } },
    ]);
  });
});

describe('context keys', () => {
  it('policy variables and condition keys in document order, each once (the API reference example)', () => {
    const doc = parsePolicy(
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}',
      'identity',
    );
    expect(contextKeysOf([doc])).toEqual(['aws:username', 'aws:CurrentTime']);
    const more = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'AWS:USERNAME': 'x', 'aws:ResourceTag/t': '${aws:PrincipalTag/t}' } } }] }), 'identity');
    expect(contextKeysOf([doc, more])).toEqual(['aws:username', 'aws:CurrentTime', 'aws:ResourceTag/t', 'aws:PrincipalTag/t']);
  });
});
