/**
 * IAM through boto3, as Python users and tools drive it: boto3 decodes the URL-encoded policy
 * documents into dicts (botocore's json_decode_policies), so an encoding AWS would not write
 * shows up here; paginators follow Marker/IsTruncated; modelled errors are raised as their
 * exception classes; a key IAM created acts as its user through boto3's STS client.
 * A missing boto3 fails the test outside local runs (npm test installs it).
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { havePython } from '../../support/python.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(async () => {
  await rt?.stop();
});

const SCRIPT = `
import json, os, boto3
kw = dict(endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
iam = boto3.client('iam', **kw)
trust = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': {'Service': 'lambda.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]}
role = iam.create_role(RoleName='py-role', AssumeRolePolicyDocument=json.dumps(trust), Path='/py/')['Role']
inline = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': ['s3:GetObject'], 'Resource': 'arn:aws:s3:::b/a b (1)/*'}]}
iam.put_role_policy(RoleName='py-role', PolicyName='inline', PolicyDocument=json.dumps(inline))
iam.attach_role_policy(RoleName='py-role', PolicyArn='arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')
for i in range(5):
    iam.create_user(UserName='py-user-%d' % i)
users = [u['UserName'] for page in iam.get_paginator('list_users').paginate(PaginationConfig={'PageSize': 2}) for u in page['Users']]
try:
    iam.get_role(RoleName='missing')
    error = None
except iam.exceptions.NoSuchEntityException as e:
    error = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
key = iam.create_access_key(UserName='py-user-0')['AccessKey']
sts = boto3.client('sts', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1', aws_access_key_id=key['AccessKeyId'], aws_secret_access_key=key['SecretAccessKey'])
basic = iam.get_policy_version(PolicyArn='arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', VersionId='v1')['PolicyVersion']['Document']
print(json.dumps({
  'trust': iam.get_role(RoleName='py-role')['Role']['AssumeRolePolicyDocument'],
  'arn': role['Arn'],
  'inline': iam.get_role_policy(RoleName='py-role', PolicyName='inline')['PolicyDocument'],
  'attached': iam.list_attached_role_policies(RoleName='py-role')['AttachedPolicies'],
  'users': users,
  'error': error,
  'caller': sts.get_caller_identity()['Arn'],
  'basic': basic['Statement'][0]['Effect'],
}))
`;

describe.skipIf(!havePython('boto3') && !process.env.CI)('IAM through boto3', () => {
  it('documents decode to dicts, paginators page, errors are modelled, keys act as their user', async () => {
    const out = await new Promise<string>((resolve, reject) =>
      execFile('python3', ['-c', SCRIPT], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ENDPOINT: rt.endpoint, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' }, timeout: 60_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    const result = JSON.parse(out) as Record<string, unknown>;
    expect(result).toEqual({
      trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      arn: 'arn:aws:iam::000000000000:role/py/py-role',
      inline: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/a b (1)/*' }] },
      attached: [{ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }],
      users: ['py-user-0', 'py-user-1', 'py-user-2', 'py-user-3', 'py-user-4'],
      error: ['NoSuchEntity', 'The role with name missing cannot be found.', 404],
      caller: 'arn:aws:iam::000000000000:user/py-user-0',
      basic: 'Allow',
    });
  });
});
