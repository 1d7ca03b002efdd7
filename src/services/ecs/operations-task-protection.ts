/**
 * ECS task scale-in protection operations: UpdateTaskProtection (≤ 10 tasks, 1–2880 minutes,
 * default 120) and GetTaskProtection (≤ 100). Standalone tasks answer `TASK_NOT_VALID` in
 * failures[], unknown ones `MISSING` (B.9).
 */
import type {
  GetTaskProtectionRequest,
  GetTaskProtectionResponse,
  UpdateTaskProtectionRequest,
  UpdateTaskProtectionResponse,
} from '@aws-sdk/client-ecs';
import type { OperationHandler, OperationTable } from '../../kernel/operation.js';
import { requireActiveCluster, type EcsContext } from './context.js';
import { invalidParameter } from './errors.js';
import {
  getTaskProtection,
  MAX_GET_PROTECTION_TASKS,
  MAX_UPDATE_PROTECTION_TASKS,
  updateTaskProtection,
} from './task-protection.js';

export function taskProtectionOperations(ctx: EcsContext): OperationTable {
  const UpdateTaskProtection: OperationHandler<UpdateTaskProtectionRequest, UpdateTaskProtectionResponse> = (
    input,
    scope,
  ) => {
    const cluster = requireActiveCluster(ctx, scope, input.cluster);
    const tasks = input.tasks ?? [];
    if (tasks.length === 0) throw invalidParameter('Tasks cannot be empty.');
    if (tasks.length > MAX_UPDATE_PROTECTION_TASKS) {
      throw invalidParameter(`Tasks cannot have more than ${MAX_UPDATE_PROTECTION_TASKS} elements.`);
    }
    return updateTaskProtection(ctx, cluster, tasks, input.protectionEnabled ?? false, input.expiresInMinutes);
  };

  const GetTaskProtection: OperationHandler<GetTaskProtectionRequest, GetTaskProtectionResponse> = (input, scope) => {
    const cluster = requireActiveCluster(ctx, scope, input.cluster);
    const tasks = input.tasks ?? [];
    if (tasks.length > MAX_GET_PROTECTION_TASKS) {
      throw invalidParameter(`Tasks cannot have more than ${MAX_GET_PROTECTION_TASKS} elements.`);
    }
    return getTaskProtection(ctx, cluster, tasks);
  };

  return { UpdateTaskProtection, GetTaskProtection };
}
