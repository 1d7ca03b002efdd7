/**
 * Wire adapter for the group's instances: DescribeAutoScalingInstances,
 * TerminateInstanceInAutoScalingGroup, Attach/DetachInstances, Enter/ExitStandby,
 * SetInstanceHealth and SetInstanceProtection (A.6). The requests start the instance's move and
 * its activity; deregistration, draining, hooks and EC2 follow in the group controller.
 */
import type {
  ActivityType,
  AttachInstancesQuery,
  AutoScalingInstancesType,
  DescribeAutoScalingInstancesType,
  DetachInstancesAnswer,
  DetachInstancesQuery,
  EnterStandbyAnswer,
  EnterStandbyQuery,
  ExitStandbyAnswer,
  ExitStandbyQuery,
  SetInstanceHealthQuery,
  SetInstanceProtectionQuery,
  TerminateInstanceInAutoScalingGroupType,
} from '@aws-sdk/client-auto-scaling';
import type { OperationHandler } from '../../kernel/operation.js';
import { activityKey, toActivity } from './activity.js';
import { desiredOutOfBounds, instanceNotFound, limitExceeded, validationError } from './errors.js';
import type { AutoScalingGroupRecord } from './group.js';
import type { InstanceRecord } from './instance.js';
import { toAutoScalingInstance } from './instance.js';
import { countsTowardCapacity, isPending, isTerminating } from './instance-lifecycle.js';
import type { InstanceChange } from './instance-request.js';
import {
  attachInstance,
  requestDetach,
  requestExitStandby,
  requestStandby,
  requestTermination,
} from './instance-request.js';
import type { OperationsSupport } from './operations-support.js';
import { checkMaxRecords, page } from './operations-support.js';
import { scopePrefix } from './store.js';

/** DescribeAutoScalingInstances: 50 a page at most (`M:asg`). */
const MAX_INSTANCE_RECORDS = 50;
const MAX_PROTECTION_IDS = 50;

export function instanceOperations(support: OperationsSupport) {
  const { instances, activities } = support.tables;

  /** The activity an instance's running launch was tracked by ends when a user request takes over. */
  const cancelRunningLaunch = (instance: InstanceRecord, nowMs: number) => {
    if (!isPending(instance.lifecycleState) || !instance.activityId) return;
    const key = activityKey(instance.accountId, instance.region, instance.activityId);
    const activity = activities.get(key);
    if (activity && activity.endTimeMs === undefined) {
      activities.put(key, { ...activity, statusCode: 'Cancelled', progress: 100, endTimeMs: nowMs });
    }
  };

  const write = (changes: readonly InstanceChange[]) => {
    for (const change of changes) {
      support.putInstance(change.instance);
      const { activity } = change;
      activities.put(activityKey(activity.accountId, activity.region, activity.activityId), activity);
    }
  };

  /** Every id must name an instance of this group (UNCONFIRMED wording for one that does not). */
  const requireMembers = (group: AutoScalingGroupRecord, ids: readonly string[]): InstanceRecord[] =>
    [...new Set(ids)].map((id) => {
      const instance = instances.get(`${scopePrefix(group.accountId, group.region)}${id}`);
      if (!instance || instance.autoScalingGroupName !== group.autoScalingGroupName) {
        throw validationError(`The instance ${id} is not part of Auto Scaling group ${group.autoScalingGroupName}.`);
      }
      return instance;
    });

  const DescribeAutoScalingInstances: OperationHandler<DescribeAutoScalingInstancesType, AutoScalingInstancesType> = (
    input,
    ctx,
  ) => {
    checkMaxRecords(input.MaxRecords, MAX_INSTANCE_RECORDS);
    const ids = input.InstanceIds ?? [];
    const selected = instances
      .withPrefix(scopePrefix(ctx.accountId, ctx.region))
      .filter((instance) => ids.length === 0 || ids.includes(instance.instanceId));
    const result = page(
      selected,
      (instance) => instance.instanceId,
      input.MaxRecords ?? MAX_INSTANCE_RECORDS,
      input.NextToken,
    );
    return { AutoScalingInstances: result.items.map(toAutoScalingInstance), NextToken: result.nextToken };
  };

  const TerminateInstanceInAutoScalingGroup: OperationHandler<TerminateInstanceInAutoScalingGroupType, ActivityType> = (
    input,
    ctx,
  ) => {
    const instance = support.findInstance(ctx, input.InstanceId!);
    if (!instance) throw instanceNotFound(input.InstanceId!);
    const group = support.requireLiveGroup(ctx, instance.autoScalingGroupName);
    if (isTerminating(instance.lifecycleState) || instance.lifecycleState === 'Terminated') {
      // Already on its way out: AWS answers with the activity that is terminating it.
      const running = instance.activityId
        ? activities.get(activityKey(ctx.accountId, ctx.region, instance.activityId))
        : undefined;
      if (running) return { Activity: toActivity(running, false) };
      throw instanceNotFound(instance.instanceId);
    }
    if (instance.lifecycleState === 'Detaching' || instance.lifecycleState === 'Detached') {
      throw instanceNotFound(instance.instanceId);
    }
    const decrement = input.ShouldDecrementDesiredCapacity! && countsTowardCapacity(instance.lifecycleState);
    if (decrement && group.desiredCapacity - 1 < group.minSize) {
      // UNCONFIRMED wording.
      throw validationError(
        `Currently, desiredCapacity=${group.desiredCapacity} and minSize=${group.minSize}, so can't decrement desiredCapacity.`,
      );
    }
    const nowMs = support.nowMs();
    const shrink = decrement ? { from: group.desiredCapacity, to: group.desiredCapacity - 1 } : undefined;
    const change = requestTermination(group, instance, support.uuid(), nowMs, shrink);
    support.commit(group, () => {
      cancelRunningLaunch(instance, nowMs);
      write([change]);
      if (decrement) support.putGroup({ ...group, desiredCapacity: group.desiredCapacity - 1 });
    });
    return { Activity: toActivity(change.activity, false) };
  };

  const AttachInstances: OperationHandler<AttachInstancesQuery, object> = (input, ctx) => {
    const group = support.requireLiveGroup(ctx, input.AutoScalingGroupName!);
    const ids = [...new Set(input.InstanceIds ?? [])];
    if (ids.length === 0) return {};
    const scope = support.scope(ctx);
    const views = ids.map((id) => {
      const view = support.ports.ec2.instance(scope, id);
      // UNCONFIRMED wordings; "is already part of AutoScalingGroup" is AWS's.
      if (!view || view.state === 'terminated' || view.state === 'shutting-down') {
        throw validationError(`Instance ${id} is not in a valid state to be attached.`);
      }
      if (view.state !== 'running') throw validationError(`Instance ${id} is not in the running state.`);
      const member = support.findInstance(ctx, id);
      if (member)
        throw validationError(`The instance ${id} is already part of AutoScalingGroup ${member.autoScalingGroupName}.`);
      if (!group.availabilityZones.includes(view.availabilityZone)) {
        throw validationError(
          `The instance ${id} is not in an Availability Zone of AutoScalingGroup ${group.autoScalingGroupName}.`,
        );
      }
      return view;
    });
    const desired = group.desiredCapacity + views.length;
    if (desired > group.maxSize) throw desiredOutOfBounds(desired, group.minSize, group.maxSize);
    const nowMs = support.nowMs();
    const changes = views.map((view) => attachInstance(group, view, support.uuid(), nowMs, desired));
    support.commit(group, () => {
      write(changes);
      support.putGroup({ ...group, desiredCapacity: desired });
    });
    return {};
  };

  const DetachInstances: OperationHandler<DetachInstancesQuery, DetachInstancesAnswer> = (input, ctx) => {
    const group = support.requireLiveGroup(ctx, input.AutoScalingGroupName!);
    const members = requireMembers(group, input.InstanceIds ?? []);
    for (const instance of members) {
      if (instance.lifecycleState !== 'InService' && instance.lifecycleState !== 'Standby') {
        throw validationError(`The instance ${instance.instanceId} is not in InService or Standby.`);
      }
    }
    const counted = members.filter((instance) => instance.lifecycleState === 'InService').length;
    const decrement = input.ShouldDecrementDesiredCapacity!;
    const desired = decrement ? group.desiredCapacity - counted : group.desiredCapacity;
    if (desired < group.minSize) {
      // A.6: "must not drop below MinSize (decrement Min first)"; UNCONFIRMED wording.
      throw validationError(
        `The number of instances to detach would reduce the desired capacity of AutoScalingGroup ${group.autoScalingGroupName} below its minimum size of ${group.minSize}.`,
      );
    }
    const nowMs = support.nowMs();
    let running = group.desiredCapacity;
    const changes = members.map((instance) => {
      const shrink =
        decrement && instance.lifecycleState === 'InService' ? { from: running, to: (running -= 1) } : undefined;
      return requestDetach(group, instance, support.uuid(), nowMs, shrink);
    });
    support.commit(group, () => {
      write(changes);
      if (desired !== group.desiredCapacity) support.putGroup({ ...group, desiredCapacity: desired });
    });
    return { Activities: changes.map((change) => toActivity(change.activity, false)) };
  };

  const EnterStandby: OperationHandler<EnterStandbyQuery, EnterStandbyAnswer> = (input, ctx) => {
    const group = support.requireLiveGroup(ctx, input.AutoScalingGroupName!);
    const members = requireMembers(group, input.InstanceIds ?? []);
    for (const instance of members) {
      if (instance.lifecycleState !== 'InService') {
        throw validationError(`The instance ${instance.instanceId} is not in InService.`);
      }
    }
    const decrement = input.ShouldDecrementDesiredCapacity!;
    const desired = decrement ? group.desiredCapacity - members.length : group.desiredCapacity;
    if (desired < group.minSize) {
      // UNCONFIRMED wording.
      throw validationError(
        `Cannot move ${members.length} instance(s) to Standby with ShouldDecrementDesiredCapacity: the desired capacity would drop below the minimum size of ${group.minSize}.`,
      );
    }
    const nowMs = support.nowMs();
    let running = group.desiredCapacity;
    const changes = members.map((instance) => {
      const shrink = decrement ? { from: running, to: (running -= 1) } : undefined;
      return requestStandby(group, instance, support.uuid(), nowMs, shrink);
    });
    support.commit(group, () => {
      write(changes);
      if (desired !== group.desiredCapacity) support.putGroup({ ...group, desiredCapacity: desired });
    });
    return { Activities: changes.map((change) => toActivity(change.activity, false)) };
  };

  const ExitStandby: OperationHandler<ExitStandbyQuery, ExitStandbyAnswer> = (input, ctx) => {
    const group = support.requireLiveGroup(ctx, input.AutoScalingGroupName!);
    const members = requireMembers(group, input.InstanceIds ?? []);
    for (const instance of members) {
      if (instance.lifecycleState !== 'Standby')
        throw validationError(`The instance ${instance.instanceId} is not in Standby.`);
    }
    // Desired grows by one per instance; at MaxSize it stops there and the group scales in by
    // its termination policy instead ("the group now has more instances than desired", A.6).
    const nowMs = support.nowMs();
    let running = group.desiredCapacity;
    const changes = members.map((instance) => {
      const from = running;
      running = Math.min(group.maxSize, running + 1);
      return requestExitStandby(group, instance, support.uuid(), nowMs, from, from + 1);
    });
    support.commit(group, () => {
      write(changes);
      if (running !== group.desiredCapacity) support.putGroup({ ...group, desiredCapacity: running });
    });
    return { Activities: changes.map((change) => toActivity(change.activity, false)) };
  };

  const SetInstanceHealth: OperationHandler<SetInstanceHealthQuery, object> = (input, ctx) => {
    const instance = support.findInstance(ctx, input.InstanceId!);
    if (!instance || instance.lifecycleState === 'Terminated' || instance.lifecycleState === 'Detached') {
      throw instanceNotFound(input.InstanceId!);
    }
    const status = input.HealthStatus!;
    if (status !== 'Healthy' && status !== 'Unhealthy') {
      // UNCONFIRMED wording.
      throw validationError(`Valid values for HealthStatus are Healthy and Unhealthy, not ${status}.`);
    }
    const group = support.requireGroup(ctx, instance.autoScalingGroupName);
    const respectGrace = input.ShouldRespectGracePeriod ?? true;
    const graceEndsAtMs = (instance.inServiceAtMs ?? 0) + group.healthCheckGracePeriodS * 1000;
    // During the grace period a call that respects it is accepted and ignored (`M:asg`).
    if (respectGrace && status === 'Unhealthy' && support.nowMs() < graceEndsAtMs) return {};
    const next: InstanceRecord = { ...instance, healthStatus: status };
    if (status === 'Unhealthy') next.unhealthyCause = 'user';
    else delete next.unhealthyCause;
    support.commit(group, () => support.putInstance(next));
    return {};
  };

  const SetInstanceProtection: OperationHandler<SetInstanceProtectionQuery, object> = (input, ctx) => {
    const group = support.requireLiveGroup(ctx, input.AutoScalingGroupName!);
    const ids = input.InstanceIds ?? [];
    if (ids.length > MAX_PROTECTION_IDS) {
      // UNCONFIRMED wording; the limit is the model's.
      throw limitExceeded(`The number of instance IDs exceeds the limit of ${MAX_PROTECTION_IDS} per request.`);
    }
    const members = requireMembers(group, ids);
    for (const instance of members) {
      const state = instance.lifecycleState;
      if (state !== 'InService' && state !== 'EnteringStandby' && state !== 'Standby') {
        throw validationError(`The instance ${instance.instanceId} is not in InService or EnteringStandby or Standby.`);
      }
    }
    const protectedFromScaleIn = input.ProtectedFromScaleIn!;
    support.commit(group, () => {
      for (const instance of members) support.putInstance({ ...instance, protectedFromScaleIn });
    });
    return {};
  };

  return {
    DescribeAutoScalingInstances,
    TerminateInstanceInAutoScalingGroup,
    AttachInstances,
    DetachInstances,
    EnterStandby,
    ExitStandby,
    SetInstanceHealth,
    SetInstanceProtection,
  };
}
