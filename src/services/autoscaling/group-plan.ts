/**
 * planGroup: the pure decision half of the group controller (Nomad's handleTaskGroup shape). From
 * a snapshot of one group — its record, its instances, EC2's and ELB's current view of them —
 * and the time, it computes one step of convergence toward the recorded intent: lifecycle
 * transitions (A.1), lifecycle actions opened and expired (A.3), health replacement, the next
 * step of an instance refresh (A.8, instance-refresh-plan.ts), scale-out and scale-in (A.6, A.7),
 * deregistration and draining before termination hooks, activities (A.9) and notifications
 * (A.4), and the next deadline to be woken at. No I/O: ids come from the snapshot's IdSource, so
 * the same snapshot always gives the same plan.
 */
import type { ActivityPatch } from './activity.js';
import { abandonedLaunchReason, ALL_PROTECTED_MESSAGE, cause, describeTerminate, sentences } from './activity.js';
import { planPlacements } from './capacity.js';
import { isDeleting } from './group.js';
import type { InstanceRecord } from './instance.js';
import { countsTowardCapacity, isPending, nextLifecycleState } from './instance-lifecycle.js';
import type { LifecycleActionRecord } from './lifecycle-action.js';
import { expireActions, openLifecycleAction, waitOutcome } from './lifecycle-action.js';
import type { LifecycleTransition } from './lifecycle-hook.js';
import { planInstanceRefresh, refreshReason } from './instance-refresh-plan.js';
import { hooksFor, LAUNCHING, TERMINATING } from './lifecycle-hook.js';
import type { ActivityOutcome } from './notification.js';
import type { Ec2State, GroupPlan, GroupSnapshot } from './plan-ledger.js';
import { PlanLedger } from './plan-ledger.js';
import { isSuspended } from './scaling-process.js';
import { selectForTermination } from './termination-policy.js';
import { activeTargetGroups } from './traffic-source.js';

export type {
  ActivityNotice,
  Ec2State,
  GroupPlan,
  GroupSnapshot,
  HookNotification,
  IdSource,
  PlannedLaunch,
  TargetChange,
  Transition,
} from './plan-ledger.js';

/** How often draining targets are checked again (TargetGroupsPort.isDraining is polled). */
export const DRAIN_POLL_MS = 5_000;
/** How often ELB target health is read for groups whose HealthCheckType includes ELB. */
export const ELB_HEALTH_POLL_MS = 30_000;
/** A safety net for EC2 facts (running, terminated) that should arrive through instanceStateChanged. */
export const EC2_POLL_MS = 60_000;
/** Failed launches are retried after 10 s, doubling up to 5 minutes. */
export const LAUNCH_RETRY_BASE_MS = 10_000;
export const LAUNCH_RETRY_MAX_MS = 300_000;
/**
 * Whether termination hooks run for an instance whose launch was abandoned. UNCONFIRMED in AWS's
 * documentation; drydock says no: the termination hook exists to drain work taken on in service,
 * and an abandoned launch never served.
 */
export const TERMINATE_HOOKS_AFTER_ABANDONED_LAUNCH = false;

/** EC2 states in which an instance fails the EC2 health check (A.5). */
const EC2_UNHEALTHY_STATES: readonly Ec2State[] = ['stopping', 'stopped', 'shutting-down', 'terminated'];

export function planGroup(snapshot: GroupSnapshot, nowMs: number): GroupPlan {
  const step = new PlanStep(snapshot, nowMs);
  step.forgetDrainedTargets();
  if (isDeleting(snapshot.group)) {
    step.planDeletion();
  } else {
    step.resolveWaits();
    step.checkHealth();
    step.replaceUnhealthy();
    step.advancePending();
    step.advanceExits();
    step.instanceRefresh();
    step.scale();
    step.reconcileAttachments();
  }
  step.sendTestNotifications();
  return step.finish();
}

class PlanStep extends PlanLedger {
  // ---- steps -------------------------------------------------------------------------------

  /** Targets that finished draining are forgotten, whatever the instance is doing. */
  forgetDrainedTargets(): void {
    for (const instance of this.list()) {
      if (instance.drainingTargetGroups.length === 0) continue;
      const still = instance.drainingTargetGroups.filter((arn) =>
        this.snapshot.draining.has(`${arn} ${instance.instanceId}`),
      );
      if (still.length !== instance.drainingTargetGroups.length) this.update(instance, { drainingTargetGroups: still });
    }
  }

  /** Lifecycle actions time out; a wait ends when its actions say so (A.3). */
  resolveWaits(): void {
    for (const instance of this.list()) {
      if (instance.lifecycleState !== 'Pending:Wait' && instance.lifecycleState !== 'Terminating:Wait') continue;
      const actions = expireActions(instance.lifecycleActions, this.nowMs);
      const outcome = waitOutcome(actions);
      if (outcome.kind === 'waiting') {
        if (actions.some((action, index) => action !== instance.lifecycleActions[index])) {
          this.update(instance, { lifecycleActions: actions });
        }
        this.deadlines.push(outcome.deadlineAtMs);
        continue;
      }
      if (instance.lifecycleState === 'Pending:Wait') {
        if (outcome.kind === 'CONTINUE') {
          this.transition(instance, 'LaunchContinued', { lifecycleActions: [] });
          this.patchActivity(instance, { statusCode: 'PreInService', progress: 50 });
        } else {
          this.abandonLaunch(instance, outcome.abandoned);
        }
      } else {
        this.transition(instance, 'TerminateHooksResolved', { lifecycleActions: [], terminateHooksDone: true });
        this.patchActivity(instance, { statusCode: 'InProgress', progress: 75 });
      }
    }
  }

  /** EC2 status always; ELB target health after the grace period when HealthCheckType says ELB (A.5). */
  checkHealth(): void {
    if (isSuspended(this.group.suspendedProcesses, 'HealthCheck')) return;
    const elbChecked = this.group.healthCheckType.split(',').includes('ELB');
    const hasTargetGroups = activeTargetGroups(this.group.targetGroups).length > 0;
    for (const instance of this.list()) {
      if (!countsTowardCapacity(instance.lifecycleState) || instance.healthStatus !== 'Healthy') continue;
      // An instance that is not running is unhealthy at once, even during the grace period.
      if (EC2_UNHEALTHY_STATES.includes(this.ec2State(instance))) {
        this.update(instance, { healthStatus: 'Unhealthy', unhealthyCause: 'EC2' });
        continue;
      }
      if (!elbChecked || !hasTargetGroups || instance.lifecycleState !== 'InService') continue;
      const graceEndsAtMs = (instance.inServiceAtMs ?? this.nowMs) + this.group.healthCheckGracePeriodS * 1000;
      if (this.nowMs < graceEndsAtMs) {
        this.deadlines.push(graceEndsAtMs);
        continue;
      }
      if (this.snapshot.targetHealth[instance.instanceId] === 'unhealthy') {
        this.update(instance, { healthStatus: 'Unhealthy', unhealthyCause: 'ELB' });
      } else {
        this.deadlines.push(this.nowMs + ELB_HEALTH_POLL_MS);
      }
    }
  }

  /** Unhealthy instances are terminated and replaced; protection does not stop it (A.6). */
  replaceUnhealthy(): void {
    const processes = this.group.suspendedProcesses;
    if (isSuspended(processes, 'ReplaceUnhealthy') || isSuspended(processes, 'Terminate')) return;
    for (const instance of this.list()) {
      if (!countsTowardCapacity(instance.lifecycleState) || instance.healthStatus !== 'Unhealthy') continue;
      if (isPending(instance.lifecycleState)) {
        this.finishActivity(instance, 'Failed', 'launch-error', {
          statusMessage: 'Instance became unhealthy while waiting for instance to be in InService state.',
        });
      }
      const why =
        instance.unhealthyCause === 'ELB'
          ? cause.elbUnhealthy(this.nowMs)
          : instance.unhealthyCause === 'user'
            ? cause.userUnhealthy(this.nowMs)
            : cause.ec2Unhealthy(this.nowMs);
      this.startTermination(instance, why, true);
      this.unhealthyReplacements += 1;
    }
  }

  /** Pending → Pending:Wait (launch hooks) or → InService once EC2 runs it and it is registered. */
  advancePending(): void {
    const launchHooks = hooksFor(this.group.lifecycleHooks, LAUNCHING);
    for (const instance of this.list()) {
      if (instance.healthStatus !== 'Healthy') continue;
      if (instance.lifecycleState === 'Pending' && !instance.skipLaunchHooks && launchHooks.length > 0) {
        const actions = this.openActions(instance, LAUNCHING);
        this.transition(instance, 'LaunchHooksOpened', { lifecycleActions: actions });
        this.patchActivity(instance, { statusCode: 'MidLifecycleAction', progress: 40 });
        continue;
      }
      if (instance.lifecycleState === 'Pending' || instance.lifecycleState === 'Pending:Proceed') {
        this.putInServiceWhenRunning(instance);
      }
    }
  }

  /**
   * Instances on their way out: deregistered from their target groups and drained first, then
   * the termination hooks (A.1, `UG:asg/lifecycle-hooks-overview` steps 4–5), then EC2.
   */
  advanceExits(): void {
    const terminateHooks = hooksFor(this.group.lifecycleHooks, TERMINATING);
    for (const instance of this.list()) {
      const state = instance.lifecycleState;
      if (state !== 'Terminating' && state !== 'EnteringStandby' && state !== 'Detaching') {
        if (state === 'Terminating:Proceed') this.terminateInEc2(instance);
        continue;
      }
      if (instance.ec2TerminateRequestedAtMs !== undefined) {
        this.terminateInEc2(instance);
        continue;
      }
      if (!this.deregisterAndDrain(instance, state === 'Terminating')) continue;
      const current = this.instances.get(instance.instanceId)!;
      if (state === 'EnteringStandby') {
        this.transition(current, 'StandbyReached', {});
        this.finishActivity(current, 'Successful');
      } else if (state === 'Detaching') {
        this.transition(current, 'DetachCompleted', {});
        this.finishActivity(current, 'Successful');
        this.remove(current);
      } else {
        this.startCooldown();
        if (current.runTerminateHooks && !current.terminateHooksDone && terminateHooks.length > 0) {
          const actions = this.openActions(current, TERMINATING);
          this.transition(current, 'TerminateHooksOpened', { lifecycleActions: actions });
          this.patchActivity(current, { statusCode: 'MidLifecycleAction', progress: 50 });
        } else {
          this.terminateInEc2(current);
        }
      }
    }
  }

  /**
   * An active instance refresh (A.8) takes its next old instances out of service through the
   * normal termination path and says what capacity the group converges to while it surges above
   * desired capacity; scale() below launches the replacements.
   */
  instanceRefresh(): void {
    const refresh = this.refresh;
    if (!refresh) return;
    const step = planInstanceRefresh({
      refresh,
      group: this.group,
      instances: this.list(),
      nowMs: this.nowMs,
      termination: { ...this.snapshot.termination, nowMs: this.nowMs },
    });
    for (const instanceId of step.takeOutOfService) {
      const why = sentences(cause.takenOutForRefresh(this.nowMs), cause.selectedForTermination(this.nowMs, instanceId));
      this.startTermination(this.instances.get(instanceId)!, why, true);
    }
    this.capacityTarget = step.capacityTarget;
    if (step.launchesForRefresh) {
      this.refreshLaunches = step.launchTemplate ? { launchTemplate: step.launchTemplate } : {};
    }
    if (step.groupPatch) this.updateGroup(step.groupPatch);
    this.refreshEvents.push(...step.events);
    this.deadlines.push(...step.deadlines);
    this.updateRefresh(step.refresh);
  }

  /** Desired versus actual capacity (A.6): launch balanced across zones, or scale in by policy (A.7). */
  scale(): void {
    const capacity = this.list().filter((instance) => countsTowardCapacity(instance.lifecycleState));
    const desired = this.capacityTarget ?? this.group.desiredCapacity;
    if (capacity.length < desired) this.scaleOut(capacity, desired);
    else if (capacity.length > desired) this.scaleIn(capacity, desired);
    else if (this.group.protectedScaleInReportedAtDesired !== undefined) {
      this.updateGroup({ protectedScaleInReportedAtDesired: undefined });
    }
  }

  /** New target groups get the group's in-service instances; removed ones are emptied and drained. */
  reconcileAttachments(): void {
    const attachments = this.group.targetGroups;
    let next = attachments;
    for (const attachment of attachments) {
      const arn = attachment.targetGroupArn;
      if (attachment.state === 'Adding') {
        for (const instance of this.list()) {
          if (instance.lifecycleState !== 'InService' || instance.registeredTargetGroups.includes(arn)) continue;
          this.register(arn, instance.instanceId);
          this.update(instance, { registeredTargetGroups: [...instance.registeredTargetGroups, arn] });
        }
        next = next.map((a) => (a.targetGroupArn === arn ? { ...a, state: 'Added' as const } : a));
      } else if (attachment.state === 'Removing') {
        let busy = false;
        for (const instance of this.list()) {
          if (instance.registeredTargetGroups.includes(arn)) {
            this.deregister(arn, instance.instanceId);
            this.update(instance, {
              registeredTargetGroups: instance.registeredTargetGroups.filter((a) => a !== arn),
              drainingTargetGroups: [...instance.drainingTargetGroups, arn],
            });
            busy = true;
          } else if (instance.drainingTargetGroups.includes(arn)) busy = true;
        }
        if (busy) this.deadlines.push(this.nowMs + DRAIN_POLL_MS);
        else next = next.filter((a) => a.targetGroupArn !== arn);
      }
    }
    if (next !== attachments) this.updateGroup({ targetGroups: next });
  }

  /**
   * DeleteAutoScalingGroup: without ForceDelete the group is empty already; with it every instance
   * is terminated without lifecycle hooks (A.1) and outstanding actions are dropped.
   */
  planDeletion(): void {
    const deletedCause = cause.groupDeleted(this.nowMs, this.group.desiredCapacity);
    for (const instance of this.list()) {
      const state = instance.lifecycleState;
      if (state === 'Terminated' || state === 'Detached') {
        this.remove(instance);
        continue;
      }
      if (state === 'Terminating:Wait') {
        this.transition(instance, 'TerminateHooksResolved', { lifecycleActions: [], terminateHooksDone: true });
      } else if (state === 'Detaching') {
        this.transition(instance, 'DetachCompleted', { drainingTargetGroups: [] });
        this.finishActivity(instance, 'Successful');
        this.remove(instance);
        continue;
      } else if (nextLifecycleState(state, 'TerminationStarted') !== undefined) {
        if (isPending(state)) this.finishActivity(instance, 'Cancelled');
        this.startTermination(instance, deletedCause, false);
      }
      const current = this.instances.get(instance.instanceId)!;
      for (const arn of current.registeredTargetGroups) this.deregister(arn, current.instanceId);
      if (current.registeredTargetGroups.length > 0 || current.drainingTargetGroups.length > 0) {
        this.update(current, { registeredTargetGroups: [], drainingTargetGroups: [], deregisteredAtMs: this.nowMs });
      }
      this.terminateInEc2(this.instances.get(instance.instanceId)!);
    }
    if (this.refresh) {
      // A deleted group ends its refresh (UNCONFIRMED: AWS's status for it).
      const refresh = this.refresh;
      this.updateRefresh({
        ...refresh,
        status: 'Cancelled',
        statusReason: refreshReason.groupDeleted,
        endTimeMs: this.nowMs,
      });
      if (refresh.status !== 'Cancelled') {
        this.refreshEvents.push({ kind: 'Cancelled', instanceRefreshId: refresh.instanceRefreshId });
      }
    }
    if (this.list().length === 0) this.deleteGroup = true;
  }

  sendTestNotifications(): void {
    if (this.group.pendingTestNotifications.length === 0) return;
    for (const pending of this.group.pendingTestNotifications) this.testNotifications.push(pending.targetArn);
    this.updateGroup({ pendingTestNotifications: [] });
  }

  // ---- pieces ------------------------------------------------------------------------------

  private scaleOut(capacity: readonly InstanceRecord[], desired: number): void {
    if (isSuspended(this.group.suspendedProcesses, 'Launch')) return;
    const retryAtMs = this.group.launchRetryAtMs;
    if (retryAtMs !== undefined && this.nowMs < retryAtMs) {
      this.deadlines.push(retryAtMs);
      return;
    }
    const placements = planPlacements(
      this.group.subnets,
      capacity.map((instance) => instance.subnetId),
      desired - capacity.length,
    );
    const capacityCause = sentences(
      this.group.pendingCause,
      cause.startedForCapacity(this.nowMs, capacity.length, desired),
    );
    // While a refresh runs, launches not owed to a health check or a user's capacity change are its replacements.
    const refreshCause =
      this.refreshLaunches && this.group.pendingCause === undefined ? cause.launchedForRefresh(this.nowMs) : undefined;
    const launchTemplate = this.refreshLaunches?.launchTemplate;
    placements.forEach((placement, index) => {
      const why =
        index < this.unhealthyReplacements ? cause.launchedForUnhealthy(this.nowMs) : (refreshCause ?? capacityCause);
      this.launches.push({
        activityId: this.snapshot.ids.next(),
        ...placement,
        cause: why,
        ...(launchTemplate ? { launchTemplate } : {}),
      });
    });
    if (placements.length > 0 && this.group.pendingCause !== undefined) this.updateGroup({ pendingCause: undefined });
  }

  private scaleIn(capacity: readonly InstanceRecord[], desired: number): void {
    if (isSuspended(this.group.suspendedProcesses, 'Terminate')) return;
    const excess = capacity.length - desired;
    const inService = capacity.filter((instance) => instance.lifecycleState === 'InService');
    const candidates = inService.filter(
      (instance) => !instance.protectedFromScaleIn && instance.healthStatus === 'Healthy',
    );
    const zoneCounts = new Map<string, number>();
    for (const instance of capacity) {
      zoneCounts.set(instance.availabilityZone, (zoneCounts.get(instance.availabilityZone) ?? 0) + 1);
    }
    const picks = selectForTermination(
      this.group.terminationPolicies,
      candidates.map((instance) => ({
        instanceId: instance.instanceId,
        availabilityZone: instance.availabilityZone,
        launchedAtMs: instance.launchedAtMs,
        ...(instance.launchTemplate
          ? {
              launchTemplate: {
                launchTemplateId: instance.launchTemplate.launchTemplateId,
                version: instance.launchTemplate.version,
              },
            }
          : {}),
        ...(instance.launchConfigurationName ? { launchConfigurationName: instance.launchConfigurationName } : {}),
      })),
      zoneCounts,
      excess,
      { ...this.snapshot.termination, nowMs: this.nowMs },
    );
    const shrink = cause.takenOutForCapacity(this.nowMs, capacity.length, desired);
    for (const instanceId of picks) {
      const why = sentences(this.group.pendingCause, shrink, cause.selectedForTermination(this.nowMs, instanceId));
      this.startTermination(this.instances.get(instanceId)!, why, true);
    }
    const stillPending = capacity.some((instance) => isPending(instance.lifecycleState));
    const protectedLeft = inService.some((instance) => instance.protectedFromScaleIn);
    let blocked = false;
    if (
      picks.length < excess &&
      !stillPending &&
      protectedLeft &&
      this.group.protectedScaleInReportedAtDesired !== desired
    ) {
      blocked = true;
      // `UG:asg/ec2-auto-scaling-instance-protection`: the desired capacity stays decremented and
      // the activity history says why nothing more was terminated.
      this.newActivity('scale-in-blocked', undefined, {
        description: ALL_PROTECTED_MESSAGE,
        cause: sentences(this.group.pendingCause, shrink),
        statusCode: 'Failed',
        statusMessage: ALL_PROTECTED_MESSAGE,
        progress: 100,
        endTimeMs: this.nowMs,
      });
      this.updateGroup({ protectedScaleInReportedAtDesired: desired });
    }
    if ((picks.length > 0 || blocked) && this.group.pendingCause !== undefined) {
      this.updateGroup({ pendingCause: undefined });
    }
  }

  /** Registers with the group's target groups, then InService (A.1: registration comes first). */
  private putInServiceWhenRunning(instance: InstanceRecord): void {
    const ec2State = this.ec2State(instance);
    if (ec2State === 'pending') {
      this.deadlines.push(this.nowMs + EC2_POLL_MS);
      return;
    }
    if (ec2State !== 'running') return;
    const targetGroups = isSuspended(this.group.suspendedProcesses, 'AddToLoadBalancer')
      ? []
      : activeTargetGroups(this.group.targetGroups).filter((arn) => !instance.registeredTargetGroups.includes(arn));
    for (const arn of targetGroups) this.register(arn, instance.instanceId);
    const isNewLaunch = !instance.skipLaunchHooks;
    const activity = instance.activityId ? this.activities.get(instance.activityId) : undefined;
    this.transition(instance, 'InstanceReady', {
      inServiceAtMs: this.nowMs,
      registeredTargetGroups: [...instance.registeredTargetGroups, ...targetGroups],
      deregisteredAtMs: undefined,
      // Protection from scale-in starts when a new instance enters InService (A.6).
      protectedFromScaleIn: isNewLaunch ? this.group.newInstancesProtectedFromScaleIn : instance.protectedFromScaleIn,
    });
    const notice: ActivityOutcome | undefined =
      activity?.kind === 'launch' || activity?.kind === 'attach' ? 'launch' : undefined;
    this.finishActivity(this.instances.get(instance.instanceId)!, 'Successful', notice);
    if (activity?.kind === 'launch') this.startCooldown();
  }

  /**
   * Deregisters an exiting instance from its target groups and reports whether draining is over.
   * Targets deregistered in this very step are waited for: their draining shows in the next snapshot.
   */
  private deregisterAndDrain(instance: InstanceRecord, isTermination: boolean): boolean {
    if (instance.registeredTargetGroups.length > 0) {
      for (const arn of instance.registeredTargetGroups) this.deregister(arn, instance.instanceId);
      this.update(instance, {
        registeredTargetGroups: [],
        drainingTargetGroups: [...new Set([...instance.drainingTargetGroups, ...instance.registeredTargetGroups])],
        deregisteredAtMs: this.nowMs,
      });
      if (isTermination) this.patchActivity(instance, { statusCode: 'WaitingForELBConnectionDraining', progress: 50 });
      return false;
    }
    if (instance.drainingTargetGroups.length > 0) {
      this.deadlines.push(this.nowMs + DRAIN_POLL_MS);
      return false;
    }
    return true;
  }

  /** Asks EC2 to terminate (once) and ends the instance when EC2 reports it terminated. */
  private terminateInEc2(instance: InstanceRecord): void {
    if (instance.ec2TerminateRequestedAtMs === undefined) {
      this.ec2Terminations.push({ instanceId: instance.instanceId, reason: 'Auto Scaling termination' });
      this.update(instance, { ec2TerminateRequestedAtMs: this.nowMs });
      if (instance.lifecycleState === 'Terminating')
        this.patchActivity(instance, { statusCode: 'InProgress', progress: 75 });
      // The terminated state is reported later, through instanceStateChanged.
      this.deadlines.push(this.nowMs + EC2_POLL_MS);
      return;
    }
    if (this.ec2State(instance) !== 'terminated') {
      this.deadlines.push(this.nowMs + EC2_POLL_MS);
      return;
    }
    const current = this.instances.get(instance.instanceId)!;
    this.transition(current, 'InstanceTerminated', {});
    const activity = current.activityId ? this.activities.get(current.activityId) : undefined;
    this.finishActivity(current, 'Successful', activity?.kind === 'terminate' ? 'terminate' : undefined);
    this.remove(current);
  }

  private startTermination(instance: InstanceRecord, why: string, runTerminateHooks: boolean): void {
    const activityId = this.newActivity('terminate', instance, {
      description: describeTerminate(instance.instanceId),
      cause: why,
      statusCode: 'InProgress',
      progress: 0,
    });
    this.transition(instance, 'TerminationStarted', {
      lifecycleActions: [],
      activityId,
      runTerminateHooks,
      terminateHooksDone: false,
    });
  }

  /** A.3: the launch activity ends Cancelled, saying which token was abandoned; the instance goes. */
  private abandonLaunch(instance: InstanceRecord, abandoned: LifecycleActionRecord): void {
    const reason = abandonedLaunchReason(abandoned.lifecycleActionToken);
    const activity = instance.activityId ? this.activities.get(instance.activityId) : undefined;
    if (activity) {
      this.patchActivity(instance, {
        statusCode: 'Cancelled',
        statusMessage: reason,
        description: `${activity.description}.  Status Reason: ${reason}`,
        progress: 100,
        endTimeMs: this.nowMs,
      });
      this.activityNotices.push({ activityId: activity.activityId, outcome: 'launch-error' });
    }
    this.transition(instance, 'LaunchAbandoned', {
      lifecycleActions: [],
      activityId: undefined,
      runTerminateHooks: TERMINATE_HOOKS_AFTER_ABANDONED_LAUNCH,
      terminateHooksDone: false,
    });
  }

  private openActions(instance: InstanceRecord, transition: LifecycleTransition): LifecycleActionRecord[] {
    return hooksFor(this.group.lifecycleHooks, transition).map((hook) => {
      const action = openLifecycleAction(hook, this.snapshot.ids.next(), this.nowMs);
      this.hookNotifications.push({ instanceId: instance.instanceId, action });
      this.deadlines.push(Math.min(action.heartbeatDeadlineAtMs, action.globalDeadlineAtMs));
      return action;
    });
  }

  /** A.5: the cooldown starts when an instance is in service, or when a terminating one is drained. */
  private startCooldown(): void {
    const endsAtMs = this.nowMs + this.group.defaultCooldownS * 1000;
    if ((this.group.cooldownEndsAtMs ?? 0) < endsAtMs) this.updateGroup({ cooldownEndsAtMs: endsAtMs });
  }

  private finishActivity(
    instance: InstanceRecord,
    statusCode: 'Successful' | 'Failed' | 'Cancelled',
    notice?: ActivityOutcome,
    extra: ActivityPatch = {},
  ): void {
    const activity = instance.activityId ? this.activities.get(instance.activityId) : undefined;
    if (!activity || activity.endTimeMs !== undefined) return;
    this.patchActivity(instance, { statusCode, progress: 100, endTimeMs: this.nowMs, ...extra });
    if (notice) this.activityNotices.push({ activityId: activity.activityId, outcome: notice });
  }
}
