/**
 * Amazon Simple Notification Service (`sns`, query).
 *
 * The provider assembles handlers kept by concern: topics.ts (topics, their attributes and
 * data protection policy), subscriptions.ts (Subscribe, confirmation, attributes, listings),
 * publish.ts (Publish, PublishBatch and the fan-out to subscribers, through the runtime's
 * delivery queue for sqs/lambda/firehose and http-endpoints.ts for http/https), envelope.ts
 * (the documents SNS sends), message-checks.ts, filter-policy.ts (matching) and
 * filter-policy-check.ts (validation), platform.ts (platform applications and endpoints), sms.ts (SMS
 * attributes and opt-outs), permissions.ts (Add/RemovePermission), tags.ts (tagging, and the topics' offer to the Resource
 * Groups Tagging API). state.ts holds what the service keeps (declared to the runtime, marked
 * when changed); errors.ts its errors. See docs/adding-a-service.md.
 *
 * LocalStack's developer endpoints (/_aws/sns/sms-messages, platform-endpoint-messages,
 * subscription-tokens, the signing certificate at SigningCertURL): developer-endpoints.ts.
 *
 * LIMITATIONS: filter policies: `wildcard` and IPv6 `cidr` matching are not supported; email and
 * email-json subscribers receive nothing; retries of http/https
 * POSTs follow the delivery policy's count and first delay only, and are lost at a restart;
 * subscription redrive (RedrivePolicy) is stored, not applied. Not emulated (501 naming the
 * operation, docs/coverage/sns.md): the SMS sandbox (Create/Delete/Verify/List
 * SMSSandboxPhoneNumber, GetSMSSandboxAccountStatus), ListOriginationNumbers; no API opts a number out, so the opt-out list stays empty. Topic policies are stored, not
 * enforced; KmsMasterKeyId is stored, messages are not encrypted.
 */
import type { Provider, ProviderContext } from '../provider.js';
import type { SnsApi } from './api.generated.js';
import { confirmationSender } from './confirmations.js';
import { snsDeveloperEndpoint } from './developer-endpoints.js';
import { HttpDeliveries } from './http-endpoints.js';
import { declareState } from './state.js';
import { permissionOperations } from './permissions.js';
import { platformOperations } from './platform.js';
import { publishOperations } from './publish.js';
import { removeSubscription, subscriptionCounts, subscriptionOperations, subscriptionsOf } from './subscriptions.js';
import { smsOperations } from './sms.js';
import { snsTaggedResources, tagOperations } from './tags.js';
import { topicOperations } from './topics.js';

export function createProvider(context: ProviderContext): Provider {
  const state = declareState(context);
  // http/https POSTs waiting for a retry live in the state; their timers are rebuilt from it
  const http = new HttpDeliveries(context, state.store);
  const operations = {
    ...topicOperations(context, state, (ctx, topic) => subscriptionCounts(state, ctx, topic), (ctx, topic) => {
      // AWS detaches a deleted topic's subscriptions and removes them later; here at once
      for (const sub of subscriptionsOf(state.of(ctx), topic.arn)) removeSubscription(state, ctx, sub);
    }),
    ...subscriptionOperations(state, confirmationSender(context, state, http)),
    ...publishOperations(context, state, http),
    ...platformOperations(state),
    ...smsOperations(state),
    ...permissionOperations(state),
    ...tagOperations(state),
  } satisfies Partial<SnsApi>;
  return {
    operations,
    taggedResources: snsTaggedResources(state.store),
    developerEndpoint: snsDeveloperEndpoint(state.store),
    start: () => http.resume(),
    stop: () => http.cancelAll(),
    stateChanged: () => http.resume(),
  };
}
