/**
 * LocalStack's developer endpoints for SNS, under /_aws/sns (plain JSON, not an AWS protocol):
 *
 *   GET|DELETE /_aws/sns/sms-messages                SMS messages sent (Publish to a phone
 *       ?accountId=&region=&phoneNumber=             number or an sms subscriber), by number
 *   GET|DELETE /_aws/sns/platform-endpoint-messages  messages sent to platform application
 *       ?accountId=&region=&endpointArn=             endpoints, by endpoint ARN
 *   GET /_aws/sns/subscription-tokens/<subscription arn>
 *                                                   the confirmation token of a pending
 *                                                   subscription (to confirm without an endpoint)
 *   GET /_aws/sns/SimpleNotificationService-<id>.pem the certificate messages are signed with
 *                                                   (their SigningCertURL)
 *
 * accountId and region default to the request's credential scope (000000000000 and us-east-1
 * for an unsigned curl); an endpointArn names its own. A DELETE answers 204 and forgets the
 * messages (all, or one number's / one endpoint's).
 */
import { parseArn } from '../../aws/arns.js';
import type { GatewayResponse, RequestContext } from '../../request-context.js';
import type { DeveloperAnswer } from '../provider.js';
import { SIGNING_CERT_PATH } from './envelope.js';
import { SIGNING_CERTIFICATE } from './signing.js';
import type { RecordedMessage, SnsState } from './state.js';

/** What the endpoints need of the provider's state (state.ts declareState). */
interface Store {
  /** The state of an account and region, undefined when it has none (reading creates nothing). */
  peek(accountId: string, region: string): SnsState | undefined;
  changed(accountId: string, region: string, part: 'smsMessages' | 'endpointMessages', key: string): void;
}

const SMS_FIELDS = ['PhoneNumber', 'TopicArn', 'SubscriptionArn', 'MessageId', 'Message', 'MessageAttributes', 'MessageStructure', 'Subject'] as const;
const ENDPOINT_FIELDS = ['TargetArn', 'TopicArn', 'Message', 'MessageAttributes', 'MessageStructure', 'Subject', 'MessageId'] as const;

function pick(m: RecordedMessage, fields: readonly (keyof RecordedMessage)[]): Partial<RecordedMessage> {
  const out: Partial<RecordedMessage> = {};
  for (const f of fields) if (m[f] !== undefined) (out as Record<string, unknown>)[f] = m[f];
  return out;
}

/** Groups messages by a key, in the order they were sent. */
function grouped(messages: Iterable<RecordedMessage>, key: (m: RecordedMessage) => string, fields: readonly (keyof RecordedMessage)[]): Record<string, Partial<RecordedMessage>[]> {
  const out: Record<string, Partial<RecordedMessage>[]> = {};
  for (const m of messages) (out[key(m)] ??= []).push(pick(m, fields));
  return out;
}

/** Forgets the recorded messages `which` selects, marking each as deleted. */
function forget(store: Store, accountId: string, region: string, part: 'smsMessages' | 'endpointMessages', which: (m: RecordedMessage) => boolean): void {
  const recorded = store.peek(accountId, region)?.[part] ?? {};
  for (const [id, m] of Object.entries(recorded)) {
    if (!which(m)) continue;
    delete recorded[id];
    store.changed(accountId, region, part, id);
  }
}

/** The provider's developerEndpoint for sns. */
export function snsDeveloperEndpoint(store: Store) {
  return (ctx: RequestContext, res: GatewayResponse, path: string): DeveloperAnswer => {
    const q = ctx.query;
    if (path === SIGNING_CERT_PATH && ctx.method === 'GET') {
      res.send(200, 'application/x-pem-file', SIGNING_CERTIFICATE);
      return 'answered';
    }
    if (path === '/sms-messages' && (ctx.method === 'GET' || ctx.method === 'DELETE')) {
      const accountId = q.get('accountId') ?? ctx.accountId;
      const region = q.get('region') ?? ctx.region;
      const phone = q.get('phoneNumber');
      const matches = (m: RecordedMessage) => phone === null || m.PhoneNumber === phone;
      if (ctx.method === 'DELETE') {
        forget(store, accountId, region, 'smsMessages', matches);
        res.send(204, undefined, '');
        return 'answered';
      }
      const messages = Object.values(store.peek(accountId, region)?.smsMessages ?? {}).filter(matches);
      const byNumber = grouped(messages, (m) => m.PhoneNumber ?? '', SMS_FIELDS);
      res.json(200, { sms_messages: phone === null ? byNumber : { [phone]: byNumber[phone] ?? [] }, region });
      return 'answered';
    }
    if (path === '/platform-endpoint-messages' && (ctx.method === 'GET' || ctx.method === 'DELETE')) {
      const endpoint = q.get('endpointArn');
      const arn = endpoint === null ? undefined : parseArn(endpoint);
      const accountId = arn?.accountId || (q.get('accountId') ?? ctx.accountId);
      const region = arn?.region || (q.get('region') ?? ctx.region);
      const matches = (m: RecordedMessage) => endpoint === null || m.TargetArn === endpoint;
      if (ctx.method === 'DELETE') {
        forget(store, accountId, region, 'endpointMessages', matches);
        res.send(204, undefined, '');
        return 'answered';
      }
      const messages = Object.values(store.peek(accountId, region)?.endpointMessages ?? {}).filter(matches);
      const byEndpoint = grouped(messages, (m) => m.TargetArn ?? '', ENDPOINT_FIELDS);
      res.json(200, { platform_endpoint_messages: endpoint === null ? byEndpoint : { [endpoint]: byEndpoint[endpoint] ?? [] }, region });
      return 'answered';
    }
    const token = /^\/subscription-tokens\/(.+)$/.exec(path);
    if (token && ctx.method === 'GET') {
      const subscriptionArn = decodeURIComponent(token[1]!);
      const arn = parseArn(subscriptionArn);
      if (!arn?.accountId || !arn.region) {
        res.json(400, { error: 'The provided SubscriptionARN is invalid', subscription_arn: subscriptionArn });
        return 'answered';
      }
      const state = store.peek(arn.accountId, arn.region);
      const id = state && Object.values(state.subscriptions).find((s) => s.arn === subscriptionArn)?.id;
      const found = id === undefined ? undefined : Object.entries(state!.tokens).find(([, sub]) => sub === id)?.[0];
      if (found === undefined) res.json(404, { error: 'The provided SubscriptionARN is not found', subscription_arn: subscriptionArn });
      else res.json(200, { subscription_token: found, subscription_arn: subscriptionArn });
      return 'answered';
    }
    return undefined;
  };
}
