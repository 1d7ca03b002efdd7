/**
 * What a consumer does with a received message, by its receipt handle: DeleteMessage and
 * ChangeMessageVisibility. A handle that drydock never gave out, or gave out for another queue,
 * is ReceiptHandleIsInvalid. Deleting a message already gone succeeds, as on AWS; a handle from
 * an earlier receive of a message received again since deletes nothing (AWS: "the request will
 * succeed, but the message might not be deleted"). A visibility change needs the latest handle
 * of a message still in flight; a timeout of 0 makes it visible (and wakes long polls) at once.
 */
import type { SqsContext } from './context.js';
import { invalidParameter, messageNotInflight } from './errors.js';
import { keyOfQueue, type QueueRecord } from './queue.js';
import { decodeReceiptHandle } from './receipt-handle.js';
import { messageKey } from './store.js';

export const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;

export function deleteMessage(ctx: SqsContext, queue: QueueRecord, receiptHandle: string): void {
  const key = keyOfQueue(queue);
  const handle = decodeReceiptHandle(receiptHandle, key);
  const stored = messageKey(key, handle.sequence);
  const message = ctx.tables.messages.get(stored);
  if (message && message.receipt === handle.token) ctx.tables.messages.delete(stored);
}

export function checkVisibilityTimeout(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_VISIBILITY_TIMEOUT_SECONDS) {
    throw invalidParameter(
      'VisibilityTimeout',
      seconds,
      `Must be between 0 and ${MAX_VISIBILITY_TIMEOUT_SECONDS}, if provided.`,
    );
  }
}

export function changeVisibility(ctx: SqsContext, queue: QueueRecord, receiptHandle: string, seconds: number): void {
  checkVisibilityTimeout(seconds);
  const key = keyOfQueue(queue);
  const handle = decodeReceiptHandle(receiptHandle, key);
  const stored = messageKey(key, handle.sequence);
  const message = ctx.tables.messages.get(stored);
  if (!message || message.receipt !== handle.token) {
    throw invalidParameter(
      'ReceiptHandle',
      receiptHandle,
      'Message does not exist or is not available for visibility timeout change.',
    );
  }
  const nowMs = ctx.clock.now();
  if (message.visibleAtMs <= nowMs) throw messageNotInflight();
  ctx.tables.messages.put(stored, { ...message, visibleAtMs: nowMs + seconds * 1000 });
  if (seconds === 0) ctx.waiters.notify(key);
}
