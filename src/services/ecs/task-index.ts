/**
 * An in-memory index of ECS's tasks, so the hot reads do not scan a cluster's every task (STOPPED
 * ones are kept an hour: a refresh of 200 instances leaves thousands): the tasks of a cluster,
 * and of each service, that still matter to a controller (not STOPPED, or STOPPED and not yet
 * counted by their service), and the tasks holding each container instance's resources. It is a hint, never the
 * truth: every read re-checks each task against the store (and forgets what no longer belongs),
 * and entries are only added on writes, so a rolled-back transaction can leave a stale entry but
 * never hide a task. Built from the table on first use (after a restart).
 */
import type { Table } from '../../store/store.js';
import { memberKey } from './store.js';
import { UNPLACED, type TaskRecord } from './task.js';

/** Not STOPPED, or STOPPED with its service's accounting (circuit breaker, throttle) still to do. */
export function isActiveTask(task: TaskRecord): boolean {
  return task.lastStatus !== 'STOPPED' || (task.serviceName !== undefined && task.serviceAccounted !== true);
}

export class TaskIndex {
  private built = false;
  private readonly byCluster = new Map<string, Set<string>>();
  private readonly byService = new Map<string, Set<string>>();
  private readonly byInstance = new Map<string, Set<string>>();

  constructor(private readonly tasks: Table<TaskRecord>) {}

  /** A task was written (the key it is stored under, and the record). */
  saved(key: string, task: TaskRecord): void {
    if (!this.built) return;
    if (isActiveTask(task)) {
      add(this.byCluster, clusterPrefixOf(task), key);
      if (task.serviceName !== undefined) add(this.byService, `${clusterPrefixOf(task)}${task.serviceName}`, key);
    }
    if (task.lastStatus !== 'STOPPED' && task.containerInstanceId !== UNPLACED) {
      add(this.byInstance, memberKey(task.accountId, task.region, task.clusterName, task.containerInstanceId), key);
    }
  }

  /** The cluster's active tasks (`<account>/<region>/<cluster>/` prefix), in the order they were indexed. */
  activeIn(clusterPrefix: string): TaskRecord[] {
    this.build();
    return this.read(this.byCluster, clusterPrefix, (task) => isActiveTask(task));
  }

  /** A service's active tasks (its store key: `<account>/<region>/<cluster>/<service>`). */
  activeOfService(serviceKey: string, serviceName: string): TaskRecord[] {
    this.build();
    return this.read(this.byService, serviceKey, (task) => isActiveTask(task) && task.serviceName === serviceName);
  }

  /** The tasks holding a container instance's resources (its store key). */
  onInstance(instanceKey: string, containerInstanceId: string): TaskRecord[] {
    this.build();
    return this.read(
      this.byInstance,
      instanceKey,
      (task) => task.lastStatus !== 'STOPPED' && task.containerInstanceId === containerInstanceId,
    );
  }

  private read(index: Map<string, Set<string>>, at: string, belongs: (task: TaskRecord) => boolean): TaskRecord[] {
    const keys = index.get(at);
    if (!keys) return [];
    const found: TaskRecord[] = [];
    for (const key of keys) {
      const task = this.tasks.get(key);
      if (task && belongs(task)) found.push(task);
      else keys.delete(key);
    }
    if (keys.size === 0) index.delete(at);
    return found;
  }

  private build(): void {
    if (this.built) return;
    this.built = true;
    for (const key of this.tasks.keys()) this.saved(key, this.tasks.get(key)!);
  }
}

export function clusterPrefixOf(record: { accountId: string; region: string; clusterName: string }): string {
  return `${record.accountId}/${record.region}/${record.clusterName}/`;
}

function add(index: Map<string, Set<string>>, at: string, key: string): void {
  let keys = index.get(at);
  if (!keys) {
    keys = new Set();
    index.set(at, keys);
  }
  keys.add(key);
}
