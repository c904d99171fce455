/**
 * Rollback disabled (the CDK's `--no-rollback`): a failed create stays CREATE_FAILED with what it
 * made, a failed update stays UPDATE_FAILED; either is fixed by the next update or undone by
 * RollbackStack; ContinueUpdateRollback only from UPDATE_ROLLBACK_FAILED. On the stand-in
 * template language (harness.ts), in a runtime in this process.
 */
import {
  CloudFormationClient,
  ContinueUpdateRollbackCommand,
  CreateStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  RollbackStackCommand,
  UpdateStackCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { clientConfig, withInProcessRuntime } from '../../support/runtime.js';
import { expectSdkError, sdkError } from '../../support/sdk-error.js';
import { registry, template } from './harness.js';

let cfn: CloudFormationClient;
let ssm: SSMClient;
withInProcessRuntime(registry(), (endpoint) => {
  cfn = new CloudFormationClient({ ...clientConfig(endpoint), maxAttempts: 1 });
  ssm = new SSMClient({ ...clientConfig(endpoint), maxAttempts: 1 });
});

const param = (name: string, value = 'v') => ({ Type: 'AWS::SSM::Parameter', Properties: { Name: name, Type: 'String', Value: value } });
const bad = { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: 10000 } };

async function settled(name: string): Promise<Stack> {
  for (;;) {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;
    if (!stack.StackStatus!.endsWith('_IN_PROGRESS')) return stack;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function value(name: string): Promise<string | undefined> {
  try {
    return (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
  } catch {
    return undefined;
  }
}

describe('rollback disabled', () => {
  it('a failed create stays CREATE_FAILED; the next update fixes it', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'fixme', DisableRollback: true, TemplateBody: template({ Good: param('/fix/good'), Bad: { ...bad, DependsOn: 'Good' } }) }));
    expect(await settled('fixme')).toMatchObject({ StackStatus: 'CREATE_FAILED', DisableRollback: true });
    expect(await value('/fix/good')).toBe('v');
    await cfn.send(new UpdateStackCommand({ StackName: 'fixme', TemplateBody: template({ Good: param('/fix/good'), Fixed: param('/fix/fixed') }) }));
    expect((await settled('fixme')).StackStatus).toBe('UPDATE_COMPLETE');
    expect(await value('/fix/fixed')).toBe('v');
    expect((await cfn.send(new ListStackResourcesCommand({ StackName: 'fixme' }))).StackResourceSummaries!.map((r) => [r.LogicalResourceId, r.ResourceStatus])).toEqual([['Fixed', 'CREATE_COMPLETE'], ['Good', 'CREATE_COMPLETE']]);
  });

  it('RollbackStack undoes a failed create: ROLLBACK_COMPLETE, what it made deleted', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'undo-create', OnFailure: 'DO_NOTHING', TemplateBody: template({ Good: param('/undo/good'), Bad: { ...bad, DependsOn: 'Good' } }) }));
    expect((await settled('undo-create')).StackStatus).toBe('CREATE_FAILED');
    await cfn.send(new RollbackStackCommand({ StackName: 'undo-create' }));
    expect((await settled('undo-create')).StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(await value('/undo/good')).toBeUndefined();
  });

  it('RollbackStack undoes a failed update: UPDATE_ROLLBACK_COMPLETE, the stack as it was', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'undo-update', TemplateBody: template({ P: param('/undo/p', 'one') }) }));
    expect((await settled('undo-update')).StackStatus).toBe('CREATE_COMPLETE');
    await cfn.send(new UpdateStackCommand({ StackName: 'undo-update', DisableRollback: true, TemplateBody: template({ P: param('/undo/p', 'two'), New: param('/undo/new'), Bad: { ...bad, DependsOn: ['P', 'New'] } }) }));
    expect((await settled('undo-update')).StackStatus).toBe('UPDATE_FAILED');
    expect(await value('/undo/p')).toBe('two');
    await cfn.send(new RollbackStackCommand({ StackName: 'undo-update' }));
    expect((await settled('undo-update')).StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(await value('/undo/p')).toBe('one');
    expect(await value('/undo/new')).toBeUndefined();
    expect((await cfn.send(new ListStackResourcesCommand({ StackName: 'undo-update' }))).StackResourceSummaries!.map((r) => r.LogicalResourceId)).toEqual(['P']);
  });

  it('refuses RollbackStack and ContinueUpdateRollback from states they do not apply to', async () => {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'undo-update' }))).Stacks![0]!;
    await expectSdkError(cfn.send(new RollbackStackCommand({ StackName: 'undo-update' })), 'ValidationError', `Stack:${stack.StackId} is in UPDATE_ROLLBACK_COMPLETE state and can not be rolled back.`);
    await expectSdkError(cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'undo-update' })), 'ValidationError', `Stack:${stack.StackId} is in UPDATE_ROLLBACK_COMPLETE state and can not continue update rollback.`);
    expect((await sdkError(cfn.send(new RollbackStackCommand({ StackName: 'nope' })))).message).toBe('Stack with id nope does not exist');
  });
});
