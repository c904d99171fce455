/**
 * DescribeStackEvents: a stack's events newest first, as AWS answers and the CDK's progress
 * display and `aws cloudformation deploy` read them (they poll, and print what is newer than
 * the last event they saw); pages of 100 with a NextToken.
 */
import { paginate } from '../../aws/pagination.js';
import type { CloudformationApi, StackEvent } from './api.generated.js';
import type { CfnDeps } from './language.js';
import { requireStack } from './records.js';
import type { StoredEvent, StoredStack } from './state.js';
import { templateError } from './template/index.js';

/** Larger than any stack's number of events: keys `NEWEST - index` ascend from the newest. */
const NEWEST = 2 ** 40;

function eventOut(stack: StoredStack, e: StoredEvent): StackEvent {
  return {
    StackId: stack.id,
    EventId: e.id,
    StackName: stack.name,
    LogicalResourceId: e.logicalId,
    PhysicalResourceId: e.physicalId ?? '',
    ResourceType: e.type,
    Timestamp: new Date(e.timestamp),
    ResourceStatus: e.status,
    ...(e.reason !== undefined ? { ResourceStatusReason: e.reason } : {}),
    ...(e.properties !== undefined ? { ResourceProperties: e.properties } : {}),
    ...(e.clientRequestToken !== undefined ? { ClientRequestToken: e.clientRequestToken } : {}),
  };
}

export function eventOperations(deps: CfnDeps) {
  return {
    DescribeStackEvents(ctx, input) {
      const state = deps.store.of(ctx);
      const stack = requireStack(state, input.StackName);
      const events = state.events[stack.id] ?? [];
      // newest first; the key counts down from the oldest event, so that a page token stays
      // right while a running deployment adds events
      const order = events.map((_, i) => events.length - 1 - i);
      const { page, nextToken } = paginate(order, { scope: `DescribeStackEvents:${stack.id}`, key: (i) => NEWEST - i, nextToken: input.NextToken, max: 100, invalidToken: () => templateError('Invalid NextToken') });
      return { StackEvents: page.map((i) => eventOut(stack, events[i]!)), ...(nextToken ? { NextToken: nextToken } : {}) };
    },
  } satisfies Partial<CloudformationApi>;
}
