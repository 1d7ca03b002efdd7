/**
 * Launching tasks (RunTask, StartTask and the service scheduler): resolve what the task
 * needs (task definition + overrides → CPU, memory, host ports, required attributes), snapshot
 * the cluster's container instances, let `planPlacement` (pure) choose, and record one
 * PROVISIONING task per placement. The task controller takes it from there. A service task
 * behind load balancers gets its targets resolved here, from the host ports placement chose.
 * Through a capacity provider strategy (B.8) the tasks are split by base and weight and placed on
 * each provider's own instances; what does not fit waits in PROVISIONING with no instance (managed
 * scaling) until `placeWaitingTasks` finds it one.
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
import { capacityProviderArnOf, type CapacityProviderRecord } from './capacity-provider.js';
import { splitByStrategy, type StrategyItem } from './capacity-provider-strategy.js';
import { activeTasksIn, containerInstancesIn, saveTask, usageByInstance, type EcsContext } from './context.js';
import { invalidParameter, noContainerInstances } from './errors.js';
import { planPlacement, type PlacementCandidate, type PlacementRequest, type PortRequest } from './placement.js';
import { constraintSpecsOf, strategySpecsOf } from './placement-request.js';
import type { ContainerSpec, TaskSpec } from './ports.js';
import { memberKey, scopedKey, taskDefinitionKey } from './store.js';
import {
  DEFAULT_STOP_TIMEOUT_SECONDS,
  parseTaskCpu,
  parseTaskMemory,
  type TaskDefinitionRecord,
} from './task-definition.js';
import {
  holdsResources,
  isAwaitingCapacity,
  taskArnOf,
  UNPLACED,
  type ContainerRecord,
  type TaskRecord,
  type TaskTarget,
} from './task.js';

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
  /** Launch through these capacity providers (B.8) rather than on any instance of the cluster. */
  capacityProviderStrategy?: StrategyItem[];
  /** Tasks each provider already holds (a service's own: base and weight count them). */
  providerCounts?: Record<string, number>;
}

/**
 * At most this many tasks wait in PROVISIONING for capacity in a cluster ("a maximum of 100
 * tasks can be in the provisioning state for any cluster": the Deep Dive blog on cluster auto
 * scaling); beyond that a launch fails as it would without managed scaling.
 */
export const MAX_WAITING_TASKS = 100;
/** UNCONFIRMED: RunTask's failure reason when a provider's group has no container instance (a service says "No Container Instances were found in your capacity provider."). */
export const NO_PROVIDER_INSTANCES = 'No Container Instances were found in your capacity provider.';

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
  // One pass over the tasks, not one per instance: a cluster of 200 instances and 2,000 tasks.
  const groupCounts = new Map<string, Record<string, number>>();
  for (const task of tasks) {
    if (!holdsResources(task) || task.containerInstanceId === UNPLACED) continue;
    const counts = groupCounts.get(task.containerInstanceId) ?? {};
    counts[task.group] = (counts[task.group] ?? 0) + 1;
    groupCounts.set(task.containerInstanceId, counts);
  }
  return instances.map((instance) => {
    const used = usage.get(instance.containerInstanceId) ?? EMPTY_USAGE;
    return {
      ...queryTargetOf(instance, used),
      containerInstanceArn: instance.containerInstanceArn,
      status: instance.status,
      remainingCpu: instance.registeredCpu - used.cpu,
      remainingMemoryMiB: instance.registeredMemoryMiB - used.memoryMiB,
      usedTcpPorts: [...RESERVED_TCP_PORTS, ...used.tcpPorts],
      usedUdpPorts: used.udpPorts,
      groupCounts: groupCounts.get(instance.containerInstanceId) ?? {},
    };
  });
}

export function launchTasks(ctx: EcsContext, request: LaunchRequest): LaunchResult {
  if (!request.containerInstances && (request.capacityProviderStrategy?.length ?? 0) > 0) {
    return launchThroughProviders(ctx, request);
  }
  const { cluster, taskDefinition } = request;
  const needs = needsOf(taskDefinition, request.overrides);
  const group = request.group ?? `family:${taskDefinition.family}`;
  const instances = containerInstancesIn(ctx, cluster);
  const tasks = activeTasksIn(ctx, cluster);
  const base = placementBase(needs, taskDefinition, group);

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

  const nowMs = ctx.clock.now();
  const created = placements.map(({ instance, ports }) => newTask(ctx, request, instance, ports, needs, group, nowMs));
  ctx.transact(() => {
    for (const task of created) saveTask(ctx, undefined, task, true);
  });
  return { tasks: created, failures };
}

function placementBase(
  needs: TaskNeeds,
  taskDefinition: TaskDefinitionRecord,
  group: string,
): Omit<PlacementRequest, 'count' | 'constraints' | 'strategies'> {
  return {
    cpu: needs.cpuUnits,
    memoryMiB: needs.memoryMiB,
    ports: needs.ports,
    requiredAttributes: taskDefinition.requiresAttributes,
    group,
  };
}

/** The container instances of a provider's Auto Scaling group in the cluster. */
export function providerInstances(
  instances: readonly ContainerInstanceRecord[],
  provider: CapacityProviderRecord,
): ContainerInstanceRecord[] {
  return instances.filter(
    (instance) => instance.status !== 'INACTIVE' && instance.autoScalingGroupName === provider.autoScalingGroupName,
  );
}

/**
 * Launching through a capacity provider strategy (B.8): the tasks are split among the providers
 * by base and weight, and each provider's share is placed on its own group's instances. What does
 * not fit waits in PROVISIONING when the provider has managed scaling (at most 100 tasks a
 * cluster), and is a failure otherwise, as ECS does.
 */
function launchThroughProviders(ctx: EcsContext, request: LaunchRequest): LaunchResult {
  const { cluster, taskDefinition } = request;
  const needs = needsOf(taskDefinition, request.overrides);
  const group = request.group ?? `family:${taskDefinition.family}`;
  const instances = containerInstancesIn(ctx, cluster);
  const tasks = activeTasksIn(ctx, cluster);
  let waitingInCluster = tasks.filter(isAwaitingCapacity).length;
  const constraints = constraintSpecsOf(request.placementConstraints ?? [], taskDefinition);
  const strategies = strategySpecsOf(request.placementStrategy ?? []);
  const shares = new Map<string, number>();
  for (const name of splitByStrategy(request.capacityProviderStrategy!, request.providerCounts ?? {}, request.count)) {
    shares.set(name, (shares.get(name) ?? 0) + 1);
  }
  const nowMs = ctx.clock.now();
  const created: TaskRecord[] = [];
  const failures: Failure[] = [];
  for (const [name, count] of shares) {
    const provider = ctx.tables.capacityProviders.get(scopedKey(cluster.accountId, cluster.region, name));
    if (!provider || provider.status !== 'ACTIVE') {
      failures.push({ arn: capacityProviderArnOf(cluster.accountId, cluster.region, name), reason: 'MISSING' });
      continue;
    }
    const members = providerInstances(instances, provider);
    const result =
      members.length === 0
        ? { placements: [], failures: [] }
        : planPlacement(
            candidatesOf(members, [...tasks, ...created]),
            { ...placementBase(needs, taskDefinition, group), count, constraints, strategies },
            ctx.random,
          );
    const byArn = new Map(members.map((instance) => [instance.containerInstanceArn, instance]));
    for (const placement of result.placements) {
      const instance = byArn.get(placement.containerInstanceArn)!;
      created.push(newTask(ctx, request, instance, placement.ports, needs, group, nowMs, name));
    }
    let left = count - result.placements.length;
    if (left > 0 && provider.managedScaling.status === 'ENABLED') {
      const waiting = Math.min(left, Math.max(0, MAX_WAITING_TASKS - waitingInCluster));
      for (let index = 0; index < waiting; index += 1) {
        created.push(newTask(ctx, request, undefined, [], needs, group, nowMs, name));
      }
      waitingInCluster += waiting;
      left -= waiting;
    }
    if (left > 0) {
      if (members.length === 0) failures.push({ arn: provider.capacityProviderArn, reason: NO_PROVIDER_INSTANCES });
      else failures.push(...result.failures);
    }
  }
  ctx.transact(() => {
    for (const task of created) saveTask(ctx, undefined, task, true);
  });
  return { tasks: created, failures };
}

/**
 * Places the tasks waiting on a capacity provider onto its instances, oldest first, as far as
 * they fit; the rest keep waiting. Tasks alike (definition, overrides, group, placement) are
 * placed together, so spread and binpack see them as one request, as RunTask's would.
 */
export function placeWaitingTasks(
  ctx: EcsContext,
  cluster: ClusterRecord,
  provider: CapacityProviderRecord,
  waiting: readonly TaskRecord[],
  clusterTasks: readonly TaskRecord[],
): TaskRecord[] {
  const members = providerInstances(containerInstancesIn(ctx, cluster), provider).filter(
    (instance) => instance.status === 'ACTIVE' && instance.agentConnected,
  );
  if (members.length === 0 || waiting.length === 0) return [];
  const batches = new Map<string, TaskRecord[]>();
  for (const task of [...waiting].sort((a, b) => a.createdAtMs - b.createdAtMs || a.taskId.localeCompare(b.taskId))) {
    const key = JSON.stringify([
      task.taskDefinitionArn,
      task.overrides,
      task.group,
      task.awaitingCapacity?.placementConstraints,
      task.awaitingCapacity?.placementStrategy,
    ]);
    const batch = batches.get(key) ?? [];
    batch.push(task);
    batches.set(key, batch);
  }
  const byArn = new Map(members.map((instance) => [instance.containerInstanceArn, instance]));
  let tasks = [...clusterTasks];
  const placed: TaskRecord[] = [];
  const nowMs = ctx.clock.now();
  for (const batch of batches.values()) {
    const first = batch[0]!;
    const taskDefinition = ctx.tables.taskDefinitions.get(
      taskDefinitionKey(first.accountId, first.region, first.family, first.revision),
    );
    if (!taskDefinition) continue;
    const needs = needsOf(taskDefinition, first.overrides);
    const awaiting = first.awaitingCapacity!;
    const result = planPlacement(
      candidatesOf(members, tasks),
      {
        ...placementBase(needs, taskDefinition, first.group),
        count: batch.length,
        constraints: constraintSpecsOf(awaiting.placementConstraints, taskDefinition),
        strategies: strategySpecsOf(awaiting.placementStrategy),
      },
      ctx.random,
    );
    result.placements.forEach((placement, index) => {
      const task = batch[index]!;
      const instance = byArn.get(placement.containerInstanceArn)!;
      const parts = instancePartsOf(
        {
          cluster,
          taskDefinition,
          taskId: task.taskId,
          taskArn: task.taskArn,
          containerArns: task.containers.map((container) => container.containerArn),
          overrides: task.overrides,
          loadBalancers: task.awaitingCapacity?.loadBalancers ?? [],
        },
        instance,
        placement.ports,
        needs,
      );
      const { awaitingCapacity: _placed, ...rest } = task;
      placed.push({ ...rest, ...parts, version: task.version + 1, updatedAtMs: nowMs });
    });
    tasks = [...tasks, ...placed.slice(placed.length - result.placements.length)];
  }
  if (placed.length > 0) {
    const before = new Map(waiting.map((task) => [task.taskId, task]));
    ctx.transact(() => {
      for (const task of placed) saveTask(ctx, before.get(task.taskId), task, true);
    });
  }
  return placed;
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

interface TaskIdentity {
  cluster: ClusterRecord;
  taskDefinition: TaskDefinitionRecord;
  taskId: string;
  taskArn: string;
  containerArns: string[];
  overrides: TaskOverride | undefined;
  loadBalancers: readonly LaunchLoadBalancer[];
}

/** What a task takes from the instance it is placed on; with none, blanks until it is placed. */
type InstanceParts = Pick<
  TaskRecord,
  | 'containerInstanceId'
  | 'containerInstanceArn'
  | 'ec2InstanceId'
  | 'availabilityZone'
  | 'cpuArchitecture'
  | 'hostPortsTcp'
  | 'hostPortsUdp'
  | 'containers'
  | 'spec'
  | 'targets'
>;

function instancePartsOf(
  identity: TaskIdentity,
  instance: ContainerInstanceRecord | undefined,
  ports: readonly PortRequest[],
  needs: TaskNeeds,
): InstanceParts {
  const { cluster, taskDefinition, taskId } = identity;
  const hostAddress = instance?.hostAddress ?? '';
  const overridesByName = new Map((identity.overrides?.containerOverrides ?? []).map((o) => [o.name, o]));
  const containers: ContainerRecord[] = [];
  const containerSpecs: ContainerSpec[] = [];
  needs.containers.forEach((need, index) => {
    const definition = need.definition;
    const name = definition.name!;
    const override = overridesByName.get(name);
    const mine = ports.filter((port) => port.containerName === name);
    containers.push({
      containerArn: identity.containerArns[index]!,
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
        bindIP: hostAddress,
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
  });
  const spec: TaskSpec = {
    taskArn: identity.taskArn,
    taskId,
    clusterArn: cluster.clusterArn,
    containerInstanceArn: instance?.containerInstanceArn ?? '',
    ec2InstanceId: instance?.ec2InstanceId ?? '',
    availabilityZone: instance?.availabilityZone ?? '',
    family: taskDefinition.family,
    revision: taskDefinition.revision,
    hostAddress,
    containers: containerSpecs,
  };
  const targets: TaskTarget[] = instance
    ? identity.loadBalancers.map((loadBalancer) => {
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
      })
    : [];
  return {
    containerInstanceId: instance?.containerInstanceId ?? UNPLACED,
    containerInstanceArn: instance?.containerInstanceArn ?? '',
    ec2InstanceId: instance?.ec2InstanceId ?? '',
    availabilityZone: instance?.availabilityZone ?? '',
    cpuArchitecture:
      instance?.attributes.find((a) => a.name === 'ecs.cpu-architecture')?.value ?? (instance ? 'x86_64' : ''),
    hostPortsTcp: ports.filter((port) => port.protocol === 'tcp').map((port) => port.hostPort),
    hostPortsUdp: ports.filter((port) => port.protocol === 'udp').map((port) => port.hostPort),
    containers,
    spec,
    targets: targets.length > 0 ? targets : undefined,
  };
}

function newTask(
  ctx: EcsContext,
  request: LaunchRequest,
  instance: ContainerInstanceRecord | undefined,
  ports: readonly PortRequest[],
  needs: TaskNeeds,
  group: string,
  nowMs: number,
  capacityProviderName?: string,
): TaskRecord {
  const { cluster, taskDefinition } = request;
  const taskId = newTaskId(ctx.random);
  const taskArn = taskArnOf(cluster.accountId, cluster.region, cluster.clusterName, taskId);
  const containerArns = needs.containers.map(() =>
    arn({
      service: 'ecs',
      region: cluster.region,
      accountId: cluster.accountId,
      resource: `container/${cluster.clusterName}/${taskId}/${ctx.random.uuid()}`,
    }),
  );
  const { targets, ...parts } = instancePartsOf(
    {
      cluster,
      taskDefinition,
      taskId,
      taskArn,
      containerArns,
      overrides: request.overrides,
      loadBalancers: request.loadBalancers ?? [],
    },
    instance,
    ports,
    needs,
  );
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
    ...parts,
    cpuUnits: needs.cpuUnits,
    memoryMiB: needs.memoryMiB,
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
    runtimeStarted: false,
    runtimeStopRequested: false,
    protection: { enabled: false },
    ...(targets ? { targets } : {}),
    ...(capacityProviderName !== undefined ? { capacityProviderName } : {}),
    ...(instance
      ? {}
      : {
          awaitingCapacity: {
            sinceMs: nowMs,
            placementConstraints: request.placementConstraints ?? [],
            placementStrategy: request.placementStrategy ?? [],
            loadBalancers: [...(request.loadBalancers ?? [])],
          },
        }),
  };
}
