/**
 * Launching tasks (RunTask, StartTask and the service scheduler): resolve what the task
 * needs (task definition + overrides → CPU, memory, host ports, required attributes), snapshot
 * the cluster's container instances, let `planPlacement` (pure) choose, and record one
 * PROVISIONING task per placement. The task controller takes it from there. A service task
 * behind load balancers gets its targets resolved here, from the host ports placement chose.
 */
import type {
  ContainerDefinition,
  Failure,
  PlacementConstraint,
  PlacementStrategy,
  Tag,
  TaskOverride,
} from '@aws-sdk/client-ecs';
import { arn, taskId as newTaskId } from '../../kernel/ids.js';
import type { ClusterRecord } from './cluster.js';
import {
  containerInstanceIdOf,
  EMPTY_USAGE,
  queryTargetOf,
  RESERVED_TCP_PORTS,
  type ContainerInstanceRecord,
} from './container-instance.js';
import { containerInstancesIn, saveTask, tasksIn, usageByInstance, type EcsContext } from './context.js';
import { invalidParameter, noContainerInstances } from './errors.js';
import { planPlacement, type PlacementCandidate, type PlacementRequest, type PortRequest } from './placement.js';
import { constraintSpecsOf, strategySpecsOf } from './placement-request.js';
import type { ContainerSpec, TaskSpec } from './ports.js';
import { memberKey } from './store.js';
import {
  DEFAULT_STOP_TIMEOUT_SECONDS,
  parseTaskCpu,
  parseTaskMemory,
  type TaskDefinitionRecord,
} from './task-definition.js';
import { holdsResources, taskArnOf, type ContainerRecord, type TaskRecord, type TaskTarget } from './task.js';

/** RunTask's `count`: 1–10. */
export const MAX_RUN_TASK_COUNT = 10;

export interface LaunchRequest {
  cluster: ClusterRecord;
  taskDefinition: TaskDefinitionRecord;
  count: number;
  group?: string;
  startedBy?: string;
  serviceName?: string;
  overrides?: TaskOverride;
  tags?: Tag[];
  placementConstraints?: PlacementConstraint[];
  placementStrategy?: PlacementStrategy[];
  /** StartTask: one task on each of these container instances, no strategy. */
  containerInstances?: string[];
  /** A service's load balancers: the task registers as a target in each while ACTIVATING. */
  loadBalancers?: LaunchLoadBalancer[];
}

export interface LaunchLoadBalancer {
  targetGroupArn: string;
  containerName: string;
  containerPort: number;
  targetType: 'instance' | 'ip';
}

export interface LaunchResult {
  tasks: TaskRecord[];
  failures: Failure[];
}

/** What a task of this definition (with these overrides) needs on an instance. */
export interface TaskNeeds {
  cpuUnits: number;
  memoryMiB: number;
  cpu?: string;
  memory?: string;
  ports: PortRequest[];
  containers: Array<{ definition: ContainerDefinition; cpu: number; memory?: number; memoryReservation?: number }>;
}

export function needsOf(taskDefinition: TaskDefinitionRecord, overrides: TaskOverride | undefined): TaskNeeds {
  const byName = new Map((overrides?.containerOverrides ?? []).map((override) => [override.name, override]));
  for (const name of byName.keys()) {
    if (!taskDefinition.containerDefinitions.some((definition) => definition.name === name)) {
      throw invalidParameter(`Override for container named ${name ?? ''} is not a container in the TaskDefinition.`);
    }
  }
  const containers = taskDefinition.containerDefinitions.map((definition) => {
    const override = byName.get(definition.name);
    const memory = override?.memory ?? definition.memory;
    const memoryReservation = override?.memoryReservation ?? definition.memoryReservation;
    return {
      definition,
      cpu: override?.cpu ?? definition.cpu ?? 0,
      ...(memory !== undefined ? { memory } : {}),
      ...(memoryReservation !== undefined ? { memoryReservation } : {}),
    };
  });
  const cpuText = overrides?.cpu ?? taskDefinition.cpu;
  const memoryText = overrides?.memory ?? taskDefinition.memory;
  const taskCpu = cpuText === undefined ? undefined : parseTaskCpu(cpuText);
  const taskMemory = memoryText === undefined ? undefined : parseTaskMemory(memoryText);
  if (cpuText !== undefined && taskCpu === undefined) throw invalidParameter("Invalid 'cpu' override for the task.");
  if (memoryText !== undefined && taskMemory === undefined)
    throw invalidParameter("Invalid 'memory' override for the task.");
  const ports: PortRequest[] =
    taskDefinition.networkMode === 'none'
      ? []
      : containers.flatMap(({ definition }) =>
          (definition.portMappings ?? []).map((mapping) => ({
            containerName: definition.name!,
            containerPort: mapping.containerPort!,
            hostPort: mapping.hostPort ?? 0,
            protocol: mapping.protocol ?? 'tcp',
          })),
        );
  return {
    // A task-level value reserves exactly that much; otherwise the containers' sum does (the
    // soft limit memoryReservation when given, as the scheduler reserves it).
    cpuUnits: taskCpu ?? containers.reduce((sum, container) => sum + container.cpu, 0),
    memoryMiB:
      taskMemory ??
      containers.reduce((sum, container) => sum + (container.memoryReservation ?? container.memory ?? 0), 0),
    ...(taskCpu !== undefined ? { cpu: String(taskCpu) } : {}),
    ...(taskMemory !== undefined ? { memory: String(taskMemory) } : {}),
    ports,
    containers,
  };
}

function candidatesOf(
  instances: readonly ContainerInstanceRecord[],
  tasks: readonly TaskRecord[],
): PlacementCandidate[] {
  const usage = usageByInstance(tasks);
  return instances.map((instance) => {
    const used = usage.get(instance.containerInstanceId) ?? EMPTY_USAGE;
    const groupCounts: Record<string, number> = {};
    for (const task of tasks) {
      if (task.containerInstanceId !== instance.containerInstanceId || !holdsResources(task)) continue;
      groupCounts[task.group] = (groupCounts[task.group] ?? 0) + 1;
    }
    return {
      ...queryTargetOf(instance, used),
      containerInstanceArn: instance.containerInstanceArn,
      status: instance.status,
      remainingCpu: instance.registeredCpu - used.cpu,
      remainingMemoryMiB: instance.registeredMemoryMiB - used.memoryMiB,
      usedTcpPorts: [...RESERVED_TCP_PORTS, ...used.tcpPorts],
      usedUdpPorts: used.udpPorts,
      groupCounts,
    };
  });
}

export function launchTasks(ctx: EcsContext, request: LaunchRequest): LaunchResult {
  const { cluster, taskDefinition } = request;
  const needs = needsOf(taskDefinition, request.overrides);
  const group = request.group ?? `family:${taskDefinition.family}`;
  const instances = containerInstancesIn(ctx, cluster);
  const tasks = tasksIn(ctx, cluster);
  const base: Omit<PlacementRequest, 'count' | 'constraints' | 'strategies'> = {
    cpu: needs.cpuUnits,
    memoryMiB: needs.memoryMiB,
    ports: needs.ports,
    requiredAttributes: taskDefinition.requiresAttributes,
    group,
  };

  const failures: Failure[] = [];
  const placements: Array<{ instance: ContainerInstanceRecord; ports: PortRequest[] }> = [];
  if (request.containerInstances) {
    // StartTask: the caller chose the instances; only their fit is checked.
    for (const identifier of request.containerInstances) {
      const id = containerInstanceIdOf(identifier);
      const instance = ctx.tables.containerInstances.get(
        memberKey(cluster.accountId, cluster.region, cluster.clusterName, id),
      );
      const arnOf = () =>
        identifier.startsWith('arn:')
          ? identifier
          : arn({
              service: 'ecs',
              region: cluster.region,
              accountId: cluster.accountId,
              resource: `container-instance/${cluster.clusterName}/${identifier}`,
            });
      if (!instance) failures.push({ arn: arnOf(), reason: 'MISSING' });
      else if (instance.status === 'INACTIVE')
        failures.push({ arn: instance.containerInstanceArn, reason: 'INACTIVE' });
      // UNCONFIRMED: ECS's reason for StartTask onto a DRAINING instance is not documented.
      else if (instance.status === 'DRAINING')
        failures.push({ arn: instance.containerInstanceArn, reason: 'DRAINING' });
      else {
        const result = planPlacement(
          candidatesOf([instance], [...tasks, ...pendingAsTasks(placements, needs, group)]),
          { ...base, count: 1, constraints: [], strategies: [] },
          ctx.random,
        );
        const placed = result.placements[0];
        if (placed) placements.push({ instance, ports: placed.ports });
        else failures.push(...result.failures);
      }
    }
  } else {
    if (!instances.some((instance) => instance.status !== 'INACTIVE')) throw noContainerInstances();
    const result = planPlacement(
      candidatesOf(instances, tasks),
      {
        ...base,
        count: request.count,
        constraints: constraintSpecsOf(request.placementConstraints ?? [], taskDefinition),
        strategies: strategySpecsOf(request.placementStrategy ?? []),
      },
      ctx.random,
    );
    const byArn = new Map(instances.map((instance) => [instance.containerInstanceArn, instance]));
    for (const placement of result.placements) {
      placements.push({ instance: byArn.get(placement.containerInstanceArn)!, ports: placement.ports });
    }
    failures.push(...result.failures);
  }

  const created = placements.map(({ instance, ports }) =>
    newTask(ctx, request, instance, ports, needs, group, ctx.clock.now()),
  );
  ctx.transact(() => {
    for (const task of created) saveTask(ctx, undefined, task, true);
  });
  return { tasks: created, failures };
}

/** StartTask places several tasks one by one: earlier ones in the same call already hold their ports. */
function pendingAsTasks(
  placements: ReadonlyArray<{ instance: ContainerInstanceRecord; ports: PortRequest[] }>,
  needs: TaskNeeds,
  group: string,
): TaskRecord[] {
  return placements.map(
    ({ instance, ports }) =>
      ({
        containerInstanceId: instance.containerInstanceId,
        lastStatus: 'PROVISIONING',
        desiredStatus: 'RUNNING',
        cpuUnits: needs.cpuUnits,
        memoryMiB: needs.memoryMiB,
        hostPortsTcp: ports.filter((port) => port.protocol === 'tcp').map((port) => port.hostPort),
        hostPortsUdp: ports.filter((port) => port.protocol === 'udp').map((port) => port.hostPort),
        group,
      }) as TaskRecord,
  );
}

function newTask(
  ctx: EcsContext,
  request: LaunchRequest,
  instance: ContainerInstanceRecord,
  ports: readonly PortRequest[],
  needs: TaskNeeds,
  group: string,
  nowMs: number,
): TaskRecord {
  const { cluster, taskDefinition } = request;
  const taskId = newTaskId(ctx.random);
  const taskArn = taskArnOf(cluster.accountId, cluster.region, cluster.clusterName, taskId);
  const overridesByName = new Map(
    (request.overrides?.containerOverrides ?? []).map((override) => [override.name, override]),
  );
  const containers: ContainerRecord[] = [];
  const containerSpecs: ContainerSpec[] = [];
  for (const need of needs.containers) {
    const definition = need.definition;
    const name = definition.name!;
    const override = overridesByName.get(name);
    const mine = ports.filter((port) => port.containerName === name);
    containers.push({
      containerArn: arn({
        service: 'ecs',
        region: cluster.region,
        accountId: cluster.accountId,
        resource: `container/${cluster.clusterName}/${taskId}/${ctx.random.uuid()}`,
      }),
      name,
      image: definition.image!,
      essential: definition.essential ?? true,
      cpu: need.cpu,
      ...(need.memory !== undefined ? { memory: need.memory } : {}),
      ...(need.memoryReservation !== undefined ? { memoryReservation: need.memoryReservation } : {}),
      lastStatus: 'PENDING',
      // bindIP is the instance's own loopback address: that is where the process listens and
      // where a client reaches it (AWS shows 0.0.0.0 and clients use the instance's IP).
      networkBindings: mine.map((port) => ({
        bindIP: instance.hostAddress,
        containerPort: port.containerPort,
        hostPort: port.hostPort,
        protocol: port.protocol,
      })),
      ...(definition.healthCheck ? { healthStatus: 'UNKNOWN' as const } : {}),
    });
    const environment: Record<string, string> = {};
    for (const variable of [...(definition.environment ?? []), ...(override?.environment ?? [])]) {
      if (variable.name) environment[variable.name] = variable.value ?? '';
    }
    const health = definition.healthCheck;
    containerSpecs.push({
      name,
      image: definition.image!,
      essential: definition.essential ?? true,
      entryPoint: definition.entryPoint ?? [],
      command: override?.command ?? definition.command ?? [],
      environment,
      ...(definition.workingDirectory ? { workingDirectory: definition.workingDirectory } : {}),
      portMappings: mine.map((port) => ({
        containerPort: port.containerPort,
        hostPort: port.hostPort,
        protocol: port.protocol,
      })),
      stopTimeoutMs: (definition.stopTimeout ?? DEFAULT_STOP_TIMEOUT_SECONDS) * 1000,
      ...(health
        ? {
            healthCheck: {
              command: health.command ?? [],
              intervalMs: (health.interval ?? 30) * 1000,
              timeoutMs: (health.timeout ?? 5) * 1000,
              retries: health.retries ?? 3,
              startPeriodMs: (health.startPeriod ?? 0) * 1000,
            },
          }
        : {}),
      dependsOn: (definition.dependsOn ?? []).map((dependency) => ({
        containerName: dependency.containerName!,
        condition: dependency.condition ?? 'START',
      })),
    });
  }
  const spec: TaskSpec = {
    taskArn,
    taskId,
    clusterArn: cluster.clusterArn,
    containerInstanceArn: instance.containerInstanceArn,
    ec2InstanceId: instance.ec2InstanceId,
    availabilityZone: instance.availabilityZone,
    family: taskDefinition.family,
    revision: taskDefinition.revision,
    hostAddress: instance.hostAddress,
    containers: containerSpecs,
  };
  const targets: TaskTarget[] = (request.loadBalancers ?? []).map((loadBalancer) => {
    const port = ports.find(
      (mapping) =>
        mapping.containerName === loadBalancer.containerName &&
        mapping.containerPort === loadBalancer.containerPort &&
        mapping.protocol === 'tcp',
    );
    return {
      targetGroupArn: loadBalancer.targetGroupArn,
      containerName: loadBalancer.containerName,
      containerPort: loadBalancer.containerPort,
      // An `ip` target is the address the process listens on: the instance's own loopback address.
      id: loadBalancer.targetType === 'instance' ? instance.ec2InstanceId : instance.hostAddress,
      port: port?.hostPort ?? loadBalancer.containerPort,
    };
  });
  return {
    accountId: cluster.accountId,
    region: cluster.region,
    clusterName: cluster.clusterName,
    clusterArn: cluster.clusterArn,
    taskId,
    taskArn,
    taskDefinitionArn: taskDefinition.taskDefinitionArn,
    family: taskDefinition.family,
    revision: taskDefinition.revision,
    containerInstanceId: instance.containerInstanceId,
    containerInstanceArn: instance.containerInstanceArn,
    ec2InstanceId: instance.ec2InstanceId,
    availabilityZone: instance.availabilityZone,
    cpuArchitecture: instance.attributes.find((a) => a.name === 'ecs.cpu-architecture')?.value ?? 'x86_64',
    cpuUnits: needs.cpuUnits,
    memoryMiB: needs.memoryMiB,
    hostPortsTcp: ports.filter((port) => port.protocol === 'tcp').map((port) => port.hostPort),
    hostPortsUdp: ports.filter((port) => port.protocol === 'udp').map((port) => port.hostPort),
    ...(needs.cpu !== undefined ? { cpu: needs.cpu } : {}),
    ...(needs.memory !== undefined ? { memory: needs.memory } : {}),
    group,
    ...(request.startedBy !== undefined ? { startedBy: request.startedBy } : {}),
    ...(request.serviceName !== undefined ? { serviceName: request.serviceName } : {}),
    overrides: {
      containerOverrides: request.overrides?.containerOverrides ?? [],
      inferenceAcceleratorOverrides: [],
      ...(request.overrides?.cpu !== undefined ? { cpu: request.overrides.cpu } : {}),
      ...(request.overrides?.memory !== undefined ? { memory: request.overrides.memory } : {}),
    },
    tags: request.tags ?? [],
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
    version: 1,
    containers,
    spec,
    runtimeStarted: false,
    runtimeStopRequested: false,
    protection: { enabled: false },
    ...(targets.length > 0 ? { targets } : {}),
  };
}
