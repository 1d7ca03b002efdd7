/**
 * RedrivePolicy as SetQueueAttributes and CreateQueue check it: a JSON object naming an existing
 * dead-letter queue (`deadLetterTargetArn`) of the same type (FIFO or standard) in the same
 * account and region, with `maxReceiveCount` from 1 to 1000; and ListDeadLetterSourceQueues,
 * the queues whose policy names a given dead-letter queue.
 */
import { findQueueByArn, type SqsContext } from './context.js';
import { invalidParameter } from './errors.js';
import { keyOfQueue, type QueueRecord, type Scope } from './queue.js';
import { redrivePolicyOf } from './receive.js';

const MAX_RECEIVE_COUNT = 1000;

export function checkRedrivePolicy(ctx: SqsContext, scope: Scope, fifo: boolean, text: string | undefined): void {
  if (text === undefined || text === '') return;
  const reject = (reason: string) => invalidParameter('RedrivePolicy', text, reason);
  let parsed: { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw reject('Redrive policy is not a valid JSON map.');
  }
  const count = Number(parsed.maxReceiveCount);
  if (!Number.isInteger(count) || count < 1 || count > MAX_RECEIVE_COUNT) {
    throw reject(
      `Value ${String(parsed.maxReceiveCount)} for parameter maxReceiveCount is invalid. Reason: Must be between 1 and ${MAX_RECEIVE_COUNT}.`,
    );
  }
  const arn = parsed.deadLetterTargetArn;
  const target = typeof arn === 'string' ? findQueueByArn(ctx, arn) : undefined;
  if (!target || target.accountId !== scope.accountId || target.region !== scope.region) {
    throw reject('Dead letter target does not exist.');
  }
  if (target.fifo !== fifo) {
    throw reject('Dead-letter queue must be same type of queue as the source.');
  }
}

export function deadLetterSourcesOf(ctx: SqsContext, deadLetterQueue: QueueRecord): QueueRecord[] {
  const scopePrefix = `${deadLetterQueue.accountId}/${deadLetterQueue.region}/`;
  return ctx.tables.queues
    .withPrefix(scopePrefix)
    .filter(
      (queue) =>
        keyOfQueue(queue) !== keyOfQueue(deadLetterQueue) &&
        redrivePolicyOf(queue)?.deadLetterTargetArn === deadLetterQueue.arn,
    );
}
