/**
 * parseTemplate: JSON and YAML bodies give the same document, every short-form tag becomes its
 * long form, and malformed bodies and templates are refused with AWS's messages.
 */
import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../../../runtime/services/cloudformation/template/index.js';
import { failure } from './support.js';

const propertyOf = (body: string): unknown => parseTemplate(body).Resources.R!.Properties!.P;
const yamlWith = (value: string): string => `Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      P: ${value}\n`;

// Templates refer to these; the names must exist for the template to be valid.
const DECLARED = `Parameters:
  Env: {Type: String, Default: dev}
  Subnets: {Type: CommaDelimitedList, Default: "a,b"}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Other: !Equals [a, b]
Mappings:
  RegionMap:
    us-east-1: {AMI: ami-1}
`;
const withDeclared = (value: string): string => `${DECLARED}${yamlWith(value)}  Bucket:\n    Type: AWS::S3::Bucket\n  Vpc:\n    Type: AWS::EC2::VPC\n`;

describe('short-form tags', () => {
  const cases: [string, string, unknown][] = [
    ['!Ref', '!Ref Env', { Ref: 'Env' }],
    ['!Ref pseudo', '!Ref AWS::Region', { Ref: 'AWS::Region' }],
    ['!Sub string', '!Sub "${AWS::StackName}-${Env}"', { 'Fn::Sub': '${AWS::StackName}-${Env}' }],
    ['!Sub list', '!Sub ["www.${Domain}", {Domain: !Ref Env}]', { 'Fn::Sub': ['www.${Domain}', { Domain: { Ref: 'Env' } }] }],
    ['!GetAtt dotted', '!GetAtt Bucket.Arn', { 'Fn::GetAtt': ['Bucket', 'Arn'] }],
    ['!GetAtt nested attribute', '!GetAtt Bucket.Endpoint.Address', { 'Fn::GetAtt': ['Bucket', 'Endpoint.Address'] }],
    ['!GetAtt list', '!GetAtt [Bucket, Arn]', { 'Fn::GetAtt': ['Bucket', 'Arn'] }],
    ['!Join', '!Join [":", [a, !Ref Env]]', { 'Fn::Join': [':', ['a', { Ref: 'Env' }]] }],
    ['!Select', '!Select [0, !GetAZs ""]', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }],
    ['!Split', '!Split [",", "a,b"]', { 'Fn::Split': [',', 'a,b'] }],
    ['!If', '!If [IsProd, !Ref Bucket, !Ref AWS::NoValue]', { 'Fn::If': ['IsProd', { Ref: 'Bucket' }, { Ref: 'AWS::NoValue' }] }],
    ['!Equals', '!Equals [!Ref Env, prod]', { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }],
    ['!And !Or !Not !Condition', '!And [!Not [!Condition IsProd], !Or [!Condition Other, !Equals [x, y]]]', {
      'Fn::And': [{ 'Fn::Not': [{ Condition: 'IsProd' }] }, { 'Fn::Or': [{ Condition: 'Other' }, { 'Fn::Equals': ['x', 'y'] }] }],
    }],
    ['!FindInMap', '!FindInMap [RegionMap, !Ref AWS::Region, AMI]', { 'Fn::FindInMap': ['RegionMap', { Ref: 'AWS::Region' }, 'AMI'] }],
    ['!GetAZs empty', '!GetAZs ""', { 'Fn::GetAZs': '' }],
    ['!GetAZs without a value', '!GetAZs', { 'Fn::GetAZs': '' }],
    ['!ImportValue', '!ImportValue shared-vpc', { 'Fn::ImportValue': 'shared-vpc' }],
    ['!ImportValue of !Sub', '!ImportValue {"Fn::Sub": "${Env}-id"}', { 'Fn::ImportValue': { 'Fn::Sub': '${Env}-id' } }],
    ['!Base64', '!Base64 hello', { 'Fn::Base64': 'hello' }],
    ['!Cidr', '!Cidr [!GetAtt Vpc.CidrBlock, 6, 5]', { 'Fn::Cidr': [{ 'Fn::GetAtt': ['Vpc', 'CidrBlock'] }, 6, 5] }],
    ['!Transform', '!Transform {Name: "AWS::Include", Parameters: {Location: "s3://b/k"}}', {
      'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } },
    }],
  ];
  it.each(cases)('%s', (_name, short, long) => {
    expect(propertyOf(withDeclared(short))).toEqual(long);
    // the JSON template with the long form parses to the same value
    const json = parseTemplate(JSON.stringify({ ...parseTemplate(withDeclared(short)) }));
    expect(json.Resources.R!.Properties!.P).toEqual(long);
  });

  it('!Length and !ToJsonString with the language extensions transform', () => {
    const body = `Transform: AWS::LanguageExtensions\n${withDeclared('[!Length [1, 2], !ToJsonString {a: !Ref Env}]')}`;
    expect(propertyOf(body)).toEqual([{ 'Fn::Length': [1, 2] }, { 'Fn::ToJsonString': { a: { Ref: 'Env' } } }]);
  });

  it('block-style short forms as real templates write them', () => {
    const body = withDeclared(`!Join
        - ""
        - - !Ref Env
          - !GetAtt Bucket.Arn
          - !Sub
            - "\${X}"
            - X: !Select
                - 1
                - !Split [",", !ImportValue list]`);
    expect(propertyOf(body)).toEqual({
      'Fn::Join': ['', [{ Ref: 'Env' }, { 'Fn::GetAtt': ['Bucket', 'Arn'] }, { 'Fn::Sub': ['${X}', { X: { 'Fn::Select': [1, { 'Fn::Split': [',', { 'Fn::ImportValue': 'list' }] }] } }] }]],
    });
  });

  it('the same template written in JSON and in YAML', () => {
    const json = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Description": "demo",
  "Parameters": {"Env": {"Type": "String", "Default": "dev"}},
  "Resources": {
    "Q": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 60}},
    "B": {"Type": "AWS::S3::Bucket", "DependsOn": "Q", "Properties": {"BucketName": {"Fn::Sub": "\${Env}-b"}}}
  },
  "Outputs": {"Arn": {"Value": {"Fn::GetAtt": ["Q", "Arn"]}, "Export": {"Name": "q-arn"}}}
}`;
    const yaml = `AWSTemplateFormatVersion: 2010-09-09
Description: demo
Parameters:
  Env: {Type: String, Default: dev}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 60
  B:
    Type: AWS::S3::Bucket
    DependsOn: Q
    Properties:
      BucketName: !Sub "\${Env}-b"
Outputs:
  Arn:
    Value: !GetAtt Q.Arn
    Export:
      Name: q-arn
`;
    expect(parseTemplate(yaml)).toEqual(parseTemplate(json));
    expect(parseTemplate(json).Resources.B!.Properties!.BucketName).toEqual({ 'Fn::Sub': '${Env}-b' });
  });

  it('scalars as CloudFormation reads them: dates stay strings, unquoted YAML 1.1 booleans are booleans', () => {
    const template = parseTemplate('AWSTemplateFormatVersion: 2010-09-09\nResources:\n  R:\n    Type: X::Y::Z\n    Properties: {A: YES, B: 5, C: 1.5, D: "007", E: "yes", F: off, G: True, H: y}\n');
    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
    expect(template.Resources.R!.Properties).toEqual({ A: true, B: 5, C: 1.5, D: '007', E: 'yes', F: false, G: true, H: 'y' });
  });

  it('anchors and merge keys', () => {
    const template = parseTemplate('Resources:\n  A: &a\n    Type: X::Y::Z\n    Properties: {N: 1}\n  B:\n    <<: *a\n    Properties: {N: 2}\n');
    expect(template.Resources.B).toEqual({ Type: 'X::Y::Z', Properties: { N: 2 } });
  });
});

describe('malformed bodies and templates', () => {
  const R = 'Resources:\n  R:\n    Type: AWS::S3::Bucket\n';
  const cases: [string, string, string][] = [
    ['bad YAML', 'Resources:\n  R:\n    Type: X\n   Properties: {}\n', 'Template format error: YAML not well-formed. (line 4, column 1)'],
    ['misspelt short form', 'Resources:\n  R:\n    Type: X\n    Properties:\n      Arn: !GetAttr B.Arn\n', 'Template format error: YAML not well-formed. (line 5, column 12)'],
    ['duplicate key', 'Resources:\n  R: {Type: X}\n  R: {Type: Y}\n', 'Template format error: YAML not well-formed. (line 3, column 3)'],
    ['bad JSON', '{\n  "Resources": {,\n}', 'Template format error: JSON not well-formed. (line 2, column 17)'],
    ['JSON cut short', '{"Resources": {"R": {"Type": "X"}}', 'Template format error: JSON not well-formed. (line 1, column 35)'],
    ['JSON with trailing text', '{"Resources": {"R": {"Type": "X"}}} {}', 'Template format error: JSON not well-formed. (line 1, column 37)'],
    ['no Resources', 'Description: nothing\n', 'Template format error: At least one Resources member must be defined.'],
    ['empty Resources', '{"Resources": {}}', 'Template format error: At least one Resources member must be defined.'],
    ['empty body', '   ', 'Template format error: At least one Resources member must be defined.'],
    ['not a map', '- a\n- b\n', 'Template format error: unsupported structure.'],
    ['unknown sections', `${R}Bogus: 1\nOther: 2\n`, 'Invalid template property or properties [Bogus, Other]'],
    ['format version', `AWSTemplateFormatVersion: "2012-01-01"\n${R}`, 'Template format error: unsupported value for AWSTemplateFormatVersion.'],
    ['unknown parameter properties', `Parameters:\n  P: {Type: String, Defalt: x, Min: 1}\n${R}`, 'Invalid template parameter property or properties [Defalt, Min]'],
    ['DependsOn not a string', 'Resources:\n  R:\n    Type: X\n    DependsOn: {a: b}\n', 'Template format error: DependsOn must be a string or list of strings.'],
    ['DependsOn member not a string', 'Resources:\n  R:\n    Type: X\n    DependsOn: [a, [b]]\n', 'Template format error: Every DependsOn value must be a string.'],
    ['mapping not a map', `Mappings:\n  M: [a]\n${R}`, 'Template format error: Every Mappings member M must be a map'],
    ['mapping key not a map', `Mappings:\n  M: {k: v}\n${R}`, 'Template format error: Every Mappings member k must be a map'],
    ['mapping attribute neither string nor list', `Mappings:\n  M: {k: {a: {b: c}}}\n${R}`, 'Template format error: Every Mappings attribute must be a String or a List.'],
    ['condition naming an undefined condition', `Conditions:\n  A: !Not [!Condition B]\n${R}`, 'Template format error: Unresolved condition dependencies [B] in the Conditions block of the template'],
    ['output Condition unknown', `${R}Outputs:\n  O: {Value: x, Condition: Nope}\n`, 'Template format error: Condition Nope is not defined.'],
    ['resource without Type', 'Resources:\n  B:\n    Properties: {}\n', 'Template format error: [/Resources/B] Every Resources object must contain a Type member.'],
    ['unknown resource attribute', 'Resources:\n  B:\n    Type: X\n    Propertes: {}\n', "Invalid template resource property 'Propertes'"],
    ['parameter without Type', `Parameters:\n  P: {Default: x}\n${R}`, 'Template format error: Every Parameters object must contain a Type member.'],
    ['unknown parameter type', `Parameters:\n  P: {Type: Bool}\n${R}`, 'Template format error: Unrecognized parameter type: Bool'],
    ['AllowedValues not a list', `Parameters:\n  P: {Type: String, AllowedValues: a}\n${R}`, 'Template format error: Every AllowedValues member must be a list.'],
    ['output without Value', `${R}Outputs:\n  O: {Description: x}\n`, 'Template format error: Every Outputs member must contain a Value object'],
    [
      'unsupported function',
      'Resources:\n  R:\n    Type: X\n    Properties: {P: {"Fn::Foo": [a]}}\n',
      'Template Error: Encountered unsupported function: Fn::Foo Supported functions are: [Fn::Base64, Fn::GetAtt, Fn::GetAZs, Fn::ImportValue, Fn::Join, Fn::Split, Fn::FindInMap, Fn::Select, Ref, Fn::Equals, Fn::If, Fn::Not, Condition, Fn::And, Fn::Or, Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn, Fn::ValueOf, Fn::ValueOfAll, Fn::RefAll, Fn::Sub, Fn::Cidr]',
    ],
    [
      'Fn::Length without the transform',
      'Resources:\n  R:\n    Type: X\n    Properties: {P: !Length [a]}\n',
      'Template Error: Encountered unsupported function: Fn::Length Supported functions are: [Fn::Base64, Fn::GetAtt, Fn::GetAZs, Fn::ImportValue, Fn::Join, Fn::Split, Fn::FindInMap, Fn::Select, Ref, Fn::Equals, Fn::If, Fn::Not, Condition, Fn::And, Fn::Or, Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn, Fn::ValueOf, Fn::ValueOfAll, Fn::RefAll, Fn::Sub, Fn::Cidr]',
    ],
    ['Ref to nothing', 'Resources:\n  R:\n    Type: X\n    Properties: {P: !Ref Nope}\n', 'Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template'],
    ['misspelt pseudo parameter', 'Resources:\n  R:\n    Type: X\n    Properties: {P: !Sub "${AWS::Resion}"}\n', 'Template format error: Unresolved resource dependencies [AWS::Resion] in the Resources block of the template'],
    ['Sub variable naming nothing', 'Resources:\n  R:\n    Type: X\n    Properties: {P: !Sub "${Nope}-x"}\n', 'Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template'],
    ['Sub attribute of nothing', 'Resources:\n  R:\n    Type: X\n    Properties: {P: !Sub "${Nope.Arn}"}\n', 'Template error: instance of Fn::Sub references invalid resource attribute Nope.Arn'],
    ['DependsOn nothing', 'Resources:\n  R:\n    Type: X\n    DependsOn: [Nope, Other]\n', 'Template format error: Unresolved resource dependencies [Nope, Other] in the Resources block of the template'],
    ['GetAtt of nothing', 'Resources:\n  R:\n    Type: X\n    Properties: {P: !GetAtt Nope.Arn}\n', 'Template error: instance of Fn::GetAtt references undefined resource Nope'],
    ['output Ref to nothing', `${R}Outputs:\n  O: {Value: !Ref Nope}\n`, 'Template format error: Unresolved resource dependencies [Nope] in the Outputs block of the template'],
    ['condition refers to a resource', `Conditions:\n  C: !Equals [!Ref R, x]\n${R}`, 'Template format error: Unresolved dependencies [R]. Cannot reference resources in the Conditions block of the template'],
    ['Fn::If of an unknown condition', 'Resources:\n  R:\n    Type: X\n    Properties: {P: !If [Nope, a, b]}\n', 'Template error: unresolved condition dependency Nope in Fn::If'],
    [
      'Fn::ForEach malformed',
      'Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Topics: [N, [a, b]]\n',
      'Template format error: Fn::ForEach requires a list of three elements: an identifier, a collection and a fragment',
    ],
    ['resource Condition unknown', 'Resources:\n  R:\n    Type: X\n    Condition: Nope\n', 'Template format error: Condition Nope is not defined.'],
  ];
  it.each(cases)('%s', async (_name, body, message) => {
    expect(await failure(() => parseTemplate(body))).toEqual({ code: 'ValidationError', message });
  });

  it('a Sub variable bound by its own map, a literal ${!X} and a pseudo parameter are not references', () => {
    expect(() => parseTemplate('Resources:\n  R:\n    Type: X\n    Properties: {P: !Sub ["${L}-${!Lit}-${AWS::Region}", {L: y}]}\n')).not.toThrow();
  });

  it('a SAM template: Globals, IgnoreGlobals and the names the transform creates are the transform\'s to check', () => {
    const body = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Timeout: 10}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    IgnoreGlobals: [Timeout]
    Properties: {Handler: index.handler, Runtime: nodejs20.x, InlineCode: "exports.handler = async () => 1"}
Outputs:
  Role: {Value: !GetAtt FnRole.Arn}
`;
    expect(parseTemplate(body).Resources.Fn!.Type).toBe('AWS::Serverless::Function');
    // without the transform the same sections are refused
    expect(() => parseTemplate(body.replace('Transform: AWS::Serverless-2016-10-31\n', ''))).toThrow('Invalid template property or properties [Globals]');
  });

  it('a JSON body with a byte order mark; an empty YAML document', async () => {
    expect(parseTemplate('\uFEFF{"Resources": {"R": {"Type": "X::Y::Z"}}}').Resources.R!.Type).toBe('X::Y::Z');
    expect(await failure(() => parseTemplate('---\n'))).toEqual({ code: 'ValidationError', message: 'Template format error: At least one Resources member must be defined.' });
  });

  it('a property named Condition (an IAM statement) is not a condition reference', () => {
    const body = 'Resources:\n  R:\n    Type: AWS::IAM::Policy\n    Properties:\n      Statement: [{Effect: Allow, Condition: {StringEquals: {a: b}}}]\n      Other: {Condition: NotACondition}\n';
    expect(parseTemplate(body).Resources.R!.Type).toBe('AWS::IAM::Policy');
  });
});
