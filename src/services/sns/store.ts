/**
 * SNS's tables. Topics and subscriptions are keyed by their ARNs (a subscription ARN is its
 * topic's ARN plus `:<id>`, so a topic's subscriptions are one prefix scan). `deliveries` holds
 * each message on its way to one subscription until it is delivered or given up, so pending
 * deliveries and their retries survive a restart.
 */
import type { Migration, Store, Table } from '../../store/store.js';
import type { DeliveryRecord } from './delivery-record.js';
import type { SubscriptionRecord } from './subscription.js';
import type { TopicRecord } from './topic.js';

export const snsMigrations: Migration[] = [
  {
    service: 'sns',
    version: 1,
    description: 'topics, subscriptions and pending deliveries',
    up: (db) => {
      db.createTable('topics');
      db.createTable('subscriptions');
      db.createTable('deliveries');
    },
  },
];

export interface SnsTables {
  topics: Table<TopicRecord>;
  subscriptions: Table<SubscriptionRecord>;
  deliveries: Table<DeliveryRecord>;
}

export function snsTables(store: Store): SnsTables {
  return {
    topics: store.table<TopicRecord>('sns', 'topics'),
    subscriptions: store.table<SubscriptionRecord>('sns', 'subscriptions'),
    deliveries: store.table<DeliveryRecord>('sns', 'deliveries'),
  };
}

export function subscriptionsOf(tables: SnsTables, topicArn: string): SubscriptionRecord[] {
  return tables.subscriptions.withPrefix(`${topicArn}:`);
}
