/**
 * SendMessage, as one queue applies it: the body and attribute rules, the size limit
 * (MaximumMessageSize), the delay (the message's DelaySeconds, else the queue's), and for FIFO
 * queues the message group and the 5-minute deduplication window (by MessageDeduplicationId or,
 * with ContentBasedDeduplication, by the SHA-256 of the body); a duplicate is accepted and
 * answered with the original's MessageId, and not enqueued again. Receives waiting on the queue
 * are woken when the message is visible at once.
 */
import { createHash } from 'node:crypto';
import { uuid } from '../../kernel/ids.js';
import type { SqsContext } from './context.js';
import { invalidParameter, invalidParameterValue, missingParameter } from './errors.js';
import { md5Hex, md5OfAttributes } from './message-digest.js';
import { checkBody, messageSize, storedAttributes, type MessageRecord, type WireAttribute } from './message.js';
import { integerAttribute } from './queue-attributes.js';
import { keyOfQueue, type QueueRecord } from './queue.js';
import { deduplicationKey, messageKey } from './store.js';

export interface SendRequest {
  MessageBody?: string;
  DelaySeconds?: number;
  MessageAttributes?: Record<string, WireAttribute>;
  MessageSystemAttributes?: Record<string, WireAttribute>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

export interface SendResult {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
  MD5OfMessageSystemAttributes?: string;
  SequenceNumber?: string;
}

const DEDUPLICATION_WINDOW_MS = 5 * 60_000;
const MAX_DELAY_SECONDS = 900;

/** Validates and enqueues one message; throws the ServiceError SendMessage would answer. */
export function sendMessage(ctx: SqsContext, queue: QueueRecord, request: SendRequest, senderId: string): SendResult {
  const body = request.MessageBody;
  if (body === undefined || body === '') throw missingParameter('MessageBody');
  checkBody(body);
  const attributes = storedAttributes(request.MessageAttributes, 'message');
  const system = storedAttributes(request.MessageSystemAttributes, 'system');
  const maxSize = integerAttribute(queue, 'MaximumMessageSize');
  if (messageSize(body, attributes) > maxSize) {
    throw invalidParameterValue(
      `One or more parameters are invalid. Reason: Message must be shorter than ${maxSize} bytes.`,
    );
  }
  const delaySeconds = checkDelay(queue, request.DelaySeconds);
  const fifo = queue.fifo ? fifoFields(queue, request, body) : undefined;
  if (!queue.fifo && request.MessageDeduplicationId !== undefined) {
    throw invalidParameterValue(
      'The request include parameter MessageDeduplicationId that is not valid for this queue type',
    );
  }
  const result: SendResult = {
    MessageId: uuid(ctx.random),
    MD5OfMessageBody: md5Hex(body),
    MD5OfMessageAttributes: md5OfAttributes(attributes),
    MD5OfMessageSystemAttributes: md5OfAttributes(system),
  };
  const key = keyOfQueue(queue);
  const nowMs = ctx.clock.now();
  const enqueued = ctx.store.transaction(() => {
    const current = ctx.tables.queues.get(key) ?? queue;
    const sequence = current.nextSequence;
    if (fifo) {
      const seen = ctx.tables.deduplication.get(fifo.deduplicationKey);
      if (seen && seen.expiresAtMs > nowMs) {
        result.MessageId = seen.messageId;
        result.SequenceNumber = seen.sequenceNumber;
        return false;
      }
      result.SequenceNumber = sequenceNumber(sequence);
      ctx.tables.deduplication.put(fifo.deduplicationKey, {
        messageId: result.MessageId,
        sequenceNumber: result.SequenceNumber,
        expiresAtMs: nowMs + DEDUPLICATION_WINDOW_MS,
      });
    }
    ctx.tables.queues.put(key, { ...current, nextSequence: sequence + 1 });
    const record: MessageRecord = {
      queueKey: key,
      sequence,
      messageId: result.MessageId,
      body,
      md5OfBody: result.MD5OfMessageBody,
      senderId,
      sentMs: nowMs,
      visibleAtMs: nowMs + delaySeconds * 1000,
      receiveCount: 0,
      ...(attributes ? { messageAttributes: attributes, md5OfMessageAttributes: result.MD5OfMessageAttributes } : {}),
      ...(system
        ? { systemAttributes: system, md5OfMessageSystemAttributes: result.MD5OfMessageSystemAttributes }
        : {}),
      ...(request.MessageGroupId !== undefined ? { messageGroupId: request.MessageGroupId } : {}),
      ...(fifo ? { messageDeduplicationId: fifo.deduplicationId, sequenceNumber: result.SequenceNumber } : {}),
    };
    ctx.tables.messages.put(messageKey(key, sequence), record);
    return true;
  });
  if (enqueued && delaySeconds === 0) ctx.waiters.notify(key);
  return result;
}

function checkDelay(queue: QueueRecord, delaySeconds: number | undefined): number {
  if (delaySeconds === undefined) return integerAttribute(queue, 'DelaySeconds');
  if (queue.fifo) {
    throw invalidParameter(
      'DelaySeconds',
      delaySeconds,
      'The request include parameter that is not valid for this queue type.',
    );
  }
  if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > MAX_DELAY_SECONDS) {
    throw invalidParameter('DelaySeconds', delaySeconds, `DelaySeconds must be >= 0 and <= ${MAX_DELAY_SECONDS}.`);
  }
  return delaySeconds;
}

function fifoFields(queue: QueueRecord, request: SendRequest, body: string) {
  const groupId = request.MessageGroupId;
  if (groupId === undefined || groupId === '') throw missingParameter('MessageGroupId');
  let deduplicationId = request.MessageDeduplicationId;
  if (deduplicationId === undefined) {
    if (queue.attributes.ContentBasedDeduplication !== 'true') {
      throw invalidParameterValue(
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
    }
    deduplicationId = createHash('sha256').update(body).digest('hex');
  }
  const scope = queue.attributes.DeduplicationScope === 'messageGroup' ? `group:${groupId}` : 'queue';
  return { deduplicationId, deduplicationKey: deduplicationKey(keyOfQueue(queue), scope, deduplicationId) };
}

/** FIFO SequenceNumber: a 20-digit decimal that grows with every message of the queue. */
function sequenceNumber(sequence: number): string {
  return (18_000_000_000_000_000_000n + BigInt(sequence)).toString();
}
