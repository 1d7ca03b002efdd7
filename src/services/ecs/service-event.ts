/**
 * Service events (B.11, `DG:ecs/service-event-messages`): the messages DescribeServices shows,
 * newest first, at most 100 kept, in AWS's exact wording; a condition's message (steady state,
 * unable to place, deadlock, throttle) is not repeated while the condition lasts, until 6 hours
 * have passed. Also the two EventBridge events a service emits (B.12): `ECS Service Action` and
 * `ECS Deployment State Change`.
 */
import type { Random } from '../../kernel/random.js';
import type { AwsEventInput } from '../events/ports.js';
import { ECS_SOURCE } from './events.js';

export interface ServiceEventRecord {
  id: string;
  createdAtMs: number;
  message: string;
}

/** `M:ecs` Service.events: the 100 latest. */
export const MAX_SERVICE_EVENTS = 100;
/** A condition's message comes again after this long if the condition still holds (B.5). */
export const DUPLICATE_EVENT_WINDOW_MS = 6 * 3600_000;

/** Conditions whose messages are posted once while they last. */
export type ServiceCondition = 'steadyState' | 'unableToPlace' | 'deadlock' | 'throttled' | 'protectedScaleIn';

const TROUBLESHOOTING = 'For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';
const UNABLE_TO_PLACE = 'was unable to place a task because no container instance met all of its requirements.';

const tasksList = (taskIds: readonly string[]) => taskIds.map((id) => `(task ${id})`).join(' ');

/** The messages, as ECS words them (`OBS:` samples in aws-semantics.md B.11). */
export const serviceMessages = {
  steadyState: (service: string) => `(service ${service}) has reached a steady state.`,
  started: (service: string, taskIds: readonly string[]) =>
    `(service ${service}) has started ${taskIds.length} tasks: ${tasksList(taskIds)}.`,
  stopped: (service: string, taskIds: readonly string[]) =>
    `(service ${service}) has stopped ${taskIds.length} running tasks: ${tasksList(taskIds)}.`,
  /** No trailing dot: that is how ECS writes it. */
  registered: (service: string, count: number, targetGroupArn: string) =>
    `(service ${service}) registered ${count} targets in (target-group ${targetGroupArn})`,
  deregistered: (service: string, count: number, targetGroupArn: string) =>
    `(service ${service}) deregistered ${count} targets in (target-group ${targetGroupArn})`,
  drainingConnections: (service: string, taskSet: string, count: number) =>
    `(service ${service}, taskSet ${taskSet}) has begun draining connections on ${count} tasks.`,
  deploymentCompleted: (service: string, deploymentId: string) =>
    `(service ${service}) (deployment ${deploymentId}) deployment completed.`,
  deploymentFailed: (service: string, deploymentId: string) =>
    `(service ${service}) (deployment ${deploymentId}) deployment failed: tasks failed to start.`,
  /** closest: the container instance that got furthest through placement's checks, and why it failed. */
  unableToPlace: (service: string, closest?: { containerInstanceId: string; phrase: string }) =>
    closest
      ? `(service ${service}) ${UNABLE_TO_PLACE} The closest matching (container-instance ${closest.containerInstanceId}) ${closest.phrase} ${TROUBLESHOOTING}`
      : `(service ${service}) ${UNABLE_TO_PLACE}`,
  noContainerInstances: (service: string) =>
    `(service ${service}) ${UNABLE_TO_PLACE} Reason: No Container Instances were found in your cluster. ${TROUBLESHOOTING}`,
  /** `OBS:` aws/containers-roadmap#653: a strategy's provider has no instance (and no managed scaling to wait on). */
  noCapacityProviderInstances: (service: string) =>
    `(service ${service}) ${UNABLE_TO_PLACE} Reason: No Container Instances were found in your capacity provider.`,
  unableToStartConsistently: (service: string) =>
    `(service ${service}) is unable to consistently start tasks successfully.`,
  deadlock: (service: string) =>
    `(service ${service}) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.`,
  protectedScaleIn: (service: string, taskSet: string) =>
    `(service ${service}) was unable to reach steady state because task set (${taskSet}) was unable to scale in. Reason: The number of protected tasks are more than the desired count of tasks.`,
  /** UNCONFIRMED: the reason text; ELBv2's state port gives the state, not its reason code. */
  unhealthyTarget: (service: string, targetId: string, port: number, targetGroupArn: string) =>
    `(service ${service}) (instance ${targetId}) (port ${port}) is unhealthy in (target-group ${targetGroupArn}) due to (reason Health checks failed).`,
  unhealthyContainer: (service: string, taskId: string) =>
    `(service ${service}) (task ${taskId}) failed container health checks.`,
};

/** What a placement failure reason (placement.ts) reads as after "The closest matching (…)". */
export const CLOSEST_MATCH_PHRASES: Readonly<Record<string, string>> = {
  ATTRIBUTE: 'is missing an attribute required by your task.',
  'RESOURCE:PORTS': 'is already using a port required by your task.',
  'RESOURCE:PORTS_UDP': 'is already using a port required by your task.',
  'RESOURCE:MEMORY': 'has insufficient memory available.',
  'RESOURCE:CPU': 'has insufficient CPU units available.',
  AGENT: 'encountered error "AGENT".',
};

/** events with messages added (the last one newest), newest first, at most 100. */
export function withEvents(
  events: readonly ServiceEventRecord[],
  messages: readonly string[],
  nowMs: number,
  random: Random,
): ServiceEventRecord[] {
  if (messages.length === 0) return [...events];
  const added = messages.map((message) => ({ id: random.uuid(), createdAtMs: nowMs, message })).reverse();
  return [...added, ...events].slice(0, MAX_SERVICE_EVENTS);
}

/** Whether a condition's message is due now: not posted while it lasts, or posted ≥ 6 h ago. */
export function conditionDue(
  conditions: Readonly<Partial<Record<ServiceCondition, number>>>,
  condition: ServiceCondition,
  nowMs: number,
): boolean {
  const postedAtMs = conditions[condition];
  return postedAtMs === undefined || nowMs - postedAtMs >= DUPLICATE_EVENT_WINDOW_MS;
}

export type ServiceActionName =
  | 'SERVICE_STEADY_STATE'
  | 'SERVICE_DESIRED_COUNT_UPDATED'
  | 'SERVICE_TASK_START_IMPAIRED'
  | 'SERVICE_TASK_PLACEMENT_FAILURE';

const ACTION_TYPES: Record<ServiceActionName, 'INFO' | 'WARN' | 'ERROR'> = {
  SERVICE_STEADY_STATE: 'INFO',
  SERVICE_DESIRED_COUNT_UPDATED: 'INFO',
  SERVICE_TASK_START_IMPAIRED: 'WARN',
  SERVICE_TASK_PLACEMENT_FAILURE: 'ERROR',
};

interface ServiceIdentity {
  accountId: string;
  region: string;
  serviceArn: string;
  clusterArn: string;
}

/** `ECS Service Action` (B.12): resources [serviceArn]; no detail.version. */
export function serviceActionEvent(
  service: ServiceIdentity,
  eventName: ServiceActionName,
  nowMs: number,
  extra: { reason?: string; containerInstanceArns?: string[] } = {},
): AwsEventInput {
  return {
    accountId: service.accountId,
    region: service.region,
    source: ECS_SOURCE,
    detailType: 'ECS Service Action',
    resources: [service.serviceArn],
    detail: {
      eventType: ACTION_TYPES[eventName],
      eventName,
      clusterArn: service.clusterArn,
      createdAt: new Date(nowMs).toISOString(),
      ...(extra.containerInstanceArns ? { containerInstanceArns: extra.containerInstanceArns } : {}),
      ...(extra.reason !== undefined ? { reason: extra.reason } : {}),
    },
    timeMs: nowMs,
  };
}

export type DeploymentEventName =
  'SERVICE_DEPLOYMENT_IN_PROGRESS' | 'SERVICE_DEPLOYMENT_COMPLETED' | 'SERVICE_DEPLOYMENT_FAILED';

/** `ECS Deployment State Change` (B.12): resources [serviceArn]. */
export function deploymentStateChangeEvent(
  service: ServiceIdentity,
  eventName: DeploymentEventName,
  deploymentId: string,
  reason: string,
  nowMs: number,
): AwsEventInput {
  return {
    accountId: service.accountId,
    region: service.region,
    source: ECS_SOURCE,
    detailType: 'ECS Deployment State Change',
    resources: [service.serviceArn],
    detail: {
      eventType: eventName === 'SERVICE_DEPLOYMENT_FAILED' ? 'ERROR' : 'INFO',
      eventName,
      deploymentId,
      updatedAt: new Date(nowMs).toISOString(),
      reason,
    },
    timeMs: nowMs,
  };
}
