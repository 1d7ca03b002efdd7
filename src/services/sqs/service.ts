/**
 * The SQS service, assembled: its operation table for the gateway (JSON 1.0 and awsQuery), and
 * the calls other services deliver through (EventBridge targets, SNS subscriptions, Auto Scaling
 * lifecycle hooks and notifications): send a message to a queue named by ARN, and ask whether a
 * queue exists and whether it is FIFO (Auto Scaling refuses FIFO queues as hook targets); Lambda's
 * event source mappings receive and delete by ARN as a consumer would (`lambda-delivery.ts`). SQS has
 * no background work: visibility and delays are timestamps compared on the clock, expired messages
 * are dropped when their queue is read, and long polls are clock timers.
 */
import type { Clock } from '../../kernel/clock.js';
import type { ControlLoop } from '../../kernel/control-loop.js';
import type { Logger } from '../../kernel/logger.js';
import type { OperationTable } from '../../kernel/operation.js';
import type { Random } from '../../kernel/random.js';
import type { Store } from '../../store/store.js';
import { createContext, findQueueByArn, requireQueueByArn, type SqsContext } from './context.js';
import { invalidParameterValue } from './errors.js';
import { deleteMessage } from './in-flight.js';
import { toLambdaMessage, type LambdaQueueMessage } from './lambda-delivery.js';
import type { Scope } from './queue.js';
import { receiveNow } from './receive.js';
import { sendMessage } from './send.js';
import { sqsOperationTable } from './operations.js';

export { sqsMigrations } from './store.js';

export interface SqsServiceDeps {
  store: Store;
  clock: Clock;
  random: Random;
  /** Unused: SQS runs no reconcilers (see above); accepted so every service is built alike. */
  controlLoop?: ControlLoop;
  logger: Logger;
  /** The gateway's URL, e.g. http://127.0.0.1:4566; queue URLs are `<baseUrl>/<account>/<name>`. */
  baseUrl: () => string;
}

/** A message attribute as delivering services pass it (SNS MessageAttributes have the same shape). */
export interface DeliveredAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

/** FIFO queues need a message group (and a deduplication id unless content-based deduplication is on). */
export interface FifoDelivery {
  messageGroupId: string;
  messageDeduplicationId?: string;
}

export interface SqsService {
  operations: OperationTable;
  /** Sends a message to a queue by ARN; throws the ServiceError SendMessage would (QueueDoesNotExist, …). */
  sendByArn(
    scope: Scope,
    queueArn: string,
    body: string,
    attributes?: Record<string, DeliveredAttribute>,
    fifo?: FifoDelivery,
  ): void;
  queueExists(scope: Scope, queueArn: string): boolean;
  isFifo(scope: Scope, queueArn: string): boolean;
  /**
   * ReceiveMessage by ARN for a Lambda event source mapping: up to `max` visible messages, each in
   * flight for the queue's VisibilityTimeout (redrive applies), with all their attributes.
   * Throws QueueDoesNotExist like ReceiveMessage.
   */
  receiveByArn(scope: Scope, queueArn: string, max: number): LambdaQueueMessage[];
  /** DeleteMessage by ARN; throws QueueDoesNotExist or ReceiptHandleIsInvalid like DeleteMessage. */
  deleteByArn(scope: Scope, queueArn: string, receiptHandle: string): void;
  /**
   * Answers every long poll still waiting (empty, as when its wait ends) and stops new ones from
   * waiting. Call it before closing the gateway: a held request would keep the server open.
   */
  close(): void;
}

export function createSqsService(deps: SqsServiceDeps): SqsService {
  const ctx: SqsContext = createContext({
    store: deps.store,
    clock: deps.clock,
    random: deps.random.fork('sqs-ids'),
    logger: deps.logger.child({ service: 'sqs' }),
    baseUrl: deps.baseUrl,
  });
  return {
    operations: sqsOperationTable(ctx),
    sendByArn: (scope, queueArn, body, attributes, fifo) => {
      const queue = requireQueueByArn(ctx, queueArn);
      if (queue.fifo && !fifo) {
        throw invalidParameterValue(`The queue ${queueArn} is a FIFO queue: a message to it needs a MessageGroupId.`);
      }
      sendMessage(
        ctx,
        queue,
        {
          MessageBody: body,
          MessageAttributes: attributes,
          ...(fifo ? { MessageGroupId: fifo.messageGroupId, MessageDeduplicationId: fifo.messageDeduplicationId } : {}),
        },
        scope.accountId,
      );
    },
    queueExists: (_scope, queueArn) => findQueueByArn(ctx, queueArn) !== undefined,
    isFifo: (_scope, queueArn) => findQueueByArn(ctx, queueArn)?.fifo ?? false,
    receiveByArn: (_scope, queueArn, max) =>
      receiveNow(ctx, requireQueueByArn(ctx, queueArn), {
        maxMessages: max,
        attributeNames: ['All'],
        messageAttributeNames: ['All'],
      }).map(toLambdaMessage),
    deleteByArn: (_scope, queueArn, receiptHandle) =>
      deleteMessage(ctx, requireQueueByArn(ctx, queueArn), receiptHandle),
    close: () => ctx.waiters.close(),
  };
}
