/**
 * The rules every SQS batch shares, checked before any entry runs (AWS's order: empty, too
 * many, ids, distinct ids), and the per-entry outcome: a ServiceError from one entry becomes
 * its Failed row (Code, Message, SenderFault) and the others go on.
 */
import { ServiceError } from '../../aws/errors.js';
import type { BatchResultErrorEntry } from './api.generated.js';
import { sqsError } from './errors.js';

const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** Throws the batch-level error AWS gives for these entries, if any. */
export function checkBatch(entries: readonly { Id: string }[], entryShape: string): void {
  if (entries.length === 0) throw sqsError('EmptyBatchRequest', `There should be at least one ${entryShape} in the request.`);
  if (entries.length > 10) throw sqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${entries.length}.`);
  const seen = new Set<string>();
  for (const { Id } of entries) {
    if (!ENTRY_ID.test(Id)) throw sqsError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
    if (seen.has(Id)) throw sqsError('BatchEntryIdsNotDistinct', `Id ${Id} repeated.`);
    seen.add(Id);
  }
}

/** Runs each entry; a ServiceError becomes a Failed row, anything else is a bug and propagates. */
export function runEntries<E extends { Id: string }, R>(entries: readonly E[], run: (entry: E) => R): { Successful: R[]; Failed: BatchResultErrorEntry[] } {
  const Successful: R[] = [];
  const Failed: BatchResultErrorEntry[] = [];
  for (const entry of entries) {
    try {
      Successful.push(run(entry));
    } catch (e) {
      if (!(e instanceof ServiceError)) throw e;
      Failed.push({ Id: entry.Id, SenderFault: e.sender, Code: e.code, Message: e.message });
    }
  }
  return { Successful, Failed };
}
