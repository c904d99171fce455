/**
 * Receipt handles: opaque to clients, they carry the queue's ARN and the message id (base64url),
 * and a random part that changes with each receive, so the newest one can be told from a
 * stale one. A handle that does not decode to this queue is ReceiptHandleIsInvalid.
 */
import { uuid } from '../../aws/ids.js';
import { sqsError } from './errors.js';
import type { StoredMessage, StoredQueue } from './state.js';

/**
 * A new handle for a message received now. The random part is a UUID: Node draws those from a
 * cached pool of random bytes (0.2 µs), where 24 fresh random bytes cost 2 µs of every receive.
 */
export function newReceipt(queue: StoredQueue, message: StoredMessage): string {
  return Buffer.from(`${queue.arn} ${message.id} ${uuid()}`, 'utf8').toString('base64url');
}

/** The message a handle names, if it is still in the queue; throws for a handle that is not one of this queue's. */
export function findByReceipt(queue: StoredQueue, handle: string): StoredMessage | undefined {
  const parts = /^[A-Za-z0-9_-]+$/.test(handle) ? Buffer.from(handle, 'base64url').toString('utf8').split(' ') : [];
  if (parts.length !== 3 || parts[0] !== queue.arn) {
    throw sqsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
  }
  return queue.messages.find((m) => m.id === parts[1]);
}
