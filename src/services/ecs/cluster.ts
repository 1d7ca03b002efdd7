/**
 * The ECS Cluster: its record in the store and its shape on the wire. A deleted cluster turns
 * INACTIVE and stays describable, as in ECS; creating it again makes it ACTIVE anew. Its counts
 * are computed from the container instances and tasks that really are in it, never stored.
 */
import type { Attachment, Cluster, ClusterConfiguration, ClusterSetting, Tag } from '@aws-sdk/client-ecs';
import { arn, parseArn } from '../../kernel/ids.js';
import type { StrategyItem } from './capacity-provider-strategy.js';
import { invalidParameter } from './errors.js';

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
  /** UpdateCluster's `configuration` (execute-command and managed storage), kept as given. */
  configuration?: ClusterConfiguration;
  /** UpdateCluster's Service Connect namespace, kept as given. */
  serviceConnectNamespace?: string;
  /** PutClusterCapacityProviders (or CreateCluster): the providers' names, in the order given. */
  capacityProviders?: string[];
  /** What RunTask and CreateService use when given neither a launch type nor a strategy. */
  defaultCapacityProviderStrategy?: StrategyItem[];
}

export interface ClusterCounts {
  registeredContainerInstancesCount: number;
  runningTasksCount: number;
  pendingTasksCount: number;
  activeServicesCount: number;
}

export const DEFAULT_CLUSTER_NAME = 'default';

/** Container Insights is off unless asked for, as in a new account. */
const DEFAULT_SETTINGS: ClusterSetting[] = [{ name: 'containerInsights', value: 'disabled' }];

const CLUSTER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;

/** `M:ecs` ClusterSettingName has one member; its values are these. */
const CONTAINER_INSIGHTS_VALUES = ['enabled', 'disabled', 'enhanced'];

export function requireValidClusterName(name: string): void {
  if (!CLUSTER_NAME.test(name)) {
    throw invalidParameter(
      'Cluster name can only contain alphanumeric characters, hyphens and underscores, up to 255 characters.',
    );
  }
}

export function requireValidSettings(settings: readonly ClusterSetting[]): void {
  for (const setting of settings) {
    if (setting.value === undefined || !CONTAINER_INSIGHTS_VALUES.includes(setting.value)) {
      throw invalidParameter(
        `Invalid value for the ${setting.name ?? 'containerInsights'} setting: it must be one of ${CONTAINER_INSIGHTS_VALUES.join(', ')}.`,
      );
    }
  }
}

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
    clusterArn: clusterArnOf(accountId, region, clusterName),
    status: 'ACTIVE',
    tags,
    settings: settings && settings.length > 0 ? settings : DEFAULT_SETTINGS,
    createdAtMs,
  };
}

export function clusterArnOf(accountId: string, region: string, clusterName: string): string {
  return arn({ service: 'ecs', region, accountId, resource: `cluster/${clusterName}` });
}

/** Settings merged by name, later ones winning (UpdateClusterSettings changes only those it names). */
export function mergeSettings(
  current: readonly ClusterSetting[],
  changes: readonly ClusterSetting[],
): ClusterSetting[] {
  const merged = new Map(current.map((setting) => [setting.name, setting]));
  for (const change of changes) merged.set(change.name, change);
  return [...merged.values()];
}

/** ECS accepts a cluster's short name or its full ARN wherever it takes a cluster. */
export function clusterNameOf(identifier: string): string {
  const parts = parseArn(identifier);
  if (parts && parts.service === 'ecs' && parts.resource.startsWith('cluster/')) {
    return parts.resource.slice('cluster/'.length);
  }
  return identifier;
}

export interface ClusterViewOptions {
  includeTags: boolean;
  includeConfigurations?: boolean;
  /** DescribeClusters `include: ATTACHMENTS`: the capacity providers' attachments. */
  attachments?: Attachment[];
}

/** The wire shape. */
export function toCluster(record: ClusterRecord, counts: ClusterCounts, options: ClusterViewOptions): Cluster {
  return {
    clusterArn: record.clusterArn,
    clusterName: record.clusterName,
    status: record.status,
    ...counts,
    statistics: [],
    tags: options.includeTags ? record.tags : [],
    settings: record.settings,
    capacityProviders: record.capacityProviders ?? [],
    defaultCapacityProviderStrategy: (record.defaultCapacityProviderStrategy ?? []).map((item) => ({ ...item })),
    ...(options.attachments ? { attachments: options.attachments, attachmentsStatus: 'UPDATE_COMPLETE' } : {}),
    ...(options.includeConfigurations && record.configuration ? { configuration: record.configuration } : {}),
    ...(record.serviceConnectNamespace
      ? { serviceConnectDefaults: { namespace: record.serviceConnectNamespace } }
      : {}),
  };
}
