/**
 * A service Deployment under the ECS deployment controller (B.5, `M:ecs` Deployment): the newest
 * is PRIMARY, older ones that still have tasks are ACTIVE; `rolloutState` goes IN_PROGRESS →
 * COMPLETED on steady state, or FAILED when the circuit breaker trips. Service tasks carry their
 * deployment's id (`ecs-svc/<19 digits>`) in `startedBy`, so a deployment's counts are computed
 * from the tasks, never stored.
 */
import type { Deployment } from '@aws-sdk/client-ecs';
import type { Random } from '../../kernel/random.js';
import { toStrategyItems, type StrategyItem } from './capacity-provider-strategy.js';
import type { TaskRecord } from './task.js';

export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface DeploymentRecord {
  id: string;
  status: 'PRIMARY' | 'ACTIVE';
  taskDefinitionArn: string;
  createdAtMs: number;
  updatedAtMs: number;
  /** Consecutive failed tasks (`M:ecs` failedTasks); 0 again once a task turns healthy. */
  failedTasks: number;
  /** Healthy tasks at the last reconcile: a rise is "a task ran successfully" and resets failedTasks. */
  healthyCount: number;
  rolloutState: RolloutState;
  rolloutStateReason: string;
}

/** The rolloutStateReason texts and `ECS Deployment State Change` reasons (B.12). */
export const rolloutReasons = {
  inProgress: (id: string) => `ECS deployment ${id} in progress.`,
  completed: (id: string) => `ECS deployment ${id} completed.`,
  circuitBreakerFailed: 'ECS deployment circuit breaker: task failed to start.',
  rollingBack: (toId: string) => `ECS deployment circuit breaker: rolling back to deploymentId ${toId}.`,
};

/** `ecs-svc/` and 19 digits, the first not 0 (e.g. `ecs-svc/8709920613704280865`). */
export function deploymentIdOf(random: Random): string {
  let digits = String(random.int(1, 10));
  for (let index = 1; index < 19; index += 1) digits += String(random.int(0, 10));
  return `ecs-svc/${digits}`;
}

export function newDeployment(
  random: Random,
  taskDefinitionArn: string,
  nowMs: number,
  reason?: (id: string) => string,
): DeploymentRecord {
  const id = deploymentIdOf(random);
  return {
    id,
    status: 'PRIMARY',
    taskDefinitionArn,
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
    failedTasks: 0,
    healthyCount: 0,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: (reason ?? rolloutReasons.inProgress)(id),
  };
}

/** A task the scheduler still wants that has not got to RUNNING (Deployment/Service pendingCount). */
export function isPendingServiceTask(task: TaskRecord): boolean {
  return (
    task.desiredStatus === 'RUNNING' &&
    (task.lastStatus === 'PROVISIONING' || task.lastStatus === 'PENDING' || task.lastStatus === 'ACTIVATING')
  );
}

/** A task the scheduler still wants that is RUNNING (Deployment/Service runningCount). */
export function isRunningServiceTask(task: TaskRecord): boolean {
  return task.desiredStatus === 'RUNNING' && task.lastStatus === 'RUNNING';
}

/**
 * The wire shape. desiredCount: the service's for the PRIMARY deployment; for an ACTIVE one the
 * tasks it still keeps, which is what its count falls to as the rollout stops them.
 */
export function toDeployment(
  record: DeploymentRecord,
  tasks: readonly TaskRecord[],
  serviceDesiredCount: number,
  capacityProviderStrategy?: readonly StrategyItem[],
): Deployment {
  const mine = tasks.filter((task) => task.startedBy === record.id);
  return {
    id: record.id,
    status: record.status,
    taskDefinition: record.taskDefinitionArn,
    desiredCount:
      record.status === 'PRIMARY'
        ? serviceDesiredCount
        : mine.filter((task) => task.desiredStatus === 'RUNNING' && task.lastStatus !== 'STOPPED').length,
    pendingCount: mine.filter(isPendingServiceTask).length,
    runningCount: mine.filter(isRunningServiceTask).length,
    failedTasks: record.failedTasks,
    createdAt: new Date(record.createdAtMs),
    updatedAt: new Date(record.updatedAtMs),
    ...(capacityProviderStrategy
      ? { capacityProviderStrategy: toStrategyItems(capacityProviderStrategy) }
      : { launchType: 'EC2' as const }),
    rolloutState: record.rolloutState,
    rolloutStateReason: record.rolloutStateReason,
  };
}
