/**
 * LocalStack's developer endpoint `/_aws/sqs/messages`: the messages of a queue, read without
 * side effects (no receive count, no visibility change, no receipt handle given), so that a
 * test can look into a queue its code under test consumes from.
 *
 *   GET|POST /_aws/sqs/messages?QueueUrl=<url>           any queue URL form (queue-urls.ts)
 *   GET      /_aws/sqs/messages/<region>/<account>/<name>
 *   an SDK's ReceiveMessage sent to the endpoint URL `http://localhost:4566/_aws/sqs/messages`
 *   (json, or query form), so `sqs.receive_message(QueueUrl=...)` peeks
 *
 * The answer is ReceiveMessage's: json when the request was (Content-Type
 * application/x-amz-json-1.0), else the query protocol's XML (JSON with Accept:
 * application/json). Every system attribute and message attribute is included; the receipt
 * handle is the placeholder `SQS/BACKDOOR/ACCESS`. By default only visible messages are
 * listed; `ShowInvisible=true` adds those in flight (and, in a FIFO queue, those held back
 * behind their group's message in flight) with the attribute IsVisible, `ShowDelayed=true`
 * adds delayed ones with IsDelayed. Messages are listed in send order.
 */
import { ServiceError } from '../../aws/errors.js';
import type { GatewayResponse, RequestContext } from '../../request-context.js';
import type { DeveloperAnswer, OperationContext } from '../provider.js';
import type { Message } from './api.generated.js';
import { queueDoesNotExist, sqsError } from './errors.js';
import { md5OfAttributes } from './md5.js';
import { parseQueueUrl } from './queue-urls.js';
import type { SqsDeps } from './queues.js';
import { messageAttributes, systemAttributes } from './receive.js';
import type { StoredQueue } from './state.js';

const RECEIPT = 'SQS/BACKDOOR/ACCESS';
const JSON_TYPE = 'application/x-amz-json-1.0';

type Visibility = 'visible' | 'invisible' | 'delayed';

/** What the request asked: its parameters, from a json body, a form, or the query string. */
function parameters(ctx: RequestContext): Record<string, unknown> {
  const type = ctx.header('content-type') ?? '';
  const values: Record<string, unknown> = Object.fromEntries(ctx.query);
  if (type.startsWith(JSON_TYPE)) {
    const target = ctx.header('x-amz-target');
    if (target !== undefined && target !== 'AmazonSQS.ReceiveMessage') throw onlyReceive();
    try {
      Object.assign(values, JSON.parse(ctx.body.toString('utf8') || '{}') as object);
    } catch {
      throw sqsError('InvalidParameterValue', 'The request body is not valid JSON.');
    }
  } else if (type.startsWith('application/x-www-form-urlencoded')) {
    const form = Object.fromEntries(new URLSearchParams(ctx.body.toString('utf8')));
    if (form.Action !== undefined && form.Action !== 'ReceiveMessage') throw onlyReceive();
    Object.assign(values, form);
  }
  return values;
}

/** LocalStack's answer to another operation sent to the endpoint. */
function onlyReceive() {
  return new ServiceError('InvalidRequest', 'This endpoint only accepts ReceiveMessage calls');
}

const flag = (value: unknown) => ['true', '1'].includes(String(value ?? '').toLowerCase());

/** Each message's visibility now, as a receive would see it (FIFO: behind an unavailable message of its group). */
function visibilities(queue: StoredQueue, now: number): Visibility[] {
  const blocked = new Set<string>();
  return queue.messages.map((m) => {
    const state: Visibility = m.visibleAt <= now ? (m.groupId !== undefined && blocked.has(m.groupId) ? 'invisible' : 'visible') : m.receiveCount > 0 ? 'invisible' : 'delayed';
    if (state !== 'visible' && m.groupId !== undefined) blocked.add(m.groupId);
    return state;
  });
}

/** The provider's developerEndpoint for sqs. */
export function sqsDeveloperEndpoint(deps: SqsDeps) {
  return (ctx: RequestContext, _res: GatewayResponse, path: string): DeveloperAnswer => {
    const byPath = /^\/messages\/([^/]+)\/(\d{12})\/([^/]+)\/?$/.exec(path);
    if (path !== '/messages' && path !== '/messages/' && !byPath) return undefined;
    ctx.protocol = (ctx.header('content-type') ?? '').startsWith(JSON_TYPE) ? 'json' : 'query';
    const values = parameters(ctx);
    let address: { accountId: string; region: string; name: string };
    if (byPath) {
      address = { region: byPath[1]!, accountId: byPath[2]!, name: decodeURIComponent(byPath[3]!) };
    } else {
      if (typeof values.QueueUrl !== 'string' || values.QueueUrl === '') throw queueDoesNotExist();
      address = parseQueueUrl({ accountId: ctx.accountId, region: ctx.region } as OperationContext, values.QueueUrl);
    }
    const queue = deps.store.store.peek(address.accountId, address.region)?.queues[address.name];
    if (!queue) throw queueDoesNotExist();
    const showInvisible = flag(values.ShowInvisible);
    const showDelayed = flag(values.ShowDelayed);
    const now = deps.clock.now();
    const retention = Number(queue.attributes.MessageRetentionPeriod) * 1000;
    const states = visibilities(queue, now);
    const messages: Message[] = [];
    queue.messages.forEach((m, i) => {
      const state = states[i]!;
      if (now - m.sent >= retention) return;
      if ((state === 'invisible' && !showInvisible) || (state === 'delayed' && !showDelayed)) return;
      const attributes: Record<string, string> = { ...systemAttributes(m, ['All']) };
      if (showInvisible) attributes.IsVisible = String(state === 'visible');
      if (showDelayed) attributes.IsDelayed = String(state === 'delayed');
      const selected = messageAttributes(m, ['All']);
      messages.push({
        MessageId: m.id, ReceiptHandle: RECEIPT, MD5OfBody: m.md5OfBody, Body: m.body, Attributes: attributes,
        ...(selected ? { MD5OfMessageAttributes: md5OfAttributes(selected)!, MessageAttributes: selected } : {}),
      });
    });
    return { operation: 'ReceiveMessage', output: messages.length ? { Messages: messages } : {} };
  };
}
