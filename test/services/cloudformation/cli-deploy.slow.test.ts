/**
 * CloudFormation through the real AWS CLI against the runtime process, as a user drives it:
 * `aws cloudformation deploy` of YAML templates. A base stack exports its queue; an app stack
 * (Transform AWS::LanguageExtensions) uses every intrinsic function and every condition
 * function, imports the export, and is updated with other parameters (its queue replaced, a
 * conditional resource added); the base cannot be deleted while the app imports from it (AWS's
 * reason in its events), and can once the app is gone. A stack whose second resource fails rolls
 * back: the first one removed, the failure's reason in the events. Nested stacks: `awslocal
 * cloudformation package` (bin/awslocal.js: the aws CLI makes that S3 client without
 * --endpoint-url) uploads the child template to S3, and the parent deploys it from its
 * TemplateURL, the child's output reaching the parent's.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws, type CliResult } from '../../support/aws-cli.js';
import { ROOT, startRuntime, type RuntimeProcess } from '../../support/runtime.js';

const BASE = `
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Shared:
    Type: AWS::SQS::Queue
Outputs:
  SharedArn:
    Value: !GetAtt Shared.Arn
    Export:
      Name: !Sub '\${AWS::StackName}-SharedArn'
`;

const APP = `
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::LanguageExtensions
Parameters:
  Env:
    Type: String
    Default: dev
    AllowedValues: [dev, test, prod]
  Names:
    Type: CommaDelimitedList
    Default: a,b,c
Mappings:
  Sizes:
    dev: { Size: small }
    test: { Size: medium }
    prod: { Size: large }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  ProdOrTest: !Or [!Condition IsProd, !Equals [!Ref Env, test]]
  ProdAndA: !And [!Condition IsProd, !Equals [!Select [0, !Ref Names], a]]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Join ['-', [!Ref AWS::StackName, !Ref Env]]
  Values:
    Type: AWS::SSM::Parameter
    Properties:
      Name: !Sub '/\${AWS::StackName}/values'
      Type: StringList
      Value: !Join
        - ','
        - - !Sub '\${Env}-\${AWS::Region}-\${AWS::AccountId}'
          - !Sub ['\${Name}:\${Size}', { Name: !GetAtt Queue.QueueName, Size: !FindInMap [Sizes, !Ref Env, Size] }]
          - !Select [1, !Split ['|', 'x|y|z']]
          - !If [IsProd, prod, not-prod]
          - !If [NotProd, not-prod, prod]
          - !If [ProdOrTest, prod-or-test, neither]
          - !If [ProdAndA, prod-and-a, not-both]
          - !Base64 'hi'
          - !Select [0, !GetAZs '']
          - !Select [2, !Cidr ['10.0.0.0/16', 4, 8]]
          - !ImportValue cli-base-SharedArn
  Json:
    Type: AWS::SSM::Parameter
    Properties:
      Name: !Sub '/\${AWS::StackName}/json'
      Type: String
      Value: !ToJsonString
        names: !Ref Names
        count: { 'Fn::Length': !Ref Names }
        queue: !Ref Queue
  ProdOnly:
    Type: AWS::SSM::Parameter
    Condition: IsProd
    Properties:
      Name: !Sub '/\${AWS::StackName}/prod-only'
      Type: String
      Value: !Ref Env
Outputs:
  QueueUrl:
    Value: !Ref Queue
  Values:
    Value: !GetAtt Values.Value
  Json:
    Value: !GetAtt Json.Value
  Imported:
    Value: !ImportValue cli-base-SharedArn
  ProdOnly:
    Condition: IsProd
    Value: !Ref ProdOnly
`;

/** The second resource fails (a queue attribute out of range), after the first was made. */
const FAILING = `
Resources:
  Good:
    Type: AWS::SSM::Parameter
    Properties:
      Name: /cli-bad/good
      Type: String
      Value: made
  Bad:
    Type: AWS::SQS::Queue
    DependsOn: Good
    Properties:
      MessageRetentionPeriod: 1
`;

const CHILD = `
Parameters:
  Prefix:
    Type: String
Resources:
  Param:
    Type: AWS::SSM::Parameter
    Properties:
      Name: !Sub '/\${Prefix}/child'
      Type: String
      Value: !Sub 'made by \${AWS::StackName}'
Outputs:
  ParamName:
    Value: !Ref Param
`;

const PARENT = `
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./child.yaml
      Parameters:
        Prefix: !Ref AWS::StackName
Outputs:
  ChildParam:
    Value: !GetAtt Child.Outputs.ParamName
  ChildId:
    Value: !Ref Child
`;

describe('CloudFormation through the AWS CLI (the runtime process)', { timeout: 180_000 }, () => {
  let rt: RuntimeProcess;
  let dir: string;

  const file = (name: string, body: string) => {
    const path = join(dir, name);
    writeFileSync(path, body);
    return path;
  };
  const cli = (...args: string[]) => aws(rt.endpoint, args);
  const ok = (r: CliResult) => expect(r.code, r.stderr + r.stdout).toBe(0);
  const outputsOf = async (stack: string) =>
    Object.fromEntries(((await cli('cloudformation', 'describe-stacks', '--stack-name', stack)).json.Stacks[0].Outputs ?? []).map((o: { OutputKey: string; OutputValue: string }) => [o.OutputKey, o.OutputValue]));
  const statusOf = async (stack: string) => (await cli('cloudformation', 'describe-stacks', '--stack-name', stack)).json?.Stacks?.[0]?.StackStatus as string | undefined;
  const events = async (stack: string) =>
    (await cli('cloudformation', 'describe-stack-events', '--stack-name', stack)).json.StackEvents as Array<{ LogicalResourceId: string; ResourceStatus: string; ResourceStatusReason?: string }>;
  const parameter = async (name: string) => (await cli('ssm', 'get-parameter', '--name', name)).json?.Parameter?.Value as string | undefined;

  beforeAll(async () => {
    rt = await startRuntime();
    dir = mkdtempSync(join(tmpdir(), 'cfn-cli-deploy-'));
    // the services start on first use: started now, so that a deployment is done before the
    // CLI's first poll (its waiters poll every 30 s after the first)
    for (const args of [['ssm', 'describe-parameters'], ['sqs', 'list-queues'], ['s3api', 'list-buckets']]) ok(await cli(...args));
  });

  afterAll(async () => {
    await rt?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('deploys a template with every intrinsic and condition function, importing another stack’s export; updates it', async () => {
    ok(await cli('cloudformation', 'deploy', '--template-file', file('base.yaml', BASE), '--stack-name', 'cli-base'));
    const sharedArn = (await outputsOf('cli-base')).SharedArn;
    expect(sharedArn).toMatch(/^arn:aws:sqs:us-east-1:000000000000:cli-base-Shared-[A-Za-z0-9]{12}$/);

    const app = file('app.yaml', APP);
    ok(await cli('cloudformation', 'deploy', '--template-file', app, '--stack-name', 'cli-app', '--capabilities', 'CAPABILITY_AUTO_EXPAND'));

    const dev = await outputsOf('cli-app');
    expect(dev.QueueUrl).toMatch(/\/000000000000\/cli-app-dev$/);
    expect(dev.Values!.split(',')).toEqual(['dev-us-east-1-000000000000', 'cli-app-dev:small', 'y', 'not-prod', 'not-prod', 'neither', 'not-both', 'aGk=', 'us-east-1a', '10.0.2.0/24', sharedArn]);
    expect(await parameter('/cli-app/values')).toBe(dev.Values);
    expect(JSON.parse(dev.Json!)).toEqual({ names: ['a', 'b', 'c'], count: 3, queue: dev.QueueUrl });
    expect(dev.Json).toBe(`{"names":["a","b","c"],"count":3,"queue":"${dev.QueueUrl}"}`);
    expect(dev.Imported).toBe(sharedArn);
    expect(dev.ProdOnly).toBeUndefined();
    expect(await parameter('/cli-app/prod-only')).toBeUndefined();

    await new Promise((r) => setTimeout(r, 1100)); // the CLI names its change sets by the second
    ok(await cli('cloudformation', 'deploy', '--template-file', app, '--stack-name', 'cli-app', '--capabilities', 'CAPABILITY_AUTO_EXPAND', '--parameter-overrides', 'Env=prod', 'Names=a,b'));
    expect(await statusOf('cli-app')).toBe('UPDATE_COMPLETE');
    const prod = await outputsOf('cli-app');
    expect(prod.Values!.split(',')).toEqual(['prod-us-east-1-000000000000', 'cli-app-prod:large', 'y', 'prod', 'prod', 'prod-or-test', 'prod-and-a', 'aGk=', 'us-east-1a', '10.0.2.0/24', sharedArn]);
    expect(JSON.parse(prod.Json!)).toEqual({ names: ['a', 'b'], count: 2, queue: prod.QueueUrl });
    expect(prod.ProdOnly).toBe('/cli-app/prod-only');
    expect(await parameter('/cli-app/prod-only')).toBe('prod');
    // the queue's name changed: a new queue, the old one deleted
    expect(prod.QueueUrl).toMatch(/\/cli-app-prod$/);
    const queues = (await cli('sqs', 'list-queues', '--queue-name-prefix', 'cli-app')).json.QueueUrls;
    expect(queues).toEqual([prod.QueueUrl]);
  });

  it('an export in use cannot be deleted: the stack stays, AWS’s reason in its events; once the importer is gone it can', async () => {
    expect((await cli('cloudformation', 'list-imports', '--export-name', 'cli-base-SharedArn')).json.Imports).toEqual(['cli-app']);
    ok(await cli('cloudformation', 'delete-stack', '--stack-name', 'cli-base'));
    const reason = 'Export cli-base-SharedArn cannot be deleted as it is in use by cli-app';
    expect((await events('cli-base')).some((e) => e.ResourceStatusReason === reason)).toBe(true);
    // the status as it was, the reason on the stack too (what the CDK prints when destroy fails)
    expect((await cli('cloudformation', 'describe-stacks', '--stack-name', 'cli-base')).json.Stacks[0]).toMatchObject({ StackStatus: 'CREATE_COMPLETE', StackStatusReason: reason });
    expect((await cli('cloudformation', 'list-exports')).json.Exports.map((e: { Name: string }) => e.Name)).toContain('cli-base-SharedArn');

    ok(await cli('cloudformation', 'delete-stack', '--stack-name', 'cli-app'));
    ok(await cli('cloudformation', 'wait', 'stack-delete-complete', '--stack-name', 'cli-app'));
    expect(await parameter('/cli-app/values')).toBeUndefined();
    expect((await cli('cloudformation', 'list-imports', '--export-name', 'cli-base-SharedArn')).stderr).toContain("Export 'cli-base-SharedArn' is not imported by any stack.");
    ok(await cli('cloudformation', 'delete-stack', '--stack-name', 'cli-base'));
    ok(await cli('cloudformation', 'wait', 'stack-delete-complete', '--stack-name', 'cli-base'));
    expect((await cli('cloudformation', 'list-exports')).json.Exports).toEqual([]);
  });

  it('a stack whose resource fails rolls back: what it made removed, the reason in the events', async () => {
    const failed = await cli('cloudformation', 'deploy', '--template-file', file('bad.yaml', FAILING), '--stack-name', 'cli-bad');
    expect(failed.code).toBe(255);
    expect(failed.stderr).toContain('Failed to create/update the stack');
    expect(await statusOf('cli-bad')).toBe('ROLLBACK_COMPLETE');
    const all = await events('cli-bad');
    const failure = all.find((e) => e.LogicalResourceId === 'Bad' && e.ResourceStatus === 'CREATE_FAILED');
    expect(failure?.ResourceStatusReason).toContain('MessageRetentionPeriod');
    expect(all.some((e) => e.LogicalResourceId === 'Good' && e.ResourceStatus === 'DELETE_COMPLETE')).toBe(true);
    expect(all[0]).toMatchObject({ LogicalResourceId: 'cli-bad', ResourceStatus: 'ROLLBACK_COMPLETE' });
    expect(await parameter('/cli-bad/good')).toBeUndefined();
  });

  it('nested stacks: aws cloudformation package uploads the child, the parent deploys it from S3', async () => {
    ok(await cli('s3', 'mb', 's3://cli-templates'));
    file('child.yaml', CHILD);
    const packaged = join(dir, 'packaged.yaml');
    const env = { PATH: process.env.PATH ?? '', HOME: dir, LOCALSTACK_HOST: `127.0.0.1:${rt.port}` };
    const awslocal = ['cloudformation', 'package', '--template-file', file('parent.yaml', PARENT), '--s3-bucket', 'cli-templates', '--output-template-file', packaged];
    const pack = await new Promise<CliResult>((resolve) =>
      execFile(process.execPath, [join(ROOT, 'bin', 'awslocal.js'), ...awslocal], { env, timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      ),
    );
    ok(pack);
    expect(readFileSync(packaged, 'utf8')).toContain(`TemplateURL: http://127.0.0.1:${rt.port}/cli-templates/`);
    ok(await cli('cloudformation', 'deploy', '--template-file', packaged, '--stack-name', 'cli-parent'));

    const out = await outputsOf('cli-parent');
    expect(out.ChildParam).toBe('/cli-parent/child');
    const child = (await cli('cloudformation', 'describe-stacks', '--stack-name', out.ChildId!)).json.Stacks[0];
    expect(child).toMatchObject({ StackStatus: 'CREATE_COMPLETE', ParentId: expect.stringContaining(':stack/cli-parent/'), RootId: expect.stringContaining(':stack/cli-parent/') });
    expect(await parameter('/cli-parent/child')).toBe(`made by ${child.StackName}`);

    ok(await cli('cloudformation', 'delete-stack', '--stack-name', 'cli-parent'));
    ok(await cli('cloudformation', 'wait', 'stack-delete-complete', '--stack-name', 'cli-parent'));
    expect(await parameter('/cli-parent/child')).toBeUndefined();
    expect((await cli('cloudformation', 'describe-stacks', '--stack-name', out.ChildId!)).json.Stacks[0].StackStatus).toBe('DELETE_COMPLETE');
  });
});
