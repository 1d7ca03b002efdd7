/**
 * Auto Scaling's tables, keyed `<accountId>/<region>/<groupName>`.
 */
import type { Migration, Store, Table } from '../../store/store.js';
import type { AutoScalingGroupRecord } from './group.js';

export const autoscalingMigrations: Migration[] = [
  {
    service: 'autoscaling',
    version: 1,
    description: 'auto scaling groups',
    up: (db) => db.createTable('groups'),
  },
];

export interface AutoScalingTables {
  groups: Table<AutoScalingGroupRecord>;
}

export function autoscalingTables(store: Store): AutoScalingTables {
  return { groups: store.table<AutoScalingGroupRecord>('autoscaling', 'groups') };
}

export function groupKey(accountId: string, region: string, groupName: string): string {
  return `${accountId}/${region}/${groupName}`;
}
