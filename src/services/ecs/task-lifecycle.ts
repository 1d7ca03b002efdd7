/**
 * The task lifecycle as pure functions (B.3, `DG:ecs/task-lifecycle`): PROVISIONING → PENDING →
 * ACTIVATING → RUNNING → DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED. `planTask` takes one
 * step from a snapshot (one status per step, so each status is seen and reported, as ECS reports
 * each); the task controller applies it through the runtime port. The `applyContainer*`
 * functions record what the runtime observed as facts. Every change an `ECS Task State Change`
 * event reports bumps `version`. A service task behind load balancers registers its targets
 * while ACTIVATING and, while DEACTIVATING, deregisters them and waits until its target groups
 * no longer report them `draining` (the deregistration delay) before STOPPING sends SIGTERM.
 */
import {
  STOPPED_TASK_RETENTION_MS,
  type ContainerRecord,
  type HealthStatus,
  type StopCode,
  type TaskRecord,
  type TaskStatus,
} from './task.js';

export const ESSENTIAL_CONTAINER_EXITED = 'Essential container in task exited';
/**
 * How often a DEACTIVATING task asks its target groups whether its targets still drain. The
 * target group ends the delay on its own clock; this is only how soon the task notices.
 */
export const TARGET_DRAIN_POLL_MS = 1_000;
export const TASK_STOPPED_BY_USER = 'Task stopped by user';
/**
 * How long a task waits in PROVISIONING for capacity from its capacity provider: "between 10 and
 * 30 minutes" (the Deep Dive blog on cluster auto scaling); drydock waits the longest.
 */
export const CAPACITY_WAIT_MS = 30 * 60_000;
/** UNCONFIRMED: ECS's stoppedReason for a task that waited out CAPACITY_WAIT_MS (Fargate's words). */
export const CAPACITY_UNAVAILABLE =
  'Capacity is unavailable at this time. Please try again later or in a different availability zone';

export interface TaskStep {
  /** The task after this step (the same object when nothing changed). */
  next: TaskRecord;
  /** A change `ECS Task State Change` reports (version was bumped). */
  publish: boolean;
  /** Ask the runtime to start the containers (after the step is stored). */
  startRuntime: boolean;
  /** Ask the runtime to stop them (SIGTERM, SIGKILL after stopTimeout). */
  stopRuntime: boolean;
  /** Forget the task: it has been STOPPED for its retention time. */
  remove: boolean;
  /** Register the task's targets with their target groups (ACTIVATING). */
  registerTargets: boolean;
  /** Deregister them (DEACTIVATING, or the host is gone). */
  deregisterTargets: boolean;
  /** When to look again even if nothing changes (protection expiry, STOPPED retention). */
  requeueAtMs?: number;
}

function changed(task: TaskRecord, patch: Partial<TaskRecord>, nowMs: number, publish = true): TaskRecord {
  return publish
    ? { ...task, ...patch, version: task.version + 1, updatedAtMs: nowMs }
    : { ...task, ...patch, updatedAtMs: nowMs };
}

function moveTo(task: TaskRecord, lastStatus: TaskStatus, nowMs: number, patch: Partial<TaskRecord> = {}): TaskStep {
  return step(changed(task, { ...patch, lastStatus }, nowMs), { publish: true });
}

function step(next: TaskRecord, options: Partial<Omit<TaskStep, 'next'>> = {}): TaskStep {
  return {
    next,
    publish: false,
    startRuntime: false,
    stopRuntime: false,
    remove: false,
    registerTargets: false,
    deregisterTargets: false,
    ...options,
  };
}

/** What the controller observed outside the record before planning (the planner stays pure). */
export interface TaskFacts {
  /** Some target group still reports one of the task's deregistered targets `draining`. */
  targetsDraining?: boolean;
}

/** Decides the task's next step at nowMs. */
export function planTask(task: TaskRecord, nowMs: number, facts: TaskFacts = {}): TaskStep {
  if (task.lastStatus === 'STOPPED') {
    const forgetAtMs = (task.stoppedAtMs ?? nowMs) + STOPPED_TASK_RETENTION_MS;
    return nowMs >= forgetAtMs ? step(task, { remove: true }) : step(task, { requeueAtMs: forgetAtMs });
  }

  // Scale-in protection lapses on its own clock (B.9): protectionEnabled → false.
  if (task.protection.enabled && task.protection.expiresAtMs !== undefined) {
    if (task.protection.expiresAtMs <= nowMs)
      return step(changed(task, { protection: { enabled: false } }, nowMs, false));
  }
  const protectionDueAtMs = task.protection.enabled ? task.protection.expiresAtMs : undefined;
  const next = lifecycleStep(task, nowMs, facts);
  if (next.requeueAtMs === undefined && protectionDueAtMs !== undefined) next.requeueAtMs = protectionDueAtMs;
  return next;
}

function lifecycleStep(task: TaskRecord, nowMs: number, facts: TaskFacts): TaskStep {
  if (task.hostLost) return hostLostStep(task, nowMs);

  if (task.desiredStatus === 'RUNNING') {
    const cause = stopCauseOf(task);
    if (cause) {
      return step(
        changed(task, { desiredStatus: 'STOPPED', stopCode: cause.stopCode, stoppedReason: cause.reason }, nowMs),
        { publish: true },
      );
    }
    switch (task.lastStatus) {
      case 'PROVISIONING':
        if (task.awaitingCapacity) {
          // No instance has room yet: the capacity controller places it, or it gives up here.
          const giveUpAtMs = task.awaitingCapacity.sinceMs + CAPACITY_WAIT_MS;
          if (nowMs < giveUpAtMs) return step(task, { requeueAtMs: giveUpAtMs });
          return step(
            changed(
              task,
              { desiredStatus: 'STOPPED', stopCode: 'TaskFailedToStart', stoppedReason: CAPACITY_UNAVAILABLE },
              nowMs,
            ),
            { publish: true },
          );
        }
        // Nothing to provision for bridge/host networking; awsvpc's ENI is not simulated.
        return moveTo(task, 'PENDING', nowMs, { connectivityAtMs: nowMs });
      case 'PENDING':
        if (!task.runtimeStarted) {
          return step(changed(task, { runtimeStarted: true, pullStartedAtMs: nowMs }, nowMs, false), {
            startRuntime: true,
          });
        }
        if (task.containers.every((container) => container.lastStatus !== 'PENDING')) {
          return moveTo(task, 'ACTIVATING', nowMs, { pullStoppedAtMs: firstStartOf(task) ?? nowMs });
        }
        return step(task);
      case 'ACTIVATING':
        // A service task behind load balancers registers its targets here, then runs.
        if (task.targets && task.targets.length > 0 && task.targetsState === undefined) {
          return step(changed(task, { targetsState: 'registered' }, nowMs, false), { registerTargets: true });
        }
        return moveTo(task, 'RUNNING', nowMs, { startedAtMs: nowMs });
      default:
        return step(task);
    }
  }

  const stoppingAtMs = task.stoppingAtMs ?? nowMs;
  switch (task.lastStatus) {
    case 'PROVISIONING':
    case 'PENDING':
      return task.runtimeStarted
        ? moveTo(task, 'STOPPING', nowMs, { stoppingAtMs })
        : moveTo(task, 'DEPROVISIONING', nowMs, {
            stoppingAtMs,
            executionStoppedAtMs: nowMs,
            containers: stopPending(task.containers, nowMs),
          });
    case 'ACTIVATING':
    case 'RUNNING':
      return moveTo(task, 'DEACTIVATING', nowMs, { stoppingAtMs });
    case 'DEACTIVATING':
      // Deregister, then keep the containers running through the deregistration delay, so
      // in-flight requests finish before SIGTERM (connection draining).
      if (task.targetsState === 'registered') {
        return step(changed(task, { targetsState: 'deregistered' }, nowMs, false), { deregisterTargets: true });
      }
      if (task.targetsState === 'deregistered' && facts.targetsDraining) {
        return step(task, { requeueAtMs: nowMs + TARGET_DRAIN_POLL_MS });
      }
      return moveTo(task, 'STOPPING', nowMs, { stoppingAtMs });
    case 'STOPPING':
      if (task.runtimeStarted && !task.runtimeStopRequested) {
        return step(changed(task, { runtimeStopRequested: true }, nowMs, false), { stopRuntime: true });
      }
      if (task.containers.some((container) => container.lastStatus === 'RUNNING')) return step(task);
      return moveTo(task, 'DEPROVISIONING', nowMs, {
        executionStoppedAtMs: nowMs,
        containers: stopPending(task.containers, nowMs),
      });
    case 'DEPROVISIONING':
      return moveTo(task, 'STOPPED', nowMs, { stoppedAtMs: nowMs });
    case 'STOPPED':
      return step(task);
  }
}

/** With no agent left to report, ECS records the task STOPPED at once and its containers with it. */
function hostLostStep(task: TaskRecord, nowMs: number): TaskStep {
  const next = changed(
    task,
    {
      desiredStatus: 'STOPPED',
      lastStatus: 'STOPPED',
      stoppingAtMs: task.stoppingAtMs ?? nowMs,
      executionStoppedAtMs: task.executionStoppedAtMs ?? nowMs,
      stoppedAtMs: nowMs,
      runtimeStopRequested: true,
      ...(task.targetsState === 'registered' ? { targetsState: 'deregistered' as const } : {}),
      containers: task.containers.map((container) =>
        container.lastStatus === 'STOPPED' ? container : { ...container, lastStatus: 'STOPPED', finishedAtMs: nowMs },
      ),
    },
    nowMs,
  );
  return step(next, {
    publish: true,
    stopRuntime: task.runtimeStarted && !task.runtimeStopRequested,
    deregisterTargets: task.targetsState === 'registered',
  });
}

/** Why a task that should run must stop: an essential container exited, or could not start. */
function stopCauseOf(task: TaskRecord): { stopCode: StopCode; reason: string } | undefined {
  const exited = task.containers.find((container) => container.essential && container.lastStatus === 'STOPPED');
  if (!exited) return undefined;
  if (exited.exitCode === undefined && exited.reason !== undefined) {
    const reason = exited.reason.startsWith('CannotStartContainerError')
      ? exited.reason
      : `CannotStartContainerError: ${exited.reason}`;
    return { stopCode: 'TaskFailedToStart', reason };
  }
  return { stopCode: 'EssentialContainerExited', reason: ESSENTIAL_CONTAINER_EXITED };
}

function firstStartOf(task: TaskRecord): number | undefined {
  const starts = task.containers.flatMap((container) =>
    container.startedAtMs === undefined ? [] : [container.startedAtMs],
  );
  return starts.length === 0 ? undefined : Math.min(...starts);
}

/** Containers that never started end STOPPED with no exit code. */
function stopPending(containers: readonly ContainerRecord[], nowMs: number): ContainerRecord[] {
  return containers.map((container) =>
    container.lastStatus === 'PENDING' ? { ...container, lastStatus: 'STOPPED', finishedAtMs: nowMs } : container,
  );
}

/**
 * Intent: stop the task (StopTask, a deregistration, a lost host). The first cause is kept.
 * stopCode may be absent where AWS's code for the cause is not documented.
 */
export function requestStop(
  task: TaskRecord,
  stopCode: StopCode | undefined,
  reason: string,
  nowMs: number,
): TaskRecord {
  if (task.desiredStatus === 'STOPPED') return task;
  return changed(task, { desiredStatus: 'STOPPED', ...(stopCode ? { stopCode } : {}), stoppedReason: reason }, nowMs);
}

function withContainer(
  task: TaskRecord,
  name: string,
  update: (container: ContainerRecord) => ContainerRecord | undefined,
  nowMs: number,
): TaskRecord | undefined {
  const index = task.containers.findIndex((container) => container.name === name);
  if (index === -1) return undefined;
  const updated = update(task.containers[index]!);
  if (!updated) return undefined;
  const containers = task.containers.map((container, at) => (at === index ? updated : container));
  return changed(task, { containers }, nowMs);
}

/** The runtime started a container. Ignored once the task is past STOPPING. */
export function applyContainerStarted(
  task: TaskRecord,
  name: string,
  runtime: { pid: number | undefined; runtimeId: string },
  nowMs: number,
): TaskRecord | undefined {
  if (task.lastStatus === 'DEPROVISIONING' || task.lastStatus === 'STOPPED') return undefined;
  return withContainer(
    task,
    name,
    (container) =>
      container.lastStatus !== 'PENDING'
        ? undefined
        : {
            ...container,
            lastStatus: 'RUNNING',
            runtimeId: runtime.runtimeId,
            ...(runtime.pid !== undefined ? { pid: runtime.pid } : {}),
            startedAtMs: nowMs,
            ...(container.healthStatus ? { healthStatus: 'UNKNOWN' as const } : {}),
          },
    nowMs,
  );
}

/** A container exited (exitCode null: it never started, reason says why). */
export function applyContainerExited(
  task: TaskRecord,
  name: string,
  exitCode: number | null,
  reason: string,
  nowMs: number,
): TaskRecord | undefined {
  if (task.lastStatus === 'STOPPED') return undefined;
  return withContainer(
    task,
    name,
    (container) => {
      if (container.lastStatus === 'STOPPED') return undefined;
      const { exitCode: _previous, reason: _reason, ...rest } = container;
      return {
        ...rest,
        lastStatus: 'STOPPED',
        finishedAtMs: nowMs,
        ...(exitCode !== null ? { exitCode } : {}),
        // Container.reason is at most 1024 characters (`M:ecs`).
        ...(reason !== '' ? { reason: reason.slice(0, 1024) } : {}),
      };
    },
    nowMs,
  );
}

export function applyContainerHealth(
  task: TaskRecord,
  name: string,
  healthStatus: HealthStatus,
  nowMs: number,
): TaskRecord | undefined {
  if (task.lastStatus === 'STOPPED') return undefined;
  return withContainer(
    task,
    name,
    (container) =>
      container.healthStatus === undefined || container.healthStatus === healthStatus
        ? undefined
        : { ...container, healthStatus },
    nowMs,
  );
}
