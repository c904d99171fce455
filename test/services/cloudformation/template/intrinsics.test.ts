/**
 * The intrinsic functions, each with the examples of its page in the CloudFormation user
 * guide's intrinsic function reference (the expected values are the ones the pages give), then
 * the errors AWS gives for misused functions. Resources answer through support.ts's REFS
 * (physical id `<id>-physical`, attributes `<id>.<name>`, zones `<region>a..c`).
 */
import { describe, expect, it } from 'vitest';
import { parseTemplate, prepareTemplate, resolveValue } from '../../../../runtime/services/cloudformation/template/index.js';
import { failure, prepare, PSEUDO, REFS, resolved, resolvers } from './support.js';

const HEAD = `Parameters:
  EnvironmentType: {Type: String, Default: test}
  RootDomainName: {Type: String, Default: example.com}
  NetworkStackName: {Type: String, Default: network}
  DbSubnetIpBlocks: {Type: CommaDelimitedList, Default: "10.0.48.0/24, 10.0.112.0/24, 10.0.176.0/24"}
  Ports: {Type: List<Number>, Default: "80,443"}
  Count: {Type: Number, Default: 3}
  DBSnapshotName: {Type: String, Default: ""}
Mappings:
  RegionMap:
    us-east-1: {HVM64: ami-0ff8a91507f77f867, HVMG2: ami-0a584ac55a7631c0c}
    us-west-1: {HVM64: ami-0bdb828fd58c52235, HVMG2: ami-066ee5fd4a9ef77f1}
    eu-west-1: {HVM64: ami-047bb4163c506cd98, HVMG2: ami-0a7c483d527806435}
Conditions:
  CreateProdResources: !Equals [!Ref EnvironmentType, prod]
  UseDBSnapshot: !Not [!Equals [!Ref DBSnapshotName, ""]]
Resources:
  vpc: {Type: AWS::EC2::VPC}
  myELB: {Type: AWS::ElasticLoadBalancing::LoadBalancer}
  NewSecurityGroup: {Type: AWS::EC2::SecurityGroup}
  R:
    Type: AWS::Test::Thing
    Properties:
      P: `;

const cases: [string, string, unknown][] = [
  // Fn::Base64
  ['Fn::Base64', '{"Fn::Base64": "AWS CloudFormation"}', 'QVdTIENsb3VkRm9ybWF0aW9u'],
  ['Fn::Base64 of Fn::Sub', '!Base64 {"Fn::Sub": "${AWS::StackName}-x"}', Buffer.from('demo-x').toString('base64')],
  // Fn::Cidr
  ['Fn::Cidr IPv4', '{"Fn::Cidr": ["192.168.0.0/24", "6", "5"]}', ['192.168.0.0/27', '192.168.0.32/27', '192.168.0.64/27', '192.168.0.96/27', '192.168.0.128/27', '192.168.0.160/27']],
  ['Fn::Cidr of a GetAtt', '!Cidr [!GetAtt vpc.CidrBlock, 3, 8]', ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']],
  ['Fn::Cidr of a host address', '!Cidr ["10.0.7.9/16", 2, 8]', ['10.0.0.0/24', '10.0.1.0/24']],
  ['Fn::Cidr IPv6 subnet of a VPC', '!Select [0, !Cidr [!Select [0, !GetAtt vpc.Ipv6CidrBlocks], 1, 64]]', '2001:db8:1234:1a00::/64'],
  ['Fn::Cidr IPv6 several', '!Cidr ["2001:db8:1234:1a00::/56", 3, 64]', ['2001:db8:1234:1a00::/64', '2001:db8:1234:1a01::/64', '2001:db8:1234:1a02::/64']],
  // Fn::FindInMap
  ['Fn::FindInMap', '!FindInMap [RegionMap, !Ref "AWS::Region", HVM64]', 'ami-0ff8a91507f77f867'],
  ['Fn::FindInMap literal keys', '{"Fn::FindInMap": ["RegionMap", "eu-west-1", "HVMG2"]}', 'ami-0a7c483d527806435'],
  // Fn::GetAtt
  ['Fn::GetAtt', '!GetAtt myELB.DNSName', 'myELB.DNSName'],
  ['Fn::GetAtt list', '{"Fn::GetAtt": ["myELB", "SourceSecurityGroup.GroupName"]}', 'myELB.SourceSecurityGroup.GroupName'],
  ['Fn::GetAtt attribute from a Ref', '!GetAtt [myELB, !Ref EnvironmentType]', 'myELB.test'],
  // Fn::GetAZs
  ['Fn::GetAZs ""', '{"Fn::GetAZs": ""}', ['us-east-1a', 'us-east-1b', 'us-east-1c']],
  ['Fn::GetAZs of AWS::Region', '{"Fn::GetAZs": {"Ref": "AWS::Region"}}', ['us-east-1a', 'us-east-1b', 'us-east-1c']],
  ['Fn::GetAZs of a region', '!GetAZs eu-west-1', ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']],
  ['Fn::Select of Fn::GetAZs', '!Select [0, !GetAZs ""]', 'us-east-1a'],
  // Fn::ImportValue
  ['Fn::ImportValue', '!ImportValue sharedValueToImport', 'imported:sharedValueToImport'],
  ['Fn::ImportValue of Fn::Sub', '{"Fn::ImportValue": {"Fn::Sub": "${NetworkStackName}-SecurityGroupID"}}', 'imported:network-SecurityGroupID'],
  // Fn::Join
  ['Fn::Join', '{"Fn::Join": [":", ["a", "b", "c"]]}', 'a:b:c'],
  ['Fn::Join an ARN', "!Join ['', ['arn:', !Ref AWS::Partition, ':s3:::elasticbeanstalk-*-', !Ref AWS::AccountId]]", 'arn:aws:s3:::elasticbeanstalk-*-123456789012'],
  ['Fn::Join a list parameter', '!Join ["|", !Ref DbSubnetIpBlocks]', '10.0.48.0/24|10.0.112.0/24|10.0.176.0/24'],
  ['Fn::Join nothing', '!Join [",", []]', ''],
  // Fn::Select
  ['Fn::Select', '{"Fn::Select": ["1", ["apples", "grapes", "oranges", "mangoes"]]}', 'grapes'],
  ['Fn::Select of a CommaDelimitedList (members trimmed)', '!Select [1, !Ref DbSubnetIpBlocks]', '10.0.112.0/24'],
  // Fn::Split
  ['Fn::Split', '!Split ["|", "a|b|c"]', ['a', 'b', 'c']],
  ['Fn::Split empty members', '!Split ["|", "a||c|"]', ['a', '', 'c', '']],
  ['Fn::Select of Fn::Split of Fn::ImportValue', '!Select [2, !Split [",", !ImportValue AccountSubnetIDs]]', 'subnet-3'],
  ['Fn::Join of Fn::Split (replace)', '!Join ["", !Split ["-", "a-b-c"]]', 'abc'],
  // Fn::Sub
  ['Fn::Sub pseudo parameters and a resource', "!Sub 'arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc/${vpc}'", 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-physical'],
  ['Fn::Sub with a variable map', "!Sub\n        - 'www.${Domain}'\n        - Domain: !Ref RootDomainName", 'www.example.com'],
  ['Fn::Sub resource attribute', '!Sub "${myELB.DNSName}:80"', 'myELB.DNSName:80'],
  ['Fn::Sub literal ${!Literal}', '!Sub "${!Literal}-${AWS::StackName}"', '${Literal}-demo'],
  ['Fn::Sub number parameter', '!Sub "n=${Count}"', 'n=3'],
  ['Fn::Sub AWS::StackId and URLSuffix', '!Sub "${AWS::StackId} ${AWS::URLSuffix}"', `${PSEUDO.stackId} amazonaws.com`],
  // Fn::If
  ['Fn::If false branch', '!If [CreateProdResources, !Ref NewSecurityGroup, existing-sg]', 'existing-sg'],
  ['Fn::If AWS::NoValue drops a list element', '[a, !If [CreateProdResources, b, !Ref AWS::NoValue], c]', ['a', 'c']],
  ['Fn::If AWS::NoValue drops a property', '{DBSnapshotIdentifier: !If [UseDBSnapshot, !Ref DBSnapshotName, !Ref "AWS::NoValue"], Engine: mysql}', { Engine: 'mysql' }],
  // Ref
  ['Ref resource', '!Ref vpc', 'vpc-physical'],
  ['Ref Number parameter is a string', '!Ref Count', '3'],
  ['Ref List<Number> parameter', '!Ref Ports', ['80', '443']],
  ['Ref AWS::NotificationARNs', '!Ref AWS::NotificationARNs', PSEUDO.notificationArns],
  ['Ref AWS::StackName, AWS::AccountId, AWS::Region', '[!Ref AWS::StackName, !Ref AWS::AccountId, !Ref AWS::Region]', ['demo', '123456789012', 'us-east-1']],
  ['an IAM Condition is left as written', '{Condition: {StringEquals: {"aws:SourceAccount": !Ref AWS::AccountId}}}', { Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }],
];

describe('intrinsic functions (user guide examples)', () => {
  it.each(cases)('%s', async (_name, value, expected) => {
    expect(await resolved(HEAD + value + '\n')).toEqual(expected);
  });

  it('Fn::Length and Fn::ToJsonString with Transform: AWS::LanguageExtensions', async () => {
    const body = `Transform: AWS::LanguageExtensions\n${HEAD}
        Length: {"Fn::Length": [1, 2, 3]}
        LengthOfRef: {"Fn::Length": {"Ref": "DbSubnetIpBlocks"}}
        Json: {"Fn::ToJsonString": {"key1": "value1", "key2": {"Ref": "EnvironmentType"}}}
        JsonList: !ToJsonString [a, !Ref AWS::Region]
        Mapped: !FindInMap [RegionMap, nowhere, HVM64, {DefaultValue: ami-default}]
`;
    expect(await resolved(body)).toEqual({
      Length: 3,
      LengthOfRef: 3,
      Json: '{"key1":"value1","key2":"test"}',
      JsonList: '["a","us-east-1"]',
      Mapped: 'ami-default',
    });
  });
});

describe('condition functions (user guide examples)', () => {
  const body = (parameters: string) => `Parameters:
  EnvironmentType: {Type: String}
  ASecurityGroup: {Type: String}
${parameters}Conditions:
  UseProdCondition: !Equals [!Ref EnvironmentType, prod]
  SomeOtherCondition: !Equals [!Ref AWS::Region, us-east-1]
  MyAndCondition: !And [!Equals ["sg-mysggroup", !Ref ASecurityGroup], !Condition SomeOtherCondition]
  MyOrCondition: !Or [!Equals [sg-mysggroup, !Ref ASecurityGroup], !Condition SomeOtherCondition]
  MyNotCondition: !Not [!Equals [!Ref EnvironmentType, prod]]
  Nested: !And [!Condition MyNotCondition, !Or [!Condition UseProdCondition, !Condition MyAndCondition]]
Resources:
  R: {Type: AWS::Test::Thing}
`;
  const table: [Record<string, string>, Record<string, boolean>][] = [
    [{ EnvironmentType: 'prod', ASecurityGroup: 'sg-mysggroup' }, { UseProdCondition: true, MyAndCondition: true, MyOrCondition: true, MyNotCondition: false, Nested: false }],
    [{ EnvironmentType: 'test', ASecurityGroup: 'sg-mysggroup' }, { UseProdCondition: false, MyAndCondition: true, MyOrCondition: true, MyNotCondition: true, Nested: true }],
    [{ EnvironmentType: 'test', ASecurityGroup: 'sg-other' }, { UseProdCondition: false, MyAndCondition: false, MyOrCondition: true, MyNotCondition: true, Nested: false }],
  ];
  it.each(table)('%o', async (parameters, expected) => {
    const prepared = await prepare(body(''), parameters);
    expect(prepared.conditions).toMatchObject({ ...expected, SomeOtherCondition: true });
  });

  it('conditions decide which resources and outputs exist', async () => {
    const template = `Parameters:
  Env: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Always: {Type: AWS::Test::Thing}
  Prod: {Type: AWS::Test::Thing, Condition: IsProd}
Outputs:
  Always: {Value: !Ref Always}
  Prod: {Value: !Ref Prod, Condition: IsProd, Export: {Name: !Sub "\${AWS::StackName}-prod"}}
`;
    const prod = await prepare(template, { Env: 'prod' });
    expect([...prod.resources.keys()]).toEqual(['Always', 'Prod']);
    expect(prod.outputs).toEqual({ Always: { value: { Ref: 'Always' } }, Prod: { value: { Ref: 'Prod' }, exportName: { 'Fn::Sub': '${AWS::StackName}-prod' } } });
    expect(resolveValue(prod.outputs.Prod!.exportName!, prod, REFS)).toBe('demo-prod');
    const dev = await prepare(template, { Env: 'dev' });
    expect([...dev.resources.keys()]).toEqual(['Always']);
    expect(Object.keys(dev.outputs)).toEqual(['Always']);
  });
});

describe('errors', () => {
  const errors: [string, string, string][] = [
    ['Fn::Select out of range', '!Select [4, [a, b]]', 'Template error: Fn::Select cannot select nonexistent value at index 4'],
    ['Fn::Select of a short GetAZs', '!Select [3, !GetAZs ""]', 'Template error: Fn::Select cannot select nonexistent value at index 3'],
    ['Fn::Select bad index', '!Select [x, [a, b]]', 'Template error: Fn::Select requires a list argument with two elements: an integer index and a list'],
    ['Fn::Select not a list', '!Select [0, abc]', 'Template error: Fn::Select requires a list argument with two elements: an integer index and a list'],
    ['Fn::FindInMap unknown key', '!FindInMap [RegionMap, ap-south-9, HVM64]', 'Template error: Unable to get mapping for RegionMap::ap-south-9::HVM64'],
    ['Fn::FindInMap unknown map', '!FindInMap [Nope, a, b]', "Template error: Mapping named 'Nope' is not present in the 'Mappings' section of template"],
    ['Fn::FindInMap two arguments', '!FindInMap [RegionMap, a]', 'Template error: every Fn::FindInMap object requires three parameters, the map name, map key and the attribute for return value'],
    ['Fn::Join without a list', '!Join [",", abc]', 'Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.'],
    ['Fn::Split one argument', '!Split [","]', 'Template error: every Fn::Split object requires two parameters, (1) a string delimiter and (2) a string to be split or a function that returns a string to be split.'],
    ['Fn::Equals in properties with 3 arguments', '!Equals [a, b, c]', 'Template error: every Fn::Equals object requires a list of 2 string parameters.'],
    ['Fn::GetAtt without attribute', '{"Fn::GetAtt": ["vpc"]}', 'Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute'],
    ['Fn::Sub with a list variable', '!Sub "${Ports}"', 'Template error: every variable in an Fn::Sub object must reference a string'],
    ['Fn::Sub malformed', '!Sub [a, b, c]', "Template error: One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string"],
    ['Fn::Cidr more blocks than fit', '!Cidr ["10.0.0.0/24", 9, 5]', 'Template error: Fn::Cidr cannot carve 9 blocks of 5 bits from 10.0.0.0/24'],
    ['Fn::Cidr bad block', '!Cidr ["10.0.0/16", 1, 8]', 'Template error: Fn::Cidr ipBlock 10.0.0/16 is not a valid CIDR block'],
    ['Fn::ImportValue of no export', '!ImportValue missing', 'No export named missing found.'],
  ];
  it.each(errors)('%s', async (_name, value, message) => {
    expect(await failure(() => resolved(HEAD + value + '\n'))).toEqual({ code: 'ValidationError', message });
  });

  it('a Ref to a resource whose condition is false, in a branch taken, is unresolved', async () => {
    const body = `Parameters:
  Env: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Prod: {Type: AWS::Test::Thing, Condition: IsProd}
  R: {Type: AWS::Test::Thing, Properties: {P: !Ref Prod}}
Outputs:
  O: {Value: !GetAtt Prod.Arn}
`;
    expect(await failure(() => prepare(body, { Env: 'dev' }))).toEqual({
      code: 'ValidationError',
      message: 'Template format error: Unresolved resource dependencies [Prod] in the Resources block of the template',
    });
    const outputOnly = body.replace('Properties: {P: !Ref Prod}', 'Properties: {P: x}');
    expect(await failure(() => prepare(outputOnly, { Env: 'dev' }))).toEqual({
      code: 'ValidationError',
      message: 'Template format error: Unresolved resource dependencies [Prod] in the Outputs block of the template',
    });
  });

  it('conditions that refer to each other in a cycle', async () => {
    const body = 'Conditions:\n  A: !Not [!Condition B]\n  B: !Not [!Condition A]\nResources:\n  R: {Type: AWS::Test::Thing}\n';
    expect(await failure(() => prepare(body))).toEqual({ code: 'ValidationError', message: 'Template format error: Circular dependency between conditions: [A, B]' });
  });

  it('a condition that is not a boolean operation', async () => {
    const body = 'Conditions:\n  A: yes\nResources:\n  R: {Type: AWS::Test::Thing}\n';
    expect(await failure(() => prepare(body))).toEqual({
      code: 'ValidationError',
      message: 'Template format error: Conditions can only be boolean operations on parameters and other conditions',
    });
  });

  it('a condition reading what only a created stack knows (Fn::GetAZs)', async () => {
    const body = 'Conditions:\n  A: !Equals [!Select [0, !GetAZs ""], us-east-1a]\nResources:\n  R: {Type: AWS::Test::Thing}\n';
    expect(await failure(() => prepare(body))).toEqual({
      code: 'ValidationError',
      message: 'Template format error: Conditions can only be boolean operations on parameters and other conditions',
    });
    const imported = 'Conditions:\n  A: !Equals [!ImportValue shared, x]\nResources:\n  R: {Type: AWS::Test::Thing}\n';
    expect(await failure(() => prepare(imported))).toEqual({ code: 'ValidationError', message: 'Template error: Cannot use Fn::ImportValue in Conditions' });
  });

  it('Fn::And with one operand, Fn::Or with eleven', async () => {
    const one = 'Conditions:\n  A: !And [!Equals [a, a]]\nResources:\n  R: {Type: AWS::Test::Thing}\n';
    expect((await failure(() => prepare(one)))?.message).toBe('Template error: every Fn::And object requires a list of at least 2 and at most 10 boolean parameters.');
    const eleven = `Conditions:\n  A: !Or [${Array(11).fill('!Equals [a, b]').join(', ')}]\nResources:\n  R: {Type: AWS::Test::Thing}\n`;
    expect((await failure(() => prepare(eleven)))?.message).toBe('Template error: every Fn::Or object requires a list of at least 2 and at most 10 boolean parameters.');
    const ten = eleven.replace('[!Equals [a, b], ', '[');
    expect((await prepare(ten)).conditions.A).toBe(false);
  });

  it('resolveValue refuses a prepared template without pseudo parameters', async () => {
    const prepared = await prepareTemplate(parseTemplate(HEAD + 'x\n'), { parameters: {}, pseudo: PSEUDO, resolvers: resolvers() });
    const { pseudo: _pseudo, ...withoutPseudo } = prepared;
    expect(resolveValue({ Ref: 'vpc' }, withoutPseudo, REFS)).toBe('vpc-physical');
    expect((await failure(() => resolveValue({ Ref: 'AWS::Region' }, withoutPseudo, REFS)))?.code).toBe('ValidationError');
  });
});
