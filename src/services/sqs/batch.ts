/**
 * SQS batch calls (SendMessageBatch, DeleteMessageBatch, ChangeMessageVisibilityBatch): 1 to 10
 * entries with distinct ids of up to 80 `[A-Za-z0-9_-]`; each entry succeeds or fails on its own,
 * and a failure is data (`Failed[]`: Id, Code, Message, SenderFault), as AWS shapes it.
 */
import { ServiceError } from '../../kernel/service-error.js';
import {
  batchEntryIdsNotDistinct,
  emptyBatchRequest,
  invalidBatchEntryId,
  tooManyEntriesInBatchRequest,
} from './errors.js';

export const MAX_BATCH_ENTRIES = 10;
const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

export interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

/** Failed-entry codes are the query codes SQS reports them under. */
const QUERY_CODES: Record<string, string> = {
  MessageNotInflight: 'AWS.SimpleQueueService.MessageNotInflight',
};

export function checkBatch(entries: readonly { Id: string }[], entryName: string): void {
  if (entries.length === 0) throw emptyBatchRequest(entryName);
  if (entries.length > MAX_BATCH_ENTRIES) throw tooManyEntriesInBatchRequest(entries.length);
  const seen = new Set<string>();
  for (const { Id } of entries) {
    if (!ENTRY_ID.test(Id)) throw invalidBatchEntryId();
    if (seen.has(Id)) throw batchEntryIdsNotDistinct(Id);
    seen.add(Id);
  }
}

/** Runs each entry; a ServiceError becomes a Failed entry, anything else propagates. */
export function runBatch<E extends { Id: string }, R>(
  entries: readonly E[],
  run: (entry: E) => R,
): { Successful: Array<R & { Id: string }>; Failed: BatchFailure[] } {
  const Successful: Array<R & { Id: string }> = [];
  const Failed: BatchFailure[] = [];
  for (const entry of entries) {
    try {
      Successful.push({ ...run(entry), Id: entry.Id });
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      Failed.push({
        Id: entry.Id,
        SenderFault: error.fault === 'client',
        Code: QUERY_CODES[error.code] ?? error.code,
        Message: error.message,
      });
    }
  }
  return { Successful, Failed };
}
