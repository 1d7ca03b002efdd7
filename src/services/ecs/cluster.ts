/**
 * The ECS Cluster: its record in the store and its shape on the wire. A deleted cluster turns
 * INACTIVE and stays describable, as in ECS; creating it again makes it ACTIVE anew.
 */
import type { Cluster, ClusterSetting, Tag } from '@aws-sdk/client-ecs';
import { arn, parseArn } from '../../kernel/ids.js';

export type ClusterStatus = 'ACTIVE' | 'INACTIVE';

export interface ClusterRecord {
  accountId: string;
  region: string;
  clusterName: string;
  clusterArn: string;
  status: ClusterStatus;
  tags: Tag[];
  settings: ClusterSetting[];
  createdAtMs: number;
}

export const DEFAULT_CLUSTER_NAME = 'default';

/** Container Insights is off unless asked for, as in a new account. */
const DEFAULT_SETTINGS: ClusterSetting[] = [{ name: 'containerInsights', value: 'disabled' }];

export function newCluster(
  accountId: string,
  region: string,
  clusterName: string,
  tags: Tag[],
  settings: ClusterSetting[] | undefined,
  createdAtMs: number,
): ClusterRecord {
  return {
    accountId,
    region,
    clusterName,
    clusterArn: arn({ service: 'ecs', region, accountId, resource: `cluster/${clusterName}` }),
    status: 'ACTIVE',
    tags,
    settings: settings && settings.length > 0 ? settings : DEFAULT_SETTINGS,
    createdAtMs,
  };
}

/** ECS accepts a cluster's short name or its full ARN wherever it takes a cluster. */
export function clusterNameOf(identifier: string): string {
  const parts = parseArn(identifier);
  if (parts && parts.service === 'ecs' && parts.resource.startsWith('cluster/')) {
    return parts.resource.slice('cluster/'.length);
  }
  return identifier;
}

/** The wire shape. Counts are zero until container instances, tasks and services exist. */
export function toCluster(record: ClusterRecord, includeTags: boolean): Cluster {
  return {
    clusterArn: record.clusterArn,
    clusterName: record.clusterName,
    status: record.status,
    registeredContainerInstancesCount: 0,
    runningTasksCount: 0,
    pendingTasksCount: 0,
    activeServicesCount: 0,
    statistics: [],
    tags: includeTags ? record.tags : [],
    settings: record.settings,
    capacityProviders: [],
    defaultCapacityProviderStrategy: [],
  };
}
