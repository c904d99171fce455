/**
 * The stack operations: CreateStack, UpdateStack, DeleteStack (each answers at once, the
 * deployment runs on, begin.ts), DescribeStacks, ListStacks, UpdateTerminationProtection,
 * SetStackPolicy, GetStackPolicy. A retried request with the ClientRequestToken of the
 * stack's last operation answers as the first did and does nothing again.
 */
import { paginate } from '../../aws/pagination.js';
import type { CloudformationApi, Stack, StackSummary } from './api.generated.js';
import { beginCreate, beginDelete, beginRollback, beginUpdate, checkTemplate, newStack, parametersOut, runOf, settledOrLater, tagsIn } from './begin.js';
import type { Deployments } from './deploy.js';
import { cloudformationError } from './errors.js';
import { parameterValues, previousParameters, templateText, type CfnDeps } from './language.js';
import { exportsInUse } from './outputs.js';
import { findStack, inProgress, newStackId, requireStack, setResourceStatus, setStackStatus } from './records.js';
import type { StoredStack } from './state.js';
import { templateError } from './template/index.js';

/** DescribeStacks' view of a stored stack. */
export function stackOut(stack: StoredStack): Stack {
  return {
    StackId: stack.id,
    StackName: stack.name,
    ...(stack.changeSetId !== undefined ? { ChangeSetId: stack.changeSetId } : {}),
    ...(stack.description !== undefined ? { Description: stack.description } : {}),
    ...(stack.parameters.length > 0 ? { Parameters: parametersOut(stack.parameters) } : {}),
    CreationTime: new Date(stack.created),
    ...(stack.deleted !== undefined ? { DeletionTime: new Date(stack.deleted) } : {}),
    ...(stack.updated !== undefined ? { LastUpdatedTime: new Date(stack.updated) } : {}),
    RollbackConfiguration: {},
    StackStatus: stack.status,
    ...(stack.statusReason !== undefined ? { StackStatusReason: stack.statusReason } : {}),
    DisableRollback: stack.disableRollback,
    NotificationARNs: stack.notificationArns,
    ...(stack.timeoutInMinutes !== undefined ? { TimeoutInMinutes: stack.timeoutInMinutes } : {}),
    ...(stack.capabilities.length > 0 ? { Capabilities: stack.capabilities } : {}),
    ...(stack.outputs.length > 0
      ? {
          Outputs: stack.outputs.map((o) => ({
            OutputKey: o.key,
            OutputValue: o.value,
            ...(o.description !== undefined ? { Description: o.description } : {}),
            ...(o.exportName !== undefined ? { ExportName: o.exportName } : {}),
          })),
        }
      : {}),
    ...(stack.roleArn !== undefined ? { RoleARN: stack.roleArn } : {}),
    Tags: stack.tags,
    EnableTerminationProtection: stack.terminationProtection,
    ...(stack.parentId !== undefined ? { ParentId: stack.parentId, RootId: stack.rootId } : {}),
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

function summaryOf(stack: StoredStack): StackSummary {
  return {
    StackId: stack.id,
    StackName: stack.name,
    ...(stack.description !== undefined ? { TemplateDescription: stack.description } : {}),
    CreationTime: new Date(stack.created),
    ...(stack.updated !== undefined ? { LastUpdatedTime: new Date(stack.updated) } : {}),
    ...(stack.deleted !== undefined ? { DeletionTime: new Date(stack.deleted) } : {}),
    StackStatus: stack.status,
    ...(stack.statusReason !== undefined ? { StackStatusReason: stack.statusReason } : {}),
    ...(stack.parentId !== undefined ? { ParentId: stack.parentId, RootId: stack.rootId } : {}),
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

/** AWS's refusal of an operation on a stack whose status does not allow it. */
export function badState(stack: StoredStack, verb: string) {
  return templateError(`Stack:${stack.id} is in ${stack.status} state and can not be ${verb}.`);
}

/** Whether a stack's status lets it be updated (AWS refuses the others with badState). */
export function updatable(stack: StoredStack): boolean {
  // CREATE_FAILED and UPDATE_FAILED (rollback disabled) may be updated: the fix goes on from there
  return !inProgress(stack.status) && !['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'DELETE_FAILED', 'DELETE_COMPLETE', 'REVIEW_IN_PROGRESS', 'UPDATE_ROLLBACK_FAILED'].includes(stack.status);
}

function sameParameters(a: StoredStack['parameters'], b: StoredStack['parameters']): boolean {
  return JSON.stringify(a.map((p) => [p.key, p.value])) === JSON.stringify(b.map((p) => [p.key, p.value]));
}

export function stackOperations(deps: CfnDeps, deployments: Deployments) {
  const { store } = deps;
  const now = () => deps.context.clock.now();
  return {
    async CreateStack(ctx, input) {
      const state = store.of(ctx);
      const existing = findStack(state, input.StackName);
      if (existing) {
        if (input.ClientRequestToken !== undefined && existing.clientRequestToken === input.ClientRequestToken) return { StackId: existing.id };
        throw cloudformationError('AlreadyExistsException', `Stack [${input.StackName}] already exists`);
      }
      const body = await templateText(deps, ctx, input);
      const id = newStackId(ctx, input.StackName);
      const parameterInput = parameterValues(input.Parameters, undefined);
      const checked = await checkTemplate(deps, ctx, body, { parameters: parameterInput, stackName: input.StackName, stackId: id, notificationArns: input.NotificationARNs ?? [], capabilities: input.Capabilities, direct: true });
      const policy = input.StackPolicyBody ?? (input.StackPolicyURL !== undefined ? await templateText(deps, ctx, { TemplateURL: input.StackPolicyURL }) : undefined);
      const stack = newStack(
        {
          id,
          name: input.StackName,
          templateBody: body,
          checked,
          parameterInput,
          capabilities: input.Capabilities,
          notificationArns: input.NotificationARNs,
          tags: tagsIn(input.Tags),
          roleArn: input.RoleARN,
          disableRollback: input.DisableRollback,
          timeoutInMinutes: input.TimeoutInMinutes,
          terminationProtection: input.EnableTerminationProtection,
          stackPolicy: policy,
          clientRequestToken: input.ClientRequestToken,
        },
        now(),
        'CREATE_IN_PROGRESS',
      );
      state.stacks[id] = stack;
      store.saveStack(ctx, stack);
      const onFailure = input.OnFailure ?? (input.DisableRollback ? 'DO_NOTHING' : 'ROLLBACK');
      beginCreate(deps, deployments, ctx, stack, checked.prepared, onFailure);
      await settledOrLater(deps, deployments, id);
      return { StackId: id };
    },

    async UpdateStack(ctx, input) {
      const stack = requireStack(store.of(ctx), input.StackName);
      if (input.ClientRequestToken !== undefined && stack.clientRequestToken === input.ClientRequestToken) return { StackId: stack.id };
      if (!updatable(stack)) throw badState(stack, 'updated');
      if (input.UsePreviousTemplate && (input.TemplateBody !== undefined || input.TemplateURL !== undefined)) throw templateError('You cannot specify both usePreviousTemplate and Template Body/Template URL');
      const body = input.UsePreviousTemplate ? stack.templateBody : await templateText(deps, ctx, input);
      const parameterInput = parameterValues(input.Parameters, previousParameters(stack));
      const notificationArns = input.NotificationARNs ?? stack.notificationArns;
      const checked = await checkTemplate(deps, ctx, body, { parameters: parameterInput, stackName: stack.name, stackId: stack.id, notificationArns, capabilities: input.Capabilities, direct: true });
      const tags = tagsIn(input.Tags);
      const sameTags = tags === undefined || JSON.stringify(tags) === JSON.stringify(stack.tags);
      if (body === stack.templateBody && sameParameters(checked.parameters, stack.parameters) && sameTags && JSON.stringify(notificationArns) === JSON.stringify(stack.notificationArns)) {
        throw templateError('No updates are to be performed.');
      }
      if (input.StackPolicyBody !== undefined) stack.stackPolicy = input.StackPolicyBody;
      beginUpdate(deps, deployments, ctx, stack, { templateBody: body, checked, parameterInput, capabilities: input.Capabilities, notificationArns, tags, roleArn: input.RoleARN, clientRequestToken: input.ClientRequestToken }, input.DisableRollback ?? stack.disableRollback);
      await settledOrLater(deps, deployments, stack.id);
      return { StackId: stack.id };
    },

    async DeleteStack(ctx, input) {
      const state = store.of(ctx);
      const stack = findStack(state, input.StackName);
      // AWS answers a stack that does not exist (or is gone) with success
      if (!stack || stack.status === 'DELETE_COMPLETE' || stack.status === 'DELETE_IN_PROGRESS') return {};
      if (input.ClientRequestToken !== undefined && stack.clientRequestToken === input.ClientRequestToken) return {};
      if (stack.terminationProtection) throw templateError(`Stack [${stack.name}] cannot be deleted while TerminationProtection is enabled`);
      if (input.RetainResources?.length && stack.status !== 'DELETE_FAILED') {
        throw templateError(`Invalid operation on stack [${stack.id}]. RetainResources can only be specified when the stack is in the DELETE_FAILED state.`);
      }
      const refused = exportsInUse(state, stack.id);
      if (refused) {
        // AWS leaves the stack in its status and says why: StackStatusReason and an event
        setStackStatus(runOf(deps, ctx, stack), ctx, stack, stack.status, refused);
        return {};
      }
      if (inProgress(stack.status)) {
        // deleted once the operation running now has finished, as AWS queues it
        const at = { accountId: ctx.accountId, region: ctx.region };
        void deployments.idleFor(stack.id).then(() => {
          if (stack.status !== 'DELETE_COMPLETE' && stack.status !== 'DELETE_IN_PROGRESS') beginDelete(deps, deployments, at, stack, [], input.ClientRequestToken);
        });
        return {};
      }
      beginDelete(deps, deployments, ctx, stack, input.RetainResources ?? [], input.ClientRequestToken);
      await settledOrLater(deps, deployments, stack.id);
      return {};
    },

    DescribeStacks(ctx, input) {
      const state = store.of(ctx);
      if (input.StackName !== undefined) return { Stacks: [stackOut(requireStack(state, input.StackName))] };
      const live = Object.values(state.stacks)
        .filter((s) => s.status !== 'DELETE_COMPLETE')
        .sort((a, b) => b.created - a.created);
      const { page, nextToken } = paginate(
        live.map((s, i) => ({ s, i })),
        { scope: 'DescribeStacks', key: (x) => x.i, nextToken: input.NextToken, max: 100, invalidToken: () => templateError('Invalid NextToken') },
      );
      return { Stacks: page.map((x) => stackOut(x.s)), ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    ListStacks(ctx, input) {
      const filter = input.StackStatusFilter;
      const stacks = Object.values(store.of(ctx).stacks)
        .filter((s) => !filter?.length || filter.includes(s.status))
        .sort((a, b) => b.created - a.created);
      const { page, nextToken } = paginate(
        stacks.map((s, i) => ({ s, i })),
        { scope: 'ListStacks', key: (x) => x.i, nextToken: input.NextToken, max: 100, invalidToken: () => templateError('Invalid NextToken') },
      );
      return { StackSummaries: page.map((x) => summaryOf(x.s)), ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    RollbackStack(ctx, input) {
      const stack = requireStack(store.of(ctx), input.StackName);
      if (input.ClientRequestToken !== undefined && stack.clientRequestToken === input.ClientRequestToken) return { StackId: stack.id };
      if (stack.status !== 'CREATE_FAILED' && !(stack.status === 'UPDATE_FAILED' && stack.pendingRollback)) throw badState(stack, 'rolled back');
      beginRollback(deps, deployments, ctx, stack, input.ClientRequestToken);
      return { StackId: stack.id };
    },

    ContinueUpdateRollback(ctx, input) {
      const stack = requireStack(store.of(ctx), input.StackName);
      if (stack.status !== 'UPDATE_ROLLBACK_FAILED') throw templateError(`Stack:${stack.id} is in ${stack.status} state and can not continue update rollback.`);
      // what failed to roll back is left as it is (ResourcesToSkip or not): the stack is usable again
      const run = runOf(deps, ctx, stack);
      setStackStatus(run, ctx, stack, 'UPDATE_ROLLBACK_IN_PROGRESS', 'User Initiated');
      for (const resource of Object.values(stack.resources)) {
        if (resource.status.endsWith('_FAILED')) setResourceStatus(run, ctx, stack, resource, 'UPDATE_COMPLETE', 'Resource skipped during UpdateRollback');
      }
      setStackStatus(run, ctx, stack, 'UPDATE_ROLLBACK_COMPLETE');
      return {};
    },

    UpdateTerminationProtection(ctx, input) {
      const stack = requireStack(store.of(ctx), input.StackName);
      stack.terminationProtection = input.EnableTerminationProtection;
      store.saveStack(ctx, stack);
      return { StackId: stack.id };
    },

    async SetStackPolicy(ctx, input) {
      const stack = requireStack(store.of(ctx), input.StackName);
      const body = input.StackPolicyBody ?? (input.StackPolicyURL !== undefined ? await templateText(deps, ctx, { TemplateURL: input.StackPolicyURL }) : undefined);
      if (body === undefined) throw templateError('Either stack policy body or stack policy URL must be specified.');
      try {
        JSON.parse(body);
      } catch {
        throw templateError('Error validating stack policy: Invalid stack policy');
      }
      stack.stackPolicy = body;
      store.saveStack(ctx, stack);
      return {};
    },

    GetStackPolicy(ctx, input) {
      const stack = requireStack(store.of(ctx), input.StackName);
      return stack.stackPolicy !== undefined ? { StackPolicyBody: stack.stackPolicy } : {};
    },
  } satisfies Partial<CloudformationApi>;
}
