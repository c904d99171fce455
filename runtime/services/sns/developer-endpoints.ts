/**
 * LocalStack's developer endpoints for SNS, under /_aws/sns (plain JSON, not an AWS protocol):
 *
 *   GET|DELETE /_aws/sns/sms-messages                SMS messages sent (Publish to a phone
 *       ?accountId=&region=&phoneNumber=             number or an sms subscriber), by number
 *   GET|DELETE /_aws/sns/platform-endpoint-messages  messages sent to platform application
 *       ?accountId=&region=&endpointArn=             endpoints, by endpoint ARN
 *   GET|DELETE /_aws/sns/email-messages              ours (LocalStack mails through SES): what
 *       ?accountId=&region=&email=                  email and email-json subscribers were sent
 *                                                   (confirmation requests, then notifications), by address
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
import type { RecordedEmail, RecordedMessage, SnsState } from './state.js';

type Recorded = RecordedMessage | RecordedEmail;
type Part = 'smsMessages' | 'endpointMessages' | 'emailMessages';

/** What the endpoints need of the provider's state (state.ts declareState). */
interface Store {
  /** The state of an account and region, undefined when it has none (reading creates nothing). */
  peek(accountId: string, region: string): SnsState | undefined;
  changed(accountId: string, region: string, part: Part, key: string): void;
}

/** A list of recorded messages: where they are kept, how they are grouped and filtered, what is shown. */
interface RecordedList {
  readonly part: Part;
  /** The answer's member holding the groups. */
  readonly member: string;
  /** The query parameter that selects one group, and the message field it matches. */
  readonly filter: 'phoneNumber' | 'endpointArn' | 'email';
  readonly key: 'PhoneNumber' | 'TargetArn' | 'To';
  /** The members shown, in order; undefined: all of them. */
  readonly fields?: readonly string[];
}

const LISTS: Readonly<Record<string, RecordedList>> = {
  '/sms-messages': {
    part: 'smsMessages', member: 'sms_messages', filter: 'phoneNumber', key: 'PhoneNumber',
    fields: ['PhoneNumber', 'TopicArn', 'SubscriptionArn', 'MessageId', 'Message', 'MessageAttributes', 'MessageStructure', 'Subject'],
  },
  '/platform-endpoint-messages': {
    part: 'endpointMessages', member: 'platform_endpoint_messages', filter: 'endpointArn', key: 'TargetArn',
    fields: ['TargetArn', 'TopicArn', 'Message', 'MessageAttributes', 'MessageStructure', 'Subject', 'MessageId'],
  },
  // ours: LocalStack sends SNS mail through SES, which has no provider here yet
  '/email-messages': { part: 'emailMessages', member: 'email_messages', filter: 'email', key: 'To' },
};

function pick(m: Recorded, fields: readonly string[] | undefined): Partial<Recorded> {
  if (!fields) return m;
  const values = m as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of fields) if (values[f] !== undefined) out[f] = values[f];
  return out as Partial<Recorded>;
}

/** GET lists one list's messages grouped by their key, in the order they were sent; DELETE forgets them (204). */
function serveList(store: Store, list: RecordedList, ctx: RequestContext, res: GatewayResponse): void {
  const q = ctx.query;
  const selected = q.get(list.filter);
  // an endpoint ARN names its own account and region
  const arn = list.filter === 'endpointArn' && selected !== null ? parseArn(selected) : undefined;
  const accountId = arn?.accountId || (q.get('accountId') ?? ctx.accountId);
  const region = arn?.region || (q.get('region') ?? ctx.region);
  const recorded: Record<string, Recorded> = store.peek(accountId, region)?.[list.part] ?? {};
  const keyOf = (m: Recorded) => (m as unknown as Record<string, string | undefined>)[list.key] ?? '';
  const matching = Object.entries(recorded).filter(([, m]) => selected === null || keyOf(m) === selected);
  if (ctx.method === 'DELETE') {
    for (const [id] of matching) {
      delete recorded[id];
      store.changed(accountId, region, list.part, id);
    }
    res.send(204, undefined, '');
    return;
  }
  const groups: Record<string, Partial<Recorded>[]> = selected === null ? {} : { [selected]: [] };
  for (const [, m] of matching) (groups[keyOf(m)] ??= []).push(pick(m, list.fields));
  res.json(200, { [list.member]: groups, region });
}

/** The provider's developerEndpoint for sns. */
export function snsDeveloperEndpoint(store: Store) {
  return (ctx: RequestContext, res: GatewayResponse, path: string): DeveloperAnswer => {
    if (path === SIGNING_CERT_PATH && ctx.method === 'GET') {
      res.send(200, 'application/x-pem-file', SIGNING_CERTIFICATE);
      return 'answered';
    }
    const list = LISTS[path];
    if (list && (ctx.method === 'GET' || ctx.method === 'DELETE')) {
      serveList(store, list, ctx, res);
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
