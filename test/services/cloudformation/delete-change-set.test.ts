/**
 * DeleteChangeSet by name, on a stack that exists, of a change set that does not: no error,
 * as AWS answers (the CDK deletes `cdk-deploy-change-set` before each deploy of an existing
 * stack, and says so: "the delete request is successful as long as the stack exists"). By ARN,
 * or on a stack that does not exist, still AWS's errors. On the stand-in template language
 * (harness.ts), in a runtime in this process.
 */
import { CloudFormationClient, CreateStackCommand, DeleteChangeSetCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';
import { expectSdkError } from '../../support/sdk-error.js';
import { registry, template } from './harness.js';

let cfn: CloudFormationClient;
withInProcessRuntime(registry(), (endpoint) => {
  cfn = new CloudFormationClient({ ...clientConfig(endpoint), maxAttempts: 1 });
});

describe('DeleteChangeSet of a change set that does not exist', () => {
  it('by name on an existing stack: success; by ARN or on no stack: AWS’s errors', async () => {
    const { StackId } = await cfn.send(new CreateStackCommand({ StackName: 'dcs', TemplateBody: template({ P: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/dcs/p', Type: 'String', Value: 'v' } } }) }));
    const answer = await cfn.send(new DeleteChangeSetCommand({ StackName: 'dcs', ChangeSetName: 'cdk-deploy-change-set' }));
    expect(answer.$metadata.httpStatusCode).toBe(200);
    await cfn.send(new DeleteChangeSetCommand({ StackName: StackId, ChangeSetName: 'cdk-deploy-change-set' }));
    const arn = StackId!.replace(':stack/', ':changeSet/').replace(/\/dcs\//, '/cdk-deploy-change-set/');
    await expectSdkError(cfn.send(new DeleteChangeSetCommand({ ChangeSetName: arn })), 'ChangeSetNotFoundException', `ChangeSet [${arn}] does not exist`, 404);
    await expectSdkError(cfn.send(new DeleteChangeSetCommand({ StackName: 'nope', ChangeSetName: 'cdk-deploy-change-set' })), 'ValidationError', /\bnope\b.*does not exist/);
  });
});
