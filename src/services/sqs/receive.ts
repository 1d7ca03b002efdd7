/**
 * ReceiveMessage: up to MaxNumberOfMessages visible messages, oldest first, each made invisible
 * for the visibility timeout (the call's, else the queue's) and given a fresh receipt handle.
 * Messages past MessageRetentionPeriod are dropped instead; a message received maxReceiveCount
 * times already moves to the dead-letter queue of the RedrivePolicy instead of being delivered
 * again. FIFO queues deliver a message group in order and hold the group back while one of its
 * messages is in flight. With a wait time, an empty receive waits (long polling) until a message
 * may be available or the wait ends.
 */
import { findQueueByArn, requireQueue, type SqsContext } from './context.js';
import { md5OfAttributes } from './message-digest.js';
import {
  selectAttributes,
  systemAttributes,
  wireAttributes,
  type MessageRecord,
  type WireAttribute,
} from './message.js';
import { integerAttribute } from './queue-attributes.js';
import { keyOfQueue, type QueueRecord, type Scope } from './queue.js';
import { encodeReceiptHandle } from './receipt-handle.js';
import { messageKey, messagesOf } from './store.js';

export interface ReceiveOptions {
  maxMessages: number;
  visibilityTimeoutSeconds?: number;
  /** System attribute names (AttributeNames and MessageSystemAttributeNames together). */
  attributeNames: string[];
  messageAttributeNames?: string[];
}

export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes?: Record<string, string>;
  MD5OfMessageAttributes?: string;
  MessageAttributes?: Record<string, WireAttribute>;
}

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export function redrivePolicyOf(queue: QueueRecord): RedrivePolicy | undefined {
  const text = queue.attributes.RedrivePolicy;
  if (!text) return undefined;
  const parsed = JSON.parse(text) as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  const maxReceiveCount = Number(parsed.maxReceiveCount);
  if (typeof parsed.deadLetterTargetArn !== 'string' || !Number.isInteger(maxReceiveCount)) return undefined;
  return { deadLetterTargetArn: parsed.deadLetterTargetArn, maxReceiveCount };
}

/** Receives what is available now (possibly nothing), in one transaction. */
export function receiveNow(ctx: SqsContext, queue: QueueRecord, options: ReceiveOptions): ReceivedMessage[] {
  const key = keyOfQueue(queue);
  const nowMs = ctx.clock.now();
  const retentionMs = integerAttribute(queue, 'MessageRetentionPeriod') * 1000;
  const visibilityMs = (options.visibilityTimeoutSeconds ?? integerAttribute(queue, 'VisibilityTimeout')) * 1000;
  const redrive = redrivePolicyOf(queue);
  const deadLetterQueue = redrive ? findQueueByArn(ctx, redrive.deadLetterTargetArn) : undefined;
  const heldGroups = new Set<string>();
  const received: ReceivedMessage[] = [];
  ctx.store.transaction(() => {
    for (const message of messagesOf(ctx.tables, key)) {
      if (received.length >= options.maxMessages) break;
      const group = queue.fifo ? message.messageGroupId : undefined;
      if (message.sentMs + retentionMs <= nowMs) {
        ctx.tables.messages.delete(messageKey(key, message.sequence));
        continue;
      }
      if (group !== undefined && heldGroups.has(group)) continue;
      if (message.visibleAtMs > nowMs) {
        // A FIFO group waits for its in-flight or delayed message before delivering the next.
        if (group !== undefined) heldGroups.add(group);
        continue;
      }
      if (redrive && deadLetterQueue && message.receiveCount >= redrive.maxReceiveCount) {
        moveToDeadLetterQueue(ctx, queue, message, deadLetterQueue);
        continue;
      }
      const token = ctx.random.hex(16);
      const updated: MessageRecord = {
        ...message,
        receiveCount: message.receiveCount + 1,
        firstReceiveMs: message.firstReceiveMs ?? nowMs,
        visibleAtMs: nowMs + visibilityMs,
        receipt: token,
      };
      ctx.tables.messages.put(messageKey(key, message.sequence), updated);
      received.push(
        toReceived(updated, encodeReceiptHandle({ queueKey: key, sequence: message.sequence, token }), options),
      );
    }
  });
  return received;
}

/**
 * Receives with long polling: returns as soon as at least one message was received, or empty
 * when waitSeconds have passed on the clock. The queue is looked up again after every wake-up,
 * so a queue deleted meanwhile answers QueueDoesNotExist.
 */
export async function receiveWithWait(
  ctx: SqsContext,
  scope: Scope,
  queueUrl: string,
  options: ReceiveOptions,
  waitSeconds: number,
): Promise<ReceivedMessage[]> {
  const deadlineMs = ctx.clock.now() + waitSeconds * 1000;
  for (;;) {
    const queue = requireQueue(ctx, scope, queueUrl);
    const received = receiveNow(ctx, queue, options);
    const nowMs = ctx.clock.now();
    if (received.length > 0 || nowMs >= deadlineMs || ctx.waiters.closed) return received;
    const nextDueMs = nextVisibleAtMs(ctx, queue, nowMs);
    await ctx.waiters.wait(keyOfQueue(queue), Math.min(deadlineMs, nextDueMs ?? Infinity));
  }
}

/** When the next delayed or in-flight message becomes visible, if any will. */
function nextVisibleAtMs(ctx: SqsContext, queue: QueueRecord, nowMs: number): number | undefined {
  let next: number | undefined;
  for (const message of messagesOf(ctx.tables, keyOfQueue(queue))) {
    if (message.visibleAtMs > nowMs && (next === undefined || message.visibleAtMs < next)) next = message.visibleAtMs;
  }
  return next;
}

function moveToDeadLetterQueue(
  ctx: SqsContext,
  source: QueueRecord,
  message: MessageRecord,
  target: QueueRecord,
): void {
  const sourceKey = keyOfQueue(source);
  const targetKey = keyOfQueue(target);
  const current = ctx.tables.queues.get(targetKey) ?? target;
  const sequence = current.nextSequence;
  ctx.tables.queues.put(targetKey, { ...current, nextSequence: sequence + 1 });
  const { receipt: _receipt, firstReceiveMs: _first, ...kept } = message;
  ctx.tables.messages.put(messageKey(targetKey, sequence), {
    ...kept,
    queueKey: targetKey,
    sequence,
    receiveCount: 0,
    visibleAtMs: ctx.clock.now(),
    deadLetterQueueSourceArn: source.arn,
  });
  ctx.tables.messages.delete(messageKey(sourceKey, message.sequence));
  ctx.waiters.notify(targetKey);
}

function toReceived(message: MessageRecord, receiptHandle: string, options: ReceiveOptions): ReceivedMessage {
  const selected = selectAttributes(message.messageAttributes, options.messageAttributeNames);
  return {
    MessageId: message.messageId,
    ReceiptHandle: receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    Attributes: systemAttributes(message, options.attributeNames),
    // The digest covers the attributes returned, so a client can check what it was given.
    MD5OfMessageAttributes: md5OfAttributes(selected),
    MessageAttributes: wireAttributes(selected),
  };
}
