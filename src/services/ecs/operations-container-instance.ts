/**
 * ECS container-instance operations: Describe/ListContainerInstances (pagination, status and
 * the cluster query language `filter`), DeregisterContainerInstance (with `force`) and
 * UpdateContainerInstancesState (B.2: ACTIVE ⇄ DRAINING, ≤ 10 ids, failures[] for unknown
 * ones). Draining stops new placements here; the service scheduler, woken by the instance's
 * change, replaces the service tasks on it within their min/max healthy percent; standalone
 * tasks keep running (B.2 rule 4).
 */
import type {
  ContainerInstance,
  DeregisterContainerInstanceRequest,
  DeregisterContainerInstanceResponse,
  DescribeContainerInstancesRequest,
  DescribeContainerInstancesResponse,
  Failure,
  ListContainerInstancesRequest,
  ListContainerInstancesResponse,
  UpdateContainerInstancesStateRequest,
  UpdateContainerInstancesStateResponse,
} from '@aws-sdk/client-ecs';
import type { OperationHandler, OperationTable } from '../../kernel/operation.js';
import { ClusterQueryError, evaluateClusterQuery, parseClusterQuery, type ClusterQuery } from './cluster-query.js';
import type { ClusterRecord } from './cluster.js';
import { stopTasksOn } from './container-agent.js';
import {
  containerInstanceArnOf,
  containerInstanceIdOf,
  EMPTY_USAGE,
  queryTargetOf,
  toContainerInstance,
  type ContainerInstanceRecord,
} from './container-instance.js';
import {
  activeTasksIn,
  capacityProviderOfInstance,
  containerInstanceKey,
  containerInstancesIn,
  requireActiveCluster,
  saveContainerInstance,
  tasksOnInstance,
  usageByInstance,
  usageOfInstance,
  type EcsContext,
} from './context.js';
import { containerInstanceHasTasks, containerInstanceNotFound, invalidParameter } from './errors.js';
import { pageOf } from './page.js';
import { memberKey } from './store.js';

/** `M:ecs` UpdateContainerInstancesState: up to 10; DescribeContainerInstances: up to 100. */
export const MAX_STATE_UPDATE_INSTANCES = 10;
export const MAX_DESCRIBE_INSTANCES = 100;

export function containerInstanceOperations(ctx: EcsContext): OperationTable {
  const find = (cluster: ClusterRecord, identifier: string) =>
    ctx.tables.containerInstances.get(
      memberKey(cluster.accountId, cluster.region, cluster.clusterName, containerInstanceIdOf(identifier)),
    );
  const arnFor = (cluster: ClusterRecord, identifier: string) =>
    identifier.startsWith('arn:')
      ? identifier
      : containerInstanceArnOf(cluster.accountId, cluster.region, cluster.clusterName, identifier);
  const view = (record: ContainerInstanceRecord, includeTags: boolean): ContainerInstance =>
    toContainerInstance(
      record,
      usageOfInstance(ctx, record),
      includeTags,
      capacityProviderOfInstance(ctx, record)?.name,
    );

  const DescribeContainerInstances: OperationHandler<
    DescribeContainerInstancesRequest,
    DescribeContainerInstancesResponse
  > = (input, scope) => {
    const cluster = requireActiveCluster(ctx, scope, input.cluster);
    const identifiers = input.containerInstances ?? [];
    if (identifiers.length === 0) throw invalidParameter('Container instances cannot be empty.');
    if (identifiers.length > MAX_DESCRIBE_INSTANCES) {
      throw invalidParameter(`Container instances cannot have more than ${MAX_DESCRIBE_INSTANCES} elements.`);
    }
    const includeTags = input.include?.includes('TAGS') ?? false;
    const usage = usageByInstance(activeTasksIn(ctx, cluster));
    const containerInstances: ContainerInstance[] = [];
    const failures: Failure[] = [];
    for (const identifier of identifiers) {
      const record = find(cluster, identifier);
      if (record) {
        containerInstances.push(
          toContainerInstance(
            record,
            usage.get(record.containerInstanceId) ?? EMPTY_USAGE,
            includeTags,
            capacityProviderOfInstance(ctx, record)?.name,
          ),
        );
      } else failures.push({ arn: arnFor(cluster, identifier), reason: 'MISSING' });
    }
    return { containerInstances, failures };
  };

  const ListContainerInstances: OperationHandler<ListContainerInstancesRequest, ListContainerInstancesResponse> = (
    input,
    scope,
  ) => {
    const cluster = requireActiveCluster(ctx, scope, input.cluster);
    let query: ClusterQuery | undefined;
    if (input.filter !== undefined && input.filter.trim() !== '') {
      try {
        query = parseClusterQuery(input.filter);
      } catch (error) {
        if (error instanceof ClusterQueryError) {
          throw invalidParameter(`Invalid filter expression '${input.filter}': ${error.message}.`);
        }
        throw error;
      }
    }
    const usage = usageByInstance(activeTasksIn(ctx, cluster));
    // Without a status, ECS lists every instance that is not INACTIVE (ACTIVE and DRAINING).
    const matching = containerInstancesIn(ctx, cluster).filter((record) => {
      if (input.status ? record.status !== input.status : record.status === 'INACTIVE') return false;
      if (!query) return true;
      return evaluateClusterQuery(query, queryTargetOf(record, usage.get(record.containerInstanceId) ?? EMPTY_USAGE));
    });
    const page = pageOf(matching, (record) => record.containerInstanceId, input.maxResults, input.nextToken);
    return {
      containerInstanceArns: page.items.map((record) => record.containerInstanceArn),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  };

  const DeregisterContainerInstance: OperationHandler<
    DeregisterContainerInstanceRequest,
    DeregisterContainerInstanceResponse
  > = (input, scope) => {
    const cluster = requireActiveCluster(ctx, scope, input.cluster);
    const record = find(cluster, input.containerInstance ?? '');
    if (!record || record.status === 'INACTIVE') throw containerInstanceNotFound();
    const hasTasks = tasksOnInstance(ctx, record).length > 0;
    if (hasTasks && !input.force) throw containerInstanceHasTasks();
    const deregistered: ContainerInstanceRecord = { ...record, status: 'INACTIVE', agentConnected: false };
    ctx.transact(() => {
      saveContainerInstance(ctx, deregistered, true);
      // ECS leaves the processes orphaned on the host; drydock stops them too, so a forced
      // deregistration does not leave processes behind on this machine.
      if (hasTasks) stopTasksOn(ctx, record, undefined, 'Container instance deregistration forced by user');
    });
    return { containerInstance: view(ctx.tables.containerInstances.get(containerInstanceKey(record))!, false) };
  };

  const UpdateContainerInstancesState: OperationHandler<
    UpdateContainerInstancesStateRequest,
    UpdateContainerInstancesStateResponse
  > = (input, scope) => {
    const cluster = requireActiveCluster(ctx, scope, input.cluster);
    const status = input.status as string;
    if (status !== 'ACTIVE' && status !== 'DRAINING') {
      throw invalidParameter(`Container instance status ${status} is not valid: use ACTIVE or DRAINING.`);
    }
    const identifiers = input.containerInstances ?? [];
    if (identifiers.length === 0) throw invalidParameter('Container instances cannot be empty.');
    if (identifiers.length > MAX_STATE_UPDATE_INSTANCES) {
      throw invalidParameter(`Container instances cannot have more than ${MAX_STATE_UPDATE_INSTANCES} elements.`);
    }
    const updated: ContainerInstanceRecord[] = [];
    const failures: Failure[] = [];
    ctx.transact(() => {
      for (const identifier of identifiers) {
        const record = find(cluster, identifier);
        if (!record || record.status === 'INACTIVE') {
          failures.push({ arn: record?.containerInstanceArn ?? arnFor(cluster, identifier), reason: 'MISSING' });
          continue;
        }
        if (record.status === status) {
          updated.push(record);
          continue;
        }
        const next: ContainerInstanceRecord = { ...record, status };
        saveContainerInstance(ctx, next, true);
        updated.push(ctx.tables.containerInstances.get(containerInstanceKey(record))!);
      }
    });
    return { containerInstances: updated.map((record) => view(record, false)), failures };
  };

  return {
    DescribeContainerInstances,
    ListContainerInstances,
    DeregisterContainerInstance,
    UpdateContainerInstancesState,
  };
}
