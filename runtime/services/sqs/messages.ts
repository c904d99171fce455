/**
 * Sending, deleting and changing the visibility of messages, singly and in batches. A message
 * is checked as AWS checks it (characters SQS forbids, size against MaximumMessageSize,
 * attribute types, delay), stored in its queue with its MD5s, and each send wakes one
 * long-polling receiver of the queue (receive.ts).
 */
import { randomUUID } from 'node:crypto';
import { record } from '../../state/store.js';
import type { OperationContext } from '../provider.js';
import type { MessageAttributeValue, SendMessageBatchRequestEntry, SqsApi } from './api.generated.js';
import { checkBatch, runEntries } from './batch.js';
import { sqsError } from './errors.js';
import { fifoSend, recordFifoSend } from './fifo.js';
import { md5Hex, md5OfAttributes } from './md5.js';
import { findQueue, type SqsDeps } from './queues.js';
import { findByReceipt } from './receipts.js';
import type { Waiters } from './receive.js';
import type { StoredAttributeValue, StoredMessage, StoredQueue } from './state.js';

/** Everything but what the XML 1.0 spec allows, as SQS defines it. */
const FORBIDDEN = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

type SendInput = Omit<SendMessageBatchRequestEntry, 'Id'>;

function toStored(attributes: Record<string, MessageAttributeValue> | undefined, system: boolean): Record<string, StoredAttributeValue> {
  const out = record<StoredAttributeValue>();
  for (const [name, value] of Object.entries(attributes ?? {})) {
    const type = value.DataType;
    if (!/^(String|Number|Binary)(\..+)?$/.test(type)) {
      throw sqsError('InvalidParameterValue', `The type of message (${system ? 'system' : 'user'}) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
    }
    const binary = type.startsWith('Binary');
    if (binary ? value.BinaryValue === undefined : !value.StringValue) {
      throw sqsError('InvalidParameterValue', `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${binary ? 'Binary' : type.startsWith('Number') ? 'Number' : 'String'}'.`);
    }
    out[name] = binary ? { DataType: type, BinaryValue: value.BinaryValue! } : { DataType: type, StringValue: value.StringValue! };
  }
  return out;
}

function sizeOf(body: string, attributes: Record<string, StoredAttributeValue>): number {
  let size = Buffer.byteLength(body, 'utf8');
  for (const [name, v] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(v.DataType) + (v.BinaryValue ? v.BinaryValue.length : Buffer.byteLength(v.StringValue ?? ''));
  }
  return size;
}

/** The handlers of the message operations (ReceiveMessage is in receive.ts). */
export function messageOperations(deps: SqsDeps, waiters: Waiters) {
  const { store, clock } = deps;

  function sendOne(ctx: OperationContext, queue: StoredQueue, input: SendInput) {
    const body = input.MessageBody;
    if (body === '') throw sqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
    if (FORBIDDEN.test(body)) {
      throw sqsError('InvalidMessageContents', 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF');
    }
    const attributes = toStored(input.MessageAttributes, false);
    const system = toStored(input.MessageSystemAttributes, true);
    const max = Number(queue.attributes.MaximumMessageSize);
    if (sizeOf(body, attributes) > max) throw sqsError('InvalidParameterValue', `One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`);
    const delay = input.DelaySeconds;
    if (delay !== undefined && (delay < 0 || delay > 900)) {
      throw sqsError('InvalidParameterValue', `Value ${delay} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`);
    }
    const now = clock.now();
    const fifo = queue.fifo ? fifoSend(queue, body, input.MessageGroupId, input.MessageDeduplicationId, delay, now) : undefined;
    const md5OfUser = md5OfAttributes(attributes);
    const md5OfSystem = md5OfAttributes(system);
    const answer = (id: string, sequenceNumber?: string) => ({
      MessageId: id,
      MD5OfMessageBody: md5Hex(body),
      ...(md5OfUser ? { MD5OfMessageAttributes: md5OfUser } : {}),
      ...(md5OfSystem ? { MD5OfMessageSystemAttributes: md5OfSystem } : {}),
      ...(sequenceNumber ? { SequenceNumber: sequenceNumber } : {}),
    });
    if (fifo?.duplicateOf) return answer(fifo.duplicateOf.id, fifo.duplicateOf.sequenceNumber);
    const message: StoredMessage = {
      id: randomUUID(), body, md5OfBody: md5Hex(body), attributes, sent: now,
      visibleAt: now + 1000 * (delay ?? Number(queue.attributes.DelaySeconds)), receiveCount: 0,
      senderId: ctx.accountId,
    };
    if (md5OfUser) message.md5OfAttributes = md5OfUser;
    if (system.AWSTraceHeader?.StringValue) message.traceHeader = system.AWSTraceHeader.StringValue;
    if (fifo) {
      message.groupId = fifo.groupId;
      message.deduplicationId = fifo.deduplicationId;
      message.sequenceNumber = recordFifoSend(queue, fifo, message.id, now);
    }
    queue.messages.push(message);
    store.changed(queue);
    waiters.notify(queue.arn, message.visibleAt - now);
    return answer(message.id, message.sequenceNumber);
  }

  function changeVisibility(queue: StoredQueue, handle: string, timeout: number) {
    if (timeout < 0 || timeout > 43_200) {
      throw sqsError('InvalidParameterValue', `Value ${timeout} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200, if provided.`);
    }
    const message = findByReceipt(queue, handle);
    const now = clock.now();
    if (!message || message.receipt !== handle || message.visibleAt <= now) {
      throw sqsError('MessageNotInflight', 'Message does not exist or is not available for visibility timeout change.');
    }
    message.visibleAt = now + timeout * 1000;
    store.changed(queue);
    if (timeout === 0) waiters.notify(queue.arn, 0);
  }

  function deleteOne(queue: StoredQueue, handle: string) {
    const message = findByReceipt(queue, handle);
    // a stale handle (the message was received again since) succeeds without deleting, as AWS documents
    if (message && message.receipt === handle) {
      queue.messages.splice(queue.messages.indexOf(message), 1);
      store.changed(queue);
    }
  }

  return {
    SendMessage(ctx, input) {
      return sendOne(ctx, findQueue(deps, ctx, input.QueueUrl), input);
    },

    SendMessageBatch(ctx, input) {
      const queue = findQueue(deps, ctx, input.QueueUrl);
      checkBatch(input.Entries, 'SendMessageBatchRequestEntry');
      const total = input.Entries.reduce((sum, e) => sum + sizeOf(e.MessageBody, toStoredLenient(e.MessageAttributes)), 0);
      if (total > 1_048_576) throw sqsError('BatchRequestTooLong', `Batch requests cannot be longer than 1048576 bytes. You have sent ${total} bytes.`);
      return runEntries(input.Entries, (entry) => ({ Id: entry.Id, ...sendOne(ctx, queue, entry) }));
    },

    DeleteMessage(ctx, input) {
      deleteOne(findQueue(deps, ctx, input.QueueUrl), input.ReceiptHandle);
      return {};
    },

    DeleteMessageBatch(ctx, input) {
      const queue = findQueue(deps, ctx, input.QueueUrl);
      checkBatch(input.Entries, 'DeleteMessageBatchRequestEntry');
      return runEntries(input.Entries, (entry) => {
        deleteOne(queue, entry.ReceiptHandle);
        return { Id: entry.Id };
      });
    },

    ChangeMessageVisibility(ctx, input) {
      changeVisibility(findQueue(deps, ctx, input.QueueUrl), input.ReceiptHandle, input.VisibilityTimeout);
      return {};
    },

    ChangeMessageVisibilityBatch(ctx, input) {
      const queue = findQueue(deps, ctx, input.QueueUrl);
      checkBatch(input.Entries, 'ChangeMessageVisibilityBatchRequestEntry');
      return runEntries(input.Entries, (entry) => {
        changeVisibility(queue, entry.ReceiptHandle, entry.VisibilityTimeout ?? 0);
        return { Id: entry.Id };
      });
    },
  } satisfies Partial<SqsApi>;
}

/** The attributes as sized for the batch limit, before each entry's own checks. */
function toStoredLenient(attributes: Record<string, MessageAttributeValue> | undefined): Record<string, StoredAttributeValue> {
  const out = record<StoredAttributeValue>();
  for (const [name, v] of Object.entries(attributes ?? {})) out[name] = { DataType: v.DataType, ...(v.BinaryValue ? { BinaryValue: v.BinaryValue } : { StringValue: v.StringValue ?? '' }) };
  return out;
}
