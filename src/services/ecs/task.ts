/**
 * The ECS Task and its Containers: the record the task controller converges and the shape
 * DescribeTasks shows. A task holds its container instance's CPU, memory and host ports from
 * placement until it is STOPPED; it stays describable for an hour after that (B.3).
 */
import type {
  Container,
  NetworkBinding,
  PlacementConstraint,
  PlacementStrategy,
  Tag,
  Task,
  TaskOverride,
} from '@aws-sdk/client-ecs';
import { arn, parseArn } from '../../kernel/ids.js';
import type { InstanceUsage } from './container-instance.js';
import type { TaskSpec } from './ports.js';

export type TaskStatus =
  'PROVISIONING' | 'PENDING' | 'ACTIVATING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'DEPROVISIONING' | 'STOPPED';

export type DesiredStatus = 'RUNNING' | 'STOPPED';
export type ContainerStatus = 'PENDING' | 'RUNNING' | 'STOPPED';
export type HealthStatus = 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';

export type StopCode =
  | 'TaskFailedToStart'
  | 'EssentialContainerExited'
  | 'UserInitiated'
  | 'ServiceSchedulerInitiated'
  | 'SpotInterruption'
  | 'TerminationNotice'
  | 'InfrastructureHealth';

/** How long a STOPPED task stays describable (`DG:ecs/stopped-task-errors`: "at least an hour"). */
export const STOPPED_TASK_RETENTION_MS = 3600_000;

export interface ContainerRecord {
  containerArn: string;
  name: string;
  image: string;
  essential: boolean;
  cpu: number;
  memory?: number;
  memoryReservation?: number;
  lastStatus: ContainerStatus;
  exitCode?: number;
  reason?: string;
  networkBindings: NetworkBinding[];
  /** Only for containers with a health check. */
  healthStatus?: HealthStatus;
  runtimeId?: string;
  pid?: number;
  startedAtMs?: number;
  finishedAtMs?: number;
}

/**
 * One registration of a service task with an ELBv2 target group (the service's `loadBalancers`
 * entry, resolved at placement): `instance` target groups take the EC2 instance id and the
 * container's host port, `ip` ones an address and port.
 */
export interface TaskTarget {
  targetGroupArn: string;
  containerName: string;
  containerPort: number;
  id: string;
  port: number;
}

/** Where a task's targets are: registered while ACTIVATING, deregistered while DEACTIVATING. */
export type TaskTargetsState = 'registered' | 'deregistered';

/**
 * A task started through a capacity provider with managed scaling when no instance of its group
 * had room: it waits in PROVISIONING with no container instance (B.8) until the capacity
 * controller places it (or gives up on it), keeping what placement will need.
 */
export interface AwaitingCapacity {
  sinceMs: number;
  placementConstraints: PlacementConstraint[];
  placementStrategy: PlacementStrategy[];
  loadBalancers: Array<{
    targetGroupArn: string;
    containerName: string;
    containerPort: number;
    targetType: 'instance' | 'ip';
  }>;
}

export interface TaskProtection {
  enabled: boolean;
  expiresAtMs?: number;
}

export interface TaskRecord {
  accountId: string;
  region: string;
  clusterName: string;
  clusterArn: string;
  taskId: string;
  taskArn: string;
  taskDefinitionArn: string;
  family: string;
  revision: number;
  containerInstanceId: string;
  containerInstanceArn: string;
  ec2InstanceId: string;
  availabilityZone: string;
  cpuArchitecture: string;
  /** What the task holds on its instance until STOPPED (placement's reservation). */
  cpuUnits: number;
  memoryMiB: number;
  hostPortsTcp: number[];
  hostPortsUdp: number[];
  /** Task-level cpu/memory strings from the task definition or overrides, as Task shows them. */
  cpu?: string;
  memory?: string;
  group: string;
  startedBy?: string;
  /** Set by the service scheduler for service tasks; standalone tasks have none. */
  serviceName?: string;
  overrides: TaskOverride;
  tags: Tag[];
  lastStatus: TaskStatus;
  desiredStatus: DesiredStatus;
  createdAtMs: number;
  connectivityAtMs?: number;
  pullStartedAtMs?: number;
  pullStoppedAtMs?: number;
  startedAtMs?: number;
  stoppingAtMs?: number;
  executionStoppedAtMs?: number;
  stoppedAtMs?: number;
  updatedAtMs: number;
  stopCode?: StopCode;
  stoppedReason?: string;
  /** Bumped on every change an `ECS Task State Change` event reports. */
  version: number;
  containers: ContainerRecord[];
  /** What the runtime is asked to start (host ports resolved, overrides applied). */
  spec: TaskSpec;
  runtimeStarted: boolean;
  runtimeStopRequested: boolean;
  /** The host is gone (instance stopped/terminated, or deregistered by force): no agent will report. */
  hostLost?: boolean;
  protection: TaskProtection;
  /** A service task behind load balancers: what it registers (B.3 ACTIVATING/DEACTIVATING). */
  targets?: TaskTarget[];
  targetsState?: TaskTargetsState;
  /** A stopped service task the scheduler has counted (circuit breaker, start throttle). */
  serviceAccounted?: boolean;
  /** The capacity provider that placed it, or that it waits on (B.8). */
  capacityProviderName?: string;
  /** Set while it waits in PROVISIONING for an instance of its capacity provider. */
  awaitingCapacity?: AwaitingCapacity;
}

/** The container instance id of a task that no instance has taken yet. */
export const UNPLACED = '';

export function isAwaitingCapacity(task: TaskRecord): boolean {
  return task.awaitingCapacity !== undefined && task.lastStatus === 'PROVISIONING';
}

export function taskArnOf(accountId: string, region: string, clusterName: string, taskId: string): string {
  return arn({ service: 'ecs', region, accountId, resource: `task/${clusterName}/${taskId}` });
}

/** A task id or ARN (long `task/<cluster>/<id>` or old `task/<id>`) → the id. */
export function taskIdOf(identifier: string): string {
  const parts = parseArn(identifier);
  if (parts && parts.resource.startsWith('task/')) return parts.resource.split('/').pop() ?? identifier;
  return identifier;
}

/** The cluster named by a long task ARN. */
export function clusterOfTaskArn(identifier: string): string | undefined {
  const parts = parseArn(identifier);
  if (!parts || !parts.resource.startsWith('task/')) return undefined;
  const segments = parts.resource.split('/');
  return segments.length === 3 ? segments[1] : undefined;
}

/** The store key parts of a long task ARN. */
export function taskArnParts(
  taskArn: string,
): { accountId: string; region: string; clusterName: string; taskId: string } | undefined {
  const parts = parseArn(taskArn);
  if (!parts || parts.service !== 'ecs' || !parts.resource.startsWith('task/')) return undefined;
  const segments = parts.resource.split('/');
  if (segments.length !== 3) return undefined;
  return { accountId: parts.accountId, region: parts.region, clusterName: segments[1]!, taskId: segments[2]! };
}

export function holdsResources(task: TaskRecord): boolean {
  return task.lastStatus !== 'STOPPED';
}

/**
 * runningTasksCount counts tasks that want to run and have got past PENDING; pendingTasksCount
 * those still PROVISIONING/PENDING. A task being stopped (DEACTIVATING, STOPPING,
 * DEPROVISIONING: desiredStatus STOPPED) is in neither, so a drain handler that waits for
 * runningTasksCount == 0 stops waiting before the processes have exited, as on AWS.
 * UNCONFIRMED: the model says runningTasksCount counts desiredStatus RUNNING; whether AWS also
 * counts PENDING tasks there is not documented, drydock keeps the two counts disjoint.
 */
export function isRunningForCounts(task: TaskRecord): boolean {
  return task.desiredStatus === 'RUNNING' && (task.lastStatus === 'ACTIVATING' || task.lastStatus === 'RUNNING');
}

export function isPendingForCounts(task: TaskRecord): boolean {
  return task.lastStatus === 'PROVISIONING' || task.lastStatus === 'PENDING';
}

/** What the given tasks (all on one instance) hold and count. */
export function usageOf(tasks: readonly TaskRecord[]): InstanceUsage {
  const usage: InstanceUsage = {
    cpu: 0,
    memoryMiB: 0,
    tcpPorts: [],
    udpPorts: [],
    runningTasksCount: 0,
    pendingTasksCount: 0,
    taskGroups: [],
  };
  for (const task of tasks) {
    if (!holdsResources(task)) continue;
    usage.cpu += task.cpuUnits;
    usage.memoryMiB += task.memoryMiB;
    usage.tcpPorts.push(...task.hostPortsTcp);
    usage.udpPorts.push(...task.hostPortsUdp);
    if (isRunningForCounts(task)) usage.runningTasksCount += 1;
    if (isPendingForCounts(task)) usage.pendingTasksCount += 1;
    if (!usage.taskGroups.includes(task.group)) usage.taskGroups.push(task.group);
  }
  return usage;
}

/** The task's health from its essential containers' health checks (`M:ecs` Task.healthStatus). */
export function taskHealthOf(task: TaskRecord): HealthStatus {
  const checked = task.containers.filter((container) => container.essential && container.healthStatus);
  if (checked.length === 0) return 'UNKNOWN';
  if (checked.some((container) => container.healthStatus === 'UNHEALTHY')) return 'UNHEALTHY';
  if (checked.every((container) => container.healthStatus === 'HEALTHY')) return 'HEALTHY';
  return 'UNKNOWN';
}

function toContainer(task: TaskRecord, container: ContainerRecord): Container {
  return {
    containerArn: container.containerArn,
    taskArn: task.taskArn,
    name: container.name,
    image: container.image,
    ...(container.runtimeId ? { runtimeId: container.runtimeId } : {}),
    lastStatus: container.lastStatus,
    ...(container.exitCode !== undefined ? { exitCode: container.exitCode } : {}),
    ...(container.reason !== undefined ? { reason: container.reason } : {}),
    networkBindings: container.networkBindings,
    networkInterfaces: [],
    ...(container.healthStatus ? { healthStatus: container.healthStatus } : {}),
    cpu: String(container.cpu),
    ...(container.memory !== undefined ? { memory: String(container.memory) } : {}),
    ...(container.memoryReservation !== undefined ? { memoryReservation: String(container.memoryReservation) } : {}),
  };
}

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

/** The wire shape of DescribeTasks / RunTask / StopTask. */
export function toTask(task: TaskRecord, includeTags: boolean): Task {
  const shape: Task = {
    attachments: [],
    attributes: task.cpuArchitecture ? [{ name: 'ecs.cpu-architecture', value: task.cpuArchitecture }] : [],
    ...(task.containerInstanceId !== UNPLACED
      ? { availabilityZone: task.availabilityZone, containerInstanceArn: task.containerInstanceArn }
      : {}),
    ...(task.capacityProviderName !== undefined ? { capacityProviderName: task.capacityProviderName } : {}),
    clusterArn: task.clusterArn,
    containers: task.containers.map((container) => toContainer(task, container)),
    ...(task.cpu !== undefined ? { cpu: task.cpu } : {}),
    ...(task.memory !== undefined ? { memory: task.memory } : {}),
    createdAt: date(task.createdAtMs),
    desiredStatus: task.desiredStatus,
    enableExecuteCommand: false,
    group: task.group,
    healthStatus: taskHealthOf(task),
    lastStatus: task.lastStatus,
    launchType: 'EC2',
    overrides: task.overrides,
    ...(task.connectivityAtMs !== undefined
      ? { connectivity: 'CONNECTED', connectivityAt: date(task.connectivityAtMs) }
      : {}),
    pullStartedAt: date(task.pullStartedAtMs),
    pullStoppedAt: date(task.pullStoppedAtMs),
    startedAt: date(task.startedAtMs),
    ...(task.startedBy !== undefined ? { startedBy: task.startedBy } : {}),
    stoppingAt: date(task.stoppingAtMs),
    executionStoppedAt: date(task.executionStoppedAtMs),
    stoppedAt: date(task.stoppedAtMs),
    ...(task.stopCode ? { stopCode: task.stopCode } : {}),
    ...(task.stoppedReason !== undefined ? { stoppedReason: task.stoppedReason } : {}),
    tags: includeTags ? task.tags : [],
    taskArn: task.taskArn,
    taskDefinitionArn: task.taskDefinitionArn,
    version: task.version,
  };
  // Absent timestamps are left out, not sent as null.
  for (const key of Object.keys(shape) as Array<keyof Task>) if (shape[key] === undefined) delete shape[key];
  return shape;
}
