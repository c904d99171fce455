/**
 * ECR through the real AWS CLI (json 1.1, botocore's parser): the commands users type
 * (`create-repository`, `describe-repositories`, `put-lifecycle-policy`, `get-login-password`,
 * `get-authorization-token`, `delete-repository --force`) and an error as the CLI reports it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../../support/aws-cli.js';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime({ env: { LOCALSTACK_HOST: 'localhost.localstack.cloud:4566' } });
});
afterAll(async () => {
  await rt?.stop();
});

describe('ecr through the AWS CLI', () => {
  it('creates, describes, sets a lifecycle policy, logs in, deletes; an error as the CLI reports it', { timeout: 120_000 }, async () => {
    const created = await aws(rt.endpoint, ['ecr', 'create-repository', '--repository-name', 'cli/app', '--image-scanning-configuration', 'scanOnPush=true']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json.repository).toMatchObject({ repositoryName: 'cli/app', repositoryUri: '000000000000.dkr.ecr.us-east-1.localhost.localstack.cloud:4566/cli/app', imageScanningConfiguration: { scanOnPush: true } });
    const described = await aws(rt.endpoint, ['ecr', 'describe-repositories', '--repository-names', 'cli/app']);
    expect((described.json.repositories as { repositoryArn: string }[])[0]!.repositoryArn).toBe('arn:aws:ecr:us-east-1:000000000000:repository/cli/app');
    const policy = JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } }] });
    const put = await aws(rt.endpoint, ['ecr', 'put-lifecycle-policy', '--repository-name', 'cli/app', '--lifecycle-policy-text', policy]);
    expect(put.code, put.stderr).toBe(0);
    // what `docker login --password-stdin` is fed: the token's password, decoded by the CLI
    const password = await aws(rt.endpoint, ['ecr', 'get-login-password']);
    expect(password.code, password.stderr).toBe(0);
    const token = await aws(rt.endpoint, ['ecr', 'get-authorization-token']);
    const data = (token.json.authorizationData as { authorizationToken: string; proxyEndpoint: string }[])[0]!;
    expect(Buffer.from(data.authorizationToken, 'base64').toString().startsWith('AWS:')).toBe(true);
    expect(password.stdout.trim().length).toBeGreaterThan(20);
    expect(data.proxyEndpoint).toBe('http://000000000000.dkr.ecr.us-east-1.localhost.localstack.cloud:4566');
    expect((await aws(rt.endpoint, ['ecr', 'delete-repository', '--repository-name', 'cli/app', '--force'])).code).toBe(0);
    const missing = await aws(rt.endpoint, ['ecr', 'describe-repositories', '--repository-names', 'cli/app']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("An error occurred (RepositoryNotFoundException) when calling the DescribeRepositories operation: The repository with name 'cli/app' does not exist in the registry with id '000000000000'");
  });
});
