/**
 * What SQS's operations share: the tables, the clock, the ids stream, the long-poll waiters and
 * the gateway's URL (queue URLs are `<gateway>/<account>/<name>`). `require*` lookups throw
 * QueueDoesNotExist as AWS does, whether the queue is named by URL or by ARN.
 */
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { Random } from '../../kernel/random.js';
import type { Store } from '../../store/store.js';
import { invalidParameterValue, queueDoesNotExist } from './errors.js';
import { ArrivalWaiters } from './long-poll.js';
import { queueKey, queueOfArn, queueOfUrl, queueUrl, type QueueRecord, type Scope } from './queue.js';
import { sqsTables, type SqsTables } from './store.js';

export interface SqsContext {
  store: Store;
  clock: Clock;
  random: Random;
  logger: Logger;
  tables: SqsTables;
  waiters: ArrivalWaiters;
  baseUrl: () => string;
}

export function createContext(deps: Omit<SqsContext, 'tables' | 'waiters'>): SqsContext {
  return { ...deps, tables: sqsTables(deps.store), waiters: new ArrivalWaiters(deps.clock) };
}

export function scopeOf(context: { accountId: string; region: string }): Scope {
  return { accountId: context.accountId, region: context.region };
}

/** The queue a QueueUrl names, in the caller's region; another account's queue does not exist here. */
export function requireQueue(ctx: SqsContext, scope: Scope, url: string): QueueRecord {
  const named = queueOfUrl(url, scope);
  const queue = ctx.tables.queues.get(queueKey(named, named.name));
  if (!queue) throw queueDoesNotExist();
  return queue;
}

export function requireQueueByArn(ctx: SqsContext, arn: string): QueueRecord {
  const named = queueOfArn(arn);
  if (!named)
    throw invalidParameterValue(`Value ${arn} for parameter QueueArn is invalid. Reason: not an SQS queue ARN.`);
  const queue = ctx.tables.queues.get(queueKey(named, named.name));
  if (!queue) throw queueDoesNotExist();
  return queue;
}

export function findQueueByArn(ctx: SqsContext, arn: string): QueueRecord | undefined {
  const named = queueOfArn(arn);
  return named ? ctx.tables.queues.get(queueKey(named, named.name)) : undefined;
}

export function urlOf(ctx: SqsContext, queue: QueueRecord): string {
  return queueUrl(ctx.baseUrl(), queue);
}
