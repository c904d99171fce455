/**
 * Run Command (recorded, no agent) and State Manager associations through @aws-sdk/client-ssm
 * against the real runtime: SendCommand, ListCommands, ListCommandInvocations,
 * GetCommandInvocation (and the CommandExecuted waiter), CancelCommand; CreateAssociation,
 * DescribeAssociation, ListAssociations, UpdateAssociation, DeleteAssociation.
 */
import {
  CancelCommandCommand,
  CreateAssociationCommand,
  CreateDocumentCommand,
  DeleteAssociationCommand,
  DeleteDocumentCommand,
  DescribeAssociationCommand,
  GetCommandInvocationCommand,
  ListAssociationsCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SendCommandCommand,
  SSMClient,
  UpdateAssociationCommand,
  UpdateDocumentCommand,
  waitUntilCommandExecuted,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectSdkError } from '../../support/sdk-error.js';

let rt: RuntimeProcess;
let ssm: SSMClient;

beforeAll(async () => {
  rt = await startRuntime();
  ssm = new SSMClient({ ...clientConfig(rt.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  await rt?.stop();
});

const I1 = 'i-0123456789abcdef0';
const I2 = 'i-0fedcba9876543210';

describe('SendCommand and its invocations', () => {
  it('records a command Pending at sending and finished at every later read', async () => {
    const { Command } = await ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: [I1, I2], Parameters: { commands: ['uptime'] }, Comment: 'check', TimeoutSeconds: 600 }));
    expect(Command).toMatchObject({ DocumentName: 'AWS-RunShellScript', Comment: 'check', Parameters: { commands: ['uptime'] }, InstanceIds: [I1, I2], Status: 'Pending', StatusDetails: 'Pending', TargetCount: 2, CompletedCount: 0, ErrorCount: 0, MaxConcurrency: '50', MaxErrors: '0', TimeoutSeconds: 600 });
    expect(Command!.CommandId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const CommandId = Command!.CommandId!;

    const { Commands } = await ssm.send(new ListCommandsCommand({ CommandId }));
    expect(Commands).toHaveLength(1);
    expect(Commands![0]).toMatchObject({ CommandId, Status: 'Success', StatusDetails: 'Success', TargetCount: 2, CompletedCount: 2 });

    const result = await waitUntilCommandExecuted({ client: ssm, maxWaitTime: 10 }, { CommandId, InstanceId: I1 });
    expect(result.state).toBe('SUCCESS');
    const invocation = await ssm.send(new GetCommandInvocationCommand({ CommandId, InstanceId: I2 }));
    expect(invocation).toMatchObject({ CommandId, InstanceId: I2, Comment: 'check', DocumentName: 'AWS-RunShellScript', PluginName: 'runShellScript', ResponseCode: 0, Status: 'Success', StatusDetails: 'Success', StandardOutputContent: '', StandardErrorContent: '' });
    expect(invocation.ExecutionStartDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const listed = await ssm.send(new ListCommandInvocationsCommand({ CommandId, Details: true }));
    expect(listed.CommandInvocations!.map((i) => [i.InstanceId, i.Status, i.CommandPlugins!.map((p) => [p.Name, p.Status, p.ResponseCode])])).toEqual([
      [I1, 'Success', [['runShellScript', 'Success', 0]]],
      [I2, 'Success', [['runShellScript', 'Success', 0]]],
    ]);
    const brief = await ssm.send(new ListCommandInvocationsCommand({ CommandId, InstanceId: I2 }));
    expect(brief.CommandInvocations!.map((i) => [i.InstanceId, i.CommandPlugins])).toEqual([[I2, []]]);

    expect(await ssm.send(new CancelCommandCommand({ CommandId }))).toBeDefined();
    expect((await ssm.send(new ListCommandsCommand({ CommandId }))).Commands![0]!.Status).toBe('Success');
  });

  it('uses the steps of the document as plugins, reaches instances named by Targets, and lists newest first', async () => {
    const content = JSON.stringify({ schemaVersion: '2.2', description: 'two steps', mainSteps: [{ action: 'aws:runShellScript', name: 'first', inputs: { runCommand: ['true'] } }, { action: 'aws:runShellScript', name: 'second', inputs: { runCommand: ['true'] } }] });
    await ssm.send(new CreateDocumentCommand({ Name: 'two-steps', Content: content, DocumentType: 'Command' }));
    const sent = await ssm.send(new SendCommandCommand({ DocumentName: 'two-steps', Targets: [{ Key: 'InstanceIds', Values: [I2] }] }));
    const CommandId = sent.Command!.CommandId!;
    expect(sent.Command).toMatchObject({ InstanceIds: [], Targets: [{ Key: 'InstanceIds', Values: [I2] }], TargetCount: 1 });
    expect((await ssm.send(new GetCommandInvocationCommand({ CommandId, InstanceId: I2, PluginName: 'second' }))).PluginName).toBe('second');
    await expectSdkError(ssm.send(new GetCommandInvocationCommand({ CommandId, InstanceId: I2, PluginName: 'third' })), 'InvalidPluginName');
    await expectSdkError(
      ssm.send(new GetCommandInvocationCommand({ CommandId, InstanceId: I1 })),
      'InvocationDoesNotExist',
      "The command id and instance id you specified didn't match any invocations. Verify the command id and the instance id and try again.",
    );

    const { Commands } = await ssm.send(new ListCommandsCommand({}));
    expect(Commands![0]!.CommandId).toBe(CommandId);
    expect((await ssm.send(new ListCommandsCommand({ InstanceId: I1 }))).Commands!.every((c) => c.InstanceIds!.includes(I1))).toBe(true);
    expect((await ssm.send(new ListCommandsCommand({ Filters: [{ key: 'DocumentName', value: 'two-steps' }] }))).Commands!.map((c) => c.CommandId)).toEqual([CommandId]);
    const page = await ssm.send(new ListCommandsCommand({ MaxResults: 1 }));
    expect(page.Commands!.map((c) => c.CommandId)).toEqual([CommandId]);
    const next = await ssm.send(new ListCommandsCommand({ MaxResults: 1, NextToken: page.NextToken }));
    expect(next.Commands![0]!.CommandId).not.toBe(CommandId);
  });

  it('answers AWS errors for documents and commands that do not exist, and keeps serving', async () => {
    await expectSdkError(ssm.send(new SendCommandCommand({ DocumentName: 'no-such-doc', InstanceIds: [I1] })), 'InvalidDocument', 'The specified document does not exist.');
    await expectSdkError(ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', DocumentVersion: '42', InstanceIds: [I1] })), 'InvalidDocumentVersion');
    await expectSdkError(ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: ['not-an-instance'] })), 'ValidationException');
    // parameters must fit the document's: none undeclared, every one without a default given
    await expectSdkError(ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: [I1] })), 'InvalidParameters');
    await expectSdkError(ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: [I1], Parameters: { commands: ['ls'], colour: ['red'] } })), 'InvalidParameters');
    const missing = '00000000-0000-4000-8000-000000000000';
    await expectSdkError(ssm.send(new ListCommandsCommand({ CommandId: missing })), 'InvalidCommandId');
    await expectSdkError(ssm.send(new GetCommandInvocationCommand({ CommandId: missing, InstanceId: I1 })), 'InvalidCommandId');
    await expectSdkError(ssm.send(new CancelCommandCommand({ CommandId: missing })), 'InvalidCommandId');
    expect((await ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunPowerShellScript', InstanceIds: [I1], Parameters: { commands: ['dir'] } }))).Command!.Status).toBe('Pending');
  });
});

describe('associations', () => {
  it('creates, describes, lists, updates (new versions) and deletes associations', async () => {
    const created = await ssm.send(new CreateAssociationCommand({ Name: 'AWS-RunPatchBaseline', Targets: [{ Key: 'InstanceIds', Values: [I1] }], Parameters: { Operation: ['Scan'] }, ScheduleExpression: 'rate(1 day)', AssociationName: 'nightly-scan' }));
    const d = created.AssociationDescription!;
    expect(d).toMatchObject({ Name: 'AWS-RunPatchBaseline', AssociationVersion: '1', Overview: { Status: 'Pending', DetailedStatus: 'Creating' }, DocumentVersion: '$DEFAULT', Parameters: { Operation: ['Scan'] }, Targets: [{ Key: 'InstanceIds', Values: [I1] }], ScheduleExpression: 'rate(1 day)', AssociationName: 'nightly-scan', ApplyOnlyAtCronInterval: false });
    expect(d.AssociationId).toMatch(/^[0-9a-f-]{36}$/);
    const AssociationId = d.AssociationId!;

    const described = await ssm.send(new DescribeAssociationCommand({ AssociationId }));
    expect(described.AssociationDescription).toMatchObject({ AssociationId, AssociationVersion: '1', Overview: { Status: 'Success' } });

    const updated = await ssm.send(new UpdateAssociationCommand({ AssociationId, ScheduleExpression: 'cron(0 2 ? * SUN *)', Parameters: { Operation: ['Install'] } }));
    expect(updated.AssociationDescription).toMatchObject({ AssociationVersion: '2', ScheduleExpression: 'cron(0 2 ? * SUN *)', Parameters: { Operation: ['Install'] }, AssociationName: 'nightly-scan' });
    await expectSdkError(ssm.send(new UpdateAssociationCommand({ AssociationId, AssociationVersion: '1', AssociationName: 'renamed' })), 'InvalidAssociationVersion');

    const legacy = await ssm.send(new CreateAssociationCommand({ Name: 'AWS-RunShellScript', InstanceId: I2, Parameters: { commands: ['date'] } }));
    expect(legacy.AssociationDescription).toMatchObject({ Name: 'AWS-RunShellScript', InstanceId: I2, Targets: [{ Key: 'InstanceIds', Values: [I2] }] });
    await expectSdkError(ssm.send(new CreateAssociationCommand({ Name: 'AWS-RunShellScript', InstanceId: I2, Parameters: { commands: ['date'] } })), 'AssociationAlreadyExists', 'The specified association already exists.');
    expect((await ssm.send(new DescribeAssociationCommand({ Name: 'AWS-RunShellScript', InstanceId: I2 }))).AssociationDescription!.AssociationId).toBe(legacy.AssociationDescription!.AssociationId);

    const all = await ssm.send(new ListAssociationsCommand({}));
    expect(all.Associations!.map((a) => a.AssociationId).sort()).toEqual([AssociationId, legacy.AssociationDescription!.AssociationId].sort());
    const byName = await ssm.send(new ListAssociationsCommand({ AssociationFilterList: [{ key: 'AssociationName', value: 'nightly-scan' }] }));
    expect(byName.Associations).toEqual([expect.objectContaining({ Name: 'AWS-RunPatchBaseline', AssociationId, AssociationVersion: '2', AssociationName: 'nightly-scan' })]);
    const byInstance = await ssm.send(new ListAssociationsCommand({ AssociationFilterList: [{ key: 'InstanceId', value: I1 }] }));
    expect(byInstance.Associations!.map((a) => a.AssociationId)).toEqual([AssociationId]);

    await ssm.send(new CreateDocumentCommand({ Name: 'associated-doc', Content: JSON.stringify({ schemaVersion: '2.2', description: 'a', mainSteps: [] }), DocumentType: 'Command' }));
    const held = await ssm.send(new CreateAssociationCommand({ Name: 'associated-doc', Targets: [{ Key: 'InstanceIds', Values: [I1] }] }));
    await expectSdkError(ssm.send(new DeleteDocumentCommand({ Name: 'associated-doc' })), 'AssociatedInstances', 'You must disassociate a document from all managed nodes before you can delete it.');
    await ssm.send(new DeleteAssociationCommand({ AssociationId: held.AssociationDescription!.AssociationId }));
    await ssm.send(new DeleteDocumentCommand({ Name: 'associated-doc' }));

    await ssm.send(new DeleteAssociationCommand({ AssociationId }));
    await expectSdkError(ssm.send(new DescribeAssociationCommand({ AssociationId })), 'AssociationDoesNotExist', 'The specified association does not exist.');
    await expectSdkError(ssm.send(new DeleteAssociationCommand({ AssociationId })), 'AssociationDoesNotExist');
  });

  it('checks the document and the schedule', async () => {
    await expectSdkError(ssm.send(new CreateAssociationCommand({ Name: 'no-such-doc', Targets: [{ Key: 'InstanceIds', Values: [I1] }] })), 'InvalidDocument');
    for (const ScheduleExpression of ['rate(10 minutes)', 'rate(1 days)', 'cron(nope)', 'cron(0 2 * * SUN *)', 'cron(0 2 * * *)', 'daily']) {
      await expectSdkError(
        ssm.send(new CreateAssociationCommand({ Name: 'AWS-RunShellScript', Targets: [{ Key: 'InstanceIds', Values: [I1] }], Parameters: { commands: ['date'] }, ScheduleExpression })),
        'InvalidSchedule',
        'The schedule is invalid. Verify your cron or rate expression and try again.',
      );
    }
    for (const ScheduleExpression of ['cron(0 0/30 * 1/1 * ? *)', 'cron(15 10 ? * MON-FRI *)', 'rate(2 hours)']) {
      await ssm.send(new CreateAssociationCommand({ Name: 'AWS-RunShellScript', Targets: [{ Key: 'tag:Env', Values: ['dev'] }], Parameters: { commands: ['date'] }, ScheduleExpression }));
    }
    const ok = await ssm.send(new CreateAssociationCommand({ Name: 'AWS-RunShellScript', Targets: [{ Key: 'tag:Env', Values: ['dev'] }], Parameters: { commands: ['date'] }, ScheduleExpression: 'rate(30 minutes)' }));
    await expectSdkError(ssm.send(new CreateAssociationCommand({ Name: 'AWS-RunShellScript', Targets: [{ Key: 'tag:Env', Values: ['dev'] }] })), 'InvalidParameters');
    await expectSdkError(ssm.send(new UpdateAssociationCommand({ AssociationId: ok.AssociationDescription!.AssociationId!, Parameters: { nope: ['x'] } })), 'InvalidParameters');
    await expectSdkError(ssm.send(new UpdateAssociationCommand({ AssociationId: ok.AssociationDescription!.AssociationId!, ScheduleExpression: 'rate(5 minutes)' })), 'InvalidSchedule');
    await expectSdkError(ssm.send(new UpdateAssociationCommand({ AssociationId: '00000000-0000-4000-8000-000000000000' })), 'AssociationDoesNotExist');
  });
});

describe('documents used by commands', () => {
  it('runs the default version unless a version is named', async () => {
    const v1 = JSON.stringify({ schemaVersion: '2.2', description: 'v1', mainSteps: [{ action: 'aws:runShellScript', name: 'one', inputs: { runCommand: ['true'] } }] });
    const v2 = JSON.stringify({ schemaVersion: '2.2', description: 'v2', mainSteps: [{ action: 'aws:runShellScript', name: 'two', inputs: { runCommand: ['true'] } }] });
    await ssm.send(new CreateDocumentCommand({ Name: 'versioned-run', Content: v1, DocumentType: 'Command' }));
    await ssm.send(new UpdateDocumentCommand({ Name: 'versioned-run', Content: v2, DocumentVersion: '$LATEST' }));
    const byDefault = (await ssm.send(new SendCommandCommand({ DocumentName: 'versioned-run', InstanceIds: [I1] }))).Command!.CommandId!;
    expect((await ssm.send(new GetCommandInvocationCommand({ CommandId: byDefault, InstanceId: I1 }))).PluginName).toBe('one');
    const latest = (await ssm.send(new SendCommandCommand({ DocumentName: 'versioned-run', DocumentVersion: '$LATEST', InstanceIds: [I1] }))).Command!;
    expect(latest.DocumentVersion).toBe('$LATEST');
    expect((await ssm.send(new GetCommandInvocationCommand({ CommandId: latest.CommandId, InstanceId: I1 }))).PluginName).toBe('two');
  });
});
