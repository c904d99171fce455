/**
 * Maintenance windows: Create/Get/Update/Delete/DescribeMaintenanceWindows, their targets
 * (Register/Describe/Update/Deregister) and tasks (Register/Describe/Get/Update/Deregister).
 *
 * Windows are stored, never run: no executions happen and NextExecutionTime is not computed.
 * Schedules are checked as AWS documents them for maintenance windows (schedules.ts): `cron(...)`
 * with six fields (minutes hours day-of-month month day-of-week year), `rate(N hours|days)` or
 * `at(yyyy-mm-ddThh:mm:ss)`.
 */
import { paginate } from '../../aws/pagination.js';
import { randomHex, uuid } from '../../aws/ids.js';
import type { OperationContext } from '../provider.js';
import type { MaintenanceWindowFilter, MaintenanceWindowTask, SsmApi } from './api.generated.js';
import { ssmError } from './errors.js';
import { own, put, resourceId, type Ops, type StoredWindow, type StoredWindowTask } from './ops-state.js';
import { isValidCron, rateMinutes } from './schedules.js';
import { invalidNextToken, mergeTags, validation } from './validation.js';

/** Whether a schedule is a cron, rate or at expression maintenance windows accept. */
export function isValidWindowSchedule(schedule: string): boolean {
  const cron = /^cron\((.*)\)$/.exec(schedule);
  if (cron) return isValidCron(cron[1]!, false);
  if (schedule.startsWith('rate(')) return rateMinutes(schedule, ['hour', 'hours', 'day', 'days']) !== undefined;
  return /^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/.test(schedule);
}

/** DoesNotExistException for a window id. */
export function windowNotFound(id: string): Error {
  return ssmError('DoesNotExistException', `Maintenance window ${id} does not exist`);
}

function checkSchedule(schedule: string | undefined, duration: number, cutoff: number): void {
  if (schedule !== undefined && !isValidWindowSchedule(schedule)) throw validation(`Invalid schedule expression: ${schedule}`);
  if (cutoff >= duration) throw validation('The cutoff must be less than the duration.');
}

const WINDOW_MEMBERS = ['WindowId', 'Name', 'Description', 'StartDate', 'EndDate', 'Schedule', 'ScheduleTimezone', 'ScheduleOffset', 'Duration', 'Cutoff', 'AllowUnassociatedTargets', 'Enabled'] as const;

/** The members a window answers with, in the model's order, absent ones left out. */
function windowFields(w: StoredWindow, members: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of members) {
    const value = (w as unknown as Record<string, unknown>)[m];
    if (value !== undefined) out[m] = value;
  }
  return out;
}

function filterValues(filters: readonly MaintenanceWindowFilter[] | undefined, allowed: readonly string[]): Array<[string, string[]]> {
  return (filters ?? []).map(({ Key: key = '', Values: values = [] }) => {
    if (!allowed.includes(key)) throw validation(`Invalid filter key ${key}. Valid filter keys are: ${allowed.join(', ')}.`);
    return [key, values];
  });
}

/** GetMaintenanceWindowTask's members, in the model's order (TaskType is stored as Type). */
const TASK_MEMBERS = ['Targets', 'TaskArn', 'ServiceRoleArn', 'TaskType', 'TaskParameters', 'TaskInvocationParameters', 'Priority', 'MaxConcurrency', 'MaxErrors', 'LoggingInfo', 'Name', 'Description', 'CutoffBehavior', 'AlarmConfiguration'] as const;
/** What UpdateMaintenanceWindowTask changes and answers, in the model's order. */
const UPDATABLE_TASK_MEMBERS = ['Targets', 'TaskArn', 'ServiceRoleArn', 'TaskParameters', 'TaskInvocationParameters', 'Priority', 'MaxConcurrency', 'MaxErrors', 'LoggingInfo', 'Name', 'Description', 'CutoffBehavior', 'AlarmConfiguration'] as const;

function taskView(w: StoredWindow, t: StoredWindowTask, members: readonly string[]): Record<string, unknown> {
  const fields = t as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { WindowId: w.WindowId, WindowTaskId: t.WindowTaskId };
  for (const m of members) {
    const value = m === 'TaskType' ? t.Type : fields[m];
    if (value !== undefined) out[m] = structuredClone(value);
  }
  return out;
}

function taskOf(w: StoredWindow, id: string): StoredWindowTask {
  const t = own(w.tasks, id);
  if (!t) throw ssmError('DoesNotExistException', `Maintenance window task ${id} does not exist`);
  return t;
}

function byId<T>(key: (item: T) => string) {
  return (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

/** The maintenance window operations' slice of the operation table. */
export function maintenanceWindowOperations(ops: Ops) {
  function windowOf(ctx: OperationContext, id: string): StoredWindow {
    const found = own(ops.state(ctx).windows, id);
    if (!found) throw windowNotFound(id);
    return found;
  }

  return {
    CreateMaintenanceWindow(ctx, input) {
      checkSchedule(input.Schedule, input.Duration, input.Cutoff);
      const tags = mergeTags([], input.Tags ?? []);
      const now = Date.now();
      const id = resourceId('mw', randomHex);
      const window: StoredWindow = {
        WindowId: id,
        Name: input.Name,
        Schedule: input.Schedule,
        Duration: input.Duration,
        Cutoff: input.Cutoff,
        AllowUnassociatedTargets: input.AllowUnassociatedTargets,
        Enabled: true,
        created: now,
        modified: now,
        tags,
        targets: {},
        tasks: {},
      };
      for (const m of ['Description', 'StartDate', 'EndDate', 'ScheduleTimezone', 'ScheduleOffset'] as const) {
        if (input[m] !== undefined) (window as unknown as Record<string, unknown>)[m] = input[m];
      }
      put(ops.state(ctx).windows, id, window);
      ops.changed(ctx, 'windows', id);
      return { WindowId: id };
    },

    GetMaintenanceWindow(ctx, input) {
      const w = windowOf(ctx, input.WindowId);
      return { ...windowFields(w, WINDOW_MEMBERS), CreatedDate: new Date(w.created), ModifiedDate: new Date(w.modified) };
    },

    UpdateMaintenanceWindow(ctx, input) {
      const w = windowOf(ctx, input.WindowId);
      if (input.Replace === true) {
        for (const m of ['Name', 'Schedule', 'Duration', 'Cutoff', 'AllowUnassociatedTargets'] as const) {
          if (input[m] === undefined) throw validation(`${m} is required when Replace is true.`);
        }
        for (const m of ['Description', 'StartDate', 'EndDate', 'ScheduleTimezone', 'ScheduleOffset'] as const) delete w[m];
      }
      checkSchedule(input.Schedule, input.Duration ?? w.Duration, input.Cutoff ?? w.Cutoff);
      const fields = w as unknown as Record<string, unknown>;
      for (const m of WINDOW_MEMBERS) {
        if (m !== 'WindowId' && input[m] !== undefined) fields[m] = input[m];
      }
      w.modified = Date.now();
      ops.changed(ctx, 'windows', w.WindowId);
      return windowFields(w, WINDOW_MEMBERS);
    },

    DeleteMaintenanceWindow(ctx, input) {
      const state = ops.state(ctx);
      // AWS answers a window that does not exist with its id, as a deletion that succeeded
      if (own(state.windows, input.WindowId)) {
        delete state.windows[input.WindowId];
        ops.changed(ctx, 'windows', input.WindowId);
      }
      return { WindowId: input.WindowId };
    },

    DescribeMaintenanceWindows(ctx, input) {
      const filters = filterValues(input.Filters, ['Name', 'Enabled']);
      const windows = Object.values(ops.state(ctx).windows)
        .filter((w) => filters.every(([key, values]) => values.includes(key === 'Name' ? w.Name : String(w.Enabled))))
        .sort(byId((w) => w.WindowId));
      const { page, nextToken } = paginate(windows, { scope: `DescribeMaintenanceWindows:${JSON.stringify(filters)}`, key: (w) => w.WindowId, nextToken: input.NextToken, max: input.MaxResults ?? 50, invalidToken: invalidNextToken });
      const members = ['WindowId', 'Name', 'Description', 'Enabled', 'Duration', 'Cutoff', 'Schedule', 'ScheduleTimezone', 'ScheduleOffset', 'EndDate', 'StartDate'];
      return { WindowIdentities: page.map((w) => windowFields(w, members)), NextToken: nextToken };
    },

    RegisterTargetWithMaintenanceWindow(ctx, input) {
      const w = windowOf(ctx, input.WindowId);
      const id = uuid();
      const target = { WindowTargetId: id, ResourceType: input.ResourceType, Targets: input.Targets.map((t) => ({ ...t })) } as StoredWindow['targets'][string];
      for (const m of ['OwnerInformation', 'Name', 'Description'] as const) if (input[m] !== undefined) target[m] = input[m];
      put(w.targets, id, target);
      ops.changed(ctx, 'windows', w.WindowId);
      return { WindowTargetId: id };
    },

    DescribeMaintenanceWindowTargets(ctx, input) {
      const w = windowOf(ctx, input.WindowId);
      const filters = filterValues(input.Filters, ['Type', 'WindowTargetId', 'OwnerInformation']);
      const targets = Object.values(w.targets)
        .filter((t) => filters.every(([key, values]) => values.includes((key === 'Type' ? t.ResourceType : key === 'WindowTargetId' ? t.WindowTargetId : t.OwnerInformation) ?? '')))
        .sort(byId((t) => t.WindowTargetId));
      const { page, nextToken } = paginate(targets, { scope: `DescribeMaintenanceWindowTargets:${w.WindowId}:${JSON.stringify(filters)}`, key: (t) => t.WindowTargetId, nextToken: input.NextToken, max: input.MaxResults ?? 10, invalidToken: invalidNextToken });
      return { Targets: page.map((t) => ({ WindowId: w.WindowId, ...structuredClone(t) })), NextToken: nextToken };
    },

    DeregisterTargetFromMaintenanceWindow(ctx, input) {
      const w = windowOf(ctx, input.WindowId);
      if (!own(w.targets, input.WindowTargetId)) throw ssmError('DoesNotExistException', `Maintenance window target ${input.WindowTargetId} does not exist`);
      if (input.Safe === true) {
        const using = Object.values(w.tasks).some((t) => (t.Targets ?? []).some((x) => x.Key === 'WindowTargetIds' && (x.Values ?? []).includes(input.WindowTargetId)));
        if (using) throw ssmError('TargetInUseException', 'You specified the Safe option for the DeregisterTargetFromMaintenanceWindow operation, but the target is still referenced in a task.');
      }
      delete w.targets[input.WindowTargetId];
      ops.changed(ctx, 'windows', w.WindowId);
      return { WindowId: w.WindowId, WindowTargetId: input.WindowTargetId };
    },

    RegisterTaskWithMaintenanceWindow(ctx, input) {
      const w = windowOf(ctx, input.WindowId);
      const id = uuid();
      const task: StoredWindowTask = { WindowTaskId: id, TaskArn: input.TaskArn, Type: input.TaskType };
      if (input.Targets !== undefined) task.Targets = structuredClone(input.Targets);
      if (input.TaskParameters !== undefined) task.TaskParameters = structuredClone(input.TaskParameters);
      task.Priority = input.Priority ?? 1;
      if (input.LoggingInfo !== undefined) task.LoggingInfo = { ...input.LoggingInfo };
      for (const m of ['ServiceRoleArn', 'MaxConcurrency', 'MaxErrors', 'Name', 'Description'] as const) if (input[m] !== undefined) task[m] = input[m];
      task.CutoffBehavior = input.CutoffBehavior ?? 'CONTINUE_TASK';
      if (input.AlarmConfiguration !== undefined) task.AlarmConfiguration = structuredClone(input.AlarmConfiguration);
      if (input.TaskInvocationParameters !== undefined) task.TaskInvocationParameters = structuredClone(input.TaskInvocationParameters);
      put(w.tasks, id, task);
      ops.changed(ctx, 'windows', w.WindowId);
      return { WindowTaskId: id };
    },

    DescribeMaintenanceWindowTasks(ctx, input) {
      const w = windowOf(ctx, input.WindowId);
      const filters = filterValues(input.Filters, ['WindowTaskId', 'TaskArn', 'Priority', 'TaskType']);
      const field = (t: StoredWindowTask, key: string) => (key === 'WindowTaskId' ? t.WindowTaskId : key === 'TaskArn' ? t.TaskArn : key === 'Priority' ? String(t.Priority) : t.Type) ?? '';
      const tasks = Object.values(w.tasks)
        .filter((t) => filters.every(([key, values]) => values.includes(field(t, key))))
        .sort(byId((t) => t.WindowTaskId));
      const { page, nextToken } = paginate(tasks, { scope: `DescribeMaintenanceWindowTasks:${w.WindowId}:${JSON.stringify(filters)}`, key: (t) => t.WindowTaskId, nextToken: input.NextToken, max: input.MaxResults ?? 10, invalidToken: invalidNextToken });
      return {
        Tasks: page.map((t): MaintenanceWindowTask => {
          const { TaskInvocationParameters: _, ...rest } = structuredClone(t);
          return { WindowId: w.WindowId, ...rest };
        }),
        NextToken: nextToken,
      };
    },

    GetMaintenanceWindowTask(ctx, input) {
      const w = windowOf(ctx, input.WindowId);
      return taskView(w, taskOf(w, input.WindowTaskId), TASK_MEMBERS);
    },

    UpdateMaintenanceWindowTask(ctx, input) {
      const w = windowOf(ctx, input.WindowId);
      const t = taskOf(w, input.WindowTaskId);
      const fields = t as unknown as Record<string, unknown>;
      for (const m of UPDATABLE_TASK_MEMBERS) {
        if (input[m] !== undefined) fields[m] = structuredClone(input[m]);
        else if (input.Replace === true && m !== 'TaskArn' && m !== 'Priority') delete fields[m];
      }
      ops.changed(ctx, 'windows', w.WindowId);
      return taskView(w, t, UPDATABLE_TASK_MEMBERS);
    },

    UpdateMaintenanceWindowTarget(ctx, input) {
      const w = windowOf(ctx, input.WindowId);
      const target = own(w.targets, input.WindowTargetId);
      if (!target) throw ssmError('DoesNotExistException', `Maintenance window target ${input.WindowTargetId} does not exist`);
      const fields = target as unknown as Record<string, unknown>;
      for (const m of ['Targets', 'OwnerInformation', 'Name', 'Description'] as const) {
        if (input[m] !== undefined) fields[m] = structuredClone(input[m]);
        else if (input.Replace === true && m !== 'Targets') delete fields[m];
      }
      ops.changed(ctx, 'windows', w.WindowId);
      const out: Record<string, unknown> = { WindowId: w.WindowId, WindowTargetId: target.WindowTargetId };
      for (const m of ['Targets', 'OwnerInformation', 'Name', 'Description']) if (fields[m] !== undefined) out[m] = structuredClone(fields[m]);
      return out;
    },

    DeregisterTaskFromMaintenanceWindow(ctx, input) {
      const w = windowOf(ctx, input.WindowId);
      taskOf(w, input.WindowTaskId);
      delete w.tasks[input.WindowTaskId];
      ops.changed(ctx, 'windows', w.WindowId);
      return { WindowId: w.WindowId, WindowTaskId: input.WindowTaskId };
    },
  } satisfies Partial<SsmApi>;
}
