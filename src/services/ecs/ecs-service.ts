/**
 * The ECS Service (B.5): a REPLICA service keeps `desiredCount` tasks of its task definition
 * running, a DAEMON service one task on every container instance that can take it. The record
 * holds the intent (task definition, counts, deployment configuration, load balancers,
 * placement) with its deployments and events; running and pending counts are computed from the
 * service's tasks, never stored. Deleting it turns it DRAINING until its tasks are gone, then
 * INACTIVE, still describable for a while (as ECS keeps INACTIVE services).
 */
import type {
  DeploymentConfiguration,
  LoadBalancer,
  PlacementConstraint,
  PlacementStrategy,
  Service,
  Tag,
} from '@aws-sdk/client-ecs';
import { arn, parseArn } from '../../kernel/ids.js';
import { isPendingServiceTask, isRunningServiceTask, toDeployment, type DeploymentRecord } from './deployment.js';
import { toStrategyItems, type StrategyItem } from './capacity-provider-strategy.js';
import { invalidParameter } from './errors.js';
import type { ServiceCondition, ServiceEventRecord } from './service-event.js';
import type { TaskRecord } from './task.js';

export type ServiceStatus = 'ACTIVE' | 'DRAINING' | 'INACTIVE';
export type SchedulingStrategy = 'REPLICA' | 'DAEMON';

export interface ServiceLoadBalancer {
  targetGroupArn: string;
  containerName: string;
  containerPort: number;
  /** The target group's target type, looked up when the service took this load balancer. */
  targetType: 'instance' | 'ip';
}

export interface CircuitBreaker {
  enable: boolean;
  rollback: boolean;
}

/** The task definition and load balancers of a completed deployment: what a rollback restores. */
export interface CompletedDeployment {
  id: string;
  taskDefinitionArn: string;
  loadBalancers: ServiceLoadBalancer[];
}

/** The service scheduler's back-off on tasks that keep failing to start (B.5 throttle). */
export interface StartThrottle {
  /** Tasks in a row that went from PENDING to STOPPED without ever running. */
  consecutiveStartFailures: number;
  lastFailureAtMs?: number;
  /** No task is started before this. */
  nextStartAtMs?: number;
}

export interface ServiceRecord {
  accountId: string;
  region: string;
  clusterName: string;
  clusterArn: string;
  serviceName: string;
  serviceArn: string;
  status: ServiceStatus;
  schedulingStrategy: SchedulingStrategy;
  /** REPLICA: as asked; DAEMON: the number of instances that can take a task (the scheduler's). */
  desiredCount: number;
  taskDefinitionArn: string;
  minimumHealthyPercent: number;
  maximumPercent: number;
  circuitBreaker: CircuitBreaker;
  loadBalancers: ServiceLoadBalancer[];
  healthCheckGracePeriodSeconds?: number;
  placementConstraints: PlacementConstraint[];
  placementStrategy: PlacementStrategy[];
  tags: Tag[];
  propagateTags: string;
  enableECSManagedTags: boolean;
  enableExecuteCommand: boolean;
  clientToken?: string;
  createdAtMs: number;
  /** PRIMARY first, then ACTIVE ones, newest first. */
  deployments: DeploymentRecord[];
  /** Newest first, at most 100. */
  events: ServiceEventRecord[];
  /** When each lasting condition's message was last posted (cleared when it ends). */
  conditions: Partial<Record<ServiceCondition, number>>;
  throttle: StartThrottle;
  lastCompleted?: CompletedDeployment;
  inactiveAtMs?: number;
  /** Its tasks launch through these capacity providers (B.8); absent: the EC2 launch type. */
  capacityProviderStrategy?: StrategyItem[];
}

/** REPLICA defaults 100/200; DAEMON 0/100 (`M:ecs` DeploymentConfiguration, `DG:ecs/service_definition_parameters`). */
export const DEFAULT_PERCENTS: Record<SchedulingStrategy, { minimumHealthyPercent: number; maximumPercent: number }> = {
  REPLICA: { minimumHealthyPercent: 100, maximumPercent: 200 },
  DAEMON: { minimumHealthyPercent: 0, maximumPercent: 100 },
};

/** How long an INACTIVE service stays describable. UNCONFIRMED: AWS says only "for a period". */
export const INACTIVE_SERVICE_RETENTION_MS = 3600_000;

/** `M:ecs`: up to 5 target groups per service. */
export const MAX_LOAD_BALANCERS = 5;

const SERVICE_NAME = /^[a-zA-Z0-9_-]{1,255}$/;

/** UNCONFIRMED wording: mirrors the cluster name rule's message. */
export function requireValidServiceName(name: string): void {
  if (!SERVICE_NAME.test(name)) {
    throw invalidParameter(
      'Service name can only contain alphanumeric characters, hyphens and underscores, up to 255 characters.',
    );
  }
}

export function serviceArnOf(accountId: string, region: string, clusterName: string, serviceName: string): string {
  return arn({ service: 'ecs', region, accountId, resource: `service/${clusterName}/${serviceName}` });
}

/** A service name or ARN (long `service/<cluster>/<name>` or old `service/<name>`) → the name. */
export function serviceNameOf(identifier: string): string {
  const parts = parseArn(identifier);
  if (parts && parts.resource.startsWith('service/')) return parts.resource.split('/').pop() ?? identifier;
  return identifier;
}

/** The cluster a long service ARN names, if it names one. */
export function clusterOfServiceArn(identifier: string): string | undefined {
  const parts = parseArn(identifier);
  if (!parts || !parts.resource.startsWith('service/')) return undefined;
  const segments = parts.resource.split('/');
  return segments.length === 3 ? segments[1] : undefined;
}

/** `service:<name>`: the task group of a service's tasks (`DG:ecs/ecs_cwe_events`). */
export const serviceGroupOf = (serviceName: string) => `service:${serviceName}`;

/**
 * minimumHealthyPercent / maximumPercent with AWS's defaults, the ones given replacing the
 * current ones. UNCONFIRMED: the bounds' error wording; ECS requires 0 ≤ min ≤ 100, max ≥ 100
 * (min < max not required: min = max = 100 is accepted and deadlocks, B.2) and max = 100 for
 * DAEMON services.
 */
export function percentsOf(
  schedulingStrategy: SchedulingStrategy,
  given: DeploymentConfiguration | undefined,
  current?: { minimumHealthyPercent: number; maximumPercent: number },
): { minimumHealthyPercent: number; maximumPercent: number } {
  const base = current ?? DEFAULT_PERCENTS[schedulingStrategy];
  const minimumHealthyPercent = given?.minimumHealthyPercent ?? base.minimumHealthyPercent;
  const maximumPercent = given?.maximumPercent ?? base.maximumPercent;
  if (!Number.isInteger(minimumHealthyPercent) || minimumHealthyPercent < 0 || minimumHealthyPercent > 100) {
    throw invalidParameter('minimumHealthyPercent must be between 0 and 100.');
  }
  if (!Number.isInteger(maximumPercent) || maximumPercent < 100) {
    throw invalidParameter('maximumPercent must be greater than or equal to 100.');
  }
  if (schedulingStrategy === 'DAEMON' && maximumPercent !== 100) {
    throw invalidParameter('maximumPercent must be 100 for services with the DAEMON scheduling strategy.');
  }
  return { minimumHealthyPercent, maximumPercent };
}

/** The floor of healthy tasks: ceil(desired × min%) (B.5). */
export function minimumHealthyCount(desiredCount: number, minimumHealthyPercent: number): number {
  return Math.ceil((desiredCount * minimumHealthyPercent) / 100);
}

/** The ceiling of tasks in RUNNING, PENDING or STOPPING: floor(desired × max%) (B.5). */
export function maximumTaskCount(desiredCount: number, maximumPercent: number): number {
  return Math.floor((desiredCount * maximumPercent) / 100);
}

export function toLoadBalancer(loadBalancer: ServiceLoadBalancer): LoadBalancer {
  return {
    targetGroupArn: loadBalancer.targetGroupArn,
    containerName: loadBalancer.containerName,
    containerPort: loadBalancer.containerPort,
  };
}

/** The wire shape, counts from the service's tasks. */
export function toService(record: ServiceRecord, tasks: readonly TaskRecord[], includeTags: boolean): Service {
  const mine = tasks.filter((task) => task.serviceName === record.serviceName);
  return {
    serviceArn: record.serviceArn,
    serviceName: record.serviceName,
    clusterArn: record.clusterArn,
    loadBalancers: record.loadBalancers.map(toLoadBalancer),
    serviceRegistries: [],
    status: record.status,
    desiredCount: record.desiredCount,
    runningCount: mine.filter(isRunningServiceTask).length,
    pendingCount: mine.filter(isPendingServiceTask).length,
    ...(record.capacityProviderStrategy
      ? { capacityProviderStrategy: toStrategyItems(record.capacityProviderStrategy) }
      : { launchType: 'EC2' as const }),
    taskDefinition: record.taskDefinitionArn,
    deploymentConfiguration: {
      deploymentCircuitBreaker: { ...record.circuitBreaker },
      maximumPercent: record.maximumPercent,
      minimumHealthyPercent: record.minimumHealthyPercent,
    },
    deployments: record.deployments.map((deployment) =>
      toDeployment(deployment, mine, record.desiredCount, record.capacityProviderStrategy),
    ),
    events: record.events.map((event) => ({
      id: event.id,
      createdAt: new Date(event.createdAtMs),
      message: event.message,
    })),
    createdAt: new Date(record.createdAtMs),
    placementConstraints: record.placementConstraints,
    placementStrategy: record.placementStrategy,
    ...(record.healthCheckGracePeriodSeconds !== undefined
      ? { healthCheckGracePeriodSeconds: record.healthCheckGracePeriodSeconds }
      : {}),
    schedulingStrategy: record.schedulingStrategy,
    deploymentController: { type: 'ECS' },
    enableECSManagedTags: record.enableECSManagedTags,
    propagateTags: record.propagateTags as Service['propagateTags'],
    enableExecuteCommand: record.enableExecuteCommand,
    ...(includeTags ? { tags: record.tags } : {}),
  };
}
