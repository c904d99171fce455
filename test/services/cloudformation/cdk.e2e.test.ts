/**
 * The real AWS CDK CLI (aws-cdk from npm, a dev dependency) through bin/cdklocal.js against the
 * runtime process, with the TypeScript app of cdk-app/app.ts copied into a folder of its own
 * (its node_modules a link to this repository's, as a project with aws-cdk-lib installed; so
 * cdklocal finds the project's `cdk` there, not on PATH). `cdklocal bootstrap` makes the
 * CDKToolkit stack (bucket, ECR repository, roles, version parameter), `cdklocal deploy` uploads
 * the file asset and deploys the app's stack, whose resources are read back with the SDK clients;
 * `cdklocal diff` finds nothing to change, nor does a forced deploy; a deploy with another queue name replaces the
 * queue (the subscription and the role's policy follow it); `cdklocal destroy` removes it all.
 * A second app of two stacks (cdk-app/cross-stack.ts) goes through an export and an import.
 * The steps build on each other, in order. A missing aws-cdk fails the file under CI and skips
 * it elsewhere.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand, ListImportsCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { GetRoleCommand, GetRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetBucketVersioningCommand, GetObjectCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, ROOT, startRuntime, type RuntimeProcess } from '../../support/runtime.js';

const CDKLOCAL = join(ROOT, 'bin', 'cdklocal.js');
const APPS = join(ROOT, 'test', 'services', 'cloudformation', 'cdk-app');
const haveCdk = existsSync(join(ROOT, 'node_modules', '.bin', 'cdk')) && existsSync(join(ROOT, 'node_modules', 'aws-cdk-lib', 'package.json'));

const ACCOUNT = '000000000000';
const QUALIFIER = 'hnb659fds';
const ASSET_TEXT = 'hello from a CDK file asset\n';

interface Outputs {
  BucketName: string;
  TopicArn: string;
  QueueUrl: string;
  QueueArn: string;
  RoleName: string;
}

/**
 * A folder with the TypeScript app `file` of cdk-app/ as app.ts, as `cdk init` makes one (its
 * types stripped by esbuild rather than ts-node), its node_modules this repository's.
 */
function appFolder(file: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'cdk-e2e-'));
  symlinkSync(join(ROOT, 'node_modules'), join(folder, 'node_modules'));
  copyFileSync(join(APPS, file), join(folder, 'app.ts'));
  const app = 'node_modules/.bin/esbuild app.ts --format=cjs --platform=node --log-level=warning --outfile=app.js && node app.js';
  writeFileSync(join(folder, 'cdk.json'), JSON.stringify({ app }));
  return folder;
}

describe.skipIf(!haveCdk && !process.env.CI)('the AWS CDK CLI through cdklocal', { timeout: 300_000 }, () => {
  let rt: RuntimeProcess;
  let dir: string;
  let config: ReturnType<typeof clientConfig>;
  let deployed: Outputs;

  /** `cdklocal ARGS` in the app's folder; the output of both streams, for failure messages. */
  function cdklocal(args: string[], queueName = 'cdk-e2e-queue', cwd = dir): Promise<{ code: number; out: string }> {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: join(cwd, 'home'),
      // an IP address: no DNS lookup (S3 then path-style), the runtime's own port
      LOCALSTACK_HOSTNAME: '127.0.0.1',
      EDGE_PORT: String(rt.port),
      CDK_DISABLE_VERSION_CHECK: '1',
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      NO_COLOR: '1',
      QUEUE_NAME: queueName,
    };
    return new Promise((resolve) => {
      execFile(process.execPath, [CDKLOCAL, ...args, '--no-notices'], { cwd, env, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout + stderr });
      });
    });
  }

  /** The stack's outputs as `cdk deploy --outputs-file` wrote them. */
  function outputs(): Outputs {
    return (JSON.parse(readFileSync(join(dir, 'outputs.json'), 'utf8')) as Record<string, Outputs>).CdkE2e!;
  }

  async function failsWith(promise: Promise<unknown>, name: string): Promise<void> {
    await expect(promise).rejects.toMatchObject({ name });
  }

  beforeAll(async () => {
    rt = await startRuntime();
    config = clientConfig(rt.endpoint);
    dir = appFolder('app.ts');
    writeFileSync(join(dir, 'asset.txt'), ASSET_TEXT);
  });

  afterAll(async () => {
    await rt?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('cdklocal bootstrap makes the CDKToolkit stack: asset bucket, container repository, roles, version parameter', async () => {
    const r = await cdklocal(['bootstrap', `aws://${ACCOUNT}/us-east-1`]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('Environment aws://000000000000/us-east-1 bootstrapped');

    const cfn = new CloudFormationClient(config);
    const toolkit = (await cfn.send(new DescribeStacksCommand({ StackName: 'CDKToolkit' }))).Stacks![0]!;
    expect(toolkit.StackStatus).toBe('CREATE_COMPLETE');
    const out = Object.fromEntries(toolkit.Outputs!.map((o) => [o.OutputKey, o.OutputValue]));
    expect(out.BucketName).toBe(`cdk-${QUALIFIER}-assets-${ACCOUNT}-us-east-1`);

    const version = (await new SSMClient(config).send(new GetParameterCommand({ Name: `/cdk-bootstrap/${QUALIFIER}/version` }))).Parameter!;
    expect(Number(version.Value)).toBeGreaterThanOrEqual(20);
    expect(out.BootstrapVersion).toBe(version.Value);
    await new S3Client({ ...config, forcePathStyle: true }).send(new HeadBucketCommand({ Bucket: out.BucketName }));
    const repos = await new ECRClient(config).send(new DescribeRepositoriesCommand({ repositoryNames: [`cdk-${QUALIFIER}-container-assets-${ACCOUNT}-us-east-1`] }));
    expect(repos.repositories).toHaveLength(1);
    const iam = new IAMClient(config);
    const execRole = (await iam.send(new GetRoleCommand({ RoleName: `cdk-${QUALIFIER}-cfn-exec-role-${ACCOUNT}-us-east-1` }))).Role!;
    expect(decodeURIComponent(execRole.AssumeRolePolicyDocument!)).toContain('cloudformation.amazonaws.com');
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: execRole.RoleName }));
    expect(attached.AttachedPolicies).toEqual([{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }]);
    for (const kind of ['deploy-role', 'file-publishing-role', 'image-publishing-role', 'lookup-role']) {
      await iam.send(new GetRoleCommand({ RoleName: `cdk-${QUALIFIER}-${kind}-${ACCOUNT}-us-east-1` }));
    }
  });

  it('cdklocal deploy uploads the asset and makes every resource of the app as written', async () => {
    const r = await cdklocal(['deploy', '--require-approval', 'never', '--outputs-file', 'outputs.json']);
    expect(r.code, r.out).toBe(0);
    deployed = outputs();

    const cfn = new CloudFormationClient(config);
    expect((await cfn.send(new DescribeStacksCommand({ StackName: 'CdkE2e' }))).Stacks![0]!.StackStatus).toBe('CREATE_COMPLETE');
    const resources = (await cfn.send(new ListStackResourcesCommand({ StackName: 'CdkE2e' }))).StackResourceSummaries!;
    expect(new Set(resources.map((s) => s.ResourceStatus))).toEqual(new Set(['CREATE_COMPLETE']));
    expect(resources.map((s) => s.ResourceType).sort()).toEqual(
      ['AWS::CDK::Metadata', 'AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::S3::Bucket', 'AWS::SNS::Subscription', 'AWS::SNS::Topic', 'AWS::SQS::Queue', 'AWS::SQS::QueuePolicy', 'AWS::SSM::Parameter', 'AWS::SSM::Parameter'].sort(),
    );

    // the bucket, versioned; the asset in the bootstrap's bucket where the parameter says
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: deployed.BucketName }))).Status).toBe('Enabled');
    const ssm = new SSMClient(config);
    const location = (await ssm.send(new GetParameterCommand({ Name: '/cdk-e2e/asset' }))).Parameter!.Value!;
    const [assetBucket, ...key] = location.split('/');
    expect(assetBucket).toBe(`cdk-${QUALIFIER}-assets-${ACCOUNT}-us-east-1`);
    const object = await s3.send(new GetObjectCommand({ Bucket: assetBucket, Key: key.join('/') }));
    expect(await object.Body!.transformToString()).toBe(ASSET_TEXT);
    expect((await ssm.send(new GetParameterCommand({ Name: '/cdk-e2e/setting' }))).Parameter).toMatchObject({ Value: 'on', Type: 'String' });

    // the queue, subscribed to the topic: a message published arrives in the SNS envelope
    const sqs = new SQSClient(config);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'cdk-e2e-queue' }))).QueueUrl).toBe(deployed.QueueUrl);
    const attributes = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: deployed.QueueUrl, AttributeNames: ['All'] }))).Attributes!;
    expect(attributes).toMatchObject({ QueueArn: deployed.QueueArn, VisibilityTimeout: '45' });
    expect(JSON.parse(attributes.Policy!).Statement[0]).toMatchObject({ Action: 'sqs:SendMessage', Principal: { Service: 'sns.amazonaws.com' } });
    await expectDelivery(deployed);

    // the role: trust, the AWS managed policy attached, its inline policy and the DefaultPolicy
    const iam = new IAMClient(config);
    const role = (await iam.send(new GetRoleCommand({ RoleName: deployed.RoleName }))).Role!;
    expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!)).Statement[0].Principal).toEqual({ Service: 'lambda.amazonaws.com' });
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role.RoleName }))).AttachedPolicies).toEqual([
      { PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' },
    ]);
    const inline = (await iam.send(new ListRolePoliciesCommand({ RoleName: role.RoleName }))).PolicyNames!;
    expect(inline).toContain('ReadBucket');
    expect(inline.find((n) => n.startsWith('RoleDefaultPolicy'))).toBeDefined();
    const read = await iam.send(new GetRolePolicyCommand({ RoleName: role.RoleName, PolicyName: 'ReadBucket' }));
    expect(JSON.parse(decodeURIComponent(read.PolicyDocument!)).Statement[0]).toMatchObject({ Action: 's3:GetObject', Resource: `arn:aws:s3:::${deployed.BucketName}/*` });
    expect(await defaultPolicyResource(deployed.RoleName)).toBe(deployed.QueueArn);
  });

  it('cdklocal diff finds no differences; a forced deploy of the same app changes nothing', async () => {
    const r = await cdklocal(['diff', '--fail']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('There were no differences');
    // the empty change set FAILED with AWS's reason, which the CDK reads as "no changes" and
    // deletes: the next deploy's clean-up then deletes a change set that is no longer there
    const forced = await cdklocal(['deploy', '--force', '--require-approval', 'never']);
    expect(forced.code, forced.out).toBe(0);
    expect(forced.out).toContain('CloudFormation reported that the deployment would not make any changes');
    expect(forced.out).toContain('CdkE2e (no changes)');
    const stack = (await new CloudFormationClient(config).send(new DescribeStacksCommand({ StackName: 'CdkE2e' }))).Stacks![0]!;
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
  });

  it('a deploy that renames the queue replaces it; the subscription and the role policy follow', async () => {
    const r = await cdklocal(['deploy', '--require-approval', 'never', '--outputs-file', 'outputs.json'], 'cdk-e2e-renamed');
    expect(r.code, r.out).toBe(0);
    const updated = outputs();
    expect(updated.QueueUrl).not.toBe(deployed.QueueUrl);
    expect(updated.QueueArn).toMatch(/:cdk-e2e-renamed$/);
    expect({ ...updated, QueueUrl: '', QueueArn: '' }).toEqual({ ...deployed, QueueUrl: '', QueueArn: '' });

    const cfn = new CloudFormationClient(config);
    expect((await cfn.send(new DescribeStacksCommand({ StackName: 'CdkE2e' }))).Stacks![0]!.StackStatus).toBe('UPDATE_COMPLETE');
    const sqs = new SQSClient(config);
    await failsWith(sqs.send(new GetQueueUrlCommand({ QueueName: 'cdk-e2e-queue' })), 'QueueDoesNotExist');
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'cdk-e2e-renamed' }))).QueueUrl).toBe(updated.QueueUrl);
    const subscriptions = (await new SNSClient(config).send(new ListSubscriptionsByTopicCommand({ TopicArn: updated.TopicArn }))).Subscriptions!;
    expect(subscriptions.map((s) => [s.Protocol, s.Endpoint])).toEqual([['sqs', updated.QueueArn]]);
    await expectDelivery(updated);
    expect(await defaultPolicyResource(updated.RoleName)).toBe(updated.QueueArn);
    deployed = updated;
  });

  it('cdklocal destroy removes the stack and everything it made', async () => {
    const r = await cdklocal(['destroy', '--force'], 'cdk-e2e-renamed');
    expect(r.code, r.out).toBe(0);
    await failsWith(new CloudFormationClient(config).send(new DescribeStacksCommand({ StackName: 'CdkE2e' })), 'ValidationError');
    await failsWith(new S3Client({ ...config, forcePathStyle: true }).send(new HeadBucketCommand({ Bucket: deployed.BucketName })), 'NotFound');
    await failsWith(new SQSClient(config).send(new GetQueueUrlCommand({ QueueName: 'cdk-e2e-renamed' })), 'QueueDoesNotExist');
    await failsWith(new SNSClient(config).send(new GetTopicAttributesCommand({ TopicArn: deployed.TopicArn })), 'NotFoundException');
    await failsWith(new IAMClient(config).send(new GetRoleCommand({ RoleName: deployed.RoleName })), 'NoSuchEntityException');
    for (const name of ['/cdk-e2e/asset', '/cdk-e2e/setting']) {
      await failsWith(new SSMClient(config).send(new GetParameterCommand({ Name: name })), 'ParameterNotFound');
    }
    // the bootstrap stays, as with AWS
    expect((await new CloudFormationClient(config).send(new DescribeStacksCommand({ StackName: 'CDKToolkit' }))).Stacks![0]!.StackStatus).toBe('CREATE_COMPLETE');
  });

  it('two stacks, one using the other’s topic: deploy --all through an export, destroy --all in reverse', async () => {
    const two = appFolder('cross-stack.ts');
    try {
      const deployed = await cdklocal(['deploy', '--all', '--require-approval', 'never'], undefined, two);
      expect(deployed.code, deployed.out).toBe(0);
      const cfn = new CloudFormationClient(config);
      const producer = (await cfn.send(new DescribeStacksCommand({ StackName: 'Producer' }))).Stacks![0]!;
      const exported = producer.Outputs!.find((o) => o.ExportName !== undefined)!;
      expect(exported.OutputValue).toMatch(/^arn:aws:sns:us-east-1:000000000000:Producer-Topic/);
      expect((await cfn.send(new ListImportsCommand({ ExportName: exported.ExportName }))).Imports).toEqual(['Consumer']);
      expect((await new SSMClient(config).send(new GetParameterCommand({ Name: '/cdk-e2e/producer-topic' }))).Parameter!.Value).toBe(exported.OutputValue);

      const destroyed = await cdklocal(['destroy', '--all', '--force'], undefined, two);
      expect(destroyed.code, destroyed.out).toBe(0);
      for (const name of ['Consumer', 'Producer']) await failsWith(cfn.send(new DescribeStacksCommand({ StackName: name })), 'ValidationError');
      await failsWith(new SNSClient(config).send(new GetTopicAttributesCommand({ TopicArn: exported.OutputValue })), 'NotFoundException');
    } finally {
      rmSync(two, { recursive: true, force: true });
    }
  });

  /** A message published to the topic arrives in the queue, in SNS's envelope. */
  async function expectDelivery(out: Outputs): Promise<void> {
    const text = `through ${out.QueueArn}`;
    await new SNSClient(config).send(new PublishCommand({ TopicArn: out.TopicArn, Message: text }));
    const received = await new SQSClient(config).send(new ReceiveMessageCommand({ QueueUrl: out.QueueUrl, WaitTimeSeconds: 5 }));
    expect(received.Messages).toHaveLength(1);
    expect(JSON.parse(received.Messages![0]!.Body!)).toMatchObject({ Type: 'Notification', TopicArn: out.TopicArn, Message: text });
  }

  /** The Resource of the role's DefaultPolicy (the CDK's AWS::IAM::Policy for grants). */
  async function defaultPolicyResource(roleName: string): Promise<unknown> {
    const iam = new IAMClient(config);
    const name = (await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames!.find((n) => n.startsWith('RoleDefaultPolicy'))!;
    const document = JSON.parse(decodeURIComponent((await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }))).PolicyDocument!));
    return document.Statement[0].Resource;
  }
});
