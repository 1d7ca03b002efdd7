/**
 * ECS's tables. Keys are `<accountId>/<region>/<…>` so one drydock serves many accounts and
 * regions without their resources meeting; within a region, container instances and tasks are
 * keyed under their cluster so a cluster's members are one prefix scan.
 */
import type { Migration, Store, Table } from '../../store/store.js';
import type { CapacityProviderRecord } from './capacity-provider.js';
import type { ClusterRecord } from './cluster.js';
import type { ContainerInstanceRecord } from './container-instance.js';
import type { ServiceRecord } from './ecs-service.js';
import type { TaskDefinitionFamilyRecord, TaskDefinitionRecord } from './task-definition.js';
import type { TaskRecord } from './task.js';

export const ecsMigrations: Migration[] = [
  {
    service: 'ecs',
    version: 1,
    description: 'clusters',
    up: (db) => db.createTable('clusters'),
  },
  {
    service: 'ecs',
    version: 2,
    description: 'container instances, task definitions, tasks and the loopback host-address allocator',
    up: (db) => {
      db.createTable('containerInstances');
      db.createTable('taskDefinitions');
      db.createTable('taskDefinitionFamilies');
      db.createTable('tasks');
      db.createTable('hostAddresses');
    },
  },
  {
    service: 'ecs',
    version: 3,
    description: 'services (their deployments and events live inside the service document)',
    up: (db) => db.createTable('services'),
  },
  {
    service: 'ecs',
    version: 4,
    description: 'capacity providers',
    up: (db) => db.createTable('capacityProviders'),
  },
];

/** The last loopback host address handed to a container instance (one row, machine-wide). */
export interface HostAddressAllocatorRecord {
  lastIndex: number;
}

export interface EcsTables {
  clusters: Table<ClusterRecord>;
  containerInstances: Table<ContainerInstanceRecord>;
  taskDefinitions: Table<TaskDefinitionRecord>;
  taskDefinitionFamilies: Table<TaskDefinitionFamilyRecord>;
  tasks: Table<TaskRecord>;
  hostAddresses: Table<HostAddressAllocatorRecord>;
  /** Keyed like tasks: `<account>/<region>/<cluster>/<serviceName>`. */
  services: Table<ServiceRecord>;
  /** Keyed `<account>/<region>/<name>`. */
  capacityProviders: Table<CapacityProviderRecord>;
}

export function ecsTables(store: Store): EcsTables {
  return {
    clusters: store.table<ClusterRecord>('ecs', 'clusters'),
    containerInstances: store.table<ContainerInstanceRecord>('ecs', 'containerInstances'),
    taskDefinitions: store.table<TaskDefinitionRecord>('ecs', 'taskDefinitions'),
    taskDefinitionFamilies: store.table<TaskDefinitionFamilyRecord>('ecs', 'taskDefinitionFamilies'),
    tasks: store.table<TaskRecord>('ecs', 'tasks'),
    hostAddresses: store.table<HostAddressAllocatorRecord>('ecs', 'hostAddresses'),
    services: store.table<ServiceRecord>('ecs', 'services'),
    capacityProviders: store.table<CapacityProviderRecord>('ecs', 'capacityProviders'),
  };
}

export function scopedKey(accountId: string, region: string, name: string): string {
  return `${accountId}/${region}/${name}`;
}

/** A container instance, task or service: `<account>/<region>/<cluster>/<id or name>`. */
export function memberKey(accountId: string, region: string, clusterName: string, id: string): string {
  return `${accountId}/${region}/${clusterName}/${id}`;
}

/** Revisions are zero-padded so key order is revision order. */
export function taskDefinitionKey(accountId: string, region: string, family: string, revision: number): string {
  return `${accountId}/${region}/${family}/${String(revision).padStart(10, '0')}`;
}
