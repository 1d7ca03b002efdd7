/**
 * SQS's tables. Queues are keyed `<account>/<region>/<name>`; messages `<queue key>#<sequence>`
 * (20 digits), so a queue's messages are one prefix scan, oldest first, as a queue delivers them.
 * `deduplication` holds FIFO deduplication ids for their 5-minute window, `deletedQueues` the
 * time a queue name was deleted (a name cannot be reused for 60 seconds).
 */
import type { Migration, Store, Table } from '../../store/store.js';
import type { MessageRecord } from './message.js';
import type { QueueRecord } from './queue.js';

export const sqsMigrations: Migration[] = [
  {
    service: 'sqs',
    version: 1,
    description: 'queues, messages, FIFO deduplication ids and recently deleted queue names',
    up: (db) => {
      db.createTable('queues');
      db.createTable('messages');
      db.createTable('deduplication');
      db.createTable('deletedQueues');
    },
  },
];

export interface DeduplicationRecord {
  messageId: string;
  sequenceNumber: string;
  expiresAtMs: number;
}

export interface DeletedQueueRecord {
  deletedAtMs: number;
}

export interface SqsTables {
  queues: Table<QueueRecord>;
  messages: Table<MessageRecord>;
  deduplication: Table<DeduplicationRecord>;
  deletedQueues: Table<DeletedQueueRecord>;
}

export function sqsTables(store: Store): SqsTables {
  return {
    queues: store.table<QueueRecord>('sqs', 'queues'),
    messages: store.table<MessageRecord>('sqs', 'messages'),
    deduplication: store.table<DeduplicationRecord>('sqs', 'deduplication'),
    deletedQueues: store.table<DeletedQueueRecord>('sqs', 'deletedQueues'),
  };
}

export function messageKey(queueKey: string, sequence: number): string {
  return `${queueKey}#${String(sequence).padStart(20, '0')}`;
}

export function messagesOf(tables: SqsTables, queueKey: string): MessageRecord[] {
  return tables.messages.withPrefix(`${queueKey}#`);
}

export function deduplicationKey(queueKey: string, scope: string, deduplicationId: string): string {
  return `${queueKey}#${scope}#${deduplicationId}`;
}
