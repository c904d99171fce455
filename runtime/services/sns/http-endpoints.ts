/**
 * POSTs to http/https subscribers, as SNS makes them: `Content-Type: text/plain; charset=UTF-8`,
 * the `x-amz-sns-message-type`, `x-amz-sns-message-id`, `x-amz-sns-topic-arn` (and, for a
 * subscription's messages, `x-amz-sns-subscription-arn`) headers, and `User-Agent:
 * Amazon Simple Notification Service Agent`.
 *
 * A POST that fails (no connection, a status outside 2xx) is retried after the delivery
 * policy's delay (the topic's or AWS's default healthy retry policy: 3 retries, 20 s apart),
 * through the provider's scheduler, so stopping the provider cancels what is left. Retries
 * are not persisted: a restart drops the POSTs still due (the sqs deliveries, which go
 * through the runtime's delivery queue, are kept).
 */
import type { ProviderContext } from '../provider.js';

export interface HttpPost {
  url: string;
  type: 'SubscriptionConfirmation' | 'Notification' | 'UnsubscribeConfirmation';
  messageId: string;
  topicArn: string;
  subscriptionArn?: string;
  body: string;
  /** Raw delivery sends the message itself, with this header. */
  raw?: boolean;
}

/** The retry policy of a delivery: from the topic's or subscription's DeliveryPolicy, else AWS's default. */
export function retryPolicy(deliveryPolicy: string | undefined): { retries: number; delayMs: number } {
  let policy: { numRetries?: unknown; minDelayTarget?: unknown } | undefined;
  try {
    const doc = deliveryPolicy ? (JSON.parse(deliveryPolicy) as Record<string, any>) : undefined;
    policy = doc?.http?.defaultHealthyRetryPolicy ?? doc?.healthyRetryPolicy;
  } catch {
    policy = undefined;
  }
  const retries = typeof policy?.numRetries === 'number' ? policy.numRetries : 3;
  const delay = typeof policy?.minDelayTarget === 'number' ? policy.minDelayTarget : 20;
  return { retries, delayMs: delay * 1000 };
}

/** Sends a POST now, and again on failure per `policy`; never throws. */
export function postToEndpoint(context: ProviderContext, post: HttpPost, policy: { retries: number; delayMs: number }, attempt = 0): void {
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=UTF-8',
    'user-agent': 'Amazon Simple Notification Service Agent',
    'x-amz-sns-message-type': post.type,
    'x-amz-sns-message-id': post.messageId,
    'x-amz-sns-topic-arn': post.topicArn,
  };
  if (post.subscriptionArn) headers['x-amz-sns-subscription-arn'] = post.subscriptionArn;
  if (post.raw) headers['x-amz-sns-rawdelivery'] = 'true';
  void fetch(post.url, { method: 'POST', headers, body: post.body, signal: AbortSignal.timeout(15_000) })
    .then(async (r) => {
      await r.arrayBuffer().catch(() => undefined);
      if (r.status < 200 || r.status > 299) throw new Error(`status ${r.status}`);
    })
    .catch((e: unknown) => {
      if (attempt < policy.retries) {
        context.scheduler.after(policy.delayMs, () => postToEndpoint(context, post, policy, attempt + 1));
      } else {
        context.log.warn(`sns: ${post.type} ${post.messageId} to ${post.url} dropped after ${attempt + 1} attempts: ${(e as Error).message}`);
      }
    });
}
