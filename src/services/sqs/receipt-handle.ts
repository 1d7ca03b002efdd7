/**
 * Receipt handles: opaque to clients, as AWS's are. Each names the queue, the message and the
 * receive it came from (a fresh token per receive), so a handle from an earlier receive is told
 * apart from the latest one, and a handle used on another queue is refused.
 */
import { receiptHandleIsInvalid } from './errors.js';

export interface ReceiptHandle {
  queueKey: string;
  sequence: number;
  token: string;
}

export function encodeReceiptHandle(handle: ReceiptHandle): string {
  return Buffer.from(JSON.stringify([handle.queueKey, handle.sequence, handle.token]), 'utf8').toString('base64');
}

/** Throws ReceiptHandleIsInvalid unless text is a handle drydock gave out for this queue. */
export function decodeReceiptHandle(text: string, queueKey: string): ReceiptHandle {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    throw receiptHandleIsInvalid(text);
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) throw receiptHandleIsInvalid(text);
  const [key, sequence, token] = decoded as unknown[];
  if (key !== queueKey || typeof sequence !== 'number' || typeof token !== 'string') throw receiptHandleIsInvalid(text);
  return { queueKey: key, sequence, token };
}
