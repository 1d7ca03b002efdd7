/**
 * The Auto Scaling group as stored, and its DescribeAutoScalingGroups shape. Groups are created by
 * CreateAutoScalingGroup (the EC2/Auto Scaling issue); the describe path and its filters are here.
 */
import type { AutoScalingGroup, Filter, TagDescription } from '@aws-sdk/client-auto-scaling';

export interface GroupTag {
  key: string;
  value: string;
  propagateAtLaunch: boolean;
}

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
  vpcZoneIdentifier?: string;
  healthCheckType: string;
  healthCheckGracePeriodS: number;
  tags: GroupTag[];
  createdAtMs: number;
}

export function toAutoScalingGroup(record: AutoScalingGroupRecord): AutoScalingGroup {
  return {
    AutoScalingGroupName: record.autoScalingGroupName,
    AutoScalingGroupARN: record.autoScalingGroupArn,
    MinSize: record.minSize,
    MaxSize: record.maxSize,
    DesiredCapacity: record.desiredCapacity,
    DefaultCooldown: record.defaultCooldownS,
    AvailabilityZones: record.availabilityZones,
    VPCZoneIdentifier: record.vpcZoneIdentifier,
    HealthCheckType: record.healthCheckType,
    HealthCheckGracePeriod: record.healthCheckGracePeriodS,
    CreatedTime: new Date(record.createdAtMs),
    Instances: [],
    Tags: record.tags.map((tag): TagDescription => ({
      ResourceId: record.autoScalingGroupName,
      ResourceType: 'auto-scaling-group',
      Key: tag.key,
      Value: tag.value,
      PropagateAtLaunch: tag.propagateAtLaunch,
    })),
  };
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
