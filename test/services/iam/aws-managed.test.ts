/**
 * The AWS managed policies IAM ships (aws-managed-policies.generated.json, from
 * scripts/generate-aws-managed-policies.mjs): the ones CDK, SAM and Terraform modules attach
 * are there under their real ARNs, every document is a valid identity policy by AWS's grammar
 * (runtime/aws/policies.ts: what the simulator will evaluate), ids are stable.
 */
import { describe, expect, it } from 'vitest';
import { awsManagedCatalog } from '../../../runtime/services/iam/aws-managed.js';
import { policyError } from '../../../runtime/aws/policies.js';

const REQUIRED = [
  'AdministratorAccess', 'ReadOnlyAccess', 'PowerUserAccess', 'IAMFullAccess', 'AmazonS3FullAccess', 'AmazonS3ReadOnlyAccess',
  'AmazonSQSFullAccess', 'AmazonSNSFullAccess', 'AmazonDynamoDBFullAccess', 'AWSLambda_FullAccess', 'service-role/AWSLambdaBasicExecutionRole',
  'service-role/AWSLambdaVPCAccessExecutionRole', 'service-role/AWSLambdaSQSQueueExecutionRole', 'service-role/AWSLambdaDynamoDBExecutionRole',
  'AWSXRayDaemonWriteAccess', 'CloudWatchLogsFullAccess', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonSSMReadOnlyAccess', 'SecretsManagerReadWrite',
  'AWSCloudFormationFullAccess', 'service-role/AmazonAPIGatewayPushToCloudWatchLogs', 'service-role/AWSAppSyncPushToCloudWatchLogs',
  'AWSStepFunctionsFullAccess', 'AmazonKinesisFullAccess', 'AmazonEventBridgeFullAccess', 'CloudWatchFullAccess',
];

describe('AWS managed policies', () => {
  const catalog = awsManagedCatalog();

  it('has the policies CDK, SAM and Terraform modules attach, under their real ARNs', () => {
    for (const name of REQUIRED) {
      const policy = catalog.get(`arn:aws:iam::aws:policy/${name}`);
      expect(policy, name).toBeDefined();
      expect(policy!.DefaultVersionId).toMatch(/^v\d+$/);
      expect(Date.parse(policy!.UpdateDate)).toBeGreaterThanOrEqual(Date.parse(policy!.CreateDate));
    }
    // another partition names the same policy
    expect(catalog.get('arn:aws-cn:iam::aws:policy/AdministratorAccess')?.PolicyName).toBe('AdministratorAccess');
    expect(catalog.get('arn:aws:iam::aws:policy/NoSuchPolicy')).toBeUndefined();
    expect(catalog.get('arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole')).toBeUndefined();
  });

  it('every document is a valid identity policy; ids are ANPA + 17 and unique', () => {
    const all = catalog.all();
    expect(all.length).toBeGreaterThanOrEqual(REQUIRED.length);
    for (const p of all) {
      expect(policyError(p.Document, 'identity'), p.PolicyName).toBeUndefined();
      expect(p.arn).toBe(`arn:aws:iam::aws:policy${p.Path}${p.PolicyName}`);
    }
    const ids = all.map((p) => p.id);
    expect(ids.every((id) => /^ANPA[A-Z2-7]{17}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(awsManagedCatalog().get('arn:aws:iam::aws:policy/AdministratorAccess')!.id).toBe(catalog.get('arn:aws:iam::aws:policy/AdministratorAccess')!.id);
  });
});
