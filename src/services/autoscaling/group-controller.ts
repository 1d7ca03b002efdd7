/**
 * The group controller: level-triggered, one group key at a time (controller-runtime). reconcile
 * re-reads the group and its instances, asks EC2 and ELBv2 what they see now, lets the pure
 * planGroup decide one step, applies it through the ports and the store in one transaction, and
 * returns when to be woken next — at once while it is making progress, else at the earliest
 * deadline (heartbeat or global timeout, draining poll, grace period, launch retry).
 */
import type { Clock } from '../../kernel/clock.js';
import type { ReconcileResult } from '../../kernel/control-loop.js';
import type { Logger } from '../../kernel/logger.js';
import type { Random } from '../../kernel/random.js';
import { isServiceError } from '../../kernel/service-error.js';
import type { Store } from '../../store/store.js';
import type { ActivityRecord } from './activity.js';
import { activityKey, describeLaunch } from './activity.js';
import { validationError } from './errors.js';
import type { AutoScalingGroupRecord } from './group.js';
import type { GroupLaunchTemplate } from './group.js';
import { groupKey, instanceTags } from './group.js';
import type { GroupPlan, GroupSnapshot, PlannedLaunch } from './group-plan.js';
import { LAUNCH_RETRY_BASE_MS, LAUNCH_RETRY_MAX_MS, planGroup } from './group-plan.js';
import type { InstanceRecord } from './instance.js';
import { instanceKey } from './instance.js';
import { instanceRefreshKey } from './instance-refresh.js';
import { launchConfigurationKey, launchParameters } from './launch-configuration.js';
import type { ActivityOutcome, GroupIdentity } from './notification.js';
import {
  activityEvent,
  groupNotificationMessage,
  instanceRefreshEvent,
  groupNotificationSubject,
  lifecycleActionEvent,
  lifecycleActionMessage,
  lifecycleActionSubject,
  NOTIFICATION_TYPES,
  testNotificationMessage,
  testNotificationSubject,
} from './notification.js';
import { wants } from './notification-configuration.js';
import type { AutoScalingPorts, Ec2InstanceView, LaunchRequest, Scope } from './ports.js';
import { activeTargetGroups } from './traffic-source.js';
import type { AutoScalingTables } from './store.js';
import { activeRefresh, autoscalingTables, groupInstances, groupRefreshes, scopePrefix } from './store.js';

export const GROUP_RECONCILER = 'autoscaling-group';

export interface GroupControllerDeps {
  store: Store;
  clock: Clock;
  /** The controller's own stream: activity ids, lifecycle action tokens, notification request ids. */
  random: Random;
  ports: AutoScalingPorts;
  logger: Logger;
}

/** ELBv2 target states from worst to best, for the one health an instance gets from several target groups. */
const TARGET_STATE_ORDER = ['unhealthy', 'unavailable', 'draining', 'unused', 'initial', 'healthy'];

export class GroupController {
  private readonly tables: AutoScalingTables;

  constructor(private readonly deps: GroupControllerDeps) {
    this.tables = autoscalingTables(deps.store);
  }

  reconcile(key: string): ReconcileResult {
    const group = this.tables.groups.get(key);
    if (!group) return undefined;
    const nowMs = this.deps.clock.now();
    const snapshot = this.snapshot(group);
    const plan = planGroup(snapshot, nowMs);
    this.apply(group, plan, nowMs);
    if (plan.progressed) return { requeueAfterMs: 0 };
    if (plan.nextDeadlineAtMs !== undefined) return { requeueAfterMs: Math.max(0, plan.nextDeadlineAtMs - nowMs) };
    return undefined;
  }

  /** The group as the planner sees it, with EC2's and ELBv2's current view of its instances. */
  snapshot(group: AutoScalingGroupRecord): GroupSnapshot {
    const { ports } = this.deps;
    const scope = scopeOf(group);
    const instances = groupInstances(this.tables, group);
    const ec2States: Record<string, Ec2InstanceView['state']> = {};
    const draining = new Set<string>();
    const activities: Record<string, ActivityRecord> = {};
    for (const instance of instances) {
      const view = ports.ec2.instance(scope, instance.instanceId);
      if (view) ec2States[instance.instanceId] = view.state;
      for (const arn of instance.drainingTargetGroups) {
        if (ports.targetGroups.isDraining(scope, arn, instance.instanceId))
          draining.add(`${arn} ${instance.instanceId}`);
      }
      if (instance.activityId) {
        const activity = this.tables.activities.get(activityKey(group.accountId, group.region, instance.activityId));
        if (activity) activities[activity.activityId] = activity;
      }
    }
    const snapshot: GroupSnapshot = {
      group,
      instances,
      ec2States,
      draining,
      targetHealth: this.targetHealth(group, instances),
      activities,
      termination: this.terminationContext(group),
      ids: { next: () => this.deps.random.uuid() },
    };
    const refresh = activeRefresh(this.tables, group);
    if (refresh) snapshot.instanceRefresh = refresh;
    return snapshot;
  }

  private targetHealth(group: AutoScalingGroupRecord, instances: readonly InstanceRecord[]): Record<string, string> {
    const health: Record<string, string> = {};
    if (!group.healthCheckType.split(',').includes('ELB')) return health;
    const inService = instances.filter((instance) => instance.lifecycleState === 'InService').map((i) => i.instanceId);
    if (inService.length === 0) return health;
    for (const arn of activeTargetGroups(group.targetGroups)) {
      for (const view of this.deps.ports.targetGroups.health(scopeOf(group), arn, inService)) {
        const known = health[view.instanceId];
        if (known === undefined || TARGET_STATE_ORDER.indexOf(view.state) < TARGET_STATE_ORDER.indexOf(known)) {
          health[view.instanceId] = view.state;
        }
      }
    }
    return health;
  }

  private terminationContext(group: AutoScalingGroupRecord): GroupSnapshot['termination'] {
    const scope = scopeOf(group);
    const createdAt: Record<string, number> = {};
    for (const config of this.tables.launchConfigurations.withPrefix(scopePrefix(group.accountId, group.region))) {
      createdAt[config.launchConfigurationName] = config.createdAtMs;
    }
    const context: GroupSnapshot['termination'] = { launchConfigurationCreatedAtMs: createdAt };
    if (group.launchConfigurationName !== undefined)
      context.currentLaunchConfigurationName = group.launchConfigurationName;
    if (group.launchTemplate) {
      const resolved = this.deps.ports.ec2.resolveLaunchTemplate(scope, group.launchTemplate);
      if (!('missing' in resolved)) {
        context.currentLaunchTemplate = { launchTemplateId: resolved.launchTemplateId, version: resolved.version };
      }
    }
    return context;
  }

  private apply(before: AutoScalingGroupRecord, plan: GroupPlan, nowMs: number): void {
    const { ports } = this.deps;
    const scope = scopeOf(before);
    const key = groupKey(before.accountId, before.region, before.autoScalingGroupName);
    const activities = new Map(plan.activityPuts.map((activity) => [activity.activityId, activity]));
    const notices = [...plan.activityNotices];
    this.deps.store.transaction(() => {
      let group = plan.group;
      // A target group deleted in ELBv2 behind the group's back must not wedge the group.
      for (const change of plan.deregistrations) {
        this.bestEffort('deregister', change, () =>
          ports.targetGroups.deregister(scope, change.targetGroupArn, change.instanceIds),
        );
      }
      for (const change of plan.registrations) {
        this.bestEffort('register', change, () =>
          ports.targetGroups.register(scope, change.targetGroupArn, change.instanceIds),
        );
      }
      for (const termination of plan.ec2Terminations) {
        ports.ec2.terminate(scope, termination.instanceId, termination.reason);
      }
      for (const instance of plan.instancePuts) {
        this.tables.instances.put(instanceKey(instance.accountId, instance.region, instance.instanceId), instance);
      }
      for (const instanceId of plan.instanceDeletes)
        this.tables.instances.delete(instanceKey(scope.accountId, scope.region, instanceId));
      for (const launch of plan.launches) {
        const outcome = this.launch(group, launch, nowMs);
        activities.set(outcome.activity.activityId, outcome.activity);
        group = outcome.group;
        if (outcome.failed) {
          notices.push({ activityId: outcome.activity.activityId, outcome: 'launch-error' });
          // The remaining launches would fail the same way; they are retried after the backoff.
          break;
        }
      }
      for (const activity of activities.values()) {
        this.tables.activities.put(activityKey(activity.accountId, activity.region, activity.activityId), activity);
      }
      if (plan.instanceRefresh)
        this.tables.instanceRefreshes.put(instanceRefreshKey(plan.instanceRefresh), plan.instanceRefresh);
      if (plan.deleteGroup) {
        this.tables.groups.delete(key);
        // A group created later under the same name starts without this one's refresh history.
        for (const refresh of groupRefreshes(this.tables, before)) {
          this.tables.instanceRefreshes.delete(instanceRefreshKey(refresh));
        }
        this.markActivitiesDeleted(before);
      } else if (group !== before) {
        this.tables.groups.put(key, group);
      }
    });
    for (const transition of plan.transitions) {
      this.deps.logger.debug({ group: key, ...transition }, 'instance lifecycle transition');
    }
    this.notify(plan.group, plan, activities, notices, nowMs);
  }

  private bestEffort(what: string, change: { targetGroupArn: string; instanceIds: string[] }, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      if (!isServiceError(error)) throw error;
      this.deps.logger.warn({ err: error, ...change }, `target group ${what} failed`);
    }
  }

  /** Launches one instance through EC2; a failure becomes a Failed launch activity (A.4 Launch Unsuccessful). */
  private launch(
    group: AutoScalingGroupRecord,
    planned: PlannedLaunch,
    nowMs: number,
  ): { group: AutoScalingGroupRecord; activity: ActivityRecord; failed: boolean } {
    const scope = scopeOf(group);
    const base: ActivityRecord = {
      activityId: planned.activityId,
      accountId: group.accountId,
      region: group.region,
      autoScalingGroupName: group.autoScalingGroupName,
      autoScalingGroupArn: group.autoScalingGroupArn,
      kind: 'launch',
      description: 'Launching a new EC2 instance',
      cause: planned.cause,
      startTimeMs: nowMs,
      statusCode: 'PreInService',
      progress: 30,
      details: { 'Subnet ID': planned.subnetId, 'Availability Zone': planned.availabilityZone },
    };
    let view: Ec2InstanceView;
    let request: LaunchRequest;
    try {
      request = this.launchRequest(group, planned);
      view = this.deps.ports.ec2.launch(scope, request);
    } catch (error) {
      if (!isServiceError(error)) throw error;
      const failures = group.launchFailureCount + 1;
      const backoffMs = Math.min(LAUNCH_RETRY_MAX_MS, LAUNCH_RETRY_BASE_MS * 2 ** (failures - 1));
      const activity: ActivityRecord = {
        ...base,
        description: `Launching a new EC2 instance.  Status Reason: ${error.message} Launching EC2 instance failed.`,
        statusCode: 'Failed',
        statusMessage: error.message,
        progress: 100,
        endTimeMs: nowMs,
      };
      this.deps.logger.warn({ group: group.autoScalingGroupName, err: error, retryInMs: backoffMs }, 'launch failed');
      return {
        group: { ...group, launchFailureCount: failures, launchRetryAtMs: nowMs + backoffMs },
        activity,
        failed: true,
      };
    }
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
      protectedFromScaleIn: false,
      launchedAtMs: view.launchTimeMs,
      activityId: planned.activityId,
      lifecycleActions: [],
      registeredTargetGroups: [],
      drainingTargetGroups: [],
      skipLaunchHooks: false,
      runTerminateHooks: true,
    };
    const source = planned.launchTemplate ?? group.launchTemplate;
    if (view.launchTemplate) instance.launchTemplate = view.launchTemplate;
    else if (request.launchTemplate && source) {
      instance.launchTemplate = {
        launchTemplateId: request.launchTemplate.launchTemplateId,
        launchTemplateName: source.launchTemplateName,
        version: request.launchTemplate.version,
      };
    }
    if (group.launchConfigurationName !== undefined && !source) {
      instance.launchConfigurationName = group.launchConfigurationName;
    }
    this.tables.instances.put(instanceKey(group.accountId, group.region, view.instanceId), instance);
    const activity: ActivityRecord = {
      ...base,
      instanceId: view.instanceId,
      description: describeLaunch(view.instanceId),
      details: { 'Subnet ID': view.subnetId, 'Availability Zone': view.availabilityZone },
    };
    const next =
      group.launchFailureCount > 0 || group.launchRetryAtMs !== undefined
        ? withoutRetry({ ...group, launchFailureCount: 0 })
        : group;
    return { group: next, activity, failed: false };
  }

  /** What EC2 is asked to launch; a launch source that vanished fails like AWS's launch does. */
  private launchRequest(group: AutoScalingGroupRecord, planned: PlannedLaunch): LaunchRequest {
    const scope = scopeOf(group);
    const placement = {
      subnetId: planned.subnetId,
      availabilityZone: planned.availabilityZone,
      tags: instanceTags(group),
    };
    // An instance refresh's desired configuration wins over the group's launch source.
    const template = planned.launchTemplate ?? group.launchTemplate;
    if (template) {
      const resolved = this.deps.ports.ec2.resolveLaunchTemplate(scope, template);
      if ('missing' in resolved) throw missingLaunchTemplate(template, resolved.missing);
      return {
        ...placement,
        launchTemplate: { launchTemplateId: resolved.launchTemplateId, version: resolved.version },
      };
    }
    const name = group.launchConfigurationName ?? '';
    const config = this.tables.launchConfigurations.get(launchConfigurationKey(group.accountId, group.region, name));
    if (!config) throw missingLaunchConfiguration(name);
    return { ...placement, launchConfiguration: launchParameters(config) };
  }

  private markActivitiesDeleted(group: AutoScalingGroupRecord): void {
    for (const activity of this.tables.activities.withPrefix(scopePrefix(group.accountId, group.region))) {
      if (activity.autoScalingGroupName !== group.autoScalingGroupName || activity.groupDeleted) continue;
      this.tables.activities.put(activityKey(activity.accountId, activity.region, activity.activityId), {
        ...activity,
        groupDeleted: true,
      });
    }
  }

  /** After the commit: EventBridge events, hook targets, notification configurations (best-effort). */
  private notify(
    group: AutoScalingGroupRecord,
    plan: GroupPlan,
    activities: ReadonlyMap<string, ActivityRecord>,
    notices: ReadonlyArray<{ activityId: string; outcome: ActivityOutcome }>,
    nowMs: number,
  ): void {
    const { ports, random } = this.deps;
    const scope = scopeOf(group);
    const identity = identityOf(group);
    for (const { instanceId, action } of plan.hookNotifications) {
      const notice = {
        instanceId,
        lifecycleHookName: action.lifecycleHookName,
        lifecycleActionToken: action.lifecycleActionToken,
        lifecycleTransition: action.lifecycleTransition,
        ...(action.notificationMetadata !== undefined ? { notificationMetadata: action.notificationMetadata } : {}),
      };
      ports.eventBus.publish(lifecycleActionEvent(identity, notice, nowMs));
      if (action.notificationTargetArn) {
        const body = lifecycleActionMessage(identity, notice, random.uuid(), nowMs);
        ports.notificationTargets.deliver(scope, action.notificationTargetArn, body, lifecycleActionSubject(notice));
      }
    }
    for (const { activityId, outcome } of notices) {
      const activity = activities.get(activityId);
      if (!activity) continue;
      ports.eventBus.publish(activityEvent(identity, activity, outcome, random.uuid(), nowMs));
      for (const config of group.notificationConfigurations) {
        if (!wants(config, NOTIFICATION_TYPES[outcome])) continue;
        const body = groupNotificationMessage(identity, activity, outcome, random.uuid(), nowMs);
        ports.notificationTargets.deliver(scope, config.topicArn, body, groupNotificationSubject(identity, outcome));
      }
    }
    for (const event of plan.refreshEvents) {
      ports.eventBus.publish(instanceRefreshEvent(identity, event, nowMs));
    }
    for (const targetArn of plan.testNotifications) {
      const body = testNotificationMessage(identity, random.uuid(), nowMs);
      ports.notificationTargets.deliver(scope, targetArn, body, testNotificationSubject(identity));
    }
  }
}

export function scopeOf(group: { accountId: string; region: string }): Scope {
  return { accountId: group.accountId, region: group.region };
}

export function identityOf(group: AutoScalingGroupRecord): GroupIdentity {
  return {
    accountId: group.accountId,
    region: group.region,
    autoScalingGroupName: group.autoScalingGroupName,
    autoScalingGroupArn: group.autoScalingGroupArn,
  };
}

function withoutRetry(group: AutoScalingGroupRecord): AutoScalingGroupRecord {
  const { launchRetryAtMs: _dropped, ...rest } = group;
  return rest;
}

function missingLaunchTemplate(template: GroupLaunchTemplate, missing: 'template' | 'version'): Error {
  // EC2's own words for a template or version that no longer exists (UNCONFIRMED for the version).
  if (missing === 'version') {
    return validationError(
      `The specified launch template version ${template.version ?? '$Default'} of launch template ${template.launchTemplateId} does not exist.`,
    );
  }
  return validationError(
    `The specified launch template, with template ID ${template.launchTemplateId}, does not exist.`,
  );
}

function missingLaunchConfiguration(name: string): Error {
  return validationError(`Launch configuration ${name} does not exist.`);
}
