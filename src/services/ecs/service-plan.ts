/**
 * The service scheduler's decision, as a pure function of a snapshot (B.2, B.5,
 * `DG:ecs/service_definition_parameters`, `DG:ecs/container-instance-draining`): which tasks to
 * start and which to stop so the service converges on `desiredCount` healthy tasks of its PRIMARY
 * deployment, never with fewer than ceil(desired × minimumHealthyPercent) healthy tasks nor more
 * than floor(desired × maximumPercent) tasks in RUNNING, PENDING or STOPPING.
 *
 * A task counts as healthy when it is RUNNING and: behind load balancers, every target is
 * `healthy` (and its containers HEALTHY when they have health checks); otherwise, with container
 * health checks, HEALTHY; with neither, after 40 s RUNNING (`M:ecs` DeploymentConfiguration).
 * Unhealthy tasks are replaced once `healthCheckGracePeriodSeconds` after their start has passed.
 * On a DRAINING instance PENDING tasks stop at once and RUNNING ones are replaced within the
 * percents; scale-in and deployments never choose protected tasks (B.9), draining does.
 */
import { maximumTaskCount, minimumHealthyCount, type SchedulingStrategy } from './ecs-service.js';
import { UNPLACED, type DesiredStatus, type HealthStatus, type TaskStatus } from './task.js';

/** No load balancer and no container health check: healthy after this long RUNNING. */
export const HEALTHY_AFTER_RUNNING_MS = 40_000;

export interface PlanTarget {
  targetGroupArn: string;
  id: string;
  port: number;
  /** The target group's word for it (`initial`, `healthy`, `unhealthy`, `draining`…); undefined: not there. */
  state: string | undefined;
}

export interface PlanTask {
  taskId: string;
  /** `startedBy`: the deployment that started it. */
  deploymentId?: string;
  lastStatus: TaskStatus;
  desiredStatus: DesiredStatus;
  containerInstanceId: string;
  availabilityZone: string;
  startedAtMs?: number;
  /** The essential containers' health; undefined when none has a health check. */
  containerHealth?: HealthStatus;
  /** Its target registrations; undefined when the task is behind no load balancer. */
  targets?: PlanTarget[];
  protected: boolean;
}

export interface PlanInstance {
  containerInstanceId: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  agentConnected: boolean;
  /** DAEMON: the service's placement constraints and the task's needs admit this instance. */
  eligible: boolean;
  /** Tasks on it, not STOPPED, that belong to something else (daemon tasks leave a draining instance last). */
  otherTasks: number;
}

export interface ServiceSnapshot {
  schedulingStrategy: SchedulingStrategy;
  /** REPLICA: the service's desiredCount (DAEMON computes its own). */
  desiredCount: number;
  minimumHealthyPercent: number;
  maximumPercent: number;
  healthCheckGracePeriodMs: number;
  primaryDeploymentId: string;
  /** The PRIMARY deployment's rollout FAILED: it launches nothing more and replaces nothing. */
  primaryFailed: boolean;
  /** False while the start throttle holds launches back. */
  canStart: boolean;
  /** DeleteService: every task goes, protected or not. */
  deleting: boolean;
  /** The service's tasks that are not STOPPED (STOPPED ones are ignored). */
  tasks: PlanTask[];
  instances: PlanInstance[];
}

export type StopCause =
  | { kind: 'drainingPending' }
  | { kind: 'draining' }
  | { kind: 'unhealthyTarget'; targetGroupArn: string; targetId: string; port: number }
  | { kind: 'unhealthyContainer' }
  | { kind: 'deployment' }
  | { kind: 'scaleIn' };

export interface TaskStop {
  taskId: string;
  cause: StopCause;
}

export interface ServicePlan {
  /** The desired count the plan worked to (DAEMON: the instances that can take a task). */
  desiredCount: number;
  /** REPLICA: how many PRIMARY tasks to launch. */
  start: number;
  /** DAEMON: the container instances to launch a task on. */
  startOn: string[];
  stop: TaskStop[];
  /** Healthy tasks per deployment id (the circuit breaker's "a task ran successfully"). */
  healthyByDeployment: Record<string, number>;
  /** Desired count of healthy PRIMARY tasks and nothing else left: the deployment is done. */
  steady: boolean;
  /** Tasks must be replaced but min/max healthy percent allow neither a start nor a stop. */
  deadlock: boolean;
  /** Scale-in wanted, but every task it could stop is protected. */
  protectedBlocking: boolean;
  /** When a task's health changes without any write (its 40 s, the grace period's end). */
  recheckAtMs?: number;
  /** A RUNNING task waits for its target groups to call it healthy (worth asking again soon). */
  awaitingTargets: boolean;
}

export function isHealthy(task: PlanTask, nowMs: number): boolean {
  if (task.desiredStatus !== 'RUNNING' || task.lastStatus !== 'RUNNING') return false;
  if (task.targets !== undefined && !task.targets.every((target) => target.state === 'healthy')) return false;
  if (task.containerHealth !== undefined) return task.containerHealth === 'HEALTHY';
  if (task.targets !== undefined) return true;
  return nowMs - (task.startedAtMs ?? nowMs) >= HEALTHY_AFTER_RUNNING_MS;
}

/** Why a RUNNING task is to be replaced for failing its health checks, after the grace period. */
export function unhealthyCause(task: PlanTask, gracePeriodMs: number, nowMs: number): StopCause | undefined {
  if (task.desiredStatus !== 'RUNNING' || task.lastStatus !== 'RUNNING') return undefined;
  if (nowMs < (task.startedAtMs ?? nowMs) + gracePeriodMs) return undefined;
  const failing = task.targets?.find((target) => target.state === 'unhealthy');
  if (failing) {
    return {
      kind: 'unhealthyTarget',
      targetGroupArn: failing.targetGroupArn,
      targetId: failing.id,
      port: failing.port,
    };
  }
  if (task.containerHealth === 'UNHEALTHY') return { kind: 'unhealthyContainer' };
  return undefined;
}

export function planService(snapshot: ServiceSnapshot, nowMs: number): ServicePlan {
  return snapshot.schedulingStrategy === 'DAEMON' ? planDaemon(snapshot, nowMs) : planReplica(snapshot, nowMs);
}

interface Working {
  snapshot: ServiceSnapshot;
  nowMs: number;
  inflight: PlanTask[];
  stops: TaskStop[];
  stopped: Set<string>;
}

function working(snapshot: ServiceSnapshot, nowMs: number): Working {
  return {
    snapshot,
    nowMs,
    inflight: snapshot.tasks.filter((task) => task.lastStatus !== 'STOPPED'),
    stops: [],
    stopped: new Set(),
  };
}

function stop(work: Working, task: PlanTask, cause: StopCause): void {
  if (work.stopped.has(task.taskId)) return;
  work.stopped.add(task.taskId);
  work.stops.push({ taskId: task.taskId, cause });
}

/** The stops every strategy makes first: PENDING tasks on draining instances, unhealthy tasks. */
function stopDrainingPendingAndUnhealthy(work: Working, onDrainingInstance: (task: PlanTask) => boolean): void {
  const { snapshot, nowMs } = work;
  for (const task of work.inflight) {
    if (task.desiredStatus !== 'RUNNING') continue;
    if (onDrainingInstance(task) && (task.lastStatus === 'PROVISIONING' || task.lastStatus === 'PENDING')) {
      stop(work, task, { kind: 'drainingPending' });
      continue;
    }
    if (snapshot.primaryFailed && task.deploymentId === snapshot.primaryDeploymentId) continue;
    const cause = unhealthyCause(task, snapshot.healthCheckGracePeriodMs, nowMs);
    if (cause) stop(work, task, cause);
  }
}

function healthyByDeployment(tasks: readonly PlanTask[], nowMs: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const task of tasks) {
    if (task.deploymentId !== undefined && isHealthy(task, nowMs)) {
      counts[task.deploymentId] = (counts[task.deploymentId] ?? 0) + 1;
    }
  }
  return counts;
}

/** When some task's health may change with no write: 40 s after its start, or its grace period's end. */
function awaitingTargets(work: Working): boolean {
  return work.inflight.some(
    (task) =>
      task.desiredStatus === 'RUNNING' &&
      task.lastStatus === 'RUNNING' &&
      task.targets !== undefined &&
      task.targets.some((target) => target.state !== 'healthy'),
  );
}

function recheckAt(work: Working): number | undefined {
  const { snapshot, nowMs } = work;
  const dues: number[] = [];
  for (const task of work.inflight) {
    if (task.desiredStatus !== 'RUNNING' || task.lastStatus !== 'RUNNING' || task.startedAtMs === undefined) continue;
    if (task.targets === undefined && task.containerHealth === undefined) {
      dues.push(task.startedAtMs + HEALTHY_AFTER_RUNNING_MS);
    }
    if (task.targets !== undefined || task.containerHealth !== undefined) {
      dues.push(task.startedAtMs + snapshot.healthCheckGracePeriodMs);
    }
  }
  const future = dues.filter((due) => due > nowMs);
  return future.length === 0 ? undefined : Math.min(...future);
}

/**
 * Which of the candidates scale-in stops first (`DG:ecs/task-placement`): the one in the
 * availability zone with most of the service's tasks, then on the instance with most of them;
 * ties by task id, so the choice is reproducible.
 */
export function scaleInOrder(candidates: readonly PlanTask[], all: readonly PlanTask[]): PlanTask[] {
  const perZone = new Map<string, number>();
  const perInstance = new Map<string, number>();
  for (const task of all) {
    perZone.set(task.availabilityZone, (perZone.get(task.availabilityZone) ?? 0) + 1);
    perInstance.set(task.containerInstanceId, (perInstance.get(task.containerInstanceId) ?? 0) + 1);
  }
  // zone → instance → its candidates in task id order. Each pick scans the zones, then the
  // instances of the busiest ones: k picks cost k × (zones + instances), not k × n log n.
  const byZone = new Map<string, Map<string, PlanTask[]>>();
  for (const task of [...candidates].sort((a, b) => a.taskId.localeCompare(b.taskId))) {
    const zone = byZone.get(task.availabilityZone) ?? new Map<string, PlanTask[]>();
    byZone.set(task.availabilityZone, zone);
    const list = zone.get(task.containerInstanceId) ?? [];
    zone.set(task.containerInstanceId, list);
    list.push(task);
  }
  const ordered: PlanTask[] = [];
  while (ordered.length < candidates.length) {
    let busiestZone = Number.NEGATIVE_INFINITY;
    for (const [zone, instances] of byZone) {
      if (instances.size > 0) busiestZone = Math.max(busiestZone, perZone.get(zone) ?? 0);
    }
    let best: { zone: string; instance: string; count: number; first: PlanTask } | undefined;
    for (const [zone, instances] of byZone) {
      if (instances.size === 0 || (perZone.get(zone) ?? 0) !== busiestZone) continue;
      for (const [instance, list] of instances) {
        const count = perInstance.get(instance) ?? 0;
        const first = list[0]!;
        if (!best || count > best.count || (count === best.count && first.taskId < best.first.taskId)) {
          best = { zone, instance, count, first };
        }
      }
    }
    const instances = byZone.get(best!.zone)!;
    const list = instances.get(best!.instance)!;
    const next = list.shift()!;
    if (list.length === 0) instances.delete(best!.instance);
    ordered.push(next);
    perZone.set(next.availabilityZone, (perZone.get(next.availabilityZone) ?? 1) - 1);
    perInstance.set(next.containerInstanceId, (perInstance.get(next.containerInstanceId) ?? 1) - 1);
  }
  return ordered;
}

function planReplica(snapshot: ServiceSnapshot, nowMs: number): ServicePlan {
  const work = working(snapshot, nowMs);
  const desiredCount = snapshot.deleting ? 0 : snapshot.desiredCount;
  const minimumHealthy = minimumHealthyCount(desiredCount, snapshot.minimumHealthyPercent);
  const maximumTasks = maximumTaskCount(desiredCount, snapshot.maximumPercent);
  const instances = new Map(snapshot.instances.map((instance) => [instance.containerInstanceId, instance]));
  // A task waiting for capacity is on no instance yet, so on no draining one.
  const onDrainingInstance = (task: PlanTask) =>
    task.containerInstanceId !== UNPLACED && instances.get(task.containerInstanceId)?.status !== 'ACTIVE';
  const isPrimary = (task: PlanTask) => task.deploymentId === snapshot.primaryDeploymentId;

  stopDrainingPendingAndUnhealthy(work, onDrainingInstance);
  const live = work.inflight.filter((task) => task.desiredStatus === 'RUNNING' && !work.stopped.has(task.taskId));
  // The tasks that may stay: the PRIMARY deployment's on ACTIVE instances (all deployments' when
  // the PRIMARY one failed and launches nothing, so its predecessor's tasks keep serving).
  const keepable = live.filter(
    (task) => !onDrainingInstance(task) && (snapshot.primaryFailed || isPrimary(task) || snapshot.deleting),
  );
  const kept = new Set(keepable);
  const leaving = live.filter((task) => !kept.has(task));
  const need = Math.max(0, desiredCount - keepable.length);
  const room = maximumTasks - work.inflight.length;
  const start = snapshot.canStart && !snapshot.primaryFailed ? Math.min(need, Math.max(0, room)) : 0;

  let budget = live.filter((task) => isHealthy(task, nowMs)).length - minimumHealthy;
  const stopWithin = (task: PlanTask, cause: StopCause): boolean => {
    if (!isHealthy(task, nowMs)) {
      stop(work, task, cause);
      return true;
    }
    if (budget <= 0) return false;
    budget -= 1;
    stop(work, task, cause);
    return true;
  };

  // Tasks that are leaving: draining ones (protected or not), then older deployments'
  // unprotected ones; the ones not yet healthy go first, since stopping them costs nothing.
  const leavingCandidates = leaving.filter((task) => onDrainingInstance(task) || !task.protected || snapshot.deleting);
  const causeOf = (task: PlanTask): StopCause =>
    onDrainingInstance(task) ? { kind: 'draining' } : { kind: 'deployment' };
  const byCost = (tasks: PlanTask[]) => [
    ...tasks.filter((task) => !isHealthy(task, nowMs)),
    ...tasks.filter((task) => isHealthy(task, nowMs) && onDrainingInstance(task)),
    ...tasks.filter((task) => isHealthy(task, nowMs) && !onDrainingInstance(task)),
  ];
  let blocked = 0;
  for (const task of byCost(scaleInOrder(leavingCandidates, live))) if (!stopWithin(task, causeOf(task))) blocked += 1;

  // Scale-in: more keepable tasks than desired.
  const extra = keepable.length - desiredCount;
  let protectedBlocking = false;
  if (extra > 0) {
    const candidates = keepable.filter((task) => !task.protected || snapshot.deleting);
    const chosen = scaleInOrder(candidates, live).slice(0, extra);
    if (chosen.length < extra) protectedBlocking = true;
    for (const task of byCost(chosen)) if (!stopWithin(task, { kind: 'scaleIn' })) blocked += 1;
  }

  const everythingSettled = work.inflight.every((task) => task.desiredStatus === 'RUNNING' && isHealthy(task, nowMs));
  // Nothing can move: every task is healthy and wanted, the ceiling allows no start and the
  // floor no stop (min = max = 100 % with a task to replace, B.2).
  const deadlock =
    blocked > 0 && work.stops.length === 0 && start === 0 && (need === 0 || room <= 0) && everythingSettled;
  const steady =
    work.stops.length === 0 &&
    start === 0 &&
    need === 0 &&
    leaving.length === 0 &&
    extra <= 0 &&
    work.inflight.length === keepable.length &&
    keepable.every((task) => isHealthy(task, nowMs));
  const recheckAtMs = recheckAt(work);
  return {
    desiredCount,
    start,
    startOn: [],
    stop: work.stops,
    healthyByDeployment: healthyByDeployment(live, nowMs),
    steady,
    deadlock,
    protectedBlocking,
    awaitingTargets: awaitingTargets(work),
    ...(recheckAtMs !== undefined ? { recheckAtMs } : {}),
  };
}

function planDaemon(snapshot: ServiceSnapshot, nowMs: number): ServicePlan {
  const work = working(snapshot, nowMs);
  const instances = new Map(snapshot.instances.map((instance) => [instance.containerInstanceId, instance]));
  // A task waiting for capacity is on no instance yet, so on no draining one.
  const onDrainingInstance = (task: PlanTask) =>
    task.containerInstanceId !== UNPLACED && instances.get(task.containerInstanceId)?.status !== 'ACTIVE';
  const isPrimary = (task: PlanTask) => task.deploymentId === snapshot.primaryDeploymentId;
  const eligible = snapshot.deleting
    ? []
    : snapshot.instances.filter(
        (instance) => instance.status === 'ACTIVE' && instance.agentConnected && instance.eligible,
      );
  const eligibleIds = new Set(eligible.map((instance) => instance.containerInstanceId));
  const desiredCount = eligible.length;
  const minimumHealthy = minimumHealthyCount(desiredCount, snapshot.minimumHealthyPercent);

  stopDrainingPendingAndUnhealthy(work, onDrainingInstance);
  const live = () => work.inflight.filter((task) => task.desiredStatus === 'RUNNING' && !work.stopped.has(task.taskId));
  let budget = live().filter((task) => isHealthy(task, nowMs)).length - minimumHealthy;
  let blocked = 0;
  const stopWithin = (task: PlanTask, cause: StopCause) => {
    if (isHealthy(task, nowMs)) {
      if (budget <= 0) {
        blocked += 1;
        return;
      }
      budget -= 1;
    }
    stop(work, task, cause);
  };

  for (const task of live()) {
    const instance = instances.get(task.containerInstanceId);
    if (!instance || instance.status !== 'ACTIVE') {
      // A draining instance loses its daemon task once nothing else runs there.
      if (!instance || instance.otherTasks === 0) stop(work, task, { kind: 'draining' });
    } else if (snapshot.deleting || (instance.agentConnected && !eligibleIds.has(instance.containerInstanceId))) {
      stop(work, task, { kind: 'scaleIn' });
    }
  }

  const startOn: string[] = [];
  let waiting = 0;
  for (const instance of eligible) {
    const here = live().filter((task) => task.containerInstanceId === instance.containerInstanceId);
    const primary = here.filter(isPrimary);
    const older = here.filter((task) => !isPrimary(task));
    for (const task of primary.slice(1)) stopWithin(task, { kind: 'scaleIn' });
    if (primary.length > 0) {
      for (const task of older) if (!task.protected) stopWithin(task, { kind: 'deployment' });
      continue;
    }
    if (snapshot.primaryFailed) continue;
    for (const task of older) if (!task.protected) stopWithin(task, { kind: 'deployment' });
    // maximumPercent 100: the new task waits until the old one has left the instance (STOPPED).
    const occupied = work.inflight.some((task) => task.containerInstanceId === instance.containerInstanceId);
    if (!occupied && snapshot.canStart) startOn.push(instance.containerInstanceId);
    else waiting += 1;
  }

  const remaining = live();
  const everythingSettled = work.inflight.every((task) => task.desiredStatus === 'RUNNING' && isHealthy(task, nowMs));
  const deadlock = blocked > 0 && work.stops.length === 0 && startOn.length === 0 && everythingSettled;
  const steady =
    work.stops.length === 0 &&
    startOn.length === 0 &&
    waiting === 0 &&
    work.inflight.length === remaining.length &&
    remaining.length === desiredCount &&
    remaining.every((task) => isPrimary(task) && eligibleIds.has(task.containerInstanceId) && isHealthy(task, nowMs));
  const recheckAtMs = recheckAt(work);
  return {
    desiredCount,
    start: 0,
    startOn,
    stop: work.stops,
    healthyByDeployment: healthyByDeployment(remaining, nowMs),
    steady,
    deadlock,
    protectedBlocking: false,
    awaitingTargets: awaitingTargets(work),
    ...(recheckAtMs !== undefined ? { recheckAtMs } : {}),
  };
}
