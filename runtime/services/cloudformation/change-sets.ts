/**
 * Change sets, the flow the CDK and `aws cloudformation deploy` use: CreateChangeSet (CREATE
 * makes the stack, REVIEW_IN_PROGRESS, until it is executed; UPDATE previews an update),
 * DescribeChangeSet (the changes, changes.ts), ExecuteChangeSet (the stack's create or update,
 * begin.ts), DeleteChangeSet, ListChangeSets.
 *
 * A change set is computed when it is created (CREATE_COMPLETE at once; clients poll and see
 * it done). One without changes is FAILED with AWS's reason, which the CDK and the CLI read as
 * "nothing to deploy". Executing one removes the stack's other change sets, as AWS does.
 */
import type { CloudformationApi, DescribeChangeSetOutput } from './api.generated.js';
import { beginCreate, beginUpdate, checkTemplate, newStack, parametersOut, runOf, settledOrLater, tagsIn } from './begin.js';
import { computeChanges } from './changes.js';
import type { Deployments } from './deploy.js';
import { cloudformationError } from './errors.js';
import { parameterValues, previousParameters, templateText, type CfnDeps } from './language.js';
import { findStack, inProgress, newChangeSetId, newStackId, requireStack, setStackStatus, stackNotFound } from './records.js';
import type { CloudformationState, StoredChange, StoredChangeSet } from './state.js';
import type { PropertyValue } from './resources/resource-type.js';
import { badState, updatable } from './stacks.js';
import { templateError } from './template/index.js';
import type { Change } from './api.generated.js';

/** AWS's reason for a change set without changes (the CDK and the CLI match it). */
export const NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set.";

/** The change set a name (with its stack) or an ARN names, or ChangeSetNotFoundException. */
export function findChangeSet(state: CloudformationState, nameOrId: string, stackName: string | undefined): StoredChangeSet {
  let found: StoredChangeSet | undefined;
  if (nameOrId.startsWith('arn:')) found = state.changeSets[nameOrId];
  else {
    if (stackName === undefined) throw templateError('StackName must be specified if ChangeSetName is not specified as an ARN.');
    const stack = findStack(state, stackName);
    if (!stack) throw stackNotFound(stackName);
    found = Object.values(state.changeSets).find((cs) => cs.stackId === stack.id && cs.name === nameOrId);
  }
  if (!found) throw cloudformationError('ChangeSetNotFoundException', `ChangeSet [${nameOrId}] does not exist`);
  return found;
}

/** A change without its property values (BeforeContext, AfterContext), as answered unless IncludePropertyValues. */
function withoutValues(change: StoredChange): StoredChange {
  const resourceChange = change['ResourceChange'] as Record<string, PropertyValue> | undefined;
  if (!resourceChange) return change;
  const { BeforeContext: _before, AfterContext: _after, ...rest } = resourceChange;
  return { ...change, ResourceChange: rest };
}

function describe(cs: StoredChangeSet, includeValues: boolean): DescribeChangeSetOutput {
  return {
    ChangeSetName: cs.name,
    ChangeSetId: cs.id,
    StackId: cs.stackId,
    StackName: cs.stackName,
    ...(cs.description !== undefined ? { Description: cs.description } : {}),
    ...(cs.parameters.length > 0 ? { Parameters: parametersOut(cs.parameters) } : {}),
    CreationTime: new Date(cs.created),
    ExecutionStatus: cs.executionStatus,
    Status: cs.status,
    ...(cs.statusReason !== undefined ? { StatusReason: cs.statusReason } : {}),
    NotificationARNs: cs.notificationArns,
    RollbackConfiguration: {},
    ...(cs.capabilities.length > 0 ? { Capabilities: cs.capabilities } : {}),
    ...(cs.tags.length > 0 ? { Tags: cs.tags } : {}),
    Changes: (includeValues ? cs.changes : cs.changes.map(withoutValues)) as Change[],
    IncludeNestedStacks: false,
  };
}

export function changeSetOperations(deps: CfnDeps, deployments: Deployments) {
  const { store } = deps;
  const now = () => deps.context.clock.now();
  return {
    async CreateChangeSet(ctx, input) {
      const state = store.of(ctx);
      const type = (input.ChangeSetType ?? 'UPDATE') as 'CREATE' | 'UPDATE';
      if (input.ChangeSetType === 'IMPORT') throw templateError('Resource import is not supported by this emulator.');
      let stack = findStack(state, input.StackName);
      if (type === 'CREATE' && stack && stack.status !== 'REVIEW_IN_PROGRESS') throw templateError(`Stack [${input.StackName}] already exists and cannot be created again with the changeSet [${input.ChangeSetName}].`);
      if (type === 'UPDATE') {
        if (!stack || stack.status === 'REVIEW_IN_PROGRESS') throw templateError(`Stack [${input.StackName}] does not exist`);
        if (!updatable(stack)) throw badState(stack, 'updated');
      }
      if (stack) {
        const same = Object.values(state.changeSets).find((cs) => cs.stackId === stack!.id && cs.name === input.ChangeSetName);
        if (same && input.ClientToken !== undefined && same.clientToken === input.ClientToken) return { Id: same.id, StackId: same.stackId };
        if (same) throw cloudformationError('AlreadyExistsException', `ChangeSet [${input.ChangeSetName}] already exists`);
      }
      if (input.UsePreviousTemplate && !stack?.templateBody) throw templateError('Cannot use previous template: the stack has none.');
      const body = input.UsePreviousTemplate ? stack!.templateBody : await templateText(deps, ctx, input);
      const stackId = stack?.id ?? newStackId(ctx, input.StackName);
      const parameterInput = parameterValues(input.Parameters, stack ? previousParameters(stack) : undefined);
      const notificationArns = input.NotificationARNs ?? stack?.notificationArns ?? [];
      const checked = await checkTemplate(deps, ctx, body, { parameters: parameterInput, stackName: input.StackName, stackId, notificationArns, capabilities: input.Capabilities });
      if (!stack) {
        stack = newStack({ id: stackId, name: input.StackName, templateBody: '', parameterInput: {}, notificationArns, tags: tagsIn(input.Tags), roleArn: input.RoleARN }, now(), 'REVIEW_IN_PROGRESS');
        state.stacks[stackId] = stack;
        setStackStatus(runOf(deps, ctx, stack), ctx, stack, 'REVIEW_IN_PROGRESS', 'User Initiated');
      }
      const changes = await computeChanges(deps, ctx, stack, checked.prepared);
      const tags = tagsIn(input.Tags) ?? stack.tags;
      const outputsSame = stack.processedTemplate !== undefined && JSON.stringify(JSON.parse(stack.processedTemplate || '{}').Outputs ?? null) === JSON.stringify(checked.template.Outputs ?? null);
      const unchanged =
        type === 'UPDATE' &&
        changes.length === 0 &&
        outputsSame &&
        JSON.stringify(checked.parameters.map((p) => [p.key, p.value])) === JSON.stringify(stack.parameters.map((p) => [p.key, p.value])) &&
        JSON.stringify(tags) === JSON.stringify(stack.tags);
      const id = newChangeSetId(ctx, input.ChangeSetName);
      const cs: StoredChangeSet = {
        id,
        name: input.ChangeSetName,
        stackId,
        stackName: stack.name,
        type,
        status: unchanged ? 'FAILED' : 'CREATE_COMPLETE',
        ...(unchanged ? { statusReason: NO_CHANGES } : {}),
        executionStatus: unchanged ? 'UNAVAILABLE' : 'AVAILABLE',
        created: now(),
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        templateBody: body,
        processedTemplate: JSON.stringify(checked.template),
        parameterInput,
        parameters: checked.parameters,
        capabilities: input.Capabilities ?? [],
        notificationArns,
        tags,
        ...(input.RoleARN !== undefined ? { roleArn: input.RoleARN } : {}),
        changes,
        ...(input.ClientToken !== undefined ? { clientToken: input.ClientToken } : {}),
      };
      state.changeSets[id] = cs;
      store.saveChangeSet(ctx, id);
      return { Id: id, StackId: stackId };
    },

    DescribeChangeSet(ctx, input) {
      return describe(findChangeSet(store.of(ctx), input.ChangeSetName, input.StackName), input.IncludePropertyValues === true);
    },

    async ExecuteChangeSet(ctx, input) {
      const state = store.of(ctx);
      const cs = findChangeSet(state, input.ChangeSetName, input.StackName);
      const stack = state.stacks[cs.stackId];
      if (!stack) throw stackNotFound(cs.stackName);
      if (input.ClientRequestToken !== undefined && stack.clientRequestToken === input.ClientRequestToken && stack.changeSetId === cs.id) return {};
      if (cs.status !== 'CREATE_COMPLETE' || cs.executionStatus !== 'AVAILABLE') {
        throw cloudformationError('InvalidChangeSetStatusException', `ChangeSet [${cs.id}] cannot be executed in its current execution status of [${cs.executionStatus}]`);
      }
      if (inProgress(stack.status)) throw badState(stack, 'updated');
      const checked = await checkTemplate(deps, ctx, cs.templateBody, { parameters: cs.parameterInput, stackName: stack.name, stackId: stack.id, notificationArns: cs.notificationArns, capabilities: cs.capabilities });
      // the stack's other change sets go, as AWS removes them once one is executed
      for (const other of Object.values(state.changeSets)) {
        if (other.stackId !== stack.id || other.id === cs.id) continue;
        delete state.changeSets[other.id];
        store.saveChangeSet(ctx, other.id);
      }
      cs.executionStatus = 'EXECUTE_IN_PROGRESS';
      store.saveChangeSet(ctx, cs.id);
      const fields = { templateBody: cs.templateBody, checked, parameterInput: cs.parameterInput, capabilities: cs.capabilities, notificationArns: cs.notificationArns, tags: cs.tags, roleArn: cs.roleArn, clientRequestToken: input.ClientRequestToken, changeSetId: cs.id };
      if (cs.type === 'CREATE') {
        Object.assign(stack, newStack({ ...fields, id: stack.id, name: stack.name, disableRollback: input.DisableRollback }, stack.created, stack.status), { changeSetId: cs.id });
        store.saveStack(ctx, stack);
        beginCreate(deps, deployments, ctx, stack, checked.prepared, input.DisableRollback ? 'DO_NOTHING' : 'ROLLBACK');
      } else {
        beginUpdate(deps, deployments, ctx, stack, fields, input.DisableRollback ?? stack.disableRollback);
      }
      const at = { accountId: ctx.accountId, region: ctx.region };
      void deployments.idleFor(stack.id).then(() => {
        if (store.of(at).changeSets[cs.id] !== cs) return;
        cs.executionStatus = stack.status === 'CREATE_COMPLETE' || stack.status === 'UPDATE_COMPLETE' ? 'EXECUTE_COMPLETE' : 'EXECUTE_FAILED';
        store.saveChangeSet(at, cs.id);
      });
      await settledOrLater(deps, deployments, stack.id);
      return {};
    },

    DeleteChangeSet(ctx, input) {
      const state = store.of(ctx);
      // by name, of a stack that exists, a change set that does not is no error: the CDK
      // deletes `cdk-deploy-change-set` before every deploy, relying on that
      if (!input.ChangeSetName.startsWith('arn:') && input.StackName !== undefined) {
        const stack = findStack(state, input.StackName);
        if (stack && !Object.values(state.changeSets).some((c) => c.stackId === stack.id && c.name === input.ChangeSetName)) return {};
      }
      const cs = findChangeSet(state, input.ChangeSetName, input.StackName);
      if (cs.executionStatus === 'EXECUTE_IN_PROGRESS') throw cloudformationError('InvalidChangeSetStatusException', `Cannot delete ChangeSet in status ${cs.executionStatus}`);
      delete state.changeSets[cs.id];
      store.saveChangeSet(ctx, cs.id);
      return {};
    },

    ListChangeSets(ctx, input) {
      const state = store.of(ctx);
      const stack = requireStack(state, input.StackName);
      const summaries = Object.values(state.changeSets)
        .filter((cs) => cs.stackId === stack.id)
        .sort((a, b) => a.created - b.created)
        .map((cs) => ({
          StackId: cs.stackId,
          StackName: cs.stackName,
          ChangeSetId: cs.id,
          ChangeSetName: cs.name,
          ExecutionStatus: cs.executionStatus,
          Status: cs.status,
          ...(cs.statusReason !== undefined ? { StatusReason: cs.statusReason } : {}),
          CreationTime: new Date(cs.created),
          ...(cs.description !== undefined ? { Description: cs.description } : {}),
          IncludeNestedStacks: false,
        }));
      return { Summaries: summaries };
    },
  } satisfies Partial<CloudformationApi>;
}
