/**
 * Starting operations on stacks, shared by the stack operations (stacks.ts) and change sets
 * (change-sets.ts): a template checked and prepared as CloudFormation does before it answers
 * (parse, transforms (SAM), types, parameters, capabilities, attributes: every refusal a ValidationError or
 * InsufficientCapabilitiesException, nothing created), then the stack's first status written
 * and its deployment started in the background (deploy.ts).
 */
import type { Run } from './apply.js';
import { Deployments, deleteAll, rollbackCreate, rollbackUpdate, runCreate, runUpdate, snapshotOf } from './deploy.js';
import type { CfnDeps } from './language.js';
import { prepare, processTemplate } from './language.js';
import { setStackStatus } from './records.js';
import type { Place, StoredParameter, StoredStack, StoredTag } from './state.js';
import type { PreparedTemplate, Template } from './template/index.js';
import { checkAttributes, checkCapabilities, checkImports, checkResourceTypes } from './validation.js';
import { record } from '../../state/store.js';
import { cloudformationError } from './errors.js';
import type { Timer } from '../../scheduler.js';
import { notifyEvent } from './notifications.js';

/** A template checked and prepared for one stack. */
export interface Checked {
  readonly template: Template;
  readonly prepared: PreparedTemplate;
  readonly parameters: StoredParameter[];
}

/** Parses, checks and prepares a template for a stack (every refusal before anything exists). */
export async function checkTemplate(
  deps: CfnDeps,
  at: Place,
  body: string,
  options: { parameters: Record<string, string>; stackName: string; stackId: string; notificationArns: readonly string[]; capabilities: readonly string[] | undefined; direct?: boolean },
): Promise<Checked> {
  const written = deps.language.parseTemplate(body);
  // CreateStack and UpdateStack of a template with transforms need CAPABILITY_AUTO_EXPAND (a change set does not)
  if (options.direct && written.Transform !== undefined && !options.capabilities?.includes('CAPABILITY_AUTO_EXPAND')) {
    throw cloudformationError('InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_AUTO_EXPAND]');
  }
  // macros (SAM) run before anything reads the template: the rest sees the processed one
  const template = await processTemplate(deps, at, written);
  // unconditional resources first, as AWS reports types before parameters; the conditional
  // ones once the conditions are known (a resource not created needs no emulated type)
  await checkResourceTypes(deps, Object.values(template.Resources ?? {}).filter((r) => r?.Condition === undefined));
  const prepared = await prepare(deps, at, template, options);
  await checkResourceTypes(deps, [...prepared.resources.values()].map((r) => ({ Type: r.type })));
  checkCapabilities(template, options.capabilities);
  await checkAttributes(deps, prepared);
  checkImports(deps, at, prepared);
  const parameters = prepared.parameters.map((p) => ({ key: p.key, value: p.value, noEcho: p.noEcho, ...(p.resolvedValue !== undefined ? { resolvedValue: p.resolvedValue } : {}) }));
  return { template, prepared, parameters };
}

/** What a new stack is made of. */
export interface NewStack {
  id: string;
  name: string;
  templateBody: string;
  checked?: Checked;
  parameterInput: Record<string, string>;
  capabilities?: string[];
  notificationArns?: string[];
  tags?: StoredTag[];
  roleArn?: string;
  disableRollback?: boolean;
  timeoutInMinutes?: number;
  terminationProtection?: boolean;
  stackPolicy?: string;
  clientRequestToken?: string;
}

/** A stack record (not yet stored). */
export function newStack(input: NewStack, now: number, status: string): StoredStack {
  const { checked } = input;
  return {
    id: input.id,
    name: input.name,
    status,
    created: now,
    ...(checked?.template.Description !== undefined ? { description: checked.template.Description } : {}),
    templateBody: input.templateBody,
    processedTemplate: checked ? JSON.stringify(checked.template) : input.templateBody,
    parameterInput: input.parameterInput,
    parameters: checked?.parameters ?? [],
    outputs: [],
    capabilities: input.capabilities ?? [],
    notificationArns: input.notificationArns ?? [],
    tags: input.tags ?? [],
    ...(input.roleArn !== undefined ? { roleArn: input.roleArn } : {}),
    disableRollback: input.disableRollback ?? false,
    ...(input.timeoutInMinutes !== undefined ? { timeoutInMinutes: input.timeoutInMinutes } : {}),
    terminationProtection: input.terminationProtection ?? false,
    ...(input.stackPolicy !== undefined ? { stackPolicy: input.stackPolicy } : {}),
    ...(input.clientRequestToken !== undefined ? { clientRequestToken: input.clientRequestToken } : {}),
    imports: [],
    resources: record(),
  };
}

/** A run of the engine for a stack (halted when `deployments` stop). */
export function runOf(deps: CfnDeps, at: Place, stack: StoredStack, deployments?: Deployments): Run {
  return {
    deps,
    at: { accountId: at.accountId, region: at.region },
    stack,
    imports: new Set(),
    store: deps.store,
    now: () => deps.context.clock.now(),
    halted: () => deployments?.stopping === true,
    notify: (place, notified, event) => notifyEvent(deps.context.deliveries, place, notified, event),
  };
}

/**
 * How long CreateStack, UpdateStack, DeleteStack and ExecuteChangeSet wait for the deployment
 * they started before answering. Clients poll: the CDK CLI's first DescribeStacks comes ~20 ms
 * after ExecuteChangeSet and the next one 5 s later, the AWS CLI's waiters poll every 5 to 30 s.
 * A deployment here takes milliseconds (tens when its services start on first use), so an
 * answer given once it is done spares a whole poll interval; one that takes longer (a custom
 * resource waiting for its response) is answered at this bound, IN_PROGRESS, as AWS answers.
 */
export const ANSWER_WITHIN_MS = 1000;

/** Resolves when the stack's deployment has finished, or after ANSWER_WITHIN_MS (scheduler time). */
export async function settledOrLater(deps: CfnDeps, deployments: Deployments, stackId: string): Promise<void> {
  let timer: Timer | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = deps.context.scheduler.after(ANSWER_WITHIN_MS, resolve);
  });
  await Promise.race([deployments.idleFor(stackId), bound]);
  timer?.cancel();
}

function log(deps: CfnDeps) {
  return (message: string) => deps.context.log.error(message);
}

/** Starts creating a stored stack: CREATE_IN_PROGRESS now, the resources in the background. */
export function beginCreate(deps: CfnDeps, deployments: Deployments, at: Place, stack: StoredStack, prepared: PreparedTemplate, onFailure: string): void {
  const run = runOf(deps, at, stack, deployments);
  setStackStatus(run, at, stack, 'CREATE_IN_PROGRESS', 'User Initiated');
  deployments.start(stack.id, () => runCreate(run, prepared, onFailure), log(deps));
}

/** The fields an update changes. */
export interface UpdateFields {
  templateBody: string;
  checked: Checked;
  parameterInput: Record<string, string>;
  capabilities?: string[];
  notificationArns?: string[];
  tags?: StoredTag[];
  roleArn?: string;
  clientRequestToken?: string;
  changeSetId?: string;
}

/** Starts updating a stack: UPDATE_IN_PROGRESS with its new template now, the resources in the background. */
export function beginUpdate(deps: CfnDeps, deployments: Deployments, at: Place, stack: StoredStack, fields: UpdateFields, disableRollback: boolean): void {
  const before = snapshotOf(stack);
  const { checked } = fields;
  stack.templateBody = fields.templateBody;
  stack.processedTemplate = JSON.stringify(checked.template);
  if (checked.template.Description !== undefined) stack.description = checked.template.Description;
  else delete stack.description;
  stack.parameterInput = fields.parameterInput;
  stack.parameters = checked.parameters;
  if (fields.capabilities) stack.capabilities = fields.capabilities;
  if (fields.notificationArns) stack.notificationArns = fields.notificationArns;
  if (fields.tags) stack.tags = fields.tags;
  if (fields.roleArn !== undefined) stack.roleArn = fields.roleArn;
  if (fields.clientRequestToken !== undefined) stack.clientRequestToken = fields.clientRequestToken;
  else delete stack.clientRequestToken;
  if (fields.changeSetId !== undefined) stack.changeSetId = fields.changeSetId;
  stack.updated = deps.context.clock.now();
  const run = runOf(deps, at, stack, deployments);
  setStackStatus(run, at, stack, 'UPDATE_IN_PROGRESS', 'User Initiated');
  deployments.start(stack.id, () => runUpdate(run, checked.prepared, before, disableRollback), log(deps));
}

/** Starts deleting a stack: DELETE_IN_PROGRESS now, the resources in the background. */
export function beginDelete(deps: CfnDeps, deployments: Deployments, at: Place, stack: StoredStack, retain: readonly string[], token?: string): void {
  const run = runOf(deps, at, stack, deployments);
  if (token !== undefined) stack.clientRequestToken = token;
  setStackStatus(run, at, stack, 'DELETE_IN_PROGRESS', 'User Initiated');
  deployments.start(stack.id, () => deleteAll(run, undefined, retain), log(deps));
}

/**
 * RollbackStack: a stack left CREATE_FAILED or UPDATE_FAILED (rollback disabled) goes back to
 * where it was: ROLLBACK_COMPLETE (what was created deleted) or UPDATE_ROLLBACK_COMPLETE.
 */
export function beginRollback(deps: CfnDeps, deployments: Deployments, at: Place, stack: StoredStack, token?: string): void {
  const run = runOf(deps, at, stack, deployments);
  if (token !== undefined) stack.clientRequestToken = token;
  if (stack.status === 'CREATE_FAILED') {
    setStackStatus(run, at, stack, 'ROLLBACK_IN_PROGRESS', 'User Initiated');
    deployments.start(stack.id, () => rollbackCreate(run, undefined), log(deps));
    return;
  }
  const pending = stack.pendingRollback!;
  delete stack.pendingRollback;
  setStackStatus(run, at, stack, 'UPDATE_ROLLBACK_IN_PROGRESS', 'User Initiated');
  deployments.start(stack.id, () => rollbackUpdate(run, pending.before, pending.steps), log(deps));
}

/** Parameters as DescribeStacks and DescribeChangeSet show them (NoEcho masked). */
export function parametersOut(parameters: readonly StoredParameter[]) {
  return parameters.map((p) => ({
    ParameterKey: p.key,
    ParameterValue: p.noEcho ? '****' : p.value,
    ...(p.resolvedValue !== undefined ? { ResolvedValue: p.noEcho ? '****' : p.resolvedValue } : {}),
  }));
}

/** Tags as the API writes them, checked (AWS allows 50). */
export function tagsIn(tags: readonly { Key?: string; Value?: string }[] | undefined): StoredTag[] | undefined {
  return tags?.map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));
}
