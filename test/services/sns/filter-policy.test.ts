/**
 * Filter policies, table-driven: (policy, scope, message, attributes) -> delivered or not,
 * for every operator in both scopes (the table in filter-policy-cases.ts, through
 * filter-policy.ts, the matcher Publish uses; the same table reaches the wire in
 * filter-policy-delivery.test.ts), and each malformed policy refused by
 * SetSubscriptionAttributes and Subscribe with AWS's message, over a socket to a runtime process.
 */
import { CreateTopicCommand, SetSubscriptionAttributesCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterPolicyMatches } from '../../../runtime/services/sns/filter-policy.js';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';
import { ATTRIBUTE_CASES, BODY_CASES } from './filter-policy-cases.js';

describe('filter policies: delivered or not', () => {
  it.each(ATTRIBUTE_CASES.map((c, i) => [i, ...c] as const))('MessageAttributes #%i %j with %j -> %s', (_i, policy, attributes, delivered) => {
    expect(filterPolicyMatches(policy, 'MessageAttributes', 'body', attributes)).toBe(delivered);
  });
  it.each(BODY_CASES.map((c, i) => [i, ...c] as const))('MessageBody #%i %j on %s -> %s', (_i, policy, body, delivered) => {
    expect(filterPolicyMatches(policy, 'MessageBody', body, {})).toBe(delivered);
  });
  it('holds more than 100 cases', () => {
    expect(ATTRIBUTE_CASES.length + BODY_CASES.length).toBeGreaterThanOrEqual(100);
  });
});

describe('filter policies refused with AWS messages', () => {
  let rt: RuntimeProcess;
  let sns: SNSClient;
  beforeAll(async () => {
    rt = await startRuntime();
    sns = new SNSClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
  });
  afterAll(async () => {
    await rt?.stop();
  });

  const REFUSED: [policy: unknown, reason: string, scope?: string][] = [
    [{ a: 'x' }, 'FilterPolicy: "a" must be an object or an array'],
    [{ a: [] }, 'FilterPolicy: Empty arrays are not allowed'],
    [{ a: ['x'], b: ['x'], c: ['x'], d: ['x'], e: ['x'], f: ['x'] }, 'FilterPolicy: Filter policy can not have more than 5 keys'],
    [{ a: { b: ['x'] } }, 'Filter policy scope MessageAttributes does not support nested filter policy'],
    [{ a: [{ prefix: 1 }] }, 'FilterPolicy: prefix match pattern must be a string'],
    [{ a: [{ suffix: [] }] }, 'FilterPolicy: suffix match pattern must be a string'],
    [{ a: [{ 'equals-ignore-case': 5 }] }, 'FilterPolicy: equals-ignore-case match pattern must be a string'],
    [{ a: [{ exists: 'yes' }] }, 'FilterPolicy: exists match pattern must be either true or false.'],
    [{ a: [{ prefix: 'x', suffix: 'y' }] }, 'FilterPolicy: Only one key allowed in match expression'],
    [{ a: [{ wildcard2: 'x' }] }, 'FilterPolicy: Unrecognized match type wildcard2'],
    [{ a: [['x']] }, 'FilterPolicy: Match value must be String, number, true, false, or null'],
    [{ a: [{ 'anything-but': { exists: true } }] }, 'FilterPolicy: Unsupported anything-but pattern: exists'],
    [{ a: [{ numeric: [] }] }, 'FilterPolicy: Invalid member in numeric match: ]'],
    [{ a: [{ numeric: ['!=', 1] }] }, 'FilterPolicy: Unrecognized numeric range operator: !='],
    [{ a: [{ numeric: ['=', 'x'] }] }, 'FilterPolicy: Value of equals must be numeric'],
    [{ a: [{ numeric: ['<', 1, '>', 0] }] }, 'FilterPolicy: Too many elements in numeric expression'],
    [{ a: [{ numeric: ['>', 1, '=', 5] }] }, 'FilterPolicy: Bad numeric range operator: ='],
    [{ a: [{ numeric: ['>', 5, '<', 1] }] }, 'FilterPolicy: Bottom must be less than top'],
    [{ a: [{ cidr: '10.0.0.0' }] }, "FilterPolicy: Malformed CIDR, one '/' required"],
    [{ a: [{ cidr: '10.0.0.0/x' }] }, 'FilterPolicy: Malformed CIDR, mask bits must be an integer'],
    [{ a: [{ cidr: '10.0.0.300/8' }] }, 'FilterPolicy: Invalid IP address: 10.0.0.300'],
    [{ a: [{ cidr: 'bad-filter/64' }] }, 'FilterPolicy: Nonstandard IP address: bad-filter'],
    [{ a: [{ cidr: 'xxxx:db8:1234:1a00::/64' }] }, 'FilterPolicy: Nonstandard IP address: xxxx:db8:1234:1a00::'],
    [{ a: [{ cidr: '2001:db8:::1/64' }] }, 'FilterPolicy: Invalid IP address: 2001:db8:::1'],
    [{ a: [{ cidr: '10.0.0.0/-1' }] }, 'FilterPolicy: Malformed CIDR, mask bits must not be negative'],
    [{ a: [{ cidr: '10.0.0.0/32' }] }, 'FilterPolicy: IPv4 mask bits must be < 32'],
    [{ a: [{ cidr: '2001:db8::/128' }] }, 'FilterPolicy: IPv6 mask bits must be < 128'],
    [{ a: [{ cidr: '2001:db8::/' }] }, "FilterPolicy: Malformed CIDR, one '/' required"],
    [{ a: [{ wildcard: 5 }] }, 'FilterPolicy: wildcard match pattern must be a string'],
    [{ a: [{ wildcard: 'a**b' }] }, 'FilterPolicy: Consecutive wildcard characters at pos 2'],
    [{ a: [{ wildcard: 'é**' }] }, 'FilterPolicy: Consecutive wildcard characters at pos 3'],
    [{ a: [{ wildcard: 'a\\b' }] }, 'FilterPolicy: Invalid escape character at pos 2'],
    [{ a: [{ wildcard: 'a\\' }] }, 'FilterPolicy: Invalid escape character at pos 2'],
    [{ a: [{ wildcard: '*a*b*c*' }] }, 'FilterPolicy: Filter policy is too complex'],
    [{ a: [{ 'anything-but': { wildcard: 'x**' } }] }, 'FilterPolicy: Consecutive wildcard characters at pos 2'],
    [{ a: [{ 'anything-but': { exists: true } }] }, 'FilterPolicy: Unsupported anything-but pattern: exists'],
    // wildcard complexity over 100: 4 patterns of 3 stars weigh (4 x 9) x 4 = 144
    [{ a: [{ wildcard: '*a*b*' }, { wildcard: '*c*d*' }, { wildcard: '*e*f*' }, { wildcard: '*g*h*' }] }, 'FilterPolicy: Filter policy is too complex'],
  ];

  it('SetSubscriptionAttributes and Subscribe refuse each with its prefix; nothing stored; the runtime keeps serving', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'filters' }));
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q' }));
    for (const [policy, reason] of REFUSED) {
      const FilterPolicy = JSON.stringify(policy);
      expect(await sdkError(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: FilterPolicy }))), FilterPolicy).toMatchObject({ name: 'InvalidParameterException', status: 400, message: `Invalid parameter: ${reason}` });
      expect(await sdkError(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:other', Attributes: { FilterPolicy } }))), FilterPolicy).toMatchObject({ name: 'InvalidParameterException', message: `Invalid parameter: Attributes Reason: ${reason}` });
    }
    // nested policies are fine in the MessageBody scope
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:nested', Attributes: { FilterPolicyScope: 'MessageBody', FilterPolicy: '{"a":{"b":["x"]}}' } }));
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{"a":[{"numeric":[">",0,"<=",5]}]}' }));
    // wildcards and IPv6 networks within AWS's limits are taken: 3 patterns of 3 stars weigh (3 x 9) x 3 = 81
    for (const policy of [
      { a: [{ wildcard: '*a*b*' }, { wildcard: '*c*d*' }, { wildcard: '*e*f*' }] },
      { a: [{ wildcard: 'a\\*\\\\*' }], b: [{ 'anything-but': { wildcard: ['x*', '*y'] } }] },
      { ip: [{ cidr: '2001:db8::/127' }, { cidr: '10.0.0.0/31' }, { cidr: '::/0' }] },
    ]) {
      await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: JSON.stringify(policy) }));
    }
  });
});
