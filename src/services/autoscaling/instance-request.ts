/**
 * What a user request does to one instance, as pure functions the operations call: terminate,
 * enter or exit standby, detach, attach (A.6). Each returns the instance's new record and the
 * activity AWS starts for it; the group controller carries the instance on from there
 * (deregistration, draining, hooks, EC2). Lifecycle hooks do not run for standby moves, detach
 * or attach (A.1).
 */
import type { ActivityKind, ActivityRecord, ActivityStatusCode } from './activity.js';
import {
  cause,
  describeAttach,
  describeDetach,
  describeEnterStandby,
  describeExitStandby,
  describeTerminate,
} from './activity.js';
import type { AutoScalingGroupRecord } from './group.js';
import type { InstanceRecord } from './instance.js';
import { requireNextLifecycleState } from './instance-lifecycle.js';
import type { Ec2InstanceView } from './ports.js';

export interface InstanceChange {
  instance: InstanceRecord;
  activity: ActivityRecord;
}

interface Shrink {
  from: number;
  to: number;
}

export function requestTermination(
  group: AutoScalingGroupRecord,
  instance: InstanceRecord,
  activityId: string,
  nowMs: number,
  shrink: Shrink | undefined,
): InstanceChange {
  const activity = newActivity(group, instance, activityId, nowMs, 'terminate', {
    description: describeTerminate(instance.instanceId),
    cause: cause.userTerminated(nowMs, instance.instanceId, shrink),
    statusCode: 'InProgress',
    progress: 0,
  });
  return {
    instance: {
      ...instance,
      lifecycleState: requireNextLifecycleState(instance.lifecycleState, 'TerminationStarted'),
      lifecycleActions: [],
      activityId,
      runTerminateHooks: true,
      terminateHooksDone: false,
    },
    activity,
  };
}

export function requestStandby(
  group: AutoScalingGroupRecord,
  instance: InstanceRecord,
  activityId: string,
  nowMs: number,
  shrink: Shrink | undefined,
): InstanceChange {
  const activity = newActivity(group, instance, activityId, nowMs, 'enter-standby', {
    description: describeEnterStandby(instance.instanceId),
    cause: cause.enteredStandby(nowMs, instance.instanceId, shrink),
    statusCode: 'InProgress',
    progress: 50,
  });
  return {
    instance: {
      ...instance,
      lifecycleState: requireNextLifecycleState(instance.lifecycleState, 'StandbyRequested'),
      activityId,
    },
    activity,
  };
}

/** Back through Pending: registered with the target groups again, no launch hooks (A.1, A.6). */
export function requestExitStandby(
  group: AutoScalingGroupRecord,
  instance: InstanceRecord,
  activityId: string,
  nowMs: number,
  from: number,
  to: number,
): InstanceChange {
  const activity = newActivity(group, instance, activityId, nowMs, 'exit-standby', {
    description: describeExitStandby(instance.instanceId),
    cause: cause.exitedStandby(nowMs, instance.instanceId, from, to),
    statusCode: 'PreInService',
    progress: 30,
  });
  return {
    instance: {
      ...instance,
      lifecycleState: requireNextLifecycleState(instance.lifecycleState, 'StandbyExited'),
      activityId,
      skipLaunchHooks: true,
    },
    activity,
  };
}

/** Detached instances lose their scale-in protection setting (`UG:asg/detach-instance-asg`). */
export function requestDetach(
  group: AutoScalingGroupRecord,
  instance: InstanceRecord,
  activityId: string,
  nowMs: number,
  shrink: Shrink | undefined,
): InstanceChange {
  const activity = newActivity(group, instance, activityId, nowMs, 'detach', {
    description: describeDetach(instance.instanceId),
    cause: cause.detached(nowMs, instance.instanceId, shrink),
    statusCode: 'InProgress',
    progress: 50,
  });
  return {
    instance: {
      ...instance,
      lifecycleState: requireNextLifecycleState(instance.lifecycleState, 'DetachRequested'),
      protectedFromScaleIn: false,
      activityId,
    },
    activity,
  };
}

/** An attached instance inherits the group's protection setting and enters through Pending. */
export function attachInstance(
  group: AutoScalingGroupRecord,
  view: Ec2InstanceView,
  activityId: string,
  nowMs: number,
  newDesired: number,
): InstanceChange {
  const instance: InstanceRecord = {
    accountId: group.accountId,
    region: group.region,
    instanceId: view.instanceId,
    autoScalingGroupName: group.autoScalingGroupName,
    availabilityZone: view.availabilityZone,
    subnetId: view.subnetId,
    instanceType: view.instanceType,
    lifecycleState: 'Pending',
    healthStatus: 'Healthy',
    protectedFromScaleIn: group.newInstancesProtectedFromScaleIn,
    launchedAtMs: view.launchTimeMs,
    activityId,
    lifecycleActions: [],
    registeredTargetGroups: [],
    drainingTargetGroups: [],
    skipLaunchHooks: true,
    runTerminateHooks: true,
  };
  if (view.launchTemplate) instance.launchTemplate = view.launchTemplate;
  const activity = newActivity(group, instance, activityId, nowMs, 'attach', {
    description: describeAttach(view.instanceId),
    cause: cause.attached(nowMs, newDesired),
    statusCode: 'InProgress',
    progress: 50,
  });
  return { instance, activity };
}

function newActivity(
  group: AutoScalingGroupRecord,
  instance: InstanceRecord,
  activityId: string,
  nowMs: number,
  kind: ActivityKind,
  fields: { description: string; cause: string; statusCode: ActivityStatusCode; progress: number },
): ActivityRecord {
  return {
    activityId,
    accountId: group.accountId,
    region: group.region,
    autoScalingGroupName: group.autoScalingGroupName,
    autoScalingGroupArn: group.autoScalingGroupArn,
    kind,
    instanceId: instance.instanceId,
    startTimeMs: nowMs,
    details: { 'Subnet ID': instance.subnetId, 'Availability Zone': instance.availabilityZone },
    ...fields,
  };
}
