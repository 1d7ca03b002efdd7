/**
 * One step of an instance refresh (section A.8, `UG:asg/asg-instance-refresh`,
 * `UG:asg/instance-maintenance-policy-overview-and-considerations`), as a pure function the group
 * planner calls with the group as it stands. The group may shrink to MinHealthyPercentage of its
 * desired capacity of healthy, warmed-up instances and grow to MaxHealthyPercentage: with 100 the
 * refresh terminates a batch first and the group launches the replacements at once, above 100 it
 * launches first and terminates old instances as their replacements become ready. Checkpoints
 * pause it for CheckpointDelay, protected and standby instances are refreshed, ignored or waited
 * for (an hour, then Failed), failing launches are retried for an hour, and success hands the
 * group its desired configuration.
 *
 * The step only says which old instances to take out of service and what capacity the group
 * should converge to now; the instances then take the normal paths (draining, termination hooks,
 * launch hooks) that planGroup already runs.
 */
import type { AutoScalingGroupRecord, GroupLaunchTemplate } from './group.js';
import type { InstanceRecord } from './instance.js';
import type { LifecycleState } from './instance-lifecycle.js';
import { countsTowardCapacity } from './instance-lifecycle.js';
import type { InstanceRefreshRecord, RefreshPreferencesRecord, RefreshTarget } from './instance-refresh.js';
import { isActive } from './instance-refresh.js';
import { isSuspended } from './scaling-process.js';
import type { TerminationContext } from './termination-policy.js';
import { selectForTermination } from './termination-policy.js';

/** Blocked replacements (protected or standby instances with `Wait`) are retried for an hour, then the refresh fails. */
export const BLOCKED_TIMEOUT_MS = 3_600_000;
/** An instance refresh replaces instances for 14 days at most (`UG:asg/asg-instance-refresh`, Limitations). */
export const MAX_REFRESH_DURATION_MS = 14 * 24 * 3_600_000;

export type RefreshEventKind = 'Started' | 'Succeeded' | 'Failed' | 'Cancelled' | 'Checkpoint Reached';

export interface RefreshEvent {
  kind: RefreshEventKind;
  instanceRefreshId: string;
  checkpointPercentage?: number;
  checkpointDelayS?: number;
}

export interface RefreshStepInput {
  refresh: InstanceRefreshRecord;
  group: AutoScalingGroupRecord;
  /** The group's instances as the planning step has them so far. */
  instances: readonly InstanceRecord[];
  nowMs: number;
  termination: TerminationContext;
}

export interface RefreshStep {
  /** The record after this step (compare it to decide whether it changed). */
  refresh: InstanceRefreshRecord;
  /** Old instances to take out of service now, in the order they were chosen. */
  takeOutOfService: string[];
  /** The capacity the group converges to during this step: its desired capacity, plus any surge above it. */
  capacityTarget: number;
  /** Launches now are the refresh's replacements (their activities say so). */
  launchesForRefresh: boolean;
  /** What launches use while the refresh is active (its DesiredConfiguration). */
  launchTemplate?: GroupLaunchTemplate;
  events: RefreshEvent[];
  /** On success: the group takes the desired configuration. */
  groupPatch?: Partial<AutoScalingGroupRecord>;
  deadlines: number[];
}

/** Status reasons. Only the warm-up one is AWS's own (`UG:asg/check-status-instance-refresh`); the others are UNCONFIRMED. */
export const refreshReason = {
  warmingUp: (instanceId: string) =>
    `Waiting for instances to warm up before continuing. For example: ${instanceId} is warming up.`,
  checkpoint: (percentage: number, delayS: number) =>
    `Checkpoint ${percentage}% reached. Waiting ${delayS} seconds before continuing.`,
  protectedWait: (instanceId: string) =>
    `Waiting for instances protected from scale in to become unprotected before continuing. For example: ${instanceId} is protected from scale in.`,
  standbyWait: (instanceId: string) =>
    `Waiting for instances in Standby to return to service before continuing. For example: ${instanceId} is in Standby.`,
  launchFailing: 'Waiting for new instances to launch. Launches are failing; see the scaling activities for why.',
  launchFailed:
    'Instance refresh failed because new instances could not be launched for an hour. See the scaling activities for why.',
  protectedFailed: (instanceId: string) =>
    `Instance refresh failed after waiting an hour for instances protected from scale in. For example: ${instanceId} is protected from scale in.`,
  standbyFailed: (instanceId: string) =>
    `Instance refresh failed after waiting an hour for instances in Standby. For example: ${instanceId} is in Standby.`,
  suspended: 'The InstanceRefresh process is suspended.',
  tooLong: 'Instance refresh failed because it exceeded the maximum duration of 14 days.',
  groupDeleted: 'The Auto Scaling group was deleted.',
};

/** States an old instance can be replaced from; one leaving the group otherwise is no longer the refresh's. */
const OLD_STATES: readonly LifecycleState[] = [
  'Pending',
  'Pending:Wait',
  'Pending:Proceed',
  'InService',
  'EnteringStandby',
  'Standby',
];

const STANDBY_STATES: readonly LifecycleState[] = ['EnteringStandby', 'Standby'];

/** Whether the instance already runs what the refresh moves the group to (SkipMatching). */
export function matchesTarget(instance: InstanceRecord, target: RefreshTarget): boolean {
  if ('launchTemplateId' in target) {
    return (
      instance.launchTemplate?.launchTemplateId === target.launchTemplateId &&
      instance.launchTemplate.version === target.version
    );
  }
  return instance.launchTemplate === undefined && instance.launchConfigurationName === target.launchConfigurationName;
}

/** The old instances a new refresh will replace: every one in or near service, less the matching ones with SkipMatching. */
export function instancesToReplace(
  instances: readonly InstanceRecord[],
  target: RefreshTarget,
  preferences: RefreshPreferencesRecord,
): string[] {
  return instances
    .filter((instance) => OLD_STATES.includes(instance.lifecycleState))
    .filter((instance) => !preferences.skipMatching || !matchesTarget(instance, target))
    .map((instance) => instance.instanceId)
    .sort();
}

export function planInstanceRefresh(input: RefreshStepInput): RefreshStep {
  return new RefreshStepper(input).run();
}

class RefreshStepper {
  private readonly group: AutoScalingGroupRecord;
  private readonly nowMs: number;
  private readonly prefs: RefreshPreferencesRecord;
  private next: InstanceRefreshRecord;
  private readonly step: RefreshStep;
  private readonly byId = new Map<string, InstanceRecord>();
  private readonly pendingSet: Set<string>;
  private readonly capacity: InstanceRecord[];
  private readonly fresh: InstanceRecord[];
  private readonly freshReady: number;
  private readonly warming: InstanceRecord[];
  private readonly desired: number;

  constructor(private readonly input: RefreshStepInput) {
    this.group = input.group;
    this.nowMs = input.nowMs;
    this.prefs = input.refresh.preferences;
    this.desired = input.group.desiredCapacity;
    for (const instance of input.instances) this.byId.set(instance.instanceId, instance);
    const pending = input.refresh.pendingInstanceIds.filter((id) => {
      const instance = this.byId.get(id);
      return instance !== undefined && OLD_STATES.includes(instance.lifecycleState);
    });
    const replacing = input.refresh.replacingInstanceIds.filter((id) => this.byId.has(id));
    this.next = { ...input.refresh, pendingInstanceIds: pending, replacingInstanceIds: replacing };
    this.pendingSet = new Set(pending);
    this.capacity = input.instances.filter((instance) => countsTowardCapacity(instance.lifecycleState));
    this.fresh = this.capacity.filter((instance) => !this.pendingSet.has(instance.instanceId));
    this.warming = this.fresh.filter((instance) => this.isHealthy(instance) && !this.isWarm(instance));
    this.freshReady = this.fresh.filter((instance) => this.isHealthy(instance) && this.isWarm(instance)).length;
    this.step = {
      refresh: input.refresh,
      takeOutOfService: [],
      capacityTarget: this.desired,
      launchesForRefresh: false,
      events: [],
      deadlines: [],
    };
    if (input.refresh.desiredLaunchTemplate) this.step.launchTemplate = input.refresh.desiredLaunchTemplate;
  }

  run(): RefreshStep {
    if (!isActive(this.next)) return this.step;
    this.step.launchesForRefresh = true;
    if (this.next.status === 'Pending') {
      this.next.status = 'InProgress';
      this.emit('Started');
    }
    if (this.next.status === 'Cancelling') this.cancelling();
    else if (this.next.status === 'Baking') this.baking();
    else this.inProgress();
    this.updateProgress();
    this.step.refresh = this.next;
    return this.step;
  }

  // ---- statuses ------------------------------------------------------------------------------

  /** Cancelling waits for the launches and terminations in flight (WaitForTransitioningInstances). */
  private cancelling(): void {
    const launching = this.capacity.some((instance) => instance.lifecycleState !== 'InService');
    if (
      this.next.waitForTransitioningInstances === false ||
      (!launching && this.next.replacingInstanceIds.length === 0)
    ) {
      this.end('Cancelled');
      return;
    }
    // Launches in flight finish before the surge above desired capacity is given back.
    this.step.capacityTarget = launching ? Math.max(this.desired, this.capacity.length) : this.desired;
  }

  private baking(): void {
    const until = this.next.bakeUntilMs ?? this.nowMs;
    if (this.nowMs >= until) this.succeed();
    else this.step.deadlines.push(until);
  }

  private inProgress(): void {
    if (this.nowMs - this.next.startTimeMs >= MAX_REFRESH_DURATION_MS) {
      this.fail(refreshReason.tooLong);
      return;
    }
    this.next.statusReason = undefined;
    this.terminateStandby();
    const paused = this.checkpointPause();
    const checkpoints = this.prefs.checkpointPercentages;
    const lastReached = checkpoints.length > 0 && this.next.checkpointIndex >= checkpoints.length;
    const partial = lastReached && checkpoints[checkpoints.length - 1]! < 100;

    const old = this.classifyOld();
    const freshInFlight = this.fresh.length - this.freshReady;
    const settled = freshInFlight === 0 && this.next.replacingInstanceIds.length === 0;
    const nothingLeft = old.replaceable.length === 0 && old.blocked.length === 0 && old.standbyToTerminate === 0;
    if (settled && this.capacity.length >= this.desired && (partial || nothingLeft)) {
      this.complete(partial);
      return;
    }
    this.blockedWait(old, freshInFlight);
    if (isActive(this.next) === false) return;

    const suspended = isSuspended(this.group.suspendedProcesses, 'InstanceRefresh');
    if (suspended && this.next.statusReason === undefined) this.next.statusReason = refreshReason.suspended;
    const allowance = paused || suspended || partial ? 0 : this.checkpointAllowance();
    this.replace(old, freshInFlight, allowance);
    if (this.next.statusReason === undefined && this.warming.length > 0) {
      this.next.statusReason = refreshReason.warmingUp(this.warming[0]!.instanceId);
    }
  }

  // ---- pieces --------------------------------------------------------------------------------

  /** StandbyInstances `Terminate`: standby instances go at once; they hold no capacity, so nothing replaces them. */
  private terminateStandby(): void {
    if (this.prefs.standbyInstances !== 'Terminate') return;
    for (const id of this.next.pendingInstanceIds) {
      if (this.byId.get(id)?.lifecycleState === 'Standby') this.takeOut([id]);
    }
  }

  /** True while a checkpoint's delay runs; reaching a new checkpoint starts one (A.4 Checkpoint Reached). */
  private checkpointPause(): boolean {
    const until = this.next.checkpointWaitUntilMs;
    if (until !== undefined) {
      if (this.nowMs < until) {
        this.step.deadlines.push(until);
        const reached = this.prefs.checkpointPercentages[this.next.checkpointIndex - 1];
        this.next.statusReason = refreshReason.checkpoint(reached ?? 0, this.prefs.checkpointDelayS ?? 0);
        return true;
      }
      delete this.next.checkpointWaitUntilMs;
    }
    const checkpoints = this.prefs.checkpointPercentages;
    const percentage = this.percentage();
    let index = this.next.checkpointIndex;
    let reached: number | undefined;
    // A jump past several checkpoints reports the highest one only (`UG:asg/asg-adding-checkpoints-instance-refresh`).
    while (index < checkpoints.length && percentage >= checkpoints[index]!) {
      reached = checkpoints[index];
      index += 1;
    }
    if (reached === undefined) return false;
    this.next.checkpointIndex = index;
    // "Amazon EC2 Auto Scaling emits events for each checkpoint", the last one included
    // (UNCONFIRMED for the last); reaching the last ends the refresh rather than pausing it.
    const delayS = this.prefs.checkpointDelayS ?? 0;
    this.emit('Checkpoint Reached', { checkpointPercentage: reached, checkpointDelayS: delayS });
    if (index >= checkpoints.length || delayS <= 0) return false;
    this.next.checkpointWaitUntilMs = this.nowMs + delayS * 1000;
    this.step.deadlines.push(this.next.checkpointWaitUntilMs);
    this.next.statusReason = refreshReason.checkpoint(reached, delayS);
    return true;
  }

  /** How many more replacements the next checkpoint allows to be started (Infinity without one). */
  private checkpointAllowance(): number {
    const checkpoints = this.prefs.checkpointPercentages;
    const nextCheckpoint = checkpoints[this.next.checkpointIndex];
    if (nextCheckpoint === undefined) return Number.POSITIVE_INFINITY;
    return Math.max(0, Math.ceil((nextCheckpoint * this.desired) / 100) - this.fresh.length);
  }

  private classifyOld(): {
    candidates: InstanceRecord[];
    replaceable: InstanceRecord[];
    blocked: InstanceRecord[];
    standbyToTerminate: number;
  } {
    const candidates: InstanceRecord[] = [];
    const replaceable: InstanceRecord[] = [];
    const blocked: InstanceRecord[] = [];
    let standbyToTerminate = 0;
    for (const id of this.next.pendingInstanceIds) {
      const instance = this.byId.get(id)!;
      if (STANDBY_STATES.includes(instance.lifecycleState)) {
        if (this.prefs.standbyInstances === 'Wait') blocked.push(instance);
        // EnteringStandby is on its way to Standby, where `Terminate` takes it.
        else if (this.prefs.standbyInstances === 'Terminate') standbyToTerminate += 1;
        continue;
      }
      if (instance.protectedFromScaleIn && this.prefs.scaleInProtectedInstances !== 'Refresh') {
        if (this.prefs.scaleInProtectedInstances === 'Wait') blocked.push(instance);
        continue;
      }
      replaceable.push(instance);
      if (instance.lifecycleState === 'InService' && instance.healthStatus === 'Healthy') candidates.push(instance);
    }
    return { candidates, replaceable, blocked, standbyToTerminate };
  }

  /**
   * A refresh that cannot go on is retried for an hour, then fails (`UG:asg/asg-instance-refresh`,
   * Limitations): protected or standby instances with `Wait` once nothing else is left, or
   * replacements that fail to launch.
   */
  private blockedWait(old: { replaceable: InstanceRecord[]; blocked: InstanceRecord[] }, freshInFlight: number): void {
    const launchFailing = this.group.launchFailureCount > 0 && this.capacity.length < this.desired;
    const waiting = old.replaceable.length === 0 && freshInFlight === 0 && old.blocked.length > 0;
    if (!launchFailing && !waiting) {
      delete this.next.blockedSinceMs;
      return;
    }
    const example = old.blocked[0];
    const standby = example !== undefined && STANDBY_STATES.includes(example.lifecycleState);
    const since = this.next.blockedSinceMs ?? this.nowMs;
    this.next.blockedSinceMs = since;
    if (this.nowMs >= since + BLOCKED_TIMEOUT_MS) {
      if (launchFailing || example === undefined) this.fail(refreshReason.launchFailed);
      else if (standby) this.fail(refreshReason.standbyFailed(example.instanceId));
      else this.fail(refreshReason.protectedFailed(example.instanceId));
      return;
    }
    this.step.deadlines.push(since + BLOCKED_TIMEOUT_MS);
    if (launchFailing || example === undefined) this.next.statusReason = refreshReason.launchFailing;
    else if (standby) this.next.statusReason = refreshReason.standbyWait(example.instanceId);
    else this.next.statusReason = refreshReason.protectedWait(example.instanceId);
  }

  /**
   * Takes as many old instances out of service as MinHealthyPercentage and the next checkpoint
   * allow, and sets the capacity the group converges to (desired, plus the surge
   * MaxHealthyPercentage allows while old instances remain).
   */
  private replace(
    old: { candidates: InstanceRecord[]; replaceable: InstanceRecord[] },
    freshInFlight: number,
    allowance: number,
  ): void {
    const desired = this.desired;
    // "rounded up to the nearest integer" (RefreshPreferences.MinHealthyPercentage); Max the same way (UNCONFIRMED).
    const minCount = Math.ceil((desired * this.prefs.minHealthyPercentage) / 100);
    const surgeRoom = Math.max(0, Math.ceil((desired * this.prefs.maxHealthyPercentage) / 100) - desired);
    const ready = this.capacity.filter(
      (instance) => this.isHealthy(instance) && (this.pendingSet.has(instance.instanceId) || this.isWarm(instance)),
    ).length;
    const oldInCapacity = old.replaceable.filter((instance) => countsTowardCapacity(instance.lifecycleState)).length;
    const targetAfter = (removed: number): number => {
      const capacityAfter = this.capacity.length - removed;
      const surge = Math.min(surgeRoom, oldInCapacity - removed, capacityAfter - desired + allowance);
      return desired + Math.max(0, surge);
    };
    let removed = 0;
    while (removed < old.candidates.length) {
      const after = removed + 1;
      // Without room above desired capacity, a refresh still replaces one instance at a time
      // (MinHealthyPercentage 100 "limits the rate of replacement to one instance at a time").
      const oneAtATime = removed === 0 && surgeRoom === 0 && freshInFlight === 0 && this.capacity.length >= desired;
      if (ready - after < minCount && !oneAtATime) break;
      if (Math.max(0, desired - (this.capacity.length - after)) > allowance) break;
      removed = after;
    }
    this.step.capacityTarget = targetAfter(removed);
    if (removed === 0) return;
    const chosen = selectForTermination(
      this.group.terminationPolicies,
      old.candidates.map((instance) => ({
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
      zoneCounts(this.capacity),
      removed,
      this.input.termination,
    );
    this.takeOut(chosen);
  }

  private complete(partial: boolean): void {
    if (!partial) {
      this.next.percentageComplete = 100;
      this.next.instancesToUpdate = 0;
    }
    const bakeS = this.prefs.bakeTimeS ?? 0;
    if (bakeS > 0) {
      this.next.status = 'Baking';
      this.next.statusReason = undefined;
      this.next.bakeUntilMs = this.nowMs + bakeS * 1000;
      this.step.deadlines.push(this.next.bakeUntilMs);
      return;
    }
    this.succeed();
  }

  private succeed(): void {
    this.end('Successful');
    const desired = this.next.desiredLaunchTemplate;
    if (desired) this.step.groupPatch = { launchTemplate: { ...desired }, launchConfigurationName: undefined };
  }

  private fail(reason: string): void {
    this.end('Failed', reason);
  }

  private end(status: 'Successful' | 'Failed' | 'Cancelled', reason?: string): void {
    this.next.status = status;
    this.next.endTimeMs = this.nowMs;
    if (reason === undefined) delete this.next.statusReason;
    else this.next.statusReason = reason;
    delete this.next.checkpointWaitUntilMs;
    delete this.next.blockedSinceMs;
    this.emit(status === 'Successful' ? 'Succeeded' : status);
  }

  private takeOut(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const out = new Set(ids);
    this.step.takeOutOfService.push(...ids);
    this.next.pendingInstanceIds = this.next.pendingInstanceIds.filter((id) => !out.has(id));
    this.next.replacingInstanceIds = [...this.next.replacingInstanceIds, ...ids];
    for (const id of ids) this.pendingSet.delete(id);
  }

  private emit(kind: RefreshEventKind, extra: Omit<RefreshEvent, 'kind' | 'instanceRefreshId'> = {}): void {
    this.step.events.push({ kind, instanceRefreshId: this.next.instanceRefreshId, ...extra });
  }

  /** PercentageComplete counts replacements that are healthy and warmed up, against desired capacity. */
  private percentage(): number {
    if (this.desired <= 0) return 100;
    return Math.min(100, Math.floor((100 * this.freshReady) / this.desired));
  }

  private updateProgress(): void {
    if (this.next.status === 'Successful' && this.next.percentageComplete === 100) return;
    this.next.percentageComplete = this.percentage();
    // Old instances not yet taken out, or the desired capacity not yet refreshed, whichever is more:
    // an old instance and its replacement in flight are one instance to update, not two.
    this.next.instancesToUpdate = Math.max(
      this.next.pendingInstanceIds.length,
      Math.max(0, this.desired - this.freshReady),
    );
    for (const instance of this.warming) {
      this.step.deadlines.push((instance.inServiceAtMs ?? this.nowMs) + this.prefs.instanceWarmupS * 1000);
    }
  }

  private isHealthy(instance: InstanceRecord): boolean {
    return instance.lifecycleState === 'InService' && instance.healthStatus === 'Healthy';
  }

  /** The instance warmup counts from entry into InService (after any launch hooks). */
  private isWarm(instance: InstanceRecord): boolean {
    return (instance.inServiceAtMs ?? this.nowMs) + this.prefs.instanceWarmupS * 1000 <= this.nowMs;
  }
}

function zoneCounts(instances: readonly InstanceRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const instance of instances) {
    counts.set(instance.availabilityZone, (counts.get(instance.availabilityZone) ?? 0) + 1);
  }
  return counts;
}
