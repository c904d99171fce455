/**
 * AddPermission and RemovePermission: statements of the topic's access policy (the default
 * policy until a caller sets one), named by their label (Sid). AddPermission grants the
 * accounts (`arn:<partition>:iam::<account>:root`) the actions (`SNS:<name>`) on the topic; a
 * label already present is refused (`Invalid parameter: Statement already exists`), as is
 * removing one that is not (`Invalid parameter: Statement does not exist`: moto's wording of
 * AWS's answer). The policy is stored, not enforced.
 */
import { parseArn } from '../../aws/arns.js';
import type { SnsApi } from './api.generated.js';
import { snsError } from './errors.js';
import type { SnsStateAccess, StoredTopic } from './state.js';
import { defaultTopicPolicy, topicOf } from './topics.js';

interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement?: Array<Record<string, unknown>>;
}

function policyOf(topic: StoredTopic, accountId: string): PolicyDocument {
  const doc = JSON.parse(topic.attributes.Policy || defaultTopicPolicy(topic.arn, accountId)) as PolicyDocument;
  if (!Array.isArray(doc.Statement)) doc.Statement = doc.Statement ? [doc.Statement as unknown as Record<string, unknown>] : [];
  return doc;
}

export function permissionOperations(state: SnsStateAccess) {
  return {
    AddPermission(ctx, input) {
      const topic = topicOf(state, ctx, input.TopicArn);
      const doc = policyOf(topic, ctx.accountId);
      if (doc.Statement!.some((s) => s.Sid === input.Label)) throw snsError('InvalidParameterException', 'Invalid parameter: Statement already exists');
      const partition = parseArn(topic.arn)!.partition;
      const principals = input.AWSAccountId.map((a) => `arn:${partition}:iam::${a}:root`);
      const actions = input.ActionName.map((a) => `SNS:${a}`);
      doc.Statement!.push({
        Sid: input.Label,
        Effect: 'Allow',
        Principal: { AWS: principals.length === 1 ? principals[0] : principals },
        Action: actions.length === 1 ? actions[0] : actions,
        Resource: topic.arn,
      });
      topic.attributes.Policy = JSON.stringify(doc);
      state.topicChanged(ctx, topic.name);
      return {};
    },
    RemovePermission(ctx, input) {
      const topic = topicOf(state, ctx, input.TopicArn);
      const doc = policyOf(topic, ctx.accountId);
      const kept = doc.Statement!.filter((s) => s.Sid !== input.Label);
      if (kept.length === doc.Statement!.length) throw snsError('InvalidParameterException', 'Invalid parameter: Statement does not exist');
      doc.Statement = kept;
      topic.attributes.Policy = JSON.stringify(doc);
      state.topicChanged(ctx, topic.name);
      return {};
    },
  } satisfies Partial<SnsApi>;
}
