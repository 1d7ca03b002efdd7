/**
 * Task scale-in protection (B.9, `DG:ecs/task-scale-in-protection`): a service task can be
 * protected for 1–2880 minutes (default 120); protecting it again resets the expiry; on expiry
 * `protectionEnabled` turns false by itself (the task controller's requeue on the clock).
 * Standalone tasks get `TASK_NOT_VALID`. Used by Update/GetTaskProtection and by the agent's
 * `$ECS_AGENT_URI/task-protection/v1/state` endpoint.
 */
import type { Failure, ProtectedTask } from '@aws-sdk/client-ecs';
import { saveTask, type EcsContext } from './context.js';
import type { ClusterRecord } from './cluster.js';
import { invalidParameter } from './errors.js';
import { memberKey } from './store.js';
import { taskArnOf, taskIdOf, type TaskRecord } from './task.js';

export const DEFAULT_PROTECTION_MINUTES = 120;
export const MIN_PROTECTION_MINUTES = 1;
export const MAX_PROTECTION_MINUTES = 2880;
/** Batch limits of the two operations (`M:ecs` docs). */
export const MAX_UPDATE_PROTECTION_TASKS = 10;
export const MAX_GET_PROTECTION_TASKS = 100;

/** Only tasks a service scheduler started can be protected. */
export function isServiceTask(task: TaskRecord): boolean {
  return task.serviceName !== undefined;
}

export function protectedTaskOf(task: TaskRecord): ProtectedTask {
  const { enabled, expiresAtMs } = task.protection;
  return {
    taskArn: task.taskArn,
    protectionEnabled: enabled,
    ...(enabled && expiresAtMs !== undefined ? { expirationDate: new Date(expiresAtMs) } : {}),
  };
}

export function requireValidExpiresInMinutes(expiresInMinutes: number | undefined): void {
  if (expiresInMinutes === undefined) return;
  if (
    !Number.isInteger(expiresInMinutes) ||
    expiresInMinutes < MIN_PROTECTION_MINUTES ||
    expiresInMinutes > MAX_PROTECTION_MINUTES
  ) {
    throw invalidParameter(
      `expiresInMinutes must be between ${MIN_PROTECTION_MINUTES} and ${MAX_PROTECTION_MINUTES} minutes.`,
    );
  }
}

function lookup(ctx: EcsContext, cluster: ClusterRecord, identifier: string): { task?: TaskRecord; failure?: Failure } {
  const id = taskIdOf(identifier);
  const task = ctx.tables.tasks.get(memberKey(cluster.accountId, cluster.region, cluster.clusterName, id));
  const taskArn =
    task?.taskArn ??
    (identifier.startsWith('arn:')
      ? identifier
      : taskArnOf(cluster.accountId, cluster.region, cluster.clusterName, id));
  if (!task) return { failure: { arn: taskArn, reason: 'MISSING' } };
  if (!isServiceTask(task) || task.lastStatus === 'STOPPED')
    return { failure: { arn: taskArn, reason: 'TASK_NOT_VALID' } };
  return { task };
}

export interface ProtectionResult {
  protectedTasks: ProtectedTask[];
  failures: Failure[];
}

export function updateTaskProtection(
  ctx: EcsContext,
  cluster: ClusterRecord,
  identifiers: readonly string[],
  protectionEnabled: boolean,
  expiresInMinutes: number | undefined,
): ProtectionResult {
  requireValidExpiresInMinutes(expiresInMinutes);
  const result: ProtectionResult = { protectedTasks: [], failures: [] };
  const nowMs = ctx.clock.now();
  ctx.transact(() => {
    for (const identifier of identifiers) {
      const { task, failure } = lookup(ctx, cluster, identifier);
      if (!task) {
        result.failures.push(failure!);
        continue;
      }
      const protection = protectionEnabled
        ? { enabled: true, expiresAtMs: nowMs + (expiresInMinutes ?? DEFAULT_PROTECTION_MINUTES) * 60_000 }
        : { enabled: false };
      const next: TaskRecord = { ...task, protection };
      // Protection is not part of the Task shape: no version bump, no task event.
      saveTask(ctx, task, next, false);
      result.protectedTasks.push(protectedTaskOf(next));
    }
  });
  return result;
}

export function getTaskProtection(
  ctx: EcsContext,
  cluster: ClusterRecord,
  identifiers: readonly string[],
): ProtectionResult {
  const result: ProtectionResult = { protectedTasks: [], failures: [] };
  for (const identifier of identifiers) {
    const { task, failure } = lookup(ctx, cluster, identifier);
    if (task) result.protectedTasks.push(protectedTaskOf(task));
    else result.failures.push(failure!);
  }
  return result;
}
