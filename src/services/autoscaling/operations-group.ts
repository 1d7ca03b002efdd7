/**
 * Wire adapter for the group itself: Create/Update/Delete/DescribeAutoScalingGroups,
 * SetDesiredCapacity, Suspend/ResumeProcesses and the cheap catalogue reads. Each handler checks
 * AWS's rules, records the new intent and enqueues the group; the controller converges.
 */
import type {
  AutoScalingGroupNamesType,
  AutoScalingGroupsType,
  CreateAutoScalingGroupType,
  DeleteAutoScalingGroupType,
  DescribeAccountLimitsAnswer,
  DescribeAdjustmentTypesAnswer,
  DescribeTerminationPolicyTypesAnswer,
  ProcessesType,
  ScalingProcessQuery,
  SetDesiredCapacityType,
  UpdateAutoScalingGroupType,
} from '@aws-sdk/client-auto-scaling';
import type { OperationHandler } from '../../kernel/operation.js';
import { cause } from './activity.js';
import { validateBounds, validateSetDesired } from './capacity.js';
import { limitExceeded, resourceInUse, scalingActivityInProgress, validationError } from './errors.js';
import type { AutoScalingGroupRecord } from './group.js';
import {
  DEFAULT_COOLDOWN_S,
  DEFAULT_HEALTH_CHECK_TYPE,
  DELETE_IN_PROGRESS,
  groupArn,
  isDeleting,
  KNOWN_FILTER_NAMES,
  matchesFilters,
  serviceLinkedRoleArn,
  toAutoScalingGroup,
} from './group.js';
import {
  checkNotificationTarget,
  checkTargetGroups,
  groupAlreadyExists,
  LAUNCH_SOURCE_REQUIRED,
  MAX_GROUPS_PER_REGION,
  mergeTags,
  requireLaunchConfiguration,
  resolveLaunchTemplate,
  resolvePlacement,
  validateHealthCheckType,
} from './group-configuration.js';
import { isPending } from './instance-lifecycle.js';
import { launchConfigurationKey, MAX_LAUNCH_CONFIGURATIONS } from './launch-configuration.js';
import { hooksFromSpecifications } from './lifecycle-hook.js';
import type { OperationsSupport } from './operations-support.js';
import { checkMaxRecords, page } from './operations-support.js';
import { isSuspended, processesNamed, resume, SCALING_PROCESSES, suspend } from './scaling-process.js';
import { TERMINATION_POLICY_TYPES, validateTerminationPolicies } from './termination-policy.js';
import { attach, targetGroupArnsOfTrafficSources } from './traffic-source.js';

const DEFAULT_MAX_RECORDS = 50;
const MAX_RECORDS_LIMIT = 100;
/** MaxInstanceLifetime is 0 (none) or at least a day (`M:asg`). */
const MIN_INSTANCE_LIFETIME_S = 86_400;

export function groupOperations(support: OperationsSupport) {
  const CreateAutoScalingGroup: OperationHandler<CreateAutoScalingGroupType, object> = (input, ctx) => {
    const name = input.AutoScalingGroupName!;
    const scope = support.scope(ctx);
    if (support.findGroup(ctx, name)) throw groupAlreadyExists(name);
    if (support.groupsInScope(ctx).length >= MAX_GROUPS_PER_REGION) {
      throw limitExceeded(
        `You have reached your limit of ${MAX_GROUPS_PER_REGION} Auto Scaling groups in this Region.`,
      );
    }
    const sources = [input.LaunchTemplate, input.LaunchConfigurationName, input.MixedInstancesPolicy, input.InstanceId];
    if (sources.filter((source) => source !== undefined).length !== 1) throw validationError(LAUNCH_SOURCE_REQUIRED);
    if (input.MixedInstancesPolicy !== undefined || input.InstanceId !== undefined) {
      const member = input.MixedInstancesPolicy !== undefined ? 'MixedInstancesPolicy' : 'InstanceId';
      throw validationError(
        `drydock does not support creating an AutoScalingGroup from ${member} yet; use LaunchTemplate or LaunchConfigurationName.`,
      );
    }
    const launchTemplate = input.LaunchTemplate
      ? resolveLaunchTemplate(support.ports, scope, input.LaunchTemplate)
      : undefined;
    if (input.LaunchConfigurationName !== undefined) {
      const key = launchConfigurationKey(ctx.accountId, ctx.region, input.LaunchConfigurationName);
      requireLaunchConfiguration(support.tables.launchConfigurations.has(key), input.LaunchConfigurationName);
    }
    const placement = resolvePlacement(support.ports, scope, input.VPCZoneIdentifier, input.AvailabilityZones);
    const min = input.MinSize!;
    const max = input.MaxSize!;
    const desired = input.DesiredCapacity ?? min;
    validateBounds(min, max, desired);
    const healthCheckType = input.HealthCheckType ?? DEFAULT_HEALTH_CHECK_TYPE;
    validateHealthCheckType(healthCheckType);
    const terminationPolicies = input.TerminationPolicies ?? ['Default'];
    validateTerminationPolicies(terminationPolicies);
    validateLifetime(input.MaxInstanceLifetime);
    const targetGroupArns = [
      ...(input.TargetGroupARNs ?? []),
      ...targetGroupArnsOfTrafficSources(input.TrafficSources ?? []),
    ];
    checkTargetGroups(support.ports, scope, targetGroupArns, new Set(targetGroupArns).size);
    const hooks = hooksFromSpecifications(name, input.LifecycleHookSpecificationList ?? []);
    for (const hook of hooks) {
      if (hook.notificationTargetArn) {
        checkNotificationTarget(support.ports, scope, hook.notificationTargetArn, hook.roleArn, 'lifecycle hook');
      }
    }
    const nowMs = support.nowMs();
    const group: AutoScalingGroupRecord = {
      accountId: ctx.accountId,
      region: ctx.region,
      autoScalingGroupName: name,
      autoScalingGroupArn: groupArn(ctx.accountId, ctx.region, support.uuid(), name),
      minSize: min,
      maxSize: max,
      desiredCapacity: desired,
      defaultCooldownS: input.DefaultCooldown ?? DEFAULT_COOLDOWN_S,
      availabilityZones: placement.availabilityZones,
      subnets: placement.subnets,
      healthCheckType,
      healthCheckGracePeriodS: input.HealthCheckGracePeriod ?? 0,
      tags: mergeTags([], input.Tags ?? [], name),
      createdAtMs: nowMs,
      terminationPolicies,
      newInstancesProtectedFromScaleIn: input.NewInstancesProtectedFromScaleIn ?? false,
      lifecycleHooks: hooks,
      notificationConfigurations: [],
      targetGroups: attach([], [...new Set(targetGroupArns)]),
      suspendedProcesses: [],
      launchFailureCount: 0,
      pendingTestNotifications: hooks.flatMap((hook) =>
        hook.notificationTargetArn ? [{ targetArn: hook.notificationTargetArn }] : [],
      ),
      serviceLinkedRoleArn: input.ServiceLinkedRoleARN ?? serviceLinkedRoleArn(ctx.accountId),
      capacityRebalance: input.CapacityRebalance ?? false,
    };
    if (desired > 0) group.pendingCause = cause.createdGroup(nowMs, 0, desired);
    if (placement.vpcZoneIdentifier !== undefined) group.vpcZoneIdentifier = placement.vpcZoneIdentifier;
    if (launchTemplate) group.launchTemplate = launchTemplate;
    if (input.LaunchConfigurationName !== undefined) group.launchConfigurationName = input.LaunchConfigurationName;
    setOptional(group, input);
    support.commit(group, () => support.putGroup(group));
    return {};
  };

  const UpdateAutoScalingGroup: OperationHandler<UpdateAutoScalingGroupType, object> = (input, ctx) => {
    const current = support.requireLiveGroup(ctx, input.AutoScalingGroupName!);
    const scope = support.scope(ctx);
    const next: AutoScalingGroupRecord = { ...current };
    if (input.LaunchTemplate !== undefined && input.LaunchConfigurationName !== undefined) {
      throw validationError(LAUNCH_SOURCE_REQUIRED);
    }
    if (input.MixedInstancesPolicy !== undefined) {
      throw validationError(
        'drydock does not support MixedInstancesPolicy yet; use LaunchTemplate or LaunchConfigurationName.',
      );
    }
    if (input.LaunchTemplate !== undefined) {
      next.launchTemplate = resolveLaunchTemplate(support.ports, scope, input.LaunchTemplate);
      delete next.launchConfigurationName;
    }
    if (input.LaunchConfigurationName !== undefined) {
      const key = launchConfigurationKey(ctx.accountId, ctx.region, input.LaunchConfigurationName);
      requireLaunchConfiguration(support.tables.launchConfigurations.has(key), input.LaunchConfigurationName);
      next.launchConfigurationName = input.LaunchConfigurationName;
      delete next.launchTemplate;
    }
    if (input.VPCZoneIdentifier !== undefined || input.AvailabilityZones !== undefined) {
      const placement = resolvePlacement(support.ports, scope, input.VPCZoneIdentifier, input.AvailabilityZones);
      next.subnets = placement.subnets;
      next.availabilityZones = placement.availabilityZones;
      if (placement.vpcZoneIdentifier !== undefined) next.vpcZoneIdentifier = placement.vpcZoneIdentifier;
      else delete next.vpcZoneIdentifier;
    }
    // "If you specify a new MinSize larger than the current desired capacity without a
    // DesiredCapacity, the desired capacity is raised to it" (and likewise for a smaller MaxSize).
    const min = input.MinSize ?? current.minSize;
    const max = input.MaxSize ?? current.maxSize;
    let desired = input.DesiredCapacity ?? current.desiredCapacity;
    if (input.DesiredCapacity === undefined && min <= max) desired = Math.min(max, Math.max(min, desired));
    validateBounds(min, max, desired);
    next.minSize = min;
    next.maxSize = max;
    next.desiredCapacity = desired;
    if (input.HealthCheckType !== undefined) {
      validateHealthCheckType(input.HealthCheckType);
      next.healthCheckType = input.HealthCheckType;
    }
    if (input.TerminationPolicies !== undefined) {
      validateTerminationPolicies(input.TerminationPolicies);
      next.terminationPolicies = input.TerminationPolicies.length > 0 ? input.TerminationPolicies : ['Default'];
    }
    validateLifetime(input.MaxInstanceLifetime);
    if (input.HealthCheckGracePeriod !== undefined) next.healthCheckGracePeriodS = input.HealthCheckGracePeriod;
    if (input.DefaultCooldown !== undefined) next.defaultCooldownS = input.DefaultCooldown;
    if (input.NewInstancesProtectedFromScaleIn !== undefined) {
      next.newInstancesProtectedFromScaleIn = input.NewInstancesProtectedFromScaleIn;
    }
    if (input.CapacityRebalance !== undefined) next.capacityRebalance = input.CapacityRebalance;
    if (input.ServiceLinkedRoleARN !== undefined) next.serviceLinkedRoleArn = input.ServiceLinkedRoleARN;
    setOptional(next, input);
    if (desired !== current.desiredCapacity) {
      next.pendingCause = cause.updatedGroup(support.nowMs(), min, max, desired, current.desiredCapacity);
    }
    // A new launch source or placement may make a failing launch succeed: retry at once.
    delete next.launchRetryAtMs;
    support.commit(next, () => support.putGroup(next));
    return {};
  };

  const DeleteAutoScalingGroup: OperationHandler<DeleteAutoScalingGroupType, object> = (input, ctx) => {
    const group = support.requireGroup(ctx, input.AutoScalingGroupName!);
    const force = input.ForceDelete ?? false;
    if (isDeleting(group)) {
      if (force && !group.forceDelete) support.commit(group, () => support.putGroup({ ...group, forceDelete: true }));
      return {};
    }
    const instances = support.instancesOf(group);
    if (!force) {
      if (instances.length > 0) {
        throw resourceInUse(
          'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.',
        );
      }
      if (group.desiredCapacity > 0 && !isSuspended(group.suspendedProcesses, 'Launch')) {
        throw scalingActivityInProgress(
          'You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.',
        );
      }
    }
    const next: AutoScalingGroupRecord = { ...group, status: DELETE_IN_PROGRESS, forceDelete: force };
    support.commit(next, () => support.putGroup(next));
    return {};
  };

  const DescribeAutoScalingGroups: OperationHandler<AutoScalingGroupNamesType, AutoScalingGroupsType> = (
    input,
    ctx,
  ) => {
    checkMaxRecords(input.MaxRecords, MAX_RECORDS_LIMIT);
    for (const filter of input.Filters ?? []) {
      const name = filter.Name ?? '';
      if (!KNOWN_FILTER_NAMES.includes(name) && !name.startsWith('tag:')) {
        throw validationError(`The filter '${name}' is not valid.`);
      }
    }
    const names = input.AutoScalingGroupNames ?? [];
    const selected = support
      .groupsInScope(ctx)
      .filter(
        (record) =>
          (names.length === 0 || names.includes(record.autoScalingGroupName)) &&
          matchesFilters(record, input.Filters ?? []),
      );
    const result = page(
      selected,
      (record) => record.autoScalingGroupName,
      input.MaxRecords ?? DEFAULT_MAX_RECORDS,
      input.NextToken,
    );
    return {
      AutoScalingGroups: result.items.map((record) => toAutoScalingGroup(record, support.instancesOf(record))),
      NextToken: result.nextToken,
    };
  };

  const SetDesiredCapacity: OperationHandler<SetDesiredCapacityType, object> = (input, ctx) => {
    const group = support.requireLiveGroup(ctx, input.AutoScalingGroupName!);
    const desired = input.DesiredCapacity!;
    validateSetDesired(desired, group.minSize, group.maxSize);
    if (input.HonorCooldown) {
      // A.5: with HonorCooldown the request waits for the cooldown (and for activities in
      // flight) by being refused; without it manual scaling ignores the cooldown. Launches in
      // flight (launch hooks included) count; terminations only until they are drained, since
      // the cooldown does not wait for termination hooks.
      const busy = support
        .instancesOf(group)
        .some(
          (instance) =>
            isPending(instance.lifecycleState) ||
            (instance.lifecycleState === 'Terminating' &&
              instance.registeredTargetGroups.length + instance.drainingTargetGroups.length > 0),
        );
      if (busy || support.nowMs() < (group.cooldownEndsAtMs ?? 0)) {
        // UNCONFIRMED wording.
        throw scalingActivityInProgress(
          `Scaling activity is in progress or the cooldown period is in effect for AutoScalingGroup ${group.autoScalingGroupName}.`,
        );
      }
    }
    if (desired === group.desiredCapacity) return {};
    const next: AutoScalingGroupRecord = {
      ...group,
      desiredCapacity: desired,
      pendingCause: cause.setDesired(support.nowMs(), group.desiredCapacity, desired),
    };
    support.commit(next, () => support.putGroup(next));
    return {};
  };

  const SuspendProcesses: OperationHandler<ScalingProcessQuery, object> = (input, ctx) => {
    const group = support.requireGroup(ctx, input.AutoScalingGroupName!);
    if (isDeleting(group)) {
      throw validationError('Processes may not be suspended while the AutoScaling group is pending delete');
    }
    const names = processesNamed(input.ScalingProcesses);
    const next = { ...group, suspendedProcesses: suspend(group.suspendedProcesses, names, support.nowMs()) };
    support.commit(next, () => support.putGroup(next));
    return {};
  };

  const ResumeProcesses: OperationHandler<ScalingProcessQuery, object> = (input, ctx) => {
    const group = support.requireGroup(ctx, input.AutoScalingGroupName!);
    const names = processesNamed(input.ScalingProcesses);
    const next = { ...group, suspendedProcesses: resume(group.suspendedProcesses, names) };
    support.commit(next, () => support.putGroup(next));
    return {};
  };

  const DescribeScalingProcessTypes: OperationHandler<object, ProcessesType> = () => ({
    Processes: SCALING_PROCESSES.map((name) => ({ ProcessName: name })),
  });

  const DescribeTerminationPolicyTypes: OperationHandler<object, DescribeTerminationPolicyTypesAnswer> = () => ({
    TerminationPolicyTypes: [...TERMINATION_POLICY_TYPES],
  });

  const DescribeAdjustmentTypes: OperationHandler<object, DescribeAdjustmentTypesAnswer> = () => ({
    AdjustmentTypes: ['ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity'].map((type) => ({
      AdjustmentType: type,
    })),
  });

  const DescribeAccountLimits: OperationHandler<object, DescribeAccountLimitsAnswer> = (_input, ctx) => ({
    MaxNumberOfAutoScalingGroups: MAX_GROUPS_PER_REGION,
    MaxNumberOfLaunchConfigurations: MAX_LAUNCH_CONFIGURATIONS,
    NumberOfAutoScalingGroups: support.groupsInScope(ctx).length,
    NumberOfLaunchConfigurations: support.tables.launchConfigurations.withPrefix(`${ctx.accountId}/${ctx.region}/`)
      .length,
  });

  return {
    CreateAutoScalingGroup,
    UpdateAutoScalingGroup,
    DeleteAutoScalingGroup,
    DescribeAutoScalingGroups,
    SetDesiredCapacity,
    SuspendProcesses,
    ResumeProcesses,
    DescribeScalingProcessTypes,
    DescribeTerminationPolicyTypes,
    DescribeAdjustmentTypes,
    DescribeAccountLimits,
  };
}

function validateLifetime(seconds: number | undefined): void {
  if (seconds === undefined || seconds === 0 || seconds >= MIN_INSTANCE_LIFETIME_S) return;
  // UNCONFIRMED wording; the rule is the model's ("null, 0, or at least 86400").
  throw validationError(
    `The maximum instance lifetime must be equal to 0 or between ${MIN_INSTANCE_LIFETIME_S} and 31536000 seconds.`,
  );
}

/** Members stored as given and only echoed back by DescribeAutoScalingGroups. */
function setOptional(
  group: AutoScalingGroupRecord,
  input: Pick<
    CreateAutoScalingGroupType,
    'DefaultInstanceWarmup' | 'MaxInstanceLifetime' | 'PlacementGroup' | 'Context' | 'DesiredCapacityType'
  >,
): void {
  if (input.DefaultInstanceWarmup !== undefined) {
    // `-1` clears the warmup (`M:asg`).
    if (input.DefaultInstanceWarmup < 0) delete group.defaultInstanceWarmupS;
    else group.defaultInstanceWarmupS = input.DefaultInstanceWarmup;
  }
  if (input.MaxInstanceLifetime !== undefined) group.maxInstanceLifetimeS = input.MaxInstanceLifetime;
  if (input.PlacementGroup !== undefined) group.placementGroup = input.PlacementGroup;
  if (input.Context !== undefined) group.context = input.Context;
  if (input.DesiredCapacityType !== undefined) group.desiredCapacityType = input.DesiredCapacityType;
}
