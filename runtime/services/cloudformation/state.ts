/**
 * AWS CloudFormation: the state the provider keeps per account and region, as plain data that the
 * runtime can reset, persist and export (runtime/state/store.ts).
 *
 * A stack is one record keyed by its id (the stack ARN): deleted stacks stay there, describable
 * by id as AWS keeps them. Its events live beside it (`events[stackId]`), so that marking an
 * event does not journal the stack's template again. Change sets are keyed by their ARN, exports
 * by their name. Every status change of a deployment is written and marked at once (`saveStack`,
 * `saveEvents`): a deployment runs outside any request, and a restart finds the stack exactly
 * where it stopped (settled by the provider's start, see deploy.ts).
 */
import type { OperationContext, ProviderContext } from '../provider.js';
import { record } from '../../state/store.js';
import type { PropertyValue } from './resources/resource-type.js';

/** A tag as the API writes it. */
export interface StoredTag {
  Key: string;
  Value: string;
}

/** One parameter of a stack, bound (DescribeStacks Parameters). */
export interface StoredParameter {
  key: string;
  value: string;
  resolvedValue?: string;
  noEcho: boolean;
}

/** One output of a stack, resolved. */
export interface StoredOutput {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}

/** A resource of a stack as the engine created it. */
export interface StoredStackResource {
  logicalId: string;
  type: string;
  physicalId?: string;
  status: string;
  statusReason?: string;
  /** Epoch ms of its last status change. */
  updated: number;
  /** The properties it was created or last updated with, resolved. */
  properties: Record<string, PropertyValue>;
  /** What Fn::GetAtt reads. */
  attributes: Record<string, PropertyValue>;
  /** The logical ids it depends on (deletion goes the other way). */
  dependsOn: string[];
  deletionPolicy: string;
  updateReplacePolicy: string;
  metadata?: Record<string, PropertyValue>;
  /** Skipped under CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES: never created, never deleted. */
  skipped?: boolean;
}

/** A stack event (DescribeStackEvents). */
export interface StoredEvent {
  id: string;
  logicalId: string;
  physicalId?: string;
  type: string;
  /** Epoch ms. */
  timestamp: number;
  status: string;
  reason?: string;
  properties?: string;
  clientRequestToken?: string;
}

/** One step an update took on a resource (what its rollback undoes). */
export interface StoredUpdateStep {
  kind: 'create' | 'update' | 'replace';
  /** The resource after the step (a replacement's new half). */
  record: StoredStackResource;
  /** The resource before it (updates and replacements). */
  before?: StoredStackResource;
}

/** What an update changes of a stack, as it was before: what a rollback puts back. */
export interface StoredSnapshot {
  templateBody: string;
  processedTemplate: string;
  parameterInput: Record<string, string>;
  parameters: StoredParameter[];
  outputs: StoredOutput[];
  description?: string;
  imports: string[];
  tags: StoredTag[];
  capabilities: string[];
  notificationArns: string[];
  resources: Record<string, StoredStackResource>;
}

/** A stack, alive or deleted. */
export interface StoredStack {
  id: string;
  name: string;
  status: string;
  statusReason?: string;
  /** Epoch ms. */
  created: number;
  updated?: number;
  deleted?: number;
  description?: string;
  /** The template as submitted (GetTemplate Original). */
  templateBody: string;
  /** The template as processed (transforms expanded), as JSON text (GetTemplate Processed). */
  processedTemplate: string;
  /** The parameter values as the caller gave them (UsePreviousValue reads them). */
  parameterInput: Record<string, string>;
  parameters: StoredParameter[];
  outputs: StoredOutput[];
  capabilities: string[];
  notificationArns: string[];
  tags: StoredTag[];
  roleArn?: string;
  disableRollback: boolean;
  timeoutInMinutes?: number;
  terminationProtection: boolean;
  stackPolicy?: string;
  /** The change set last executed on it. */
  changeSetId?: string;
  /** The ClientRequestToken of the last operation (idempotent retries). */
  clientRequestToken?: string;
  /** Export names its template imports (ListImports; deletion of an export in use). */
  imports: string[];
  /** Resources by logical id. */
  resources: Record<string, StoredStackResource>;
  parentId?: string;
  rootId?: string;
  /** An update that failed with rollback disabled (UPDATE_FAILED): what RollbackStack undoes. */
  pendingRollback?: { before: StoredSnapshot; steps: StoredUpdateStep[] };
}

/** One change of a change set, as DescribeChangeSet answers it (the API's Change, plain data). */
export type StoredChange = Record<string, PropertyValue>;

/** A change set. */
export interface StoredChangeSet {
  id: string;
  name: string;
  stackId: string;
  stackName: string;
  type: 'CREATE' | 'UPDATE';
  status: string;
  statusReason?: string;
  executionStatus: string;
  /** Epoch ms. */
  created: number;
  description?: string;
  templateBody: string;
  /** The template as processed (SAM expanded), as JSON text (GetTemplate Processed); older records have none. */
  processedTemplate?: string;
  parameterInput: Record<string, string>;
  parameters: StoredParameter[];
  capabilities: string[];
  notificationArns: string[];
  tags: StoredTag[];
  roleArn?: string;
  changes: StoredChange[];
  clientToken?: string;
}

/** An export of an output. */
export interface StoredExport {
  stackId: string;
  value: string;
}

/** Everything cloudformation keeps in one account and region. */
export interface CloudformationState {
  /** Stacks by id (ARN), deleted ones included. */
  stacks: Record<string, StoredStack>;
  /** Events by stack id, oldest first. */
  events: Record<string, StoredEvent[]>;
  /** Change sets by id (ARN). */
  changeSets: Record<string, StoredChangeSet>;
  /** Exports by name. */
  exports: Record<string, StoredExport>;
}

/** The state of an account and region that has none yet. */
export function newState(): CloudformationState {
  return { stacks: record(), events: record(), changeSets: record(), exports: record() };
}

/** What the handlers and the engine use to reach and mark the state. */
export type CfnStore = ReturnType<typeof declareState>;

/** Where a stack lives: account and region. */
export interface Place {
  readonly accountId: string;
  readonly region: string;
}

/**
 * Declares the state to the runtime (once, in createProvider) and returns what handlers use:
 * `of(ctx)` is the caller's account and region; the `save*` helpers mark what changed.
 */
export function declareState(context: ProviderContext) {
  const store = context.state.accountRegion<CloudformationState>('stacks', newState);
  return {
    store,
    of: (ctx: OperationContext | Place) => store.get(ctx.accountId, ctx.region),
    saveStack: (at: Place, stack: StoredStack) => store.changed(at.accountId, at.region, 'stacks', stack.id),
    saveEvents: (at: Place, stackId: string) => store.changed(at.accountId, at.region, 'events', stackId),
    saveChangeSet: (at: Place, id: string) => store.changed(at.accountId, at.region, 'changeSets', id),
    saveExport: (at: Place, name: string) => store.changed(at.accountId, at.region, 'exports', name),
  };
}
