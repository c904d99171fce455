/**
 * Amazon Simple Notification Service (`sns`, query).
 *
 * The provider assembles handlers kept by concern: topics.ts (topics, their attributes and
 * data protection policy), tags.ts (tagging, and the topics' offer to the Resource Groups
 * Tagging API). state.ts holds what the service keeps (declared to the runtime, marked when
 * changed); errors.ts its errors. Input reaches a handler checked against the model: handlers
 * check only the business rules. See docs/adding-a-service.md.
 *
 * LIMITATIONS: topics, their attributes, data protection policies and tags are emulated.
 * Subscriptions (Subscribe, ConfirmSubscription, subscription attributes), Publish and
 * PublishBatch (and so every delivery: sqs, http/https, lambda, email, sms, application),
 * filter policies, message signatures, platform applications and endpoints, SMS attributes and
 * opt-outs, permissions (Add/RemovePermission) and LocalStack's `/_aws/sns/*` developer endpoints
 * are not emulated yet: those operations answer 501 InternalFailure naming them
 * (docs/coverage/sns.md lists them). Topic policies are stored, not enforced; KmsMasterKeyId is
 * stored, messages are not encrypted.
 */
import type { Provider, ProviderContext } from '../provider.js';
import { uuid } from '../../aws/ids.js';
import type { SnsApi } from './api.generated.js';
import { confirmationEnvelope } from './envelope.js';
import { postToEndpoint, retryPolicy } from './http-endpoints.js';
import { declareState } from './state.js';
import { removeSubscription, subscriptionCounts, subscriptionOperations, subscriptionsOf } from './subscriptions.js';
import { snsTaggedResources, tagOperations } from './tags.js';
import { topicOperations } from './topics.js';

export function createProvider(context: ProviderContext): Provider {
  const state = declareState(context);
  const operations = {
    ...topicOperations(context, state, (ctx, topic) => subscriptionCounts(state, ctx, topic), (ctx, topic) => {
      // AWS detaches a deleted topic's subscriptions and removes them later; here at once
      for (const sub of subscriptionsOf(state.of(ctx), topic.arn)) removeSubscription(state, ctx, sub);
    }),
    ...subscriptionOperations(state, (_ctx, sub, topic, token) => {
      if (sub.protocol !== 'http' && sub.protocol !== 'https') return;
      const messageId = uuid();
      const body = confirmationEnvelope(context.config, { messageId, token, topicArn: topic.arn, timestamp: context.clock.now(), signatureVersion: topic.attributes.SignatureVersion });
      postToEndpoint(context, { url: sub.endpoint, type: 'SubscriptionConfirmation', messageId, topicArn: topic.arn, body }, retryPolicy(topic.attributes.DeliveryPolicy));
    }),
    ...tagOperations(state),
  } satisfies Partial<SnsApi>;
  return { operations, taggedResources: snsTaggedResources(state.store) };
}
