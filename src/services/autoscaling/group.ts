/**
 * The Auto Scaling group as stored, and its DescribeAutoScalingGroups shape and filters. The group
 * record holds the intent (capacity bounds, launch source, placement, hooks, notification
 * configurations, target groups, suspended processes, tags); instances and activities live in
 * their own tables.
 */
import type { AutoScalingGroup, Filter, TagDescription } from '@aws-sdk/client-auto-scaling';
import type { SubnetPlacement } from './capacity.js';
import type { InstanceRecord } from './instance.js';
import { toGroupInstance } from './instance.js';
import type { LifecycleHookRecord } from './lifecycle-hook.js';
import type { NotificationConfigurationRecord } from './notification-configuration.js';
import type { SuspendedProcess } from './scaling-process.js';
import type { TargetGroupAttachment } from './traffic-source.js';

export interface GroupTag {
  key: string;
  value: string;
  propagateAtLaunch: boolean;
}

/** How the group names its launch template; `version` as given (`$Latest`, `$Default`, `3`; absent = `$Default`). */
export interface GroupLaunchTemplate {
  launchTemplateId: string;
  launchTemplateName: string;
  version?: string;
}

/** A target (topic or queue) owed its test notification. */
export interface PendingTestNotification {
  targetArn: string;
}

export const DEFAULT_COOLDOWN_S = 300;
export const DEFAULT_HEALTH_CHECK_TYPE = 'EC2';
export const DELETE_IN_PROGRESS = 'Delete in progress';

export interface AutoScalingGroupRecord {
  accountId: string;
  region: string;
  autoScalingGroupName: string;
  autoScalingGroupArn: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  defaultCooldownS: number;
  availabilityZones: string[];
  /** The subnets instances launch into: VPCZoneIdentifier's, or each zone's default subnet. */
  subnets: SubnetPlacement[];
  vpcZoneIdentifier?: string;
  healthCheckType: string;
  healthCheckGracePeriodS: number;
  launchTemplate?: GroupLaunchTemplate;
  launchConfigurationName?: string;
  tags: GroupTag[];
  createdAtMs: number;
  terminationPolicies: string[];
  newInstancesProtectedFromScaleIn: boolean;
  lifecycleHooks: LifecycleHookRecord[];
  notificationConfigurations: NotificationConfigurationRecord[];
  targetGroups: TargetGroupAttachment[];
  suspendedProcesses: SuspendedProcess[];
  /** `Delete in progress` once DeleteAutoScalingGroup is accepted. */
  status?: string;
  forceDelete?: boolean;
  /** SetDesiredCapacity with HonorCooldown is refused until then (A.5). */
  cooldownEndsAtMs?: number;
  /** The sentence of the last capacity change, used by the first activity it causes (A.9). */
  pendingCause?: string;
  /** Failed launches back off (AWS retries failing launches at a slowing rate). */
  launchFailureCount: number;
  launchRetryAtMs?: number;
  pendingTestNotifications: PendingTestNotification[];
  /** The desired capacity for which "all remaining instances are protected" was already reported. */
  protectedScaleInReportedAtDesired?: number;
  serviceLinkedRoleArn: string;
  defaultInstanceWarmupS?: number;
  maxInstanceLifetimeS?: number;
  capacityRebalance: boolean;
  placementGroup?: string;
  context?: string;
  desiredCapacityType?: string;
}

/** Groups are keyed `<accountId>/<region>/<groupName>`. */
export function groupKey(accountId: string, region: string, groupName: string): string {
  return `${accountId}/${region}/${groupName}`;
}

export function groupArn(accountId: string, region: string, uuid: string, name: string): string {
  return `arn:aws:autoscaling:${region}:${accountId}:autoScalingGroup:${uuid}:autoScalingGroupName/${name}`;
}

export function serviceLinkedRoleArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
}

export function isDeleting(group: AutoScalingGroupRecord): boolean {
  return group.status === DELETE_IN_PROGRESS;
}

/** The tags an instance gets at launch: the propagating ones plus `aws:autoscaling:groupName`. */
export function instanceTags(group: AutoScalingGroupRecord): Array<{ key: string; value: string }> {
  const tags = group.tags
    .filter((tag) => tag.propagateAtLaunch && tag.key !== 'aws:autoscaling:groupName')
    .map((tag) => ({ key: tag.key, value: tag.value }));
  return [...tags, { key: 'aws:autoscaling:groupName', value: group.autoScalingGroupName }];
}

export function toTagDescription(group: AutoScalingGroupRecord, tag: GroupTag): TagDescription {
  return {
    ResourceId: group.autoScalingGroupName,
    ResourceType: 'auto-scaling-group',
    Key: tag.key,
    Value: tag.value,
    PropagateAtLaunch: tag.propagateAtLaunch,
  };
}

export function toAutoScalingGroup(
  record: AutoScalingGroupRecord,
  instances: readonly InstanceRecord[],
): AutoScalingGroup {
  const group: AutoScalingGroup = {
    AutoScalingGroupName: record.autoScalingGroupName,
    AutoScalingGroupARN: record.autoScalingGroupArn,
    LaunchConfigurationName: record.launchConfigurationName,
    LaunchTemplate: record.launchTemplate
      ? {
          LaunchTemplateId: record.launchTemplate.launchTemplateId,
          LaunchTemplateName: record.launchTemplate.launchTemplateName,
          Version: record.launchTemplate.version,
        }
      : undefined,
    MinSize: record.minSize,
    MaxSize: record.maxSize,
    DesiredCapacity: record.desiredCapacity,
    DefaultCooldown: record.defaultCooldownS,
    AvailabilityZones: record.availabilityZones,
    LoadBalancerNames: [],
    TargetGroupARNs: record.targetGroups.map((attachment) => attachment.targetGroupArn),
    HealthCheckType: record.healthCheckType,
    HealthCheckGracePeriod: record.healthCheckGracePeriodS,
    Instances: instances.map(toGroupInstance),
    CreatedTime: new Date(record.createdAtMs),
    SuspendedProcesses: record.suspendedProcesses.map((process) => ({
      ProcessName: process.processName,
      SuspensionReason: process.suspensionReason,
    })),
    PlacementGroup: record.placementGroup,
    VPCZoneIdentifier: record.vpcZoneIdentifier,
    EnabledMetrics: [],
    Status: record.status,
    Tags: record.tags.map((tag) => toTagDescription(record, tag)),
    TerminationPolicies: record.terminationPolicies,
    NewInstancesProtectedFromScaleIn: record.newInstancesProtectedFromScaleIn,
    ServiceLinkedRoleARN: record.serviceLinkedRoleArn,
    MaxInstanceLifetime: record.maxInstanceLifetimeS,
    CapacityRebalance: record.capacityRebalance,
    TrafficSources: record.targetGroups.map((attachment) => ({
      Identifier: attachment.targetGroupArn,
      Type: 'elbv2',
    })),
    DefaultInstanceWarmup: record.defaultInstanceWarmupS,
    Context: record.context,
    DesiredCapacityType: record.desiredCapacityType,
  };
  return group;
}

/**
 * DescribeAutoScalingGroups filters: `tag-key`, `tag-value`, `tag:<key>`. A group matches when
 * every filter matches; a filter matches when any of its values does.
 */
export function matchesFilters(record: AutoScalingGroupRecord, filters: readonly Filter[]): boolean {
  return filters.every((filter) => {
    const values = filter.Values ?? [];
    const name = filter.Name ?? '';
    if (name === 'tag-key') return record.tags.some((tag) => values.includes(tag.key));
    if (name === 'tag-value') return record.tags.some((tag) => values.includes(tag.value));
    if (name.startsWith('tag:')) {
      const key = name.slice('tag:'.length);
      return record.tags.some((tag) => tag.key === key && values.includes(tag.value));
    }
    return false;
  });
}

export const KNOWN_FILTER_NAMES = ['tag-key', 'tag-value'];
