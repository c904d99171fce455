/**
 * What Subscribe sends an endpoint that confirms by itself (subscriptions.ts decides which):
 * http/https a SubscriptionConfirmation POST (retried per the delivery policy, http-endpoints.ts),
 * email and email-json a confirmation mail, recorded (email.ts). Both carry the token
 * ConfirmSubscription takes.
 */
import { uuid } from '../../aws/ids.js';
import type { ProviderContext } from '../provider.js';
import { retryPlan } from './delivery-policy.js';
import { confirmationMail } from './email.js';
import { confirmationEnvelope } from './envelope.js';
import type { HttpDeliveries } from './http-endpoints.js';
import type { SnsStateAccess } from './state.js';
import type { OnSubscribed } from './subscriptions.js';

/** The OnSubscribed hook of the provider. */
export function confirmationSender(context: ProviderContext, state: SnsStateAccess, http: HttpDeliveries): OnSubscribed {
  return (ctx, sub, topic, token) => {
    const messageId = uuid();
    const timestamp = context.clock.now();
    if (sub.protocol === 'http' || sub.protocol === 'https') {
      const body = confirmationEnvelope(context.config, { messageId, token, topicArn: topic.arn, timestamp, signatureVersion: topic.attributes.SignatureVersion });
      http.send(ctx, { url: sub.endpoint, type: 'SubscriptionConfirmation', messageId, topicArn: topic.arn, body }, retryPlan(sub.attributes.DeliveryPolicy, topic.attributes.DeliveryPolicy));
    } else if (sub.protocol === 'email' || sub.protocol === 'email-json') {
      state.recordEmail(ctx, confirmationMail(context.config, { topic, sub, messageId, token, timestamp }));
    }
  };
}
