/**
 * S3 through the real Terraform and AWS provider (from the mirror in TFLOCAL_TEST_PLUGIN_DIR or
 * /opt/tf-plugins), driven by bin/tflocal.js against the real runtime: aws_s3_bucket,
 * aws_s3_bucket_versioning and aws_s3_object applied, checked with @aws-sdk/client-s3, planned
 * again (no changes: every attribute the provider reads back matches), then destroyed.
 *
 * The provider reads many bucket subresources when it refreshes a bucket (policy, ACL, CORS,
 * website, versioning, accelerate, request payment, logging, lifecycle, replication,
 * encryption, object lock, tagging): each must answer as S3 does, configured or not.
 * A missing Terraform fails the file under CI and skips it elsewhere.
 */
import { GetBucketVersioningCommand, GetObjectCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { haveTerraform, PLUGIN_DIR, terraformProject, type TerraformProject } from '../../support/terraform.js';
import { sdkError } from '../../support/sdk-error.js';

const MAIN_TF = `terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

resource "aws_s3_bucket" "b" {
  bucket = "tf-bucket"
  tags = { Team = "storage" }
}

resource "aws_s3_bucket_versioning" "b" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_object" "o" {
  bucket       = aws_s3_bucket.b.id
  key          = "config/app.json"
  content      = jsonencode({ hello = "terraform" })
  content_type = "application/json"
  depends_on   = [aws_s3_bucket_versioning.b]
}

output "etag" { value = aws_s3_object.o.etag }
output "version" { value = aws_s3_object.o.version_id }
`;

describe.skipIf(!haveTerraform && !process.env.CI)(`S3 through the real terraform and AWS provider (mirror ${PLUGIN_DIR})`, { timeout: 300_000 }, () => {
  let rt: RuntimeProcess;
  let tf: TerraformProject | undefined;
  let s3: S3Client;

  beforeAll(async () => {
    rt = await startRuntime();
    s3 = new S3Client({ ...clientConfig(rt.endpoint), forcePathStyle: true, maxAttempts: 1 });
    tf = await terraformProject('tf-s3-', rt.endpoint, MAIN_TF);
  });
  afterAll(async () => {
    s3?.destroy();
    await rt?.stop();
    tf?.remove();
  });

  it('apply creates the bucket, its versioning and the object', async () => {
    const apply = await tf!.run(['apply', '-auto-approve', '-input=false', '-no-color']);
    expect(apply.code, apply.out).toBe(0);
    expect(apply.out).toContain('Apply complete! Resources: 3 added');
    const object = await s3.send(new GetObjectCommand({ Bucket: 'tf-bucket', Key: 'config/app.json' }));
    expect(await object.Body!.transformToString()).toBe('{"hello":"terraform"}');
    expect(object.ContentType).toBe('application/json');
    expect(apply.out).toContain(`etag = ${JSON.stringify(object.ETag!.replace(/"/g, ''))}`);
    expect(apply.out).toContain(`version = ${JSON.stringify(object.VersionId)}`);
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'tf-bucket' }))).Status).toBe('Enabled');
  });

  it('a second plan finds nothing to change (every subresource reads back as applied)', async () => {
    const plan = await tf!.run(['plan', '-detailed-exitcode', '-input=false', '-no-color']);
    // -detailed-exitcode: 0 no changes, 2 changes, 1 error
    expect(plan.code, plan.out).toBe(0);
    expect(plan.out).toContain('No changes.');
  });

  it('destroy removes the object and the bucket', async () => {
    const destroy = await tf!.run(['destroy', '-auto-approve', '-input=false', '-no-color']);
    expect(destroy.code, destroy.out).toBe(0);
    expect(destroy.out).toContain('Destroy complete! Resources: 3 destroyed');
    const gone = await sdkError(s3.send(new HeadBucketCommand({ Bucket: 'tf-bucket' })));
    expect(gone.status).toBe(404);
  });
});
