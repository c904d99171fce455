/**
 * Fn::ForEach with Transform: AWS::LanguageExtensions, with the shapes of the user guide's
 * examples: resources from a literal list and from a list parameter, `&{}` keys, loops nested in
 * outputs with Fn::GetAtt of computed names, a loop inside a resource's properties; the
 * expanded template is then prepared and checked like any other.
 */
import { describe, expect, it } from 'vitest';
import { parseTemplate, prepareTemplate, resolveValue } from '../../../../runtime/services/cloudformation/template/index.js';
import { failure, prepare, PSEUDO, REFS, resolvers } from './support.js';

describe('Fn::ForEach', () => {
  it('resources from a literal collection, Ref of the identifier', async () => {
    const body = `Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Topics:
    - TopicName
    - [Success, Failure, Timeout, Unknown]
    - SnsTopic\${TopicName}:
        Type: AWS::SNS::Topic
        Properties:
          TopicName: !Ref TopicName
          FifoTopic: true
`;
    const prepared = await prepare(body);
    expect([...prepared.resources.keys()]).toEqual(['SnsTopicSuccess', 'SnsTopicFailure', 'SnsTopicTimeout', 'SnsTopicUnknown']);
    expect(prepared.resources.get('SnsTopicTimeout')!.properties).toEqual({ TopicName: 'Timeout', FifoTopic: true });
  });

  it('a collection from a list parameter, &{} keys, Fn::Sub of the identifier', async () => {
    const body = `Transform: AWS::LanguageExtensions
Parameters:
  Cidrs: {Type: CommaDelimitedList, Default: "10.0.2.0/24, 10.0.3.0/24"}
Resources:
  Vpc: {Type: AWS::EC2::VPC}
  Fn::ForEach::Subnets:
    - Cidr
    - !Ref Cidrs
    - Subnet&{Cidr}:
        Type: AWS::EC2::Subnet
        Properties:
          VpcId: !Ref Vpc
          CidrBlock: !Ref Cidr
          Name: !Sub "\${AWS::StackName}-\${Cidr}"
`;
    const prepared = await prepare(body, { Cidrs: '10.0.2.0/24,10.0.4.0/24' });
    expect([...prepared.resources.keys()]).toEqual(['Vpc', 'Subnet1002024', 'Subnet1004024']);
    const subnet = prepared.resources.get('Subnet1004024')!;
    expect(subnet.dependsOn).toEqual(['Vpc']);
    expect(resolveValue(subnet.properties, prepared, REFS)).toEqual({ VpcId: 'Vpc-physical', CidrBlock: '10.0.4.0/24', Name: 'demo-10.0.4.0/24' });
  });

  it('nested loops in Outputs, Fn::GetAtt of a computed name; a loop inside properties', async () => {
    const body = `Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Buckets:
    - Identifier
    - [A, B]
    - S3Bucket\${Identifier}:
        Type: AWS::S3::Bucket
        Properties:
          Tags:
            - {Key: name, Value: !Ref Identifier}
          Fn::ForEach::Flags:
            - Flag
            - [Versioned, Logged]
            - \${Flag}: !Sub "\${Identifier}-\${Flag}"
Outputs:
  Fn::ForEach::BucketOutputs:
    - Identifier
    - [A, B]
    - Fn::ForEach::GetAttLoop:
        - Property
        - [Arn, DomainName]
        - S3Bucket\${Identifier}\${Property}:
            Value: !GetAtt [!Sub "S3Bucket\${Identifier}", !Ref Property]
`;
    const prepared = await prepare(body);
    expect([...prepared.resources.keys()]).toEqual(['S3BucketA', 'S3BucketB']);
    expect(prepared.resources.get('S3BucketB')!.properties).toEqual({ Tags: [{ Key: 'name', Value: 'B' }], Versioned: 'B-Versioned', Logged: 'B-Logged' });
    expect(Object.keys(prepared.outputs)).toEqual(['S3BucketAArn', 'S3BucketADomainName', 'S3BucketBArn', 'S3BucketBDomainName']);
    expect(resolveValue(prepared.outputs.S3BucketBDomainName!.value, prepared, REFS)).toBe('S3BucketB.DomainName');
  });

  it('the expanded template is checked: a Ref to nothing, two copies with one name, a collection naming a resource', async () => {
    const refToNothing = `Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Q: [N, [a], {"Queue\${N}": {Type: AWS::SQS::Queue, Properties: {P: !Ref Nope}}}]
`;
    expect(await failure(() => prepare(refToNothing))).toEqual({
      code: 'ValidationError',
      message: 'Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template',
    });
    const twice = `Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Q: [N, [a, b], {Queue: {Type: AWS::SQS::Queue}}]
`;
    expect((await failure(() => prepare(twice)))?.message).toBe('Template format error: Fn::ForEach Q writes Queue twice');
    const fromResource = `Transform: AWS::LanguageExtensions
Resources:
  R: {Type: AWS::SQS::Queue}
  Fn::ForEach::Q: [N, !GetAtt R.Arns, {"Queue\${N}": {Type: AWS::SQS::Queue}}]
`;
    expect((await failure(() => prepare(fromResource)))?.message).toBe('Template format error: Fn::ForEach collections can refer to parameters and mappings only');
  });

  it('without the transform, Fn::ForEach is an unsupported function', async () => {
    const body = 'Resources:\n  R:\n    Type: AWS::SQS::Queue\n    Properties:\n      Fn::ForEach::X: [N, [a], {"${N}": 1}]\n';
    expect((await failure(() => parseTemplate(body)))?.message).toMatch(/^Template Error: Encountered unsupported function: Fn::ForEach::X Supported functions are: \[/);
  });

  it('prepareTemplate keeps the template as written unchanged', async () => {
    const body = 'Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Q: [N, [a], {"Queue${N}": {Type: AWS::SQS::Queue}}]\n';
    const written = parseTemplate(body);
    const prepared = await prepareTemplate(written, { parameters: {}, pseudo: PSEUDO, resolvers: resolvers() });
    expect(Object.keys(written.Resources)).toEqual(['Fn::ForEach::Q']);
    expect(Object.keys(prepared.template.Resources)).toEqual(['Queuea']);
  });
});
