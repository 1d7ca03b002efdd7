/**
 * ECS service operations: CreateService, UpdateService, DeleteService, DescribeServices (≤ 10,
 * failures MISSING) and ListServices (B.5, B.6). They validate, record intent and return: a new
 * task definition, load balancers, placement or `forceNewDeployment` start a new deployment; the
 * service scheduler (service-controller.ts) does the work on the clock. drydock runs the ECS
 * deployment controller on the EC2 launch type or through Auto Scaling group capacity providers
 * (a strategy given, else the cluster's default; a changed strategy starts a new deployment).
 */
import type {
  CreateServiceRequest,
  CreateServiceResponse,
  DeleteServiceRequest,
  DeleteServiceResponse,
  DeploymentConfiguration,
  DescribeServicesRequest,
  DescribeServicesResponse,
  Failure,
  ListServicesRequest,
  ListServicesResponse,
  LoadBalancer,
  Service,
  Tag,
  UpdateServiceRequest,
  UpdateServiceResponse,
} from '@aws-sdk/client-ecs';
import type { OperationHandler, OperationTable } from '../../kernel/operation.js';
import { effectiveStrategy } from './capacity-provider-strategy.js';
import type { ClusterRecord } from './cluster.js';
import { activeTasksIn, requireActiveCluster, serviceKey, servicesIn, type EcsContext, type Scope } from './context.js';
import { newDeployment } from './deployment.js';
import {
  MAX_LOAD_BALANCERS,
  percentsOf,
  requireValidServiceName,
  serviceArnOf,
  serviceNameOf,
  toService,
  type CircuitBreaker,
  type SchedulingStrategy,
  type ServiceLoadBalancer,
  type ServiceRecord,
} from './ecs-service.js';
import {
  invalidParameter,
  serviceNotActive,
  serviceNotFound,
  serviceNotIdempotent,
  serviceScaledAboveZero,
  serviceStillDraining,
  targetGroupNotValidated,
  taskDefinitionInactive,
  taskDefinitionNotFound,
} from './errors.js';
import { findTaskDefinition } from './operations-task-definition.js';
import { pageOf } from './page.js';
import { constraintSpecsOf, strategySpecsOf } from './placement-request.js';
import { deploymentStateChangeEvent } from './service-event.js';
import { memberKey } from './store.js';
import type { TaskDefinitionRecord } from './task-definition.js';
import { NO_THROTTLE } from './throttle.js';

/** `M:ecs` DescribeServices: up to 10 services. ListServices pages 10 by default. */
export const MAX_DESCRIBE_SERVICES = 10;
export const DEFAULT_LIST_SERVICES = 10;
const MAX_TAGS = 50;
const MAX_GRACE_PERIOD_SECONDS = 2_147_483_647;
const PROPAGATE_TAGS = ['NONE', 'SERVICE', 'TASK_DEFINITION'];

function requireLaunchType(launchType: string | undefined, strategy: readonly unknown[] | undefined): void {
  const hasStrategy = strategy !== undefined && strategy.length > 0;
  if (launchType !== undefined && hasStrategy) {
    // `OBS:` what ECS answers when both are given.
    throw invalidParameter(
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
    );
  }
  if (launchType !== undefined && launchType !== 'EC2') {
    throw invalidParameter(
      `drydock runs services on EC2 container instances only; launchType ${launchType} is not supported.`,
    );
  }
}

function requireDeploymentController(type: string | undefined): void {
  if (type !== undefined && type !== 'ECS') {
    throw invalidParameter(`drydock supports the ECS deployment controller only; ${type} is not supported yet.`);
  }
}

function requireRunnable(ctx: EcsContext, scope: Scope, identifier: string | undefined): TaskDefinitionRecord {
  // UNCONFIRMED wording for a missing taskDefinition under the ECS controller.
  if (identifier === undefined || identifier === '') throw invalidParameter('Task Definition can not be blank.');
  const record = findTaskDefinition(ctx, scope, identifier);
  if (!record) throw taskDefinitionNotFound();
  if (record.status !== 'ACTIVE') throw taskDefinitionInactive();
  return record;
}

function requireCount(desiredCount: number | undefined): void {
  if (desiredCount !== undefined && (!Number.isInteger(desiredCount) || desiredCount < 0)) {
    throw invalidParameter('desiredCount must be a non-negative integer.');
  }
}

function requireGracePeriod(seconds: number | undefined): void {
  if (seconds !== undefined && (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_GRACE_PERIOD_SECONDS)) {
    throw invalidParameter(`healthCheckGracePeriodSeconds must be between 0 and ${MAX_GRACE_PERIOD_SECONDS}.`);
  }
}

function requirePropagateTags(value: string | undefined): void {
  if (value !== undefined && !PROPAGATE_TAGS.includes(value)) {
    throw invalidParameter(`propagateTags must be one of ${PROPAGATE_TAGS.join(', ')}.`);
  }
}

function requireTags(tags: readonly Tag[]): void {
  if (tags.length > MAX_TAGS) throw invalidParameter(`A resource can have at most ${MAX_TAGS} tags.`);
  if (tags.some((tag) => tag.key?.toLowerCase().startsWith('aws:'))) {
    throw invalidParameter("Tag keys that start with 'aws:' are reserved for AWS use.");
  }
}

function circuitBreakerOf(given: DeploymentConfiguration | undefined, current?: CircuitBreaker): CircuitBreaker {
  const breaker = given?.deploymentCircuitBreaker;
  if (!breaker) return current ?? { enable: false, rollback: false };
  return { enable: breaker.enable ?? false, rollback: breaker.rollback ?? false };
}

/**
 * A service's load balancers, checked as ECS checks them: the target group exists, the container
 * and its port are in the task definition, the target type suits the network mode.
 */
function resolveLoadBalancers(
  ctx: EcsContext,
  scope: Scope,
  given: readonly LoadBalancer[],
  taskDefinition: TaskDefinitionRecord,
): ServiceLoadBalancer[] {
  if (given.length > MAX_LOAD_BALANCERS) {
    throw invalidParameter(`A service can have at most ${MAX_LOAD_BALANCERS} load balancers.`);
  }
  return given.map((loadBalancer) => {
    const targetGroupArn = loadBalancer.targetGroupArn;
    if (!targetGroupArn) {
      throw invalidParameter(
        'drydock supports target groups only: give targetGroupArn (loadBalancerName names a Classic Load Balancer).',
      );
    }
    if (!ctx.ports.loadBalancerTargets.exists(scope, targetGroupArn)) throw targetGroupNotValidated();
    const containerName = loadBalancer.containerName ?? '';
    const container = taskDefinition.containerDefinitions.find((definition) => definition.name === containerName);
    // `OBS:` ECS's words for both.
    if (!container) throw invalidParameter(`The container ${containerName} does not exist in the task definition.`);
    const containerPort = loadBalancer.containerPort;
    if (
      containerPort === undefined ||
      !(container.portMappings ?? []).some((mapping) => mapping.containerPort === containerPort)
    ) {
      throw invalidParameter(
        `The container ${containerName} did not have a container port ${String(containerPort)} defined.`,
      );
    }
    const targetType = ctx.ports.loadBalancerTargets.targetType(scope, targetGroupArn) ?? 'instance';
    const awsvpc = taskDefinition.networkMode === 'awsvpc';
    if ((targetType === 'ip') !== awsvpc) {
      throw invalidParameter(
        `The provided target group ${targetGroupArn} has target type ${targetType}, which is incompatible with the ${taskDefinition.networkMode} network mode specified in the task definition.`,
      );
    }
    return { targetGroupArn, containerName, containerPort, targetType };
  });
}

export function serviceOperations(ctx: EcsContext): OperationTable {
  const { services } = ctx.tables;
  const view = (cluster: ClusterRecord, record: ServiceRecord, includeTags: boolean): Service =>
    toService(record, activeTasksIn(ctx, cluster), includeTags);
  const find = (cluster: ClusterRecord, identifier: string | undefined) =>
    services.get(memberKey(cluster.accountId, cluster.region, cluster.clusterName, serviceNameOf(identifier ?? '')));

  const CreateService: OperationHandler<CreateServiceRequest, CreateServiceResponse> = (input, scope) => {
    const cluster = requireActiveCluster(ctx, scope, input.cluster);
    const serviceName = input.serviceName ?? '';
    requireValidServiceName(serviceName);
    requireLaunchType(input.launchType, input.capacityProviderStrategy);
    requireDeploymentController(input.deploymentController?.type);
    const schedulingStrategy = (input.schedulingStrategy ?? 'REPLICA') as SchedulingStrategy;
    if (schedulingStrategy !== 'REPLICA' && schedulingStrategy !== 'DAEMON') {
      throw invalidParameter(`schedulingStrategy must be REPLICA or DAEMON, not ${String(schedulingStrategy)}.`);
    }
    const existing = find(cluster, serviceName);
    if (existing?.status === 'DRAINING') throw serviceStillDraining();
    if (existing?.status === 'ACTIVE') {
      // UNCONFIRMED: ECS answers a repeat with the same clientToken with the service it made.
      if (input.clientToken !== undefined && input.clientToken === existing.clientToken) {
        return { service: view(cluster, existing, false) };
      }
      throw serviceNotIdempotent();
    }
    const taskDefinition = requireRunnable(ctx, scope, input.taskDefinition);
    requireCount(input.desiredCount);
    // UNCONFIRMED wordings: the rules are ECS's (desiredCount required for REPLICA, none for DAEMON,
    // no placement strategies for DAEMON).
    if (schedulingStrategy === 'REPLICA' && input.desiredCount === undefined) {
      throw invalidParameter('The desired count is required for services using the REPLICA scheduling strategy.');
    }
    if (schedulingStrategy === 'DAEMON' && (input.desiredCount ?? 0) > 0) {
      throw invalidParameter('The daemon scheduling strategy does not support a desired count for services.');
    }
    if (schedulingStrategy === 'DAEMON' && (input.placementStrategy ?? []).length > 0) {
      throw invalidParameter('Placement strategies are not supported with the DAEMON scheduling strategy.');
    }
    const percents = percentsOf(schedulingStrategy, input.deploymentConfiguration);
    // A DAEMON service runs on every instance; strategies place REPLICA tasks only (UNCONFIRMED wording).
    if (schedulingStrategy === 'DAEMON' && (input.capacityProviderStrategy?.length ?? 0) > 0) {
      throw invalidParameter('Capacity provider strategies are not supported with the DAEMON scheduling strategy.');
    }
    const capacityProviderStrategy =
      schedulingStrategy === 'REPLICA'
        ? effectiveStrategy(
            cluster.capacityProviders ?? [],
            cluster.defaultCapacityProviderStrategy ?? [],
            input.launchType,
            input.capacityProviderStrategy,
          )
        : undefined;
    constraintSpecsOf(input.placementConstraints ?? [], taskDefinition);
    strategySpecsOf(input.placementStrategy ?? []);
    const loadBalancers = resolveLoadBalancers(ctx, scope, input.loadBalancers ?? [], taskDefinition);
    requireGracePeriod(input.healthCheckGracePeriodSeconds);
    requirePropagateTags(input.propagateTags);
    requireTags(input.tags ?? []);
    const nowMs = ctx.clock.now();
    const deployment = newDeployment(ctx.random, taskDefinition.taskDefinitionArn, nowMs);
    const record: ServiceRecord = {
      accountId: cluster.accountId,
      region: cluster.region,
      clusterName: cluster.clusterName,
      clusterArn: cluster.clusterArn,
      serviceName,
      serviceArn: serviceArnOf(cluster.accountId, cluster.region, cluster.clusterName, serviceName),
      status: 'ACTIVE',
      schedulingStrategy,
      desiredCount: schedulingStrategy === 'REPLICA' ? input.desiredCount! : 0,
      taskDefinitionArn: taskDefinition.taskDefinitionArn,
      ...percents,
      circuitBreaker: circuitBreakerOf(input.deploymentConfiguration),
      loadBalancers,
      // ECS shows a grace period of 0 on services behind load balancers when none was given.
      ...(input.healthCheckGracePeriodSeconds !== undefined || loadBalancers.length > 0
        ? { healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds ?? 0 }
        : {}),
      placementConstraints: input.placementConstraints ?? [],
      placementStrategy: input.placementStrategy ?? [],
      tags: input.tags ?? [],
      propagateTags: input.propagateTags ?? 'NONE',
      enableECSManagedTags: input.enableECSManagedTags ?? false,
      enableExecuteCommand: input.enableExecuteCommand ?? false,
      ...(input.clientToken !== undefined ? { clientToken: input.clientToken } : {}),
      createdAtMs: nowMs,
      deployments: [deployment],
      events: [],
      conditions: {},
      throttle: NO_THROTTLE,
      ...(capacityProviderStrategy ? { capacityProviderStrategy } : {}),
    };
    ctx.transact(() => {
      services.put(serviceKey(record), record);
      ctx.publish(
        deploymentStateChangeEvent(
          record,
          'SERVICE_DEPLOYMENT_IN_PROGRESS',
          deployment.id,
          deployment.rolloutStateReason,
          nowMs,
        ),
      );
    });
    return { service: view(cluster, record, false) };
  };

  const UpdateService: OperationHandler<UpdateServiceRequest, UpdateServiceResponse> = (input, scope) => {
    const cluster = requireActiveCluster(ctx, scope, input.cluster);
    const record = find(cluster, input.service);
    if (!record) throw serviceNotFound();
    if (record.status !== 'ACTIVE') throw serviceNotActive();
    const strategyGiven = input.capacityProviderStrategy !== undefined;
    if (strategyGiven && record.schedulingStrategy === 'DAEMON' && input.capacityProviderStrategy!.length > 0) {
      throw invalidParameter('Capacity provider strategies are not supported with the DAEMON scheduling strategy.');
    }
    // An empty strategy goes back to the cluster's default, or the EC2 launch type without one.
    const capacityProviderStrategy = strategyGiven
      ? effectiveStrategy(
          cluster.capacityProviders ?? [],
          cluster.defaultCapacityProviderStrategy ?? [],
          undefined,
          input.capacityProviderStrategy,
        )
      : record.capacityProviderStrategy;
    requireDeploymentController(input.deploymentController?.type);
    requireCount(input.desiredCount);
    if (record.schedulingStrategy === 'DAEMON' && input.desiredCount !== undefined) {
      throw invalidParameter('The daemon scheduling strategy does not support a desired count for services.');
    }
    if (record.schedulingStrategy === 'DAEMON' && (input.placementStrategy ?? []).length > 0) {
      throw invalidParameter('Placement strategies are not supported with the DAEMON scheduling strategy.');
    }
    const taskDefinition =
      input.taskDefinition !== undefined
        ? requireRunnable(ctx, scope, input.taskDefinition)
        : findTaskDefinition(ctx, scope, record.taskDefinitionArn);
    const percents = percentsOf(record.schedulingStrategy, input.deploymentConfiguration, record);
    if (taskDefinition) {
      constraintSpecsOf(input.placementConstraints ?? record.placementConstraints, taskDefinition);
    }
    strategySpecsOf(input.placementStrategy ?? []);
    const newTaskDefinition =
      taskDefinition !== undefined && taskDefinition.taskDefinitionArn !== record.taskDefinitionArn;
    // Load balancers are checked against the task definition the same call sets.
    const loadBalancers =
      taskDefinition && (input.loadBalancers !== undefined || newTaskDefinition)
        ? resolveLoadBalancers(
            ctx,
            scope,
            input.loadBalancers ?? record.loadBalancers.map((loadBalancer) => ({ ...loadBalancer })),
            taskDefinition,
          )
        : record.loadBalancers;
    requireGracePeriod(input.healthCheckGracePeriodSeconds);
    requirePropagateTags(input.propagateTags);

    const nowMs = ctx.clock.now();
    const changes = (given: unknown, current: unknown) =>
      given !== undefined && JSON.stringify(given) !== JSON.stringify(current);
    // UNCONFIRMED: which changes start a deployment besides the task definition and
    // forceNewDeployment; drydock counts load balancers and placement, which new tasks need.
    const deploy =
      newTaskDefinition ||
      (input.forceNewDeployment ?? false) ||
      JSON.stringify(loadBalancers) !== JSON.stringify(record.loadBalancers) ||
      changes(input.placementConstraints, record.placementConstraints) ||
      changes(input.placementStrategy, record.placementStrategy) ||
      JSON.stringify(capacityProviderStrategy ?? null) !== JSON.stringify(record.capacityProviderStrategy ?? null);
    let next: ServiceRecord = {
      ...record,
      ...(input.desiredCount !== undefined ? { desiredCount: input.desiredCount } : {}),
      ...percents,
      circuitBreaker: circuitBreakerOf(input.deploymentConfiguration, record.circuitBreaker),
      loadBalancers,
      ...(taskDefinition ? { taskDefinitionArn: taskDefinition.taskDefinitionArn } : {}),
      ...(input.healthCheckGracePeriodSeconds !== undefined
        ? { healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds }
        : {}),
      ...(input.placementConstraints !== undefined ? { placementConstraints: input.placementConstraints } : {}),
      ...(input.placementStrategy !== undefined ? { placementStrategy: input.placementStrategy } : {}),
      ...(input.propagateTags !== undefined ? { propagateTags: input.propagateTags } : {}),
      ...(input.enableECSManagedTags !== undefined ? { enableECSManagedTags: input.enableECSManagedTags } : {}),
      ...(input.enableExecuteCommand !== undefined ? { enableExecuteCommand: input.enableExecuteCommand } : {}),
    };
    if (capacityProviderStrategy) next.capacityProviderStrategy = capacityProviderStrategy;
    else delete next.capacityProviderStrategy;
    const deployment = deploy ? newDeployment(ctx.random, next.taskDefinitionArn, nowMs) : undefined;
    if (deployment) {
      next = {
        ...next,
        deployments: [
          deployment,
          ...next.deployments.map((old) => ({ ...old, status: 'ACTIVE' as const, updatedAtMs: nowMs })),
        ],
        // A new deployment (a new task definition) ends the start throttle (B.5).
        throttle: NO_THROTTLE,
      };
    }
    ctx.transact(() => {
      services.put(serviceKey(next), next);
      if (deployment) {
        ctx.publish(
          deploymentStateChangeEvent(
            next,
            'SERVICE_DEPLOYMENT_IN_PROGRESS',
            deployment.id,
            deployment.rolloutStateReason,
            nowMs,
          ),
        );
      }
    });
    return { service: view(cluster, next, false) };
  };

  const DeleteService: OperationHandler<DeleteServiceRequest, DeleteServiceResponse> = (input, scope) => {
    const cluster = requireActiveCluster(ctx, scope, input.cluster);
    const record = find(cluster, input.service);
    if (!record || record.status === 'INACTIVE') throw serviceNotFound();
    if (record.status === 'DRAINING') return { service: view(cluster, record, false) };
    // A DAEMON service's count is the scheduler's own: it can be deleted as it is.
    if (record.schedulingStrategy === 'REPLICA' && record.desiredCount > 0 && !input.force) {
      throw serviceScaledAboveZero();
    }
    const next: ServiceRecord = { ...record, status: 'DRAINING', desiredCount: 0 };
    services.put(serviceKey(next), next);
    return { service: view(cluster, next, false) };
  };

  const DescribeServices: OperationHandler<DescribeServicesRequest, DescribeServicesResponse> = (input, scope) => {
    const cluster = requireActiveCluster(ctx, scope, input.cluster);
    const identifiers = input.services ?? [];
    if (identifiers.length === 0) throw invalidParameter('Services cannot be empty.');
    if (identifiers.length > MAX_DESCRIBE_SERVICES) {
      throw invalidParameter(`Services cannot have more than ${MAX_DESCRIBE_SERVICES} elements.`);
    }
    const includeTags = input.include?.includes('TAGS') ?? false;
    const tasks = activeTasksIn(ctx, cluster);
    const found: Service[] = [];
    const failures: Failure[] = [];
    for (const identifier of identifiers) {
      const record = find(cluster, identifier);
      if (record) found.push(toService(record, tasks, includeTags));
      else {
        failures.push({
          arn: identifier.startsWith('arn:')
            ? identifier
            : serviceArnOf(cluster.accountId, cluster.region, cluster.clusterName, identifier),
          reason: 'MISSING',
        });
      }
    }
    return { services: found, failures };
  };

  const ListServices: OperationHandler<ListServicesRequest, ListServicesResponse> = (input, scope) => {
    const cluster = requireActiveCluster(ctx, scope, input.cluster);
    if (input.launchType !== undefined && input.launchType !== 'EC2') return { serviceArns: [] };
    const matching = servicesIn(ctx, cluster).filter(
      (record) =>
        record.status !== 'INACTIVE' &&
        (input.schedulingStrategy === undefined || record.schedulingStrategy === input.schedulingStrategy),
    );
    const page = pageOf(
      matching,
      (record) => record.serviceName,
      input.maxResults ?? DEFAULT_LIST_SERVICES,
      input.nextToken,
    );
    return {
      serviceArns: page.items.map((record) => record.serviceArn),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  };

  return { CreateService, UpdateService, DeleteService, DescribeServices, ListServices };
}
