/**
 * What every part of ECS shares: the store's tables, the clock, the seeded randomness and the
 * ports, plus the reads and writes that keep derived facts in step. A task or container
 * instance is always saved through `saveTask`/`saveContainerInstance`, so every version bump
 * publishes its `ECS … State Change` event, after the write has committed.
 */
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { Random } from '../../kernel/random.js';
import type { Store } from '../../store/store.js';
import type { AwsEventInput } from '../events/ports.js';
import { capacityProviderNameOf, type CapacityProviderRecord } from './capacity-provider.js';
import { clusterNameOf, DEFAULT_CLUSTER_NAME, type ClusterCounts, type ClusterRecord } from './cluster.js';
import {
  EMPTY_USAGE,
  toContainerInstance,
  type ContainerInstanceRecord,
  type InstanceUsage,
} from './container-instance.js';
import type { ServiceRecord } from './ecs-service.js';
import { clusterNotFound } from './errors.js';
import { containerInstanceStateChangeEvent, taskStateChangeEvent } from './events.js';
import type { EcsPorts } from './ports.js';
import { withEvents } from './service-event.js';
import { ecsTables, memberKey, scopedKey, type EcsTables } from './store.js';
import { clusterPrefixOf, TaskIndex } from './task-index.js';
import { holdsResources, isPendingForCounts, isRunningForCounts, toTask, usageOf, type TaskRecord } from './task.js';

export interface Scope {
  accountId: string;
  region: string;
}

export interface EcsContext {
  readonly store: Store;
  readonly tables: EcsTables;
  readonly clock: Clock;
  /** Ids and placement draws (a fork of the service's Random). */
  readonly random: Random;
  readonly logger: Logger;
  readonly ports: EcsPorts;
  /** Runs fn in one store transaction; events published inside it go out after the commit. */
  transact<R>(fn: () => R): R;
  publish(event: AwsEventInput): void;
  /** Where the tasks that matter are, so hot reads do not scan a cluster's every task. */
  readonly taskIndex: TaskIndex;
}

export function createContext(deps: {
  store: Store;
  clock: Clock;
  random: Random;
  logger: Logger;
  ports: EcsPorts;
}): EcsContext {
  let depth = 0;
  let pending: AwsEventInput[] = [];
  const send = (event: AwsEventInput) => {
    try {
      deps.ports.eventBus.publish(event);
    } catch (error) {
      // The bus is best-effort by contract; a broken one must not undo committed state.
      deps.logger.warn({ err: error, detailType: event.detailType }, 'ECS could not publish an event');
    }
  };
  const tables = ecsTables(deps.store);
  return {
    store: deps.store,
    tables,
    taskIndex: new TaskIndex(tables.tasks),
    clock: deps.clock,
    random: deps.random,
    logger: deps.logger,
    ports: deps.ports,
    transact<R>(fn: () => R): R {
      const mark = pending.length;
      depth += 1;
      let result: R;
      try {
        result = deps.store.transaction(fn);
      } catch (error) {
        // The writes were rolled back; so are the events they would have announced.
        depth -= 1;
        pending.length = mark;
        throw error;
      }
      depth -= 1;
      if (depth === 0) {
        const events = pending;
        pending = [];
        for (const event of events) send(event);
      }
      return result;
    },
    publish(event: AwsEventInput): void {
      if (depth > 0) pending.push(event);
      else send(event);
    },
  };
}

export function clusterKeyOf(scope: Scope, identifier: string | undefined): string {
  return scopedKey(scope.accountId, scope.region, clusterNameOf(identifier ?? DEFAULT_CLUSTER_NAME));
}

/** The ACTIVE cluster an identifier (name or ARN, default `default`) names, else ClusterNotFoundException. */
export function requireActiveCluster(ctx: EcsContext, scope: Scope, identifier: string | undefined): ClusterRecord {
  const record = ctx.tables.clusters.get(clusterKeyOf(scope, identifier));
  if (!record || record.status !== 'ACTIVE') throw clusterNotFound();
  return record;
}

export function containerInstancesIn(ctx: EcsContext, cluster: ClusterRecord): ContainerInstanceRecord[] {
  return ctx.tables.containerInstances.withPrefix(`${cluster.accountId}/${cluster.region}/${cluster.clusterName}/`);
}

/**
 * The cluster's tasks that are not STOPPED (and STOPPED service tasks their service has yet to
 * count): what controllers and placement look at, from the task index.
 */
export function activeTasksIn(ctx: EcsContext, cluster: ClusterRecord): TaskRecord[] {
  return ctx.taskIndex.activeIn(clusterPrefixOf(cluster));
}

/** Every task of the cluster the store still holds, STOPPED ones included, in key order. */
export function tasksIn(ctx: EcsContext, cluster: ClusterRecord): TaskRecord[] {
  return ctx.tables.tasks.withPrefix(`${cluster.accountId}/${cluster.region}/${cluster.clusterName}/`);
}

export function servicesIn(ctx: EcsContext, cluster: ClusterRecord): ServiceRecord[] {
  return ctx.tables.services.withPrefix(`${cluster.accountId}/${cluster.region}/${cluster.clusterName}/`);
}

export function capacityProviderKey(scope: Scope, name: string): string {
  return scopedKey(scope.accountId, scope.region, name);
}

/** The ACTIVE capacity provider a name or ARN names. */
export function findCapacityProvider(
  ctx: EcsContext,
  scope: Scope,
  nameOrArn: string,
): CapacityProviderRecord | undefined {
  const record = ctx.tables.capacityProviders.get(capacityProviderKey(scope, capacityProviderNameOf(nameOrArn)));
  return record?.status === 'ACTIVE' ? record : undefined;
}

/** The ACTIVE capacity providers of an Auto Scaling group (one, as ECS allows). */
export function providersOfGroup(ctx: EcsContext, scope: Scope, groupName: string): CapacityProviderRecord[] {
  return ctx.tables.capacityProviders
    .withPrefix(`${scope.accountId}/${scope.region}/`)
    .filter((record) => record.status === 'ACTIVE' && record.autoScalingGroupName === groupName);
}

/** The provider a container instance belongs to: one of its cluster's, over the instance's group. */
export function capacityProviderOfInstance(
  ctx: EcsContext,
  record: ContainerInstanceRecord,
): CapacityProviderRecord | undefined {
  if (record.autoScalingGroupName === undefined) return undefined;
  return providersOfGroup(ctx, record, record.autoScalingGroupName).find(
    (provider) => provider.clusterName === record.clusterName,
  );
}

export function serviceKey(record: ServiceRecord): string {
  return memberKey(record.accountId, record.region, record.clusterName, record.serviceName);
}

/** containerInstanceId → what its tasks hold. */
export function usageByInstance(tasks: readonly TaskRecord[]): Map<string, InstanceUsage> {
  const byInstance = new Map<string, TaskRecord[]>();
  for (const task of tasks) {
    if (!holdsResources(task)) continue;
    const list = byInstance.get(task.containerInstanceId) ?? [];
    list.push(task);
    byInstance.set(task.containerInstanceId, list);
  }
  return new Map([...byInstance].map(([id, list]) => [id, usageOf(list)]));
}

/** The tasks on a container instance that are not STOPPED. */
export function tasksOnInstance(ctx: EcsContext, record: ContainerInstanceRecord): TaskRecord[] {
  return ctx.taskIndex.onInstance(containerInstanceKey(record), record.containerInstanceId);
}

export function usageOfInstance(ctx: EcsContext, record: ContainerInstanceRecord): InstanceUsage {
  const tasks = tasksOnInstance(ctx, record);
  return tasks.length === 0 ? EMPTY_USAGE : usageOf(tasks);
}

export function clusterCounts(ctx: EcsContext, cluster: ClusterRecord): ClusterCounts {
  const tasks = activeTasksIn(ctx, cluster);
  return {
    registeredContainerInstancesCount: containerInstancesIn(ctx, cluster).filter(
      (instance) => instance.status !== 'INACTIVE',
    ).length,
    runningTasksCount: tasks.filter(isRunningForCounts).length,
    pendingTasksCount: tasks.filter(isPendingForCounts).length,
    activeServicesCount: servicesIn(ctx, cluster).filter((service) => service.status === 'ACTIVE').length,
  };
}

export function containerInstanceKey(record: ContainerInstanceRecord): string {
  return memberKey(record.accountId, record.region, record.clusterName, record.containerInstanceId);
}

export function taskKey(record: TaskRecord): string {
  return memberKey(record.accountId, record.region, record.clusterName, record.taskId);
}

/**
 * Stores a container instance; with publish, bumps its version and sends `ECS Container Instance
 * State Change` (registration, status, agent connection, attributes, resources held by tasks).
 */
export function saveContainerInstance(ctx: EcsContext, next: ContainerInstanceRecord, publish: boolean): void {
  const record = publish ? { ...next, version: next.version + 1, updatedAtMs: ctx.clock.now() } : next;
  ctx.tables.containerInstances.put(containerInstanceKey(record), record);
  if (publish) {
    ctx.publish(
      containerInstanceStateChangeEvent(record, toContainerInstance(record, usageOfInstance(ctx, record), false)),
    );
  }
}

/** A new record is stored as given (version 1), with its event. */
export function registerContainerInstance(ctx: EcsContext, record: ContainerInstanceRecord): void {
  ctx.tables.containerInstances.put(containerInstanceKey(record), record);
  ctx.publish(containerInstanceStateChangeEvent(record, toContainerInstance(record, EMPTY_USAGE, false)));
}

/**
 * Stores a task (publish: its version was bumped, so `ECS Task State Change` goes out). When the
 * task starts or stops holding its instance's resources, the instance's remaining resources
 * changed too, which ECS reports as a container-instance event.
 */
export function saveTask(ctx: EcsContext, previous: TaskRecord | undefined, next: TaskRecord, publish: boolean): void {
  ctx.transact(() => {
    const key = taskKey(next);
    ctx.tables.tasks.put(key, next);
    ctx.taskIndex.saved(key, next);
    if (publish) ctx.publish(taskStateChangeEvent(next, toTask(next, false)));
    const heldBefore = previous ? holdsResources(previous) : false;
    // A task that waited for capacity takes its instance's resources when it is placed.
    const moved = previous !== undefined && previous.containerInstanceId !== next.containerInstanceId;
    if (heldBefore !== holdsResources(next) || moved) {
      const instance = ctx.tables.containerInstances.get(
        memberKey(next.accountId, next.region, next.clusterName, next.containerInstanceId),
      );
      if (instance && instance.status !== 'INACTIVE') saveContainerInstance(ctx, instance, true);
    }
  });
}

/** Adds messages to a stored service's events (the task controller's target registrations). */
export function recordServiceEvents(ctx: EcsContext, serviceKey: string, messages: readonly string[]): void {
  if (messages.length === 0) return;
  ctx.transact(() => {
    const service = ctx.tables.services.get(serviceKey);
    if (!service) return;
    ctx.tables.services.put(serviceKey, {
      ...service,
      events: withEvents(service.events, messages, ctx.clock.now(), ctx.random),
    });
  });
}
