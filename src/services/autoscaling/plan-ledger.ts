/**
 * The working copy of one group during one planning step, and the record of what the step
 * decided: instance and activity changes (only real changes count), launches, EC2 terminations,
 * target registrations, hook notifications and deadlines. planGroup's steps write through it;
 * `finish()` turns it into the plain GroupPlan the controller applies. Pure bookkeeping, no I/O.
 */
import type { ActivityKind, ActivityPatch, ActivityRecord } from './activity.js';
import { applyActivityPatch } from './activity.js';
import type { AutoScalingGroupRecord, GroupLaunchTemplate } from './group.js';
import type { InstanceRecord } from './instance.js';
import type { LifecycleEvent, LifecycleState } from './instance-lifecycle.js';
import { nextLifecycleState } from './instance-lifecycle.js';
import type { InstanceRefreshRecord } from './instance-refresh.js';
import type { RefreshEvent } from './instance-refresh-plan.js';
import type { LifecycleActionRecord } from './lifecycle-action.js';
import type { ActivityOutcome } from './notification.js';
import type { Ec2InstanceView } from './ports.js';
import type { TerminationContext } from './termination-policy.js';

export type Ec2State = Ec2InstanceView['state'];

export interface IdSource {
  /** A fresh UUID (activity ids, lifecycle action tokens). */
  next(): string;
}

export interface GroupSnapshot {
  group: AutoScalingGroupRecord;
  instances: readonly InstanceRecord[];
  /** EC2's state of each instance; an id EC2 no longer knows reads as terminated. */
  ec2States: Readonly<Record<string, Ec2State>>;
  /** `<targetGroupArn> <instanceId>` for every deregistered target still draining. */
  draining: ReadonlySet<string>;
  /** ELB target state per instance (the worst across the group's target groups), for ELB-checked groups. */
  targetHealth: Readonly<Record<string, string>>;
  /** The activity records the instances point at (instance.activityId). */
  activities: Readonly<Record<string, ActivityRecord>>;
  termination: Omit<TerminationContext, 'nowMs'>;
  ids: IdSource;
  /** The group's active instance refresh, if any. */
  instanceRefresh?: InstanceRefreshRecord;
}

export interface PlannedLaunch {
  activityId: string;
  subnetId: string;
  availabilityZone: string;
  cause: string;
  /** Launch from this instead of the group's launch source (an instance refresh's desired configuration). */
  launchTemplate?: GroupLaunchTemplate;
}

export interface TargetChange {
  targetGroupArn: string;
  instanceIds: string[];
}

export interface HookNotification {
  instanceId: string;
  action: LifecycleActionRecord;
}

export interface ActivityNotice {
  activityId: string;
  outcome: ActivityOutcome;
}

export interface Transition {
  instanceId: string;
  from: LifecycleState;
  to: LifecycleState;
}

export interface GroupPlan {
  /** The group after this step (the snapshot's own object when unchanged). */
  group: AutoScalingGroupRecord;
  groupChanged: boolean;
  deleteGroup: boolean;
  instancePuts: InstanceRecord[];
  instanceDeletes: string[];
  launches: PlannedLaunch[];
  ec2Terminations: Array<{ instanceId: string; reason: string }>;
  registrations: TargetChange[];
  deregistrations: TargetChange[];
  /** New and changed activity records, whole. */
  activityPuts: ActivityRecord[];
  hookNotifications: HookNotification[];
  activityNotices: ActivityNotice[];
  /** Targets owed a test notification. */
  testNotifications: string[];
  transitions: Transition[];
  /** The active instance refresh after this step, when it changed. */
  instanceRefresh?: InstanceRefreshRecord;
  refreshEvents: RefreshEvent[];
  nextDeadlineAtMs?: number;
  /** Something changed: the controller reconciles again at once to take the next step. */
  progressed: boolean;
}

export class PlanLedger {
  protected group: AutoScalingGroupRecord;
  protected groupChanged = false;
  protected deleteGroup = false;
  protected readonly instances = new Map<string, InstanceRecord>();
  protected readonly changed = new Set<string>();
  protected readonly deleted = new Set<string>();
  protected readonly activities = new Map<string, ActivityRecord>();
  protected readonly activitiesChanged = new Set<string>();
  protected readonly launches: PlannedLaunch[] = [];
  protected readonly ec2Terminations: Array<{ instanceId: string; reason: string }> = [];
  protected readonly registrations = new Map<string, string[]>();
  protected readonly deregistrations = new Map<string, string[]>();
  protected readonly hookNotifications: HookNotification[] = [];
  protected readonly activityNotices: ActivityNotice[] = [];
  protected readonly testNotifications: string[] = [];
  protected readonly transitions: Transition[] = [];
  protected readonly deadlines: number[] = [];
  /** Instances this step took out of service for failing a health check: their launches say so. */
  protected unhealthyReplacements = 0;
  protected refresh: InstanceRefreshRecord | undefined;
  protected refreshChanged = false;
  protected readonly refreshEvents: RefreshEvent[] = [];
  /** What the group converges to this step when an instance refresh surges above desired capacity. */
  protected capacityTarget: number | undefined;
  /** Launches this step are an instance refresh's, from this launch template when it has one. */
  protected refreshLaunches: { launchTemplate?: GroupLaunchTemplate } | undefined;

  constructor(
    protected readonly snapshot: GroupSnapshot,
    protected readonly nowMs: number,
  ) {
    this.group = snapshot.group;
    this.refresh = snapshot.instanceRefresh;
    for (const instance of snapshot.instances) this.instances.set(instance.instanceId, instance);
    for (const [id, activity] of Object.entries(snapshot.activities)) this.activities.set(id, activity);
  }

  // ---- bookkeeping -------------------------------------------------------------------------

  protected list(): InstanceRecord[] {
    return [...this.instances.values()];
  }

  protected ec2State(instance: InstanceRecord): Ec2State {
    return this.snapshot.ec2States[instance.instanceId] ?? 'terminated';
  }

  protected update(instance: InstanceRecord, patch: Partial<InstanceRecord>): void {
    const current = this.instances.get(instance.instanceId) ?? instance;
    const next = withPatch(current, patch);
    if (sameDocument(next, current)) return;
    this.instances.set(instance.instanceId, next);
    this.changed.add(instance.instanceId);
  }

  protected transition(instance: InstanceRecord, event: LifecycleEvent, patch: Partial<InstanceRecord>): void {
    const current = this.instances.get(instance.instanceId) ?? instance;
    const to = nextLifecycleState(current.lifecycleState, event);
    if (to === undefined) throw new Error(`planGroup: ${event} is not allowed in state ${current.lifecycleState}`);
    this.transitions.push({ instanceId: instance.instanceId, from: current.lifecycleState, to });
    this.update(current, { ...patch, lifecycleState: to });
  }

  protected remove(instance: InstanceRecord): void {
    this.instances.delete(instance.instanceId);
    this.changed.delete(instance.instanceId);
    this.deleted.add(instance.instanceId);
  }

  protected updateGroup(patch: Partial<AutoScalingGroupRecord>): void {
    const next = withPatch(this.group, patch);
    if (sameDocument(next, this.group)) return;
    this.group = next;
    this.groupChanged = true;
  }

  protected updateRefresh(next: InstanceRefreshRecord): void {
    if (this.refresh !== undefined && sameDocument(next, this.refresh)) return;
    this.refresh = next;
    this.refreshChanged = true;
  }

  protected patchActivity(instance: InstanceRecord, patch: ActivityPatch): void {
    const current = this.instances.get(instance.instanceId) ?? instance;
    const activity = current.activityId ? this.activities.get(current.activityId) : undefined;
    if (!activity) return;
    const next = applyActivityPatch(activity, patch);
    if (sameDocument(next, activity)) return;
    this.activities.set(activity.activityId, next);
    this.activitiesChanged.add(activity.activityId);
  }

  protected newActivity(
    kind: ActivityKind,
    instance: InstanceRecord | undefined,
    fields: Pick<ActivityRecord, 'description' | 'cause' | 'statusCode' | 'progress'> & ActivityPatch,
  ): string {
    const activityId = this.snapshot.ids.next();
    const details: Record<string, string> = {};
    if (instance) {
      details['Subnet ID'] = instance.subnetId;
      details['Availability Zone'] = instance.availabilityZone;
    }
    const record: ActivityRecord = {
      activityId,
      accountId: this.group.accountId,
      region: this.group.region,
      autoScalingGroupName: this.group.autoScalingGroupName,
      autoScalingGroupArn: this.group.autoScalingGroupArn,
      kind,
      startTimeMs: this.nowMs,
      details,
      ...fields,
    };
    if (instance) record.instanceId = instance.instanceId;
    this.activities.set(activityId, record);
    this.activitiesChanged.add(activityId);
    return activityId;
  }

  protected register(targetGroupArn: string, instanceId: string): void {
    addTo(this.registrations, targetGroupArn, instanceId);
  }

  protected deregister(targetGroupArn: string, instanceId: string): void {
    addTo(this.deregistrations, targetGroupArn, instanceId);
  }

  finish(): GroupPlan {
    const instancePuts = [...this.changed].map((id) => this.instances.get(id)!);
    const activityPuts = [...this.activitiesChanged].map((id) => this.activities.get(id)!);
    const toChanges = (map: Map<string, string[]>): TargetChange[] =>
      [...map].map(([targetGroupArn, instanceIds]) => ({ targetGroupArn, instanceIds }));
    const plan: GroupPlan = {
      group: this.group,
      groupChanged: this.groupChanged,
      deleteGroup: this.deleteGroup,
      instancePuts,
      instanceDeletes: [...this.deleted],
      launches: this.launches,
      ec2Terminations: this.ec2Terminations,
      registrations: toChanges(this.registrations),
      deregistrations: toChanges(this.deregistrations),
      activityPuts,
      hookNotifications: this.hookNotifications,
      activityNotices: this.activityNotices,
      testNotifications: this.testNotifications,
      transitions: this.transitions,
      refreshEvents: this.refreshEvents,
      progressed: false,
    };
    if (this.refreshChanged && this.refresh) plan.instanceRefresh = this.refresh;
    plan.progressed =
      plan.groupChanged ||
      plan.deleteGroup ||
      instancePuts.length > 0 ||
      plan.instanceDeletes.length > 0 ||
      plan.launches.length > 0 ||
      activityPuts.length > 0 ||
      this.refreshChanged;
    const future = this.deadlines.filter((atMs) => Number.isFinite(atMs));
    if (future.length > 0) plan.nextDeadlineAtMs = Math.max(this.nowMs, Math.min(...future));
    return plan;
  }
}

function addTo(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) {
    if (!list.includes(value)) list.push(value);
  } else map.set(key, [value]);
}

/** A copy with the patch applied; an undefined value removes the member (stored documents drop them anyway). */
function withPatch<T extends object>(record: T, patch: Partial<T>): T {
  const next = { ...record } as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  return next as T;
}

function sameDocument(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
