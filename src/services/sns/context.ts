/**
 * What SNS's operations and its delivery controller share: the tables, the clock, the ids
 * stream, the delivery ports and the URLs written into notifications. `require*` lookups throw
 * SNS's NotFound; a topic is named by its ARN, whatever region the call was sent to.
 */
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { Random } from '../../kernel/random.js';
import type { Store } from '../../store/store.js';
import { snsUrls, type SnsUrls } from './envelope.js';
import { invalidParameter, subscriptionNotFound, topicNotFound } from './errors.js';
import type { Scope, SnsPorts } from './ports.js';
import { snsTables, type SnsTables } from './store.js';
import type { SubscriptionRecord } from './subscription.js';
import { parseTopicArn, type TopicRecord } from './topic.js';

export interface SnsContext {
  store: Store;
  clock: Clock;
  random: Random;
  logger: Logger;
  tables: SnsTables;
  ports: SnsPorts;
  urls(region: string): SnsUrls;
}

export function createContext(deps: Omit<SnsContext, 'tables' | 'urls'> & { baseUrl?: () => string }): SnsContext {
  const { baseUrl, ...rest } = deps;
  return { ...rest, tables: snsTables(deps.store), urls: (region) => snsUrls(baseUrl?.(), region) };
}

export function scopeOf(context: { accountId: string; region: string }): Scope {
  return { accountId: context.accountId, region: context.region };
}

export function requireTopic(ctx: SnsContext, arn: string): TopicRecord {
  if (!parseTopicArn(arn)) throw invalidParameter('TopicArn');
  const topic = ctx.tables.topics.get(arn);
  if (!topic) throw topicNotFound();
  return topic;
}

export function requireSubscription(ctx: SnsContext, arn: string): SubscriptionRecord {
  if (!/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+:[\w-]+$/.test(arn)) throw invalidParameter('SubscriptionArn');
  const subscription = ctx.tables.subscriptions.get(arn);
  if (!subscription) throw subscriptionNotFound();
  return subscription;
}
