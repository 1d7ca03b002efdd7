/**
 * The service scheduler: level-triggered, keyed by a service's store key. Each reconcile takes a
 * snapshot of the service, its tasks (with their target health from ELBv2 through the
 * LoadBalancerTargetsPort) and its cluster's container instances; accounts stopped tasks for the
 * circuit breaker and the start throttle; lets `planService` (pure) decide; and applies the plan
 * through the task machinery: launches through placement (`startedBy` = the PRIMARY deployment,
 * `group` = `service:<name>`), stops through `requestStop` (the task controller then deregisters
 * targets, waits out the deregistration delay, and sends SIGTERM → SIGKILL). It records the
 * rollout (COMPLETED on steady state, FAILED and rolled back by the circuit breaker), the
 * service events ECS posts (B.11) and its EventBridge events (B.12). Writes to the service, its
 * tasks or its cluster's container instances wake it; so does the clock, for what changes with
 * no write (a task's 40 s, target health, the throttle's back-off).
 */
import type { PlacementStrategy } from '@aws-sdk/client-ecs';
import type { ControlLoop, ReconcileResult } from '../../kernel/control-loop.js';
import { ServiceError } from '../../kernel/service-error.js';
import type { AwsEventInput } from '../events/ports.js';
import type { Change } from '../../store/store.js';
import {
  accountStoppedTasks,
  evaluateCircuitBreaker,
  resetOnHealthyTasks,
  TASK_FAILED_CONTAINER_HEALTH_CHECKS,
  taskFailedElbHealthChecks,
} from './circuit-breaker.js';
import { evaluateClusterQuery } from './cluster-query.js';
import type { ClusterRecord } from './cluster.js';
import { EMPTY_USAGE, queryTargetOf, type ContainerInstanceRecord } from './container-instance.js';
import {
  activeTasksIn,
  containerInstancesIn,
  saveTask,
  serviceKey,
  servicesIn,
  usageByInstance,
  type EcsContext,
} from './context.js';
import { rolloutReasons, type DeploymentRecord } from './deployment.js';
import { INACTIVE_SERVICE_RETENTION_MS, serviceGroupOf, type ServiceRecord } from './ecs-service.js';
import { noContainerInstances } from './errors.js';
import { findTaskDefinition } from './operations-task-definition.js';
import { constraintSpecsOf } from './placement-request.js';
import {
  CLOSEST_MATCH_PHRASES,
  conditionDue,
  deploymentStateChangeEvent,
  serviceActionEvent,
  serviceMessages,
  withEvents,
  type ServiceCondition,
} from './service-event.js';
import { planService, type PlanInstance, type PlanTask, type ServicePlan, type StopCause } from './service-plan.js';
import { memberKey, scopedKey } from './store.js';
import type { TaskDefinitionRecord } from './task-definition.js';
import { launchTasks, NO_PROVIDER_INSTANCES, type LaunchResult } from './task-launch.js';
import { requestStop } from './task-lifecycle.js';
import { taskHealthOf, type TaskRecord } from './task.js';
import { isThrottled, THROTTLE_AFTER_FAILURES } from './throttle.js';

export const SERVICE_RECONCILER = 'ecs-services';
/**
 * How soon a service behind load balancers looks at its targets' health again while a RUNNING
 * task waits to turn healthy in its target group, and otherwise, to notice one turning
 * unhealthy. UNCONFIRMED: ECS's own cadence is not documented.
 */
export const TARGET_HEALTH_POLL_MS = 2_000;
export const TARGET_WATCH_POLL_MS = 10_000;
/**
 * Task changes wake the scheduler this long after the first of them, so a burst of them (a
 * thousand tasks starting) is looked at once, not once each, as ECS's own scheduler batches.
 * Service and instance changes (API calls, draining) are looked at at once.
 */
export const TASK_CHANGE_BATCH_MS = 500;

/**
 * With no strategy of its own, a service spreads over availability zones, then instances (the
 * console's "AZ balanced spread"). UNCONFIRMED: the API documents only the zone spread; without
 * the instance spread, tasks in one zone would pile up on a random instance.
 */
export const DEFAULT_SERVICE_PLACEMENT: PlacementStrategy[] = [
  { type: 'spread', field: 'attribute:ecs.availability-zone' },
  { type: 'spread', field: 'instanceId' },
];

/** UNCONFIRMED: ECS's stoppedReason for a task drained off its instance contains this phrase (`OBS:` filters). */
export const drainingStopReason = (serviceName: string) =>
  `Service ${serviceName}: container instance is in DRAINING state`;
export const scalingStopReason = (deploymentId: string) => `Scaling activity initiated by (deployment ${deploymentId})`;

interface Outbox {
  messages: string[];
  bus: AwsEventInput[];
}

export function registerServiceController(ctx: EcsContext, controlLoop: ControlLoop): void {
  let reconciling: string | undefined;
  controlLoop.register({
    name: SERVICE_RECONCILER,
    reconcile: (key) => {
      reconciling = key;
      try {
        return reconcileService(ctx, key);
      } finally {
        reconciling = undefined;
      }
    },
  });
  const enqueue = (key: string, afterMs?: number) => controlLoop.enqueue(SERVICE_RECONCILER, key, afterMs);
  // What each container instance looked like to the services when last seen: a change of status
  // or agent connection (draining, registration) is looked at at once; a change of the resources
  // its tasks hold (every task placed or stopped) only soon, with the task changes it came with.
  const seen = new Map<string, string>();
  ctx.store.onCommit((changes: readonly Change[]) => {
    const now = new Set<string>();
    const soon = new Set<string>();
    for (const change of changes) {
      if (change.service !== 'ecs' || change.kind !== 'put') continue;
      // A service's own reconcile wrote what it decided: nothing new to look at.
      if (change.table === 'services' && change.key !== reconciling) now.add(change.key);
      else if (change.table === 'tasks') {
        const task = ctx.tables.tasks.get(change.key);
        if (task?.serviceName !== undefined) {
          soon.add(memberKey(task.accountId, task.region, task.clusterName, task.serviceName));
        }
      } else if (change.table === 'containerInstances') {
        // Draining, a new instance (daemon tasks, retried placements), freed resources.
        const instance = ctx.tables.containerInstances.get(change.key);
        if (!instance) continue;
        const look = `${instance.status} ${instance.agentConnected}`;
        const urgent = seen.get(change.key) !== look;
        seen.set(change.key, look);
        const prefix = `${instance.accountId}/${instance.region}/${instance.clusterName}/`;
        for (const service of ctx.tables.services.withPrefix(prefix)) {
          // Freed resources matter to a service that could not place a task, and to a daemon
          // service (its task leaves a draining instance last).
          const cares =
            urgent || service.conditions.unableToPlace !== undefined || service.schedulingStrategy === 'DAEMON';
          if (cares) (urgent ? now : soon).add(serviceKey(service));
        }
      }
    }
    for (const key of now) enqueue(key);
    for (const key of soon) if (!now.has(key)) enqueue(key, TASK_CHANGE_BATCH_MS);
  });
  // After a restart every service converges again from what the store holds.
  for (const key of ctx.tables.services.keys()) enqueue(key);
}

export function reconcileService(ctx: EcsContext, key: string): ReconcileResult {
  const service = ctx.tables.services.get(key);
  if (!service) return;
  const nowMs = ctx.clock.now();
  if (service.status === 'INACTIVE') {
    const forgetAtMs = (service.inactiveAtMs ?? nowMs) + INACTIVE_SERVICE_RETENTION_MS;
    if (nowMs >= forgetAtMs) {
      ctx.tables.services.delete(key);
      return;
    }
    return { requeueAfterMs: forgetAtMs - nowMs };
  }
  const cluster = ctx.tables.clusters.get(scopedKey(service.accountId, service.region, service.clusterName));
  if (!cluster) return;
  const tasks = ctx.taskIndex.activeOfService(key, service.serviceName);
  // Only a DAEMON service looks at the other tasks of the cluster.
  const clusterTasks = service.schedulingStrategy === 'DAEMON' ? activeTasksIn(ctx, cluster) : [];
  const instances = containerInstancesIn(ctx, cluster);
  // What the PRIMARY deployment launches (a rollback changes it below).
  let taskDefinition = findTaskDefinition(ctx, service, service.taskDefinitionArn);
  const out: Outbox = { messages: [], bus: [] };

  const accounting = accountStoppedTasks(service, tasks, nowMs);
  let next = accounting.service;
  const snapshot = (record: ServiceRecord) =>
    snapshotOf(ctx, record, tasks, clusterTasks, instances, cluster, taskDefinition, nowMs);
  let plan = planService(snapshot(next), nowMs);
  next = { ...next, deployments: resetOnHealthyTasks(next.deployments, plan.healthyByDeployment) };
  const breaker = evaluateCircuitBreaker(next, plan.desiredCount, ctx.random, nowMs);
  if (breaker.trip) {
    next = breaker.service;
    const { failed, rollback, rollbackTo } = breaker.trip;
    out.messages.push(serviceMessages.deploymentFailed(next.serviceName, failed.id));
    out.bus.push(
      deploymentStateChangeEvent(next, 'SERVICE_DEPLOYMENT_FAILED', failed.id, failed.rolloutStateReason, nowMs),
    );
    if (rollback && rollbackTo) {
      taskDefinition = findTaskDefinition(ctx, next, next.taskDefinitionArn);
      out.bus.push(
        deploymentStateChangeEvent(
          next,
          'SERVICE_DEPLOYMENT_IN_PROGRESS',
          rollback.id,
          rolloutReasons.rollingBack(rollbackTo.id),
          nowMs,
        ),
      );
    }
    plan = planService(snapshot(next), nowMs);
  }

  ctx.transact(() => {
    for (const task of accounting.accounted) saveTask(ctx, task, { ...task, serviceAccounted: true }, false);
    if (next.schedulingStrategy === 'DAEMON' && next.status === 'ACTIVE' && plan.desiredCount !== next.desiredCount) {
      next = { ...next, desiredCount: plan.desiredCount };
      out.bus.push(serviceActionEvent(next, 'SERVICE_DESIRED_COUNT_UPDATED', nowMs));
    }
    applyStops(ctx, next, tasks, plan, nowMs, out);
    next = applyStarts(ctx, next, cluster, taskDefinition, plan, tasks, nowMs, out);
    next = applyConditions(next, plan, nowMs, out);
    next = settleDeployments(next, tasks, plan, nowMs, out);
    if (out.messages.length > 0) next = { ...next, events: withEvents(next.events, out.messages, nowMs, ctx.random) };
    ctx.tables.services.put(key, next);
    for (const event of out.bus) ctx.publish(event);
  });
  return requeueOf(next, tasks, plan, nowMs);
}

function snapshotOf(
  ctx: EcsContext,
  service: ServiceRecord,
  tasks: readonly TaskRecord[],
  clusterTasks: readonly TaskRecord[],
  instances: readonly ContainerInstanceRecord[],
  cluster: ClusterRecord,
  taskDefinition: TaskDefinitionRecord | undefined,
  nowMs: number,
) {
  const primary = service.deployments[0];
  const scope = { accountId: service.accountId, region: service.region };
  const planTasks: PlanTask[] = [];
  for (const task of tasks) {
    if (task.lastStatus === 'STOPPED') continue;
    const planTask: PlanTask = {
      taskId: task.taskId,
      lastStatus: task.lastStatus,
      desiredStatus: task.desiredStatus,
      containerInstanceId: task.containerInstanceId,
      availabilityZone: task.availabilityZone,
      protected:
        task.protection.enabled && (task.protection.expiresAtMs === undefined || task.protection.expiresAtMs > nowMs),
    };
    if (task.startedBy !== undefined) planTask.deploymentId = task.startedBy;
    if (task.startedAtMs !== undefined) planTask.startedAtMs = task.startedAtMs;
    if (task.containers.some((container) => container.essential && container.healthStatus !== undefined)) {
      planTask.containerHealth = taskHealthOf(task);
    }
    if (task.targets) {
      // Only a RUNNING task's target health matters to the plan; ask ELBv2 for no other.
      const observed = task.desiredStatus === 'RUNNING' && task.lastStatus === 'RUNNING';
      planTask.targets = task.targets.map((target) => ({
        targetGroupArn: target.targetGroupArn,
        id: target.id,
        port: target.port,
        state: observed ? ctx.ports.loadBalancerTargets.state(scope, target.targetGroupArn, target) : undefined,
      }));
    }
    planTasks.push(planTask);
  }
  const planInstances: PlanInstance[] =
    service.schedulingStrategy === 'DAEMON'
      ? daemonInstancesOf(ctx, service, clusterTasks, instances, cluster, taskDefinition)
      : instances
          .filter((instance) => instance.status !== 'INACTIVE')
          .map((instance) => ({
            containerInstanceId: instance.containerInstanceId,
            status: instance.status,
            agentConnected: instance.agentConnected,
            eligible: true,
            otherTasks: 0,
          }));
  return {
    schedulingStrategy: service.schedulingStrategy,
    desiredCount: service.status === 'ACTIVE' ? service.desiredCount : 0,
    minimumHealthyPercent: service.minimumHealthyPercent,
    maximumPercent: service.maximumPercent,
    healthCheckGracePeriodMs: (service.healthCheckGracePeriodSeconds ?? 0) * 1000,
    primaryDeploymentId: primary?.id ?? '',
    primaryFailed: primary?.rolloutState === 'FAILED',
    canStart: !isThrottled(service.throttle, nowMs) && taskDefinition !== undefined,
    deleting: service.status !== 'ACTIVE',
    tasks: planTasks,
    instances: planInstances,
  };
}

/**
 * What a DAEMON service needs to know of each instance: whether the task definition's required
 * attributes and the service's memberOf constraints admit it, and how many tasks of others
 * (daemon services' aside) are still on it. One pass over the cluster's tasks.
 */
function daemonInstancesOf(
  ctx: EcsContext,
  service: ServiceRecord,
  clusterTasks: readonly TaskRecord[],
  instances: readonly ContainerInstanceRecord[],
  cluster: ClusterRecord,
  taskDefinition: TaskDefinitionRecord | undefined,
): PlanInstance[] {
  const daemonServices = new Set(
    servicesIn(ctx, cluster)
      .filter((other) => other.schedulingStrategy === 'DAEMON')
      .map((other) => other.serviceName),
  );
  const others = new Map<string, number>();
  for (const task of clusterTasks) {
    if (task.lastStatus === 'STOPPED' || task.serviceName === service.serviceName) continue;
    if (task.serviceName !== undefined && daemonServices.has(task.serviceName)) continue;
    others.set(task.containerInstanceId, (others.get(task.containerInstanceId) ?? 0) + 1);
  }
  const usage = usageByInstance(clusterTasks);
  const memberOf = taskDefinition
    ? constraintSpecsOf(service.placementConstraints, taskDefinition).flatMap((spec) =>
        spec.type === 'memberOf' ? [spec.query] : [],
      )
    : [];
  const required = taskDefinition?.requiresAttributes ?? [];
  return instances
    .filter((instance) => instance.status !== 'INACTIVE')
    .map((instance) => {
      const target = queryTargetOf(instance, usage.get(instance.containerInstanceId) ?? EMPTY_USAGE);
      return {
        containerInstanceId: instance.containerInstanceId,
        status: instance.status,
        agentConnected: instance.agentConnected,
        eligible:
          required.every((name) => target.attributes.has(name)) &&
          memberOf.every((query) => evaluateClusterQuery(query, target)),
        otherTasks: others.get(instance.containerInstanceId) ?? 0,
      };
    });
}

function stopOf(service: ServiceRecord, cause: StopCause): string {
  switch (cause.kind) {
    case 'drainingPending':
    case 'draining':
      return drainingStopReason(service.serviceName);
    case 'unhealthyTarget':
      return taskFailedElbHealthChecks(cause.targetGroupArn);
    case 'unhealthyContainer':
      return TASK_FAILED_CONTAINER_HEALTH_CHECKS;
    case 'deployment':
    case 'scaleIn':
      return scalingStopReason(service.deployments[0]?.id ?? '');
  }
}

function applyStops(
  ctx: EcsContext,
  service: ServiceRecord,
  tasks: readonly TaskRecord[],
  plan: ServicePlan,
  nowMs: number,
  out: Outbox,
): void {
  if (plan.stop.length === 0) return;
  const byId = new Map(tasks.map((task) => [task.taskId, task]));
  const stopped: string[] = [];
  for (const { taskId, cause } of plan.stop) {
    const task = byId.get(taskId);
    if (!task) continue;
    if (cause.kind === 'unhealthyTarget') {
      out.messages.push(
        serviceMessages.unhealthyTarget(service.serviceName, cause.targetId, cause.port, cause.targetGroupArn),
      );
    } else if (cause.kind === 'unhealthyContainer') {
      out.messages.push(serviceMessages.unhealthyContainer(service.serviceName, taskId));
    }
    // UNCONFIRMED: ECS's stopCode for health-check replacements; scheduler-initiated is the likely one.
    const next = requestStop(task, 'ServiceSchedulerInitiated', stopOf(service, cause), nowMs);
    if (next !== task) {
      saveTask(ctx, task, next, true);
      stopped.push(taskId);
    }
  }
  if (stopped.length > 0) out.messages.push(serviceMessages.stopped(service.serviceName, stopped));
}

function applyStarts(
  ctx: EcsContext,
  service: ServiceRecord,
  cluster: ClusterRecord,
  taskDefinition: TaskDefinitionRecord | undefined,
  plan: ServicePlan,
  tasks: readonly TaskRecord[],
  nowMs: number,
  out: Outbox,
): ServiceRecord {
  const primary = service.deployments[0];
  const wanted = plan.start + plan.startOn.length;
  if (wanted === 0 || !primary || !taskDefinition) {
    return plan.steady ? clearCondition(service, 'unableToPlace') : service;
  }
  const base = {
    cluster,
    taskDefinition,
    group: serviceGroupOf(service.serviceName),
    startedBy: primary.id,
    serviceName: service.serviceName,
    placementConstraints: service.placementConstraints,
    placementStrategy: service.placementStrategy.length > 0 ? service.placementStrategy : DEFAULT_SERVICE_PLACEMENT,
    loadBalancers: service.loadBalancers,
    tags:
      service.propagateTags === 'SERVICE'
        ? service.tags
        : service.propagateTags === 'TASK_DEFINITION'
          ? taskDefinition.tags
          : [],
    ...(service.capacityProviderStrategy
      ? {
          capacityProviderStrategy: service.capacityProviderStrategy,
          providerCounts: providerCountsOf(tasks),
        }
      : {}),
  };
  const result: LaunchResult = { tasks: [], failures: [] };
  let noInstances = false;
  try {
    if (plan.start > 0) {
      const launched = launchTasks(ctx, { ...base, count: plan.start });
      result.tasks.push(...launched.tasks);
      result.failures.push(...launched.failures);
    }
    for (const containerInstanceId of plan.startOn) {
      const launched = launchTasks(ctx, { ...base, count: 1, containerInstances: [containerInstanceId] });
      result.tasks.push(...launched.tasks);
      result.failures.push(...launched.failures);
    }
  } catch (error) {
    if (!(error instanceof ServiceError) || error.message !== noContainerInstances().message) throw error;
    noInstances = true;
  }
  if (result.tasks.length > 0) {
    out.messages.push(
      serviceMessages.started(
        service.serviceName,
        result.tasks.map((task) => task.taskId),
      ),
    );
  }
  if (result.tasks.length === wanted) return clearCondition(service, 'unableToPlace');
  if (!conditionDue(service.conditions, 'unableToPlace', nowMs)) return service;
  const closest = closestMatch(
    result.failures.map((failure) => ({ arn: failure.arn ?? '', reason: failure.reason ?? '' })),
  );
  const noProviderInstances = result.failures.some((failure) => failure.reason === NO_PROVIDER_INSTANCES);
  out.messages.push(
    noInstances
      ? serviceMessages.noContainerInstances(service.serviceName)
      : noProviderInstances && !closest
        ? serviceMessages.noCapacityProviderInstances(service.serviceName)
        : serviceMessages.unableToPlace(service.serviceName, closest),
  );
  out.bus.push(
    serviceActionEvent(service, 'SERVICE_TASK_PLACEMENT_FAILURE', nowMs, {
      reason: noInstances ? 'RESOURCE:NO_CONTAINER_INSTANCES' : (closest?.reason ?? 'PLACEMENT_CONSTRAINT'),
    }),
  );
  return { ...service, conditions: { ...service.conditions, unableToPlace: nowMs } };
}

/** Placement's checks in order: the instance whose failure came latest got closest. */
const CHECK_ORDER = [
  'DRAINING',
  'AGENT',
  'RESOURCE:CPU',
  'RESOURCE:MEMORY',
  'RESOURCE:PORTS',
  'RESOURCE:PORTS_UDP',
  'ATTRIBUTE',
];

function closestMatch(
  failures: ReadonlyArray<{ arn: string; reason: string }>,
): { containerInstanceId: string; phrase: string; reason: string } | undefined {
  let best: { arn: string; reason: string; rank: number } | undefined;
  for (const failure of failures) {
    const rank = CHECK_ORDER.indexOf(failure.reason);
    if (rank < 0 || CLOSEST_MATCH_PHRASES[failure.reason] === undefined) continue;
    if (!best || rank > best.rank) best = { ...failure, rank };
  }
  if (!best) return undefined;
  return {
    containerInstanceId: best.arn.split('/').pop() ?? best.arn,
    phrase: CLOSEST_MATCH_PHRASES[best.reason]!,
    reason: best.reason,
  };
}

function clearCondition(service: ServiceRecord, condition: ServiceCondition): ServiceRecord {
  if (service.conditions[condition] === undefined) return service;
  const { [condition]: _cleared, ...rest } = service.conditions;
  return { ...service, conditions: rest };
}

function postCondition(
  service: ServiceRecord,
  condition: ServiceCondition,
  holds: boolean,
  nowMs: number,
  post: () => void,
): ServiceRecord {
  if (!holds) return clearCondition(service, condition);
  if (!conditionDue(service.conditions, condition, nowMs)) return service;
  post();
  return { ...service, conditions: { ...service.conditions, [condition]: nowMs } };
}

function applyConditions(service: ServiceRecord, plan: ServicePlan, nowMs: number, out: Outbox): ServiceRecord {
  const name = service.serviceName;
  let next = postCondition(service, 'deadlock', plan.deadlock, nowMs, () =>
    out.messages.push(serviceMessages.deadlock(name)),
  );
  next = postCondition(next, 'protectedScaleIn', plan.protectedBlocking, nowMs, () =>
    out.messages.push(serviceMessages.protectedScaleIn(name, service.deployments[0]?.id ?? '')),
  );
  // The throttle holds from the failure that started the back-off until a task runs.
  const throttled = service.throttle.consecutiveStartFailures >= THROTTLE_AFTER_FAILURES;
  next = postCondition(next, 'throttled', throttled, nowMs, () => {
    out.messages.push(serviceMessages.unableToStartConsistently(name));
    out.bus.push(serviceActionEvent(service, 'SERVICE_TASK_START_IMPAIRED', nowMs));
  });
  return next;
}

/**
 * The rollout's bookkeeping: older deployments leave the list once their last task has
 * stopped; on steady state the PRIMARY rollout is COMPLETED (`deployment completed.`) and the
 * service says it reached a steady state; a deleted service is INACTIVE once its tasks are gone.
 */
function settleDeployments(
  service: ServiceRecord,
  tasks: readonly TaskRecord[],
  plan: ServicePlan,
  nowMs: number,
  out: Outbox,
): ServiceRecord {
  const live = new Set(tasks.filter((task) => task.lastStatus !== 'STOPPED').map((task) => task.startedBy));
  const [primary, ...older] = service.deployments;
  if (!primary) return service;
  let deployments: DeploymentRecord[] = [primary, ...older.filter((deployment) => live.has(deployment.id))];
  let next: ServiceRecord = deployments.length === service.deployments.length ? service : { ...service, deployments };
  if (service.status === 'DRAINING') {
    if (live.size > 0) return next;
    return { ...next, status: 'INACTIVE', desiredCount: 0, inactiveAtMs: nowMs, conditions: {} };
  }
  if (!plan.steady) return clearCondition(next, 'steadyState');
  if (primary.rolloutState === 'IN_PROGRESS') {
    const completed: DeploymentRecord = {
      ...primary,
      rolloutState: 'COMPLETED',
      rolloutStateReason: rolloutReasons.completed(primary.id),
      updatedAtMs: nowMs,
    };
    deployments = [completed, ...deployments.slice(1)];
    next = {
      ...next,
      deployments,
      lastCompleted: {
        id: primary.id,
        taskDefinitionArn: primary.taskDefinitionArn,
        loadBalancers: next.loadBalancers,
      },
    };
    out.messages.push(serviceMessages.deploymentCompleted(service.serviceName, primary.id));
    out.bus.push(
      deploymentStateChangeEvent(next, 'SERVICE_DEPLOYMENT_COMPLETED', primary.id, completed.rolloutStateReason, nowMs),
    );
  }
  return postCondition(next, 'steadyState', true, nowMs, () => {
    out.messages.push(serviceMessages.steadyState(service.serviceName));
    out.bus.push(serviceActionEvent(service, 'SERVICE_STEADY_STATE', nowMs));
  });
}

/** How many of the service's tasks (not STOPPED) each capacity provider holds: base and weight count them. */
function providerCountsOf(tasks: readonly TaskRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const task of tasks) {
    if (task.capacityProviderName === undefined || task.lastStatus === 'STOPPED' || task.desiredStatus !== 'RUNNING') {
      continue;
    }
    counts[task.capacityProviderName] = (counts[task.capacityProviderName] ?? 0) + 1;
  }
  return counts;
}

function requeueOf(
  service: ServiceRecord,
  tasks: readonly TaskRecord[],
  plan: ServicePlan,
  nowMs: number,
): ReconcileResult {
  if (service.status === 'INACTIVE') return { requeueAfterMs: INACTIVE_SERVICE_RETENTION_MS };
  const dues: number[] = [];
  if (plan.recheckAtMs !== undefined) dues.push(plan.recheckAtMs);
  if (service.throttle.nextStartAtMs !== undefined && service.throttle.nextStartAtMs > nowMs) {
    dues.push(service.throttle.nextStartAtMs);
  }
  // Target health changes in ELBv2 with no write here: look again on the clock.
  if (tasks.some((task) => task.targets !== undefined && task.lastStatus !== 'STOPPED')) {
    dues.push(nowMs + (plan.awaitingTargets ? TARGET_HEALTH_POLL_MS : TARGET_WATCH_POLL_MS));
  }
  if (dues.length === 0) return;
  return { requeueAfterMs: Math.max(0, Math.min(...dues) - nowMs) };
}
