/**
 * ECS task operations: RunTask (placement), StartTask (the caller picks the instances), StopTask
 * (desiredStatus STOPPED with `Task stopped by user`/UserInitiated, or the given reason),
 * DescribeTasks (≤ 100, failures MISSING) and ListTasks (its filters, desiredStatus RUNNING by
 * default). The calls record intent; the task controller does the work on the clock.
 */
import type {
  DescribeTasksRequest,
  DescribeTasksResponse,
  Failure,
  ListTasksRequest,
  ListTasksResponse,
  RunTaskRequest,
  RunTaskResponse,
  StartTaskRequest,
  StartTaskResponse,
  StopTaskRequest,
  StopTaskResponse,
  Task,
} from '@aws-sdk/client-ecs';
import type { OperationHandler, OperationTable } from '../../kernel/operation.js';
import { effectiveStrategy } from './capacity-provider-strategy.js';
import { containerInstanceIdOf } from './container-instance.js';
import { requireActiveCluster, saveTask, taskKey, tasksIn, type EcsContext, type Scope } from './context.js';
import { invalidParameter, taskDefinitionInactive, taskDefinitionNotFound, taskNotFound } from './errors.js';
import { findTaskDefinition } from './operations-task-definition.js';
import { pageOf } from './page.js';
import { memberKey } from './store.js';
import { launchTasks, MAX_RUN_TASK_COUNT } from './task-launch.js';
import { requestStop, TASK_STOPPED_BY_USER } from './task-lifecycle.js';
import type { TaskDefinitionRecord } from './task-definition.js';
import { taskArnOf, taskIdOf, toTask } from './task.js';

/** `M:ecs` DescribeTasks: up to 100 tasks; StartTask: up to 10 container instances. */
export const MAX_DESCRIBE_TASKS = 100;
export const MAX_START_TASK_INSTANCES = 10;
/** RunTask/StartTask `group` and `startedBy` lengths (`M:ecs` docs). */
const MAX_GROUP_LENGTH = 255;
const MAX_STARTED_BY_LENGTH = 128;

function requireRunnableTaskDefinition(ctx: EcsContext, scope: Scope, identifier: string): TaskDefinitionRecord {
  const record = findTaskDefinition(ctx, scope, identifier);
  if (!record) throw taskDefinitionNotFound();
  if (record.status !== 'ACTIVE') throw taskDefinitionInactive();
  return record;
}

function requireLaunchParameters(input: { group?: string; startedBy?: string }): void {
  if (input.group !== undefined && (input.group.length === 0 || input.group.length > MAX_GROUP_LENGTH)) {
    throw invalidParameter(`group must be 1 to ${MAX_GROUP_LENGTH} characters.`);
  }
  if (input.startedBy !== undefined && input.startedBy.length > MAX_STARTED_BY_LENGTH) {
    throw invalidParameter(`startedBy can be up to ${MAX_STARTED_BY_LENGTH} characters.`);
  }
}

export function taskOperations(ctx: EcsContext): OperationTable {
  const RunTask: OperationHandler<RunTaskRequest, RunTaskResponse> = (input, scope) => {
    const cluster = requireActiveCluster(ctx, scope, input.cluster);
    // drydock runs the EC2 launch type on container instances only.
    if (input.launchType !== undefined && input.launchType !== 'EC2') {
      throw invalidParameter(
        `drydock runs tasks on EC2 container instances only; launchType ${input.launchType} is not supported.`,
      );
    }
    if (input.launchType !== undefined && (input.capacityProviderStrategy?.length ?? 0) > 0) {
      // `OBS:` what ECS answers when both are given.
      throw invalidParameter(
        'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
      );
    }
    const strategy = effectiveStrategy(
      cluster.capacityProviders ?? [],
      cluster.defaultCapacityProviderStrategy ?? [],
      input.launchType,
      input.capacityProviderStrategy,
    );
    const count = input.count ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > MAX_RUN_TASK_COUNT) {
      throw invalidParameter(`count must be between 1 and ${MAX_RUN_TASK_COUNT}.`);
    }
    requireLaunchParameters(input);
    const taskDefinition = requireRunnableTaskDefinition(ctx, scope, input.taskDefinition ?? '');
    const result = launchTasks(ctx, {
      cluster,
      taskDefinition,
      count,
      ...(input.group !== undefined ? { group: input.group } : {}),
      ...(input.startedBy !== undefined ? { startedBy: input.startedBy } : {}),
      ...(input.overrides ? { overrides: input.overrides } : {}),
      ...(input.tags ? { tags: input.tags } : {}),
      placementConstraints: input.placementConstraints ?? [],
      placementStrategy: input.placementStrategy ?? [],
      ...(strategy ? { capacityProviderStrategy: strategy } : {}),
    });
    return { tasks: result.tasks.map((task) => toTask(task, true)), failures: result.failures };
  };

  const StartTask: OperationHandler<StartTaskRequest, StartTaskResponse> = (input, scope) => {
    const cluster = requireActiveCluster(ctx, scope, input.cluster);
    const instances = input.containerInstances ?? [];
    if (instances.length === 0) throw invalidParameter('Container instances cannot be empty.');
    if (instances.length > MAX_START_TASK_INSTANCES) {
      throw invalidParameter(`Container instances cannot have more than ${MAX_START_TASK_INSTANCES} elements.`);
    }
    requireLaunchParameters(input);
    const taskDefinition = requireRunnableTaskDefinition(ctx, scope, input.taskDefinition ?? '');
    const result = launchTasks(ctx, {
      cluster,
      taskDefinition,
      count: instances.length,
      ...(input.group !== undefined ? { group: input.group } : {}),
      ...(input.startedBy !== undefined ? { startedBy: input.startedBy } : {}),
      ...(input.overrides ? { overrides: input.overrides } : {}),
      ...(input.tags ? { tags: input.tags } : {}),
      containerInstances: instances,
    });
    return { tasks: result.tasks.map((task) => toTask(task, true)), failures: result.failures };
  };

  const StopTask: OperationHandler<StopTaskRequest, StopTaskResponse> = (input, scope) => {
    const cluster = requireActiveCluster(ctx, scope, input.cluster);
    const key = memberKey(cluster.accountId, cluster.region, cluster.clusterName, taskIdOf(input.task ?? ''));
    const task = ctx.tables.tasks.get(key);
    if (!task) throw taskNotFound();
    const reason = input.reason !== undefined && input.reason !== '' ? input.reason : TASK_STOPPED_BY_USER;
    const next = requestStop(task, 'UserInitiated', reason.slice(0, 255), ctx.clock.now());
    if (next !== task) saveTask(ctx, task, next, true);
    return { task: toTask(next, false) };
  };

  const DescribeTasks: OperationHandler<DescribeTasksRequest, DescribeTasksResponse> = (input, scope) => {
    const cluster = requireActiveCluster(ctx, scope, input.cluster);
    const identifiers = input.tasks ?? [];
    if (identifiers.length === 0) throw invalidParameter('Tasks cannot be empty.');
    if (identifiers.length > MAX_DESCRIBE_TASKS) {
      throw invalidParameter(`Tasks cannot have more than ${MAX_DESCRIBE_TASKS} elements.`);
    }
    const includeTags = input.include?.includes('TAGS') ?? false;
    const tasks: Task[] = [];
    const failures: Failure[] = [];
    for (const identifier of identifiers) {
      const id = taskIdOf(identifier);
      const task = ctx.tables.tasks.get(memberKey(cluster.accountId, cluster.region, cluster.clusterName, id));
      if (task) tasks.push(toTask(task, includeTags));
      else {
        failures.push({
          arn: identifier.startsWith('arn:')
            ? identifier
            : taskArnOf(cluster.accountId, cluster.region, cluster.clusterName, id),
          reason: 'MISSING',
        });
      }
    }
    return { tasks, failures };
  };

  const ListTasks: OperationHandler<ListTasksRequest, ListTasksResponse> = (input, scope) => {
    const cluster = requireActiveCluster(ctx, scope, input.cluster);
    if (input.launchType !== undefined && input.launchType !== 'EC2') {
      return { taskArns: [] };
    }
    // ListTasks lists tasks whose desiredStatus is RUNNING unless asked otherwise; PENDING is
    // accepted and matches nothing, as on AWS.
    const desiredStatus = input.desiredStatus ?? 'RUNNING';
    const instanceId = input.containerInstance ? containerInstanceIdOf(input.containerInstance) : undefined;
    const familyName = input.family;
    const matching = tasksIn(ctx, cluster).filter(
      (task) =>
        task.desiredStatus === desiredStatus &&
        (instanceId === undefined || task.containerInstanceId === instanceId) &&
        (familyName === undefined || task.family === familyName) &&
        (input.serviceName === undefined || task.serviceName === input.serviceName) &&
        (input.startedBy === undefined || task.startedBy === input.startedBy),
    );
    const page = pageOf(matching, taskKey, input.maxResults, input.nextToken);
    return {
      taskArns: page.items.map((task) => task.taskArn),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  };

  return { RunTask, StartTask, StopTask, DescribeTasks, ListTasks };
}
