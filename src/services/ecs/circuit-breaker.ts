/**
 * The deployment circuit breaker (B.5, `DG:ecs/deployment-circuit-breaker`): a deployment in
 * progress counts its failed tasks (tasks that stop without having been told to: failed to
 * start, essential container exited, or replaced for failing ELB or container health checks);
 * a task turning healthy sets the count back to 0. At clamp(ceil(0.5 × desired), 10, 200)
 * failures the rollout is FAILED and, with `rollback`, a new deployment returns the service to
 * the last deployment that completed. Also where stopped tasks are accounted once, for the
 * breaker and for the start throttle.
 */
import type { Random } from '../../kernel/random.js';
import { newDeployment, rolloutReasons, type DeploymentRecord } from './deployment.js';
import type { CompletedDeployment, ServiceRecord } from './ecs-service.js';
import type { TaskRecord } from './task.js';
import { afterStartFailure, NO_THROTTLE } from './throttle.js';

export const CIRCUIT_BREAKER_MIN_THRESHOLD = 10;
export const CIRCUIT_BREAKER_MAX_THRESHOLD = 200;

/** 1 → 10, 25 → 13, 400 → 200 (`DG:ecs/deployment-circuit-breaker`). */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(
    CIRCUIT_BREAKER_MAX_THRESHOLD,
    Math.max(CIRCUIT_BREAKER_MIN_THRESHOLD, Math.ceil(0.5 * desiredCount)),
  );
}

/** stoppedReason of a task the scheduler replaces for failing health checks (`OBS:` B.3). */
export const TASK_FAILED_CONTAINER_HEALTH_CHECKS = 'Task failed container health checks';
export const taskFailedElbHealthChecks = (targetGroupArn: string) =>
  `Task failed ELB health checks in (target-group ${targetGroupArn})`;

/** A task that stopped without being told to, or was replaced for its health checks. */
export function isFailedTask(task: TaskRecord): boolean {
  if (task.stopCode === 'TaskFailedToStart' || task.stopCode === 'EssentialContainerExited') return true;
  const reason = task.stoppedReason ?? '';
  return reason === TASK_FAILED_CONTAINER_HEALTH_CHECKS || reason.startsWith('Task failed ELB health checks');
}

/**
 * Counts each task of the service told to stop, once (the caller marks them `serviceAccounted`):
 * a failed one against its deployment, and one that never ran against the start throttle. A
 * task that has started since the last such failure ends the throttle. Counted when the task is
 * told to stop (its stop code and reason are known then), so the replacement the scheduler
 * starts at once already sees the failure. Returns the same record when nothing changed.
 */
export function accountStoppedTasks(
  service: ServiceRecord,
  tasks: readonly TaskRecord[],
  nowMs: number,
): { service: ServiceRecord; accounted: TaskRecord[] } {
  const fresh = tasks.filter((task) => task.desiredStatus === 'STOPPED' && !task.serviceAccounted);
  let deployments = service.deployments;
  let throttle = service.throttle;
  for (const task of fresh) {
    if (!isFailedTask(task)) continue;
    deployments = deployments.map((deployment) =>
      deployment.id === task.startedBy
        ? { ...deployment, failedTasks: deployment.failedTasks + 1, updatedAtMs: nowMs }
        : deployment,
    );
    if (task.startedAtMs === undefined) throttle = afterStartFailure(throttle, nowMs);
  }
  const lastFailureAtMs = throttle.lastFailureAtMs;
  if (
    throttle.consecutiveStartFailures > 0 &&
    lastFailureAtMs !== undefined &&
    tasks.some((task) => task.startedAtMs !== undefined && task.startedAtMs >= lastFailureAtMs)
  ) {
    throttle = NO_THROTTLE;
  }
  const unchanged = deployments === service.deployments && throttle === service.throttle;
  return { service: unchanged ? service : { ...service, deployments, throttle }, accounted: fresh };
}

/** `resetOnHealthyTask`: a deployment whose healthy tasks grew has had a task run successfully. */
export function resetOnHealthyTasks(
  deployments: readonly DeploymentRecord[],
  healthyByDeployment: Readonly<Record<string, number>>,
): DeploymentRecord[] {
  return deployments.map((deployment) => {
    const healthy = healthyByDeployment[deployment.id] ?? 0;
    if (healthy === deployment.healthyCount) return deployment;
    return {
      ...deployment,
      healthyCount: healthy,
      ...(healthy > deployment.healthyCount ? { failedTasks: 0 } : {}),
    };
  });
}

export interface CircuitBreakerTrip {
  /** The deployment whose rollout FAILED. */
  failed: DeploymentRecord;
  /** The rollback deployment, when `rollback` is on and a deployment had completed before. */
  rollback?: DeploymentRecord;
  rollbackTo?: CompletedDeployment;
}

/**
 * Trips the breaker of the PRIMARY deployment when its failures reach the threshold: the rollout
 * is FAILED; with rollback a new PRIMARY deployment goes back to the last completed one's task
 * definition and load balancers (the failed one turns ACTIVE, so its tasks are drained).
 */
export function evaluateCircuitBreaker(
  service: ServiceRecord,
  desiredCount: number,
  random: Random,
  nowMs: number,
): { service: ServiceRecord; trip?: CircuitBreakerTrip } {
  const primary = service.deployments[0];
  if (!service.circuitBreaker.enable || !primary || primary.rolloutState !== 'IN_PROGRESS') return { service };
  if (primary.failedTasks < circuitBreakerThreshold(desiredCount)) return { service };
  const failed: DeploymentRecord = {
    ...primary,
    rolloutState: 'FAILED',
    rolloutStateReason: rolloutReasons.circuitBreakerFailed,
    updatedAtMs: nowMs,
  };
  const rollbackTo = service.lastCompleted;
  if (!service.circuitBreaker.rollback || !rollbackTo || rollbackTo.id === primary.id) {
    return { service: { ...service, deployments: [failed, ...service.deployments.slice(1)] }, trip: { failed } };
  }
  const rollback = newDeployment(random, rollbackTo.taskDefinitionArn, nowMs, () =>
    rolloutReasons.rollingBack(rollbackTo.id),
  );
  return {
    service: {
      ...service,
      taskDefinitionArn: rollbackTo.taskDefinitionArn,
      loadBalancers: rollbackTo.loadBalancers,
      deployments: [rollback, { ...failed, status: 'ACTIVE' }, ...service.deployments.slice(1)],
      throttle: NO_THROTTLE,
    },
    trip: { failed: { ...failed, status: 'ACTIVE' }, rollback, rollbackTo },
  };
}
