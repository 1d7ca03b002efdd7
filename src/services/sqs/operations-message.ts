/**
 * SQS wire adapter for messages: SendMessage(Batch), ReceiveMessage (MaxNumberOfMessages 1-10,
 * WaitTimeSeconds 0-20 — the call's, else the queue's ReceiveMessageWaitTimeSeconds — and a held
 * request while it waits), DeleteMessage(Batch) and ChangeMessageVisibility(Batch).
 */
import type { RequestContext } from '../../kernel/operation.js';
import { checkBatch, runBatch } from './batch.js';
import { requireQueue, scopeOf, type SqsContext } from './context.js';
import { batchRequestTooLong, invalidParameter } from './errors.js';
import { changeVisibility, checkVisibilityTimeout, deleteMessage } from './in-flight.js';
import { messageSize, storedAttributes } from './message.js';
import { integerAttribute } from './queue-attributes.js';
import { receiveWithWait } from './receive.js';
import { sendMessage, type SendRequest } from './send.js';

const MAX_WAIT_SECONDS = 20;

interface ReceiveMessageInput {
  QueueUrl: string;
  AttributeNames?: string[];
  MessageSystemAttributeNames?: string[];
  MessageAttributeNames?: string[];
  MaxNumberOfMessages?: number;
  VisibilityTimeout?: number;
  WaitTimeSeconds?: number;
}

type BatchEntry<T> = T & { Id: string };

export function messageOperations(ctx: SqsContext) {
  return {
    SendMessage: (input: SendRequest & { QueueUrl: string }, context: RequestContext) => {
      const queue = requireQueue(ctx, scopeOf(context), input.QueueUrl);
      return sendMessage(ctx, queue, input, context.accountId);
    },

    SendMessageBatch: (input: { QueueUrl: string; Entries: BatchEntry<SendRequest>[] }, context: RequestContext) => {
      const queue = requireQueue(ctx, scopeOf(context), input.QueueUrl);
      checkBatch(input.Entries, 'SendMessageBatchRequestEntry');
      const limit = integerAttribute(queue, 'MaximumMessageSize');
      let total = 0;
      for (const entry of input.Entries) {
        // Attributes that do not parse fail their own entry below; only sizes count here.
        let attributes;
        try {
          attributes = storedAttributes(entry.MessageAttributes, 'message');
        } catch {
          attributes = undefined;
        }
        total += messageSize(entry.MessageBody ?? '', attributes);
      }
      if (total > limit) throw batchRequestTooLong(limit);
      return runBatch(input.Entries, (entry) => sendMessage(ctx, queue, entry, context.accountId));
    },

    ReceiveMessage: async (input: ReceiveMessageInput, context: RequestContext) => {
      const scope = scopeOf(context);
      const queue = requireQueue(ctx, scope, input.QueueUrl);
      const maxMessages = input.MaxNumberOfMessages ?? 1;
      if (!Number.isInteger(maxMessages) || maxMessages < 1 || maxMessages > 10) {
        throw invalidParameter('MaxNumberOfMessages', maxMessages, 'Must be between 1 and 10, if provided.');
      }
      const waitSeconds = input.WaitTimeSeconds ?? integerAttribute(queue, 'ReceiveMessageWaitTimeSeconds');
      if (!Number.isInteger(waitSeconds) || waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
        throw invalidParameter('WaitTimeSeconds', waitSeconds, `Must be >= 0 and <= ${MAX_WAIT_SECONDS}, if provided.`);
      }
      if (input.VisibilityTimeout !== undefined) checkVisibilityTimeout(input.VisibilityTimeout);
      const messages = await receiveWithWait(
        ctx,
        scope,
        input.QueueUrl,
        {
          maxMessages,
          visibilityTimeoutSeconds: input.VisibilityTimeout,
          attributeNames: [...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])],
          messageAttributeNames: input.MessageAttributeNames,
        },
        waitSeconds,
      );
      return messages.length > 0 ? { Messages: messages } : {};
    },

    DeleteMessage: (input: { QueueUrl: string; ReceiptHandle: string }, context: RequestContext) => {
      const queue = requireQueue(ctx, scopeOf(context), input.QueueUrl);
      deleteMessage(ctx, queue, input.ReceiptHandle);
      return {};
    },

    DeleteMessageBatch: (
      input: { QueueUrl: string; Entries: BatchEntry<{ ReceiptHandle: string }>[] },
      context: RequestContext,
    ) => {
      const queue = requireQueue(ctx, scopeOf(context), input.QueueUrl);
      checkBatch(input.Entries, 'DeleteMessageBatchRequestEntry');
      return runBatch(input.Entries, (entry) => {
        deleteMessage(ctx, queue, entry.ReceiptHandle);
        return {};
      });
    },

    ChangeMessageVisibility: (
      input: { QueueUrl: string; ReceiptHandle: string; VisibilityTimeout: number },
      context: RequestContext,
    ) => {
      const queue = requireQueue(ctx, scopeOf(context), input.QueueUrl);
      changeVisibility(ctx, queue, input.ReceiptHandle, input.VisibilityTimeout);
      return {};
    },

    ChangeMessageVisibilityBatch: (
      input: { QueueUrl: string; Entries: BatchEntry<{ ReceiptHandle: string; VisibilityTimeout?: number }>[] },
      context: RequestContext,
    ) => {
      const queue = requireQueue(ctx, scopeOf(context), input.QueueUrl);
      checkBatch(input.Entries, 'ChangeMessageVisibilityBatchRequestEntry');
      return runBatch(input.Entries, (entry) => {
        changeVisibility(ctx, queue, entry.ReceiptHandle, entry.VisibilityTimeout ?? 0);
        return {};
      });
    },
  };
}
