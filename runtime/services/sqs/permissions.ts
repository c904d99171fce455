/**
 * AddPermission and RemovePermission: statements in the queue's Policy attribute, labelled by
 * their Sid, as AWS writes them (a policy with Id `<queue arn>/SQSDefaultPolicy`, each
 * account as `arn:aws:iam::<account>:root`, each action as `SQS:<Action>`; a single value is
 * a string, several an array). The policy is stored; its effect is not enforced.
 */
import type { SqsApi } from './api.generated.js';
import { sqsError } from './errors.js';
import { findQueue, type SqsDeps } from './queues.js';

interface Statement {
  Sid?: string;
  [member: string]: unknown;
}
interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement?: Statement[];
}

const one = <T>(values: T[]): T | T[] => (values.length === 1 ? values[0]! : values);

/** The handlers of AddPermission and RemovePermission. */
export function permissionOperations(deps: SqsDeps) {
  const { store, clock } = deps;
  return {
    AddPermission(ctx, input) {
      const queue = findQueue(deps, ctx, input.QueueUrl);
      const policy: PolicyDocument = queue.attributes.Policy ? (JSON.parse(queue.attributes.Policy) as PolicyDocument) : { Version: '2012-10-17', Id: `${queue.arn}/SQSDefaultPolicy`, Statement: [] };
      const statements = Array.isArray(policy.Statement) ? policy.Statement : [];
      if (statements.some((s) => s.Sid === input.Label)) throw sqsError('InvalidParameterValue', `Value ${input.Label} for parameter Label is invalid. Reason: Already exists.`);
      statements.push({
        Sid: input.Label,
        Effect: 'Allow',
        Principal: { AWS: one(input.AWSAccountIds.map((account) => `arn:aws:iam::${account}:root`)) },
        Action: one(input.Actions.map((action) => `SQS:${action}`)),
        Resource: queue.arn,
      });
      policy.Statement = statements;
      queue.attributes.Policy = JSON.stringify(policy);
      queue.lastModified = clock.now();
      store.changed(queue);
      return {};
    },

    RemovePermission(ctx, input) {
      const queue = findQueue(deps, ctx, input.QueueUrl);
      const policy = queue.attributes.Policy ? (JSON.parse(queue.attributes.Policy) as PolicyDocument) : undefined;
      const statements = Array.isArray(policy?.Statement) ? policy!.Statement : [];
      if (!statements.some((s) => s.Sid === input.Label)) {
        throw sqsError('InvalidParameterValue', `Value ${input.Label} for parameter Label is invalid. Reason: can't find label on existing policy.`);
      }
      const kept = statements.filter((s) => s.Sid !== input.Label);
      if (kept.length === 0) delete queue.attributes.Policy;
      else queue.attributes.Policy = JSON.stringify({ ...policy, Statement: kept });
      queue.lastModified = clock.now();
      store.changed(queue);
      return {};
    },
  } satisfies Partial<SqsApi>;
}
