/**
 * Finding stacks and writing what happens to them: the lookups every operation shares (a
 * stack by name or id, AWS's "does not exist" error), and the three writes of a deployment,
 * each marked at once and each leaving an event, as CloudFormation reports every status
 * change: the stack's status, a resource's status, a plain event.
 */
import { arnFor } from '../../aws/arns.js';
import { uuid } from '../../aws/ids.js';
import { templateError } from './template/index.js';
import type { CfnStore, CloudformationState, Place, StoredEvent, StoredStack, StoredStackResource } from './state.js';

/** The stack type as events and DescribeStackResources name it. */
export const STACK_TYPE = 'AWS::CloudFormation::Stack';

/** A new stack id: `arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>`. */
export function newStackId(at: Place, name: string): string {
  return arnFor(at, 'cloudformation', `stack/${name}/${uuid()}`);
}

/** A new change set id: `arn:aws:cloudformation:<region>:<account>:changeSet/<name>/<uuid>`. */
export function newChangeSetId(at: Place, name: string): string {
  return arnFor(at, 'cloudformation', `changeSet/${name}/${uuid()}`);
}

/** AWS's answer for a stack name or id that names no stack. */
export function stackNotFound(nameOrId: string) {
  return templateError(`Stack with id ${nameOrId} does not exist`);
}

/**
 * The stack a name or id names: by id, deleted ones too (AWS keeps them describable by id); by
 * name, only the live one.
 */
export function findStack(state: CloudformationState, nameOrId: string): StoredStack | undefined {
  if (nameOrId.startsWith('arn:')) return state.stacks[nameOrId];
  for (const stack of Object.values(state.stacks)) if (stack.name === nameOrId && stack.status !== 'DELETE_COMPLETE') return stack;
  return undefined;
}

/** Like findStack, or AWS's ValidationError. */
export function requireStack(state: CloudformationState, nameOrId: string): StoredStack {
  const stack = findStack(state, nameOrId);
  if (!stack) throw stackNotFound(nameOrId);
  return stack;
}

/** Whether a stack is busy (an operation in progress): another one is refused. */
export function inProgress(status: string): boolean {
  return status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';
}

/** What the deployment writes through: the store, and "now". */
export interface Recorder {
  readonly store: CfnStore;
  readonly now: () => number;
  /** Told of every event recorded (the stack's notification topics, notifications.ts). */
  readonly notify?: (at: Place, stack: StoredStack, event: StoredEvent) => void;
}

/** Appends an event to a stack's list and marks it. */
export function recordEvent(rec: Recorder, at: Place, stack: StoredStack, event: Omit<StoredEvent, 'id' | 'timestamp'>): void {
  const state = rec.store.of(at);
  // a deployment that outlived its state (a reset, a load) writes no events into the new one
  if (state.stacks[stack.id] !== stack) return;
  const events = state.events;
  const list = events[stack.id] ?? (events[stack.id] = []);
  // strictly increasing within a stack: the CDK CLI orders the events it reads by Timestamp
  // alone (a stable sort of newest-first pages), and prints those of one millisecond newest first
  const last = list[list.length - 1];
  const now = rec.now();
  const timestamp = last !== undefined && last.timestamp >= now ? last.timestamp + 1 : now;
  const stored: StoredEvent = { id: uuid(), timestamp, ...dropUndefined(event) };
  list.push(stored);
  rec.store.saveEvents(at, stack.id);
  rec.notify?.(at, stack, stored);
}

/** Sets the stack's status (and reason), marks it, and records the stack's event. */
export function setStackStatus(rec: Recorder, at: Place, stack: StoredStack, status: string, reason?: string, token?: string): void {
  stack.status = status;
  if (reason === undefined) delete stack.statusReason;
  else stack.statusReason = reason;
  if (status === 'DELETE_COMPLETE') stack.deleted = rec.now();
  rec.store.saveStack(at, stack);
  recordEvent(rec, at, stack, { logicalId: stack.name, physicalId: stack.id, type: STACK_TYPE, status, reason, clientRequestToken: token ?? stack.clientRequestToken });
}

/**
 * Sets a resource's status (and reason), marks the stack, and records the resource's event;
 * `attach` false for a record no longer in the stack's table (the old half of a replacement).
 */
export function setResourceStatus(rec: Recorder, at: Place, stack: StoredStack, resource: StoredStackResource, status: string, reason?: string, attach = true): void {
  resource.status = status;
  resource.updated = rec.now();
  if (reason === undefined) delete resource.statusReason;
  else resource.statusReason = reason;
  if (attach) stack.resources[resource.logicalId] = resource;
  rec.store.saveStack(at, stack);
  recordEvent(rec, at, stack, {
    logicalId: resource.logicalId,
    physicalId: resource.physicalId ?? '',
    type: resource.type,
    status,
    reason,
    properties: status.endsWith('_IN_PROGRESS') && !status.startsWith('DELETE') ? JSON.stringify(resource.properties) : undefined,
    clientRequestToken: stack.clientRequestToken,
  });
}

function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
