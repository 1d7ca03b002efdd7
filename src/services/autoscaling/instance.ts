/**
 * The group's record of one instance: its lifecycle state, health, scale-in protection, open
 * lifecycle actions and target-group registrations, plus the describe shapes
 * (DescribeAutoScalingGroups' Instances, DescribeAutoScalingInstances). EC2's own view of the
 * instance (running, terminated …) is read through the Ec2Port, not copied here.
 */
import type { AutoScalingInstanceDetails, Instance } from '@aws-sdk/client-auto-scaling';
import type { LifecycleState } from './instance-lifecycle.js';
import type { LifecycleActionRecord } from './lifecycle-action.js';

export type HealthStatus = 'Healthy' | 'Unhealthy';
/** Which check found the instance unhealthy; it decides the Cause of the replacement. */
export type UnhealthyCause = 'EC2' | 'ELB' | 'user';

export interface InstanceLaunchTemplate {
  launchTemplateId: string;
  launchTemplateName: string;
  version: string;
}

export interface InstanceRecord {
  accountId: string;
  region: string;
  instanceId: string;
  autoScalingGroupName: string;
  availabilityZone: string;
  subnetId: string;
  instanceType: string;
  launchTemplate?: InstanceLaunchTemplate;
  launchConfigurationName?: string;
  lifecycleState: LifecycleState;
  healthStatus: HealthStatus;
  unhealthyCause?: UnhealthyCause;
  protectedFromScaleIn: boolean;
  launchedAtMs: number;
  /** When it last entered InService: the health-check grace period counts from here. */
  inServiceAtMs?: number;
  /** The activity that tracks what is happening to the instance now (launch, termination …). */
  activityId?: string;
  /** Open (and resolved, until the wait ends) lifecycle actions of the current wait state. */
  lifecycleActions: LifecycleActionRecord[];
  registeredTargetGroups: string[];
  /** Target groups it was deregistered from that may still be draining its connections. */
  drainingTargetGroups: string[];
  /** When it was deregistered on its way out (terminating, standby, detach). */
  deregisteredAtMs?: number;
  /** Launch hooks do not run for attached instances nor for instances leaving standby (A.1). */
  skipLaunchHooks: boolean;
  /** Termination hooks do not run for a forced group delete (A.1). */
  runTerminateHooks: boolean;
  /** Termination hooks have run (or were skipped) for this termination. */
  terminateHooksDone?: boolean;
  ec2TerminateRequestedAtMs?: number;
}

/** Instances are keyed `<accountId>/<region>/<instanceId>` (ids are unique in a region). */
export function instanceKey(accountId: string, region: string, instanceId: string): string {
  return `${accountId}/${region}/${instanceId}`;
}

export function toGroupInstance(record: InstanceRecord): Instance {
  return {
    InstanceId: record.instanceId,
    InstanceType: record.instanceType,
    AvailabilityZone: record.availabilityZone,
    LifecycleState: record.lifecycleState,
    HealthStatus: record.healthStatus,
    LaunchConfigurationName: record.launchConfigurationName,
    LaunchTemplate: launchTemplateOf(record),
    ProtectedFromScaleIn: record.protectedFromScaleIn,
  };
}

/** DescribeAutoScalingInstances prints health in capitals (`"HEALTHY"`, `UG:asg/as-enter-exit-standby`). */
export function toAutoScalingInstance(record: InstanceRecord): AutoScalingInstanceDetails {
  return {
    InstanceId: record.instanceId,
    InstanceType: record.instanceType,
    AutoScalingGroupName: record.autoScalingGroupName,
    AvailabilityZone: record.availabilityZone,
    LifecycleState: record.lifecycleState,
    HealthStatus: record.healthStatus.toUpperCase(),
    LaunchConfigurationName: record.launchConfigurationName,
    LaunchTemplate: launchTemplateOf(record),
    ProtectedFromScaleIn: record.protectedFromScaleIn,
  };
}

function launchTemplateOf(record: InstanceRecord) {
  if (!record.launchTemplate) return undefined;
  return {
    LaunchTemplateId: record.launchTemplate.launchTemplateId,
    LaunchTemplateName: record.launchTemplate.launchTemplateName,
    Version: record.launchTemplate.version,
  };
}
