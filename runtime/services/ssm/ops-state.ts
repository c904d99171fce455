/**
 * The stored shapes of SSM's operations resources (documents, maintenance windows, patch
 * baselines, commands, associations), kept in one account-and-region store beside Parameter
 * Store's. Plain JSON: dates as epoch milliseconds, collections as null-prototype records
 * keyed by name or id, so that persistence journals one resource per change
 * (`changed(ctx, 'documents', name)`).
 */
import type { AccountRegionStore } from '../../state/store.js';
import { record } from '../../state/store.js';
import type { Tag } from '../../aws/tags.js';
import type { OperationContext, ProviderContext } from '../provider.js';
import type {
  DocumentParameter,
  DocumentRequires,
  MaintenanceWindowTask,
  MaintenanceWindowTaskInvocationParameters,
  PatchFilterGroup,
  PatchRuleGroup,
  PatchSource,
  Target,
} from './api.generated.js';

/** One version of a document: its content and what was read out of it. */
export interface StoredDocumentVersion {
  /** "1", "2", ... */
  version: string;
  content: string;
  format: string;
  versionName?: string;
  displayName?: string;
  targetType?: string;
  requires?: DocumentRequires[];
  /** SHA-256 of the content, lower-case hex (AWS's Hash, HashType Sha256). */
  hash: string;
  schemaVersion?: string;
  description?: string;
  parameters: DocumentParameter[];
  platformTypes: string[];
  created: number;
}

/** A document: its versions, which is latest and default, its tags and shares. */
export interface StoredDocument {
  name: string;
  documentType: string;
  created: number;
  /** By version number; integer keys enumerate in ascending order. */
  versions: Record<string, StoredDocumentVersion>;
  latest: number;
  default: number;
  /** The counter of version numbers (a deleted latest version's number is not reused). */
  next: number;
  tags: Tag[];
  /** Accounts the document is shared with ('all' for public), in the order they were added. */
  shared: Array<{ AccountId: string; SharedDocumentVersion: string }>;
}

/** A target registered with a maintenance window. */
export interface StoredWindowTarget {
  WindowTargetId: string;
  ResourceType: string;
  Targets: Target[];
  OwnerInformation?: string;
  Name?: string;
  Description?: string;
}

/** A registered task: MaintenanceWindowTask's members without WindowId, plus its invocation parameters. */
export type StoredWindowTask = Omit<MaintenanceWindowTask, 'WindowId' | 'WindowTaskId'> & {
  WindowTaskId: string;
  TaskInvocationParameters?: MaintenanceWindowTaskInvocationParameters;
};

/** A maintenance window with its targets and tasks (by their uuids). */
export interface StoredWindow {
  WindowId: string;
  Name: string;
  Description?: string;
  StartDate?: string;
  EndDate?: string;
  Schedule: string;
  ScheduleTimezone?: string;
  ScheduleOffset?: number;
  Duration: number;
  Cutoff: number;
  AllowUnassociatedTargets: boolean;
  Enabled: boolean;
  created: number;
  modified: number;
  tags: Tag[];
  targets: Record<string, StoredWindowTarget>;
  tasks: Record<string, StoredWindowTask>;
}

/** A patch baseline of the account (AWS's predefined ones are constants, not state). */
export interface StoredBaseline {
  BaselineId: string;
  Name: string;
  OperatingSystem: string;
  Description?: string;
  GlobalFilters?: PatchFilterGroup;
  ApprovalRules?: PatchRuleGroup;
  ApprovedPatches: string[];
  ApprovedPatchesComplianceLevel: string;
  ApprovedPatchesEnableNonSecurity: boolean;
  RejectedPatches: string[];
  RejectedPatchesAction: string;
  Sources: PatchSource[];
  AvailableSecurityUpdatesComplianceStatus?: string;
  created: number;
  modified: number;
  tags: Tag[];
}

/** One instance a command reached. */
export interface StoredInvocation {
  InstanceId: string;
  /** The plugins (steps) of the document, in order. */
  plugins: string[];
}

/** A command SendCommand recorded. */
export interface StoredCommand {
  CommandId: string;
  /** Orders listings, newest first. */
  seq: number;
  DocumentName: string;
  DocumentVersion?: string;
  Comment?: string;
  Parameters: Record<string, string[]>;
  InstanceIds: string[];
  Targets: Target[];
  requested: number;
  TimeoutSeconds?: number;
  OutputS3Region?: string;
  OutputS3BucketName?: string;
  OutputS3KeyPrefix?: string;
  MaxConcurrency: string;
  MaxErrors: string;
  ServiceRole?: string;
  NotificationConfig?: { NotificationArn?: string; NotificationEvents?: string[]; NotificationType?: string };
  CloudWatchOutputConfig?: { CloudWatchLogGroupName?: string; CloudWatchOutputEnabled?: boolean };
  Status: string;
  invocations: StoredInvocation[];
}

/** A State Manager association (its latest version). */
export interface StoredAssociation {
  AssociationId: string;
  AssociationVersion: string;
  Name: string;
  DocumentVersion?: string;
  InstanceId?: string;
  AssociationName?: string;
  Targets: Target[];
  Parameters?: Record<string, string[]>;
  ScheduleExpression?: string;
  OutputLocation?: Record<string, unknown>;
  MaxErrors?: string;
  MaxConcurrency?: string;
  ComplianceSeverity?: string;
  SyncCompliance?: string;
  ApplyOnlyAtCronInterval?: boolean;
  created: number;
  updated: number;
}

/** One account and region's operations resources. */
export interface OpsState {
  documents: Record<string, StoredDocument>;
  windows: Record<string, StoredWindow>;
  baselines: Record<string, StoredBaseline>;
  /** Patch group -> operating system -> baseline id. */
  patchGroups: Record<string, Record<string, string>>;
  /** Operating system -> the account's default baseline id, where it differs from AWS's. */
  defaultBaselines: Record<string, string>;
  commands: Record<string, StoredCommand>;
  commandSeq: number;
  associations: Record<string, StoredAssociation>;
}

/** An account and region's empty state. */
export function newOpsState(): OpsState {
  return {
    documents: record(),
    windows: record(),
    baselines: record(),
    patchGroups: record(),
    defaultBaselines: record(),
    commands: record(),
    commandSeq: 0,
    associations: record(),
  };
}

/** The store and the two things every handler needs of it. */
export interface Ops {
  readonly store: AccountRegionStore<OpsState>;
  state(ctx: OperationContext): OpsState;
  /** Marks `path` of the caller's state as changed (or deleted). */
  changed(ctx: OperationContext, ...path: string[]): void;
}

/** Declares the store (once, in createProvider). */
export function declareOps(context: ProviderContext): Ops {
  const store = context.state.accountRegion<OpsState>('operations', newOpsState);
  return {
    store,
    state: (ctx) => store.get(ctx.accountId, ctx.region),
    changed: (ctx, ...path) => store.changed(ctx.accountId, ctx.region, ...path),
  };
}

/** An own property of a record (user input may be `__proto__`). */
export function own<V>(map: Record<string, V>, key: string): V | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Sets an own property of a record, whatever the key. */
export function put<V>(map: Record<string, V>, key: string, value: V): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Ids as AWS makes them: `mw-` / `pb-` and 17 lower-case hex digits. */
export function resourceId(prefix: 'mw' | 'pb', hex: (bytes: number) => string): string {
  return `${prefix}-${hex(9).slice(0, 17)}`;
}
