/**
 * The capacity controller: level-triggered, keyed by a capacity provider's store key. Each
 * reconcile reads the provider's Auto Scaling group through the AutoScalingGroupsPort and does
 * what ECS does for an Auto Scaling group provider (B.8, F.1):
 * - places the tasks that wait in PROVISIONING for it on its instances, as far as they fit;
 * - managed draining: an instance waiting in `Terminating:Wait` on the
 *   `ecs-managed-draining-termination-hook` has its container instance set DRAINING (the service
 *   scheduler then replaces its service tasks within their min/max healthy percent); ECS records
 *   heartbeats while tasks remain and completes the action with CONTINUE once no task on the
 *   instance is in any state but STOPPED;
 * - managed termination protection: instances running non-daemon tasks are protected from
 *   scale-in, empty ones are not;
 * - managed scaling: CapacityProviderReservation (capacity-reservation.ts) sets the group's
 *   desired capacity.
 * Writes to the provider, its cluster, its group's container instances and its tasks wake it;
 * Auto Scaling's own changes reach it through `lifecycleActionStarted` and a poll on the clock.
 */
import type { ControlLoop, ReconcileResult } from '../../kernel/control-loop.js';
import type { Change } from '../../store/store.js';
import { MANAGED_DRAINING_HOOK, type CapacityProviderRecord, type DrainingInstanceState } from './capacity-provider.js';
import {
  instancesNeeded,
  planManagedScaling,
  type InstanceCapacity,
  type TaskFootprint,
} from './capacity-reservation.js';
import type { ClusterRecord } from './cluster.js';
import {
  CPU_UNITS_PER_VCPU,
  isDrainComplete,
  registeredMemoryMiB,
  type ContainerInstanceRecord,
} from './container-instance.js';
import {
  activeTasksIn,
  capacityProviderKey,
  containerInstancesIn,
  providersOfGroup,
  saveContainerInstance,
  servicesIn,
  tasksOnInstance,
  type EcsContext,
  type Scope,
} from './context.js';
import { installDrainingHook } from './operations-capacity-provider.js';
import type { AutoScalingGroupsPort, AutoScalingGroupView } from './ports.js';
import { memberKey, scopedKey, taskDefinitionKey } from './store.js';
import { needsOf, placeWaitingTasks } from './task-launch.js';
import { isAwaitingCapacity, UNPLACED, type TaskRecord } from './task.js';

export const CAPACITY_RECONCILER = 'ecs-capacity-providers';
/**
 * How soon a provider looks at its group again with nothing in ECS changing: Auto Scaling's own
 * changes (an instance in service, one waiting to terminate) reach ECS no other way. ECS
 * publishes its metric every minute; while something is under way drydock looks more often.
 */
export const CAPACITY_IDLE_POLL_MS = 60_000;
export const CAPACITY_BUSY_POLL_MS = 5_000;
/** Managed draining records a heartbeat this often, well inside the hook's 3600 s. */
export const DRAIN_HEARTBEAT_EVERY_MS = 30 * 60_000;
/** Task changes wake the provider this long after the first (a burst of them is looked at once). */
export const CAPACITY_TASK_BATCH_MS = 500;

/** Registers the reconciler and its triggers; returns what wakes the providers of a group. */
export function registerCapacityController(
  ctx: EcsContext,
  controlLoop: ControlLoop,
): { wakeGroup(scope: Scope, groupName: string): void } {
  let reconciling: string | undefined;
  controlLoop.register({
    name: CAPACITY_RECONCILER,
    reconcile: (key) => {
      reconciling = key;
      try {
        return reconcileCapacityProvider(ctx, key);
      } finally {
        reconciling = undefined;
      }
    },
  });
  const enqueue = (key: string, afterMs?: number) => controlLoop.enqueue(CAPACITY_RECONCILER, key, afterMs);
  const seen = new Map<string, string>();
  ctx.store.onCommit((changes: readonly Change[]) => {
    const now = new Set<string>();
    const soon = new Set<string>();
    const byGroup = new Map<string, string[]>();
    const providersOf = (scope: Scope, groupName: string) => {
      const cacheKey = `${scope.accountId}/${scope.region}/${groupName}`;
      let keys = byGroup.get(cacheKey);
      if (!keys) {
        keys = providersOfGroup(ctx, scope, groupName).map((provider) => capacityProviderKey(scope, provider.name));
        byGroup.set(cacheKey, keys);
      }
      return keys;
    };
    for (const change of changes) {
      if (change.service !== 'ecs' || change.kind !== 'put') continue;
      if (change.table === 'capacityProviders') {
        if (change.key !== reconciling) now.add(change.key);
      } else if (change.table === 'containerInstances') {
        const instance = ctx.tables.containerInstances.get(change.key);
        if (instance?.autoScalingGroupName === undefined) continue;
        // A registration, a drain or a lost agent is looked at at once; resources taken or freed
        // by tasks (every placement and stop) soon, with the task changes they came with.
        const look = `${instance.status} ${instance.agentConnected}`;
        const urgent = seen.get(change.key) !== look;
        seen.set(change.key, look);
        for (const key of providersOf(instance, instance.autoScalingGroupName)) (urgent ? now : soon).add(key);
      } else if (change.table === 'tasks') {
        const task = ctx.tables.tasks.get(change.key);
        // Only a task waiting, placed or stopped changes what a provider sees (not its start-up steps).
        if (!task || (task.lastStatus !== 'PROVISIONING' && task.lastStatus !== 'STOPPED')) continue;
        if (task.capacityProviderName !== undefined) {
          soon.add(capacityProviderKey(task, task.capacityProviderName));
        } else if (task.containerInstanceId !== UNPLACED) {
          // A task launched without a provider on a provider's instance: its end may finish a drain.
          const instance = ctx.tables.containerInstances.get(
            memberKey(task.accountId, task.region, task.clusterName, task.containerInstanceId),
          );
          if (instance?.autoScalingGroupName !== undefined) {
            for (const key of providersOf(instance, instance.autoScalingGroupName)) soon.add(key);
          }
        }
      } else if (change.table === 'clusters') {
        const cluster = ctx.tables.clusters.get(change.key);
        for (const name of cluster?.capacityProviders ?? []) now.add(capacityProviderKey(cluster!, name));
      }
    }
    for (const key of now) enqueue(key);
    for (const key of soon) if (!now.has(key)) enqueue(key, CAPACITY_TASK_BATCH_MS);
  });
  // After a restart every provider looks at its group again.
  for (const key of ctx.tables.capacityProviders.keys()) enqueue(key);
  return {
    wakeGroup(scope, groupName) {
      for (const provider of providersOfGroup(ctx, scope, groupName))
        enqueue(capacityProviderKey(scope, provider.name));
    },
  };
}

export function reconcileCapacityProvider(ctx: EcsContext, key: string): ReconcileResult {
  const provider = ctx.tables.capacityProviders.get(key);
  const port = ctx.ports.autoScalingGroups;
  if (!provider || provider.status !== 'ACTIVE' || !port) return;
  const scope: Scope = { accountId: provider.accountId, region: provider.region };
  const group = port.describeGroup(scope, provider.autoScalingGroupName);
  if (!group) return { requeueAfterMs: CAPACITY_IDLE_POLL_MS };
  const nowMs = ctx.clock.now();
  const attempt = (what: string, call: () => void) => {
    try {
      call();
    } catch (error) {
      // Auto Scaling refused (the group being deleted, an action already gone): next round.
      ctx.logger.warn({ err: error, capacityProvider: provider.name, group: group.autoScalingGroupName }, what);
    }
  };

  if (provider.managedDraining === 'ENABLED' && !group.lifecycleHooks.includes(MANAGED_DRAINING_HOOK)) {
    attempt('could not install the managed draining hook', () =>
      installDrainingHook(port, scope, group.autoScalingGroupName),
    );
  }

  const cluster = provider.clusterName
    ? ctx.tables.clusters.get(scopedKey(provider.accountId, provider.region, provider.clusterName))
    : undefined;
  const attached = cluster?.status === 'ACTIVE' ? cluster : undefined;
  let clusterTasks = attached ? activeTasksIn(ctx, attached) : [];
  const waitingOf = (tasks: readonly TaskRecord[]) =>
    tasks.filter(
      (task) =>
        isAwaitingCapacity(task) && task.desiredStatus === 'RUNNING' && task.capacityProviderName === provider.name,
    );
  if (attached) {
    const waiting = waitingOf(clusterTasks);
    if (waiting.length > 0 && placeWaitingTasks(ctx, attached, provider, waiting, clusterTasks).length > 0) {
      clusterTasks = activeTasksIn(ctx, attached);
    }
  }

  const draining = applyManagedDraining(ctx, port, scope, provider, group, nowMs, attempt);

  let scaleInWantedSinceMs: number | undefined;
  let recheckAtMs: number | undefined;
  if (attached) {
    const instances = containerInstancesIn(ctx, attached).filter((instance) => instance.status !== 'INACTIVE');
    const byEc2Id = new Map(instances.map((instance) => [instance.ec2InstanceId, instance]));
    const busy = busyInstances(ctx, attached, clusterTasks);
    const isBusy = (ec2InstanceId: string) => {
      const instance = byEc2Id.get(ec2InstanceId);
      return instance !== undefined && busy.has(instance.containerInstanceId);
    };
    if (provider.managedTerminationProtection === 'ENABLED') {
      applyTerminationProtection(port, scope, group, isBusy, attempt);
    }
    if (provider.managedScaling.status === 'ENABLED') {
      const settings = provider.managedScaling;
      const decision = planManagedScaling({
        targetCapacity: settings.targetCapacity,
        minimumScalingStepSize: settings.minimumScalingStepSize,
        maximumScalingStepSize: settings.maximumScalingStepSize,
        instanceWarmupPeriodS: settings.instanceWarmupPeriod,
        minSize: group.minSize,
        maxSize: group.maxSize,
        desiredCapacity: group.desiredCapacity,
        inService: group.instances
          .filter((instance) => instance.lifecycleState === 'InService')
          .map((instance) => ({ busy: isBusy(instance.instanceId) })),
        launchedAtMs: group.instances
          .filter(
            (instance) => instance.lifecycleState === 'InService' || instance.lifecycleState.startsWith('Pending'),
          )
          .map((instance) => instance.launchedAtMs),
        neededForWaiting: instancesNeeded(
          footprintsOf(ctx, waitingOf(clusterTasks)),
          capacityOf(ctx, group, instances),
        ),
        scaleInWantedSinceMs: provider.scaleInWantedSinceMs,
        nowMs,
      });
      if (decision.desiredCapacity !== undefined) {
        const desired = decision.desiredCapacity;
        attempt('could not set the desired capacity', () =>
          port.setDesiredCapacity(scope, group.autoScalingGroupName, desired),
        );
      }
      scaleInWantedSinceMs = decision.scaleInWantedSinceMs;
      recheckAtMs = decision.recheckAtMs;
    }
  }

  const current = ctx.tables.capacityProviders.get(key)!;
  if (
    current.scaleInWantedSinceMs !== scaleInWantedSinceMs ||
    JSON.stringify(current.draining) !== JSON.stringify(draining)
  ) {
    const next: CapacityProviderRecord = { ...current, draining };
    if (scaleInWantedSinceMs === undefined) delete next.scaleInWantedSinceMs;
    else next.scaleInWantedSinceMs = scaleInWantedSinceMs;
    ctx.tables.capacityProviders.put(key, next);
  }

  const underWay =
    Object.keys(draining).length > 0 ||
    waitingOf(clusterTasks).length > 0 ||
    scaleInWantedSinceMs !== undefined ||
    group.instances.some((instance) => instance.lifecycleState !== 'InService') ||
    group.instances.length !== group.desiredCapacity;
  const pollMs = underWay ? CAPACITY_BUSY_POLL_MS : CAPACITY_IDLE_POLL_MS;
  const dueMs = recheckAtMs === undefined ? pollMs : Math.min(pollMs, Math.max(0, recheckAtMs - nowMs));
  return { requeueAfterMs: dueMs };
}

/**
 * Managed draining (F.1): returns the draining memory to keep (instances still waiting on ECS,
 * with their last heartbeat).
 */
function applyManagedDraining(
  ctx: EcsContext,
  port: AutoScalingGroupsPort,
  scope: Scope,
  provider: CapacityProviderRecord,
  group: AutoScalingGroupView,
  nowMs: number,
  attempt: (what: string, call: () => void) => void,
): Record<string, DrainingInstanceState> {
  const kept: Record<string, DrainingInstanceState> = {};
  if (provider.managedDraining !== 'ENABLED') return kept;
  const waiting = group.instances.filter(
    (instance) =>
      instance.lifecycleState === 'Terminating:Wait' && instance.waitingOnHooks.includes(MANAGED_DRAINING_HOOK),
  );
  if (waiting.length === 0) return kept;
  // One pass over the Region's container instances, not one per waiting instance.
  const registered = new Map<string, ContainerInstanceRecord>();
  for (const record of ctx.tables.containerInstances.withPrefix(`${scope.accountId}/${scope.region}/`)) {
    if (record.status !== 'INACTIVE') registered.set(record.ec2InstanceId, record);
  }
  for (const instance of waiting) {
    const state = provider.draining[instance.instanceId] ?? { startedAtMs: nowMs, lastHeartbeatAtMs: nowMs };
    let live = registered.get(instance.instanceId);
    if (live?.status === 'ACTIVE') {
      live = { ...live, status: 'DRAINING' };
      saveContainerInstance(ctx, live, true);
      ctx.logger.info(
        { containerInstanceArn: live.containerInstanceArn, ec2InstanceId: instance.instanceId },
        'managed draining: container instance set to DRAINING',
      );
    }
    const tasksThere = live ? tasksOnInstance(ctx, live) : [];
    if (!live || isDrainComplete(live, tasksThere)) {
      attempt('could not complete the managed draining lifecycle action', () =>
        port.completeLifecycleAction(
          scope,
          group.autoScalingGroupName,
          MANAGED_DRAINING_HOOK,
          instance.instanceId,
          'CONTINUE',
        ),
      );
      continue;
    }
    if (nowMs - state.lastHeartbeatAtMs >= DRAIN_HEARTBEAT_EVERY_MS) {
      attempt('could not record a managed draining heartbeat', () =>
        port.recordHeartbeat(scope, group.autoScalingGroupName, MANAGED_DRAINING_HOOK, instance.instanceId),
      );
      kept[instance.instanceId] = { ...state, lastHeartbeatAtMs: nowMs };
    } else kept[instance.instanceId] = state;
  }
  return kept;
}

/** Container instances running a task that is not STOPPED and not a daemon service's (B.8: "non-daemon tasks"). */
function busyInstances(ctx: EcsContext, cluster: ClusterRecord, tasks: readonly TaskRecord[]): Set<string> {
  const daemons = new Set(
    servicesIn(ctx, cluster)
      .filter((service) => service.schedulingStrategy === 'DAEMON')
      .map((service) => service.serviceName),
  );
  const busy = new Set<string>();
  for (const task of tasks) {
    if (task.lastStatus === 'STOPPED' || task.containerInstanceId === UNPLACED) continue;
    if (task.serviceName !== undefined && daemons.has(task.serviceName)) continue;
    busy.add(task.containerInstanceId);
  }
  return busy;
}

/** Managed termination protection: busy InService instances protected, empty ones released. */
function applyTerminationProtection(
  port: AutoScalingGroupsPort,
  scope: Scope,
  group: AutoScalingGroupView,
  isBusy: (ec2InstanceId: string) => boolean,
  attempt: (what: string, call: () => void) => void,
): void {
  const protect: string[] = [];
  const release: string[] = [];
  for (const instance of group.instances) {
    if (instance.lifecycleState !== 'InService') continue;
    const busy = isBusy(instance.instanceId);
    if (busy && !instance.protectedFromScaleIn) protect.push(instance.instanceId);
    if (!busy && instance.protectedFromScaleIn) release.push(instance.instanceId);
  }
  if (protect.length > 0) {
    attempt('could not protect busy instances', () =>
      port.setInstanceProtection(scope, group.autoScalingGroupName, protect, true),
    );
  }
  if (release.length > 0) {
    attempt('could not release empty instances', () =>
      port.setInstanceProtection(scope, group.autoScalingGroupName, release, false),
    );
  }
}

/** What each waiting task needs of an instance (fixed host ports included). */
function footprintsOf(ctx: EcsContext, waiting: readonly TaskRecord[]): TaskFootprint[] {
  const ports = new Map<string, number[]>();
  return waiting.map((task) => {
    const cacheKey = `${task.taskDefinitionArn} ${JSON.stringify(task.overrides)}`;
    let fixed = ports.get(cacheKey);
    if (!fixed) {
      const definition = ctx.tables.taskDefinitions.get(
        taskDefinitionKey(task.accountId, task.region, task.family, task.revision),
      );
      fixed = definition
        ? needsOf(definition, task.overrides)
            .ports.filter((port) => port.protocol === 'tcp' && port.hostPort !== 0)
            .map((port) => port.hostPort)
        : [];
      ports.set(cacheKey, fixed);
    }
    return { cpu: task.cpuUnits, memoryMiB: task.memoryMiB, tcpPorts: fixed };
  });
}

/** What one new instance of the group offers: its launch type's, else the largest registered one's. */
function capacityOf(
  ctx: EcsContext,
  group: AutoScalingGroupView,
  instances: readonly ContainerInstanceRecord[],
): InstanceCapacity | undefined {
  const facts = group.launchInstanceType ? ctx.ports.instanceTypes.describe(group.launchInstanceType) : undefined;
  if (facts) return { cpu: facts.vCpus * CPU_UNITS_PER_VCPU, memoryMiB: registeredMemoryMiB(facts) };
  const members = instances.filter((instance) => instance.autoScalingGroupName === group.autoScalingGroupName);
  if (members.length === 0) return undefined;
  return {
    cpu: Math.max(...members.map((instance) => instance.registeredCpu)),
    memoryMiB: Math.max(...members.map((instance) => instance.registeredMemoryMiB)),
  };
}
