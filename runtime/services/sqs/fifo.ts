/**
 * FIFO queues on send: a group id is required, a deduplication id is given or derived from the
 * body (ContentBasedDeduplication: the SHA-256 of the body), and a message whose id was seen
 * in the last 5 minutes (in the queue, or its group with DeduplicationScope=messageGroup, as
 * the queue was created) is
 * accepted and answered with the first one's id and sequence number, but not stored again.
 */
import { createHash } from 'node:crypto';
import { sqsError } from './errors.js';
import type { StoredQueue } from './state.js';

const DEDUPLICATION_WINDOW = 5 * 60_000;

/** What a FIFO send resolved: the group, the deduplication id, and a duplicate's earlier answer. */
export interface FifoSend {
  groupId: string;
  deduplicationId: string;
  duplicateOf?: { id: string; sequenceNumber: string };
}

/** Checks a send's FIFO parameters against the queue and finds a duplicate within the window. */
export function fifoSend(queue: StoredQueue, body: string, groupId: string | undefined, deduplicationId: string | undefined, delaySeconds: number | undefined, now: number): FifoSend {
  if (delaySeconds !== undefined && delaySeconds !== 0) {
    throw sqsError('InvalidParameterValue', `Value ${delaySeconds} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`);
  }
  if (!groupId) throw sqsError('MissingParameter', 'The request must contain the parameter MessageGroupId.');
  let id = deduplicationId;
  if (!id) {
    if (queue.attributes.ContentBasedDeduplication !== 'true') {
      throw sqsError('InvalidParameterValue', 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    }
    id = createHash('sha256').update(body, 'utf8').digest('hex');
  }
  for (const [key, entry] of Object.entries(queue.deduplication)) if (now - entry.at >= DEDUPLICATION_WINDOW) delete queue.deduplication[key];
  const seen = queue.deduplication[dedupKey(queue, groupId, id)];
  return { groupId, deduplicationId: id, ...(seen ? { duplicateOf: { id: seen.id, sequenceNumber: seen.sequenceNumber } } : {}) };
}

/** Records a stored FIFO message for deduplication and returns its sequence number. */
export function recordFifoSend(queue: StoredQueue, send: FifoSend, messageId: string, now: number): string {
  queue.sequence += 1;
  // AWS's sequence numbers are large, increasing decimal strings (20 digits)
  const sequenceNumber = (10n ** 19n + BigInt(queue.sequence)).toString();
  queue.deduplication[dedupKey(queue, send.groupId, send.deduplicationId)] = { id: messageId, sequenceNumber, at: now };
  return sequenceNumber;
}

function dedupKey(queue: StoredQueue, groupId: string, id: string): string {
  // the scope the queue was created with: AWS keeps to it when SetQueueAttributes changes the attribute
  return (queue.deduplicationScope ?? queue.attributes.DeduplicationScope) === 'messageGroup' ? `${groupId}\u0000${id}` : id;
}
