/**
 * SSM maintenance windows through @aws-sdk/client-ssm against the real runtime: windows, their
 * targets and tasks, schedule validation, tags, and the errors AWS answers bad input with.
 */
import {
  AddTagsToResourceCommand,
  CreateMaintenanceWindowCommand,
  DeleteMaintenanceWindowCommand,
  DeregisterTargetFromMaintenanceWindowCommand,
  DeregisterTaskFromMaintenanceWindowCommand,
  DescribeMaintenanceWindowsCommand,
  DescribeMaintenanceWindowTargetsCommand,
  DescribeMaintenanceWindowTasksCommand,
  GetMaintenanceWindowCommand,
  GetMaintenanceWindowTaskCommand,
  ListTagsForResourceCommand,
  RegisterTargetWithMaintenanceWindowCommand,
  RegisterTaskWithMaintenanceWindowCommand,
  SSMClient,
  UpdateMaintenanceWindowCommand,
  UpdateMaintenanceWindowTargetCommand,
  UpdateMaintenanceWindowTaskCommand,
  type CreateMaintenanceWindowCommandInput,
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

const create = (input: Partial<CreateMaintenanceWindowCommandInput> = {}) =>
  ssm.send(new CreateMaintenanceWindowCommand({ Name: 'nightly', Schedule: 'cron(0 2 ? * SUN *)', Duration: 3, Cutoff: 1, AllowUnassociatedTargets: false, ...input }));

describe('windows', () => {
  it('creates a window with an mw- id and reads it back', async () => {
    const { WindowId } = await create({ Name: 'mw-read', Description: 'weekly', ScheduleTimezone: 'Europe/Paris', ScheduleOffset: 2, Tags: [{ Key: 'env', Value: 'dev' }] });
    expect(WindowId).toMatch(/^mw-[0-9a-f]{17}$/);
    const got = await ssm.send(new GetMaintenanceWindowCommand({ WindowId }));
    expect(got).toMatchObject({ WindowId, Name: 'mw-read', Description: 'weekly', Schedule: 'cron(0 2 ? * SUN *)', ScheduleTimezone: 'Europe/Paris', ScheduleOffset: 2, Duration: 3, Cutoff: 1, AllowUnassociatedTargets: false, Enabled: true });
    expect(got.CreatedDate).toBeInstanceOf(Date);
    expect(got.ModifiedDate).toBeInstanceOf(Date);
    expect((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'MaintenanceWindow', ResourceId: WindowId }))).TagList).toEqual([{ Key: 'env', Value: 'dev' }]);
    await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'MaintenanceWindow', ResourceId: WindowId!, Tags: [{ Key: 'owner', Value: 'me' }] }));
    expect((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'MaintenanceWindow', ResourceId: WindowId }))).TagList).toHaveLength(2);
  });

  it('accepts the schedules AWS accepts and refuses others', async () => {
    for (const Schedule of ['cron(0 4 ? * SUN#2 *)', 'cron(30 23 ? * MON-FRI *)', 'cron(0/15 1-5 L * ? 2030)', 'cron(0 9 1,15 JAN-JUN ? *)', 'rate(1 day)', 'rate(12 hours)', 'at(2030-01-01T10:00:00)']) {
      expect((await create({ Name: 'mw-schedules', Schedule })).WindowId).toMatch(/^mw-/);
    }
    const invalid = ['cron(0 2 * * *)', 'cron(0 2 * * SUN *)', 'cron(0 2 ? * ? *)', 'cron(60 2 ? * SUN *)', 'cron(0 24 ? * SUN *)', 'cron(0 2 ? * FUNDAY *)', 'cron(a b c d e f)', 'every day', 'rate(1 days)', 'rate(5 minutes)', 'rate(0 hours)'];
    for (const Schedule of invalid) {
      await expectSdkError(create({ Schedule }), 'ValidationException', `Invalid schedule expression: ${Schedule}`);
    }
    await expectSdkError(create({ Duration: 2, Cutoff: 2 }), 'ValidationException', 'The cutoff must be less than the duration.');
    await expectSdkError(create({ Duration: 30 }), 'ValidationException', /Member must have value less than or equal to 24/);
    await expectSdkError(ssm.send(new GetMaintenanceWindowCommand({ WindowId: 'mw-0123456789abcdef0' })), 'DoesNotExistException', 'Maintenance window mw-0123456789abcdef0 does not exist');
    expect((await create({ Name: 'mw-after-errors' })).WindowId).toMatch(/^mw-/);
  });

  it('UpdateMaintenanceWindow changes what it names, or replaces everything with Replace', async () => {
    const { WindowId } = await create({ Name: 'mw-update', Description: 'before', ScheduleTimezone: 'UTC' });
    const updated = await ssm.send(new UpdateMaintenanceWindowCommand({ WindowId, Enabled: false, Duration: 4 }));
    expect(updated).toMatchObject({ WindowId, Name: 'mw-update', Description: 'before', Enabled: false, Duration: 4, Cutoff: 1, ScheduleTimezone: 'UTC' });
    const replaced = await ssm.send(new UpdateMaintenanceWindowCommand({ WindowId, Replace: true, Name: 'mw-replaced', Schedule: 'rate(2 days)', Duration: 5, Cutoff: 0, AllowUnassociatedTargets: true }));
    expect(replaced.Description).toBeUndefined();
    expect(replaced.ScheduleTimezone).toBeUndefined();
    expect(replaced).toMatchObject({ Name: 'mw-replaced', Schedule: 'rate(2 days)', AllowUnassociatedTargets: true });
    await expectSdkError(ssm.send(new UpdateMaintenanceWindowCommand({ WindowId, Schedule: 'sometimes' })), 'ValidationException');
  });

  it('DescribeMaintenanceWindows filters by Name and Enabled and pages', async () => {
    const a = (await create({ Name: 'mw-list' })).WindowId!;
    const b = (await create({ Name: 'mw-list' })).WindowId!;
    await ssm.send(new UpdateMaintenanceWindowCommand({ WindowId: b, Enabled: false }));
    const named = await ssm.send(new DescribeMaintenanceWindowsCommand({ Filters: [{ Key: 'Name', Values: ['mw-list'] }] }));
    expect(named.WindowIdentities!.map((w) => w.WindowId).sort()).toEqual([a, b].sort());
    expect(named.WindowIdentities!.find((w) => w.WindowId === a)).toMatchObject({ Name: 'mw-list', Enabled: true, Duration: 3, Cutoff: 1, Schedule: 'cron(0 2 ? * SUN *)' });
    const disabled = await ssm.send(new DescribeMaintenanceWindowsCommand({ Filters: [{ Key: 'Name', Values: ['mw-list'] }, { Key: 'Enabled', Values: ['false'] }] }));
    expect(disabled.WindowIdentities!.map((w) => w.WindowId)).toEqual([b]);
    for (let i = 0; i < 10; i++) await create({ Name: 'mw-page' });
    const first = await ssm.send(new DescribeMaintenanceWindowsCommand({ MaxResults: 10 }));
    expect(first.NextToken).toBeDefined();
    const second = await ssm.send(new DescribeMaintenanceWindowsCommand({ MaxResults: 10, NextToken: first.NextToken }));
    expect(second.WindowIdentities!.some((w) => first.WindowIdentities!.some((x) => x.WindowId === w.WindowId))).toBe(false);
  });

  it('DeleteMaintenanceWindow answers the id, also for a window that does not exist (as AWS does)', async () => {
    const { WindowId } = await create({ Name: 'mw-delete' });
    expect((await ssm.send(new DeleteMaintenanceWindowCommand({ WindowId }))).WindowId).toBe(WindowId);
    await expectSdkError(ssm.send(new GetMaintenanceWindowCommand({ WindowId })), 'DoesNotExistException');
    expect((await ssm.send(new DeleteMaintenanceWindowCommand({ WindowId }))).WindowId).toBe(WindowId);
  });
});

describe('targets and tasks', () => {
  it('registers, describes and deregisters targets and tasks', async () => {
    const { WindowId } = await create({ Name: 'mw-targets' });
    const { WindowTargetId } = await ssm.send(
      new RegisterTargetWithMaintenanceWindowCommand({ WindowId, ResourceType: 'INSTANCE', Targets: [{ Key: 'tag:Patch', Values: ['yes'] }], OwnerInformation: 'ops', Name: 'web', Description: 'web servers' }),
    );
    expect(WindowTargetId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await ssm.send(new DescribeMaintenanceWindowTargetsCommand({ WindowId }))).Targets).toEqual([
      { WindowId, WindowTargetId, ResourceType: 'INSTANCE', Targets: [{ Key: 'tag:Patch', Values: ['yes'] }], OwnerInformation: 'ops', Name: 'web', Description: 'web servers' },
    ]);
    const { WindowTaskId } = await ssm.send(
      new RegisterTaskWithMaintenanceWindowCommand({
        WindowId,
        TaskArn: 'AWS-RunPatchBaseline',
        TaskType: 'RUN_COMMAND',
        Targets: [{ Key: 'WindowTargetIds', Values: [WindowTargetId!] }],
        MaxConcurrency: '2',
        MaxErrors: '1',
        Priority: 5,
        TaskInvocationParameters: { RunCommand: { Parameters: { Operation: ['Install'] } } },
      }),
    );
    expect(WindowTaskId).toMatch(/^[0-9a-f-]{36}$/);
    const { Tasks } = await ssm.send(new DescribeMaintenanceWindowTasksCommand({ WindowId }));
    expect(Tasks).toEqual([
      { WindowId, WindowTaskId, TaskArn: 'AWS-RunPatchBaseline', Type: 'RUN_COMMAND', Targets: [{ Key: 'WindowTargetIds', Values: [WindowTargetId] }], Priority: 5, MaxConcurrency: '2', MaxErrors: '1', CutoffBehavior: 'CONTINUE_TASK' },
    ]);
    const task = await ssm.send(new GetMaintenanceWindowTaskCommand({ WindowId, WindowTaskId }));
    expect(task).toMatchObject({ WindowId, WindowTaskId, TaskArn: 'AWS-RunPatchBaseline', TaskType: 'RUN_COMMAND', TaskInvocationParameters: { RunCommand: { Parameters: { Operation: ['Install'] } } } });
    const changedTask = await ssm.send(new UpdateMaintenanceWindowTaskCommand({ WindowId, WindowTaskId, MaxConcurrency: '4', Name: 'patching' }));
    expect(changedTask).toMatchObject({ WindowId, WindowTaskId, TaskArn: 'AWS-RunPatchBaseline', Priority: 5, MaxConcurrency: '4', MaxErrors: '1', Name: 'patching' });
    expect(changedTask).not.toHaveProperty('TaskType');
    expect(await ssm.send(new GetMaintenanceWindowTaskCommand({ WindowId, WindowTaskId }))).toMatchObject({ MaxConcurrency: '4', Name: 'patching', TaskType: 'RUN_COMMAND' });
    const changedTarget = await ssm.send(new UpdateMaintenanceWindowTargetCommand({ WindowId, WindowTargetId, Name: 'web-renamed', Replace: true, Targets: [{ Key: 'tag:Patch', Values: ['now'] }] }));
    expect(changedTarget).toEqual(expect.objectContaining({ WindowId, WindowTargetId, Targets: [{ Key: 'tag:Patch', Values: ['now'] }], Name: 'web-renamed' }));
    expect(changedTarget.OwnerInformation).toBeUndefined();
    await expectSdkError(ssm.send(new UpdateMaintenanceWindowTaskCommand({ WindowId, WindowTaskId: '00000000-0000-4000-8000-000000000000', Name: 'nope' })), 'DoesNotExistException');
    const filtered = await ssm.send(new DescribeMaintenanceWindowTasksCommand({ WindowId, Filters: [{ Key: 'TaskType', Values: ['AUTOMATION'] }] }));
    expect(filtered.Tasks).toEqual([]);

    await expectSdkError(
      ssm.send(new DeregisterTargetFromMaintenanceWindowCommand({ WindowId, WindowTargetId, Safe: true })),
      'TargetInUseException',
      'You specified the Safe option for the DeregisterTargetFromMaintenanceWindow operation, but the target is still referenced in a task.',
    );
    expect(await ssm.send(new DeregisterTaskFromMaintenanceWindowCommand({ WindowId, WindowTaskId }))).toMatchObject({ WindowId, WindowTaskId });
    expect(await ssm.send(new DeregisterTargetFromMaintenanceWindowCommand({ WindowId, WindowTargetId, Safe: true }))).toMatchObject({ WindowId, WindowTargetId });
    expect((await ssm.send(new DescribeMaintenanceWindowTargetsCommand({ WindowId }))).Targets).toEqual([]);
    await expectSdkError(ssm.send(new DeregisterTaskFromMaintenanceWindowCommand({ WindowId, WindowTaskId })), 'DoesNotExistException', `Maintenance window task ${WindowTaskId} does not exist`);
    await expectSdkError(ssm.send(new DeregisterTargetFromMaintenanceWindowCommand({ WindowId, WindowTargetId })), 'DoesNotExistException');
    await expectSdkError(
      ssm.send(new RegisterTargetWithMaintenanceWindowCommand({ WindowId: 'mw-00000000000000000', ResourceType: 'INSTANCE', Targets: [{ Key: 'InstanceIds', Values: ['i-1234567890abcdef0'] }] })),
      'DoesNotExistException',
      'Maintenance window mw-00000000000000000 does not exist',
    );
  });
});
