/**
 * What the ECS container agent on an EC2 instance does with the instance's life, from EC2's
 * facts: when the instance reaches `running` the agent reads ECS_CLUSTER (else `default`) and
 * ECS_INSTANCE_ATTRIBUTES from its config (here: the user data) and registers a container
 * instance; when the instance stops, the agent disconnects and its tasks are gone; when it
 * terminates, ECS deregisters the container instance (INACTIVE) and stops its tasks (B.1).
 */
import { containerInstanceId as newContainerInstanceId } from '../../kernel/ids.js';
import type { InstanceStateChange } from '../ec2/ports.js';
import { DEFAULT_CLUSTER_NAME } from './cluster.js';
import {
  hostAddressOf,
  newContainerInstance,
  type ContainerInstanceRecord,
  type InstanceAttribute,
} from './container-instance.js';
import {
  registerContainerInstance,
  saveContainerInstance,
  saveTask,
  taskKey,
  tasksOnInstance,
  type EcsContext,
  type Scope,
} from './context.js';
import { scopedKey } from './store.js';
import { requestStop } from './task-lifecycle.js';
import type { StopCode } from './task.js';

const HOST_ADDRESS_KEY = 'loopback';

/** `ECS_CLUSTER=name` anywhere in the user data (a bare line, or `echo ECS_CLUSTER=… >> /etc/ecs/ecs.config`). */
export function clusterNameFromUserData(userData: string): string {
  const match = /ECS_CLUSTER=["']?([A-Za-z0-9_-]+)/.exec(userData);
  return match?.[1] ?? DEFAULT_CLUSTER_NAME;
}

/** `ECS_INSTANCE_ATTRIBUTES={"stack":"prod"}`: the agent's custom attributes, if the JSON reads. */
export function customAttributesFromUserData(userData: string): InstanceAttribute[] | undefined {
  const match = /ECS_INSTANCE_ATTRIBUTES=['"]?(\{[^\n]*?\})/.exec(userData);
  if (!match) return [];
  try {
    const parsed = JSON.parse(match[1]!) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    return Object.entries(parsed as Record<string, unknown>).map(([name, value]) => ({ name, value: String(value) }));
  } catch {
    return undefined;
  }
}

export function findContainerInstanceByEc2Id(
  ctx: EcsContext,
  scope: Scope,
  ec2InstanceId: string,
): ContainerInstanceRecord | undefined {
  const candidates = ctx.tables.containerInstances
    .withPrefix(`${scope.accountId}/${scope.region}/`)
    .filter((record) => record.ec2InstanceId === ec2InstanceId);
  return candidates.find((record) => record.status !== 'INACTIVE') ?? candidates[candidates.length - 1];
}

/** Hands out the next loopback address; never reuses one, so an address names one instance. */
function allocateHostAddress(ctx: EcsContext): string {
  const current = ctx.tables.hostAddresses.get(HOST_ADDRESS_KEY)?.lastIndex ?? 0;
  ctx.tables.hostAddresses.put(HOST_ADDRESS_KEY, { lastIndex: current + 1 });
  return hostAddressOf(current + 1);
}

export function instanceStateChanged(ctx: EcsContext, change: InstanceStateChange): void {
  const scope: Scope = { accountId: change.accountId, region: change.region };
  const existing = findContainerInstanceByEc2Id(ctx, scope, change.instanceId);
  const live = existing && existing.status !== 'INACTIVE' ? existing : undefined;
  switch (change.state) {
    case 'running':
      if (live) setAgentConnected(ctx, live, true);
      else register(ctx, change);
      return;
    case 'stopping':
    case 'shutting-down':
      if (live) setAgentConnected(ctx, live, false);
      return;
    case 'stopped':
      if (live) {
        setAgentConnected(ctx, live, false);
        stopTasksOn(ctx, live, undefined, `Host EC2 (instance ${change.instanceId}) stopped.`);
      }
      return;
    case 'terminated':
      if (live) {
        ctx.transact(() => {
          saveContainerInstance(ctx, { ...live, status: 'INACTIVE', agentConnected: false }, true);
          stopTasksOn(ctx, live, undefined, `Host EC2 (instance ${change.instanceId}) terminated.`);
        });
      }
      return;
    case 'pending':
      return;
  }
}

function setAgentConnected(ctx: EcsContext, record: ContainerInstanceRecord, agentConnected: boolean): void {
  if (record.agentConnected !== agentConnected) saveContainerInstance(ctx, { ...record, agentConnected }, true);
}

function register(ctx: EcsContext, change: InstanceStateChange): void {
  const log = ctx.logger.child({ ec2InstanceId: change.instanceId });
  const clusterName = clusterNameFromUserData(change.userData);
  const cluster = ctx.tables.clusters.get(scopedKey(change.accountId, change.region, clusterName));
  if (!cluster || cluster.status !== 'ACTIVE') {
    // The real agent keeps retrying RegisterContainerInstance and logs ClusterNotFoundException.
    log.warn({ cluster: clusterName }, 'ECS agent cannot register: the cluster does not exist or is INACTIVE');
    return;
  }
  const facts = ctx.ports.instanceTypes.describe(change.instanceType);
  if (!facts) {
    log.warn({ instanceType: change.instanceType }, 'ECS agent cannot register: unknown instance type');
    return;
  }
  const customAttributes = customAttributesFromUserData(change.userData);
  if (!customAttributes) {
    // The real agent refuses to start on malformed ECS_INSTANCE_ATTRIBUTES.
    log.warn('ECS agent cannot register: ECS_INSTANCE_ATTRIBUTES is not a JSON object of strings');
    return;
  }
  ctx.transact(() => {
    const record = newContainerInstance({
      accountId: change.accountId,
      region: change.region,
      clusterName,
      clusterArn: cluster.clusterArn,
      containerInstanceId: newContainerInstanceId(ctx.random),
      ec2InstanceId: change.instanceId,
      instanceType: change.instanceType,
      availabilityZone: change.availabilityZone,
      imageId: change.imageId,
      hostAddress: allocateHostAddress(ctx),
      instanceTypeFacts: facts,
      customAttributes,
      nowMs: ctx.clock.now(),
      ...(change.tags['aws:autoscaling:groupName'] !== undefined
        ? { autoScalingGroupName: change.tags['aws:autoscaling:groupName'] }
        : {}),
    });
    registerContainerInstance(ctx, record);
    log.info(
      { cluster: clusterName, containerInstanceArn: record.containerInstanceArn },
      'container instance registered',
    );
  });
}

/** The host is gone: its tasks are STOPPED at once with the reason given (no agent will report). */
export function stopTasksOn(
  ctx: EcsContext,
  instance: ContainerInstanceRecord,
  stopCode: StopCode | undefined,
  reason: string,
): void {
  const tasks = tasksOnInstance(ctx, instance);
  ctx.transact(() => {
    for (const task of tasks) {
      const stopping = requestStop(task, stopCode, reason, ctx.clock.now());
      const next = { ...stopping, hostLost: true };
      saveTask(ctx, ctx.tables.tasks.get(taskKey(task)), next, stopping !== task);
    }
  });
}
