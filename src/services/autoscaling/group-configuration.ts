/**
 * Checks and conversions shared by CreateAutoScalingGroup and UpdateAutoScalingGroup: the launch
 * source (launch template by id or name with a version, or a launch configuration), the placement
 * (VPCZoneIdentifier subnets or AvailabilityZones' default subnets), health-check types, tags and
 * target groups. Existence is asked of EC2 and ELBv2 through the ports; messages are AWS's.
 */
import type { LaunchTemplateSpecification, Tag } from '@aws-sdk/client-auto-scaling';
import type { SubnetPlacement } from './capacity.js';
import { alreadyExists, launchConfigurationNotFound, limitExceeded, validationError } from './errors.js';
import type { GroupLaunchTemplate, GroupTag } from './group.js';
import type { AutoScalingPorts, Scope } from './ports.js';
import { MAX_TARGET_GROUPS_PER_GROUP } from './traffic-source.js';

export const HEALTH_CHECK_TYPES = ['EC2', 'EBS', 'ELB', 'VPC_LATTICE'];
export const MAX_TAGS_PER_GROUP = 50;
export const MAX_GROUPS_PER_REGION = 500;

/** The member names AWS lists when no (or more than one) launch source is given. */
export const LAUNCH_SOURCE_REQUIRED =
  'Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.';

const FULLY_FORMED = 'You must use a valid fully-formed launch template.';

export function resolveLaunchTemplate(
  ports: AutoScalingPorts,
  scope: Scope,
  spec: LaunchTemplateSpecification,
): GroupLaunchTemplate {
  const byId = spec.LaunchTemplateId;
  const byName = spec.LaunchTemplateName;
  if ((byId === undefined) === (byName === undefined)) {
    // EC2's wording for the same mistake in RunInstances (UNCONFIRMED for Auto Scaling).
    throw validationError(
      `${FULLY_FORMED} You must specify either the launch template ID or launch template name in the request, but not both.`,
    );
  }
  const ref = { ...(byId ? { launchTemplateId: byId } : {}), ...(byName ? { launchTemplateName: byName } : {}) };
  const resolved = ports.ec2.resolveLaunchTemplate(scope, {
    ...ref,
    ...(spec.Version ? { version: spec.Version } : {}),
  });
  if ('missing' in resolved) {
    if (resolved.missing === 'template') {
      const which = byId ? `template ID ${byId}` : `template name ${byName}`;
      throw validationError(`${FULLY_FORMED} The specified launch template, with ${which}, does not exist.`);
    }
    // UNCONFIRMED wording.
    throw validationError(`${FULLY_FORMED} The launch template version ${spec.Version ?? '$Default'} does not exist.`);
  }
  const template: GroupLaunchTemplate = {
    launchTemplateId: resolved.launchTemplateId,
    launchTemplateName: resolved.launchTemplateName,
  };
  if (spec.Version !== undefined) template.version = spec.Version;
  return template;
}

export function requireLaunchConfiguration(exists: boolean, name: string): void {
  if (!exists) throw launchConfigurationNotFound(name);
}

export interface Placement {
  subnets: SubnetPlacement[];
  availabilityZones: string[];
  vpcZoneIdentifier?: string;
}

/**
 * Subnets named by VPCZoneIdentifier (comma-separated) win; otherwise each Availability Zone
 * launches into its default subnet.
 */
export function resolvePlacement(
  ports: AutoScalingPorts,
  scope: Scope,
  vpcZoneIdentifier: string | undefined,
  availabilityZones: readonly string[] | undefined,
): Placement {
  const subnetIds = (vpcZoneIdentifier ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (subnetIds.length > 0) {
    const found = ports.ec2.describeSubnets(scope, subnetIds);
    for (const id of subnetIds) {
      if (!found.some((subnet) => subnet.subnetId === id))
        throw validationError(`The subnet ID '${id}' does not exist`);
    }
    const subnets = subnetIds.map((id) => {
      const subnet = found.find((candidate) => candidate.subnetId === id)!;
      return { subnetId: subnet.subnetId, availabilityZone: subnet.availabilityZone };
    });
    return {
      subnets,
      availabilityZones: [...new Set(subnets.map((subnet) => subnet.availabilityZone))],
      vpcZoneIdentifier: subnetIds.join(','),
    };
  }
  const zones = [...new Set(availabilityZones ?? [])];
  if (zones.length === 0) throw validationError('At least one Availability Zone or VPC Subnet is required.');
  const known = ports.ec2.availabilityZones(scope);
  const subnets = zones.map((zone) => {
    // UNCONFIRMED wording for an unknown zone; the default-subnet message is AWS's.
    if (!known.includes(zone)) throw validationError(`Invalid Availability Zone: ${zone}`);
    const subnet = ports.ec2.defaultSubnet(scope, zone);
    if (!subnet) throw validationError(`No default subnet for availability zone: '${zone}'.`);
    return { subnetId: subnet.subnetId, availabilityZone: zone };
  });
  return { subnets, availabilityZones: zones };
}

export function validateHealthCheckType(type: string): void {
  for (const part of type.split(',')) {
    // UNCONFIRMED wording.
    if (!HEALTH_CHECK_TYPES.includes(part.trim())) throw validationError(`Invalid health check type: ${part}`);
  }
}

/** Tags of CreateAutoScalingGroup / CreateOrUpdateTags, merged into the group's by key. */
export function mergeTags(current: readonly GroupTag[], tags: readonly Tag[], groupName: string): GroupTag[] {
  const out = [...current];
  for (const tag of tags) {
    const key = tag.Key ?? '';
    // UNCONFIRMED wording; AWS reserves the aws: prefix for its own tags.
    if (key.toLowerCase().startsWith('aws:'))
      throw validationError(`Tag keys starting with 'aws:' are reserved for internal use.`);
    const next = { key, value: tag.Value ?? '', propagateAtLaunch: tag.PropagateAtLaunch ?? false };
    const at = out.findIndex((existing) => existing.key === key);
    if (at === -1) out.push(next);
    else out[at] = next;
  }
  if (out.length > MAX_TAGS_PER_GROUP) {
    throw limitExceeded(
      `The number of tags for AutoScalingGroup ${groupName} would exceed the limit of ${MAX_TAGS_PER_GROUP}.`,
    );
  }
  return out;
}

/** Target groups must exist in ELBv2; AWS's own refusal when one does not. */
export function checkTargetGroups(ports: AutoScalingPorts, scope: Scope, arns: readonly string[], total: number): void {
  if (arns.length > 0 && ports.targetGroups.missing(scope, [...arns]).length > 0) {
    throw validationError('Provided Target Groups may not be valid. Please ensure they exist and try again.');
  }
  if (total > MAX_TARGET_GROUPS_PER_GROUP) {
    throw limitExceeded(
      `You have reached the limit of ${MAX_TARGET_GROUPS_PER_GROUP} target groups per AutoScalingGroup.`,
    );
  }
}

/** A hook target or notification topic must accept the test message (A.2). */
export function checkNotificationTarget(
  ports: AutoScalingPorts,
  scope: Scope,
  targetArn: string,
  roleArn: string | undefined,
  what: 'lifecycle hook' | 'notification configuration',
): void {
  if (ports.notificationTargets.canDeliver(scope, targetArn)) return;
  const role = roleArn ? ` using IAM role ${roleArn}` : '';
  throw validationError(
    `Unable to publish test message to notification target ${targetArn}${role}. Please check your target and role configuration and try to put ${what} again.`,
  );
}

export function groupAlreadyExists(name: string): Error {
  return alreadyExists(`AutoScalingGroup by this name already exists - A group with the name ${name} already exists`);
}
