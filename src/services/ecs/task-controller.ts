/**
 * The task controller: level-triggered, keyed by a task's store key. Each reconcile re-reads the
 * task, takes one step of `planTask` (pure) and applies it: the record through the store (which
 * wakes the controller again for the next step), the containers through the TaskRuntimePort.
 * Deadlines (STOPPED retention, protection expiry, the poll of a draining target group) are
 * requeues on the clock. What the runtime observes comes back through `runtimeListener` as facts
 * recorded on the task. A service task's target registrations go through the
 * LoadBalancerTargetsPort, each announced in its service's events as ECS words them.
 */
import type { ControlLoop, ReconcileResult } from '../../kernel/control-loop.js';
import type { Change } from '../../store/store.js';
import { recordServiceEvents, saveTask, type EcsContext } from './context.js';
import type { TaskRuntimeListener } from './ports.js';
import { serviceMessages } from './service-event.js';
import { memberKey } from './store.js';
import { taskArnParts, type TaskRecord } from './task.js';
import {
  applyContainerExited,
  applyContainerHealth,
  applyContainerStarted,
  planTask,
  type TaskFacts,
} from './task-lifecycle.js';

export const TASK_RECONCILER = 'ecs-tasks';

export function reconcileTask(ctx: EcsContext, key: string): ReconcileResult {
  const task = ctx.tables.tasks.get(key);
  if (!task) return;
  const nowMs = ctx.clock.now();
  const plan = planTask(task, nowMs, factsOf(ctx, task));
  if (plan.remove) {
    ctx.tables.tasks.delete(key);
    return;
  }
  if (plan.next !== task) saveTask(ctx, task, plan.next, plan.publish);
  // The runtime is called after the record is stored, so facts it reports at once find it.
  if (plan.registerTargets) registerTargets(ctx, plan.next);
  if (plan.deregisterTargets) deregisterTargets(ctx, plan.next);
  if (plan.startRuntime) startRuntime(ctx, key, plan.next);
  if (plan.stopRuntime) stopRuntime(ctx, plan.next);
  return plan.requeueAtMs === undefined ? undefined : { requeueAfterMs: Math.max(0, plan.requeueAtMs - nowMs) };
}

function factsOf(ctx: EcsContext, task: TaskRecord): TaskFacts {
  if (task.lastStatus !== 'DEACTIVATING' || task.targetsState !== 'deregistered' || !task.targets) return {};
  const scope = { accountId: task.accountId, region: task.region };
  const targetsDraining = task.targets.some(
    (target) =>
      ctx.ports.loadBalancerTargets.state(scope, target.targetGroupArn, { id: target.id, port: target.port }) ===
      'draining',
  );
  return { targetsDraining };
}

/** The task's targets, one call per target group (ECS registers a task in each of its service's groups). */
function byTargetGroup(task: TaskRecord): Map<string, Array<{ id: string; port: number }>> {
  const groups = new Map<string, Array<{ id: string; port: number }>>();
  for (const target of task.targets ?? []) {
    const list = groups.get(target.targetGroupArn) ?? [];
    list.push({ id: target.id, port: target.port });
    groups.set(target.targetGroupArn, list);
  }
  return groups;
}

function serviceKeyOf(task: TaskRecord): string | undefined {
  return task.serviceName === undefined
    ? undefined
    : memberKey(task.accountId, task.region, task.clusterName, task.serviceName);
}

function registerTargets(ctx: EcsContext, task: TaskRecord): void {
  const scope = { accountId: task.accountId, region: task.region };
  const messages: string[] = [];
  for (const [targetGroupArn, targets] of byTargetGroup(task)) {
    try {
      ctx.ports.loadBalancerTargets.register(scope, targetGroupArn, targets);
      messages.push(serviceMessages.registered(task.serviceName ?? '', targets.length, targetGroupArn));
    } catch (error) {
      // A target group deleted under the service: the task runs, unregistered, and never turns
      // healthy in it, so the service scheduler replaces it, as ECS would.
      ctx.logger.warn({ err: error, taskArn: task.taskArn, targetGroupArn }, 'could not register the task targets');
    }
  }
  const serviceKey = serviceKeyOf(task);
  if (serviceKey) recordServiceEvents(ctx, serviceKey, messages);
}

function deregisterTargets(ctx: EcsContext, task: TaskRecord): void {
  const scope = { accountId: task.accountId, region: task.region };
  const service = task.serviceName ?? '';
  const messages = [serviceMessages.drainingConnections(service, task.startedBy ?? '', 1)];
  for (const [targetGroupArn, targets] of byTargetGroup(task)) {
    try {
      ctx.ports.loadBalancerTargets.deregister(scope, targetGroupArn, targets);
      messages.push(serviceMessages.deregistered(service, targets.length, targetGroupArn));
    } catch (error) {
      ctx.logger.warn({ err: error, taskArn: task.taskArn, targetGroupArn }, 'could not deregister the task targets');
    }
  }
  const serviceKey = serviceKeyOf(task);
  if (serviceKey) recordServiceEvents(ctx, serviceKey, messages);
}

function startRuntime(ctx: EcsContext, key: string, task: TaskRecord): void {
  try {
    ctx.ports.taskRuntime.start(task.spec);
  } catch (error) {
    // The runtime's contract is to report failures as facts; one that throws still must not
    // take the controller down: its containers could not start.
    ctx.logger.error({ err: error, taskArn: task.taskArn }, 'the task runtime failed to start a task');
    const reason = error instanceof Error ? error.message : String(error);
    let current = ctx.tables.tasks.get(key);
    for (const container of task.containers) {
      if (!current) break;
      const next = applyContainerExited(current, container.name, null, reason, ctx.clock.now());
      if (next) {
        saveTask(ctx, current, next, true);
        current = next;
      }
    }
  }
}

function stopRuntime(ctx: EcsContext, task: TaskRecord): void {
  try {
    ctx.ports.taskRuntime.stop(task.taskArn);
  } catch (error) {
    ctx.logger.error({ err: error, taskArn: task.taskArn }, 'the task runtime failed to stop a task');
  }
}

export function registerTaskController(ctx: EcsContext, controlLoop: ControlLoop): void {
  controlLoop.register({ name: TASK_RECONCILER, reconcile: (key) => reconcileTask(ctx, key) });
  // Level-triggered: every write to a task (intent or fact) asks for a reconcile of it.
  ctx.store.onCommit((changes: readonly Change[]) => {
    for (const change of changes) {
      if (change.service === 'ecs' && change.table === 'tasks' && change.kind === 'put') {
        controlLoop.enqueue(TASK_RECONCILER, change.key);
      }
    }
  });
}

/** Facts from the runtime, recorded on the task they are about; unknown tasks are ignored. */
export function createRuntimeListener(ctx: EcsContext): TaskRuntimeListener {
  const runtimeIds = ctx.random.fork('runtime-ids');
  const update = (taskArn: string, change: (task: TaskRecord, nowMs: number) => TaskRecord | undefined) => {
    const parts = taskArnParts(taskArn);
    if (!parts) return;
    const key = memberKey(parts.accountId, parts.region, parts.clusterName, parts.taskId);
    const task = ctx.tables.tasks.get(key);
    if (!task) return;
    const next = change(task, ctx.clock.now());
    if (next) saveTask(ctx, task, next, true);
  };
  return {
    containerStarted(taskArn, containerName, pid) {
      // Docker's container id: 64 hex digits.
      update(taskArn, (task, nowMs) =>
        applyContainerStarted(task, containerName, { pid, runtimeId: runtimeIds.hex(64) }, nowMs),
      );
    },
    containerExited(taskArn, containerName, exitCode, reason) {
      update(taskArn, (task, nowMs) => applyContainerExited(task, containerName, exitCode, reason, nowMs));
    },
    containerHealthChanged(taskArn, containerName, status) {
      update(taskArn, (task, nowMs) => applyContainerHealth(task, containerName, status, nowMs));
    },
  };
}
