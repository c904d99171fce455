/**
 * A stack's resources as the API shows them: DescribeStackResource (one, with its metadata),
 * DescribeStackResources (by stack, logical id, or physical id across the region's stacks),
 * ListStackResources (summaries, paged).
 */
import { paginate } from '../../aws/pagination.js';
import type { CloudformationApi } from './api.generated.js';
import type { CfnDeps } from './language.js';
import { findStack, requireStack, stackNotFound } from './records.js';
import type { StoredStack, StoredStackResource } from './state.js';
import { templateError } from './template/index.js';

function base(r: StoredStackResource) {
  return {
    LogicalResourceId: r.logicalId,
    ...(r.physicalId !== undefined ? { PhysicalResourceId: r.physicalId } : {}),
    ResourceType: r.type,
  };
}

function status(r: StoredStackResource) {
  return { ResourceStatus: r.status, ...(r.statusReason !== undefined ? { ResourceStatusReason: r.statusReason } : {}) };
}

function resourceOut(stack: StoredStack, r: StoredStackResource) {
  return { StackName: stack.name, StackId: stack.id, ...base(r), Timestamp: new Date(r.updated), ...status(r), DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' } };
}

function resourceNotFound(logicalId: string, stackName: string) {
  return templateError(`Resource ${logicalId} does not exist for stack ${stackName}`);
}

export function resourceOperations(deps: CfnDeps) {
  return {
    DescribeStackResource(ctx, input) {
      const stack = requireStack(deps.store.of(ctx), input.StackName);
      const r = stack.resources[input.LogicalResourceId];
      if (!r) throw resourceNotFound(input.LogicalResourceId, stack.name);
      return {
        StackResourceDetail: {
          StackName: stack.name,
          StackId: stack.id,
          ...base(r),
          LastUpdatedTimestamp: new Date(r.updated),
          ...status(r),
          Metadata: JSON.stringify(r.metadata ?? {}),
          DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
        },
      };
    },

    DescribeStackResources(ctx, input) {
      const state = deps.store.of(ctx);
      if (input.StackName === undefined && input.PhysicalResourceId === undefined) throw templateError('Either StackName or PhysicalResourceId must be specified.');
      let stack: StoredStack | undefined;
      if (input.StackName !== undefined) {
        stack = findStack(state, input.StackName);
        if (!stack) throw stackNotFound(input.StackName);
      } else {
        stack = Object.values(state.stacks).find((s) => s.status !== 'DELETE_COMPLETE' && Object.values(s.resources).some((r) => r.physicalId === input.PhysicalResourceId));
        if (!stack) throw templateError(`Stack for ${input.PhysicalResourceId} does not exist`);
      }
      const resources = Object.values(stack.resources).filter((r) => input.LogicalResourceId === undefined || r.logicalId === input.LogicalResourceId);
      return { StackResources: resources.map((r) => resourceOut(stack, r)) };
    },

    ListStackResources(ctx, input) {
      const stack = requireStack(deps.store.of(ctx), input.StackName);
      const all = Object.values(stack.resources).sort((a, b) => (a.logicalId < b.logicalId ? -1 : a.logicalId > b.logicalId ? 1 : 0));
      const { page, nextToken } = paginate(all, { scope: `ListStackResources:${stack.id}`, key: (r) => r.logicalId, nextToken: input.NextToken, max: 100, invalidToken: () => templateError('Invalid NextToken') });
      return {
        StackResourceSummaries: page.map((r) => ({ ...base(r), LastUpdatedTimestamp: new Date(r.updated), ...status(r), DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' } })),
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
    },
  } satisfies Partial<CloudformationApi>;
}
