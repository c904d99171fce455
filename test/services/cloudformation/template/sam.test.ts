/**
 * The AWS::Serverless-2016-10-31 transform: templates shaped like the SAM specification's
 * examples, expanded to the resources SAM writes (Globals merged, Function → Lambda function
 * and execution role, SimpleTable → DynamoDB table, Application → nested stack), SAM's
 * refusals, AWS::LanguageExtensions kept alongside, and the expanded template prepared as any
 * other (Ref and Fn::GetAtt of SAM resources).
 */
import { describe, expect, it } from 'vitest';
import { expandTransforms, parseTemplate, prepareTemplate, resolveValue, type Template } from '../../../../runtime/services/cloudformation/template/index.js';
import { failure, PSEUDO, REFS, resolvers } from './support.js';

/** SAM's managed policy map, as IAM's ListPolicies would give it. */
const MANAGED: Record<string, string> = {
  AmazonDynamoDBFullAccess: 'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess',
  AWSLambdaBasicExecutionRole: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
  AWSLambdaRole: 'arn:aws:iam::aws:policy/service-role/AWSLambdaRole',
};

const expand = (body: string, partition = 'aws'): Promise<Template> =>
  expandTransforms(parseTemplate(body), { partition, managedPolicyArn: async (name) => MANAGED[name] });

const SAM_TAG = { Key: 'lambda:createdBy', Value: 'SAM' };
const TRUST = { Version: '2012-10-17', Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] } }] };
const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

describe('SAM: AWS::Serverless::Function', () => {
  it('a Lambda function and its execution role; managed policy names, ARNs, intrinsics and inline statements', async () => {
    const out = await expand(`Transform: AWS::Serverless-2016-10-31
Parameters:
  SomeManagedPolicyArn: {Type: String, Default: 'arn:aws:iam::aws:policy/OtherPolicy'}
Resources:
  Function:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://sam-demo-bucket/hello.zip
      Handler: hello.handler
      Runtime: python3.12
      Policies:
        - Statement:
            - {Action: ['dynamodb:*'], Effect: Allow, Resource: '*'}
        - AmazonDynamoDBFullAccess
        - AmazonDynamoDBFullAccess
        - AWSLambdaBasicExecutionRole
        - AWSLambdaRole
        - !Ref SomeManagedPolicyArn
        - arn:aws:iam::123456789012:policy/CustomerCreatedManagedPolicy
`);
    expect(out.Transform).toBeUndefined();
    expect(out.Resources).toEqual({
      Function: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Handler: 'hello.handler',
          Runtime: 'python3.12',
          Code: { S3Bucket: 'sam-demo-bucket', S3Key: 'hello.zip' },
          Role: { 'Fn::GetAtt': ['FunctionRole', 'Arn'] },
          Tags: [SAM_TAG],
        },
      },
      FunctionRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: TRUST,
          ManagedPolicyArns: [
            BASIC,
            'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess',
            'arn:aws:iam::aws:policy/service-role/AWSLambdaRole',
            { Ref: 'SomeManagedPolicyArn' },
            'arn:aws:iam::123456789012:policy/CustomerCreatedManagedPolicy',
          ],
          Policies: [{ PolicyName: 'FunctionRolePolicy0', PolicyDocument: { Statement: [{ Action: ['dynamodb:*'], Effect: 'Allow', Resource: '*' }] } }],
          Tags: [SAM_TAG],
        },
      },
    });
  });

  it('InlineCode, CodeUri as a map or with a versionId, the properties Lambda takes, Tracing and VpcConfig policies, the partition', async () => {
    const out = await expand(
      `Transform: AWS::Serverless-2016-10-31
Resources:
  Inline:
    Type: AWS::Serverless::Function
    DependsOn: Versioned
    Condition: Always
    DeletionPolicy: Retain
    Metadata: {BuildMethod: esbuild}
    Properties:
      InlineCode: "exports.handler = async () => 'ok'"
      Handler: index.handler
      Runtime: nodejs20.x
      FunctionName: my-function
      Description: inline
      MemorySize: 256
      Timeout: 10
      Architectures: [arm64]
      Layers: ['arn:aws:lambda:us-gov-west-1:123456789012:layer:l:1']
      Environment: {Variables: {A: '1'}}
      Tracing: Active
      VpcConfig: {SecurityGroupIds: [sg-1], SubnetIds: [subnet-1]}
      Tags: {team: blue}
  Versioned:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: {Bucket: b, Key: k.zip, Version: '3'}
      Handler: index.handler
      Runtime: nodejs20.x
      Role: arn:aws-us-gov:iam::123456789012:role/mine
  Query:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: 's3://b/dir/k.zip?versionId=v7', Handler: h, Runtime: nodejs20.x}
Conditions:
  Always: !Equals [a, a]
`,
      'aws-us-gov',
    );
    expect(out.Resources.Inline).toEqual({
      Type: 'AWS::Lambda::Function',
      DependsOn: 'Versioned',
      Condition: 'Always',
      DeletionPolicy: 'Retain',
      Metadata: { BuildMethod: 'esbuild' },
      Properties: {
        FunctionName: 'my-function',
        Handler: 'index.handler',
        Runtime: 'nodejs20.x',
        Description: 'inline',
        MemorySize: 256,
        Timeout: 10,
        VpcConfig: { SecurityGroupIds: ['sg-1'], SubnetIds: ['subnet-1'] },
        Environment: { Variables: { A: '1' } },
        Layers: ['arn:aws:lambda:us-gov-west-1:123456789012:layer:l:1'],
        Architectures: ['arm64'],
        Code: { ZipFile: "exports.handler = async () => 'ok'" },
        TracingConfig: { Mode: 'Active' },
        Tags: [SAM_TAG, { Key: 'team', Value: 'blue' }],
        Role: { 'Fn::GetAtt': ['InlineRole', 'Arn'] },
      },
    });
    // the role gets the passed-through attributes only (no DependsOn, no Metadata)
    expect(out.Resources.InlineRole).toEqual({
      Type: 'AWS::IAM::Role',
      Condition: 'Always',
      DeletionPolicy: 'Retain',
      Properties: {
        AssumeRolePolicyDocument: TRUST,
        ManagedPolicyArns: [
          'arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          'arn:aws-us-gov:iam::aws:policy/AWSXrayWriteOnlyAccess',
          'arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
        ],
        Tags: [SAM_TAG, { Key: 'team', Value: 'blue' }],
      },
    });
    // a function with its own Role gets no generated one
    expect(out.Resources.VersionedRole).toBeUndefined();
    expect(out.Resources.Versioned!.Properties).toEqual({
      Handler: 'index.handler',
      Runtime: 'nodejs20.x',
      Role: 'arn:aws-us-gov:iam::123456789012:role/mine',
      Code: { S3Bucket: 'b', S3Key: 'k.zip', S3ObjectVersion: '3' },
      Tags: [SAM_TAG],
    });
    expect(out.Resources.Query!.Properties!.Code).toEqual({ S3Bucket: 'b', S3Key: 'dir/k.zip', S3ObjectVersion: 'v7' });
  });

  it('DeadLetterQueue: DeadLetterConfig, and the role may send to the queue before its own policies', async () => {
    const out = await expand(`Transform: AWS::Serverless-2016-10-31
Resources:
  Dlq: {Type: AWS::SQS::Queue}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: x
      Handler: h
      Runtime: nodejs20.x
      DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt Dlq.Arn}
      Policies: {Statement: [{Effect: Allow, Action: 'sqs:ReceiveMessage', Resource: '*'}]}
`);
    expect(out.Resources.Fn!.Properties!.DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } });
    expect(out.Resources.FnRole!.Properties!.Policies).toEqual([
      { PolicyName: 'DeadLetterQueuePolicy', PolicyDocument: { Version: '2012-10-17', Statement: [{ Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, Effect: 'Allow' }] } },
      { PolicyName: 'FnRolePolicy0', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sqs:ReceiveMessage', Resource: '*' }] } },
    ]);
    const bad = await failure(() => expand('Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {InlineCode: x, Handler: h, Runtime: r, DeadLetterQueue: {Type: SES, TargetArn: a}}\n'));
    expect(bad?.message).toMatch(/Resource with id \[Fn\] is invalid\. 'DeadLetterQueue' requires Type of \['SQS', 'SNS'\]$/);
  });

  it('Events, AutoPublishAlias and policy templates are refused by name; every problem counted in one ValidationError', async () => {
    const body = `Transform: AWS::Serverless-2016-10-31
Resources:
  WithEvents:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k.zip
      Handler: h
      Runtime: nodejs20.x
      Events:
        Hello: {Type: Api, Properties: {Path: /hello, Method: get}}
  Aliased:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: s3://b/k.zip, Handler: h, Runtime: nodejs20.x, AutoPublishAlias: live}
  Templated:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k.zip
      Handler: h
      Runtime: nodejs20.x
      Policies: [{SQSPollerPolicy: {QueueName: q}}]
`;
    const error = await failure(() => expand(body));
    expect(error?.code).toBe('ValidationError');
    expect(error?.message).toBe(
      'Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification document. Number of errors found: 3. ' +
        'Resource with id [Aliased] is invalid. AutoPublishAlias is not supported by this emulator yet. ' +
        "Resource with id [Templated] is invalid. Policy template 'SQSPollerPolicy' is not supported by this emulator yet; write the policy's statements inline instead. " +
        "Resource with id [WithEvents] is invalid. Event with id [Hello] is invalid. Event type 'Api' is not supported by this emulator yet.",
    );
  });

  it('code missing or given twice, no Runtime, and a generated id that already exists are SAM errors', async () => {
    const one = async (props: string, extra = '') =>
      (await failure(() => expand(`Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: ${props}\n${extra}`)))?.message.replace(/^.*Number of errors found: 1\. /, '');
    expect(await one('{Handler: h, Runtime: r}')).toBe("Resource with id [F] is invalid. Only one of 'InlineCode' or 'CodeUri' can be set.");
    expect(await one('{Handler: h, Runtime: r, InlineCode: x, CodeUri: s3://b/k}')).toBe("Resource with id [F] is invalid. Only one of 'InlineCode' or 'CodeUri' can be set.");
    expect(await one('{Handler: h, CodeUri: s3://b/k}')).toBe('Resource with id [F] is invalid. Runtime and Handler needs to be present when PackageType is of type `Zip`');
    expect(await one('{Handler: h, Runtime: r, CodeUri: ./src}')).toBe(
      "Resource with id [F] is invalid. 'CodeUri' is not a valid S3 Uri of the form 's3://bucket/key' with optional versionId query parameter.",
    );
    expect(await one('{Handler: h, Runtime: r, CodeUri: s3://b/k}', '  FRole:\n    Type: AWS::SNS::Topic\n')).toMatch(/^Transforming resource with id \[F\] attempts to create a new resource with id \[FRole\]/);
  });
});

describe('SAM: Globals', () => {
  it('merged as the specification says: maps merged, lists appended, scalars overridden; IgnoreGlobals; the section removed', async () => {
    const out = await expand(`Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs18.x
    Timeout: 30
    Handler: index.handler
    Layers: [arn:aws:lambda:us-east-1:123456789012:layer:base:1]
    Environment:
      Variables: {STAGE: prod, TABLE: t1}
    Tags: {app: demo}
  SimpleTable:
    SSESpecification: {SSEEnabled: true}
Resources:
  First:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/first.zip
      Runtime: python3.12
      Layers: [arn:aws:lambda:us-east-1:123456789012:layer:own:2]
      Environment:
        Variables: {TABLE: t2, EXTRA: x}
  Second:
    Type: AWS::Serverless::Function
    IgnoreGlobals: [Timeout, Tags]
    Properties: {InlineCode: x}
  Bare:
    Type: AWS::Serverless::Function
    IgnoreGlobals: '*'
    Properties: {InlineCode: x, Handler: h, Runtime: java21}
  Table:
    Type: AWS::Serverless::SimpleTable
`);
    expect(Object.keys(out)).not.toContain('Globals');
    expect(out.Resources.First!.Properties).toMatchObject({
      Runtime: 'python3.12',
      Timeout: 30,
      Handler: 'index.handler',
      Layers: ['arn:aws:lambda:us-east-1:123456789012:layer:base:1', 'arn:aws:lambda:us-east-1:123456789012:layer:own:2'],
      Environment: { Variables: { STAGE: 'prod', TABLE: 't2', EXTRA: 'x' } },
      Tags: [SAM_TAG, { Key: 'app', Value: 'demo' }],
    });
    expect(out.Resources.Second!.Properties).toMatchObject({ Runtime: 'nodejs18.x', Handler: 'index.handler', Tags: [SAM_TAG] });
    expect(out.Resources.Second!.Properties!.Timeout).toBeUndefined();
    expect(out.Resources.Second).not.toHaveProperty('IgnoreGlobals');
    expect(out.Resources.Bare!.Properties).toEqual({ Handler: 'h', Runtime: 'java21', Code: { ZipFile: 'x' }, Tags: [SAM_TAG], Role: { 'Fn::GetAtt': ['BareRole', 'Arn'] } });
    expect(out.Resources.Table!.Properties!.SSESpecification).toEqual({ SSEEnabled: true });
  });

  it('an unknown section or a property Globals does not take: SAM\'s message', async () => {
    const section = await failure(() => expand('Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Queue: {A: 1}\nResources:\n  T: {Type: AWS::SNS::Topic}\n'));
    expect(section?.message).toBe(
      "Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification document. Number of errors found: 1. 'Globals' section is invalid. 'Queue' is not supported. Must be one of the following values - ['Api', 'Function', 'HttpApi', 'LayerVersion', 'SimpleTable', 'StateMachine']",
    );
    const property = await failure(() => expand('Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function: {FunctionName: f}\nResources:\n  T: {Type: AWS::SNS::Topic}\n'));
    expect(property?.message).toMatch(/'Globals' section is invalid\. 'FunctionName' is not a supported property of 'Function'\. Must be one of the following values - \['Handler', 'Runtime', /);
  });
});

describe('SAM: SimpleTable and Application', () => {
  it('SimpleTable: id String and PAY_PER_REQUEST by default; PrimaryKey, ProvisionedThroughput, TableName, Tags as DynamoDB writes them', async () => {
    const out = await expand(`Transform: AWS::Serverless-2016-10-31
Resources:
  Plain:
    Type: AWS::Serverless::SimpleTable
  Full:
    Type: AWS::Serverless::SimpleTable
    DeletionPolicy: Retain
    Properties:
      PrimaryKey: {Name: pk, Type: Number}
      ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 2}
      TableName: !Sub '\${AWS::StackName}-full'
      Tags: {env: test}
`);
    expect(out.Resources.Plain).toEqual({
      Type: 'AWS::DynamoDB::Table',
      Properties: { AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' },
    });
    expect(out.Resources.Full).toEqual({
      Type: 'AWS::DynamoDB::Table',
      DeletionPolicy: 'Retain',
      Properties: {
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'N' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 },
        TableName: { 'Fn::Sub': '${AWS::StackName}-full' },
        Tags: [{ Key: 'env', Value: 'test' }],
      },
    });
    const bad = await failure(() => expand('Transform: AWS::Serverless-2016-10-31\nResources:\n  T:\n    Type: AWS::Serverless::SimpleTable\n    Properties: {PrimaryKey: {Name: k, Type: Text}}\n'));
    expect(bad?.message).toMatch(/Resource with id \[T\] is invalid\. Invalid 'Type' "Text"\.$/);
  });

  it('Application: a nested stack from its template URL; a Serverless Application Repository Location refused', async () => {
    const out = await expand(`Transform: AWS::Serverless-2016-10-31
Resources:
  Topic: {Type: AWS::SNS::Topic}
  App:
    Type: AWS::Serverless::Application
    DependsOn: Topic
    Condition: IsProd
    DeletionPolicy: Retain
    Properties:
      Location: https://bucket.s3.amazonaws.com/child.yaml
      Parameters: {Stage: prod}
      NotificationARNs: [!Ref Topic]
      Tags: {owner: me}
      TimeoutInMinutes: 15
Conditions:
  IsProd: !Equals [1, 1]
`);
    expect(out.Resources.App).toEqual({
      Type: 'AWS::CloudFormation::Stack',
      DependsOn: 'Topic',
      Condition: 'IsProd',
      DeletionPolicy: 'Retain',
      Properties: {
        Parameters: { Stage: 'prod' },
        NotificationARNs: [{ Ref: 'Topic' }],
        Tags: [SAM_TAG, { Key: 'owner', Value: 'me' }],
        TimeoutInMinutes: 15,
        TemplateURL: 'https://bucket.s3.amazonaws.com/child.yaml',
      },
    });
    const sar = await failure(() =>
      expand('Transform: AWS::Serverless-2016-10-31\nResources:\n  App:\n    Type: AWS::Serverless::Application\n    Properties:\n      Location: {ApplicationId: arn:aws:serverlessrepo:us-east-1:123456789012:applications/hello, SemanticVersion: 1.0.0}\n'),
    );
    expect(sar?.message).toMatch(/Resource with id \[App\] is invalid\. Location with ApplicationId and SemanticVersion \(an application of the AWS Serverless Application Repository\) is not supported/);
  });
});

describe('SAM with the rest of the engine', () => {
  it('a template without the transform is returned as it is; other serverless types are left as written', async () => {
    const plain = parseTemplate('Resources:\n  T: {Type: AWS::SNS::Topic}\n');
    expect(await expandTransforms(plain, { partition: 'aws' })).toBe(plain);
    const out = await expand('Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties: {StageName: prod}\n');
    expect(out.Resources.Api).toEqual({ Type: 'AWS::Serverless::Api', Properties: { StageName: 'prod' } });
  });

  it('with AWS::LanguageExtensions: the expanded template keeps that transform, and its functions still work once prepared', async () => {
    const out = await expand(`Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
Parameters:
  Names: {Type: CommaDelimitedList, Default: 'a,b,c'}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: x
      Handler: h
      Runtime: nodejs20.x
      Environment: {Variables: {COUNT: {'Fn::Length': !Ref Names}}}
`);
    expect(out.Transform).toBe('AWS::LanguageExtensions');
    const prepared = await prepareTemplate(out, { parameters: {}, pseudo: PSEUDO, resolvers: resolvers() });
    const props = resolveValue(prepared.resources.get('Fn')!.properties, prepared, REFS) as Record<string, Record<string, Record<string, unknown>>>;
    expect(props.Environment!.Variables!.COUNT).toBe(3);
  });

  it('Ref and Fn::GetAtt of SAM resources: the function waits for its role; Ref, .Arn and a nested stack\'s Outputs resolve', async () => {
    const out = await expand(`Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {InlineCode: x, Handler: h, Runtime: nodejs20.x}
  App:
    Type: AWS::Serverless::Application
    Properties: {Location: 'https://s3.amazonaws.com/b/child.json'}
  Param:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !Join [',', [!Ref Fn, !GetAtt Fn.Arn, !GetAtt App.Outputs.Url, !Ref App, !GetAtt FnRole.Arn]]
`);
    const prepared = await prepareTemplate(out, { parameters: {}, pseudo: PSEUDO, resolvers: resolvers() });
    expect(prepared.resources.get('Fn')!.dependsOn).toContain('FnRole');
    expect([...prepared.resources.keys()].indexOf('FnRole')).toBeLessThan([...prepared.resources.keys()].indexOf('Fn'));
    expect(prepared.resources.get('Param')!.dependsOn).toEqual(expect.arrayContaining(['Fn', 'App', 'FnRole']));
    const value = resolveValue(prepared.resources.get('Param')!.properties, prepared, REFS) as Record<string, unknown>;
    expect(value.Value).toBe('Fn-physical,Fn.Arn,App.Outputs.Url,App-physical,FnRole.Arn');
  });

  it('the expanded template is checked as a template: a Ref to nothing is refused once SAM has run', async () => {
    const error = await failure(() => expand('Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {InlineCode: x, Handler: h, Runtime: r, Role: !Ref Nothing}\n'));
    expect(error).toEqual({ code: 'ValidationError', message: 'Template format error: Unresolved resource dependencies [Nothing] in the Resources block of the template' });
  });
});
