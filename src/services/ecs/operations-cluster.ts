/**
 * ECS cluster operations: Create/Describe/List/Delete/UpdateCluster/UpdateClusterSettings. Wire
 * adapter only: input → records → output; the counts come from the cluster's real members.
 */
import type {
  CreateClusterRequest,
  CreateClusterResponse,
  DeleteClusterRequest,
  DeleteClusterResponse,
  DescribeClustersRequest,
  DescribeClustersResponse,
  Failure,
  ListClustersRequest,
  ListClustersResponse,
  UpdateClusterRequest,
  UpdateClusterResponse,
  UpdateClusterSettingsRequest,
  UpdateClusterSettingsResponse,
} from '@aws-sdk/client-ecs';
import type { OperationHandler, OperationTable } from '../../kernel/operation.js';
import {
  clusterArnOf,
  clusterNameOf,
  DEFAULT_CLUSTER_NAME,
  mergeSettings,
  newCluster,
  requireValidClusterName,
  requireValidSettings,
  toCluster,
  type ClusterRecord,
} from './cluster.js';
import {
  capacityProviderKey,
  clusterCounts,
  clusterKeyOf,
  findCapacityProvider,
  containerInstancesIn,
  requireActiveCluster,
  servicesIn,
  tasksIn,
  type EcsContext,
} from './context.js';
import { clusterContainsContainerInstances, clusterContainsServices, clusterContainsTasks } from './errors.js';
import { clusterAttachments, putClusterCapacityProviders } from './operations-capacity-provider.js';
import { pageOf } from './page.js';
import { scopedKey } from './store.js';

export function clusterOperations(ctx: EcsContext): OperationTable {
  const { clusters } = ctx.tables;
  const view = (
    record: ClusterRecord,
    includeTags: boolean,
    includeConfigurations = true,
    includeAttachments = false,
  ) =>
    toCluster(record, clusterCounts(ctx, record), {
      includeTags,
      includeConfigurations,
      ...(includeAttachments ? { attachments: clusterAttachments(ctx, record) } : {}),
    });

  const CreateCluster: OperationHandler<CreateClusterRequest, CreateClusterResponse> = (input, scope) => {
    const name = input.clusterName ?? DEFAULT_CLUSTER_NAME;
    requireValidClusterName(name);
    if (input.settings) requireValidSettings(input.settings);
    const key = scopedKey(scope.accountId, scope.region, name);
    const existing = clusters.get(key);
    // CreateCluster is idempotent for an ACTIVE cluster: ECS returns the one that exists.
    if (existing?.status === 'ACTIVE') return { cluster: view(existing, true) };
    const record: ClusterRecord = {
      ...newCluster(scope.accountId, scope.region, name, input.tags ?? [], input.settings, ctx.clock.now()),
      ...(input.configuration ? { configuration: input.configuration } : {}),
      ...(input.serviceConnectDefaults?.namespace
        ? { serviceConnectNamespace: input.serviceConnectDefaults.namespace }
        : {}),
    };
    const hasProviders =
      (input.capacityProviders?.length ?? 0) > 0 || (input.defaultCapacityProviderStrategy?.length ?? 0) > 0;
    if (!hasProviders) {
      clusters.put(key, record);
      return { cluster: view(record, true) };
    }
    // The providers are attached as PutClusterCapacityProviders would, in the same transaction.
    const attached = ctx.transact(() => {
      clusters.put(key, record);
      return putClusterCapacityProviders(
        ctx,
        scope,
        record,
        input.capacityProviders ?? [],
        input.defaultCapacityProviderStrategy ?? [],
      );
    });
    return { cluster: view(attached, true) };
  };

  const DescribeClusters: OperationHandler<DescribeClustersRequest, DescribeClustersResponse> = (input, scope) => {
    const identifiers = input.clusters && input.clusters.length > 0 ? input.clusters : [DEFAULT_CLUSTER_NAME];
    const include = input.include ?? [];
    const found: ClusterRecord[] = [];
    const failures: Failure[] = [];
    for (const identifier of identifiers) {
      const record = clusters.get(clusterKeyOf(scope, identifier));
      if (record) found.push(record);
      else {
        const arn = identifier.startsWith('arn:')
          ? identifier
          : clusterArnOf(scope.accountId, scope.region, clusterNameOf(identifier));
        failures.push({ arn, reason: 'MISSING' });
      }
    }
    return {
      clusters: found.map((record) =>
        view(record, include.includes('TAGS'), include.includes('CONFIGURATIONS'), include.includes('ATTACHMENTS')),
      ),
      failures,
    };
  };

  const ListClusters: OperationHandler<ListClustersRequest, ListClustersResponse> = (input, scope) => {
    const active = clusters
      .withPrefix(scopedKey(scope.accountId, scope.region, ''))
      .filter((record) => record.status === 'ACTIVE');
    const page = pageOf(active, (record) => record.clusterName, input.maxResults, input.nextToken);
    return { clusterArns: page.items.map((record) => record.clusterArn), nextToken: page.nextToken };
  };

  const DeleteCluster: OperationHandler<DeleteClusterRequest, DeleteClusterResponse> = (input, scope) => {
    const record = requireActiveCluster(ctx, scope, input.cluster);
    if (containerInstancesIn(ctx, record).some((instance) => instance.status !== 'INACTIVE')) {
      throw clusterContainsContainerInstances();
    }
    if (servicesIn(ctx, record).some((service) => service.status !== 'INACTIVE')) throw clusterContainsServices();
    if (tasksIn(ctx, record).some((task) => task.lastStatus !== 'STOPPED')) throw clusterContainsTasks();
    const deleted: ClusterRecord = {
      ...record,
      status: 'INACTIVE',
      capacityProviders: [],
      defaultCapacityProviderStrategy: [],
    };
    ctx.transact(() => {
      clusters.put(scopedKey(scope.accountId, scope.region, record.clusterName), deleted);
      // Its providers are free to serve another cluster.
      for (const name of record.capacityProviders ?? []) {
        const provider = findCapacityProvider(ctx, scope, name);
        if (provider?.clusterName !== record.clusterName) continue;
        const { clusterName: _detached, ...rest } = provider;
        ctx.tables.capacityProviders.put(capacityProviderKey(scope, name), rest);
      }
    });
    return { cluster: view(deleted, true) };
  };

  const UpdateCluster: OperationHandler<UpdateClusterRequest, UpdateClusterResponse> = (input, scope) => {
    const record = requireActiveCluster(ctx, scope, input.cluster);
    if (input.settings) requireValidSettings(input.settings);
    const next: ClusterRecord = {
      ...record,
      ...(input.settings ? { settings: mergeSettings(record.settings, input.settings) } : {}),
      ...(input.configuration ? { configuration: input.configuration } : {}),
      ...(input.serviceConnectDefaults?.namespace
        ? { serviceConnectNamespace: input.serviceConnectDefaults.namespace }
        : {}),
    };
    clusters.put(scopedKey(scope.accountId, scope.region, record.clusterName), next);
    return { cluster: view(next, true) };
  };

  const UpdateClusterSettings: OperationHandler<UpdateClusterSettingsRequest, UpdateClusterSettingsResponse> = (
    input,
    scope,
  ) => {
    const record = requireActiveCluster(ctx, scope, input.cluster);
    requireValidSettings(input.settings ?? []);
    const next: ClusterRecord = { ...record, settings: mergeSettings(record.settings, input.settings ?? []) };
    clusters.put(scopedKey(scope.accountId, scope.region, record.clusterName), next);
    return { cluster: view(next, true) };
  };

  return { CreateCluster, DescribeClusters, ListClusters, DeleteCluster, UpdateCluster, UpdateClusterSettings };
}
