/**
 * State Manager associations, stored: CreateAssociation, DescribeAssociation, ListAssociations,
 * UpdateAssociation, DeleteAssociation.
 *
 * Associations never run. CreateAssociation answers the overview AWS gives a new association
 * (`Pending` / `Creating`); later reads report it applied (`Success`, with its last execution
 * at its last change), as commands are. Each
 * update makes a new AssociationVersion; only the latest version is kept. Schedules are checked
 * as State Manager documents them (schedules.ts): `cron(...)` (six fields, or seven with seconds)
 * or `rate(N minutes|hours|days)` of at least 30 minutes, InvalidSchedule otherwise.
 */
import { uuid } from '../../aws/ids.js';
import { paginate } from '../../aws/pagination.js';
import type { OperationContext } from '../provider.js';
import type { AssociationDescription, CreateAssociationRequest, SsmApi } from './api.generated.js';
import { checkParameters } from './document-content.js';
import { documentNotFound, findDocument } from './documents.js';
import { ssmError } from './errors.js';
import { own, put, type Ops, type StoredAssociation } from './ops-state.js';
import { isValidCron, rateMinutes } from './schedules.js';
import { invalidNextToken } from './validation.js';

/** Whether State Manager accepts a schedule expression (rates of at least 30 minutes). */
export function isValidAssociationSchedule(schedule: string): boolean {
  const cron = /^cron\((.*)\)$/.exec(schedule);
  if (cron) return isValidCron(cron[1]!, true);
  const minutes = rateMinutes(schedule, ['minute', 'minutes', 'hour', 'hours', 'day', 'days']);
  return minutes !== undefined && minutes >= 30;
}

function notFound(): Error {
  return ssmError('AssociationDoesNotExist', 'The specified association does not exist.');
}

function checkSchedule(schedule: string | undefined): void {
  if (schedule !== undefined && !isValidAssociationSchedule(schedule)) {
    throw ssmError('InvalidSchedule', 'The schedule is invalid. Verify your cron or rate expression and try again.');
  }
}

const OPTIONAL = ['DocumentVersion', 'AssociationName', 'ScheduleExpression', 'MaxErrors', 'MaxConcurrency', 'ComplianceSeverity', 'SyncCompliance', 'ApplyOnlyAtCronInterval'] as const;

function overview(a: StoredAssociation, fresh: boolean): Record<string, unknown> {
  if (fresh) return { Status: 'Pending', DetailedStatus: 'Creating' };
  const count = a.InstanceId !== undefined ? 1 : a.Targets.filter((t) => t.Key === 'InstanceIds').reduce((n, t) => n + (t.Values?.length ?? 0), 0);
  return { Status: 'Success', DetailedStatus: 'Success', AssociationStatusAggregatedCount: count > 0 ? { Success: count } : {} };
}

/** AssociationDescription, members in the model's order. */
function description(a: StoredAssociation, fresh = false): AssociationDescription {
  const d: Record<string, unknown> = { Name: a.Name };
  if (a.InstanceId !== undefined) d.InstanceId = a.InstanceId;
  Object.assign(d, { AssociationVersion: a.AssociationVersion, Date: new Date(a.created), LastUpdateAssociationDate: new Date(a.updated), Overview: overview(a, fresh) });
  d.DocumentVersion = a.DocumentVersion ?? '$DEFAULT';
  if (a.Parameters !== undefined) d.Parameters = structuredClone(a.Parameters);
  d.AssociationId = a.AssociationId;
  d.Targets = structuredClone(a.Targets);
  if (a.ScheduleExpression !== undefined) d.ScheduleExpression = a.ScheduleExpression;
  if (a.OutputLocation !== undefined) d.OutputLocation = structuredClone(a.OutputLocation);
  if (!fresh) Object.assign(d, { LastExecutionDate: new Date(a.updated), LastSuccessfulExecutionDate: new Date(a.updated) });
  for (const m of ['AssociationName', 'MaxErrors', 'MaxConcurrency', 'ComplianceSeverity'] as const) if (a[m] !== undefined) d[m] = a[m];
  d.SyncCompliance = a.SyncCompliance ?? 'AUTO';
  d.ApplyOnlyAtCronInterval = a.ApplyOnlyAtCronInterval ?? false;
  return d as AssociationDescription;
}

/** The Association structure ListAssociations answers with. */
function summary(a: StoredAssociation): Record<string, unknown> {
  const s: Record<string, unknown> = { Name: a.Name };
  if (a.InstanceId !== undefined) s.InstanceId = a.InstanceId;
  // as AWS's list-associations example shows it: DocumentVersion only when one was named
  Object.assign(s, { AssociationId: a.AssociationId, AssociationVersion: a.AssociationVersion });
  if (a.DocumentVersion !== undefined) s.DocumentVersion = a.DocumentVersion;
  Object.assign(s, { Targets: structuredClone(a.Targets), LastExecutionDate: new Date(a.updated), Overview: overview(a, false) });
  if (a.ScheduleExpression !== undefined) s.ScheduleExpression = a.ScheduleExpression;
  if (a.AssociationName !== undefined) s.AssociationName = a.AssociationName;
  return s;
}

/** The association operations' slice of the operation table. */
export function associationOperations(ops: Ops) {
  function checkDocument(ctx: OperationContext, name: string, version: string | undefined, parameters: Record<string, unknown> | undefined): void {
    const document = findDocument(ops, ctx, name);
    if (!document) throw documentNotFound();
    const number = version === undefined || version === '$DEFAULT' ? String(document.default) : version === '$LATEST' ? String(document.latest) : version;
    if (!own(document.versions, number)) throw ssmError('InvalidDocumentVersion', 'The document version is not valid or does not exist.');
    checkParameters(document, number, parameters);
  }

  /** By AssociationId, or by Name and InstanceId (the legacy way). */
  function find(ctx: OperationContext, input: { AssociationId?: string; Name?: string; InstanceId?: string }): StoredAssociation {
    const all = ops.state(ctx).associations;
    const found = input.AssociationId !== undefined ? own(all, input.AssociationId) : Object.values(all).find((a) => a.Name === input.Name && a.InstanceId !== undefined && a.InstanceId === input.InstanceId);
    if (!found) throw notFound();
    return found;
  }

  function apply(a: StoredAssociation, input: Partial<CreateAssociationRequest>): void {
    for (const m of OPTIONAL) if (input[m] !== undefined) (a as unknown as Record<string, unknown>)[m] = input[m];
    if (input.Parameters !== undefined) a.Parameters = structuredClone(input.Parameters);
    if (input.OutputLocation !== undefined) a.OutputLocation = structuredClone(input.OutputLocation) as Record<string, unknown>;
    if (input.Targets !== undefined) a.Targets = structuredClone(input.Targets);
  }

  return {
    CreateAssociation(ctx, input) {
      checkDocument(ctx, input.Name, input.DocumentVersion, input.Parameters);
      checkSchedule(input.ScheduleExpression);
      const state = ops.state(ctx);
      if (input.InstanceId !== undefined && Object.values(state.associations).some((a) => a.Name === input.Name && a.InstanceId === input.InstanceId)) {
        throw ssmError('AssociationAlreadyExists', 'The specified association already exists.');
      }
      const now = Date.now();
      const a: StoredAssociation = { AssociationId: uuid(), AssociationVersion: '1', Name: input.Name, Targets: [], created: now, updated: now };
      if (input.InstanceId !== undefined) {
        a.InstanceId = input.InstanceId;
        a.Targets = [{ Key: 'InstanceIds', Values: [input.InstanceId] }];
      }
      apply(a, input);
      put(state.associations, a.AssociationId, a);
      ops.changed(ctx, 'associations', a.AssociationId);
      return { AssociationDescription: description(a, true) };
    },

    DescribeAssociation(ctx, input) {
      const a = find(ctx, input);
      if (input.AssociationVersion !== undefined && input.AssociationVersion !== '$LATEST' && input.AssociationVersion !== a.AssociationVersion) {
        throw ssmError('InvalidAssociationVersion', 'The version you specified is not valid. Use ListAssociationVersions to view all versions of an association according to the association ID. Or, use the $LATEST parameter to view the latest version of the association.');
      }
      return { AssociationDescription: description(a) };
    },

    ListAssociations(ctx, input) {
      const filters = input.AssociationFilterList ?? [];
      const field = (a: StoredAssociation, key: string): string | undefined =>
        key === 'InstanceId' ? (a.InstanceId ?? a.Targets.find((t) => t.Key === 'InstanceIds')?.Values?.[0]) : key === 'Name' ? a.Name : key === 'AssociationId' ? a.AssociationId : key === 'AssociationName' ? a.AssociationName : key === 'AssociationStatusName' ? 'Success' : undefined;
      const matched = Object.values(ops.state(ctx).associations)
        .filter((a) => filters.every((f) => (f.key === 'InstanceId' ? a.InstanceId === f.value || a.Targets.some((t) => t.Key === 'InstanceIds' && (t.Values ?? []).includes(f.value)) : field(a, f.key) === f.value)))
        .sort((x, y) => (x.AssociationId < y.AssociationId ? -1 : x.AssociationId > y.AssociationId ? 1 : 0));
      const { page, nextToken } = paginate(matched, { scope: `ListAssociations:${JSON.stringify(filters)}`, key: (a) => a.AssociationId, nextToken: input.NextToken, max: input.MaxResults ?? 50, invalidToken: invalidNextToken });
      return { Associations: page.map(summary), NextToken: nextToken };
    },

    UpdateAssociation(ctx, input) {
      const a = find(ctx, { AssociationId: input.AssociationId });
      if (input.AssociationVersion !== undefined && input.AssociationVersion !== '$LATEST' && input.AssociationVersion !== a.AssociationVersion) {
        throw ssmError('InvalidAssociationVersion', 'The version you specified is not valid. Use ListAssociationVersions to view all versions of an association according to the association ID. Or, use the $LATEST parameter to view the latest version of the association.');
      }
      if (input.Name !== undefined || input.DocumentVersion !== undefined || input.Parameters !== undefined) checkDocument(ctx, input.Name ?? a.Name, input.DocumentVersion ?? a.DocumentVersion, input.Parameters ?? a.Parameters);
      checkSchedule(input.ScheduleExpression);
      if (input.Name !== undefined) a.Name = input.Name;
      apply(a, input);
      a.AssociationVersion = String(Number(a.AssociationVersion) + 1);
      a.updated = Date.now();
      ops.changed(ctx, 'associations', a.AssociationId);
      return { AssociationDescription: description(a) };
    },

    DeleteAssociation(ctx, input) {
      const a = find(ctx, input);
      delete ops.state(ctx).associations[a.AssociationId];
      ops.changed(ctx, 'associations', a.AssociationId);
      return {};
    },
  } satisfies Partial<SsmApi>;
}
