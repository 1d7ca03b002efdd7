/**
 * ECS's tables. Keys are `<accountId>/<region>/<name>` so one drydock serves many accounts and
 * regions without their resources meeting.
 */
import type { Migration, Store, Table } from '../../store/store.js';
import type { ClusterRecord } from './cluster.js';

export const ecsMigrations: Migration[] = [
  {
    service: 'ecs',
    version: 1,
    description: 'clusters',
    up: (db) => db.createTable('clusters'),
  },
];

export interface EcsTables {
  clusters: Table<ClusterRecord>;
}

export function ecsTables(store: Store): EcsTables {
  return { clusters: store.table<ClusterRecord>('ecs', 'clusters') };
}

export function scopedKey(accountId: string, region: string, name: string): string {
  return `${accountId}/${region}/${name}`;
}
