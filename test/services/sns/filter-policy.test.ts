/**
 * Filter policies, table-driven: (policy, scope, message, attributes) -> delivered or not,
 * for every operator in both scopes (filter-policy.ts, the matcher Publish uses; the same
 * rules reach the wire in publish.test.ts), and each malformed policy refused by
 * SetSubscriptionAttributes and Subscribe with AWS's message, over a socket to a runtime process.
 */
import { CreateTopicCommand, SetSubscriptionAttributesCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageAttributeValue } from '../../../runtime/services/sns/api.generated.js';
import { filterPolicyMatches } from '../../../runtime/services/sns/filter-policy.js';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { sdkError } from '../../support/sdk-error.js';

const S = (v: string): MessageAttributeValue => ({ DataType: 'String', StringValue: v });
const N = (v: string): MessageAttributeValue => ({ DataType: 'Number', StringValue: v });
const A = (v: unknown[]): MessageAttributeValue => ({ DataType: 'String.Array', StringValue: JSON.stringify(v) });
const B: MessageAttributeValue = { DataType: 'Binary', BinaryValue: new Uint8Array([1]) };

type Case = [policy: Record<string, unknown>, attributes: Record<string, MessageAttributeValue>, delivered: boolean];
type BodyCase = [policy: Record<string, unknown>, body: string, delivered: boolean];

const ATTRIBUTE_CASES: Case[] = [
  [{}, {}, true],
  [{ color: ['red'] }, { color: S('red') }, true],
  [{ color: ['red'] }, { color: S('Red') }, false],
  [{ color: ['red'] }, {}, false],
  [{ color: ['red', 'blue'] }, { color: S('blue') }, true],
  [{ color: ['red'] }, { colour: S('red') }, false],
  [{ color: ['red'], size: ['L'] }, { color: S('red'), size: S('L') }, true],
  [{ color: ['red'], size: ['L'] }, { color: S('red'), size: S('M') }, false],
  [{ color: ['red'], size: ['L'] }, { color: S('red') }, false],
  [{ n: [3] }, { n: N('3') }, true],
  [{ n: [3] }, { n: N('3.0') }, true],
  [{ n: [3] }, { n: S('3') }, false],
  [{ n: ['3'] }, { n: N('3') }, false],
  [{ color: [{ prefix: 're' }] }, { color: S('red') }, true],
  [{ color: [{ prefix: 're' }] }, { color: S('ore') }, false],
  [{ color: [{ prefix: '' }] }, { color: S('x') }, true],
  [{ color: [{ suffix: 'ed' }] }, { color: S('red') }, true],
  [{ color: [{ suffix: 'ed' }] }, { color: S('rez') }, false],
  [{ color: [{ 'equals-ignore-case': 'RED' }] }, { color: S('red') }, true],
  [{ color: [{ 'equals-ignore-case': 'RED' }] }, { color: S('rod') }, false],
  [{ color: [{ 'anything-but': 'red' }] }, { color: S('blue') }, true],
  [{ color: [{ 'anything-but': 'red' }] }, { color: S('red') }, false],
  [{ color: [{ 'anything-but': 'red' }] }, {}, false],
  [{ color: [{ 'anything-but': ['red', 'blue'] }] }, { color: S('blue') }, false],
  [{ color: [{ 'anything-but': ['red', 'blue'] }] }, { color: S('green') }, true],
  [{ color: [{ 'anything-but': { prefix: 're' } }] }, { color: S('red') }, false],
  [{ color: [{ 'anything-but': { prefix: 're' } }] }, { color: S('blue') }, true],
  [{ color: [{ 'anything-but': { suffix: 'ed' } }] }, { color: S('red') }, false],
  [{ n: [{ 'anything-but': [1, 2] }] }, { n: N('3') }, true],
  [{ n: [{ 'anything-but': [1, 2] }] }, { n: N('2') }, false],
  [{ n: [{ numeric: ['=', 5] }] }, { n: N('5') }, true],
  [{ n: [{ numeric: ['=', 5] }] }, { n: N('5.5') }, false],
  [{ n: [{ numeric: ['>', 5] }] }, { n: N('6') }, true],
  [{ n: [{ numeric: ['>', 5] }] }, { n: N('5') }, false],
  [{ n: [{ numeric: ['>=', 5] }] }, { n: N('5') }, true],
  [{ n: [{ numeric: ['<', 5] }] }, { n: N('4.99') }, true],
  [{ n: [{ numeric: ['<', 5] }] }, { n: N('5') }, false],
  [{ n: [{ numeric: ['<=', 5] }] }, { n: N('5') }, true],
  [{ n: [{ numeric: ['>', 0, '<=', 10] }] }, { n: N('10') }, true],
  [{ n: [{ numeric: ['>', 0, '<=', 10] }] }, { n: N('0') }, false],
  [{ n: [{ numeric: ['>', 0, '<=', 10] }] }, { n: N('10.1') }, false],
  [{ n: [{ numeric: ['>=', -10, '<', -1] }] }, { n: N('-5') }, true],
  [{ n: [{ numeric: ['>', 5] }] }, { n: S('6') }, false],
  [{ n: [{ numeric: ['>', 5] }] }, {}, false],
  [{ color: [{ exists: true }] }, { color: S('x') }, true],
  [{ color: [{ exists: true }] }, {}, false],
  [{ color: [{ exists: false }] }, {}, true],
  [{ color: [{ exists: false }] }, { color: S('x') }, false],
  [{ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: S('10.0.0.255') }, true],
  [{ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: S('10.0.1.0') }, false],
  [{ ip: [{ cidr: '10.0.0.0/8' }] }, { ip: S('10.200.3.4') }, true],
  [{ ip: [{ cidr: '0.0.0.0/0' }] }, { ip: S('1.2.3.4') }, true],
  [{ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: S('not an ip') }, false],
  [{ tags: ['b'] }, { tags: A(['a', 'b']) }, true],
  [{ tags: ['c'] }, { tags: A(['a', 'b']) }, false],
  [{ tags: [{ prefix: 'x' }] }, { tags: A(['a', 'xy']) }, true],
  [{ tags: [1] }, { tags: A([1, 2]) }, true],
  [{ b: ['x'] }, { b: B }, false],
  [{ b: [{ exists: true }] }, { b: B }, true],
  [{ $or: [{ color: ['red'] }, { size: ['L'] }] }, { size: S('L') }, true],
  [{ $or: [{ color: ['red'] }, { size: ['L'] }] }, { color: S('red') }, true],
  [{ $or: [{ color: ['red'] }, { size: ['L'] }] }, { color: S('blue'), size: S('M') }, false],
  [{ kind: ['a'], $or: [{ color: ['red'] }, { size: ['L'] }] }, { kind: S('a'), size: S('L') }, true],
  [{ kind: ['a'], $or: [{ color: ['red'] }, { size: ['L'] }] }, { kind: S('b'), size: S('L') }, false],
  [{ color: ['red', { prefix: 'bl' }] }, { color: S('blue') }, true],
  [{ color: ['red', { exists: false }] }, {}, true],
  [{ constructor: ['x'] }, {}, false],
  [JSON.parse('{"__proto__":["x"]}') as Record<string, unknown>, { ['__proto__']: S('x') } as Record<string, MessageAttributeValue>, true],
  [{ toString: ['x'] }, { toString: S('x') }, true],
];

const BODY_CASES: BodyCase[] = [
  [{}, '{"a":1}', true],
  [{}, 'not json', false],
  [{ a: ['x'] }, 'not json', false],
  [{ a: ['x'] }, '"a string"', false],
  [{ a: ['x'] }, '{"a":"x"}', true],
  [{ a: ['x'] }, '{"a":"y"}', false],
  [{ a: [1] }, '{"a":1}', true],
  [{ a: [1] }, '{"a":"1"}', false],
  [{ a: ['1'] }, '{"a":1}', false],
  [{ a: [true] }, '{"a":true}', true],
  [{ a: [null] }, '{"a":null}', true],
  [{ a: [null] }, '{}', false],
  [{ a: { b: ['x'] } }, '{"a":{"b":"x"}}', true],
  [{ a: { b: ['x'] } }, '{"a":{"b":"y"}}', false],
  [{ a: { b: ['x'] } }, '{"a":"x"}', false],
  [{ a: { b: { c: [{ prefix: 'p' }] } } }, '{"a":{"b":{"c":"pq"}}}', true],
  [{ 'a.b': ['x'] }, '{"a":{"b":"x"}}', true],
  [{ a: ['x'] }, '{"a":["w","x"]}', true],
  [{ a: ['z'] }, '{"a":["w","x"]}', false],
  [{ a: { b: ['x'] } }, '{"a":[{"b":"y"},{"b":"x"}]}', true],
  [{ a: { b: ['z'] } }, '{"a":[{"b":"y"},{"b":"x"}]}', false],
  [{ price: [{ numeric: ['>=', 100] }] }, '{"price":100}', true],
  [{ price: [{ numeric: ['>=', 100] }] }, '{"price":99.9}', false],
  [{ price: [{ numeric: ['>=', 100] }] }, '{"price":"100"}', false],
  [{ price: [{ numeric: ['>', 0, '<', 1] }] }, '{"price":0.5}', true],
  [{ a: [{ exists: true }] }, '{"a":0}', true],
  [{ a: [{ exists: false }] }, '{"b":0}', true],
  [{ a: { b: [{ exists: false }] } }, '{"a":{"c":1}}', true],
  [{ a: [{ 'anything-but': 'x' }] }, '{"a":"y"}', true],
  [{ a: [{ 'anything-but': 'x' }] }, '{"a":"x"}', false],
  [{ a: [{ 'anything-but': [1, 2] }] }, '{"a":3}', true],
  [{ a: [{ suffix: '.png' }] }, '{"a":"img.png"}', true],
  [{ a: [{ 'equals-ignore-case': 'ABC' }] }, '{"a":"aBc"}', true],
  [{ ip: [{ cidr: '192.168.0.0/16' }] }, '{"ip":"192.168.4.4"}', true],
  [{ $or: [{ a: ['x'] }, { b: { c: ['y'] } }] }, '{"b":{"c":"y"}}', true],
  [{ $or: [{ a: ['x'] }, { b: { c: ['y'] } }] }, '{"b":{"c":"z"}}', false],
  [{ a: ['x'], b: ['y'] }, '{"a":"x","b":"y"}', true],
  [{ a: ['x'], b: ['y'] }, '{"a":"x"}', false],
];

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
    [{ a: [{ cidr: '10.0.0.300/8' }] }, 'FilterPolicy: Nonstandard IP address: 10.0.0.300'],
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
  });
});
