/**
 * SSM documents, maintenance windows, patch baselines, commands and associations at the level
 * of the wire: status, headers and the WHOLE JSON document of each main answer (no member
 * missing, none extra), shaped as AWS's API reference and CLI examples show them, and the error
 * documents bad input gets.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeProcess } from '../../support/runtime.js';
import { expectAnswer, jsonRpc, send } from '../../support/wire.js';

let rt: RuntimeProcess;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(async () => {
  await rt?.stop();
});

const JSON_TYPE = 'application/x-amz-json-1.1';
const HEADERS = { 'content-type': JSON_TYPE, 'x-amzn-requestid': /^[0-9a-f-]{36}$/ };
const call = (operation: string, input: unknown) => jsonRpc('ssm', `AmazonSSM.${operation}`, input);
const date = expect.any(Number);
const ACCOUNT = '000000000000';
const I1 = 'i-0123456789abcdef0';

async function ok(operation: string, input: unknown, json: unknown): Promise<Record<string, unknown>> {
  const answer = await expectAnswer(rt.endpoint, call(operation, input), { status: 200, headers: HEADERS, json });
  return JSON.parse(answer.text) as Record<string, unknown>;
}

async function fails(operation: string, input: unknown, type: string, message: string | RegExp): Promise<void> {
  await expectAnswer(rt.endpoint, call(operation, input), {
    status: 400,
    headers: { ...HEADERS, 'x-amzn-errortype': type },
    json: { __type: type, message: typeof message === 'string' ? message : expect.stringMatching(message) },
  });
}

const CONTENT = JSON.stringify({
  schemaVersion: '2.2',
  description: 'Example',
  parameters: { Message: { type: 'String', description: 'Example', default: 'Hello World' } },
  mainSteps: [{ action: 'aws:runShellScript', name: 'example', inputs: { runCommand: ['echo {{Message}}'] } }],
});
const HASH = createHash('sha256').update(CONTENT).digest('hex');

describe('documents', () => {
  it('CreateDocument, DescribeDocument, GetDocument, ListDocumentVersions, DescribeDocumentPermission', async () => {
    const description = (status: string) => ({
      Hash: HASH,
      HashType: 'Sha256',
      Name: 'Example',
      Owner: ACCOUNT,
      CreatedDate: date,
      Status: status,
      DocumentVersion: '1',
      Description: 'Example',
      Parameters: [{ Name: 'Message', Type: 'String', Description: 'Example', DefaultValue: 'Hello World' }],
      PlatformTypes: ['Linux', 'MacOS'],
      DocumentType: 'Command',
      SchemaVersion: '2.2',
      LatestVersion: '1',
      DefaultVersion: '1',
      DocumentFormat: 'JSON',
      Tags: [],
    });
    await ok('CreateDocument', { Name: 'Example', Content: CONTENT, DocumentType: 'Command' }, { DocumentDescription: description('Creating') });
    await ok('DescribeDocument', { Name: 'Example' }, { Document: description('Active') });
    await ok('GetDocument', { Name: 'Example' }, { Name: 'Example', CreatedDate: date, DocumentVersion: '1', Status: 'Active', Content: CONTENT, DocumentType: 'Command', DocumentFormat: 'JSON' });
    await ok('ListDocumentVersions', { Name: 'Example' }, { DocumentVersions: [{ Name: 'Example', CreatedDate: date, DocumentVersion: '1', IsDefaultVersion: true, DocumentFormat: 'JSON', Status: 'Active' }] });
    await ok('UpdateDocumentDefaultVersion', { Name: 'Example', DocumentVersion: '1' }, { Description: { Name: 'Example', DefaultVersion: '1' } });
    await ok('ModifyDocumentPermission', { Name: 'Example', PermissionType: 'Share', AccountIdsToAdd: ['111122223333'] }, {});
    await ok('DescribeDocumentPermission', { Name: 'Example', PermissionType: 'Share' }, { AccountIds: ['111122223333'], AccountSharingInfoList: [{ AccountId: '111122223333', SharedDocumentVersion: '$DEFAULT' }] });
    await ok('ListDocuments', { Filters: [{ Key: 'Owner', Values: ['Self'] }] }, {
      DocumentIdentifiers: [{ Name: 'Example', CreatedDate: date, Owner: ACCOUNT, PlatformTypes: ['Linux', 'MacOS'], DocumentVersion: '1', DocumentType: 'Command', SchemaVersion: '2.2', DocumentFormat: 'JSON', Tags: [] }],
    });
  });

  it('answers bad input with AWS error documents, and keeps serving', async () => {
    await fails('CreateDocument', { Name: 'Example', Content: CONTENT }, 'DocumentAlreadyExists', 'Document with same name Example already exists');
    await fails('CreateDocument', { Name: 'Broken', Content: '{' }, 'InvalidDocumentContent', 'The content for the document is not valid.');
    await fails('CreateDocument', { Name: 'x', Content: CONTENT }, 'ValidationException', "1 validation error detected: Value 'x' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_\\-.]{3,128}$");
    await fails('DescribeDocument', { Name: 'Missing' }, 'InvalidDocument', 'The specified document does not exist.');
    await fails('UpdateDocument', { Name: 'Example', Content: CONTENT }, 'DuplicateDocumentContent', 'The content of the association document matches another document. Change the content of the document and try again.');
    await fails('GetDocument', { Name: 'Example', DocumentFormat: 'XML' }, 'ValidationException', /Member must satisfy enum value set/);
    // not JSON at all
    const broken = await send(rt.endpoint, { ...call('CreateDocument', {}), body: '{"Name":' });
    expect(broken.status).toBe(400);
    await ok('GetDocument', { Name: 'AWS-RunShellScript', DocumentFormat: 'JSON' }, expect.objectContaining({ Name: 'AWS-RunShellScript', DocumentType: 'Command', DocumentFormat: 'JSON', Status: 'Active' }));
  });
});

describe('maintenance windows', () => {
  it('CreateMaintenanceWindow, GetMaintenanceWindow, targets and tasks', async () => {
    const { WindowId } = await ok('CreateMaintenanceWindow', { Name: 'My-First-Maintenance-Window', Schedule: 'cron(0 16 ? * TUE *)', Duration: 4, Cutoff: 1, AllowUnassociatedTargets: true }, { WindowId: expect.stringMatching(/^mw-[0-9a-f]{17}$/) });
    await ok('GetMaintenanceWindow', { WindowId }, {
      WindowId,
      Name: 'My-First-Maintenance-Window',
      Schedule: 'cron(0 16 ? * TUE *)',
      Duration: 4,
      Cutoff: 1,
      AllowUnassociatedTargets: true,
      Enabled: true,
      CreatedDate: date,
      ModifiedDate: date,
    });
    const { WindowTargetId } = await ok('RegisterTargetWithMaintenanceWindow', { WindowId, ResourceType: 'INSTANCE', Targets: [{ Key: 'InstanceIds', Values: [I1] }] }, { WindowTargetId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    await ok('DescribeMaintenanceWindowTargets', { WindowId }, { Targets: [{ WindowId, WindowTargetId, ResourceType: 'INSTANCE', Targets: [{ Key: 'InstanceIds', Values: [I1] }] }] });
    const { WindowTaskId } = await ok('RegisterTaskWithMaintenanceWindow', { WindowId, TaskArn: 'AWS-RunShellScript', TaskType: 'RUN_COMMAND', Targets: [{ Key: 'WindowTargetIds', Values: [WindowTargetId] }], MaxConcurrency: '1', MaxErrors: '1' }, { WindowTaskId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    await ok('DescribeMaintenanceWindowTasks', { WindowId }, {
      Tasks: [{ WindowId, WindowTaskId, TaskArn: 'AWS-RunShellScript', Type: 'RUN_COMMAND', Targets: [{ Key: 'WindowTargetIds', Values: [WindowTargetId] }], Priority: 1, MaxConcurrency: '1', MaxErrors: '1', CutoffBehavior: 'CONTINUE_TASK' }],
    });
    await ok('DeregisterTaskFromMaintenanceWindow', { WindowId, WindowTaskId }, { WindowId, WindowTaskId });
    await ok('DeregisterTargetFromMaintenanceWindow', { WindowId, WindowTargetId }, { WindowId, WindowTargetId });
    await ok('DescribeMaintenanceWindows', { Filters: [{ Key: 'Name', Values: ['My-First-Maintenance-Window'] }] }, {
      WindowIdentities: [{ WindowId, Name: 'My-First-Maintenance-Window', Enabled: true, Duration: 4, Cutoff: 1, Schedule: 'cron(0 16 ? * TUE *)' }],
    });
    await ok('DeleteMaintenanceWindow', { WindowId }, { WindowId });
    await fails('GetMaintenanceWindow', { WindowId }, 'DoesNotExistException', `Maintenance window ${WindowId} does not exist`);
    await fails('CreateMaintenanceWindow', { Name: 'bad-schedule', Schedule: 'cron(0 16 * * *)', Duration: 4, Cutoff: 1, AllowUnassociatedTargets: true }, 'ValidationException', 'Invalid schedule expression: cron(0 16 * * *)');
  });
});

describe('patch baselines', () => {
  it('CreatePatchBaseline, GetPatchBaseline, patch groups, defaults', async () => {
    const rules = { PatchRules: [{ PatchFilterGroup: { PatchFilters: [{ Key: 'CLASSIFICATION', Values: ['SecurityUpdates'] }] }, ComplianceLevel: 'CRITICAL', ApproveAfterDays: 7, EnableNonSecurity: false }] };
    const { BaselineId } = await ok('CreatePatchBaseline', { Name: 'WindowsPatching', OperatingSystem: 'WINDOWS', ApprovalRules: rules, Description: 'Patches for Windows' }, { BaselineId: expect.stringMatching(/^pb-[0-9a-f]{17}$/) });
    await ok('RegisterPatchBaselineForPatchGroup', { BaselineId, PatchGroup: 'QA' }, { BaselineId, PatchGroup: 'QA' });
    await ok('GetPatchBaseline', { BaselineId }, {
      BaselineId,
      Name: 'WindowsPatching',
      OperatingSystem: 'WINDOWS',
      GlobalFilters: { PatchFilters: [] },
      ApprovalRules: rules,
      ApprovedPatches: [],
      ApprovedPatchesComplianceLevel: 'UNSPECIFIED',
      ApprovedPatchesEnableNonSecurity: false,
      RejectedPatches: [],
      RejectedPatchesAction: 'ALLOW_AS_DEPENDENCY',
      PatchGroups: ['QA'],
      CreatedDate: date,
      ModifiedDate: date,
      Description: 'Patches for Windows',
      Sources: [],
    });
    await ok('GetPatchBaselineForPatchGroup', { PatchGroup: 'QA' }, { BaselineId, PatchGroup: 'QA', OperatingSystem: 'WINDOWS' });
    await ok('DescribePatchGroups', {}, { Mappings: [{ PatchGroup: 'QA', BaselineIdentity: { BaselineId, BaselineName: 'WindowsPatching', OperatingSystem: 'WINDOWS', BaselineDescription: 'Patches for Windows', DefaultBaseline: false } }] });
    await ok('GetDefaultPatchBaseline', { OperatingSystem: 'AMAZON_LINUX_2023' }, { BaselineId: 'arn:aws:ssm:us-east-1:075727635805:patchbaseline/pb-05c9c9bf778d4c4d0', OperatingSystem: 'AMAZON_LINUX_2023' });
    await ok('RegisterDefaultPatchBaseline', { BaselineId }, { BaselineId });
    await ok('GetDefaultPatchBaseline', {}, { BaselineId, OperatingSystem: 'WINDOWS' });
    await fails('GetPatchBaseline', { BaselineId: 'pb-0123456789abcdef0' }, 'DoesNotExistException', 'Patch Baseline pb-0123456789abcdef0 does not exist.');
  });
});

describe('commands and associations', () => {
  it('SendCommand, ListCommands, GetCommandInvocation, CreateAssociation, DescribeAssociation', async () => {
    const command = (status: string, completed: number) => ({
      CommandId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      DocumentName: 'AWS-RunShellScript',
      DocumentVersion: '',
      Comment: '',
      ExpiresAfter: date,
      Parameters: { commands: ['echo HelloWorld'] },
      InstanceIds: [I1],
      Targets: [],
      RequestedDateTime: date,
      Status: status,
      StatusDetails: status,
      OutputS3BucketName: '',
      OutputS3KeyPrefix: '',
      MaxConcurrency: '50',
      MaxErrors: '0',
      TargetCount: 1,
      CompletedCount: completed,
      ErrorCount: 0,
      DeliveryTimedOutCount: 0,
      ServiceRole: '',
      NotificationConfig: { NotificationArn: '', NotificationEvents: [], NotificationType: '' },
      CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
    });
    const sent = await ok('SendCommand', { DocumentName: 'AWS-RunShellScript', InstanceIds: [I1], Parameters: { commands: ['echo HelloWorld'] } }, { Command: command('Pending', 0) });
    const CommandId = (sent.Command as { CommandId: string }).CommandId;
    await ok('ListCommands', { CommandId }, { Commands: [command('Success', 1)] });
    await ok('ListCommandInvocations', { CommandId, Details: true }, {
      CommandInvocations: [
        {
          CommandId,
          InstanceId: I1,
          InstanceName: '',
          Comment: '',
          DocumentName: 'AWS-RunShellScript',
          DocumentVersion: '',
          RequestedDateTime: date,
          Status: 'Success',
          StatusDetails: 'Success',
          TraceOutput: '',
          StandardOutputUrl: '',
          StandardErrorUrl: '',
          CommandPlugins: [
            {
              Name: 'runShellScript',
              Status: 'Success',
              StatusDetails: 'Success',
              ResponseCode: 0,
              ResponseStartDateTime: date,
              ResponseFinishDateTime: date,
              Output: '',
              StandardOutputUrl: '',
              StandardErrorUrl: '',
              OutputS3Region: 'us-east-1',
              OutputS3BucketName: '',
              OutputS3KeyPrefix: '',
            },
          ],
          ServiceRole: '',
          NotificationConfig: { NotificationArn: '', NotificationEvents: [], NotificationType: '' },
          CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
        },
      ],
    });
    await ok('GetCommandInvocation', { CommandId, InstanceId: I1 }, {
      CommandId,
      InstanceId: I1,
      Comment: '',
      DocumentName: 'AWS-RunShellScript',
      DocumentVersion: '',
      PluginName: 'runShellScript',
      ResponseCode: 0,
      ExecutionStartDateTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      ExecutionElapsedTime: 'PT0S',
      ExecutionEndDateTime: expect.stringMatching(/^\d{4}-/),
      Status: 'Success',
      StatusDetails: 'Success',
      StandardOutputContent: '',
      StandardOutputUrl: '',
      StandardErrorContent: '',
      StandardErrorUrl: '',
      CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
    });
    await fails('GetCommandInvocation', { CommandId, InstanceId: 'i-0000000000000000a' }, 'InvocationDoesNotExist', "The command id and instance id you specified didn't match any invocations. Verify the command id and the instance id and try again.");
    await fails('SendCommand', { DocumentName: 'Missing-Document', InstanceIds: [I1] }, 'InvalidDocument', 'The specified document does not exist.');

    const created = await ok('CreateAssociation', { Name: 'AWS-RunShellScript', Targets: [{ Key: 'InstanceIds', Values: [I1] }], ScheduleExpression: 'cron(0 2 ? * SUN *)', Parameters: { commands: ['date'] } }, {
      AssociationDescription: {
        Name: 'AWS-RunShellScript',
        AssociationVersion: '1',
        Date: date,
        LastUpdateAssociationDate: date,
        Overview: { Status: 'Pending', DetailedStatus: 'Creating' },
        DocumentVersion: '$DEFAULT',
        Parameters: { commands: ['date'] },
        AssociationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        Targets: [{ Key: 'InstanceIds', Values: [I1] }],
        ScheduleExpression: 'cron(0 2 ? * SUN *)',
        SyncCompliance: 'AUTO',
        ApplyOnlyAtCronInterval: false,
      },
    });
    const { AssociationId } = created.AssociationDescription as { AssociationId: string };
    await ok('ListAssociations', {}, {
      Associations: [{ Name: 'AWS-RunShellScript', AssociationId, AssociationVersion: '1', Targets: [{ Key: 'InstanceIds', Values: [I1] }], LastExecutionDate: date, Overview: { Status: 'Success', DetailedStatus: 'Success', AssociationStatusAggregatedCount: { Success: 1 } }, ScheduleExpression: 'cron(0 2 ? * SUN *)' }],
    });
    await ok('DeleteAssociation', { AssociationId }, {});
    await fails('DescribeAssociation', { AssociationId }, 'AssociationDoesNotExist', 'The specified association does not exist.');
    await fails('SendCommand', { DocumentName: 'AWS-RunShellScript', InstanceIds: [I1], Parameters: { colour: ['red'] } }, 'InvalidParameters', '');
    await fails('CreateAssociation', { Name: 'AWS-RunShellScript', Targets: [{ Key: 'InstanceIds', Values: [I1] }], Parameters: { commands: ['date'] }, ScheduleExpression: 'rate(1 minute)' }, 'InvalidSchedule', 'The schedule is invalid. Verify your cron or rate expression and try again.');
  });
});

describe('tags on documents, windows and baselines', () => {
  it('AddTagsToResource / ListTagsForResource answer the empty and the TagList documents', async () => {
    const { WindowId } = await ok('CreateMaintenanceWindow', { Name: 'tagged', Schedule: 'rate(7 days)', Duration: 2, Cutoff: 0, AllowUnassociatedTargets: false }, { WindowId: expect.any(String) });
    await ok('AddTagsToResource', { ResourceType: 'MaintenanceWindow', ResourceId: WindowId, Tags: [{ Key: 'k', Value: 'v' }] }, {});
    await ok('ListTagsForResource', { ResourceType: 'MaintenanceWindow', ResourceId: WindowId }, { TagList: [{ Key: 'k', Value: 'v' }] });
    await fails('ListTagsForResource', { ResourceType: 'PatchBaseline', ResourceId: 'pb-0123456789abcdef0' }, 'InvalidResourceId', "The resource ID isn't valid. Verify that you entered the correct ID and try again.");
  });
});
