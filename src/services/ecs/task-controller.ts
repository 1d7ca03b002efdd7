/**
 * The task controller: level-triggered, keyed by a task's store key. Each reconcile re-reads the
 * task, takes one step of `planTask` (pure) and applies it: the record through the store (which
 * wakes the controller again for the next step), the containers through the TaskRuntimePort.
 * Deadlines (STOPPED retention, protection expiry) are requeues on the clock. What the runtime
 * observes comes back through `runtimeListener` as facts recorded on the task.
 */
import type { ControlLoop, ReconcileResult } from '../../kernel/control-loop.js';
import type { Change } from '../../store/store.js';
import { saveTask, type EcsContext } from './context.js';
import type { TaskRuntimeListener } from './ports.js';
import { memberKey } from './store.js';
import { taskArnParts, type TaskRecord } from './task.js';
import { applyContainerExited, applyContainerHealth, applyContainerStarted, planTask } from './task-lifecycle.js';

export const TASK_RECONCILER = 'ecs-tasks';

export function reconcileTask(ctx: EcsContext, key: string): ReconcileResult {
  const task = ctx.tables.tasks.get(key);
  if (!task) return;
  const nowMs = ctx.clock.now();
  const plan = planTask(task, nowMs);
  if (plan.remove) {
    ctx.tables.tasks.delete(key);
    return;
  }
  if (plan.next !== task) saveTask(ctx, task, plan.next, plan.publish);
  // The runtime is called after the record is stored, so facts it reports at once find it.
  if (plan.startRuntime) startRuntime(ctx, key, plan.next);
  if (plan.stopRuntime) stopRuntime(ctx, plan.next);
  return plan.requeueAtMs === undefined ? undefined : { requeueAfterMs: Math.max(0, plan.requeueAtMs - nowMs) };
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
