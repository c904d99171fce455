/**
 * One resource at a time: what the engine (deploy.ts) does to a single resource of a stack
 * through its resource type, and the events each step leaves, as CloudFormation reports them:
 *
 *   create   CREATE_IN_PROGRESS, CREATE_IN_PROGRESS "Resource creation Initiated", CREATE_COMPLETE
 *   update   UPDATE_IN_PROGRESS, UPDATE_COMPLETE (in place: no createOnly property changed)
 *   replace  UPDATE_IN_PROGRESS "Requested update requires the creation of a new physical
 *            resource; hence creating one.", UPDATE_IN_PROGRESS "Resource creation Initiated",
 *            UPDATE_COMPLETE; the old one is deleted later, in the cleanup phase
 *   delete   DELETE_IN_PROGRESS, DELETE_COMPLETE (DELETE_SKIPPED when retained)
 *
 * A handler's ServiceError fails the resource with AWS's "Resource handler returned message"
 * reason; anything else is a bug, logged, and reported as an internal failure.
 */
import { ServiceError } from '../../aws/errors.js';
import { randomUpperId, uuid } from '../../aws/ids.js';
import { partitionOf } from '../../aws/arns.js';
import type { CfnDeps } from './language.js';
import { setResourceStatus, type Recorder } from './records.js';
import type { PropertyValue, ResourceContext, ResourceState, ResourceType } from './resources/resource-type.js';
import type { Place, StoredStack, StoredStackResource } from './state.js';
import { templateError, type PlannedResource, type PreparedTemplate, type ResourceRefs } from './template/index.js';

/** One deployment of one stack: what every step needs. */
export interface Run extends Recorder {
  readonly deps: CfnDeps;
  readonly at: Place;
  readonly stack: StoredStack;
  /** Export names read while resolving (the stack's imports). */
  readonly imports: Set<string>;
  /**
   * Whether the provider is stopping: nothing new starts, and the stack stays in progress
   * (the next start settles it, as after a crash).
   */
  readonly halted?: () => boolean;
}

/** The context a resource type's handler gets for one resource. */
export function resourceContext(run: Run, logicalId: string): ResourceContext {
  const { at, stack, deps } = run;
  return {
    accountId: at.accountId,
    region: at.region,
    partition: partitionOf(at.region),
    stackName: stack.name,
    stackId: stack.id,
    logicalId,
    log: deps.context.log,
    call: (service, operation, input) => deps.context.client.call(service, operation, input, { ...at, principal: 'cloudformation.amazonaws.com' }),
    physicalName: (options = {}) => physicalName(stack.name, logicalId, options),
    stackTags: Object.fromEntries(stack.tags.map((t) => [t.Key, t.Value])),
  };
}

/** `<stack>-<logical id>-<12 random>`, shortened to `max` with the suffix kept at the end. */
export function physicalName(stackName: string, logicalId: string, options: { readonly max?: number; readonly suffix?: string; readonly lowerCase?: boolean }): string {
  const tail = `-${randomUpperId(12)}${options.suffix ?? ''}`;
  let head = `${stackName}-${logicalId}`;
  const max = options.max ?? 255;
  if (head.length + tail.length > max) {
    // shorten both parts alike, as CloudFormation does, keeping each recognisable
    const room = Math.max(max - tail.length - 1, 2);
    const stackPart = stackName.slice(0, Math.ceil(room / 2));
    head = `${stackPart}-${logicalId.slice(0, room - stackPart.length)}`;
  }
  const name = head + tail;
  return options.lowerCase ? name.toLowerCase() : name;
}

/** How resolveValue reads this run's resources, exports and zones. */
export function refsOf(run: Run): ResourceRefs {
  const { stack } = run;
  return {
    ref(logicalId) {
      const resource = stack.resources[logicalId];
      if (resource?.physicalId === undefined) throw templateError(`Template format error: Unresolved resource dependencies [${logicalId}] in the Resources block of the template`);
      return resource.physicalId;
    },
    getAtt(logicalId, attribute) {
      const resource = stack.resources[logicalId];
      if (resource?.physicalId === undefined) throw templateError(`Template error: instance of Fn::GetAtt references undefined resource ${logicalId}`);
      if (resource.skipped) return resource.physicalId;
      const value = resource.attributes[attribute];
      if (value === undefined) throw templateError(`Template error: resource ${logicalId} does not support attribute type ${attribute} in Fn::GetAtt`);
      return value;
    },
    importValue(name) {
      const found = run.deps.store.of(run.at).exports[name];
      if (!found) throw templateError(`No export named ${name} found.`);
      run.imports.add(name);
      return found.value;
    },
    availabilityZones(region) {
      return ['a', 'b', 'c'].map((zone) => `${region || run.at.region}${zone}`);
    },
  };
}

/**
 * A failure whose message is the resource's status reason as it is (AWS's own wording for
 * nested stacks and custom resources), not wrapped as a handler's message.
 */
export class ResourceFailure extends Error {}

/** The reason a failed handler leaves on its resource, as AWS words it. */
export function failureReason(run: Run, error: unknown): string {
  if (error instanceof ResourceFailure) return error.message;
  if (error instanceof ServiceError) {
    const code = error.status >= 500 ? 'GeneralServiceException' : /NotFound|NoSuch|NonExistent|DoesNotExist/.test(error.code) ? 'NotFound' : /AlreadyExists|Exists$/.test(error.code) ? 'AlreadyExists' : 'InvalidRequest';
    return `Resource handler returned message: "${error.message}" (RequestToken: ${uuid()}, HandlerErrorCode: ${code})`;
  }
  run.deps.context.log.error(`cloudformation: a resource handler failed: ${(error as Error)?.stack ?? String(error)}`);
  return 'Internal Failure';
}

/** A resource record for a planned resource, before it exists. */
export function newRecord(run: Run, planned: PlannedResource, properties: Record<string, PropertyValue>): StoredStackResource {
  return {
    logicalId: planned.logicalId,
    type: planned.type,
    status: 'CREATE_IN_PROGRESS',
    updated: run.now(),
    properties,
    attributes: {},
    dependsOn: [...planned.dependsOn],
    deletionPolicy: planned.deletionPolicy,
    updateReplacePolicy: planned.updateReplacePolicy,
    ...(planned.metadata ? { metadata: planned.metadata } : {}),
  };
}

/** A planned resource's properties with every intrinsic resolved against what exists now. */
export function resolveProperties(run: Run, prepared: PreparedTemplate, planned: PlannedResource): Record<string, PropertyValue> {
  const value = run.deps.language.resolveValue(planned.properties, prepared, refsOf(run));
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

/** AWS's message for required properties missing, or undefined. */
export function missingRequired(type: ResourceType, logicalId: string, properties: Record<string, PropertyValue>): string | undefined {
  const missing = (type.required ?? []).find((key) => properties[key] === undefined || properties[key] === null);
  return missing === undefined ? undefined : `Properties validation failed for resource ${logicalId} with message: #: required key [${missing}] not found`;
}

/**
 * Creates a resource (`replacing`: a new physical resource for one being replaced, reported
 * with UPDATE_* statuses; `previousName` the old one's name property, which a replacement
 * must not keep). Returns whether it succeeded; on failure the record has its
 * *_FAILED status and reason.
 */
export async function createResource(run: Run, type: ResourceType, record: StoredStackResource, replacing: boolean, previousName?: PropertyValue): Promise<boolean> {
  const { at, stack } = run;
  const verb = replacing ? 'UPDATE' : 'CREATE';
  const name = type.nameProperty === undefined ? undefined : record.properties[type.nameProperty];
  if (replacing && name !== undefined && name !== null && JSON.stringify(name) === JSON.stringify(previousName)) {
    setResourceStatus(run, at, stack, record, 'UPDATE_FAILED', `CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename ${String(name)} and update the stack again.`);
    return false;
  }
  setResourceStatus(run, at, stack, record, `${verb}_IN_PROGRESS`, replacing ? 'Requested update requires the creation of a new physical resource; hence creating one.' : undefined);
  const missing = missingRequired(type, record.logicalId, record.properties);
  if (missing) {
    setResourceStatus(run, at, stack, record, `${verb}_FAILED`, missing);
    return false;
  }
  let created: ResourceState;
  try {
    created = await type.create(resourceContext(run, record.logicalId), record.properties);
  } catch (error) {
    setResourceStatus(run, at, stack, record, `${verb}_FAILED`, failureReason(run, error));
    return false;
  }
  record.physicalId = created.physicalId;
  record.attributes = { ...created.attributes };
  setResourceStatus(run, at, stack, record, `${verb}_IN_PROGRESS`, 'Resource creation Initiated');
  setResourceStatus(run, at, stack, record, `${verb}_COMPLETE`);
  return true;
}

/** Updates a resource in place to `record.properties` (from `previous`). Returns whether it succeeded. */
export async function updateResource(run: Run, type: ResourceType, record: StoredStackResource, previous: StoredStackResource): Promise<boolean> {
  const { at, stack } = run;
  setResourceStatus(run, at, stack, record, 'UPDATE_IN_PROGRESS');
  const missing = missingRequired(type, record.logicalId, record.properties);
  if (missing) {
    setResourceStatus(run, at, stack, record, 'UPDATE_FAILED', missing);
    return false;
  }
  try {
    const current: ResourceState = { physicalId: previous.physicalId!, attributes: previous.attributes };
    const updated = await type.update!(resourceContext(run, record.logicalId), current, record.properties, previous.properties);
    record.physicalId = updated.physicalId;
    record.attributes = { ...updated.attributes };
  } catch (error) {
    setResourceStatus(run, at, stack, record, 'UPDATE_FAILED', failureReason(run, error));
    return false;
  }
  setResourceStatus(run, at, stack, record, 'UPDATE_COMPLETE');
  return true;
}

/**
 * Deletes a resource (or skips it when `retain`); `attached` false for a record no longer in
 * the stack's table (the old half of a replacement). Returns whether it is gone (or skipped).
 */
export async function deleteResource(run: Run, type: ResourceType | undefined, record: StoredStackResource, retain: boolean, attached = true): Promise<boolean> {
  const { at, stack } = run;
  const set = (status: string, reason?: string) => {
    if (attached) setResourceStatus(run, at, stack, record, status, reason);
    else setResourceStatus(run, at, stack, { ...record }, status, reason, false);
  };
  if (record.physicalId === undefined || record.skipped || !type) {
    set('DELETE_COMPLETE');
    return true;
  }
  if (retain) {
    set('DELETE_SKIPPED');
    return true;
  }
  set('DELETE_IN_PROGRESS');
  try {
    await type.delete(resourceContext(run, record.logicalId), { physicalId: record.physicalId, attributes: record.attributes }, record.properties);
  } catch (error) {
    set('DELETE_FAILED', failureReason(run, error));
    return false;
  }
  set('DELETE_COMPLETE');
  return true;
}

/**
 * Deletes `records` in parallel, each after every record of the set that depends on it (the
 * reverse of creation). Returns the logical ids that failed.
 */
export async function deleteInReverseOrder(run: Run, records: readonly StoredStackResource[], retainOf: (record: StoredStackResource) => boolean, attached = true): Promise<string[]> {
  const failed: string[] = [];
  const done = new Map<StoredStackResource, Promise<void>>();
  const dependants = (record: StoredStackResource) => records.filter((other) => other !== record && other.dependsOn.includes(record.logicalId));
  const settle = (record: StoredStackResource): Promise<void> => {
    let promise = done.get(record);
    if (promise) return promise;
    // a placeholder first: a dependency cycle in stored data must not recurse forever
    done.set(record, Promise.resolve());
    promise = (async () => {
      await Promise.all(dependants(record).map((d) => (done.has(d) ? done.get(d)! : settle(d))));
      if (run.halted?.()) return;
      const type = await run.deps.resourceType(record.type);
      if (!(await deleteResource(run, type, record, retainOf(record), attached))) failed.push(record.logicalId);
    })();
    done.set(record, promise);
    return promise;
  };
  await Promise.all(records.map(settle));
  return failed;
}
