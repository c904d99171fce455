/**
 * The engine: a stack's resources created, updated and deleted through their resource types,
 * and the stack's status machine around it, as CloudFormation runs it:
 *
 *   create  CREATE_IN_PROGRESS -> CREATE_COMPLETE
 *                              -> ROLLBACK_IN_PROGRESS -> ROLLBACK_COMPLETE (created resources
 *                                 deleted; OnFailure DO_NOTHING: CREATE_FAILED; DELETE: deleted)
 *   update  UPDATE_IN_PROGRESS -> UPDATE_COMPLETE_CLEANUP_IN_PROGRESS (removed resources and
 *                                 the old halves of replacements deleted) -> UPDATE_COMPLETE
 *                              -> UPDATE_ROLLBACK_IN_PROGRESS (updates reverted, replaced
 *                                 resources restored) -> UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS
 *                                 (new resources deleted) -> UPDATE_ROLLBACK_COMPLETE
 *   delete  DELETE_IN_PROGRESS -> DELETE_COMPLETE / DELETE_FAILED
 *
 * Resources go in parallel, each once everything it depends on is done (deletes the other way
 * round, apply.ts); after the first failure nothing new starts. A deployment runs outside any
 * request, as a promise the provider owns (`Deployments`); every status change is written and
 * marked as it happens, so a restart finds the stack where it stopped and `settleInterrupted`
 * gives it the failed status AWS would leave.
 */
import { record } from '../../state/store.js';
import {
  createResource,
  deleteInReverseOrder,
  failureReason,
  newRecord,
  resolveProperties,
  updateResource,
  type Run,
} from './apply.js';
import { applyExports, resolveOutputs, removeExports } from './outputs.js';
import { inProgress, recordEvent, setResourceStatus, setStackStatus } from './records.js';
import type { PropertyValue } from './resources/resource-type.js';
import type { CfnStore, StoredSnapshot, StoredStack, StoredStackResource, StoredUpdateStep } from './state.js';
import type { PlannedResource, PreparedTemplate } from './template/index.js';

/** The running deployments of a provider: one promise per stack at most. */
export class Deployments {
  private readonly running = new Map<string, Promise<void>>();
  /** Set when the provider stops: deployments stop where they are (see Run.halted). */
  stopping = false;

  /** Runs `work` for the stack in the background; its errors are bugs, logged. */
  start(stackId: string, work: () => Promise<void>, log: (message: string) => void): void {
    const promise = work()
      .catch((error: unknown) => log(`cloudformation: deployment of ${stackId} failed: ${(error as Error)?.stack ?? String(error)}`))
      .finally(() => {
        if (this.running.get(stackId) === promise) this.running.delete(stackId);
      });
    this.running.set(stackId, promise);
  }

  /** Resolves when the stack's running operation (if any) has finished. */
  async idleFor(stackId: string): Promise<void> {
    for (let p = this.running.get(stackId); p; p = this.running.get(stackId)) await p;
  }

  /** Resolves when nothing runs (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }
}

/** What an update may have to put back: the stack's fields and resources before it. */
export type StackSnapshot = StoredSnapshot;

/** A deep copy of what an update changes. */
export function snapshotOf(stack: StoredStack): StackSnapshot {
  const { templateBody, processedTemplate, parameterInput, parameters, outputs, description, imports, tags, capabilities, notificationArns, resources } = stack;
  return structuredClone({ templateBody, processedTemplate, parameterInput, parameters, outputs, description, imports, tags, capabilities, notificationArns, resources });
}

/** One step taken on a resource in an update, for the rollback. */
type Step = StoredUpdateStep;

function sameValue(a: PropertyValue | undefined, b: PropertyValue | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Creates or updates every planned resource in dependency order against `old` (the stack's
 * resources before; empty on create). Returns the steps taken and the resources that failed.
 */
async function deployResources(run: Run, prepared: PreparedTemplate, old: Readonly<Record<string, StoredStackResource>>, tagsChanged = false): Promise<{ steps: Step[]; failedCreate: string[]; failedUpdate: string[] }> {
  const steps: Step[] = [];
  const failedCreate: string[] = [];
  const failedUpdate: string[] = [];
  const done = new Map<string, Promise<boolean>>();
  const one = async (planned: PlannedResource): Promise<boolean> => {
    const waits = planned.dependsOn.map((id) => done.get(id)).filter((p): p is Promise<boolean> => p !== undefined);
    const ready = await Promise.all(waits);
    if (ready.includes(false) || failedCreate.length + failedUpdate.length > 0 || run.halted?.()) return false;
    const previous = old[planned.logicalId];
    const type = await run.deps.resourceType(planned.type);
    let properties: Record<string, PropertyValue>;
    try {
      properties = resolveProperties(run, prepared, planned);
    } catch (error) {
      const record = newRecord(run, planned, {});
      const failed = previous?.physicalId ? 'UPDATE_FAILED' : 'CREATE_FAILED';
      if (previous?.physicalId) Object.assign(record, { physicalId: previous.physicalId, attributes: previous.attributes, properties: previous.properties });
      setResourceStatus(run, run.at, run.stack, record, failed, (error as Error).message);
      (previous?.physicalId ? failedUpdate : failedCreate).push(planned.logicalId);
      return false;
    }
    const record = newRecord(run, planned, properties);
    if (!type) {
      // CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES: validation let it through; it is never created
      if (previous?.skipped) return true;
      run.deps.context.log.warn(`cloudformation: stack ${run.stack.name}: resource ${planned.logicalId} of unsupported type ${planned.type} skipped (CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES)`);
      Object.assign(record, { skipped: true, physicalId: `${planned.logicalId}-${run.stack.id.split('/').pop()!.slice(0, 8)}` });
      setResourceStatus(run, run.at, run.stack, record, 'CREATE_COMPLETE', `Resource type ${planned.type} is not supported and was skipped`);
      steps.push({ kind: 'create', record });
      return true;
    }
    if (!previous?.physicalId || previous.skipped) {
      const ok = await createResource(run, type, record, false);
      steps.push({ kind: 'create', record });
      if (!ok) failedCreate.push(planned.logicalId);
      return ok;
    }
    const changed = Object.keys({ ...previous.properties, ...properties }).filter((key) => !sameValue(previous.properties[key], properties[key]));
    // the stack's tags changed: every type that can update takes them, nothing is replaced for it
    const retag = changed.length === 0 && tagsChanged && type.update !== undefined;
    if (changed.length === 0 && !retag && previous.type === planned.type && !previous.status.endsWith('_FAILED')) {
      // unchanged: only what the template says about it may differ (dependencies, policies)
      Object.assign(previous, { dependsOn: record.dependsOn, deletionPolicy: record.deletionPolicy, updateReplacePolicy: record.updateReplacePolicy });
      run.stack.resources[planned.logicalId] = previous;
      run.deps.store.saveStack(run.at, run.stack);
      return true;
    }
    const before = structuredClone(previous);
    const replace = previous.type !== planned.type || !type.update || changed.some((key) => (type.createOnly as readonly string[] | undefined)?.includes(key));
    if (replace) {
      const ok = await createResource(run, type, record, true, type.nameProperty === undefined ? undefined : previous.properties[type.nameProperty]);
      steps.push({ kind: 'replace', record, before });
      if (!ok) failedUpdate.push(planned.logicalId);
      return ok;
    }
    Object.assign(record, { physicalId: previous.physicalId, attributes: previous.attributes });
    const ok = await updateResource(run, type, record, previous);
    // an update that answers a new physical id (a custom resource can) replaced the resource: the old one goes in the cleanup
    steps.push({ kind: ok && record.physicalId !== previous.physicalId ? 'replace' : 'update', record, before });
    if (!ok) failedUpdate.push(planned.logicalId);
    return ok;
  };
  for (const planned of prepared.resources.values()) done.set(planned.logicalId, one(planned));
  await Promise.all(done.values());
  return { steps, failedCreate, failedUpdate };
}

function failureMessage(failedCreate: readonly string[], failedUpdate: readonly string[]): string {
  return failedCreate.length > 0 ? `The following resource(s) failed to create: [${failedCreate.join(', ')}]. ` : `The following resource(s) failed to update: [${failedUpdate.join(', ')}]. `;
}

/** Resolves outputs and writes exports; returns AWS's reason when they cannot be. */
function finishOutputs(run: Run, prepared: PreparedTemplate): string | undefined {
  try {
    const outputs = resolveOutputs(run, prepared);
    const refused = applyExports(run, outputs);
    if (refused) return refused;
    run.stack.outputs = outputs;
    run.stack.imports = [...run.imports].sort();
    run.deps.store.saveStack(run.at, run.stack);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The create deployment (the stack is CREATE_IN_PROGRESS already). */
export async function runCreate(run: Run, prepared: PreparedTemplate, onFailure: string): Promise<void> {
  const { stack, at } = run;
  const result = await deployResources(run, prepared, {});
  if (run.halted?.()) return;
  const failed = result.failedCreate.length + result.failedUpdate.length > 0;
  const reason = failed ? failureMessage(result.failedCreate, result.failedUpdate) : finishOutputs(run, prepared);
  if (reason === undefined) {
    setStackStatus(run, at, stack, 'CREATE_COMPLETE');
    return;
  }
  if (onFailure === 'DO_NOTHING') {
    setStackStatus(run, at, stack, 'CREATE_FAILED', reason);
    return;
  }
  if (onFailure === 'DELETE') {
    setStackStatus(run, at, stack, 'DELETE_IN_PROGRESS', reason);
    await deleteAll(run, reason);
    return;
  }
  const rollbackReason = `${reason}${failed ? 'Rollback requested by user.' : ''}`;
  setStackStatus(run, at, stack, 'ROLLBACK_IN_PROGRESS', rollbackReason);
  await rollbackCreate(run, rollbackReason);
}

/** Deletes what a failed create made (the stack is ROLLBACK_IN_PROGRESS): ROLLBACK_COMPLETE or ROLLBACK_FAILED. */
export async function rollbackCreate(run: Run, reason: string | undefined): Promise<void> {
  const { stack, at } = run;
  const notDeleted = await deleteInReverseOrder(run, Object.values(stack.resources), (r) => r.deletionPolicy === 'Retain');
  if (run.halted?.()) return;
  removeExports(run);
  if (notDeleted.length > 0) setStackStatus(run, at, stack, 'ROLLBACK_FAILED', `The following resource(s) failed to delete: [${notDeleted.join(', ')}]. `);
  else {
    setStackStatus(run, at, stack, 'ROLLBACK_COMPLETE');
    if (reason !== undefined) {
      // DescribeStacks keeps saying why it rolled back
      stack.statusReason = reason;
      run.deps.store.saveStack(at, stack);
    }
  }
}

/** The update deployment (the stack is UPDATE_IN_PROGRESS with its new template; `before` is what it was). */
export async function runUpdate(run: Run, prepared: PreparedTemplate, before: StackSnapshot, disableRollback: boolean): Promise<void> {
  const { stack, at } = run;
  const result = await deployResources(run, prepared, before.resources, JSON.stringify(before.tags) !== JSON.stringify(stack.tags));
  if (run.halted?.()) return;
  const failed = result.failedCreate.length + result.failedUpdate.length > 0;
  const reason = failed ? failureMessage(result.failedCreate, result.failedUpdate) : finishOutputs(run, prepared);
  if (reason === undefined) {
    setStackStatus(run, at, stack, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    const removed = Object.values(before.resources).filter((r) => !prepared.resources.has(r.logicalId));
    await deleteInReverseOrder(run, removed.map((r) => stack.resources[r.logicalId] ?? r), (r) => r.deletionPolicy === 'Retain');
    for (const r of removed) delete stack.resources[r.logicalId];
    const replaced = result.steps.filter((s) => s.kind === 'replace').map((s) => s.before!);
    await deleteInReverseOrder(run, replaced, (r) => r.updateReplacePolicy === 'Retain', false);
    if (run.halted?.()) return;
    delete stack.pendingRollback;
    run.deps.store.saveStack(at, stack);
    setStackStatus(run, at, stack, 'UPDATE_COMPLETE');
    return;
  }
  if (disableRollback) {
    // RollbackStack puts back the stack as it was before this update
    stack.pendingRollback = { before, steps: result.steps };
    setStackStatus(run, at, stack, 'UPDATE_FAILED', reason);
    return;
  }
  setStackStatus(run, at, stack, 'UPDATE_ROLLBACK_IN_PROGRESS', reason);
  await rollbackUpdate(run, before, result.steps);
}

/**
 * Undoes an update's steps (the stack is UPDATE_ROLLBACK_IN_PROGRESS): updates reverted,
 * replaced resources restored, then new resources deleted in the cleanup; UPDATE_ROLLBACK_COMPLETE.
 */
export async function rollbackUpdate(run: Run, before: StackSnapshot, steps: readonly Step[]): Promise<void> {
  const { stack, at } = run;
  const result = { steps };
  for (const step of [...result.steps].reverse()) {
    if (step.kind === 'update' && step.before) {
      const type = await run.deps.resourceType(step.before.type);
      const revert: StoredStackResource = { ...step.record, properties: step.before.properties };
      if (type?.update) await updateResource(run, type, revert, step.record);
    } else if (step.kind === 'replace' && step.before) {
      setResourceStatus(run, at, stack, step.before, 'UPDATE_COMPLETE');
    }
  }
  const { resources: _resources, ...fields } = before;
  Object.assign(stack, structuredClone(fields));
  run.deps.store.saveStack(at, stack);
  setStackStatus(run, at, stack, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
  const created = result.steps.filter((s) => s.kind === 'create').map((s) => s.record);
  await deleteInReverseOrder(run, created, () => false);
  for (const r of created) if (!before.resources[r.logicalId]) delete stack.resources[r.logicalId];
  const newHalves = result.steps.filter((s) => s.kind === 'replace' && s.record.physicalId !== undefined).map((s) => s.record);
  await deleteInReverseOrder(run, newHalves, () => false, false);
  if (run.halted?.()) return;
  run.deps.store.saveStack(at, stack);
  setStackStatus(run, at, stack, 'UPDATE_ROLLBACK_COMPLETE');
}

/** Deletes every resource of the stack, then the stack (DELETE_COMPLETE or DELETE_FAILED). */
export async function deleteAll(run: Run, reason?: string, retain: readonly string[] = []): Promise<void> {
  const { stack, at } = run;
  const failed = await deleteInReverseOrder(run, Object.values(stack.resources), (r) => r.deletionPolicy === 'Retain' || retain.includes(r.logicalId));
  if (run.halted?.()) return;
  if (failed.length > 0) {
    setStackStatus(run, at, stack, 'DELETE_FAILED', `The following resource(s) failed to delete: [${failed.join(', ')}]. `);
    return;
  }
  removeExports(run);
  const state = run.deps.store.of(at);
  for (const cs of Object.values(state.changeSets)) {
    if (cs.stackId !== stack.id) continue;
    delete state.changeSets[cs.id];
    run.deps.store.saveChangeSet(at, cs.id);
  }
  setStackStatus(run, at, stack, 'DELETE_COMPLETE', reason);
}

/** The failed status AWS leaves for an operation that stopped midway. */
const SETTLED: Readonly<Record<string, string>> = {
  CREATE_IN_PROGRESS: 'CREATE_FAILED',
  ROLLBACK_IN_PROGRESS: 'ROLLBACK_FAILED',
  DELETE_IN_PROGRESS: 'DELETE_FAILED',
  UPDATE_IN_PROGRESS: 'UPDATE_ROLLBACK_FAILED',
  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: 'UPDATE_COMPLETE',
  UPDATE_ROLLBACK_IN_PROGRESS: 'UPDATE_ROLLBACK_FAILED',
  UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS: 'UPDATE_ROLLBACK_COMPLETE',
};

/**
 * Stacks found in progress when the provider starts (the runtime stopped mid-deployment): each
 * gets the status AWS would leave after a failure, and its resources still in progress fail.
 */
export function settleInterrupted(store: CfnStore, now: () => number): void {
  const rec = { store, now };
  for (const [accountId, region, state] of store.store.entries()) {
    const at = { accountId, region };
    for (const stack of Object.values(state.stacks)) {
      if (!inProgress(stack.status)) continue;
      const reason = 'The deployment stopped when the runtime stopped; it did not finish.';
      for (const resource of Object.values(stack.resources)) {
        if (resource.status.endsWith('_IN_PROGRESS')) setResourceStatus(rec, at, stack, resource, resource.status.replace('_IN_PROGRESS', '_FAILED'), reason);
      }
      const settled = SETTLED[stack.status] ?? 'UPDATE_ROLLBACK_FAILED';
      setStackStatus(rec, at, stack, settled, settled.endsWith('_COMPLETE') ? undefined : reason);
    }
    for (const cs of Object.values(state.changeSets)) {
      if (cs.executionStatus !== 'EXECUTE_IN_PROGRESS') continue;
      cs.executionStatus = 'EXECUTE_FAILED';
      store.saveChangeSet(at, cs.id);
    }
  }
}

/** A fresh record() copy of plain resources (structuredClone loses the null prototype). */
export function asRecord<V>(value: Readonly<Record<string, V>>): Record<string, V> {
  return Object.assign(record<V>(), value);
}

/** Records an event with the stack's current status (a refusal that changes nothing, as AWS reports it). */
export function noteOnStack(run: Run, reason: string): void {
  recordEvent(run, run.at, run.stack, { logicalId: run.stack.name, physicalId: run.stack.id, type: 'AWS::CloudFormation::Stack', status: run.stack.status, reason });
}

export { failureReason };
