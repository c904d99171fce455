/**
 * Parameters: values from the request, Default and the previous stack; types; constraints with
 * AWS's messages; SSM parameter types resolved (the value stays the SSM name); NoEcho; the
 * names AWS refuses (unknown, missing).
 */
import { describe, expect, it } from 'vitest';
import { parseTemplate, prepareTemplate, resolveValue } from '../../../../runtime/services/cloudformation/template/index.js';
import { failure, prepare, PSEUDO, REFS, resolvers } from './support.js';

const withParameters = (parameters: string): string => `Parameters:\n${parameters}Resources:\n  R: {Type: AWS::Test::Thing}\n`;

describe('binding', () => {
  it('request values, defaults, NoEcho, in the template order', async () => {
    const body = withParameters(`  Name: {Type: String}
  Size: {Type: Number, Default: 10}
  Secret: {Type: String, NoEcho: true, Default: hunter2}
  Key: {Type: "AWS::EC2::KeyPair::KeyName"}
  Subnets: {Type: "List<AWS::EC2::Subnet::Id>", Default: "subnet-1,subnet-2"}
`);
    const prepared = await prepare(body, { Key: 'my-key', Name: 'app' });
    expect(prepared.parameters).toEqual([
      { key: 'Name', value: 'app', noEcho: false },
      { key: 'Size', value: '10', noEcho: false },
      { key: 'Secret', value: 'hunter2', noEcho: true },
      { key: 'Key', value: 'my-key', noEcho: false },
      { key: 'Subnets', value: 'subnet-1,subnet-2', noEcho: false },
    ]);
    expect(resolveValue({ Ref: 'Subnets' }, prepared, REFS)).toEqual(['subnet-1', 'subnet-2']);
  });

  it('a parameter not given and without Default must have a value; unknown names do not exist', async () => {
    const body = withParameters('  A: {Type: String}\n  B: {Type: String}\n  C: {Type: String, Default: c}\n');
    expect(await failure(() => prepare(body))).toEqual({ code: 'ValidationError', message: 'Parameters: [A, B] must have values' });
    // the missing ones first
    expect((await failure(() => prepare(body, { A: 'a', X: 'x' })))?.message).toBe('Parameters: [B] must have values');
    expect(await failure(() => prepare(body, { A: 'a', B: 'b', X: 'x', Y: 'y' }))).toEqual({
      code: 'ValidationError',
      message: 'Parameters: [X, Y] do not exist in the template',
    });
    expect(await failure(() => prepare('Resources:\n  R: {Type: AWS::Test::Thing}\n', { X: 'x' }))).toEqual({
      code: 'ValidationError',
      message: 'Parameters: [X] do not exist in the template',
    });
  });

  it('UsePreviousValue takes the previous stack value; a key the previous template lacks is refused', async () => {
    const body = withParameters('  A: {Type: String}\n  B: {Type: String, Default: b}\n');
    const template = parseTemplate(body);
    const first = await prepareTemplate(template, { parameters: { A: 'one', B: 'custom' }, pseudo: PSEUDO, resolvers: resolvers() });
    const second = await prepareTemplate(template, { parameters: {}, usePreviousValues: ['A', 'B'], previous: first, pseudo: PSEUDO, resolvers: resolvers() });
    expect(second.parameters.map((p) => [p.key, p.value])).toEqual([['A', 'one'], ['B', 'custom']]);
    // not named: the default again, as AWS does
    const third = await prepareTemplate(template, { parameters: {}, usePreviousValues: ['A'], previous: first, pseudo: PSEUDO, resolvers: resolvers() });
    expect(third.parameters.map((p) => [p.key, p.value])).toEqual([['A', 'one'], ['B', 'b']]);
    const grown = parseTemplate(withParameters('  A: {Type: String}\n  B: {Type: String, Default: b}\n  New: {Type: String}\n'));
    expect(await failure(() => prepareTemplate(grown, { parameters: {}, usePreviousValues: ['A', 'New'], previous: first, pseudo: PSEUDO, resolvers: resolvers() }))).toEqual({
      code: 'ValidationError',
      message: 'Invalid input for parameter key New. Cannot specify usePreviousValue as true for a parameter key not in the previous template',
    });
  });
});

describe('SSM parameter types', () => {
  const body = withParameters(`  BootstrapVersion: {Type: "AWS::SSM::Parameter::Value<String>", Default: /cdk-bootstrap/hnb659fds/version}
  Zones: {Type: "AWS::SSM::Parameter::Value<List<String>>", Default: /app/zones}
  Image: {Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: /aws/service/ami}
`);
  const ssm = { '/cdk-bootstrap/hnb659fds/version': '21', '/app/zones': 'a, b', '/aws/service/ami': 'ami-123' };

  it('resolved from SSM: the value stays the name, resolvedValue is SSM value, Ref reads it', async () => {
    const prepared = await prepare(body, {}, ssm);
    expect(prepared.parameters).toEqual([
      { key: 'BootstrapVersion', value: '/cdk-bootstrap/hnb659fds/version', resolvedValue: '21', noEcho: false },
      { key: 'Zones', value: '/app/zones', resolvedValue: 'a, b', noEcho: false },
      { key: 'Image', value: '/aws/service/ami', resolvedValue: 'ami-123', noEcho: false },
    ]);
    expect(resolveValue([{ Ref: 'BootstrapVersion' }, { Ref: 'Zones' }, { Ref: 'Image' }], prepared, REFS)).toEqual(['21', ['a', 'b'], 'ami-123']);
  });

  it('a parameter SSM does not have: AWS message naming it', async () => {
    expect(await failure(() => prepare(body, {}, { '/app/zones': 'a', '/aws/service/ami': 'ami-1' }))).toEqual({
      code: 'ValidationError',
      message: 'Unable to fetch parameters [/cdk-bootstrap/hnb659fds/version] from parameter store for this account.',
    });
  });

  it('UsePreviousValue resolves the SSM name again', async () => {
    const template = parseTemplate(body);
    const first = await prepareTemplate(template, { parameters: {}, pseudo: PSEUDO, resolvers: resolvers(ssm) });
    const next = await prepareTemplate(template, { parameters: {}, usePreviousValues: ['BootstrapVersion'], previous: first, pseudo: PSEUDO, resolvers: resolvers({ ...ssm, '/cdk-bootstrap/hnb659fds/version': '22' }) });
    expect(next.parameters[0]).toEqual({ key: 'BootstrapVersion', value: '/cdk-bootstrap/hnb659fds/version', resolvedValue: '22', noEcho: false });
  });
});

describe('constraints', () => {
  const cases: [string, string, string, string | undefined][] = [
    ['AllowedValues ok', 'Type: String, AllowedValues: [prod, dev]', 'dev', undefined],
    ['AllowedValues', 'Type: String, AllowedValues: [prod, dev]', 'test', "Parameter 'P' must be one of AllowedValues"],
    ['AllowedValues of a list, each member', 'Type: CommaDelimitedList, AllowedValues: [a, b, c]', 'a, c', undefined],
    ['AllowedValues of a list, a member outside', 'Type: CommaDelimitedList, AllowedValues: [a, b]', 'a,z', "Parameter 'P' must be one of AllowedValues"],
    ['AllowedValues numbers', 'Type: Number, AllowedValues: [1, 2]', '2', undefined],
    ['AllowedPattern ok', 'Type: String, AllowedPattern: "[a-z]+"', 'abc', undefined],
    ['AllowedPattern matches the whole value', 'Type: String, AllowedPattern: "[a-z]+"', 'abc1', "Parameter 'P' must match pattern [a-z]+"],
    ['AllowedPattern of a CommaDelimitedList', 'Type: CommaDelimitedList, AllowedPattern: "\\\\w+"', 'dev,test', undefined],
    ['MinLength', 'Type: String, MinLength: 3', 'ab', "Parameter 'P' must contain at least 3 characters"],
    ['MaxLength', 'Type: String, MaxLength: 3', 'abcd', "Parameter 'P' must contain at most 3 characters"],
    ['MinValue', 'Type: Number, MinValue: 1', '0', "Parameter 'P' must be a number not less than 1"],
    ['MaxValue', 'Type: Number, MaxValue: 3', '4', "Parameter 'P' must be a number not greater than 3"],
    ['MaxValue ok with a float', 'Type: Number, MaxValue: 3', '2.5', undefined],
    ['Number not a number', 'Type: Number', 'abc', "Parameter 'P' must be a number"],
    ['List<Number> member not a number', 'Type: List<Number>', '1,x', "Parameter 'P' must be a number"],
    ['ConstraintDescription replaces the reason', 'Type: String, AllowedPattern: "\\\\w+", ConstraintDescription: "Active profile identifiers must only use word characters"', 'a-b', 'Parameter P failed to satisfy constraint: Active profile identifiers must only use word characters'],
  ];
  it.each(cases)('%s', async (_name, declaration, value, message) => {
    const body = withParameters(`  P: {${declaration}}\n`);
    const error = await failure(() => prepare(body, { P: value }));
    expect(error).toEqual(message === undefined ? undefined : { code: 'ValidationError', message });
  });

  it('unquoted Yes / No in AllowedValues are booleans, as CloudFormation reads YAML: "Yes" is refused', async () => {
    const body = withParameters('  P: {Type: String, Default: "false", AllowedValues: [Yes, No]}\n');
    expect((await failure(() => prepare(body, { P: 'Yes' })))?.message).toBe("Parameter 'P' must be one of AllowedValues");
    expect((await prepare(body, { P: 'true' })).parameters[0]!.value).toBe('true');
  });

  it('a Default is checked like a given value', async () => {
    const body = withParameters('  P: {Type: String, Default: x, AllowedValues: [a, b]}\n');
    expect((await failure(() => prepare(body)))?.message).toBe("Parameter 'P' must be one of AllowedValues");
  });
});
