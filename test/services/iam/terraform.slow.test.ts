/**
 * IAM through the real Terraform and AWS provider (from the mirror in TFLOCAL_TEST_PLUGIN_DIR or
 * /opt/tf-plugins), driven by bin/tflocal.js against the real runtime: a role with a trust
 * policy and tags, a customer managed policy attached to it, an AWS managed policy attached,
 * an inline policy, an instance profile, a user in a group with an access key. Applied,
 * checked with @aws-sdk/client-iam, planned again (no changes: every attribute the provider
 * reads back matches what it wrote, documents included), then destroyed.
 * A missing Terraform fails the file under CI and skips it elsewhere.
 */
import { GetInstanceProfileCommand, GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolesCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { haveTerraform, PLUGIN_DIR, terraformProject, type TerraformProject } from '../../support/terraform.js';

const MAIN_TF = `terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com", "lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "app" {
  name                 = "tf-app"
  path                 = "/apps/"
  description          = "the app's role"
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = 7200
  tags                 = { Team = "platform" }
}

resource "aws_iam_policy" "read" {
  name        = "tf-read"
  description = "reads the bucket"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject", "s3:ListBucket"], Resource = ["arn:aws:s3:::tf-bucket", "arn:aws:s3:::tf-bucket/*"] }]
  })
}

resource "aws_iam_role_policy_attachment" "read" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.read.arn
}

resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.app.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_iam_role_policy" "inline" {
  name = "send"
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sqs:SendMessage", Resource = "*" }]
  })
}

resource "aws_iam_instance_profile" "app" {
  name = "tf-app"
  role = aws_iam_role.app.name
}

resource "aws_iam_user" "ci" {
  name = "tf-ci"
  tags = { Purpose = "ci" }
}

resource "aws_iam_group" "deployers" {
  name = "tf-deployers"
}

resource "aws_iam_group_membership" "deployers" {
  name  = "deployers"
  group = aws_iam_group.deployers.name
  users = [aws_iam_user.ci.name]
}

resource "aws_iam_access_key" "ci" {
  user = aws_iam_user.ci.name
}

output "role_arn" { value = aws_iam_role.app.arn }
output "key_id" { value = aws_iam_access_key.ci.id }
`;

describe.skipIf(!haveTerraform && !process.env.CI)(`IAM through the real terraform and AWS provider (mirror ${PLUGIN_DIR})`, { timeout: 300_000 }, () => {
  let rt: RuntimeProcess;
  let tf: TerraformProject | undefined;
  let iam: IAMClient;

  beforeAll(async () => {
    rt = await startRuntime();
    iam = new IAMClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
    tf = await terraformProject('tf-iam-', rt.endpoint, MAIN_TF);
  });
  afterAll(async () => {
    iam?.destroy();
    await rt?.stop();
    tf?.remove();
  });

  it('apply creates the role, its policies, the instance profile, the user, group and key', async () => {
    const apply = await tf!.run(['apply', '-auto-approve', '-input=false', '-no-color']);
    expect(apply.code, apply.out).toBe(0);
    expect(apply.out).toContain('Apply complete! Resources: 10 added');
    expect(apply.out).toContain('role_arn = "arn:aws:iam::000000000000:role/apps/tf-app"');
    const role = (await iam.send(new GetRoleCommand({ RoleName: 'tf-app' }))).Role!;
    expect(role).toMatchObject({ Description: "the app's role", MaxSessionDuration: 7200, Tags: [{ Key: 'Team', Value: 'platform' }] });
    const attached = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'tf-app' }))).AttachedPolicies!.map((p) => p.PolicyName).sort();
    expect(attached).toEqual(['AWSLambdaBasicExecutionRole', 'tf-read']);
    expect((await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'tf-app' }))).InstanceProfile!.Roles!.map((r) => r.RoleName)).toEqual(['tf-app']);
  });

  it('a second plan finds nothing to change', async () => {
    const plan = await tf!.run(['plan', '-detailed-exitcode', '-input=false', '-no-color']);
    // -detailed-exitcode: 0 no changes, 2 changes, 1 error
    expect(plan.code, plan.out).toBe(0);
    expect(plan.out).toContain('No changes.');
  });

  it('destroy removes everything', async () => {
    const destroy = await tf!.run(['destroy', '-auto-approve', '-input=false', '-no-color']);
    expect(destroy.code, destroy.out).toBe(0);
    expect(destroy.out).toContain('Destroy complete! Resources: 10 destroyed');
    expect((await iam.send(new ListRolesCommand({}))).Roles).toEqual([]);
    expect((await iam.send(new ListUsersCommand({}))).Users).toEqual([]);
  });
});
