/**
 * PERSISTENCE=1 for SSM's operations resources: documents (versions, default, shares, tags),
 * maintenance windows (targets, tasks), patch baselines (patch groups, defaults), commands and
 * associations written in one runtime are read back, answer for answer, from the next one on
 * the same volume: after kill -9 (the journal) and after a clean stop (the snapshot). Names that
 * are members of Object.prototype are used as document names and patch groups.
 */
import {
  AddTagsToResourceCommand,
  CreateAssociationCommand,
  CreateDocumentCommand,
  CreateMaintenanceWindowCommand,
  CreatePatchBaselineCommand,
  DescribeDocumentCommand,
  DescribeDocumentPermissionCommand,
  DescribeMaintenanceWindowTargetsCommand,
  DescribeMaintenanceWindowTasksCommand,
  DescribePatchGroupsCommand,
  GetDefaultPatchBaselineCommand,
  GetDocumentCommand,
  GetMaintenanceWindowCommand,
  GetPatchBaselineCommand,
  ListAssociationsCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  ListDocumentVersionsCommand,
  ListTagsForResourceCommand,
  ModifyDocumentPermissionCommand,
  RegisterDefaultPatchBaselineCommand,
  RegisterPatchBaselineForPatchGroupCommand,
  RegisterTargetWithMaintenanceWindowCommand,
  RegisterTaskWithMaintenanceWindowCommand,
  SendCommandCommand,
  type SSMClient,
  UpdateDocumentCommand,
  UpdateDocumentDefaultVersionCommand,
} from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { ssm, start, volume } from '../../support/state.js';

const content = (n: number) => JSON.stringify({ schemaVersion: '2.2', description: `v${n}`, mainSteps: [{ action: 'aws:runShellScript', name: `step${n}`, inputs: { runCommand: ['true'] } }] });

interface Written {
  windowId: string;
  baselineId: string;
  commandId: string;
}

async function write(client: SSMClient): Promise<Written> {
  for (const name of ['persisted-doc', '__proto__']) {
    await client.send(new CreateDocumentCommand({ Name: name, Content: content(1), DocumentType: 'Command', VersionName: 'one', Tags: [{ Key: 'k', Value: name }] }));
    await client.send(new UpdateDocumentCommand({ Name: name, Content: content(2), DocumentVersion: '$LATEST' }));
    await client.send(new UpdateDocumentCommand({ Name: name, Content: `schemaVersion: '2.2'\ndescription: v3\nmainSteps: []\n`, DocumentFormat: 'YAML', DocumentVersion: '$LATEST' }));
  }
  await client.send(new UpdateDocumentDefaultVersionCommand({ Name: 'persisted-doc', DocumentVersion: '2' }));
  await client.send(new ModifyDocumentPermissionCommand({ Name: 'persisted-doc', PermissionType: 'Share', AccountIdsToAdd: ['111122223333'] }));

  const windowId = (await client.send(new CreateMaintenanceWindowCommand({ Name: 'persisted-window', Schedule: 'rate(7 days)', Duration: 2, Cutoff: 1, AllowUnassociatedTargets: false, Tags: [{ Key: 'w', Value: '1' }] }))).WindowId!;
  const { WindowTargetId } = await client.send(new RegisterTargetWithMaintenanceWindowCommand({ WindowId: windowId, ResourceType: 'INSTANCE', Targets: [{ Key: 'InstanceIds', Values: ['i-0123456789abcdef0'] }] }));
  await client.send(new RegisterTaskWithMaintenanceWindowCommand({ WindowId: windowId, TaskArn: 'persisted-doc', TaskType: 'RUN_COMMAND', Targets: [{ Key: 'WindowTargetIds', Values: [WindowTargetId!] }], MaxConcurrency: '1', MaxErrors: '1' }));

  const baselineId = (await client.send(new CreatePatchBaselineCommand({ Name: 'persisted-baseline', OperatingSystem: 'UBUNTU' }))).BaselineId!;
  for (const group of ['web', 'constructor']) await client.send(new RegisterPatchBaselineForPatchGroupCommand({ BaselineId: baselineId, PatchGroup: group }));
  await client.send(new RegisterDefaultPatchBaselineCommand({ BaselineId: baselineId }));
  await client.send(new AddTagsToResourceCommand({ ResourceType: 'PatchBaseline', ResourceId: baselineId, Tags: [{ Key: 'b', Value: '2' }] }));

  const commandId = (await client.send(new SendCommandCommand({ DocumentName: 'persisted-doc', InstanceIds: ['i-0123456789abcdef0'] }))).Command!.CommandId!;
  await client.send(new CreateAssociationCommand({ Name: 'persisted-doc', Targets: [{ Key: 'InstanceIds', Values: ['i-0123456789abcdef0'] }], AssociationName: 'persisted-association' }));
  return { windowId, baselineId, commandId };
}

/** Everything written, as the API answers it (volatile members left out). */
async function read(client: SSMClient, w: Written): Promise<unknown> {
  const strip = <T extends { $metadata?: unknown }>(o: T) => {
    const { $metadata: _, ...rest } = o;
    return rest;
  };
  const documents = [];
  for (const name of ['persisted-doc', '__proto__']) {
    documents.push(
      strip(await client.send(new DescribeDocumentCommand({ Name: name }))),
      strip(await client.send(new GetDocumentCommand({ Name: name, DocumentVersion: '3' }))),
      strip(await client.send(new ListDocumentVersionsCommand({ Name: name }))),
      strip(await client.send(new ListTagsForResourceCommand({ ResourceType: 'Document', ResourceId: name }))),
    );
  }
  return {
    documents,
    shares: strip(await client.send(new DescribeDocumentPermissionCommand({ Name: 'persisted-doc', PermissionType: 'Share' }))),
    window: strip(await client.send(new GetMaintenanceWindowCommand({ WindowId: w.windowId }))),
    targets: strip(await client.send(new DescribeMaintenanceWindowTargetsCommand({ WindowId: w.windowId }))),
    tasks: strip(await client.send(new DescribeMaintenanceWindowTasksCommand({ WindowId: w.windowId }))),
    windowTags: strip(await client.send(new ListTagsForResourceCommand({ ResourceType: 'MaintenanceWindow', ResourceId: w.windowId }))),
    baseline: strip(await client.send(new GetPatchBaselineCommand({ BaselineId: w.baselineId }))),
    groups: strip(await client.send(new DescribePatchGroupsCommand({}))),
    defaultBaseline: strip(await client.send(new GetDefaultPatchBaselineCommand({ OperatingSystem: 'UBUNTU' }))),
    baselineTags: strip(await client.send(new ListTagsForResourceCommand({ ResourceType: 'PatchBaseline', ResourceId: w.baselineId }))),
    commands: strip(await client.send(new ListCommandsCommand({}))),
    invocations: strip(await client.send(new ListCommandInvocationsCommand({ CommandId: w.commandId, Details: true }))),
    associations: strip(await client.send(new ListAssociationsCommand({}))),
  };
}

describe('SSM operations resources survive a restart', () => {
  it('after kill -9 (journal) and after a clean stop (snapshot)', async () => {
    const v = volume();
    const a = await start(v, { PERSISTENCE: '1' });
    const written = await write(ssm(a.endpoint));
    const before = await read(ssm(a.endpoint), written);
    expect(JSON.stringify(before)).toContain('persisted-association');
    expect(await a.stop('SIGKILL')).toBe(null);

    const b = await start(v, { PERSISTENCE: '1' });
    expect(await read(ssm(b.endpoint), written)).toEqual(before);
    expect(await b.stop()).toBe(0);

    const c = await start(v, { PERSISTENCE: '1' });
    expect(await read(ssm(c.endpoint), written)).toEqual(before);
    // and the restored state keeps working: a new version after the restored ones
    const { DocumentDescription } = await ssm(c.endpoint).send(new UpdateDocumentCommand({ Name: 'persisted-doc', Content: content(4), DocumentVersion: '$LATEST' }));
    expect(DocumentDescription).toMatchObject({ DocumentVersion: '4', DefaultVersion: '2' });
    await c.stop();
  }, 60_000);
});
