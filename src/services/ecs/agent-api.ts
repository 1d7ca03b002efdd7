/**
 * The answers behind the endpoints the ECS agent serves to a task's own processes, from ECS's
 * state: the task metadata endpoint v4 (`DG:ecs/task-metadata-endpoint-v4`, `/task` and the
 * container's `/`) and the task scale-in protection endpoint
 * (`$ECS_AGENT_URI/task-protection/v1/state`, `DG:ecs/task-scale-in-protection-endpoint`). The
 * runtime serves them over HTTP; this file only decides the JSON.
 */
import { ServiceError } from '../../kernel/service-error.js';
import type { EcsContext } from './context.js';
import type { AgentApi } from './ports.js';
import { memberKey } from './store.js';
import { getTaskProtection, updateTaskProtection } from './task-protection.js';
import { taskArnParts, taskHealthOf, type ContainerRecord, type TaskRecord } from './task.js';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined));
}

function findTask(ctx: EcsContext, taskArn: string): TaskRecord | undefined {
  const parts = taskArnParts(taskArn);
  if (!parts) return undefined;
  return ctx.tables.tasks.get(memberKey(parts.accountId, parts.region, parts.clusterName, parts.taskId));
}

function containerMetadataOf(task: TaskRecord, container: ContainerRecord): Record<string, unknown> {
  const spec = task.spec.containers.find((candidate) => candidate.name === container.name);
  return withoutUndefined({
    DockerId: container.runtimeId,
    Name: container.name,
    DockerName: `ecs-${task.family}-${task.revision}-${container.name}`,
    Image: container.image,
    Labels: {
      'com.amazonaws.ecs.cluster': task.clusterName,
      'com.amazonaws.ecs.container-name': container.name,
      'com.amazonaws.ecs.task-arn': task.taskArn,
      'com.amazonaws.ecs.task-definition-family': task.family,
      'com.amazonaws.ecs.task-definition-version': String(task.revision),
    },
    DesiredStatus: task.desiredStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING',
    KnownStatus: container.lastStatus,
    Limits: withoutUndefined({ CPU: container.cpu, Memory: container.memory ?? container.memoryReservation }),
    CreatedAt: iso(task.createdAtMs),
    StartedAt: iso(container.startedAtMs),
    FinishedAt: iso(container.finishedAtMs),
    ExitCode: container.exitCode,
    Type: 'NORMAL',
    ContainerARN: container.containerArn,
    Health: container.healthStatus ? { status: container.healthStatus } : undefined,
    Networks: [{ NetworkMode: 'bridge', IPv4Addresses: [task.spec.hostAddress] }],
    Ports: (spec?.portMappings ?? []).map((port) => ({
      ContainerPort: port.containerPort,
      Protocol: port.protocol,
      HostPort: port.hostPort,
      HostIp: task.spec.hostAddress,
    })),
  });
}

export function createAgentApi(ctx: EcsContext): AgentApi {
  return {
    taskMetadata(taskArn) {
      const task = findTask(ctx, taskArn);
      if (!task) return undefined;
      return withoutUndefined({
        Cluster: task.clusterName,
        TaskARN: task.taskArn,
        Family: task.family,
        Revision: String(task.revision),
        DesiredStatus: task.desiredStatus,
        KnownStatus: task.lastStatus,
        Limits: { CPU: task.cpuUnits / 1024, Memory: task.memoryMiB },
        PullStartedAt: iso(task.pullStartedAtMs),
        PullStoppedAt: iso(task.pullStoppedAtMs),
        AvailabilityZone: task.availabilityZone,
        LaunchType: 'EC2',
        ServiceName: task.serviceName,
        Health: { status: taskHealthOf(task) },
        Containers: task.containers.map((container) => containerMetadataOf(task, container)),
      });
    },
    containerMetadata(taskArn, containerName) {
      const task = findTask(ctx, taskArn);
      const container = task?.containers.find((candidate) => candidate.name === containerName);
      return task && container ? containerMetadataOf(task, container) : undefined;
    },
    getTaskProtection(taskArn) {
      const task = findTask(ctx, taskArn);
      const cluster = task && ctx.tables.clusters.get(`${task.accountId}/${task.region}/${task.clusterName}`);
      if (!task || !cluster) return notFound(taskArn);
      return protectionBody(getTaskProtection(ctx, cluster, [task.taskArn]));
    },
    putTaskProtection(taskArn, body) {
      const task = findTask(ctx, taskArn);
      const cluster = task && ctx.tables.clusters.get(`${task.accountId}/${task.region}/${task.clusterName}`);
      if (!task || !cluster) return { status: 404, body: notFound(taskArn) };
      if (typeof body.ProtectionEnabled !== 'boolean') {
        return errorResponse(
          400,
          taskArn,
          'InvalidParameterException',
          "Invalid request: does not contain 'ProtectionEnabled' field",
        );
      }
      const minutes = body.ExpiresInMinutes;
      if (minutes !== undefined && minutes !== null && typeof minutes !== 'number') {
        return errorResponse(
          400,
          taskArn,
          'InvalidParameterException',
          'Invalid request: ExpiresInMinutes must be a number',
        );
      }
      try {
        const result = updateTaskProtection(ctx, cluster, [task.taskArn], body.ProtectionEnabled, minutes ?? undefined);
        return { status: 200, body: protectionBody(result) };
      } catch (error) {
        if (error instanceof ServiceError) return errorResponse(error.httpStatus, taskArn, error.code, error.message);
        throw error;
      }
    },
  };
}

function protectionBody(result: ReturnType<typeof getTaskProtection>): Record<string, unknown> {
  const failure = result.failures[0];
  if (failure) return { failure: { Arn: failure.arn, Detail: failure.detail ?? null, Reason: failure.reason } };
  const protection = result.protectedTasks[0]!;
  return {
    protection: {
      ExpirationDate: protection.expirationDate ? protection.expirationDate.toISOString() : null,
      ProtectionEnabled: protection.protectionEnabled,
      TaskArn: protection.taskArn,
    },
  };
}

function notFound(taskArn: string): Record<string, unknown> {
  return { error: { Arn: taskArn, Code: 'ResourceNotFoundException', Message: 'Invalid request: no task was found' } };
}

function errorResponse(
  status: number,
  taskArn: string,
  code: string,
  message: string,
): { status: number; body: Record<string, unknown> } {
  return { status, body: { error: { Arn: taskArn, Code: code, Message: message } } };
}
