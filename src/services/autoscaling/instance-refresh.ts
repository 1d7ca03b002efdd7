/**
 * The instance refresh as Auto Scaling keeps it (section A.8, `UG:asg/asg-instance-refresh`): its
 * resolved preferences, the configuration it moves the group to, the old instances still to be
 * replaced and those on their way out, checkpoint and blocked-wait bookkeeping, and its
 * DescribeInstanceRefreshes shape. One refresh per group is active at a time; finished ones are
 * kept as history (DescribeInstanceRefreshes lists the last six weeks, newest first).
 */
import type { InstanceRefresh } from '@aws-sdk/client-auto-scaling';
import type { GroupLaunchTemplate } from './group.js';

export type InstanceRefreshStatus =
  'Pending' | 'InProgress' | 'Successful' | 'Failed' | 'Cancelling' | 'Cancelled' | 'Baking';

/** Statuses in which a refresh still acts on the group and blocks another StartInstanceRefresh. */
export const ACTIVE_STATUSES: readonly InstanceRefreshStatus[] = ['Pending', 'InProgress', 'Cancelling', 'Baking'];

export type ScaleInProtectedInstances = 'Refresh' | 'Ignore' | 'Wait';
export type StandbyInstances = 'Terminate' | 'Ignore' | 'Wait';

/** RefreshPreferences with every default filled in, as the refresh runs with them. */
export interface RefreshPreferencesRecord {
  minHealthyPercentage: number;
  maxHealthyPercentage: number;
  instanceWarmupS: number;
  checkpointPercentages: number[];
  /** Absent without checkpoints. */
  checkpointDelayS?: number;
  skipMatching: boolean;
  scaleInProtectedInstances: ScaleInProtectedInstances;
  standbyInstances: StandbyInstances;
  /** Absent when none was given (no Baking). */
  bakeTimeS?: number;
}

/** What instances must run to count as refreshed (the DesiredConfiguration, or the group's own launch source). */
export type RefreshTarget = { launchTemplateId: string; version: string } | { launchConfigurationName: string };

export interface InstanceRefreshRecord {
  accountId: string;
  region: string;
  autoScalingGroupName: string;
  instanceRefreshId: string;
  status: InstanceRefreshStatus;
  statusReason?: string;
  startTimeMs: number;
  endTimeMs?: number;
  preferences: RefreshPreferencesRecord;
  /** DesiredConfiguration.LaunchTemplate as given; the group takes it on success. */
  desiredLaunchTemplate?: GroupLaunchTemplate;
  /** The desired (or current) launch source resolved when the refresh started. */
  target: RefreshTarget;
  /** Old instances not yet taken out of service (scale-in and health replacement may remove some first). */
  pendingInstanceIds: string[];
  /** Old instances the refresh took out of service that have not finished terminating. */
  replacingInstanceIds: string[];
  /** The next checkpoint (index into preferences.checkpointPercentages) not reached yet. */
  checkpointIndex: number;
  checkpointWaitUntilMs?: number;
  /** When only protected or standby instances were left to replace (they are waited for an hour). */
  blockedSinceMs?: number;
  bakeUntilMs?: number;
  /** CancelInstanceRefresh's WaitForTransitioningInstances (default true). */
  waitForTransitioningInstances?: boolean;
  percentageComplete: number;
  instancesToUpdate: number;
}

/** Refreshes are keyed `<accountId>/<region>/<groupName>/<instanceRefreshId>`. */
export function instanceRefreshKey(record: {
  accountId: string;
  region: string;
  autoScalingGroupName: string;
  instanceRefreshId: string;
}): string {
  return `${refreshPrefix(record.accountId, record.region, record.autoScalingGroupName)}${record.instanceRefreshId}`;
}

/** Every refresh of a group starts with this (names with '/' also match: filter by name after). */
export function refreshPrefix(accountId: string, region: string, groupName: string): string {
  return `${accountId}/${region}/${groupName}/`;
}

export function isActive(record: InstanceRefreshRecord): boolean {
  return ACTIVE_STATUSES.includes(record.status);
}

export function isFinishedRefresh(status: InstanceRefreshStatus): boolean {
  return !ACTIVE_STATUSES.includes(status);
}

const FAR_FUTURE_MS = 9_999_999_999_999;

/** DescribeInstanceRefreshes order: newest first (the id breaks ties), stable for pagination. */
export function refreshSortKey(record: InstanceRefreshRecord): string {
  return `${String(FAR_FUTURE_MS - record.startTimeMs).padStart(13, '0')}/${record.instanceRefreshId}`;
}

export function toInstanceRefresh(record: InstanceRefreshRecord): InstanceRefresh {
  const prefs = record.preferences;
  const refresh: InstanceRefresh = {
    InstanceRefreshId: record.instanceRefreshId,
    AutoScalingGroupName: record.autoScalingGroupName,
    Status: record.status,
    StatusReason: record.statusReason,
    StartTime: new Date(record.startTimeMs),
    EndTime: record.endTimeMs === undefined ? undefined : new Date(record.endTimeMs),
    PercentageComplete: record.percentageComplete,
    InstancesToUpdate: record.instancesToUpdate,
    ProgressDetails: {
      LivePoolProgress: {
        PercentageComplete: record.percentageComplete,
        InstancesToUpdate: record.instancesToUpdate,
      },
    },
    Preferences: {
      MinHealthyPercentage: prefs.minHealthyPercentage,
      MaxHealthyPercentage: prefs.maxHealthyPercentage,
      InstanceWarmup: prefs.instanceWarmupS,
      CheckpointPercentages: prefs.checkpointPercentages.length > 0 ? prefs.checkpointPercentages : undefined,
      CheckpointDelay: prefs.checkpointDelayS,
      SkipMatching: prefs.skipMatching,
      AutoRollback: false,
      ScaleInProtectedInstances: prefs.scaleInProtectedInstances,
      StandbyInstances: prefs.standbyInstances,
      BakeTime: prefs.bakeTimeS,
    },
    Strategy: 'Rolling',
  };
  if (record.desiredLaunchTemplate) {
    refresh.DesiredConfiguration = {
      LaunchTemplate: {
        LaunchTemplateId: record.desiredLaunchTemplate.launchTemplateId,
        LaunchTemplateName: record.desiredLaunchTemplate.launchTemplateName,
        Version: record.desiredLaunchTemplate.version,
      },
    };
  }
  return refresh;
}
