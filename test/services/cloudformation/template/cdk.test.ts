/**
 * A template as `cdk synth` writes it (test/fixtures/cloudformation/cdk-demo-stack.template.json:
 * the BootstrapVersion SSM parameter, the CheckBootstrapVersion rule, the CDKMetadataAvailable
 * condition over AWS::Region, AWS::CDK::Metadata, Fn::Join / Fn::GetAtt / Fn::Sub, DependsOn,
 * cdk:path metadata, retain policies) parsed, prepared and resolved as the engine will.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTemplate, prepareTemplate, resolveValue, type PseudoParameters } from '../../../../runtime/services/cloudformation/template/index.js';
import { failure, PSEUDO, REFS, resolvers } from './support.js';

const BODY = readFileSync(new URL('../../../fixtures/cloudformation/cdk-demo-stack.template.json', import.meta.url), 'utf8');
const VERSION = '/cdk-bootstrap/hnb659fds/version';

const prepare = (ssm: Record<string, string>, pseudo: PseudoParameters = PSEUDO) =>
  prepareTemplate(parseTemplate(BODY), { parameters: {}, pseudo, resolvers: resolvers(ssm) });

describe('a CDK-synthesized template', () => {
  it('prepares in a bootstrapped environment: parameters, condition, order, policies', async () => {
    const prepared = await prepare({ [VERSION]: '21' });
    expect(prepared.parameters).toEqual([{ key: 'BootstrapVersion', value: VERSION, resolvedValue: '21', noEcho: false }]);
    expect(prepared.conditions).toEqual({ CDKMetadataAvailable: true });
    const order = [...prepared.resources.keys()];
    expect(order).toEqual([
      'Bucket83908E77',
      'Topic198E71B3',
      'Queue4A7E3555',
      'Role1ABCC5F0',
      'CDKMetadata',
      'QueuePolicy25439813',
      'RoleDefaultPolicy5FFB7DAB',
      'QueueUrlParameterE2C64B0C',
      'QueueDemoStackTopicA1F1C2B0E2E5B8C1',
    ]);
    for (const resource of prepared.resources.values()) {
      for (const dependency of resource.dependsOn) expect(order.indexOf(dependency)).toBeLessThan(order.indexOf(resource.logicalId));
    }
    expect([...prepared.resources.get('QueueDemoStackTopicA1F1C2B0E2E5B8C1')!.dependsOn].sort()).toEqual(['Queue4A7E3555', 'QueuePolicy25439813', 'Topic198E71B3']);
    expect(prepared.resources.get('Bucket83908E77')).toMatchObject({ type: 'AWS::S3::Bucket', deletionPolicy: 'Retain', updateReplacePolicy: 'Retain', metadata: { 'aws:cdk:path': 'DemoStack/Bucket/Resource' } });
    expect(prepared.resources.get('CDKMetadata')!.type).toBe('AWS::CDK::Metadata');
  });

  it('resolves the properties and outputs once the resources exist', async () => {
    const prepared = await prepare({ [VERSION]: '21' });
    const resolve = (id: string) => resolveValue(prepared.resources.get(id)!.properties, prepared, REFS);
    expect(resolve('Role1ABCC5F0')).toMatchObject({ ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'] });
    expect(resolve('RoleDefaultPolicy5FFB7DAB')).toMatchObject({
      PolicyDocument: { Statement: [{ Resource: ['Bucket83908E77.Arn', 'Bucket83908E77.Arn/*'] }] },
      Roles: ['Role1ABCC5F0-physical'],
    });
    expect(resolve('QueuePolicy25439813')).toMatchObject({
      PolicyDocument: { Statement: [{ Condition: { ArnEquals: { 'aws:SourceArn': 'Topic198E71B3-physical' } }, Resource: 'Queue4A7E3555.Arn' }] },
    });
    expect(resolve('QueueUrlParameterE2C64B0C')).toEqual({ Type: 'String', Value: 'Queue4A7E3555-physical', Description: 'Asset bucket cdk-hnb659fds-assets-123456789012-us-east-1' });
    expect(resolveValue(prepared.outputs.BucketArn!.value, prepared, REFS)).toBe('Bucket83908E77.Arn');
    expect(prepared.outputs.BucketArn!.exportName).toBe('DemoStack:BucketArn');
  });

  it('CDKMetadataAvailable is false in a region the CDK does not list: no AWS::CDK::Metadata', async () => {
    const prepared = await prepare({ [VERSION]: '21' }, { ...PSEUDO, region: 'us-gov-west-1' });
    expect(prepared.conditions.CDKMetadataAvailable).toBe(false);
    expect(prepared.resources.has('CDKMetadata')).toBe(false);
  });

  it('CheckBootstrapVersion refuses a bootstrap older than 6, with its AssertDescription', async () => {
    expect(await failure(() => prepare({ [VERSION]: '5' }))).toEqual({
      code: 'ValidationError',
      message: "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI.",
    });
    expect((await prepare({ [VERSION]: '6' })).resources.size).toBe(9);
  });

  it('an environment never bootstrapped: the SSM parameter is missing', async () => {
    expect(await failure(() => prepare({}))).toEqual({
      code: 'ValidationError',
      message: `Unable to fetch parameters [${VERSION}] from parameter store for this account.`,
    });
  });
});

describe('rules', () => {
  const body = `Parameters:
  Env: {Type: String}
  Size: {Type: String}
  Subnets: {Type: CommaDelimitedList, Default: "a,b"}
Rules:
  ProdSize:
    RuleCondition: !Equals [!Ref Env, prod]
    Assertions:
      - Assert: {"Fn::Contains": [[m1.large, m1.xlarge], !Ref Size]}
        AssertDescription: For a production environment, the instance type must be m1.large or m1.xlarge
  SubnetsKnown:
    Assertions:
      - Assert: {"Fn::EachMemberIn": [!Ref Subnets, [a, b, c]]}
        AssertDescription: Subnets must be a, b or c
      - Assert: {"Fn::Not": [{"Fn::EachMemberEquals": [!Ref Subnets, z]}]}
Resources:
  R: {Type: AWS::Test::Thing}
`;
  const run = (parameters: Record<string, string>) => prepareTemplate(parseTemplate(body), { parameters, pseudo: PSEUDO, resolvers: resolvers() });

  it('a rule whose condition is false does not apply; one whose assertion fails refuses the stack', async () => {
    await expect(run({ Env: 'dev', Size: 't2.micro' })).resolves.toBeDefined();
    await expect(run({ Env: 'prod', Size: 'm1.large' })).resolves.toBeDefined();
    expect((await failure(() => run({ Env: 'prod', Size: 't2.micro' })))?.message).toBe('For a production environment, the instance type must be m1.large or m1.xlarge');
    expect((await failure(() => run({ Env: 'dev', Size: 'x', Subnets: 'a,d' })))?.message).toBe('Subnets must be a, b or c');
    expect((await failure(() => run({ Env: 'dev', Size: 'x', Subnets: 'z' })))?.message).toBe('Subnets must be a, b or c');
  });
});
