/**
 * Amazon Simple Notification Service (`sns`, query).
 *
 * The provider assembles handlers kept by concern: topics.ts (topics, their attributes and
 * data protection policy), subscriptions.ts (Subscribe, confirmation, attributes, listings),
 * confirmations.ts (what Subscribe sends: the http/https POST, the email mail),
 * publish.ts (Publish, PublishBatch and the fan-out to subscribers, through the runtime's
 * delivery queue for sqs/lambda/firehose and http-endpoints.ts for http/https, retried per
 * delivery-policy.ts), dead-letter.ts (subscription DLQs), email.ts (the mails recorded for
 * email/email-json), envelope.ts (the documents SNS sends), message-checks.ts,
 * filter-policy.ts (matching) and filter-policy-check.ts (validation), platform.ts (platform
 * applications and endpoints), sms.ts (SMS attributes and opt-outs), permissions.ts
 * (Add/RemovePermission), tags.ts (tagging, and the topics' offer to the Resource Groups
 * Tagging API). state.ts holds what the service keeps (declared to the runtime, marked when
 * changed), the http POSTs awaiting a retry among it: their timers are rebuilt from it at
 * start and when the state is replaced; errors.ts its errors. See docs/adding-a-service.md.
 *
 * LocalStack's developer endpoints (/_aws/sns/sms-messages, platform-endpoint-messages,
 * subscription-tokens, the signing certificate at SigningCertURL), and our email-messages:
 * developer-endpoints.ts.
 *
 * LIMITATIONS: nothing is mailed or texted: email and email-json mails are recorded in the
 * state and listed at /_aws/sns/email-messages (LocalStack shows them through SES's /_aws/ses,
 * and SES has no provider here yet). Http/https retries follow the delivery policy's phases
 * without AWS's jitter and without the 3,600 s total or throttlePolicy (maxReceivesPerSecond),
 * and a DeliveryPolicy is checked as JSON only (AWS's ranges are not enforced; a member that
 * is not a whole number of the right kind takes AWS's default); pending retries resume when
 * SNS starts after a restart (at boot with EAGER_SERVICE_LOADING=1, else on its first
 * request). Deliveries to sqs, lambda and firehose go through the runtime's delivery queue (8
 * attempts on server errors, not AWS's 23 days) before the dead-letter queue. The wildcard
 * limits' messages (more than 3 `*`, a wildcard complexity over 100) are AWS's "Filter policy
 * is too complex", not verified against AWS. ArchivePolicy is validated and stored; nothing is
 * archived or replayed (ReplayPolicy is stored). Not emulated (501 naming the operation,
 * docs/coverage/sns.md): the SMS sandbox (Create/Delete/Verify/List SMSSandboxPhoneNumber,
 * GetSMSSandboxAccountStatus), ListOriginationNumbers; no API opts a number out, so the
 * opt-out list stays empty. Topic policies are stored, not enforced; KmsMasterKeyId is stored,
 * messages are not encrypted.
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
