/**
 * ECS wire adapter: input → store intent → output, no decisions of its own. Operations not listed
 * here answer `NotImplemented` from the gateway.
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
} from '@aws-sdk/client-ecs';
import type { Clock } from '../../kernel/clock.js';
import type { OperationHandler, OperationTable, RequestContext } from '../../kernel/operation.js';
import { InvalidPageToken, paginate } from '../../kernel/pagination.js';
import type { Store } from '../../store/store.js';
import { clusterNameOf, DEFAULT_CLUSTER_NAME, newCluster, toCluster, type ClusterRecord } from './cluster.js';
import { clusterNotFound, invalidParameter } from './errors.js';
import { ecsTables, scopedKey } from './store.js';

export interface EcsDeps {
  store: Store;
  clock: Clock;
}

/** ListClusters' page size when maxResults is not given, and its ceiling (ECS model: 1–100). */
const LIST_PAGE_SIZE = 100;

export function ecsOperations(deps: EcsDeps): OperationTable {
  const { clusters } = ecsTables(deps.store);

  const requireActiveCluster = (ctx: RequestContext, identifier: string | undefined): ClusterRecord => {
    const name = clusterNameOf(identifier ?? DEFAULT_CLUSTER_NAME);
    const record = clusters.get(scopedKey(ctx.accountId, ctx.region, name));
    if (!record || record.status !== 'ACTIVE') throw clusterNotFound();
    return record;
  };

  const CreateCluster: OperationHandler<CreateClusterRequest, CreateClusterResponse> = (input, ctx) => {
    const name = input.clusterName ?? DEFAULT_CLUSTER_NAME;
    if (!/^[a-zA-Z0-9_-]{1,255}$/.test(name)) {
      throw invalidParameter(
        'Cluster name can only contain alphanumeric characters, hyphens and underscores, up to 255 characters.',
      );
    }
    const key = scopedKey(ctx.accountId, ctx.region, name);
    const existing = clusters.get(key);
    // CreateCluster is idempotent for an ACTIVE cluster: ECS returns the one that exists.
    if (existing?.status === 'ACTIVE') return { cluster: toCluster(existing, true) };
    const record = newCluster(ctx.accountId, ctx.region, name, input.tags ?? [], input.settings, deps.clock.now());
    clusters.put(key, record);
    return { cluster: toCluster(record, true) };
  };

  const DescribeClusters: OperationHandler<DescribeClustersRequest, DescribeClustersResponse> = (input, ctx) => {
    const identifiers = input.clusters && input.clusters.length > 0 ? input.clusters : [DEFAULT_CLUSTER_NAME];
    const includeTags = input.include?.includes('TAGS') ?? false;
    const found: ClusterRecord[] = [];
    const failures: Failure[] = [];
    for (const identifier of identifiers) {
      const record = clusters.get(scopedKey(ctx.accountId, ctx.region, clusterNameOf(identifier)));
      if (record) found.push(record);
      else {
        const clusterArn = identifier.startsWith('arn:')
          ? identifier
          : newCluster(ctx.accountId, ctx.region, identifier, [], undefined, 0).clusterArn;
        failures.push({ arn: clusterArn, reason: 'MISSING' });
      }
    }
    return { clusters: found.map((record) => toCluster(record, includeTags)), failures };
  };

  const ListClusters: OperationHandler<ListClustersRequest, ListClustersResponse> = (input, ctx) => {
    const active = clusters
      .withPrefix(scopedKey(ctx.accountId, ctx.region, ''))
      .filter((record) => record.status === 'ACTIVE');
    try {
      const page = paginate(
        active,
        (record) => record.clusterName,
        input.maxResults ?? LIST_PAGE_SIZE,
        input.nextToken,
      );
      return { clusterArns: page.items.map((record) => record.clusterArn), nextToken: page.nextToken };
    } catch (error) {
      if (error instanceof InvalidPageToken) throw invalidParameter('Invalid nextToken.');
      throw error;
    }
  };

  const DeleteCluster: OperationHandler<DeleteClusterRequest, DeleteClusterResponse> = (input, ctx) => {
    const record = requireActiveCluster(ctx, input.cluster);
    const deleted: ClusterRecord = { ...record, status: 'INACTIVE' };
    clusters.put(scopedKey(ctx.accountId, ctx.region, record.clusterName), deleted);
    return { cluster: toCluster(deleted, true) };
  };

  return { CreateCluster, DescribeClusters, ListClusters, DeleteCluster };
}
