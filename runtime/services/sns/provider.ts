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
import type { SnsApi } from './api.generated.js';
import { declareState } from './state.js';
import { snsTaggedResources, tagOperations } from './tags.js';
import { topicOperations } from './topics.js';

export function createProvider(context: ProviderContext): Provider {
  const state = declareState(context);
  // no subscriptions yet: every topic reports none
  const counts = () => ({ confirmed: 0, pending: 0, deleted: 0 });
  const operations = {
    ...topicOperations(context, state, counts, () => {}),
    ...tagOperations(state),
  } satisfies Partial<SnsApi>;
  return { operations, taggedResources: snsTaggedResources(state.store) };
}
