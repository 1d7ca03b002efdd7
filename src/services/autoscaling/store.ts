/**
 * Auto Scaling's tables. Groups and launch configurations are keyed `<accountId>/<region>/<name>`,
 * instances `<accountId>/<region>/<instanceId>`, activities `<accountId>/<region>/<activityId>`,
 * instance refreshes `<accountId>/<region>/<groupName>/<instanceRefreshId>`.
 * Lifecycle hooks, notification configurations, target-group attachments and tags live inside
 * the group document (each is bounded: 50, 10, 50 and 50 per group); lifecycle actions live in
 * the instance document of the instance waiting on them.
 */
import type { Migration, Store, Table } from '../../store/store.js';
import type { ActivityRecord } from './activity.js';
import type { AutoScalingGroupRecord } from './group.js';
import { groupKey, serviceLinkedRoleArn } from './group.js';
import type { InstanceRecord } from './instance.js';
import type { InstanceRefreshRecord } from './instance-refresh.js';
import { isActive, refreshPrefix } from './instance-refresh.js';
import type { LaunchConfigurationRecord } from './launch-configuration.js';

export const autoscalingMigrations: Migration[] = [
  {
    service: 'autoscaling',
    version: 1,
    description: 'auto scaling groups',
    up: (db) => db.createTable('groups'),
  },
  {
    service: 'autoscaling',
    version: 2,
    description: 'launch configurations, instances and scaling activities; full group documents',
    up: (db) => {
      db.createTable('launchConfigurations');
      db.createTable('instances');
      db.createTable('activities');
      // Version 1 groups carried only capacity, placement and tags: give them the rest.
      db.rewrite<Partial<AutoScalingGroupRecord> & { accountId: string }>('groups', (_key, group) => ({
        subnets: [],
        terminationPolicies: ['Default'],
        newInstancesProtectedFromScaleIn: false,
        lifecycleHooks: [],
        notificationConfigurations: [],
        targetGroups: [],
        suspendedProcesses: [],
        launchFailureCount: 0,
        pendingTestNotifications: [],
        serviceLinkedRoleArn: serviceLinkedRoleArn(group.accountId),
        capacityRebalance: false,
        ...group,
      }));
    },
  },
  {
    service: 'autoscaling',
    version: 3,
    description: 'instance refreshes',
    up: (db) => db.createTable('instanceRefreshes'),
  },
];

export interface AutoScalingTables {
  groups: Table<AutoScalingGroupRecord>;
  launchConfigurations: Table<LaunchConfigurationRecord>;
  instances: Table<InstanceRecord>;
  activities: Table<ActivityRecord>;
  instanceRefreshes: Table<InstanceRefreshRecord>;
}

export function autoscalingTables(store: Store): AutoScalingTables {
  return {
    groups: store.table<AutoScalingGroupRecord>('autoscaling', 'groups'),
    launchConfigurations: store.table<LaunchConfigurationRecord>('autoscaling', 'launchConfigurations'),
    instances: store.table<InstanceRecord>('autoscaling', 'instances'),
    activities: store.table<ActivityRecord>('autoscaling', 'activities'),
    instanceRefreshes: store.table<InstanceRefreshRecord>('autoscaling', 'instanceRefreshes'),
  };
}

export { groupKey };

export function scopePrefix(accountId: string, region: string): string {
  return `${accountId}/${region}/`;
}

/** The instances a group holds, in instance-id order. */
export function groupInstances(tables: AutoScalingTables, group: AutoScalingGroupRecord): InstanceRecord[] {
  return tables.instances
    .withPrefix(scopePrefix(group.accountId, group.region))
    .filter((instance) => instance.autoScalingGroupName === group.autoScalingGroupName);
}

/** Every instance refresh of a group, active and finished. */
export function groupRefreshes(
  tables: AutoScalingTables,
  group: { accountId: string; region: string; autoScalingGroupName: string },
): InstanceRefreshRecord[] {
  return tables.instanceRefreshes
    .withPrefix(refreshPrefix(group.accountId, group.region, group.autoScalingGroupName))
    .filter((refresh) => refresh.autoScalingGroupName === group.autoScalingGroupName);
}

/** The group's one active instance refresh (Pending, InProgress, Cancelling or Baking), if any. */
export function activeRefresh(
  tables: AutoScalingTables,
  group: { accountId: string; region: string; autoScalingGroupName: string },
): InstanceRefreshRecord | undefined {
  return groupRefreshes(tables, group).find(isActive);
}

/** Splits a group key back into its parts (group names may themselves hold '/'). */
export function parseGroupKey(key: string): { accountId: string; region: string; groupName: string } | undefined {
  const first = key.indexOf('/');
  const second = key.indexOf('/', first + 1);
  if (first <= 0 || second <= first) return undefined;
  return { accountId: key.slice(0, first), region: key.slice(first + 1, second), groupName: key.slice(second + 1) };
}
