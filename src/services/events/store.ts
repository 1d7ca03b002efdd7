/**
 * EventBridge's tables. Buses are keyed `<account>|<region>|<name>` and rules
 * `<account>|<region>|<bus>|<name>` (targets live in their rule's document: at most five).
 * `deliveries` holds every (event, rule, target) delivery not yet finished, so an accepted event
 * still reaches its target after a restart, as EventBridge's at-least-once delivery promises;
 * `schedules` holds when each scheduled rule last fired.
 */
import type { Migration, Store, Table } from '../../store/store.js';
import type { DeliveryRecord } from './delivery.js';
import type { EventBusRecord } from './event-bus.js';
import type { RuleRecord } from './rule.js';

export const eventsMigrations: Migration[] = [
  {
    service: 'events',
    version: 1,
    description: 'event buses, rules with their targets, pending deliveries and schedule state',
    up: (db) => {
      db.createTable('buses');
      db.createTable('rules');
      db.createTable('deliveries');
      db.createTable('schedules');
    },
  },
];

export interface ScheduleRecord {
  lastFiredAtMs: number;
}

export interface EventsTables {
  buses: Table<EventBusRecord>;
  rules: Table<RuleRecord>;
  deliveries: Table<DeliveryRecord>;
  schedules: Table<ScheduleRecord>;
}

export function eventsTables(store: Store): EventsTables {
  return {
    buses: store.table<EventBusRecord>('events', 'buses'),
    rules: store.table<RuleRecord>('events', 'rules'),
    deliveries: store.table<DeliveryRecord>('events', 'deliveries'),
    schedules: store.table<ScheduleRecord>('events', 'schedules'),
  };
}
